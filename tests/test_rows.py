"""Each row dataclass of `tasks.rows` matches the table its migrations create: same columns (the
loader adds `load_id`), same primary key."""
from __future__ import annotations

import dataclasses
from datetime import datetime

import duckdb
import pytest

from tasks.records import Document, RemovedLine
from tasks.rows import ROW_TYPES, DocumentRow, Rows, document_rows
from warehouse.migrate import apply_migrations


@pytest.fixture(scope="module")
def schema() -> dict[str, tuple[list[str], list[str]]]:
    con = duckdb.connect(":memory:")
    try:
        apply_migrations(con)
        cols: dict[str, list[str]] = {}
        for table, column in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                         "WHERE table_schema = 'main' AND table_name NOT LIKE '\\_%' ESCAPE '\\' "
                                         "ORDER BY table_name, ordinal_position").fetchall():
            cols.setdefault(table, []).append(column)
        tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_type = 'BASE TABLE'").fetchall()}
        pks = {t: list(c) for t, c in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
    finally:
        con.close()
    return {t: (cols[t], pks.get(t, [])) for t in tables if not t.startswith("_")}


def test_every_table_has_a_row_type_and_the_same_columns(schema):
    assert set(ROW_TYPES) == set(schema), "a table without a row dataclass, or a dataclass without a table"
    for table, cls in ROW_TYPES.items():
        columns, key = schema[table]
        wanted = [c for c in columns if c != "load_id" or table == "loads"]
        assert [f.name for f in dataclasses.fields(cls)] == wanted, table
        assert list(cls.KEY) == key, table


def test_document_rows_copy_the_document_and_count_statuses():
    docs = [Document("a", "/x/a", "raw", clean_text="body", removed_lines=[RemovedLine(1, "Menu", "nav")],
                     notes={"encoding": "cp1251"}, published_at=datetime(2020, 1, 1)),
            Document("b", "/x/b", "").reject("empty")]
    rows = document_rows(docs)
    assert [r.doc_id for r in rows["documents"]] == ["a", "b"]
    assert rows["documents"][0].notes == {"encoding": "cp1251"} and rows["documents"][1].notes is None
    assert [(r.doc_id, r.line_no, r.reason) for r in rows["removed_lines"]] == [("a", 1, "nav")]
    assert rows.counts == {"ok": 1, "rejected": 1, "rejected.empty": 1}


def test_rows_read_like_mappings_and_merge():
    row = DocumentRow("a", status="ok")
    assert row["status"] == "ok" and row.get("title") is None and row.get("nope", 1) == 1
    with pytest.raises(KeyError):
        row["nope"]
    a, b = Rows(row), Rows(DocumentRow("b"))
    b.counts["x"] += 2
    assert [r.doc_id for r in a.merge(b)["documents"]] == ["a", "b"] and a.counts["x"] == 2
