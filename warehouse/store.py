"""The DuckDB file: read state without the write lock, load a run in one transaction.

DuckDB allows one writing process or many readers per file. A run therefore reads what it needs
up front on a short read-only connection, does all its work, and takes the write lock only for
the load, which writes every row of the run and then the `loads` row in one transaction.
"""
from __future__ import annotations

import json
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Iterable

import duckdb
import pyarrow as pa

from warehouse.fts import index_new_documents
from warehouse.migrate import applied_migrations, apply_migrations, apply_views, pending_migrations


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
    # "... Conflicting lock is held in /usr/bin/python3.11 (PID 30076). See also ..." (paths have dots)
    m = re.search(r"Conflicting lock is held in (.+?(?: \(PID \d+\))?)(?:\. |\.?$)", message)
    return m.group(1).strip() if m else "another process"


# DuckDB's words for a file another process holds; the path it quotes may contain anything
# (a folder named "locks"), so the message is matched by these, never by the word "lock"
_LOCK_CONFLICT = re.compile(r"Could not set lock on file|Conflicting lock is held")

# A write connection appends into row groups of at most this many rows. The checkpoint that ends
# every load rewrites the last row group of each table it appended to, text columns included:
# with DuckDB's default (122,880 rows) a 20-article load into 100k documents rewrote all of
# `documents` (3.7 s and +1.1 GB); with small row groups it rewrites a few thousand rows at most,
# whatever the warehouse's size. The write connection's buffer pool is capped as well.
WRITE_ROW_GROUP_SIZE = 16_384
WRITE_MEMORY_LIMIT = "256MB"


class WarehouseUnreadable(RuntimeError):
    """The file is not a DuckDB database (or not one this DuckDB can open)."""


