"""Fit the pair model on ECB+ dev and report cross-validated figures (folds are whole topics).

    .venv/bin/python -m tasks.stories.train_pair_model [--corpus ../shared/corpora/ecbplus-dev/docs.jsonl]
                                           [--write tasks/stories/pair_model.json]

The documents go through the stages a run uses (reader on a JSONL of {id, text}, cleaning,
dedup, the NLP parse), so the features are those `newsdag ingest` computes. Training pairs are
the candidate pairs of the stage (a shared index key, within the date window); the label is
"same gold cluster". Cross-validation holds out whole topics (5 folds): pair AUC, and B-cubed F1
of the clustering the stage would make (average link in components at the threshold) over all
documents, duplicates joining their first copy and rejected documents as singletons.
ECB+ (Cybulska & Vossen 2014) is CC BY 3.0; only the fitted weights are kept.
"""
from __future__ import annotations

import argparse
import json
import pickle
import tempfile
from dataclasses import replace
from collections import defaultdict
from pathlib import Path

import numpy as np

from tasks.stories.config import DEFAULT_MODEL, StoryConfig
from tasks.stories.features import story_features
from tasks.stories.linkage import average_link, components
from tasks.stories.pairs import FEATURES, pair_features, within_window

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "ecbplus-dev" / "docs.jsonl"


def ecb_text(record: dict) -> str:
    """The document's sentences; sentence 0 of an ecbplus document is its source URL, not text."""
    return "\n".join(record["sentences"][1:] if record["first_line_is_url"] else record["sentences"])


def write_jsonl(records: list[dict], path: Path) -> Path:
    """The records as a crawler would write them: {id, text} per line."""
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({"id": r["doc_id"], "text": ecb_text(r)}, ensure_ascii=False) + "\n")
    return path


