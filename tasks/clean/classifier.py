"""A small learned line model: is this line of a scraped page part of the article body?

Logistic regression over hand-made features of a line and its neighbours (length, sentence
punctuation, stopword and capital ratios, what the rules decided around it; no position). Inference needs only
numpy and the weights in `line_model.json` beside this file.

Retrain (needs scikit-learn and ../shared/corpora/article-extraction-dev):

    .venv/bin/python -m tasks.clean.train_line_model            # writes tasks/clean/line_model.json
    .venv/bin/python -m tasks.clean.train_line_model --cv-only  # 5-fold by page, prints the figures

Training data: the 91 dev pages' visible text (page-text.json); a line is labelled body when its
normalised text occurs in the page's gold articleBody. The figures it was shipped with (text path,
4-token-shingle F1 averaged per page) are recorded in the JSON's "meta":

    rules only (no model)                           P 0.887  R 0.900  F1 0.893
    5-fold by page, pages held out (the honest one) P 0.901  R 0.911  F1 0.906
    shipped model on its own training pages         P 0.901  R 0.910  F1 0.905

C and the threshold (CleanConfig.line_model_threshold) were picked with that same CV, so the CV
figure is a little optimistic; the model adds about one point over the rules.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tasks.common.stopwords import FUNCTION_WORDS

from .text import ends_like_sentence, is_heading, words

MODEL_PATH = Path(__file__).with_name("line_model.json")

def _own_features(line: str) -> list[float]:
    w = words(line)
    n = len(w)
    nw = max(n, 1)
    letters = sum(map(str.isalpha, line)) or 1
    return [
        math.log1p(n),
        math.log1p(len(line)),
        float(ends_like_sentence(line)),
        float(is_heading(line, max_words=20)),
        sum(x.lower() in FUNCTION_WORDS for x in w) / nw,
        sum(x[:1].isupper() for x in w) / nw,
        sum(map(str.isupper, line)) / letters,
        sum(map(str.isdigit, line)) / max(len(line), 1),
        len(re.findall(r"[.!?](?:\s|$)", line)) / nw,
        line.count(",") / nw,
        float(bool(re.search(r"[|»›•·@#]|https?://|www\.", line))),
        float(bool(re.search(r"[\"“”]", line))),
        float(n <= 3),
    ]


_N_OWN = len(_own_features("x"))


def line_features(lines: Sequence[str], kept: Sequence[bool]) -> np.ndarray:
    """Feature rows for the non-blank lines of one page (own features, neighbours', position)."""
    n = len(lines)
    own = np.array([_own_features(x) for x in lines], dtype=float).reshape(n, _N_OWN)
    kept_a = np.asarray(kept, dtype=float).reshape(n, 1)
    pad = np.zeros((1, _N_OWN))
    prev1 = np.vstack([pad, own[:-1]]) if n else own
    next1 = np.vstack([own[1:], pad]) if n else own
    kpad = np.zeros((1, 1))
    kprev = np.vstack([kpad, kept_a[:-1]]) if n else kept_a
    knext = np.vstack([kept_a[1:], kpad]) if n else kept_a
    # body words in a window of 5 lines around each line: body comes in runs
    ln_words = own[:, 0:1]
    win = np.zeros_like(ln_words)
    for d in range(-2, 3):
        if d < 0:
            win[-d:] += ln_words[:d] * kept_a[:d]
        elif d > 0:
            win[:-d] += ln_words[d:] * kept_a[d:]
        else:
            win += ln_words * kept_a
    # Position is deliberately left out: a model that distrusts the last lines of a page would
    # eat the last paragraph of an already clean article (cleaning must be idempotent).
    return np.hstack([own, prev1, next1, kept_a, kprev, knext, win / 5.0])


@dataclass
class LineModel:
    """Standardisation + logistic-regression weights over `line_features`."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict

    def predict_lines(self, lines: Sequence[str], kept: Sequence[bool]) -> np.ndarray:
        """Probability that each line is article body."""
        if not lines:
            return np.zeros(0)
        x = (line_features(lines, kept) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    def to_json(self) -> str:
        return json.dumps({"mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                           "coef": self.coef.round(6).tolist(), "intercept": round(float(self.intercept), 6),
                           "meta": self.meta}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> LineModel:
        d = json.loads(text)
        return cls(np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), float(d["intercept"]),
                   d.get("meta", {}))


@lru_cache(maxsize=1)
def load_default_model() -> LineModel | None:
    """The shipped model (read-only weights file; None when it is missing)."""
    if not MODEL_PATH.exists():
        return None
    return LineModel.from_json(MODEL_PATH.read_text(encoding="utf-8"))
