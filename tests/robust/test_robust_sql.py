"""Read-only means read-only: `newsdag sql` runs one query and can neither write nor read any file
but the warehouse; `export` quotes its path and never overwrites without --force."""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from warehouse.store import StagedRows, load_run


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "news.duckdb"
    staged = StagedRows()
    staged.add("documents", [{"doc_id": "d1", "source_uri": "x", "status": "ok", "title": "Talks", "clean_text": "Body."}])
    load_run(path, staged, {"load_id": "L1", "started_at": datetime(2024, 1, 1), "status": "completed",
                            "documents_seen": 1, "documents_new": 1})
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE keep AS SELECT 1 AS x")
    return path


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_query_prints_its_rows(db, capsys):
    assert main(["sql", "SELECT doc_id, title FROM documents", "--db", str(db)]) == 0
    assert "| d1     | Talks |" in capsys.readouterr().out


@pytest.mark.parametrize("statement", [
    "COPY (SELECT 'x') TO '{db}' (FORMAT csv)",
    "COPY (SELECT 'x') TO '{dir}/new.csv' (FORMAT csv)",
    "ATTACH '{dir}/other.duckdb' AS o (READ_WRITE)",
    "SELECT 1; ATTACH '{dir}/other.duckdb' AS o (READ_WRITE); DELETE FROM o.keep",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "EXPORT DATABASE '{dir}/dump'",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "CREATE TABLE t AS SELECT 1",
    "DELETE FROM documents",
])
def test_sql_cannot_create_change_delete_or_read_any_file(db, capsys, statement):
    folder = db.parent
    before = digest(folder)
    code = main(["sql", statement.format(db=db, dir=folder), "--db", str(db)])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("newsdag sql: ") and "Traceback" not in err
    assert digest(folder) == before and sorted(p.name for p in folder.iterdir()) == ["news.duckdb", "other.duckdb"]
    with duckdb.connect(str(folder / "other.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM keep").fetchone() == (1,)


def test_export_quotes_its_path_and_refuses_to_overwrite(db, tmp_path, capsys):
    crafted = tmp_path / "it's (FORMAT csv); COPY (SELECT 1) TO 'pwned"
    assert main(["export", "--parquet", str(crafted), "--db", str(db)]) == 0
    assert (crafted / "documents.parquet").exists() and not (tmp_path / "pwned").exists()
    capsys.readouterr()
    before = digest(crafted)
    assert main(["export", "--parquet", str(crafted), "--db", str(db)]) == 2
    assert "--force" in capsys.readouterr().err and digest(crafted) == before
    assert main(["export", "--parquet", str(crafted), "--db", str(db), "--force"]) == 0
