"""Retrain the line model shipped as tasks/clean/line_model.json.

    .venv/bin/python -m tasks.clean.train_line_model            # cross-validate, then fit on all pages and write
    .venv/bin/python -m tasks.clean.train_line_model --cv-only  # only the 5-fold-by-page figures

Data: ../shared/corpora/article-extraction-dev (page-text.json, ground-truth.json). Only lines the
rules keep are training rows (the model only ever removes what the rules kept); a line is labelled
body when its normalised text occurs in the page's gold articleBody. The honest figure is the
cross-validated one (pages held out, fixed seed): it is printed and stored in the JSON's "meta";
the figure of the shipped model on the same pages is a training fit and says less.
Needs scikit-learn (training only; inference is numpy).
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from .classifier import MODEL_PATH, LineModel, line_features
from .config import CleanConfig
from .evaluate import dev_text_pairs, load_dev, norm, shingle_scores
from .text import apply_rules

SEED = 0
FOLDS = 5
C = 0.05  # inverse L2 strength, picked by the 5-fold CV below (so that CV figure is slightly optimistic)


def page_rows(text: str, gold: str, config: CleanConfig) -> tuple[np.ndarray, np.ndarray]:
    lines = apply_rules(text, config=config)
    if not lines:
        return np.zeros((0, 0)), np.zeros(0)
    x = line_features([ln.text for ln in lines], [ln.kept for ln in lines])
    g = norm(gold)
    g_lines = {norm(s) for s in gold.split("\n")}
    y = np.array([(len(norm(ln.text)) >= 15 and norm(ln.text) in g) or norm(ln.text) in g_lines for ln in lines], dtype=int)
    keep = np.array([ln.kept for ln in lines])
    return x[keep], y[keep]


def fit(ids: list[str], pages: dict, truth: dict, config: CleanConfig, C: float = C) -> LineModel:
    from sklearn.linear_model import LogisticRegression

    xs, ys = zip(*(page_rows(pages[k]["articleBody"], truth[k]["articleBody"], config) for k in ids))
    x = np.vstack([a for a in xs if a.size])
    y = np.concatenate([b for b in ys if b.size])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000, random_state=SEED).fit((x - mean) / scale, y)
    return LineModel(mean, scale, lr.coef_[0], float(lr.intercept_[0]),
                     {"rows": len(y), "body_share": round(float(y.mean()), 3), "C": C})


def cross_validate(pages: dict, truth: dict, config: CleanConfig, C: float = C) -> dict[str, float]:
    ids = sorted(pages)
    order = np.random.default_rng(SEED).permutation(len(ids))
    pairs = []
    for f in range(FOLDS):
        test = [ids[i] for i in order[f::FOLDS]]
        train = [k for k in ids if k not in set(test)]
        model = fit(train, pages, truth, config, C)
        pairs += dev_text_pairs(config, model, test)
    return shingle_scores(pairs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--C", type=float, default=C, help="inverse L2 strength (picked by the 5-fold CV)")
    a = ap.parse_args(argv)
    config = CleanConfig()
    pages, truth = load_dev()
    cv = cross_validate(pages, truth, config, a.C)
    print("5-fold by page (held out):", {k: round(v, 3) for k, v in cv.items()})
    if a.cv_only:
        return 0
    model = fit(sorted(pages), pages, truth, config, a.C)
    fitted = shingle_scores(dev_text_pairs(config, model))
    model.meta.update({"cv_5fold_by_page": {k: round(v, 4) for k, v in cv.items()},
                       "training_fit": {k: round(v, 4) for k, v in fitted.items()},
                       "threshold": config.line_model_threshold, "seed": SEED})
    MODEL_PATH.write_text(model.to_json() + "\n", encoding="utf-8")
    print("training fit (same pages):", {k: round(v, 3) for k, v in fitted.items()})
    print("wrote", MODEL_PATH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
