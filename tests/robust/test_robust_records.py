"""One bad record never stops a run: each input that crashed the reader or the loader becomes a
rejected row with a reason or a cleaned ok row, and the records beside it still load."""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from tasks.read import ReadConfig, expand_paths, read_file
from tasks.read.readers import parse_datetime
from warehouse.store import StagedRows, load_run, query

GOOD = {"url": "https://example.org/good", "title": "Talks", "text": "The minister said talks would go on."}


def read_all(path: Path, **kw) -> list:
    return list(read_file(path, ReadConfig(**kw)))


def statuses(docs) -> list[tuple]:
    return [(d.status, d.status_reason) for d in docs]


def load_docs(tmp_path: Path, docs) -> list[tuple]:
    """Load Documents as the flow stages them (every field) and read them back."""
    from tasks.rows import document_rows

    staged = StagedRows()
    staged.add_all(document_rows(docs))
    db = tmp_path / "w.duckdb"
    load_run(db, staged, {"load_id": "L1", "started_at": datetime(2024, 1, 1), "status": "completed",
                          "documents_seen": len(docs), "documents_new": len(docs)})
    return query(db, "SELECT source_uri, title, site, raw_text, status, status_reason, file_path FROM documents "
                     "ORDER BY record_no NULLS FIRST")[1]


def test_json_nested_100000_deep_is_too_deep(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000)
    assert statuses(read_all(p)) == [("rejected", "too_deep")]


def test_a_deep_jsonl_line_is_rejected_and_its_neighbours_load(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text("\n".join([json.dumps(GOOD), '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}",
                            json.dumps({**GOOD, "url": "https://example.org/c"})]))
    docs = read_all(p)
    assert statuses(docs) == [("ok", None), ("rejected", "too_deep"), ("ok", None)]
    assert docs[1].record_no == 2


def test_a_5000_digit_integer_is_kept_as_text_and_the_record_loads(tmp_path):
    p = tmp_path / "big.jsonl"
    p.write_text('{"text": "The minister said talks would go on.", "id": ' + "9" * 5000 + "}\n" + json.dumps(GOOD))
    docs = read_all(p)
    assert statuses(docs) == [("ok", None), ("ok", None)]
    assert docs[0].notes["id"] == "9" * 5000
    assert load_docs(tmp_path, docs)[0][4] == "ok"


@pytest.mark.parametrize("published", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+01:00", 1e20, -1e20,
                                       "9999-12-31", True])
def test_a_date_out_of_range_is_no_date_not_an_error(tmp_path, published):
    p = tmp_path / "one.json"
    p.write_text(json.dumps({**GOOD, "published": published}))
    (doc,) = read_all(p)
    assert doc.status == "ok" and doc.published_at is None
    assert "published_unparsed" in doc.notes
    assert parse_datetime("2020-12-29T10:00:00+03:00") == datetime(2020, 12, 29, 7)


def test_lone_surrogates_and_nul_are_scrubbed_from_text_title_url_and_site(tmp_path):
    p = tmp_path / "s.json"
    p.write_bytes(b'{"text": "The minister \\ud800said talks\\u0000 would go on.", "title": "Tal\\udfffks",'
                  b' "url": "https://example.org/\\ud800a", "source": "Exa\\ud800mple"}')
    (doc,) = read_all(p)
    assert doc.status == "ok"
    assert (doc.raw_text, doc.title, doc.source_uri, doc.site) == (
        "The minister said talks would go on.", "Talks", "https://example.org/a", "Example")
    assert doc.notes["chars_removed"] == 2 and doc.notes["title_chars_removed"] == 1
    assert load_docs(tmp_path, [doc])[0][:4] == ("https://example.org/a", "Talks", "Example",
                                                 "The minister said talks would go on.")


def test_the_loader_never_fails_on_a_string_it_cannot_encode(tmp_path):
    from tasks.records import Document

    doc = Document(doc_id="d1", source_uri="x\ud800", raw_text="text \udc80 here", title="t\ud800")
    (row,) = load_docs(tmp_path, [doc])
    assert row[0] == "x?" and row[1] == "t?"


def test_a_file_name_that_is_not_utf8_is_read_and_stored_escaped(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("The minister said talks would go on.")
    (found,) = expand_paths([tmp_path])
    (doc,) = read_all(found)
    assert doc.status == "ok"
    assert doc.source_uri.endswith("caf\\xe9.txt") and doc.file_path == doc.source_uri
    (row,) = load_docs(tmp_path, [doc])
    assert row[0].endswith("caf\\xe9.txt")


def test_a_non_utf8_file_name_is_one_ingested_file_row(tmp_path):
    from tasks.read import ReadState, read_step

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / os.fsdecode(b"caf\xe9.txt")).write_text("The minister said talks would go on.")
    docs, rows = read_step(expand_paths([tmp_path / "in"]), ReadState(), ReadConfig())
    file_rows = rows["ingested_files"]
    assert len(docs) == 1 and file_rows[0].file_path.endswith("caf\\xe9.txt")
    staged = StagedRows()
    staged.add_all(rows)  # storable as it is
    assert staged.rows("ingested_files")[0]["file_path"] == file_rows[0].file_path


def test_an_odd_record_is_a_rejected_row_with_the_error(tmp_path):
    p = tmp_path / "odd.json"
    p.write_text(json.dumps([GOOD, 7, {"text": ["not", "a", "string"]}, {"text": "Body.", "title": {"a": [1]}}]))
    docs = read_all(p)
    assert statuses(docs) == [("ok", None), ("rejected", "invalid_json"), ("rejected", "no_text"), ("ok", None)]
    assert docs[3].title == "{'a': [1]}"
