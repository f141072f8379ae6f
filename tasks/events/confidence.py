"""Calibrated confidence of an event mention: a logistic model over what the extractor knows.

`Confidence.score(features)` = sigmoid(bias + sum of the weights of the features present). The
weights live in `confidence.json`, written by `tasks/events/train_confidence.py` (a logistic
regression fitted on the PLOVER gold-standard dev sentences, with cross-validated figures in
that file); nothing is loaded from anywhere else. Features are coarse on purpose (trigger kind,
mood, main clause or background, which parties were found, the type), so 158 sentences can fit
them without memorising words.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

WEIGHTS = Path(__file__).with_name("confidence.json")


def feature_names(f: dict) -> list[str]:
    """The binary features of one event mention's feature dict (see extract.EventExtractor)."""
    out = [f"type={f['type']}", f"kind={f['kind']}", f"mood={f['mood']}"]
    out.append("main" if f["main"] else "background")
    if f["framed"]:
        out.append("framed")
    if f["nested"]:
        out.append("nested")
    out.append("actor" if f["actors"] else "no_actor")
    out.append("target" if f["targets"] else "no_target")
    if f["entity_actor"]:
        out.append("entity_actor")
    if f["dated"]:
        out.append("dated")
    if f.get("sport"):
        out.append("sport")
    return out


class Confidence:
    """A logistic model: bias and per-feature weights."""

    def __init__(self, bias: float, weights: dict[str, float]):
        self.bias = bias
        self.weights = weights

    def score(self, features: dict) -> float:
        z = self.bias + sum(self.weights.get(n, 0.0) for n in feature_names(features))
        return round(1 / (1 + math.exp(-z)), 3)


@functools.lru_cache(maxsize=2)
def load_confidence(path: str = str(WEIGHTS)) -> Confidence:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Confidence(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})
