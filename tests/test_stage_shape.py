"""Every step has one shape, `step(records, state, config) -> (records, rows)`: it returns new
records and typed rows and leaves the records it was given as they were."""
from __future__ import annotations

import copy

from tasks.clean import CleanConfig, CleanState, clean_step
from tasks.dedup import DedupState, dedup_step
from tasks.records import Document
from tasks.rows import Row
from tasks.stories import StoryState, stories_step
from tests.conftest import SAMPLE


def sample_docs() -> list[Document]:
    docs = [Document(p.stem, str(p), p.read_text(encoding="utf-8")) for p in sorted(SAMPLE.glob("*.txt"))]
    docs.append(Document("copy", "/x/copy.txt", docs[0].raw_text))  # the first one again: an exact duplicate
    return docs


def typed(rows) -> bool:
    return all(isinstance(r, Row) and r.TABLE == table for table, rs in rows.items() for r in rs)


def test_steps_return_new_documents_and_typed_rows_and_change_nothing_they_were_given():
    given = sample_docs()
    before = copy.deepcopy(given)
    cleaned, rows = clean_step(given, CleanState(), CleanConfig())
    assert given == before and typed(rows) and rows["site_docs"]
    assert all(c is not g for c, g in zip(cleaned, given)) and all(c.clean_text for c in cleaned)

    snapshot = copy.deepcopy(cleaned)
    deduped, rows = dedup_step(cleaned, DedupState())
    assert cleaned == snapshot and typed(rows)
    assert [(d.doc_id, d.status_reason) for d in deduped if d.status == "duplicate"] == [("copy", "exact")]
    assert all(d.status == "ok" for d in cleaned)

    state = StoryState()
    ok = [d for d in deduped if d.is_ok]
    snapshot = copy.deepcopy(ok)
    storied, rows = stories_step(ok, state, parsed=None)
    assert ok == snapshot and typed(rows) and all(d.story_id for d in storied)
    assert all(d.story_id is None for d in ok)
    assert {r.doc_id for r in rows["story_assignments"]} == {d.doc_id for d in ok}
    again, rows = stories_step(ok, state)  # the state was advanced: nothing new to write
    assert [d.story_id for d in again] == [d.story_id for d in storied] and not rows.get("story_doc_features")


def test_link_step_records_parse_failures_and_notes_on_the_documents():
    from tasks.nlp import NlpConfig, NlpState, ParsedDoc, link_step

    docs = [Document("a", "/x/a", "A.", clean_text="A."), Document("b", "/x/b", "B.", clean_text="B."),
            Document("c", "/x/c", "C.", clean_text="C.")]
    parsed = [ParsedDoc("a", None, None, error="ValueError: bad"),
              ParsedDoc("b", None, None, notes={"truncated_at": 1000, "extract_seconds": 0.1})]
    before = copy.deepcopy(docs)
    out, rows = link_step(docs, parsed, NlpState(), NlpConfig())
    assert docs == before and typed(rows)
    notes = {d.doc_id: d.notes for d in out}
    assert notes["a"] == {"nlp_error": "ValueError: bad"}
    assert notes["b"] == {"nlp": {"truncated_at": 1000}}  # timings are not a property of the document
    assert notes["c"] == {"nlp_error": "not parsed"}
    assert rows.counts["nlp_errors"] == 2 and rows.counts["nlp_truncated"] == 1
