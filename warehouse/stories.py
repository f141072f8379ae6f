"""Story clustering's questions to earlier loads, as SQL on short read-only connections.

`WarehouseStories` implements `tasks.stories.StoryLookup`: each method answers one question
for one batch (documents sharing an index key within a date window, features of given
documents, members of given components, pair scores among given documents), so a run reads
what its batches touch, never the whole story state. Tables: warehouse/migrations/0009_stories.sql.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from tasks.stories.state import Ask, Assignment, StoredDoc, doc_from_row, pair_key, window_keys
from warehouse.state import STATE_MEMORY_LIMIT
from warehouse.store import LockWait, connect_read_only

IDS = "{ids}"  # a literal IN-list (see `_literals`): DuckDB looks keys up in the primary-key index
STORY_MEMORY_LIMIT = STATE_MEMORY_LIMIT  # DuckDB's buffer pool during a story lookup
# features (~10 KB of JSON each) are read this many documents per query: under the cap, a batch's
# candidates cost a few blocks at a time (bench/story_lookup_memory.py, 5,460 candidates' features
# of 100k documents: in one query 1,294 MB at DuckDB's default limit, 430 MB capped; by 100, 244 MB)
DOCUMENTS_PER_QUERY = 100
ASKS = "{asks}"  # literal rows of a VALUES list (see `_rows_of`)

SQL = {
    "known": f"SELECT doc_id FROM story_doc_features WHERE doc_id IN {IDS}",
    "next_seq": "SELECT coalesce(max(seq) + 1, 0) FROM story_doc_features",
    # each new document's earlier documents sharing the most index keys with it, at most ? of
    # them (ties by doc_id); {asks}: (new_id, dated_key, lo, hi) for each key of each dated new
    # document and each 32-day period of its window, the postings read through the key's index
    "top_window": f"SELECT a.new_id, k.doc_id, count(DISTINCT k.key) AS shared FROM story_keys k "
                  f"JOIN (VALUES {ASKS}) a(new_id, dated_key, lo, hi) ON k.dated_key = a.dated_key "
                  f"WHERE k.dated_key IN {IDS} AND (k.day IS NULL OR k.day BETWEEN a.lo AND a.hi) "
                  f"GROUP BY a.new_id, k.doc_id "
                  f"QUALIFY row_number() OVER (PARTITION BY a.new_id ORDER BY shared DESC, k.doc_id) <= ?",
    # the same for undated new documents: (new_id, key), no window
    "top": f"SELECT a.new_id, k.doc_id, count(DISTINCT k.key) AS shared FROM story_keys k "
           f"JOIN (VALUES {ASKS}) a(new_id, key) ON k.key = a.key WHERE k.key IN {IDS} "
           f"GROUP BY a.new_id, k.doc_id "
           f"QUALIFY row_number() OVER (PARTITION BY a.new_id ORDER BY shared DESC, k.doc_id) <= ?",
    "documents": f"SELECT doc_id, seq, features, legacy_group FROM story_doc_features WHERE doc_id IN {IDS}",
    "assignments": f"SELECT doc_id, component_id, story_id, day FROM story_assignments WHERE doc_id IN {IDS}",
    "members": f"SELECT doc_id, component_id, story_id, day FROM story_assignments WHERE component_id IN {IDS}",
    "links": f"SELECT doc_id, other_id, score FROM story_links WHERE doc_id IN {IDS} AND other_id IN {IDS}",
    "taken": f"SELECT story_id FROM story_records WHERE story_id IN {IDS}",
}


def _literals(values: list[str]) -> str:
    """('a', 'b', ...): constants, so that DuckDB uses the primary-key index (a list passed as one
    parameter becomes a join that reads every row, and its cost grows with the warehouse)."""
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def _rows_of(tuples: list[tuple]) -> str:
    """('a', 'b', 3), (...): a VALUES list of literal strings and integers."""
    def lit(v: Any) -> str:
        return str(int(v)) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"
    return ", ".join("(" + ", ".join(lit(v) for v in t) + ")" for t in tuples)


class WarehouseStories:
    """`StoryLookup` over a DuckDB file; an absent file or table answers as empty."""

    def __init__(self, db_path: str | Path, wait: LockWait | None = None) -> None:
        self.db_path = Path(db_path)
        self.wait = wait or LockWait()
        self._con: duckdb.DuckDBPyConnection | None = None

    @contextmanager
    def batch(self):
        """One read-only connection for the questions of one batch (closed after it)."""
        if self._con is not None or not self.db_path.exists():
            yield
            return
        self._con = connect_read_only(self.db_path, self.wait)
        try:
            yield
        finally:
            self._con.close()
            self._con = None

    def _rows(self, name: str, *params: Any, ids: list[str] | None = None,
              asks: list[tuple] | None = None) -> list[tuple]:
        if not self.db_path.exists():
            return []
        values = {IDS: _literals(ids or []), ASKS: _rows_of(asks or [])}
        sql = re.sub(r"\{ids\}|\{asks\}", lambda m: values[m.group(0)], SQL[name])
        with self.batch():
            # the database's buffer pool capped for this query only (set back after it, as
            # warehouse/state.py does): what a lookup reads streams through it instead of staying
            shared = self._con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
            self._con.execute(f"SET memory_limit = '{STORY_MEMORY_LIMIT}'")
            try:
                return self._con.execute(sql, list(params)).fetchall()
            except duckdb.CatalogException:
                return []
            finally:
                self._con.execute(f"SET memory_limit = '{shared}'")

    def known(self, doc_ids: list[str]) -> set[str]:
        return {r[0] for r in self._rows("known", ids=doc_ids)} if doc_ids else set()

    def next_seq(self) -> int:
        rows = self._rows("next_seq")
        return int(rows[0][0]) if rows else 0

    def candidates(self, asks: Mapping[str, Ask], limit: int) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {new_id: {} for new_id in asks}
        dated = [(n, dk, a.lo_day, a.hi_day) for n, a in asks.items() if a.lo_day is not None
                 for dk in window_keys(sorted(a.keys), a.lo_day, a.hi_day)]
        undated = [(n, k) for n, a in asks.items() if a.lo_day is None for k in sorted(a.keys)]
        for name, rows in (("top_window", dated), ("top", undated)):
            if rows:
                ids = sorted({r[1] for r in rows})
                for new_id, doc_id, shared in self._rows(name, int(limit), ids=ids, asks=rows):
                    out[new_id][doc_id] = int(shared)
        return out

    def documents(self, doc_ids: list[str]) -> dict[str, StoredDoc]:
        if not doc_ids:
            return {}
        ids = sorted(set(doc_ids))
        rows = [r for i in range(0, len(ids), DOCUMENTS_PER_QUERY)
                for r in self._rows("documents", ids=ids[i:i + DOCUMENTS_PER_QUERY])]
        return {r[0]: doc_from_row({"doc_id": r[0], "seq": r[1], "features": r[2], "legacy_group": r[3]}) for r in rows}

    def assignments(self, doc_ids: list[str]) -> dict[str, Assignment]:
        return {r[0]: Assignment(*r[1:]) for r in self._rows("assignments", ids=doc_ids)} if doc_ids else {}

    def component_members(self, component_ids: list[str]) -> dict[str, Assignment]:
        if not component_ids:
            return {}
        return {r[0]: Assignment(*r[1:]) for r in self._rows("members", ids=component_ids)}

    def links(self, doc_ids: list[str]) -> dict[tuple[str, str], float]:
        if len(doc_ids) < 2:
            return {}
        return {pair_key(r[0], r[1]): float(r[2]) for r in self._rows("links", ids=doc_ids)}

    def taken_story_ids(self, story_ids: list[str]) -> set[str]:
        return {r[0] for r in self._rows("taken", ids=story_ids)} if story_ids else set()


def document_stories(db_path: str | Path, wait: LockWait | None = None) -> list[dict[str, Any]]:
    """Every document's story as the public tables say (status, duplicate_of, story_id, notes):
    what the story scorers compare with the gold."""
    con = connect_read_only(db_path, wait)
    try:
        cur = con.execute("SELECT doc_id, source_uri, record_no, status, duplicate_of, story_id, notes FROM documents")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()
