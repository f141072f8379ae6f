from __future__ import annotations

import shutil

import duckdb
import pytest

from warehouse.migrate import MigrationError, apply_migrations, default_migrations_dir

CONTRACT = {
    "documents": ["doc_id", "source_uri", "site", "title", "published_at", "raw_text", "clean_text", "content_hash",
                  "status", "status_reason", "duplicate_of", "story_id", "load_id"],
    "removed_lines": ["doc_id", "line_no", "text", "reason"],
    "duplicates": ["doc_id", "duplicate_of", "method", "similarity"],
    "stories": ["story_id", "label", "num_documents", "first_published", "last_published"],
    "entities": ["entity_id", "name", "label"],
    "entity_aliases": ["entity_id", "alias"],
    "mentions": ["doc_id", "entity_id", "text", "label", "start_char", "end_char"],
    "quotes": ["doc_id", "speaker_entity_id", "speaker", "quote", "start_char", "end_char"],
    "events": ["event_id", "event_type", "event_date", "date_precision", "location", "num_mentions",
               "num_documents", "num_sources", "confidence"],
    "event_arguments": ["event_id", "role", "entity_id", "name"],
    "event_mentions": ["event_id", "doc_id", "sentence", "start_char", "end_char", "confidence"],
    "loads": ["load_id", "started_at", "finished_at", "status", "documents_seen", "documents_new"],
}


def columns(con, table):
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_from_zero_creates_every_contract_table():
    con = duckdb.connect()
    applied = apply_migrations(con)
    assert applied[0] == "0001_core.sql"
    for table, cols in CONTRACT.items():
        assert set(cols) <= set(columns(con, table)), table
    types = {r[0]: r[1] for r in con.execute("DESCRIBE documents").fetchall()}
    assert types["published_at"] == "TIMESTAMP"


def test_rerun_is_a_no_op():
    con = duckdb.connect()
    first = apply_migrations(con)
    assert first and apply_migrations(con) == []
    assert con.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(first)


def test_an_edited_applied_migration_is_refused(tmp_path):
    mig = tmp_path / "migrations"
    shutil.copytree(default_migrations_dir(), mig)
    con = duckdb.connect()
    apply_migrations(con, mig)
    core = mig / "0001_core.sql"
    core.write_text(core.read_text() + "\nCREATE TABLE sneaky (x INT);\n")
    with pytest.raises(MigrationError, match="0001_core.sql was changed"):
        apply_migrations(con, mig)


def test_a_new_migration_is_applied_after_the_old_ones(tmp_path):
    mig = tmp_path / "migrations"
    shutil.copytree(default_migrations_dir(), mig)
    con = duckdb.connect()
    apply_migrations(con, mig)
    (mig / "9001_extra.sql").write_text("ALTER TABLE documents ADD COLUMN extra VARCHAR;")
    assert apply_migrations(con, mig) == ["9001_extra.sql"]
    assert columns(con, "documents")[-1] == "extra"


def test_a_warehouse_of_an_older_newsdag_is_brought_up_to_date_before_the_first_lookup(tmp_path):
    """A warehouse written before migration 0008 has no `entities.country_code`; the run's first
    lookup used to fail on it ("Referenced column country_code not found")."""
    from warehouse.migrate import applied_migrations
    from warehouse.state import StateReader

    from tests.conftest import older_warehouse

    db = tmp_path / "old.duckdb"
    con = older_warehouse(db, 7)  # up to 0007: what an older newsdag had
    con.execute("INSERT INTO entities (entity_id, name, label) VALUES ('e1', 'Ankara', 'GPE')")
    con.close()
    with StateReader(db) as reader:
        assert reader.entities(["e1"]) == [{"entity_id": "e1", "name": "Ankara", "label": "GPE", "country_code": None}]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert sorted(applied_migrations(con)) == [int(p.name[:4]) for p in sorted(default_migrations_dir().glob("*.sql"))]
        assert con.execute("SELECT name FROM entities").fetchall() == [("Ankara",)]  # the data kept
    finally:
        con.close()


def test_an_up_to_date_warehouse_is_opened_without_a_write(tmp_path, monkeypatch):
    import warehouse.state as state

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    apply_migrations(con)
    con.close()
    calls = []
    monkeypatch.setattr(state, "upgrade_schema", lambda *a: calls.append(a))
    with state.StateReader(db) as reader:
        assert reader.entities(["nobody"]) == []
    assert calls == []
