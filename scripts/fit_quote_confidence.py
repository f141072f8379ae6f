"""Fit tasks/nlp/quote_confidence.json: how often each attribution path names the right speaker
(the fallback when the speaker ranker's weights, tasks/nlp/speaker_ranker.json, are absent).

Runs the attribution on PolNeAR's train compartment with every speaker kept
(quote_min_confidence 0), matches the quotes to gold with the team scorer's functions and, per
path ("cue:name", "cue:pronoun", "continued:open", ...), counts matched quotes whose gold source
can be named and how many of them got the right speaker. The confidence of a path is its
smoothed accuracy (ok + 1) / (n + 2). Cross-validated by article (5 folds): the table fitted on
four folds sets which speakers the fifth keeps at `--threshold`, and the held-out speaker
precision and accuracy are printed, so the figure is not read off the data it was fitted on.

    .venv/bin/python scripts/fit_quote_confidence.py --db W/quotes.duckdb --cache W/docs.spacy \
        --gold ../shared/corpora/quotes-dev/train.jsonl [--write]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

OUT = ROOT / "tasks" / "nlp" / "quote_confidence.json"


def outcomes(arts, golds, preds, sq) -> list[tuple[str, str, bool, str]]:
    """(article, path, correct, kind) for every matched quote with a speaker and a resolvable gold source."""
    out = []
    for a in arts:
        P, G = preds[a["name"]], golds[a["name"]]
        for i, j, _ in sq.match(P, G):
            g, p = G[j], P[i]
            if g["resolved"] and p["speaker"]:
                out.append((a["name"], p["path"], sq.speaker_ok(p["speaker"], g["resolved"]), "named" if g["named"] else "resolved"))
    return out


def table(rows) -> dict[str, list[int]]:
    t: dict[str, list[int]] = {}
    for _, path, ok, _ in rows:
        n_ok = t.setdefault(path, [0, 0])
        n_ok[0] += 1
        n_ok[1] += ok
    return t


def confidence(t: dict[str, list[int]]) -> dict[str, float]:
    return {path: round((ok + 1) / (n + 2), 4) for path, (n, ok) in sorted(t.items())}


def main(argv=None) -> int:
    from quotes_dev import corpus_parser, predict, scorer

    ap = corpus_parser(__doc__)
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args(argv)
    sq = scorer()
    arts, golds, preds = predict(a.db, a.gold, a.cache, paths_only=True, quote_min_confidence=0.0)
    rows = outcomes(arts, golds, preds, sq)
    names = sorted({a["name"] for a in arts})
    fold_of = {n: k % a.folds for k, n in enumerate(names)}
    n_named = Counter()
    for a_ in arts:
        for g in golds[a_["name"]]:
            if g["resolved"]:
                n_named["named" if g["named"] else "resolved"] += 0  # counted below from matches
    # held-out precision / accuracy at the threshold
    kept = Counter()
    for k in range(a.folds):
        conf = confidence(table([r for r in rows if fold_of[r[0]] != k]))
        for name, path, ok, kind in rows:
            if fold_of[name] == k and conf.get(path, 0.0) >= a.threshold:
                kept["n"] += 1
                kept["ok"] += ok
                kept[kind + "_ok"] += ok
    matched = Counter()
    for a_ in arts:
        P, G = preds[a_["name"]], golds[a_["name"]]
        for i, j, _ in sq.match(P, G):
            g = G[j]
            if g["resolved"]:
                matched["named" if g["named"] else "resolved"] += 1
    full = table(rows)
    for path, (n, ok) in sorted(full.items(), key=lambda kv: -kv[1][0]):
        print(f"{path:32s} n {n:5d}  accuracy {ok / n:.3f}")
    print(f"cross-validated ({a.folds} folds by article) at threshold {a.threshold}: speaker precision "
          f"{kept['ok'] / max(1, kept['n']):.4f} on {kept['n']} kept speakers; accuracy named "
          f"{kept['named_ok'] / max(1, matched['named']):.4f} (n {matched['named']}), resolved "
          f"{kept['resolved_ok'] / max(1, matched['resolved']):.4f} (n {matched['resolved']})")
    if a.write:
        OUT.write_text(json.dumps({
            "about": "Share of right speakers per attribution path on PolNeAR train, smoothed (ok + 1) / (n + 2); "
                     "built by scripts/fit_quote_confidence.py. counts: [matched quotes, right speakers].",
            "confidence": confidence(full), "counts": full}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
