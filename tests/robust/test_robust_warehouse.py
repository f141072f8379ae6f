"""The warehouse file: a file that is not one is said so at once (not "locked" after minutes),
a warehouse written by a newer newsdag or with an edited migration is refused before any work,
and a record read again ends with one row."""
from __future__ import annotations

import json
import shutil
import time
from datetime import datetime

import duckdb
import pytest

from flows.cli import main
from tasks.read import ReadConfig, ReadState, read_file, read_step, rejected_file
from tasks.rows import EventRecordRow, MentionRow, document_rows
from warehouse.migrate import MigrationError, apply_migrations, default_migrations_dir
from warehouse.store import LockWait, StagedRows, WarehouseUnreadable, connect_read_only, load_run, query
from warehouse.state import StateReader

GOOD = {"url": "https://example.org/a", "text": "The minister said talks would go on."}


def not_a_database(tmp_path):
    folder = tmp_path / "locks and keys"
    folder.mkdir()
    path = folder / "news.duckdb"
    path.write_text("this is not a DuckDB file\n")
    return path


def test_a_file_that_is_not_duckdb_is_said_so_at_once_even_under_a_lock_path(tmp_path):
    path = not_a_database(tmp_path)
    started = time.monotonic()
    with pytest.raises(WarehouseUnreadable, match="cannot be opened as a newsdag warehouse"):
        connect_read_only(path, LockWait(timeout_s=60))
    assert time.monotonic() - started < 10  # it used to wait the whole lock timeout


@pytest.mark.parametrize("command", [["search", "S-400"], ["report", "--out", "r.html"], ["sql", "SELECT 1"],
                                     ["export", "--parquet", "out"]])
def test_read_commands_on_a_non_duckdb_file_say_one_line(tmp_path, capsys, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    path = not_a_database(tmp_path)
    with pytest.raises(SystemExit) as exc:
        code = main([*command, "--db", str(path)])
        raise SystemExit(code)
    message = str(exc.value.code) if not isinstance(exc.value.code, int) else capsys.readouterr().err
    assert exc.value.code != 0
    assert "cannot be opened as a newsdag warehouse" in message and "Traceback" not in message
    assert len(message.strip().splitlines()) == 1


def warehouse_with(tmp_path, extra_sql: str | None = None, edit: bool = False):
    mig = tmp_path / "migrations"
    shutil.copytree(default_migrations_dir(), mig)
    if extra_sql:
        (mig / "9001_future.sql").write_text(extra_sql)
    db = tmp_path / "news.duckdb"
    con = duckdb.connect(str(db))
    apply_migrations(con, mig)
    if edit:
        con.execute("UPDATE _migrations SET checksum = 'edited' WHERE version = 1")
    con.close()
    return db


def test_a_warehouse_of_a_newer_newsdag_is_refused_before_any_work(tmp_path):
    db = warehouse_with(tmp_path, "CREATE TABLE future_things (x INT);")
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE _migrations SET newsdag_version = '9.9.0' WHERE version = 9001")
    with pytest.raises(MigrationError, match=r"written by a newer newsdag \(9.9.0\).*9001_future.sql"):
        with StateReader(db):  # the run's first read
            pass


def test_an_edited_migration_is_refused_before_any_work(tmp_path):
    db = warehouse_with(tmp_path, edit=True)
    with pytest.raises(MigrationError, match="0001_core.sql was changed"):
        with StateReader(db):
            pass


def load(db, docs, file_rows, load_id):
    staged = StagedRows()
    staged.add_all(document_rows(docs))
    staged.add("ingested_files", file_rows)
    load_run(db, staged, {"load_id": load_id, "started_at": datetime(2024, 1, 1), "status": "completed",
                          "documents_seen": len(docs), "documents_new": len(docs)})


def read_and_load(db, paths, load_id):
    with StateReader(db) as wh:
        docs, rows = read_step(paths, ReadState.from_source(wh), ReadConfig())
    load(db, docs, rows.get("ingested_files", []), load_id)


def test_a_jsonl_line_caught_mid_write_ends_with_one_row(tmp_path):
    db = tmp_path / "news.duckdb"
    feed = tmp_path / "feed.jsonl"
    line2 = json.dumps({**GOOD, "url": "https://example.org/b"})
    feed.write_text(json.dumps(GOOD) + "\n" + line2[:20])  # the writer is still at line 2
    read_and_load(db, [feed], "L1")
    assert query(db, "SELECT record_no, status FROM documents ORDER BY 1")[1] == [(1, "ok"), (2, "rejected")]
    feed.write_text(json.dumps(GOOD) + "\n" + line2 + "\n")
    read_and_load(db, [feed], "L2")
    assert query(db, "SELECT record_no, status, load_id FROM documents ORDER BY 1")[1] == [(1, "ok", "L1"), (2, "ok", "L2")]


def test_a_file_unreadable_before_ends_with_one_row(tmp_path):
    db = tmp_path / "news.duckdb"
    page = tmp_path / "page.txt"
    page.write_text(GOOD["text"])
    load(db, [rejected_file(page, "unreadable: Permission denied")], [], "L1")
    read_and_load(db, [page], "L2")
    assert query(db, "SELECT status, load_id FROM documents")[1] == [("ok", "L2")]
    assert [d.doc_id for d in read_file(page)] == [query(db, "SELECT doc_id FROM documents")[1][0][0]]


def test_the_count_of_a_keyed_table_is_the_rows_it_will_hold(tmp_path):
    staged = StagedRows()
    staged.add("event_records", [EventRecordRow(e, "MEET", None, None, None, 0.5) for e in ("e1", "e2")])
    staged.add("event_records", [EventRecordRow("e1", "MEET", None, None, None, 0.5)])  # e1 again, from a later batch
    staged.add("mentions", [MentionRow("d", "x", "X", "ORG", 0, 1)] * 2)
    assert staged.count("event_records") == 2 and staged.count("mentions") == 2
    db = tmp_path / "news.duckdb"
    written = load_run(db, staged, {"load_id": "L1", "started_at": datetime(2024, 1, 1), "status": "completed",
                                    "documents_seen": 0, "documents_new": 0})
    assert written["event_records"] == staged.count("event_records") == query(db, "SELECT count(*) FROM event_records")[1][0][0]