def processed(records: list[dict]):
    """(documents, parsed by doc_id, gold id by doc_id) through read, clean, dedup and parse."""
    from tasks.clean import CleanConfig, CleanState, clean_batch
    from tasks.dedup import DedupState, deduplicate_batch
    from tasks.nlp import NlpConfig, parse_batch
    from tasks.read import read_file

    with tempfile.TemporaryDirectory() as tmp:
        docs = list(read_file(write_jsonl(records, Path(tmp) / "docs.jsonl")))
    clean_batch(docs, CleanConfig(), CleanState())
    deduplicate_batch(docs, state=DedupState())
    items = [{"doc_id": d.doc_id, "clean_text": d.clean_text, "published_at": d.published_at, "site": d.site,
              "title": d.title} for d in docs if d.is_ok]
    parsed = {p.doc_id: p for p in parse_batch(items, NlpConfig(n_process=1))}
    return docs, parsed


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of `pred` (item -> cluster) against `gold`."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item in gold:
        by_pred[pred[item]].add(item)
        by_gold[gold[item]].add(item)
    p = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_pred[pred[i]]) for i in gold) / len(gold)
    r = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in gold) / len(gold)
    return p, r, 2 * p * r / (p + r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--write", type=Path, default=None, help=f"write the weights here (e.g. {DEFAULT_MODEL})")
    parser.add_argument("--cache", type=Path, default=None, help="keep the parsed corpus here (pickle) between runs")
    parser.add_argument("--quote-min-windows", type=int, default=None, help="try another quote_mismatch_min_windows")
    parser.add_argument("--fixed", action="append", default=[], metavar="FEATURE=WEIGHT",
                        help="a weight set by hand, not fitted (a prior the corpus cannot inform)")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic regression")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    config = StoryConfig()
    if args.quote_min_windows is not None:
        config = replace(config, quote_mismatch_min_windows=args.quote_min_windows)
    records = [json.loads(line) for line in args.corpus.open(encoding="utf-8")]
    by_gold_id = {r["doc_id"]: r for r in records}
    if args.cache and args.cache.exists():
        docs, parsed = pickle.loads(args.cache.read_bytes())
    else:
        docs, parsed = processed(records)
        if args.cache:
            args.cache.write_bytes(pickle.dumps((docs, parsed)))
    gold_id = {d.doc_id: d.notes["id"] for d in docs}
    ok = [d for d in docs if d.is_ok]
    feats = {d.doc_id: story_features(d, parsed.get(d.doc_id), config) for d in ok}
    keys = {d: f.index_keys(config.index_terms) for d, f in feats.items()}
    ids = sorted(feats)
    pairs, x, y = [], [], []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if keys[a] & keys[b] and within_window(feats[a], feats[b], config):
                pairs.append((a, b))
                x.append(pair_features(feats[a], feats[b], config))
                y.append(by_gold_id[gold_id[a]]["cluster"] == by_gold_id[gold_id[b]]["cluster"])
    x, y = np.array(x), np.array(y)
    fixed = {k: float(v) for k, v in (f.split("=") for f in args.fixed)}
    fitted = [i for i, name in enumerate(FEATURES) if name not in fixed]
    offset = sum(w * x[:, FEATURES.index(name)] for name, w in fixed.items()) if fixed else np.zeros(len(y))

    def fit(rows: np.ndarray):
        return LogisticRegression(C=args.c, max_iter=5000).fit(x[rows][:, fitted], y[rows])

    def predict(model, rows: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(model.decision_function(x[rows][:, fitted]) + offset[rows])))
    topic = np.array([by_gold_id[gold_id[a]]["topic"] for a, _ in pairs])
    topics = sorted(set(topic))
    folds = [topics[k::5] for k in range(5)]
    cv = np.zeros(len(y))
    for fold in folds:
        test = np.isin(topic, fold)
        cv[test] = predict(fit(~test), test)
    print(f"{len(ok)} ok documents, {len(pairs)} candidate pairs ({int(y.sum())} same story)")
    print(f"cross-validated by topic (5 folds): pair AUC {roc_auc_score(y, cv):.4f}")

    def clustering(prob: np.ndarray, in_topics: set[int], threshold: float = config.threshold) -> tuple[float, float, float]:
        scores = {p: round(float(s), 6) for p, s in zip(pairs, prob) if s >= config.min_pair_score}
        strong = [p for p, s in scores.items() if s >= threshold]
        story = {}
        for comp in components(ids, strong):
            for cluster in average_link(comp, scores, threshold):
                story.update(dict.fromkeys(cluster, cluster[0]))
        pred, gold = {}, {}
        for d in docs:
            g = by_gold_id[gold_id[d.doc_id]]
            if g["topic"] not in in_topics:
                continue
            gold[g["doc_id"]] = g["cluster"]
            pred[g["doc_id"]] = story.get(d.duplicate_of or d.doc_id, d.doc_id)
        return bcubed(pred, gold)

    odd = {t for t in topics if t % 2}
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        print(f"  threshold {threshold:.2f}: cross-validated B-cubed F1 all {clustering(cv, set(topics), threshold)[2]:.3f}"
              f" odd {clustering(cv, odd, threshold)[2]:.3f} even {clustering(cv, set(topics) - odd, threshold)[2]:.3f}")
    for name, part in (("all", set(topics)), ("odd", odd), ("even", set(topics) - odd)):
        p, r, f1 = clustering(cv, part)
        print(f"cross-validated B-cubed, {name} topics: P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    everything = np.ones(len(y), dtype=bool)
    model = fit(everything)
    p, r, f1 = clustering(predict(model, everything), set(topics))
    weights = dict(fixed)
    weights.update({FEATURES[i]: float(w) for i, w in zip(fitted, model.coef_[0])})
    print(f"fitted on all topics (not held out): B-cubed P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    for name in FEATURES:
        print(f"  {name:16s} {weights[name]:+.3f}{'  (fixed)' if name in fixed else ''}")
    print(f"  {'bias':16s} {model.intercept_[0]:+.3f}")
    if args.write:
        args.write.write_text(json.dumps({
            "features": list(FEATURES), "weights": [round(weights[name], 6) for name in FEATURES],
            "fixed": fixed,
            "bias": round(float(model.intercept_[0]), 6), "trained_on": "ECB+ dev topics 1-22 (CC BY 3.0)",
            "command": "python -m tasks.stories.train_pair_model " + " ".join(f"--fixed {f}" for f in args.fixed)
                       + " --write tasks/stories/pair_model.json",
        }, indent=1) + "\n", encoding="utf-8")
        print("wrote", args.write)


if __name__ == "__main__":
    main()
