"""Fit tasks/nlp/speaker_ranker.json: the logistic speaker ranker of tasks/nlp/speaker_ranker.py.

On PolNeAR's train compartment: every quote's candidates and features (QuoteAttributor with
keep_candidates), matched to gold quotes with the team scorer's functions; a candidate is
right when the scorer would count it as the speaker of its matched gold quote (gold sources that
cannot be named are left out). Two logistic models (scikit-learn): the ranker, over pairwise
differences between a right and a wrong candidate of one quote (no intercept: a linear score
whose best candidate is the choice), and the confidence model, of the choice being right, fitted
on choices the ranker made for articles it was not fitted on. Cross-validated by article
(GroupKFold, the confidence model's training choices from an inner split): the held-out figures
at several thresholds are printed, and the smallest threshold at which held-out speaker
precision reaches `--precision` is stored with its figures. The weights written are fits on all
of train. The previous quote's speaker (a feature) is the shipped ranker's choice, as at run
time, so a refit reads the last one's choices (`--fresh`: the paths' choices, a first round).

    .venv/bin/python scripts/fit_speaker_ranker.py --db W/quotes.duckdb --cache W/docs.spacy \\
        --gold ../shared/corpora/quotes-dev/train.jsonl [--write]

(W from scripts/quotes_dev.py: the train DuckDB built by score_quotes.py --workdir and a DocBin cache.)
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

OUT = ROOT / "tasks" / "nlp" / "speaker_ranker.json"


def collect(db: str, gold: str, cache: Path, weights: dict | None = None) -> list[dict]:
    """One row per matched quote with a nameable gold source: article, kind (named/resolved),
    candidates [(feats, right)], and for scripts/quotes_ceiling.py the source entity as newsdag's
    parse reads it (`source_name`, `clean`: whether each candidate names it; see SourceNames). With `weights` (the shipped ranker) a quote's previous speaker
    is the ranker's choice for the quote before, as at run time; without, the path's."""
    from quotes_dev import SourceNames, parse_cached, read_docs, same_speaker, scorer

    from tasks.nlp.config import NlpConfig
    from tasks.nlp.coref import References
    from tasks.nlp.document import ParsedText
    from tasks.nlp.entities import Lexicon
    from tasks.nlp.mentions import MentionIndex
    from tasks.nlp.quotes import QuoteAttributor

    sq = scorer()
    config = NlpConfig(n_process=1)
    docs = read_docs(db)
    chunks, nlp = parse_cached(docs, cache, config)
    lexicon = Lexicon.from_config(config)
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    arts = sq.load_articles(gold)
    _, golds = sq.build(arts, {a["name"]: a["name"] for a in arts})
    by_name = {d["source_uri"].rsplit("/", 1)[-1]: d for d in docs}
    rows = []
    for a in arts:
        d = by_name.get(a["name"])
        if d is None:
            continue
        text = d["clean_text"] or ""
        doc = ParsedText(text, chunks.get(d["doc_id"], []), lemmatizer)
        refs = References(doc, MentionIndex(doc, config, lexicon), lexicon)
        quotes = QuoteAttributor(doc, refs, lexicon, 0.0, weights=weights, keep_candidates=True).extract()
        P = [{"quote": q.quote} for q in quotes]
        G = golds[a["name"]]
        sources = SourceNames(a, sq, text, doc, refs)
        for i, j, _ in sq.match(P, G):
            g = G[j]
            if not g["resolved"]:
                continue
            cands = getattr(quotes[i], "candidates", [])
            src = sources.name_of(g)
            rows.append({"article": a["name"], "kind": "named" if g["named"] else "resolved", "source_name": src,
                         "clean": [None if src is None else same_speaker(cd.name, src) for cd in cands],
                         "cands": [(cd.feats, sq.speaker_ok(cd.name, g["resolved"])) for cd in cands],
                         "names": [cd.name for cd in cands], "gold": g["speaker"], "resolved": g["resolved"],
                         "at": (quotes[i].start, quotes[i].end), "text": text})
    return rows


def pairs(rows: list[dict], idx) -> tuple[list[dict], list[int]]:
    """Pairwise differences (right - wrong and wrong - right) of the candidates of each quote in
    `idx` that has both: a logistic model over them is a ranker (no intercept)."""
    X, y = [], []
    for k in idx:
        cands = rows[k]["cands"]
        for fp, okp in cands:
            if not okp:
                continue
            for fn, okn in cands:
                if okn:
                    continue
                d = {f: fp.get(f, 0.0) - fn.get(f, 0.0) for f in fp.keys() | fn.keys()}
                X.append(d)
                y.append(1)
                X.append({f: -v for f, v in d.items()})
                y.append(0)
    return X, y


def fit(X, y, C: float, intercept: bool = True) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    model = LogisticRegression(C=C, max_iter=5000, fit_intercept=intercept)
    model.fit(vec.fit_transform(X), y)
    return {"intercept": round(float(model.intercept_[0]), 5) if intercept else 0.0,
            "coef": {n: round(float(w), 5) for n, w in zip(vec.feature_names_, model.coef_[0]) if w}}


def quote_confidence_rows(rows, idx, rank) -> tuple[list[dict], list[int]]:
    """Confidence features and rightness of the ranker's choice for each quote in `idx`."""
    from tasks.nlp.speaker_ranker import Candidate, confidence_features, rank_score

    X, y = [], []
    for k in idx:
        cands = rows[k]["cands"]
        if not cands:
            X.append(None)
            y.append(0)
            continue
        scores = [rank_score(f, rank) for f, _ in cands]
        b = max(range(len(cands)), key=scores.__getitem__)
        X.append(confidence_features(scores, Candidate("", "", cands[b][0])))
        y.append(int(cands[b][1]))
    return X, y


