"""The SQL lookup (warehouse/stories.py) gives the stage what the in-memory one gives: the same
stories whether earlier runs are read from DuckDB or from their rows."""
from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta

from stories_support import assignments, ecb_records, ecb_text, ingest_runs, make_doc

from tasks.stories import StoryState, cluster_stories
from warehouse.store import StagedRows, load_run
from warehouse.stories import WarehouseStories


def load_row(n: int) -> dict:
    return {"load_id": f"L{n}", "started_at": datetime(2024, 1, 1), "finished_at": datetime(2024, 1, 1),
            "status": "completed", "documents_seen": 0, "documents_new": 0}


def test_runs_through_duckdb_equal_runs_through_rows(tmp_path):
    records = [r for r in ecb_records() if r["topic"] <= 4]
    docs = [make_doc(r["doc_id"], ecb_text(r)) for r in records]
    rng = random.Random(3)
    rng.shuffle(docs)
    for n, d in enumerate(docs):  # a third of them dated, a few days apart
        if n % 3 == 0:
            d.published_at = datetime(2020, 1, 1) + timedelta(days=n % 5)
    runs = [docs[k::3] for k in range(3)]
    expected = assignments(ingest_runs([copy.deepcopy(r) for r in runs]))
    db = tmp_path / "w.duckdb"
    got: dict[str, str] = {}
    for n, run in enumerate(runs):
        state = StoryState(lookup=WarehouseStories(db))
        staged = StagedRows()
        for b in range(0, len(run), 20):
            _, rows = cluster_stories(run[b:b + 20], state)
            state.absorb(rows)
            staged.add_all(rows)
            got.update({r["doc_id"]: r["story_id"] for r in rows["story_assignments"]})
        load_run(db, staged, load_row(n))
    assert got == expected
    assert WarehouseStories(db).assignments(sorted(got)) and WarehouseStories(db).next_seq() == len(got)
