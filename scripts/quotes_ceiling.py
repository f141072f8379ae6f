"""Where newsdag's quote speaker figures are lost on PolNeAR, step by step from the gold.

The scorer (../shared/tools/score_quotes.py) counts a speaker right when it shares a word with the
"name keys" of the gold source span: its capitalised words other than titles and party words,
less a first word followed by a lower-case one. So "Weingarten, a longtime Clinton supporter"
credits Clinton, not Weingarten; "Trump and Ryan" credits Ryan; "O'Malley" and "Lopez-Cantera"
(one key, split in two by the scorer's word pattern) credit no name at all. This script measures,
for the matched gold quotes, one row per step from the gold down to newsdag's choice:

  gold span text     the scorer on the source span's own text (its upper bound)
  true entity        the scorer on the canonical name of the entity the source span names, read
                     off newsdag's parse (quotes_dev.SourceNames: the mention at the span's
                     syntactic root, else in apposition, else its possessor). A lower bound of
                     what a system naming the real speaker would score: where the reading finds
                     no entity at the span (a transcript tag, a name tagged only elsewhere) it
                     counts as a miss; read its misses before taking it for the scorer's limit
  true in cands      the real speaker is among newsdag's candidates for the quote
  scorer in cands    some candidate passes the scorer
  ranker             newsdag's ranker's best candidate, every choice kept (threshold 0)

    .venv/bin/python scripts/quotes_ceiling.py --db W/quotes.duckdb --cache W/docs.spacy \\
        --gold ../shared/corpora/quotes-dev/articles.jsonl

(W from scripts/quotes_dev.py.) Pronoun and description sources ("resolved") are scored, as the
scorer does, against the nearest earlier named gold source.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def ceiling(rows: list[dict], weights: dict) -> dict:
    """{kind: {step: share of the kind's matched quotes}} for the steps in the module docstring."""
    from quotes_dev import scorer

    from tasks.nlp.speaker_ranker import rank_score

    sq = scorer()
    c: Counter = Counter()
    for r in rows:
        k = r["kind"]
        c[k] += 1
        c[k, "gold span text"] += sq.speaker_ok(r["resolved"], r["resolved"])
        c[k, "true entity"] += bool(r["source_name"]) and sq.speaker_ok(r["source_name"], r["resolved"])
        c[k, "true in cands"] += any(r["clean"])
        c[k, "scorer in cands"] += any(ok for _, ok in r["cands"])
        if r["cands"]:
            scores = [rank_score(f, weights["rank"]) for f, _ in r["cands"]]
            c[k, "ranker"] += r["cands"][max(range(len(scores)), key=scores.__getitem__)][1]
    steps = ("gold span text", "true entity", "true in cands", "scorer in cands", "ranker")
    return {k: {"n": c[k], **{s: round(c[k, s] / max(1, c[k]), 4) for s in steps}} for k in ("named", "resolved")}


def main(argv=None) -> int:
    from fit_speaker_ranker import collect
    from quotes_dev import corpus_parser

    from tasks.nlp.speaker_ranker import load_weights

    a = corpus_parser(__doc__).parse_args(argv)
    weights = load_weights()
    if weights is None:
        sys.exit("no speaker ranker weights (tasks/nlp/speaker_ranker.json)")
    print(json.dumps(ceiling(collect(a.db, a.gold, a.cache, weights), weights), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
