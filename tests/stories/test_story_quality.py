"""Story quality on ECB+ dev through the real `ingest` flow (skipped where ../shared/corpora is absent).

Every ECB+ dev document as a crawler-style record {id, text}; one ingest of all of them, then the
same documents shuffled into three runs: B-cubed F1 against the gold same-event `cluster` (as
bench/stories_ecb.py measures it with the CLI), pinned in tests/gates.json, and the two partitions'
figures within 0.01 of each other.
"""
from __future__ import annotations

import importlib.util
import json
import random

import pytest
from stories_support import REPO, need_corpus

from tests.gates import check_gate
from tasks.stories.train_pair_model import write_jsonl

spec = importlib.util.spec_from_file_location("stories_ecb", REPO / "bench" / "stories_ecb.py")
stories_ecb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(stories_ecb)


@pytest.mark.slow
def test_ecbplus_one_ingest_and_three_runs_in_another_order(prefect_harness, tmp_path):
    from flows.ingest import ingest

    path = need_corpus("ecbplus-dev") / "docs.jsonl"
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    one = tmp_path / "one.duckdb"
    ingest(paths=[str(write_jsonl(records, tmp_path / "all.jsonl"))], db_path=str(one))
    shuffled = list(records)
    random.Random(1).shuffle(shuffled)
    runs = tmp_path / "runs.duckdb"
    for k in range(3):
        ingest(paths=[str(write_jsonl(shuffled[k::3], tmp_path / f"run{k}.jsonl"))], db_path=str(runs))
    first = stories_ecb.scores(stories_ecb.predicted(one), records)
    split = stories_ecb.scores(stories_ecb.predicted(runs), records)
    print(f"ECB+ dev stories, one ingest: {first}; three runs: {split}")
    check_gate("stories.ecb_bcubed_f1", first["f1"])
    assert abs(first["f1"] - split["f1"]) <= 0.01
