"""Deduplication (exact key, MinHash near duplicates) and incremental story clustering.

The flow builds `DedupState.from_rows(...)` from the warehouse's state rows
(`warehouse.state`), then per batch calls `dedup_step` (after cleaning) and `stories_step`
(after NLP); each returns new documents and the typed rows to write, and advances the state.
"""
from tasks.dedup.config import DedupConfig, MinhashConfig, StoryConfig
from tasks.dedup.dedup import dedup_step, deduplicate_batch
from tasks.dedup.exact import exact_key
from tasks.dedup.state import DedupState
from tasks.dedup.stories import cluster_stories_batch
from tasks.dedup.story_step import stories_step

__all__ = [
    "DedupConfig",
    "DedupState",
    "MinhashConfig",
    "StoryConfig",
    "cluster_stories_batch",
    "dedup_step",
    "deduplicate_batch",
    "exact_key",
    "stories_step",
]
