"""Search finds identifiers: a weapon system ("S-400"), a resolution number, a date."""
from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from warehouse.fts import search
from warehouse.store import StagedRows, connect_read_only, load_run

DOCS = {
    "s400": ("Turkey tests the S-400", "Ankara said on Tuesday it tested the Russian-made S-400 air defence system."),
    "res": ("Council vote", "The Security Council endorsed resolution 2231 on the nuclear deal."),
    "date": ("Munich talks", "The ministers met in Munich on 2020-02-17, officials said."),
    "people": ("Protest", "About 400 people marched in the capital; the minister's office said nothing."),
}


@pytest.fixture()
def con(tmp_path):
    db = tmp_path / "news.duckdb"
    staged = StagedRows()
    staged.add("documents", [{"doc_id": k, "source_uri": k, "status": "ok", "title": t, "clean_text": b}
                             for k, (t, b) in DOCS.items()])
    load_run(db, staged, {"load_id": "L1", "started_at": datetime(2024, 1, 1), "status": "completed",
                          "documents_seen": 4, "documents_new": 4})
    c = connect_read_only(db)
    yield c
    c.close()


@pytest.mark.parametrize("query, expected", [("S-400", ["s400"]), ("s-400 air defence", ["s400"]),
                                             ("resolution 2231", ["res"]), ("2231", ["res"]),
                                             ("2020-02-17", ["date"]), ("400 people", ["people", "s400"])])
def test_identifiers_are_found(con, query, expected):
    assert [h["doc_id"] for h in search(con, query)] == expected


def test_documents_loaded_before_the_index_are_found_after_the_next_load(tmp_path):
    """A warehouse from before the load-kept index (0011: its documents are not in it) has them
    indexed by its next load, identifiers included."""
    db = tmp_path / "old.duckdb"
    for load_id, doc_id in (("L1", "s400"), ("L2", "res")):
        staged = StagedRows()
        staged.add("documents", [{"doc_id": doc_id, "source_uri": doc_id, "status": "ok", "title": DOCS[doc_id][0],
                                  "clean_text": DOCS[doc_id][1]}])
        load_run(db, staged, {"load_id": load_id, "started_at": datetime(2024, 1, 1), "status": "completed",
                              "documents_seen": 1, "documents_new": 1})
        if load_id == "L1":
            with duckdb.connect(str(db)) as w:  # as a warehouse indexed by the fts extension
                w.execute("DELETE FROM search_postings; DELETE FROM search_docs")
    c = connect_read_only(db)
    try:
        assert [h["doc_id"] for h in search(c, "S-400")] == ["s400"]
        assert [h["doc_id"] for h in search(c, "2231")] == ["res"]
    finally:
        c.close()
