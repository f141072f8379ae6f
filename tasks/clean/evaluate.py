"""Scoring cleaning output the way the project is measured (used by tests, bench and training).

* `shingle_scores`: the article-extraction benchmark's measure: tokens = \\w+, multiset of 4-token
  shingles per document, precision and recall per document, averaged, F1 from the averages.
* `seed_scores`: the cleaning part of ../shared/tools/score_seeds.py (body lines kept, boilerplate
  lines removed, title equality after normalisation), over cleaned `Document`s.

Run `python -m tasks.clean.evaluate` for all figures on ../shared (seeds, dev text, dev HTML).
"""
from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEV = SHARED / "corpora" / "article-extraction-dev"


def _shingles(text: str, n: int = 4) -> Counter:
    toks = re.findall(r"\w+", text or "")
    return Counter(tuple(toks[i:i + n]) for i in range(max(len(toks) - n + 1, 0)))


def shingle_scores(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """(predicted, gold) pairs -> averaged precision, recall and F1 of 4-token shingles."""
    ps, rs = [], []
    for pred, gold in pairs:
        p, g = _shingles(pred), _shingles(gold)
        tp = sum((p & g).values())
        ps.append(tp / sum(p.values()) if p else (1.0 if not g else 0.0))
        rs.append(tp / sum(g.values()) if g else 1.0)
    P, R = sum(ps) / len(ps), sum(rs) / len(rs)
    return {"precision": P, "recall": R, "f1": 2 * P * R / (P + R) if P + R else 0.0, "documents": len(ps)}


def norm(s: str | None) -> str:
    """score_seeds.py's normalisation."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\u00a0": " "}))
    return re.sub(r"\s+", " ", s).strip().casefold()


def seed_scores(cleaned: Mapping[str, object], gold: Mapping[str, dict], raw: Mapping[str, str]) -> dict[str, float]:
    """Figures of score_seeds.py's cleaning part; `cleaned` maps file name to a cleaned Document."""
    kept_body = tot_body = kept_boiler = tot_boiler = titles_ok = titles = 0
    for f, g in gold.items():
        lines_raw = raw[f].split("\n")
        d = cleaned.get(f)
        body = getattr(d, "clean_text", None) or ""
        text = norm(body)
        lines = {norm(x) for x in body.split("\n")}
        for n in g["body_lines"]:
            tot_body += 1
            kept_body += norm(lines_raw[n - 1]) in text
        for n in g["boilerplate_lines"]:
            line = norm(lines_raw[int(n) - 1])
            tot_boiler += 1
            kept_boiler += line in lines or (len(line) >= 25 and line in text)
        if g["title"]:
            titles += 1
            titles_ok += norm(getattr(d, "title", None)) == norm(g["title"])
    rec = kept_body / tot_body
    prec = kept_body / max(1, kept_body + kept_boiler)
    return {"clean_body_recall": rec, "clean_boilerplate_removed": 1 - kept_boiler / tot_boiler,
            "clean_f1": 2 * prec * rec / max(1e-9, prec + rec), "title_accuracy": titles_ok / titles}


def load_seed_documents() -> tuple[list, dict, dict]:
    """The five samples as text Documents (source_uri = file path), their gold and raw texts."""
    from tasks.records import Document

    gold = json.loads((SHARED / "gold" / "cleaning.json").read_text(encoding="utf-8"))["documents"]
    raw = {f: (SHARED / "seeds" / f).read_text(encoding="utf-8") for f in gold}
    docs = [Document(doc_id=f, source_uri=str(SHARED / "seeds" / f), raw_text=raw[f], content_type="text")
            for f in sorted(gold)]
    return docs, gold, raw


def load_dev() -> tuple[dict, dict]:
    """(page-text, ground-truth) of the article-extraction dev corpus."""
    pages = json.loads((DEV / "page-text.json").read_text(encoding="utf-8"))
    truth = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
    return pages, truth


def load_dev_html(page_id: str) -> str:
    return gzip.decompress((DEV / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")


def dev_text_scores(config=None, line_model=None, ids: Iterable[str] | None = None) -> dict[str, float]:
    """The text path over the dev pages' visible text (each page alone, site from its URL)."""
    return shingle_scores(dev_text_pairs(config, line_model, ids))


def dev_text_pairs(config=None, line_model=None, ids: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(cleaned page text, gold body) for the dev pages."""
    from tasks.records import Document

    from .batch import clean_text_document
    from .classifier import load_default_model
    from .config import CleanConfig
    from .state import CleanState

    config = config or CleanConfig()
    if line_model is None and config.use_line_model:
        line_model = load_default_model()
    pages, truth = load_dev()
    pairs = []
    for k in sorted(ids if ids is not None else pages):
        d = Document(doc_id=k, source_uri=truth[k].get("url", ""), raw_text=pages[k]["articleBody"])
        clean_text_document(d, config=config, state=CleanState(), line_model=line_model)
        pairs.append((d.clean_text or "", truth[k]["articleBody"]))
    return pairs


def dev_html_scores(config=None) -> dict[str, float]:
    from .config import CleanConfig
    from .html import extract_html

    config = config or CleanConfig()
    _, truth = load_dev()
    pairs = [(extract_html(load_dev_html(k), config=config, url=truth[k].get("url")).body, truth[k]["articleBody"])
             for k in sorted(truth)]
    return shingle_scores(pairs)


def main() -> int:
    from .batch import clean_batch
    from .config import CleanConfig
    from .state import CleanState

    docs, gold, raw = load_seed_documents()
    clean_batch(docs, CleanConfig(), CleanState())
    by = {d.doc_id: d for d in docs}
    print("seeds:", {k: round(v, 3) for k, v in seed_scores(by, gold, raw).items()},
          "published_000:", by["000_6434d27c1471fe00.txt"].published_at)
    if DEV.exists():
        print("dev text (rules only):", {k: round(v, 3) for k, v in dev_text_scores(CleanConfig(use_line_model=False)).items()})
        print("dev text (shipped model):", {k: round(v, 3) for k, v in dev_text_scores().items()})
        if "--html" in sys.argv:
            print("dev html:", {k: round(v, 3) for k, v in dev_html_scores().items()})
    from .wire_loss import NER_DEV, entity_losses, load_stories

    if NER_DEV.exists():
        got = entity_losses(load_stories())
        print(f"CoNLL dev gold entities on kept lines: {got['share_kept']:.3f}", got["lost_by_reason"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
