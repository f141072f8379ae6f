"""The Dask runner gives the same tables as the default runner."""
from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.slow

COMPARED = {
    "documents": "SELECT doc_id, status, title, site, content_hash, duplicate_of, story_id FROM documents",
    "mentions": "SELECT doc_id, entity_id, text, label, start_char, end_char FROM mentions",
    "entities": "SELECT entity_id, name, label FROM entities",
    "quotes": "SELECT doc_id, speaker_entity_id, quote, start_char FROM quotes",
    "events": "SELECT event_id, event_type, event_date, location, num_mentions FROM events",
    "event_mentions": "SELECT event_id, doc_id, start_char, end_char FROM event_mentions",
}


def snapshot(db) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in COMPARED.items()}
    finally:
        con.close()


def test_dask_runner_matches_default(prefect_harness, sample_db, tmp_path):
    from flows.ingest import ingest
    from flows.settings import IngestSettings

    db = tmp_path / "dask.duckdb"
    summary = ingest(paths=None, db_path=str(db),
                     settings=IngestSettings(runner="dask", dask_workers=2, nlp_batch_size=2))
    assert summary["documents_new"] == 5
    dask, default = snapshot(db), snapshot(sample_db)
    for table in COMPARED:
        assert dask[table] == default[table], table
