"""What stages learn from the warehouse, asked for per batch on a read-only connection.

A run opens one `StateReader` (read-only: no write lock is held, analysts keep reading) and
closes it before its load. Each stage's state asks it for what the batch at hand needs, never for
a whole table:

    read    the loaded doc_ids among the batch's records, the batch's files as ingested
    clean   the counts of the batch's (site, line) pairs and of its sites
    dedup   the batch's exact keys, the members of its MinHash buckets, the shingles of those
            candidates only
    nlp     the batch's entities (by id and, for a lone surname, by a person's last name), their
            label votes and aliases, and the events with the batch's (type, actors) keys whose
            date windows overlap its mentions' (or who have none)

Keys go in as one list parameter (`IN (SELECT unnest(?))`, two zipped lists for a pair), so every
query is parameterised and one per batch and kind. DuckDB answers with a vectorised scan of the
key columns: time grows with the table only by that scan, and the connection's buffer pool is
capped (`memory_limit`) so the scan streams instead of caching the table: memory is bounded by
the batch, not the warehouse (bench/growth.py measures both).

A table that does not exist yet (a new warehouse) answers nothing; a warehouse this newsdag
must not write is refused on opening (`check_compatible`), before any work; one written by an
older newsdag gets the migrations it lacks on opening (`store.upgrade_schema`, one short write
transaction), so lookups never meet a table of an older shape. Story state is
asked for by key as well, on its own short connections (`warehouse.stories.WarehouseStories`).
`minhash_shingles()` (every row) is for maintenance scripts, never a run.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from warehouse.migrate import check_compatible, pending_migrations
from warehouse.store import LockWait, connect_read_only, upgrade_schema

# Buffer pool of the state connection: enough for a batch's lookups, small enough that a scan
# over a large state table streams through it instead of keeping the table in memory.
STATE_MEMORY_LIMIT = "128MB"

# what merging an event needs beyond its type, actors and date fields (tasks.events.merge.state_from_row)
_DATES = "e.date_source, e.date_lo, e.date_hi, e.story_ids"


IN_KEYS = "IN (SELECT unnest(?::VARCHAR[]))"  # keys as one list parameter: one scan, whatever their number


class StateReader:
    """A read-only connection held for a run's state lookups (closed before the load)."""

    def __init__(self, db_path: str | Path, wait: LockWait | None = None,
                 memory_limit: str = STATE_MEMORY_LIMIT) -> None:
        self.path = Path(db_path)
        self.wait = wait
        self.memory_limit = memory_limit
        self.con: duckdb.DuckDBPyConnection | None = None
        self.queries = 0  # lookups run (a run's summary and the tests read it)
        self._shared_limit = ""  # the database's own memory_limit, set back after each lookup
        self._tables: dict[str, bool] = {}

    def open(self) -> StateReader:
        """Open the warehouse, refusing one this newsdag must not write (a migration it does not
        know, an edited one: `migrate.check_compatible`) or a file that is not one
        (`WarehouseUnreadable`): the run's first read, so a run refused has done no work. A
        reader closed for a load opens again at its next lookup (a warehouse created by that
        load included): what the run asked for before stays known."""
        if self.con is None and self.path.exists():
            con = connect_read_only(self.path, self.wait)
            try:
                check_compatible(con)
                if pending_migrations(con):  # written by an older newsdag: bring its tables up to date first
                    con.close()
                    upgrade_schema(self.path, self.wait)
                    con = connect_read_only(self.path, self.wait)
                self._shared_limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
            except BaseException:
                con.close()
                raise
            self.con, self._tables = con, {}
        return self

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def __enter__(self) -> StateReader:
        return self.open()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _rows(self, sql: str, params: list | None = None) -> list[dict]:
        if self.open().con is None:
            return []
        self.queries += 1
        # The cap is the database's, which the story lookups share (warehouse/stories.py opens the
        # same file in this process and caps its own queries the same way): set for this scan
        # only, then set back (RESET leaves DuckDB's buffer pool at the cap).
        self.con.execute(f"SET memory_limit = '{self.memory_limit}'")
        try:
            return self.con.execute(sql, params or []).to_arrow_table().to_pylist()
        except duckdb.CatalogException:
            return []
        finally:
            self.con.execute(f"SET memory_limit = '{self._shared_limit}'")

    def _has_table(self, name: str) -> bool:
        if self.open().con is None:
            return False
        if name not in self._tables:
            self._tables[name] = bool(self.con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0])
        return self._tables[name]

    def _ask(self, sql: str, *columns: Iterable) -> list[dict]:
        """Rows of `sql` for the keys asked for, each column of keys one list parameter (`IN_KEYS`,
        or unnested side by side for a tuple); nothing asked, no query."""
        lists = [list(c) for c in columns]
        return self._rows(sql, lists) if all(lists) else []

    def _ask_tuples(self, sql: str, tuples: Iterable[tuple]) -> list[dict]:
        """`_ask` with (a, b, ...) tuples, passed as one list per position."""
        tuples = list(tuples)
        return self._ask(sql, *zip(*tuples)) if tuples else []

    # -- read: what is already loaded ----------------------------------------------------------
    def known_doc_ids(self, doc_ids: Iterable[str]) -> set[str]:
        """The ids among `doc_ids` that a document of the warehouse has."""
        return {r["doc_id"] for r in self._ask(f"SELECT doc_id FROM documents WHERE doc_id {IN_KEYS}", doc_ids)}

    def ingested_files(self, paths: Iterable[str]) -> list[dict]:
        """`ingested_files` rows (file_path, size, mtime, file_hash) of `paths`."""
        return self._ask(f"SELECT file_path, size, mtime, file_hash FROM ingested_files WHERE file_path {IN_KEYS}", paths)

    def known_file_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The content hashes among `hashes` of a file already ingested (under any path)."""
        return {r["file_hash"] for r in self._ask(
            f"SELECT DISTINCT file_hash FROM ingested_files WHERE file_hash {IN_KEYS}", hashes)}

    # -- clean: per-site line counts -------------------------------------------------------------
    def site_line_counts(self, pairs: Iterable[tuple[str, str]]) -> list[dict]:
        """`site_lines` rows (site, line_key, num_docs) of the (site, line_key) pairs asked for."""
        return self._ask_tuples(
            "SELECT s.site, s.line_key, s.num_docs FROM site_lines s "
            "SEMI JOIN (SELECT unnest(?::VARCHAR[]) AS site, unnest(?::VARCHAR[]) AS line_key) k "
            "ON s.site = k.site AND s.line_key = k.line_key", pairs)

    def site_doc_counts(self, sites: Iterable[str]) -> list[dict]:
        return self._ask(f"SELECT site, num_docs FROM site_docs WHERE site {IN_KEYS}", sites)

    # -- dedup: exact keys and MinHash ------------------------------------------------------------
    def dedup_keys(self, content_hashes: Iterable[str]) -> list[dict]:
        """`dedup_keys` rows (content_hash, doc_id) of the hashes asked for."""
        return self._ask(f"SELECT content_hash, doc_id FROM dedup_keys WHERE content_hash {IN_KEYS}", content_hashes)

    def minhash_bands(self, band_buckets: Iterable[tuple[int, int]]) -> list[dict]:
        """Distinct `minhash_bands` rows (band, bucket, doc_id) of the (band, bucket) pairs asked for."""
        return self._ask_tuples(
            "SELECT DISTINCT b.band, b.bucket, b.doc_id FROM minhash_bands b "
            "SEMI JOIN (SELECT unnest(?::INTEGER[]) AS band, unnest(?::BIGINT[]) AS bucket) k "
            "ON b.bucket = k.bucket AND b.band = k.band", band_buckets)

    def minhash_shingles_of(self, doc_ids: Iterable[str]) -> list[dict]:
        """`minhash_shingles` rows (doc_id, shingles) of the candidates asked for."""
        return self._ask(f"SELECT doc_id, shingles FROM minhash_shingles WHERE doc_id {IN_KEYS}", doc_ids)

    def minhash_shingles(self) -> list[dict]:
        """Every stored shingle set: for maintenance scripts (scripts/rebuild_minhash_bands.py), never a run."""
        return self._rows("SELECT doc_id, shingles FROM minhash_shingles")

    # -- nlp: known entities and events ------------------------------------------------------------
    def entities(self, entity_ids: Iterable[str]) -> list[dict]:
        """`entities` rows (entity_id, name, label, country_code) of the ids asked for."""
        return self._ask(f"SELECT entity_id, name, label, country_code FROM entities WHERE entity_id {IN_KEYS}", entity_ids)

    def entity_label_votes(self, entity_ids: Iterable[str]) -> list[dict]:
        """(entity_id, label, n): how many mentions of each entity asked for carry each label."""
        if self._has_table("entity_label_votes"):
            return self._ask("SELECT entity_id, label, sum(num_mentions) AS n FROM entity_label_votes "
                             f"WHERE entity_id {IN_KEYS} GROUP BY entity_id, label", entity_ids)
        # a warehouse from before the votes table (its migration builds it at the next load)
        return self._ask("SELECT entity_id, label, count(*) AS n FROM mentions "
                         f"WHERE entity_id {IN_KEYS} GROUP BY entity_id, label", entity_ids)

    def entity_name_forms(self, entity_ids: Iterable[str]) -> list[dict]:
        """(entity_id, form, n): how many mentions of each entity asked for had each spelling."""
        return self._ask("SELECT entity_id, form, sum(num_mentions) AS n FROM entity_name_forms "
                         f"WHERE entity_id {IN_KEYS} GROUP BY entity_id, form", entity_ids)

    def entity_aliases(self, entity_ids: Iterable[str], aliases: Iterable[str]) -> list[dict]:
        """`entity_aliases` rows (entity_id, alias) with an entity and an alias among those asked for."""
        return self._ask(f"SELECT entity_id, alias FROM entity_aliases WHERE entity_id {IN_KEYS} AND alias {IN_KEYS}",
                         entity_ids, aliases)

    def persons_by_last_token(self, tokens: Iterable[str]) -> list[dict]:
        """(last_token, entity_id) of the people (PERSON, two words or more) whose folded name ends
        in one of `tokens` (`entity_person_keys`, kept by the link step)."""
        if self._has_table("entity_person_keys"):
            return self._ask(f"SELECT last_token, entity_id FROM entity_person_keys WHERE last_token {IN_KEYS}", tokens)
        # a warehouse from before the keys table: the same key computed in SQL
        return self._ask(f"SELECT * FROM (SELECT {PERSON_KEY_SQL} AS last_token, entity_id FROM entities "
                         f"WHERE label = 'PERSON') WHERE last_token {IN_KEYS}", tokens)

    def event_candidates(self, asks: Iterable[tuple[str, str, Any, Any]]) -> list[dict]:
        """`nlp_event_keys` rows (and `row_no`, their place in the table) of the events with the
        (event_type, actor_ids) of each ask whose date window overlaps the ask's days lo..hi or
        who have no window; lo = hi = None asks for every event of the key. In table order (the
        order a whole-table read gives: merging prefers the first of equals)."""
        return self._ask_tuples(
            "SELECT e.rowid AS row_no, e.event_id, e.event_type, e.actor_ids, e.target_ids, e.year, e.month, e.day, "
            f"e.weekday, e.location, e.confidence, {_DATES} FROM nlp_event_keys e "
            "SEMI JOIN (SELECT unnest(?::VARCHAR[]) AS event_type, unnest(?::VARCHAR[]) AS actor_ids, "
            "unnest(?::DATE[]) AS lo, unnest(?::DATE[]) AS hi) k "
            "ON e.event_type = k.event_type AND coalesce(e.actor_ids, '') = k.actor_ids "
            "AND (k.lo IS NULL OR e.date_lo IS NULL OR e.date_hi IS NULL OR (e.date_lo <= k.hi AND e.date_hi >= k.lo)) "
            "WHERE NOT e.event_id LIKE '%#hint' ORDER BY e.rowid", asks)

    def event_arguments(self, event_ids: Iterable[str]) -> list[dict]:
        return self._ask(f"SELECT DISTINCT event_id, role, entity_id, name FROM event_arguments WHERE event_id {IN_KEYS}",
                         event_ids)

    def event_mentions(self, event_ids: Iterable[str]) -> list[dict]:
        return self._ask(f"SELECT DISTINCT event_id, doc_id, start_char FROM event_mentions WHERE event_id {IN_KEYS}",
                         event_ids)


# The last word of a person's name folded as tasks.nlp.entities.fold does (punctuation forms,
# accents, case), or NULL for a one-word name; the SQL form of the key the link step writes to
# entity_person_keys, for warehouses built before that table (0010_state_lookups.sql uses it too).
_FOLDED_NAME = "trim(lower(strip_accents(translate(name, '’‘“”—–\u00a0ı', '\'\'\'\'\"\"-- i'))))"
PERSON_KEY_SQL = (f"CASE WHEN len(regexp_split_to_array({_FOLDED_NAME}, '\\s+')) >= 2 "
                  f"THEN regexp_split_to_array({_FOLDED_NAME}, '\\s+')[-1] END")