def _open(db_path: Path, read_only: bool, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    if read_only:
        return duckdb.connect(str(db_path), read_only=True, config=config or {})
    con = duckdb.connect(config={"memory_limit": WRITE_MEMORY_LIMIT} | (config or {}))
    try:
        path = str(db_path).replace("'", "''")
        con.execute(f"ATTACH '{path}' AS warehouse (ROW_GROUP_SIZE {WRITE_ROW_GROUP_SIZE})")
        con.execute("USE warehouse")
    except BaseException:
        con.close()
        raise
    return con


def _connect(db_path: Path, *, read_only: bool, wait: LockWait, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait.timeout_s
    while True:
        try:
            return _open(db_path, read_only, config)
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


def connect_write(db_path: str | Path, wait: LockWait | None = None) -> duckdb.DuckDBPyConnection:
    """A write connection as the load uses (small row groups, capped buffer pool); `warehouse` is
    the database's name in it."""
    return _connect(Path(db_path), read_only=False, wait=wait or LockWait())


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
    """Rows of one run, per table, held as Arrow until the load step.

    Takes the typed rows stages return (`tasks.rows`) or plain dicts; keeps the distinct keys of
    keyed tables (a row re-emitted by a later batch is one row once upserted) and the stages'
    summary counts.
    """

    tables: dict[str, list[pa.Table]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    key_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)

    def add(self, table: str, rows: Iterable[Any]) -> int:
        rows = list(rows)
        if not rows:
            return 0
        if is_dataclass(rows[0]):
            names = [f.name for f in fields(rows[0])]
            columns = {n: [_jsonable(getattr(r, n)) for r in rows] for n in names}
            key = getattr(rows[0], "KEY", ())
            if key:
                self.key_columns[table] = tuple(key)
                self.keys[table].update(tuple(getattr(r, k) for k in key) for r in rows)
        else:
            columns = None
        dicts = [{k: _jsonable(v) for k, v in r.items()} for r in rows] if columns is None else None
        try:
            data = pa.Table.from_pydict(columns) if columns is not None else pa.Table.from_pylist(dicts)
        except (UnicodeError, pa.ArrowInvalid):
            if columns is not None:
                data = pa.Table.from_pydict({n: [_storable(v) for v in vs] for n, vs in columns.items()})
            else:
                data = pa.Table.from_pylist([{k: _storable(v) for k, v in r.items()} for r in dicts])
        self.tables[table].append(data)
        return len(rows)

    def add_all(self, by_table: dict[str, list[Any]]) -> None:
        """Every table of a stage's rows (a `tasks.rows.Rows` or a plain dict), and its counts."""
        for table, rows in by_table.items():
            self.add(table, rows)
        self.counts.update(getattr(by_table, "counts", {}))

    def rows(self, table: str) -> list[dict]:
        """The staged rows of `table` as the load writes them (the last row per key)."""
        parts = self.tables.get(table, [])
        if not parts:
            return []
        data = pa.concat_tables(parts, promote_options="permissive")
        if table in self.key_columns:
            data = _last_per_key(data, list(self.key_columns[table]))
        return data.to_pylist()

    def count(self, table: str) -> int:
        """Rows staged for `table`; for a keyed table of typed rows, distinct keys."""
        if self.keys.get(table):
            return len(self.keys[table])
        return sum(t.num_rows for t in self.tables.get(table, []))


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


# Test hook (tests/test_reliability.py): when this names a file, the load writes it once every row
# is in and then waits before COMMIT, so a test can kill the process inside the transaction and
# know that it did. Never set in a real deployment.
HOLD_ENV = "NEWSDAG_TEST_HOLD_LOAD"


def _hold_before_commit() -> None:
    marker = os.environ.get(HOLD_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(120)


@contextmanager
def write_transaction(db_path: str | Path, wait: LockWait | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write connection inside one transaction: committed when the block ends, rolled back
    when it raises; the connection (and with it the file's write lock) closed either way."""
    con = _connect(Path(db_path), read_only=False, wait=wait or LockWait())
    try:
        con.execute("BEGIN TRANSACTION")
        yield con
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        con.close()


def upgrade_schema(db_path: str | Path, wait: LockWait | None = None) -> list[str]:
    """Apply the migrations an existing warehouse has not had (one written by an older newsdag),
    in one short write transaction, so that a run's lookups can read the tables and columns it
    expects; what was applied, [] when nothing was due (then no write lock is taken)."""
    path = Path(db_path)
    if not path.exists():
        return []
    con = _connect(path, read_only=True, wait=wait or LockWait())
    try:
        if not pending_migrations(con) or not applied_migrations(con):
            return []  # up to date, or a file no load has written yet (its first load builds it)
    finally:
        con.close()
    with write_transaction(path, wait) as con:
        done = apply_migrations(con)
        apply_views(con)
    return done


def load_run(db_path: str | Path, staged: StagedRows, load_row: Any, wait: LockWait | None = None) -> dict[str, int]:
    """Write a run: migrations, every staged table, then the `loads` row (a dict or a
    `tasks.rows.LoadRow`); one transaction."""
    if is_dataclass(load_row):
        load_row = {f.name: getattr(load_row, f.name) for f in fields(load_row)}
    path = Path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with write_transaction(path, wait) as con:
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
        con.execute("SET VARIABLE newsdag_load_id = ?", [load_id])
        con.execute(POST_LOAD_SQL.read_text(encoding="utf-8"))
        index_new_documents(con, load_id)
        row = {k: _jsonable(v) for k, v in load_row.items()}
        con.execute(
            f"INSERT INTO loads ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
        )
        _hold_before_commit()
    return written


def rewrite_table(db_path: str | Path, table: str, staged: StagedRows, wait: LockWait | None = None) -> int:
    """Replace every row of a stage's state table with `staged`'s rows of it, in one transaction
    (a state table rebuilt after its derivation changed; keeps each row's load_id where given)."""
    with write_transaction(db_path, wait) as con:
        con.execute(f"DELETE FROM {table}")
        parts = staged.tables.get(table, [])
        n = 0
        if parts:
            data = pa.concat_tables(parts, promote_options="permissive")
            con.register("_staged", data)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _staged")
            con.unregister("_staged")
            n = data.num_rows
    return n


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
