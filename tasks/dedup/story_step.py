"""The stories step in the shape every stage has: new records and typed rows.

`cluster_stories_batch` (tasks/dedup/stories.py) sets `story_id` on the documents it is given;
this step hands it copies, so the caller's documents are unchanged.
"""
from __future__ import annotations

from collections.abc import Mapping

from tasks.dedup.config import DEFAULT_STORY, StoryConfig
from tasks.dedup.state import DedupState
from tasks.dedup.stories import cluster_stories_batch
from tasks.records import Document
from tasks.rows import Rows, rows_from_dicts


def stories_step(docs: list[Document], state: DedupState, config: StoryConfig = DEFAULT_STORY,
                 entities: Mapping[str, list[str]] | None = None) -> tuple[list[Document], Rows]:
    """Copies of `docs` with their `story_id`, and the rows to write (`story_records`,
    `story_features`, `story_merges`); `state` is advanced. `entities`: doc_id -> entity names."""
    out = [d.copy() for d in docs]
    rows = rows_from_dicts(cluster_stories_batch(out, config=config, state=state, entities=entities))
    rows.counts["story_errors"] += sum("story_error" in d.notes for d in out)
    return out, rows
