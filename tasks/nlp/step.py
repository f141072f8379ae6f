"""The NLP stage in the shape every stage has.

The parse (expensive, stateless, run in worker processes) takes plain items, never Documents:
`parse_items(docs)`. The link step takes the batch's documents with their parses and returns
new documents, whose notes carry what the parse recorded (`nlp_error` for a document whose
parse failed, `nlp` for notes such as `truncated_at`, `nlp_timeout`, `nlp_skipped`) with the
detected `language`, and the typed rows of the linked entities, quotes and events; `state` is
advanced. Events merge only within a document's story (`story_id`, set by the stories step).
"""
from __future__ import annotations

from tasks.nlp.config import NlpConfig
from tasks.nlp.known import prefetch_batch
from tasks.nlp.link import NlpState, link_batch
from tasks.nlp.parse import ParsedDoc, outcome_notes
from tasks.records import Document
from tasks.rows import Rows


def parse_items(docs: list[Document]) -> list[dict]:
    """What the parse needs of each document (plain and picklable, for worker processes)."""
    return [{"doc_id": d.doc_id, "clean_text": d.clean_text, "published_at": d.published_at,
             "site": d.site, "title": d.title} for d in docs]


def with_parse_notes(doc: Document, parsed: ParsedDoc | None) -> Document:
    """A copy of `doc` with its language and the notes its parse recorded (`outcome_notes`)."""
    out = doc.copy()
    if parsed is None:
        out.notes["nlp_error"] = "not parsed"
        return out
    out.notes.update(outcome_notes(parsed))
    out.language = parsed.language
    return out


def link_step(docs: list[Document], parsed: list[ParsedDoc], state: NlpState,
              config: NlpConfig = NlpConfig()) -> tuple[list[Document], Rows]:
    """Link a parsed batch: (documents with their parse notes, rows). Counts `nlp_errors`
    (documents whose parse failed) and `nlp_truncated` for the run summary.

    The documents' `story_id`s (the stories step runs before this one) are passed on to
    `link_batch`: events of different stories never merge."""
    by_id = {p.doc_id: p for p in parsed}
    out = [with_parse_notes(d, by_id.get(d.doc_id)) for d in docs]
    story_ids = {d.doc_id: d.story_id for d in docs if d.story_id}
    prefetch_batch(state, parsed, config)
    rows = link_batch(parsed, state=state, config=config, story_ids=story_ids or None)
    rows.counts["nlp_errors"] += sum("nlp_error" in d.notes for d in out)
    rows.counts["nlp_truncated"] += sum("truncated_at" in d.notes.get("nlp", {}) for d in out)
    return out, rows
