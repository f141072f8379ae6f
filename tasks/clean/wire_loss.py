"""How many gold entities of wire copy the cleaner keeps (CoNLL-2003 dev, no NLP needed).

    .venv/bin/python -m tasks.clean.wire_loss            # share kept, lost by reason
    .venv/bin/python -m tasks.clean.wire_loss --show 20  # ... and 20 removed lines that held entities

The stories of ../shared/corpora/ner-dev are cleaned as `newsdag ingest` cleans the JSONL the
entity scorer writes (one batch, one site, text path). A gold entity is kept when the raw line it
sits on is kept (not in `removed_lines`) or is the headline that became the document's title (its
names are mentions with `field = 'title'`), and its story is not rejected. This is the cleaning part
of `score_entities.py`'s end-to-end loss; the entity layer's part is measured by that scorer.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from .evaluate import SHARED

NER_DEV = SHARED / "corpora" / "ner-dev" / "conll2003_dev.jsonl"
URL_PREFIX = "https://ner-dev.example/conll2003/"  # as score_entities.py writes the stories


def load_stories(path=NER_DEV) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def entity_losses(stories: list[dict], config=None) -> dict:
    """{kept, total, share_kept, lost_by_reason, examples: [(reason, line, n_entities)]}."""
    from tasks.records import Document

    from .batch import clean_batch
    from .config import CleanConfig
    from .state import CleanState

    docs = [Document(doc_id=s["id"], source_uri=URL_PREFIX + s["id"], raw_text=s["text"],
                     site="ner-dev.example") for s in stories]
    clean_batch(docs, config or CleanConfig(), CleanState())
    total = kept = 0
    lost: Counter[str] = Counter()
    examples: Counter[tuple[str, str]] = Counter()
    for s, d in zip(stories, docs):
        starts = [0]
        for i, c in enumerate(s["text"]):
            if c == "\n":
                starts.append(i + 1)
        removed = {r.line_no: r for r in d.removed_lines if r.line_no is not None}
        for e in s["entities"]:
            total += 1
            line_no = sum(1 for x in starts if x <= e["start"])
            if not d.is_ok:
                lost[f"rejected:{d.status_reason}"] += 1
            elif line_no in removed and not (removed[line_no].reason == "title" and removed[line_no].text.strip() == d.title):
                r = removed[line_no]
                lost[r.reason] += 1
                examples[(r.reason, r.text[:100])] += 1
            else:  # in clean_text, or in the headline that became the title (its names are title mentions)
                kept += 1
    return {"kept": kept, "total": total, "share_kept": kept / max(total, 1),
            "lost_by_reason": dict(lost.most_common()),
            "examples": [(r, t, n) for (r, t), n in examples.most_common()]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", type=int, default=0, help="print this many removed lines that held gold entities")
    a = ap.parse_args(argv)
    if not NER_DEV.exists():
        print(f"{NER_DEV} is absent", file=sys.stderr)
        return 1
    got = entity_losses(load_stories())
    print(f"gold entities kept: {got['kept']}/{got['total']} = {got['share_kept']:.3f}")
    print("lost by reason:", got["lost_by_reason"])
    for r, t, n in got["examples"][: a.show]:
        print(f"  {r:14} {n:3}  {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
