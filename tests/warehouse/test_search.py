"""Full-text search kept by each load: a load indexes only its own new ok documents, search is
current right after it on a read-only connection, hyphens and digits are searchable, BM25 ranks."""
from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from tests.conftest import rows
from warehouse.fts import SearchUnavailable, search
from warehouse.store import StagedRows, load_run

DOCS = {
    "s400": ("Turkey tests the S-400", "Turkey tested the Russian-made S-400 air defence system, and the US threatened sanctions."),
    "war": ("Talks on the war", "Diplomats met to discuss the Russia-Ukraine war and a ceasefire along the front."),
    "bank": ("Rates unchanged", "The central bank kept rates unchanged; sanctions were not discussed by the bank's board."),
    "copy": ("Turkey tests the S-400", "Turkey tested the Russian-made S-400 air defence system, and the US threatened sanctions."),
}


def _load(db, load_id: str, doc_ids: list[str], status: str = "ok") -> None:
    staged = StagedRows()
    staged.add("documents", [{"doc_id": d, "title": DOCS[d][0], "clean_text": DOCS[d][1], "status": status} for d in doc_ids])
    load_run(db, staged, {"load_id": load_id, "started_at": datetime(2024, 1, 1), "status": "completed"})


def _search(db, query: str) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [h["doc_id"] for h in search(con, query)]
    finally:
        con.close()


def test_hyphenated_words_digits_and_plurals_are_searchable(tmp_path):
    db = tmp_path / "w.duckdb"
    _load(db, "L1", ["s400", "war", "bank"])
    _load(db, "L2", ["copy"], status="duplicate")
    assert _search(db, "S-400") == ["s400"]
    assert _search(db, "Ukraine") == ["war"] and _search(db, "russia-ukraine") == ["war"]
    assert sorted(_search(db, "sanction")) == ["bank", "s400"]
    assert _search(db, "bank") == ["bank"]  # "bank's" is the word bank
    assert _search(db, "the of and") == []  # stopwords only
    assert "copy" not in _search(db, "Turkey")  # duplicates are not indexed


def test_bm25_ranks_more_frequent_rarer_terms_first(tmp_path):
    db = tmp_path / "w.duckdb"
    _load(db, "L1", ["s400", "war", "bank"])
    hits = _search(db, "bank sanctions")
    assert hits[0] == "bank" and set(hits) == {"bank", "s400"}


def test_a_load_indexes_only_its_new_documents_and_search_is_current_at_once(tmp_path):
    db = tmp_path / "w.duckdb"
    _load(db, "L1", ["s400", "bank"])
    first = rows(db, "SELECT term, doc_no, tf FROM search_postings ORDER BY ALL")
    assert _search(db, "ceasefire") == []
    _load(db, "L2", ["war"])
    assert _search(db, "ceasefire") == ["war"]
    assert rows(db, "SELECT term, doc_no, tf FROM search_postings WHERE load_id = 'L1' ORDER BY ALL") == first
    assert rows(db, "SELECT DISTINCT load_id FROM search_postings WHERE load_id <> 'L1'") == [("L2",)]
    _load(db, "L3", ["war"])  # the same document again (upserted): not indexed twice
    assert rows(db, "SELECT count(*) FROM search_docs WHERE doc_id = 'war'") == [(1,)]
    assert rows(db, "SELECT count(*) FROM search_postings WHERE load_id = 'L3'") == [(0,)]


def test_a_warehouse_without_an_index_gets_every_document_indexed_at_its_next_load(tmp_path):
    db = tmp_path / "w.duckdb"
    _load(db, "L1", ["s400", "bank"])
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM search_postings; DELETE FROM search_docs")  # as a warehouse from before the index
    con.close()
    _load(db, "L2", ["war"])
    assert sorted(_search(db, "sanctions ceasefire")) == ["bank", "s400", "war"]


def test_search_on_a_warehouse_without_the_index_says_so(tmp_path):
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        with pytest.raises(SearchUnavailable):
            search(con, "anything")
    finally:
        con.close()
