"""The story step in the shape every stage has: new records and typed rows.

`cluster_stories` (cluster.py) leaves documents and state alone and returns plain rows; this
step turns them into typed rows (`tasks.rows`), gives copies of the documents their `story_id`
(and `story_error` in their notes when their features could not be computed), and lays the rows
over the state so the run's next batch sees this one.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tasks.records import Document
from tasks.rows import Rows, rows_from_dicts
from tasks.stories.cluster import cluster_stories
from tasks.stories.config import DEFAULT_STORY, StoryConfig
from tasks.stories.state import StoryState


def stories_step(docs: list[Document], state: StoryState, config: StoryConfig = DEFAULT_STORY,
                 parsed: Iterable[Any] | Mapping[str, Any] | None = None) -> tuple[list[Document], Rows]:
    """Copies of `docs` with their `story_id` (ok documents), and the rows to write
    (`story_doc_features`, `story_keys`, `story_links`, `story_assignments`, `story_records`,
    `story_merges`); `state` is advanced. `parsed`: the batch's `ParsedDoc`s (a list, or doc_id ->
    ParsedDoc); without them capitalised word sequences stand in for entity names. Counts
    `story_errors` for the run summary."""
    if parsed is not None and not isinstance(parsed, Mapping):
        parsed = {p.doc_id: p for p in parsed}
    story_ids, plain = cluster_stories(docs, state, config, parsed=parsed)
    rows = rows_from_dicts(plain)
    state.absorb(rows)
    errors = {r.doc_id: r.error for r in rows.get("story_doc_features", ()) if r.error}
    out = []
    for d in docs:
        d = d.copy()
        if d.is_ok and story_ids.get(d.doc_id):
            d.story_id = story_ids[d.doc_id]
        if d.doc_id in errors:
            d.notes["story_error"] = errors[d.doc_id]
        out.append(d)
    rows.counts["story_errors"] += len(errors)
    return out, rows
