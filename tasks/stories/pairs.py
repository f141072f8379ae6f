"""The probability that two documents report the same happening, from their features alone.

`pair_features` turns two `StoryFeatures` into a fixed vector (who, where, when, what, words);
`PairModel` is a logistic regression over it whose weights live in `pair_model.json`
(`python -m tasks.stories.train_pair_model` writes them, with cross-validated figures). Nothing here
depends on other documents, so a pair scores the same whenever it is compared.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass

from tasks.stories.config import DEFAULT_STORY, StoryConfig
from tasks.stories.features import StoryFeatures

FEATURES = (
    "cosine",          # term vectors of headline + body
    "title_cosine",    # term vectors of the headlines
    "phrase_overlap",  # content-word pairs in common, over the smaller document's
    "who_jaccard",     # people and organisations
    "who_shared",      # at least one person or organisation in common
    "where_jaccard",   # places
    "names_jaccard",   # every name
    "top_shared",      # share of each one's most-mentioned names the other names (the smaller)
    "quote_shared",    # a quoted word window in common
    "quote_mismatch",  # both quote people at length and share no quoted window: two occasions
    "year_mismatch",   # both write years and share none
    "ref_year_same",   # publication year (else the year the text names most) is the same
    "ref_year_differ", # ... and differs
    "pub_close",       # published within 3 days of each other
    "days_shared",     # a day-precise date in common in the texts
    "event_jaccard",   # event types (events stage)
    "trigger_jaccard", # event trigger stems
)


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _covered(top: frozenset, names: frozenset) -> float:
    return len(top & names) / len(top) if top else 0.0


def pair_features(a: StoryFeatures, b: StoryFeatures, config: StoryConfig = DEFAULT_STORY) -> list[float]:
    """The feature vector of a pair, in the order of `FEATURES` (symmetric in a and b)."""
    both_ref = a.ref_year is not None and b.ref_year is not None
    return [
        _cosine(a.terms, b.terms),
        _cosine(a.title_terms, b.title_terms),
        len(a.bigrams & b.bigrams) / min(len(a.bigrams), len(b.bigrams)) if a.bigrams and b.bigrams else 0.0,
        _jaccard(a.who, b.who),
        float(bool(a.who & b.who)),
        _jaccard(a.where, b.where),
        _jaccard(a.names, b.names),
        min(_covered(a.top, b.names), _covered(b.top, a.names)),
        float(bool(a.quotes & b.quotes)),
        float(min(len(a.said), len(b.said)) >= config.quote_mismatch_min_windows
              and not (a.quotes | a.said) & (b.quotes | b.said)),
        float(bool(a.years) and bool(b.years) and not a.years & b.years),
        float(both_ref and a.ref_year == b.ref_year),
        float(both_ref and a.ref_year != b.ref_year),
        float(a.day is not None and b.day is not None and abs(a.day - b.day) <= 3),
        float(bool(a.days & b.days)),
        _jaccard(a.event_types, b.event_types),
        _jaccard(a.triggers, b.triggers),
    ]


def within_window(a: StoryFeatures, b: StoryFeatures, config: StoryConfig = DEFAULT_STORY) -> bool:
    """Documents with publication dates more than `max_days_apart` apart are never one story."""
    return a.day is None or b.day is None or abs(a.day - b.day) <= config.max_days_apart


@dataclass(frozen=True)
class PairModel:
    """Logistic regression over `FEATURES`."""

    weights: tuple[float, ...]
    bias: float

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def score(self, a: StoryFeatures, b: StoryFeatures, config: StoryConfig = DEFAULT_STORY) -> float:
        """P(same story) of two documents, 0 outside the date window; rounded so that the
        comparison with a threshold is exact across platforms."""
        if not within_window(a, b, config):
            return 0.0
        return round(self.probability(pair_features(a, b, config)), 6)


@functools.lru_cache(maxsize=4)
def load_model(path: str) -> PairModel:
    """The weights written by `tasks.stories.train_pair_model` (a file shipped with the package)."""
    spec = json.loads(open(path, encoding="utf-8").read())
    if tuple(spec["features"]) != FEATURES:
        raise ValueError(f"{path} was trained on other features: {spec['features']}")
    return PairModel(weights=tuple(float(w) for w in spec["weights"]), bias=float(spec["bias"]))