def figures(rows, best, threshold: float) -> dict:
    """Held-out figures at a threshold: best = [(probability, right)] per row."""
    c = Counter()
    for r, (p, ok) in zip(rows, best):
        c[r["kind"] + "_n"] += 1
        if p is not None and p >= threshold:
            c["kept"] += 1
            c["kept_ok"] += ok
            c[r["kind"] + "_ok"] += ok
    return {"threshold": threshold, "precision": round(c["kept_ok"] / max(1, c["kept"]), 4),
            "named": round(c["named_ok"] / max(1, c["named_n"]), 4), "named_n": c["named_n"],
            "resolved": round(c["resolved_ok"] / max(1, c["resolved_n"]), 4), "resolved_n": c["resolved_n"],
            "kept": c["kept"]}


def held_out(rows, folds, C: float) -> list[tuple[float | None, bool]]:
    """(confidence, right) of each quote's choice, both models fitted without its article:
    the ranker on the other folds; the confidence model on the other folds' held-out choices
    (the ranker's scores on them from an inner split)."""
    from sklearn.model_selection import GroupKFold

    from tasks.nlp.speaker_ranker import probability

    groups = [r["article"] for r in rows]
    out: list[tuple[float | None, bool]] = [(None, False)] * len(rows)
    outer = list(GroupKFold(n_splits=folds).split(rows, groups=groups))
    for tr, te in outer:
        rank = fit(*pairs(rows, tr), C, intercept=False)
        # the confidence model learns from choices the ranker made on articles it did not see
        cx, cy = [], []
        for itr, ite in GroupKFold(n_splits=folds - 1).split(tr, groups=[groups[i] for i in tr]):
            inner = fit(*pairs(rows, [tr[i] for i in itr]), C, intercept=False)
            x, y = quote_confidence_rows(rows, [tr[i] for i in ite], inner)
            cx += [a for a in x if a is not None]
            cy += [b for a, b in zip(x, y) if a is not None]
        conf = fit(cx, cy, C)
        x, y = quote_confidence_rows(rows, te, rank)
        for k, xi, yi in zip(te, x, y):
            out[k] = (None if xi is None else probability(xi, conf), bool(yi))
    return out


def main(argv=None) -> int:
    from quotes_dev import corpus_parser
    from sklearn.model_selection import GroupKFold

    ap = corpus_parser(__doc__)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--precision", type=float, default=0.955, help="held-out speaker precision the threshold must reach")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--fresh", action="store_true", help="ignore the shipped weights (first round)")
    a = ap.parse_args(argv)
    from tasks.nlp.speaker_ranker import load_weights

    # the previous quote's speaker is the ranker's choice at run time: fitted in two rounds,
    # the second reading the first round's choices (--fresh: start from the path's choices)
    rows = collect(a.db, a.gold, a.cache, None if a.fresh else load_weights())
    n_cands = sum(len(r["cands"]) for r in rows)
    oracle = figures(rows, [(1.0, any(ok for _, ok in r["cands"])) for r in rows], 0.5)
    print(f"{len(rows)} matched quotes with a nameable source, {n_cands} candidates; a right candidate exists for "
          f"named {oracle['named']:.4f}, pronoun/description {oracle['resolved']:.4f}")
    best = held_out(rows, a.folds, a.C)
    print(f"  held out, every choice kept: {figures(rows, best, 0.0)}")
    threshold = None
    for t in [x / 100 for x in range(5, 100)]:
        f = figures(rows, best, t)
        if t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            print(f"  held out at {t:.2f}: {f}")
        if threshold is None and f["precision"] >= a.precision:
            threshold = t
    threshold = threshold if threshold is not None else 0.99
    cv = figures(rows, best, threshold)
    print(f"cross-validated ({a.folds} folds by article), threshold {threshold:.2f} (held-out precision >= {a.precision}): {cv}")
    # the shipped models: the ranker on all of train, the confidence model on held-out choices
    rank = fit(*pairs(rows, range(len(rows))), a.C, intercept=False)
    cx, cy = [], []
    for tr, te in GroupKFold(n_splits=a.folds).split(rows, groups=[r["article"] for r in rows]):
        x, y = quote_confidence_rows(rows, te, fit(*pairs(rows, tr), a.C, intercept=False))
        cx += [xi for xi in x if xi is not None]
        cy += [yi for xi, yi in zip(x, y) if xi is not None]
    conf = fit(cx, cy, a.C)
    for name, w in sorted(rank["coef"].items(), key=lambda kv: -abs(kv[1]))[:30]:
        print(f"  rank {name:28s} {w:+.3f}")
    for name, w in sorted(conf["coef"].items(), key=lambda kv: -abs(kv[1])):
        print(f"  confidence {name:22s} {w:+.3f}")
    if a.write:
        OUT.write_text(json.dumps({
            "about": "Speaker ranker (tasks/nlp/speaker_ranker.py) fitted on PolNeAR train by scripts/fit_speaker_ranker.py: "
                     "rank = logistic model over pairwise candidate differences (a linear score), confidence = logistic "
                     "model of the choice being right, fitted on held-out choices; threshold_for_precision = smallest "
                     f"confidence at which held-out speaker precision reaches {a.precision} (the run-time threshold is the "
                     f"setting nlp.quote_min_confidence); cv = {a.folds}-fold by article, held out, at that threshold.",
            "threshold_for_precision": threshold, "C": a.C, "cv": cv, "n_quotes": len(rows), "n_candidates": n_cands,
            "rank": rank, "confidence": conf}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
