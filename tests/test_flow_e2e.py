"""The real `ingest` flow under prefect_test_harness, into a temporary DuckDB file."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import SAMPLE, rows

pytestmark = pytest.mark.slow


def test_sample_end_to_end_then_idempotent_rerun(prefect_harness, tmp_path):
    from flows.ingest import ingest

    db = tmp_path / "news.duckdb"
    first = ingest(paths=None, db_path=str(db))
    assert first["documents_new"] == 5
    assert rows(db, "SELECT status, count(*) FROM documents GROUP BY 1") == [("ok", 5)]
    assert rows(db, "SELECT count(DISTINCT doc_id) FROM mentions")[0][0] == 5
    assert rows(db, "SELECT count(*) FROM removed_lines")[0][0] > 0
    assert rows(db, "SELECT count(*) FROM documents WHERE title IS NULL OR clean_text IS NULL")[0][0] <= 1
    for name, table in {"events": "event_records", "entities": "entities", "quotes": "quotes",
                        "mentions": "mentions", "stories": "story_records"}.items():
        assert first[name] == rows(db, f"SELECT count(*) FROM {table}")[0][0], name
    assert first["nlp_errors"] == 0 and first["ok"] == 5
    counts_before = {t: rows(db, f"SELECT count(*) FROM {t}")[0][0]
                     for t in ("documents", "mentions", "entities", "quotes", "event_records", "removed_lines")}

    second = ingest(paths=None, db_path=str(db))
    assert second["documents_new"] == 0
    assert rows(db, "SELECT documents_new FROM loads ORDER BY started_at DESC LIMIT 1") == [(0,)]
    assert rows(db, "SELECT count(*), count(DISTINCT load_id) FROM loads") == [(2, 2)]
    for table, n in counts_before.items():
        assert rows(db, f"SELECT count(*) FROM {table}")[0][0] == n, table


def test_new_files_add_only_their_rows_and_bad_input_is_recorded(prefect_harness, tmp_path):
    from flows.ingest import ingest

    db = tmp_path / "news.duckdb"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE / "000_6434d27c1471fe00.txt", inbox)
    ingest(paths=[str(inbox)], db_path=str(db))
    (inbox / "empty.txt").write_text("")
    (inbox / "broken.json").write_text("{not json")
    # the same article under another name: a second document, linked by dedup
    shutil.copy(SAMPLE / "000_6434d27c1471fe00.txt", inbox / "copy.txt")
    summary = ingest(paths=[str(inbox)], db_path=str(db))
    assert summary["documents_new"] == 3
    got = dict(((r[0], r[1]), r[2]) for r in rows(db, "SELECT status, status_reason, count(*) FROM documents GROUP BY 1, 2"))
    assert got[("rejected", "empty")] == 1 and got[("rejected", "invalid_json")] == 1
    assert got[("duplicate", "exact")] == 1
    dup = rows(db, "SELECT d.duplicate_of, x.method FROM documents d JOIN duplicates x USING (doc_id) WHERE d.status = 'duplicate'")
    first_id = rows(db, "SELECT doc_id FROM documents WHERE source_uri LIKE '%000_6434d27c1471fe00.txt'")[0][0]
    assert dup == [(first_id, "exact")]


def test_nlp_notes_reach_the_documents_and_the_summary(prefect_harness, tmp_path):
    from dataclasses import replace

    from flows.ingest import ingest
    from flows.settings import IngestSettings

    db = tmp_path / "news.duckdb"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE / "000_6434d27c1471fe00.txt", inbox)
    settings = IngestSettings()
    settings = settings.model_copy(update={"nlp": replace(settings.nlp, max_doc_chars=500)})
    summary = ingest(paths=[str(inbox)], db_path=str(db), settings=settings)
    assert summary["nlp_truncated"] == 1
    assert rows(db, "SELECT CAST(notes->'nlp'->>'truncated_at' AS INTEGER) FROM documents") == [(500,)]
    assert rows(db, "SELECT max(end_char) FROM mentions")[0][0] <= 500
