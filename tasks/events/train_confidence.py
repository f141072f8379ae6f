"""Fit the event confidence model (`confidence.json`) and report it cross-validated.

    .venv/bin/python -m tasks.events.train_confidence [--folds 5] [--check]

Data: the PLOVER gold-standard dev sentences (../shared/corpora/events-dev, CC BY-SA 4.0): every
event mention the extractor finds there is one example, labelled right when its type is one of
the types coded on its sentence (the scorer's notion of a true positive). Features: the coarse
ones of `confidence.feature_names` (type, trigger kind, mood, main or background clause, parties
found, dated). Model: L2-regularised logistic regression (scikit-learn), C small enough that a
weight needs many examples to move far from zero.

Reported: out-of-fold figures over sentence folds (the model never scores a sentence it was
fitted on): precision of mentions at confidence >= 0.5 and how many there are, Brier score, and
a reliability table. The weights written are then fitted on all dev sentences; `--check` only
reports. Only the weights file is committed; nothing is downloaded.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from tasks.events.confidence import WEIGHTS, feature_names

C = 0.5  # inverse regularisation strength


def examples(parsed: list, units: list[dict]) -> list[tuple[str, list[str], int]]:
    """(sentence key, feature names, right?) for every event mention on the gold sentences."""
    gold = {u["key"]: {e["type"] for e in u["gold"]} for u in units}
    out = []
    for p in parsed:
        for e in p.events:
            if e.event_type == "TRADE":  # not scored: no label
                continue
            out.append((p.doc_id, feature_names(e.features), int(e.event_type in gold.get(p.doc_id, set()))))
    return out


def fit(rows: list[tuple[str, list[str], int]]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in feats} for _, feats, _ in rows])
    y = [label for *_, label in rows]
    model = LogisticRegression(C=C, max_iter=1000)
    model.fit(x, y)
    return vec, model


def predict(vec, model, feats: list[str]) -> float:
    return float(model.predict_proba(vec.transform([{f: 1 for f in feats}]))[0, 1])


def cross_validate(rows: list, folds: int, seed: int = 0) -> dict:
    keys = sorted({k for k, _, _ in rows})
    random.Random(seed).shuffle(keys)
    fold_of = {k: i % folds for i, k in enumerate(keys)}
    scored = []
    for f in range(folds):
        train = [r for r in rows if fold_of[r[0]] != f]
        test = [r for r in rows if fold_of[r[0]] == f]
        if not test or len({r[2] for r in train}) < 2:
            continue
        vec, model = fit(train)
        scored.extend((predict(vec, model, feats), label) for _, feats, label in test)
    above = [label for p, label in scored if p >= 0.5]
    bins = []
    for lo in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9):
        hi = {0.0: 0.5, 0.5: 0.6, 0.6: 0.7, 0.7: 0.8, 0.8: 0.9, 0.9: 1.01}[lo]
        sel = [(p, label) for p, label in scored if lo <= p < hi]
        if sel:
            bins.append({"from": lo, "to": min(hi, 1.0), "n": len(sel), "mean_confidence": round(sum(p for p, _ in sel) / len(sel), 3),
                         "share_right": round(sum(label for _, label in sel) / len(sel), 3)})
    return {"folds": folds, "mentions": len(scored), "mentions_at_0.5": len(above),
            "precision_at_0.5": round(sum(above) / max(1, len(above)), 4),
            "precision_all": round(sum(label for _, label in scored) / max(1, len(scored)), 4),
            "brier": round(sum((p - label) ** 2 for p, label in scored) / max(1, len(scored)), 4), "reliability": bins}


def main(argv=None) -> int:
    from tasks.events.evaluate import GSR_DEV, load_units, parse_units, scorer

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--check", action="store_true", help="report the cross-validated figures, write nothing")
    ap.add_argument("--out", default=str(WEIGHTS))
    a = ap.parse_args(argv)
    if scorer() is None or not Path(GSR_DEV).exists():
        print("no PLOVER dev sentences beside the project: nothing to fit")
        return 0
    units = load_units()
    rows = examples(parse_units(units), units)
    cv = cross_validate(rows, a.folds)
    print(json.dumps(cv, indent=1))
    if a.check:
        return 0
    vec, model = fit(rows)
    weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), model.coef_[0])}
    data = {
        "about": "Logistic model of an event mention being right (its type coded on its sentence), fitted by "
                 "tasks/events/train_confidence.py on the PLOVER gold-standard dev sentences (CC BY-SA 4.0, "
                 "github.com/openeventdata/PLOVER); features: tasks/events/confidence.py feature_names. "
                 "cross_validated: out-of-fold figures over sentence folds.",
        "bias": round(float(model.intercept_[0]), 4), "weights": dict(sorted(weights.items())),
        "regularisation_C": C, "examples": len(rows), "cross_validated": cv,
    }
    Path(a.out).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {a.out}: {len(weights)} weights from {len(rows)} mentions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
