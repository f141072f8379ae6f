"""Helpers for the story tests: documents, runs through round-tripped state, partitions, B-cubed."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from tasks.dedup import DedupState, deduplicate_batch
from tasks.records import Document
from tasks.stories import StoryConfig, StoryState, cluster_stories
from tasks.stories.config import DEFAULT_STORY
from tasks.stories.train_pair_model import bcubed, ecb_text

from tests.conftest import CORPORA, REPO, SAMPLE, need_corpus  # noqa: F401 -- re-exported to the story tests

__all__ = ["bcubed", "ecb_text"]


def make_doc(doc_id: str, text: str, title: str | None = None, published_at: datetime | None = None) -> Document:
    return Document(doc_id=doc_id, source_uri=doc_id, raw_text=text, clean_text=text, title=title,
                    published_at=published_at)


def ecb_records() -> list[dict]:
    import json

    path = need_corpus("ecbplus-dev") / "docs.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def ingest_runs(runs: list[list[Document]], config: StoryConfig = DEFAULT_STORY, parsed: Mapping | None = None,
                batch_size: int | None = None) -> dict[str, list[dict]]:
    """Dedup and stories over `runs`, each run starting from the rows of all earlier runs (as the
    flow does with a warehouse in between), in batches of `batch_size` within a run. Returns all rows."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        dedup_state = DedupState.from_rows(rows)
        state = StoryState.from_rows(rows)
        size = batch_size or max(len(run), 1)
        for start in range(0, len(run), size):
            batch = run[start:start + size]
            for table, new in deduplicate_batch(batch, state=dedup_state).items():
                rows[table].extend(new)
            _, new = cluster_stories(batch, state, config, parsed=parsed)
            state.absorb(new)
            for table, more in new.items():
                rows[table].extend(more)
    return dict(rows)


def assignments(rows: Mapping[str, Iterable[dict]]) -> dict[str, str]:
    """doc_id -> story_id as the warehouse would hold it (later rows win)."""
    return {r["doc_id"]: r["story_id"] for r in rows.get("story_assignments", ())}


def story_partition(rows: Mapping[str, Iterable[dict]], docs: Iterable[Document] = ()) -> set[frozenset[str]]:
    """Stories as sets of doc_ids; a duplicate among `docs` joins the story of its first document
    (which document of a duplicate group is the ok one depends on arrival order)."""
    story = assignments(rows)
    members = defaultdict(set)
    for doc_id, story_id in story.items():
        members[story_id].add(doc_id)
    for d in docs:
        if d.duplicate_of and d.duplicate_of in story:
            members[story[d.duplicate_of]].add(d.doc_id)
    return {frozenset(ids) for ids in members.values() if ids}
