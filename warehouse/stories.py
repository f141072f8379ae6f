"""Story clustering's questions to earlier loads, as SQL on short read-only connections.

`WarehouseStories` implements `tasks.stories.StoryLookup`: each method answers one question
for one batch (documents sharing an index key within a date window, features of given
documents, members of given components, pair scores among given documents), so a run reads
what its batches touch, never the whole story state. Tables: warehouse/migrations/0009_stories.sql.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from tasks.stories.state import Assignment, StoredDoc, doc_from_row, pair_key, window_keys
from warehouse.store import LockWait, connect_read_only

IDS = "{ids}"  # a literal IN-list (see `_literals`): DuckDB looks keys up in the primary-key index

SQL = {
    "known": f"SELECT doc_id FROM story_doc_features WHERE doc_id IN {IDS}",
    "next_seq": "SELECT coalesce(max(seq) + 1, 0) FROM story_doc_features",
    "candidates_window": f"SELECT DISTINCT doc_id FROM story_keys "
                         f"WHERE (day IS NULL OR day BETWEEN ? AND ?) AND dated_key IN {IDS}",
    "candidates": f"SELECT DISTINCT doc_id FROM story_keys WHERE key IN {IDS}",
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

    def _rows(self, name: str, *params: Any, ids: list[str] | None = None) -> list[tuple]:
        if not self.db_path.exists():
            return []
        sql = SQL[name].replace(IDS, _literals(ids or []))
        with self.batch():
            try:
                return self._con.execute(sql, list(params)).fetchall()
            except duckdb.CatalogException:
                return []

    def known(self, doc_ids: list[str]) -> set[str]:
        return {r[0] for r in self._rows("known", ids=doc_ids)} if doc_ids else set()

    def next_seq(self) -> int:
        rows = self._rows("next_seq")
        return int(rows[0][0]) if rows else 0

    def candidates(self, keys: list[str], lo_day: int | None, hi_day: int | None) -> set[str]:
        if not keys:
            return set()
        if lo_day is None:
            return {r[0] for r in self._rows("candidates", ids=keys)}
        return {r[0] for r in self._rows("candidates_window", lo_day, hi_day, ids=window_keys(keys, lo_day, hi_day))}

    def documents(self, doc_ids: list[str]) -> dict[str, StoredDoc]:
        if not doc_ids:
            return {}
        rows = self._rows("documents", ids=doc_ids)
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
