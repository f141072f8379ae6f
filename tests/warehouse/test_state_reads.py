"""The state reads: one query per state table, rows the stages' `from_rows` take, nothing on a
new warehouse; and a round trip (a step's rows loaded, read back) gives the same state."""
from __future__ import annotations

from datetime import datetime

from tasks.clean import CleanConfig, CleanState, clean_step
from tasks.dedup import DedupState, dedup_step
from tasks.records import Document
from warehouse.state import StateReader
from warehouse.store import StagedRows, load_run

READERS = ("read_rows", "clean_rows", "dedup_rows", "nlp_rows")


def test_a_missing_warehouse_and_new_tables_read_as_empty(tmp_path):
    with StateReader(tmp_path / "none.duckdb") as wh:
        for name in READERS:
            assert all(rows == [] for rows in getattr(wh, name)().values()), name


def test_a_steps_rows_round_trip_through_the_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    text = "The council voted on Tuesday to approve a budget for the new bridge, officials said in a statement."
    docs = [Document(f"d{i}", f"https://acme.example/{i}", f"{text} Item {i}.") for i in range(3)]
    clean_state, dedup_state = CleanState(), DedupState()
    docs, clean_rows = clean_step(docs, clean_state, CleanConfig(use_line_model=False))
    docs, dedup_rows = dedup_step(docs, dedup_state)
    staged = StagedRows()
    staged.add_all(clean_rows)
    staged.add_all(dedup_rows)
    load_run(db, staged, {"load_id": "L1", "started_at": datetime(2024, 1, 1), "status": "completed"})
    with StateReader(db) as wh:
        assert all(getattr(wh, name)() is not None for name in READERS)
        again_clean = CleanState.from_rows(wh.clean_rows())
        again_dedup = DedupState.from_rows(wh.dedup_rows())
        assert wh.entity_label_votes() == []  # the table exists, no mentions yet
    assert again_clean.doc_counts == clean_state.doc_counts and again_clean.line_counts == clean_state.line_counts
    assert again_dedup.keys == dedup_state.keys
    assert {k: sorted(v) for k, v in again_dedup.buckets.items()} == {k: sorted(v) for k, v in dedup_state.buckets.items()}
    assert set(again_dedup.shingles) == set(dedup_state.shingles)


def test_rebuilding_minhash_bands_restores_them_from_the_stored_shingles(tmp_path):
    import subprocess
    import sys

    import duckdb

    from tests.conftest import REPO

    db = tmp_path / "w.duckdb"
    docs = [Document(f"d{i}", f"/x/{i}", "", clean_text=f"Talks in Sochi resumed on day {i} after a long break, "
                                                          "officials of both delegations said on Tuesday.") for i in range(3)]
    _, rows = dedup_step(docs, DedupState())
    staged = StagedRows()
    staged.add_all(rows)
    load_run(db, staged, {"load_id": "L1", "started_at": datetime(2024, 1, 1), "status": "completed"})
    bands = "SELECT band, bucket, doc_id FROM minhash_bands ORDER BY ALL"
    con = duckdb.connect(str(db))
    expected = con.execute(bands).fetchall()
    con.execute("UPDATE minhash_bands SET bucket = bucket + 1")  # as bucket ids of an older derivation
    con.close()
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "rebuild_minhash_bands.py"), "--db", str(db)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(bands).fetchall() == expected and len(expected) == 3 * 32
    con.close()
