from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import duckdb
import pytest

from warehouse.store import LockWait, StagedRows, WarehouseLocked, load_run, query, read_state


def load_row(load_id, new):
    return {"load_id": load_id, "started_at": datetime(2024, 1, 1), "finished_at": datetime(2024, 1, 1),
            "status": "completed", "documents_seen": new, "documents_new": new}


def staged_docs(*ids):
    s = StagedRows()
    s.add("documents", [{"doc_id": i, "source_uri": f"/x/{i}", "status": "ok", "notes": {"k": 1}} for i in ids])
    s.add("entities", [{"entity_id": "e1", "name": "Lavrov", "label": "ORG"}])
    return s


def test_load_writes_rows_with_load_id_and_upserts_keyed_tables(tmp_path):
    db = tmp_path / "w.duckdb"
    load_run(db, staged_docs("a", "b"), load_row("L1", 2))
    s = staged_docs("c")
    s.add("entities", [{"entity_id": "e1", "name": "Sergei Lavrov", "label": "PERSON"}])
    load_run(db, s, load_row("L2", 1))
    names, rows = query(db, "SELECT doc_id, load_id FROM documents ORDER BY 1")
    assert rows == [("a", "L1"), ("b", "L1"), ("c", "L2")]
    assert query(db, "SELECT name, label FROM entities")[1] == [("Sergei Lavrov", "PERSON")]
    assert query(db, "SELECT load_id, documents_new FROM loads ORDER BY 1")[1] == [("L1", 2), ("L2", 1)]


def test_a_failed_load_leaves_nothing_behind(tmp_path):
    db = tmp_path / "w.duckdb"
    load_run(db, staged_docs("a"), load_row("L1", 1))
    bad = staged_docs("b")
    bad.add("no_such_table", [{"x": 1}])
    with pytest.raises(duckdb.Error):
        load_run(db, bad, load_row("L2", 1))
    assert query(db, "SELECT count(*) FROM documents")[1] == [(1,)]
    assert query(db, "SELECT count(*) FROM loads")[1] == [(1,)]


def test_read_state_of_missing_db_or_table_is_empty(tmp_path):
    db = tmp_path / "none.duckdb"
    assert read_state(db, {"x": "SELECT * FROM documents"}) == {"x": []}
    load_run(db, staged_docs("a"), load_row("L1", 1))
    assert read_state(db, {"x": "SELECT * FROM not_yet"}) == {"x": []}
    assert read_state(db, {"d": "SELECT doc_id FROM documents"}) == {"d": [{"doc_id": "a"}]}


def test_write_lock_held_elsewhere_is_a_clear_error(tmp_path):
    db = tmp_path / "w.duckdb"
    load_run(db, staged_docs("a"), load_row("L1", 1))
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseLocked, match=r"locked by .*waited 1 s"):
            load_run(db, staged_docs("b"), load_row("L2", 1), LockWait(timeout_s=1, poll_s=0.2))
    finally:
        holder.kill()
        holder.wait()
    load_run(db, staged_docs("b"), load_row("L2", 1))
    assert query(db, "SELECT count(*) FROM documents")[1] == [(2,)]


def test_a_story_merge_in_a_later_load_moves_earlier_documents(tmp_path):
    db = tmp_path / "w.duckdb"
    first = StagedRows()
    first.add("documents", [{"doc_id": d, "status": "ok", "story_id": f"s_{d}"} for d in ("a", "b")])
    first.add("story_records", [{"story_id": f"s_{d}", "label": d} for d in ("a", "b")])
    first.add("story_assignments", [{"doc_id": d, "component_id": f"c_{d}", "story_id": f"s_{d}"} for d in ("a", "b")])
    load_run(db, first, load_row("L1", 2))
    # c links a and b: story s_b is absorbed into s_a (the story stage re-emits the assignments of the component it re-clustered)
    second = StagedRows()
    second.add("documents", [{"doc_id": "c", "status": "ok", "story_id": "s_a"}])
    second.add("story_assignments", [{"doc_id": d, "component_id": "c_a", "story_id": "s_a"} for d in ("a", "b", "c")])
    second.add("story_merges", [{"story_id": "s_b", "merged_into": "s_a"}])
    load_run(db, second, load_row("L2", 1))
    assert query(db, "SELECT doc_id, story_id FROM documents ORDER BY 1")[1] == [("a", "s_a"), ("b", "s_a"), ("c", "s_a")]
    assert query(db, "SELECT story_id, num_documents FROM stories")[1] == [("s_a", 3)]
