"""How often the language detector would skip an English dev text (it should not), and what it skips.

    .venv/bin/python bench/language_dev.py

Every text of the English dev corpora in ../shared/corpora; prints counts by (long: 200+ letters
in the opening, detected English, probability >= 0.9) and the texts it would skip.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.nlp.config import NlpConfig  # noqa: E402
from tasks.nlp.language import detect_language, skip_reason  # noqa: E402

C = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


def texts() -> list[str]:
    def jsonl(path: str) -> list[dict]:
        return [json.loads(x) for x in (C / path).read_text(encoding="utf-8").splitlines() if x.strip()]

    out = [r["text"] for r in jsonl("bbc-news/bbc-news.jsonl")]
    out += [" ".join(r["sentences"]) for r in jsonl("ecbplus-dev/docs.jsonl")]
    out += [r["text"] for r in jsonl("quotes-dev/articles.jsonl")]
    out += [r["text"] for r in jsonl("ner-dev/conll2003_dev.jsonl")]
    out += [r["text"] for r in jsonl("events-dev/gsr_dev.jsonl")]
    gt = json.loads((C / "article-extraction-dev/ground-truth.json").read_text(encoding="utf-8"))
    out += [v["articleBody"] for v in gt.values() if v.get("articleBody")]
    return out


if __name__ == "__main__":
    cfg = NlpConfig()
    counts: Counter = Counter()
    for text in texts():
        detected = detect_language(text)
        lang, p = detected.language, detected.probability
        long = sum(ch.isalpha() for ch in text[:5000]) >= 200
        counts[(long, lang == "en", p >= 0.9)] += 1
        reason = skip_reason(detected, cfg.languages, cfg.language_min_confidence)
        if reason:
            counts["skipped"] += 1
            print(f"skipped: {reason}: {text[:80]!r}")
    print(sum(v for k, v in counts.items() if k != "skipped"), "texts;", dict(counts))
