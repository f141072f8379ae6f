"""Parsing a batch in worker processes gives what parsing it in-process gives, in input order."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tasks.nlp import NlpConfig, parse_batch
from tasks.nlp.workers import resolve_processes

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def comparable(parsed):
    out = []
    for p in parsed:
        d = dataclasses.asdict(p)
        d["notes"] = {k: v for k, v in d["notes"].items() if not k.endswith("_seconds")}
        out.append(d)
    return out


@pytest.mark.slow  # the spaCy model
def test_processes_match_in_process():
    items = [{"doc_id": p.name, "clean_text": p.read_text(encoding="utf-8"), "published_at": None, "site": None,
              "title": None} for p in sorted(SAMPLE.glob("*.txt"))]
    alone = parse_batch(items, NlpConfig(n_process=1))
    sharded = parse_batch(items, NlpConfig(n_process=2, min_docs_per_process=1))
    assert [p.doc_id for p in sharded] == [i["doc_id"] for i in items]
    assert comparable(sharded) == comparable(alone)


def test_small_batches_stay_in_process():
    assert resolve_processes(2, 5, 100) == 1
    assert resolve_processes(2, 250, 100) == 2
    assert resolve_processes(8, 250, 100) == 2
    assert resolve_processes(0, 10_000, 100) >= 1
