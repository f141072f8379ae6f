"""What stages learn from the warehouse at the start of a run: one read-only query per state table.

Every function returns plain rows (`list[dict]`); the stages build their state objects from
them (`CleanState.from_rows`, `DedupState.from_rows`, `NlpState.from_rows`, `ReadState.from_rows`)
and never see SQL. A table that does not exist yet (a new warehouse) reads as no rows; a warehouse this newsdag
must not write is refused on opening (`check_compatible`).

    with StateReader(db_path, wait) as wh:
        clean_state = CleanState.from_rows(wh.clean_rows())

Each state table has its own method so a stage's needs stay visible and narrow: a later change
can turn one whole-table read into per-batch lookups without touching the others. Story state is
such a case: it is never read whole but asked for by key, batch by batch
(`warehouse.stories.WarehouseStories`, the `tasks.stories.StoryLookup` of a run).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from warehouse.migrate import check_compatible
from warehouse.store import LockWait, connect_read_only


class StateReader:
    """A short read-only connection (no write lock held) for a run's state reads."""

    def __init__(self, db_path: str | Path, wait: LockWait | None = None) -> None:
        self.path = Path(db_path)
        self.wait = wait
        self.con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> StateReader:
        """Open the warehouse, refusing one this newsdag must not write (a migration it does not
        know, an edited one: `migrate.check_compatible`) or a file that is not one
        (`WarehouseUnreadable`): the run's first read, so a run refused has done no work."""
        if self.path.exists():
            self.con = connect_read_only(self.path, self.wait)
            try:
                check_compatible(self.con)
            except BaseException:
                self.__exit__()
                raise
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def _rows(self, sql: str) -> list[dict]:
        if self.con is None:
            return []
        try:
            return self.con.execute(sql).to_arrow_table().to_pylist()
        except duckdb.CatalogException:
            return []

    # -- read: what is already loaded --------------------------------------------------------
    def document_ids(self) -> list[dict]:
        return self._rows("SELECT doc_id FROM documents")

    def ingested_files(self) -> list[dict]:
        return self._rows("SELECT file_path, size, mtime, file_hash FROM ingested_files")

    # -- clean: per-site line counts -----------------------------------------------------------
    def site_lines(self) -> list[dict]:
        return self._rows("SELECT site, line_key, num_docs FROM site_lines")

    def site_docs(self) -> list[dict]:
        return self._rows("SELECT site, num_docs FROM site_docs")

    # -- dedup ----------------------------------------------------------------------------
    def dedup_keys(self) -> list[dict]:
        return self._rows("SELECT content_hash, doc_id FROM dedup_keys")

    def minhash_bands(self) -> list[dict]:
        return self._rows("SELECT band, bucket, doc_id FROM minhash_bands")

    def minhash_shingles(self) -> list[dict]:
        return self._rows("SELECT doc_id, shingles FROM minhash_shingles")

    # -- nlp: known entities and events --------------------------------------------------------
    def entities(self) -> list[dict]:
        return self._rows("SELECT entity_id, name, label, country_code FROM entities")

    def entity_aliases(self) -> list[dict]:
        return self._rows("SELECT entity_id, alias FROM entity_aliases")

    def entity_label_votes(self) -> list[dict]:
        return self._rows("SELECT entity_id, label, count(*) AS n FROM mentions GROUP BY entity_id, label")

    def event_keys(self) -> list[dict]:
        return self._rows("SELECT event_id, event_type, actor_ids, target_ids, year, month, day, weekday, "
                          "location, confidence, date_source, date_lo, date_hi, story_ids FROM nlp_event_keys")

    def event_arguments(self) -> list[dict]:
        return self._rows("SELECT DISTINCT event_id, role, entity_id, name FROM event_arguments")

    def event_mentions(self) -> list[dict]:
        return self._rows("SELECT DISTINCT event_id, doc_id, start_char FROM event_mentions")

    # -- per stage: the rows its `from_rows` takes ---------------------------------------------
    def read_rows(self) -> dict[str, list[dict]]:
        return {"documents": self.document_ids(), "ingested_files": self.ingested_files()}

    def clean_rows(self) -> dict[str, list[dict]]:
        return {"site_lines": self.site_lines(), "site_docs": self.site_docs()}

    def dedup_rows(self) -> dict[str, list[dict]]:
        return {"dedup_keys": self.dedup_keys(), "minhash_bands": self.minhash_bands(),
                "minhash_shingles": self.minhash_shingles()}

    def nlp_rows(self) -> dict[str, list[dict]]:
        return {"entities": self.entities(), "entity_aliases": self.entity_aliases(),
                "entity_label_votes": self.entity_label_votes(), "event_keys": self.event_keys(),
                "event_arguments": self.event_arguments(), "event_mentions": self.event_mentions()}
