"""The DuckDB file: read state without the write lock, load a run in one transaction.

DuckDB allows one writing process or many readers per file. A run therefore reads what it needs
up front on a short read-only connection, does all its work, and takes the write lock only for
the load, which writes every row of the run and then the `loads` row in one transaction.
"""
from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import duckdb
import pyarrow as pa

from warehouse.fts import SearchUnavailable, refresh_index
from warehouse.migrate import apply_migrations, apply_views, check_compatible


POST_LOAD_SQL = Path(__file__).resolve().parent / "post_load.sql"

# A record read again (its file was unreadable before, its JSONL line was caught mid-write) has
# one row: a rejected row of an earlier load gives way to this load's row of the same file and
# record (any row of the file, when the rejection was for the whole file).
SUPERSEDED = """
    SELECT old.doc_id FROM documents old
    WHERE old.status = 'rejected' AND old.load_id IS DISTINCT FROM $load_id AND old.file_path IS NOT NULL
      AND EXISTS (SELECT 1 FROM documents new
                  WHERE new.load_id = $load_id AND new.file_path = old.file_path AND new.doc_id <> old.doc_id
                    AND (old.record_no IS NULL OR new.record_no = old.record_no))
"""
SUPERSEDE_SQL = [f"DELETE FROM removed_lines WHERE doc_id IN ({SUPERSEDED})",
                 f"DELETE FROM documents WHERE doc_id IN ({SUPERSEDED})"]


class WarehouseLocked(RuntimeError):
    """Another process holds the database file; says which one when DuckDB tells us."""


@dataclass
class LockWait:
    timeout_s: float = 60.0
    poll_s: float = 0.5


def _holder(message: str) -> str:
    m = re.search(r"Conflicting lock is held in (.+?)(?:\. See also|\.?$)", message)
    return m.group(1).strip() if m else "another process"


# DuckDB's words for a file another process holds; the path it quotes may contain anything
# (a folder named "locks"), so the message is matched by these, never by the word "lock"
_LOCK_CONFLICT = re.compile(r"Could not set lock on file|Conflicting lock is held")


class WarehouseUnreadable(RuntimeError):
    """The file is not a DuckDB database (or not one this DuckDB can open)."""


def _connect(db_path: Path, *, read_only: bool, wait: LockWait, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait.timeout_s
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only, config=config or {})
        except duckdb.IOException as exc:
            if not _LOCK_CONFLICT.search(str(exc)):
                raise WarehouseUnreadable(f"{db_path} cannot be opened as a newsdag warehouse: {exc}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"{db_path} is locked by {_holder(str(exc))}; waited {wait.timeout_s:.0f} s for the "
                    f"{'read' if read_only else 'write'} lock. Close that session (or raise the lock timeout) "
                    "and run again: nothing was written, and the next run catches up."
                ) from exc
            time.sleep(wait.poll_s)


def connect_read_only(db_path: str | Path, wait: LockWait | None = None) -> duckdb.DuckDBPyConnection:
    return _connect(Path(db_path), read_only=True, wait=wait or LockWait())


def read_state(db_path: str | Path, queries: dict[str, str], wait: LockWait | None = None) -> dict[str, list[dict]]:
    """Run named read-only SELECTs; a table that does not exist yet reads as no rows."""
    out: dict[str, list[dict]] = {name: [] for name in queries}
    path = Path(db_path)
    if not path.exists() or not queries:
        return out
    con = connect_read_only(path, wait)
    try:
        for name, sql in queries.items():
            try:
                out[name] = con.execute(sql).to_arrow_table().to_pylist()
            except duckdb.CatalogException:
                out[name] = []
    finally:
        con.close()
    return out


def check_warehouse(db_path: str | Path, wait: LockWait | None = None) -> None:
    """Refuse a warehouse this newsdag must not write (see `migrate.check_compatible`) or a file
    that is not one, before a run does any work."""
    path = Path(db_path)
    if not path.exists():
        return
    con = connect_read_only(path, wait)
    try:
        check_compatible(con)
    finally:
        con.close()


