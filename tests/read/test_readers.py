from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from tasks.read import InputNotFound, ReadConfig, expand_paths, make_doc_id, read_file
from tasks.read.readers import decode_text, parse_datetime
from tests.conftest import REPO

ARTICLE = "A headline\n\nThe minister said on Tuesday that talks would go on.\n"


def read_all(path: Path, **kw) -> list:
    return list(read_file(path, ReadConfig(**kw)))


def test_txt_utf8(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Çavuşoğlu met Lavrov.\n", encoding="utf-8")
    (doc,) = read_all(p)
    assert doc.status == "ok" and doc.content_type == "text"
    assert doc.raw_text.startswith("Çavuşoğlu")
    assert doc.source_uri == str(p) and "encoding" not in doc.notes


def test_txt_falls_back_to_cp1252_and_records_it(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Caf\xe9 talks \u2013 \u201cquoted\u201d".encode("cp1252"))
    (doc,) = read_all(p)
    assert doc.status == "ok"
    assert doc.raw_text == "Caf\xe9 talks \u2013 \u201cquoted\u201d"
    assert doc.notes["encoding"] == "cp1252"


def test_latin1_only_bytes_decode(tmp_path):
    p = tmp_path / "l1.txt"
    p.write_bytes(b"Stra\xdfe \x81 text")  # 0x81 is undefined in cp1252
    (doc,) = read_all(p)
    assert doc.status == "ok" and doc.notes["encoding"] == "latin-1"


def test_nul_bytes_are_removed_and_counted(tmp_path):
    p = tmp_path / "nul.txt"
    p.write_bytes(b"Some text\x00 with a NUL byte in a long enough line of text here.")
    (doc,) = read_all(p)
    assert doc.status == "ok" and "\x00" not in doc.raw_text and doc.notes["nul_bytes_removed"] == 1


@pytest.mark.parametrize("content, reason", [(b"", "empty"), (b"  \n\n ", "empty"), (os.urandom(4096), "binary")])
def test_txt_rejections(tmp_path, content, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    (doc,) = read_all(p)
    assert (doc.status, doc.status_reason) == ("rejected", reason)


def test_too_large_is_rejected_not_read(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"word " * 1000)
    (doc,) = read_all(p, max_bytes=1000)
    assert (doc.status, doc.status_reason) == ("rejected", "too_large")


def test_html_file(tmp_path):
    p = tmp_path / "page.htm"
    p.write_text("<html><body><p>Hello</p></body></html>")
    (doc,) = read_all(p)
    assert doc.content_type == "html" and doc.status == "ok"


def test_gzipped_text_and_corrupt_gzip(tmp_path):
    good = tmp_path / "a.txt.gz"
    good.write_bytes(gzip.compress(ARTICLE.encode()))
    (doc,) = read_all(good)
    assert doc.status == "ok" and doc.raw_text == ARTICLE and doc.content_type == "text"
    bad = tmp_path / "b.txt.gz"
    bad.write_bytes(gzip.compress(ARTICLE.encode() * 50)[:40])
    (doc,) = read_all(bad)
    assert (doc.status, doc.status_reason) == ("rejected", "corrupt_gzip")


def test_json_object_list_and_fields(tmp_path):
    p = tmp_path / "one.json"
    p.write_text(json.dumps({"url": "https://www.example.com/a", "title": "T", "maintext": "Body text.",
                             "date_publish": "2020-02-17 15:45:00", "source_domain": "example.com"}))
    (doc,) = read_all(p)
    assert doc.source_uri == "https://www.example.com/a" and doc.title == "T" and doc.site == "example.com"
    assert doc.published_at.isoformat() == "2020-02-17T15:45:00" and doc.raw_text == "Body text."
    lst = tmp_path / "many.json"
    lst.write_text(json.dumps([{"text": "One."}, {"html": "<p>Two</p>"}, {"title": "no text"}]))
    docs = read_all(lst)
    assert [d.source_uri for d in docs] == [f"{lst}#1", f"{lst}#2", f"{lst}#3"]
    assert [d.content_type for d in docs[:2]] == ["text", "html"]
    assert (docs[2].status, docs[2].status_reason) == ("rejected", "no_text")


def test_jsonl_with_a_broken_line_keeps_the_good_ones(tmp_path):
    p = tmp_path / "c.jsonl.gz"
    lines = [json.dumps({"id": 1, "text": "First."}), "{broken", json.dumps({"id": 3, "text": "Third."})]
    p.write_bytes(gzip.compress("\n".join(lines).encode()))
    docs = read_all(p)
    assert [(d.status, d.status_reason) for d in docs] == [("ok", None), ("rejected", "invalid_json"), ("ok", None)]
    assert docs[2].source_uri == f"{p}#3" and docs[0].notes["id"] == 1


def test_invalid_json_file(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("{nope")
    (doc,) = read_all(p)
    assert (doc.status, doc.status_reason) == ("rejected", "invalid_json")


def test_doc_id_same_record_same_id_other_source_other_id(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ARTICLE)
    b.write_text(ARTICLE)
    (d1,), (d2,), (d3,) = read_all(a), read_all(a), read_all(b)
    assert d1.doc_id == d2.doc_id != d3.doc_id
    assert make_doc_id("x", "text") != make_doc_id("x", "text2")


def test_expand_paths_recursive_and_missing(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x")
    (tmp_path / "b.jsonl.gz").write_bytes(b"")
    (tmp_path / "ignore.png").write_bytes(b"")
    found = expand_paths([tmp_path])
    assert sorted(p.name for p in found) == ["a.txt", "b.jsonl.gz"]
    with pytest.raises(InputNotFound, match="does not exist"):
        expand_paths([tmp_path / "nope"])


def test_decode_and_dates():
    assert decode_text(b"\xef\xbb\xbfhi")[0] == "hi"
    assert parse_datetime("2020-12-29T10:00:00+03:00").isoformat() == "2020-12-29T07:00:00"
    assert parse_datetime(None) is None and parse_datetime("not a date") is None


def test_transient_io_errors_are_retried_then_recorded(tmp_path, monkeypatch):
    from tasks.read import step as stages

    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    calls = {"n": 0}
    real = stages.fingerprint_file

    def flaky(path):
        calls["n"] += 1
        if calls["n"] < 3:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(stages, "fingerprint_file", flaky)
    monkeypatch.setattr(stages, "IO_RETRY_DELAYS_S", (0.0, 0.0))
    docs, rows = stages.read_step([p], stages.ReadState(), ReadConfig())
    assert calls["n"] == 3 and docs[0].status == "ok"  # two transient failures, then read

    calls["n"] = -10
    docs, rows = stages.read_step([p], stages.ReadState(), ReadConfig())
    assert (docs[0].status, docs[0].status_reason) == ("rejected", "unreadable: Permission denied")


def test_bad_content_is_not_retried(tmp_path, monkeypatch):
    from tasks.read import step as stages

    p = tmp_path / "x.txt.gz"
    p.write_bytes(b"not gzip at all")
    calls = {"n": 0}
    real = stages.fingerprint_file

    def counted(path):
        calls["n"] += 1
        return real(path)

    monkeypatch.setattr(stages, "fingerprint_file", counted)
    monkeypatch.setattr(stages, "IO_RETRY_DELAYS_S", (0.0, 0.0))
    docs, _ = stages.read_step([p], stages.ReadState(), ReadConfig())
    assert calls["n"] == 1 and docs[0].status_reason == "corrupt_gzip"


def test_records_already_loaded_are_counted_not_returned(tmp_path):
    from tasks.read import ReadState, read_step

    p = tmp_path / "feed.jsonl"
    p.write_text('{"text": "One."}\n{"text": "Two."}\n')
    docs, rows = read_step([p], ReadState(), ReadConfig())
    assert len(docs) == 2 and rows.counts["already_loaded"] == 0
    assert [r.file_path for r in rows["ingested_files"]] == [str(p.resolve())]
    known = ReadState.from_rows({"documents": [{"doc_id": docs[0].doc_id}]})
    docs2, rows2 = read_step([p], known, ReadConfig())
    assert [d.doc_id for d in docs2] == [docs[1].doc_id] and rows2.counts["already_loaded"] == 1
    assert known.doc_ids == {docs[0].doc_id}  # what the warehouse holds is not changed
    docs3, rows3 = read_step([p], known, ReadConfig())  # read again in the same run: counted once
    assert docs3 == [] and rows3.counts["already_loaded"] == 2


def test_unchanged_files_are_skipped(tmp_path):
    from tasks.read import ReadState, read_step

    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    _, rows = read_step([p], ReadState(), ReadConfig())
    state = ReadState.from_rows({"ingested_files": [r.as_dict() for r in rows["ingested_files"]]})
    docs, rows = read_step([p], state, ReadConfig())
    assert docs == [] and rows.counts["files_skipped"] == 1 and "ingested_files" not in rows


def test_a_cp1251_russian_text_is_read_as_russian(tmp_path):
    fixture = REPO / "tests" / "fixtures" / "ru_cp1251.txt"
    raw = fixture.read_bytes()
    assert raw.decode("cp1251").startswith("Министр")  # the fixture is cp1251 bytes, not UTF-8
    (doc,) = list(read_file(fixture))
    assert doc.status == "ok" and doc.notes["encoding"] == "cp1251"
    assert doc.raw_text.startswith("Министр иностранных дел России Сергей Лавров")
    assert "«Мы договорились" in doc.raw_text and "Ì" not in doc.raw_text