def known_ids(db_path: str | Path, wait: LockWait | None = None) -> dict[str, Any]:
    """What lets a run skip work already loaded: document ids and ingested files. The run's first
    read, so it first checks that the warehouse is one this newsdag may write."""
    check_warehouse(db_path, wait)
    state = read_state(
        db_path,
        {
            "documents": "SELECT doc_id FROM documents",
            "files": "SELECT file_path, size, mtime, file_hash FROM ingested_files",
        },
        wait,
    )
    return {
        "doc_ids": {r["doc_id"] for r in state["documents"]},
        "files": {r["file_path"]: (r["size"], r["mtime"]) for r in state["files"]},
        "file_hashes": {r["file_hash"] for r in state["files"] if r["file_hash"]},
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return value


def _storable(value: Any) -> Any:
    """Text a database takes: lone surrogates and NUL become U+FFFD (the readers scrub inputs;
    this is the last line of defence, so one odd string never fails a load)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8").replace("\0", "\ufffd")
    return value


@dataclass
class StagedRows:
    """Rows of one run, per table, held as Arrow until the load step."""

    tables: dict[str, list[pa.Table]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, rows: Iterable[dict]) -> int:
        rows = [{k: _jsonable(v) for k, v in r.items()} for r in rows]
        if rows:
            try:
                data = pa.Table.from_pylist(rows)
            except (UnicodeError, pa.ArrowInvalid):
                data = pa.Table.from_pylist([{k: _storable(v) for k, v in r.items()} for r in rows])
            self.tables[table].append(data)
        return len(rows)

    def add_all(self, by_table: dict[str, list[dict]]) -> None:
        for table, rows in by_table.items():
            self.add(table, rows)

    def rows(self, table: str) -> list[dict]:
        return [r for part in self.tables.get(table, []) for r in part.to_pylist()]

    def count(self, table: str) -> int:
        """Rows the table will hold from this run: for a keyed table the distinct keys (a later
        batch's row for the same key replaces the earlier one at the load), else every row."""
        parts = self.tables.get(table, [])
        keys = table_keys().get(table)
        if not keys or not parts or any(k not in t.column_names for t in parts for k in keys):
            return sum(t.num_rows for t in parts)
        seen: set[tuple] = set()
        for t in parts:
            seen.update(zip(*(t.column(k).to_pylist() for k in keys)))
        return len(seen)


@functools.lru_cache(maxsize=1)
def table_keys() -> dict[str, list[str]]:
    """Primary key columns per table, as the migrations declare them (read from an in-memory
    database the migrations are applied to, once per process)."""
    con = duckdb.connect()
    try:
        apply_migrations(con)
        return _primary_keys(con)
    finally:
        con.close()


def _primary_keys(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    return {t: list(cols) for t, cols in rows}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}


def _last_per_key(table: pa.Table, keys: list[str]) -> pa.Table:
    """Keep the last row for each primary key (a later batch's update wins)."""
    seen: dict[tuple, int] = {}
    cols = [table.column(k).to_pylist() for k in keys]
    for i, key in enumerate(zip(*cols)):
        seen[key] = i
    if len(seen) == table.num_rows:
        return table
    return table.take(sorted(seen.values()))


def load_run(db_path: str | Path, staged: StagedRows, load_row: dict, wait: LockWait | None = None) -> dict[str, int]:
    """Write a run: migrations, every staged table, then the `loads` row; one transaction."""
    path = Path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False, wait=wait or LockWait())
    written: dict[str, int] = {}
    try:
        con.execute("BEGIN TRANSACTION")
        apply_migrations(con)
        apply_views(con)
        pks = _primary_keys(con)
        load_id = load_row["load_id"]
        for table, parts in staged.tables.items():
            if not parts:
                continue
            data = pa.concat_tables(parts, promote_options="permissive")
            if "load_id" in _columns(con, table) and "load_id" not in data.column_names:
                data = data.append_column("load_id", pa.array([load_id] * data.num_rows, pa.string()))
            verb = "INSERT"
            if table in pks:
                data = _last_per_key(data, pks[table])
                verb = "INSERT OR REPLACE"
            con.register("_staged", data)
            con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM _staged")
            con.unregister("_staged")
            written[table] = data.num_rows
        if written.get("documents"):
            for sql in SUPERSEDE_SQL:
                con.execute(sql, {"load_id": load_id})
        con.execute(POST_LOAD_SQL.read_text(encoding="utf-8"))
        if written.get("documents"):
            try:
                refresh_index(con)
            except SearchUnavailable as exc:  # search is a convenience; the load goes on
                logging.getLogger(__name__).warning("search index not refreshed: %s", exc)
        row = {k: _jsonable(v) for k, v in load_row.items()}
        con.execute(
            f"INSERT INTO loads ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
        )
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        con.close()
    return written


class QueryRefused(ValueError):
    """`query` runs one read-only statement; this was something else."""


class QueryFailed(RuntimeError):
    """DuckDB could not run the query (syntax, unknown table, a file it may not read, ...)."""


# What `newsdag sql` may touch: the warehouse, read-only. No file outside it can be read or
# written (COPY, read_text, ATTACH, EXPORT), no extension loaded, nothing spilled to disk, and
# the configuration locked so a statement cannot turn any of this back on.
SANDBOX = {"enable_external_access": False, "temp_directory": "", "lock_configuration": True}
QUERY_TYPES = {"SELECT", "EXPLAIN"}  # SELECT covers WITH, DESCRIBE, SHOW, SUMMARIZE, PRAGMA


def query(db_path: str | Path, sql: str, wait: LockWait | None = None) -> tuple[list[str], list[tuple]]:
    """One read-only statement in the sandbox above: (column names, rows)."""
    con = _connect(Path(db_path), read_only=True, wait=wait or LockWait(), config=SANDBOX)
    try:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryFailed(str(exc)) from None
        if len(statements) != 1:
            raise QueryRefused(f"one statement at a time ({len(statements)} given)")
        kind = statements[0].type.name
        if kind not in QUERY_TYPES:
            raise QueryRefused(f"only queries run here (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN), not {kind}")
        try:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description or []]
            return names, cur.fetchall()
        except duckdb.Error as exc:
            raise QueryFailed(str(exc)) from None
    finally:
        con.close()
