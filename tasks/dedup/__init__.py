"""Deduplication (exact key, MinHash near duplicates) and incremental story clustering.

The flow reads `STATE_QUERIES`, builds `DedupState.from_rows(...)`, then per batch calls
`deduplicate_batch` (after cleaning) and `cluster_stories_batch` (after NLP); both update the
documents in place, update the state and return the rows to write as `dict[table, list[dict]]`.
"""
from tasks.dedup.config import DedupConfig, MinhashConfig, StoryConfig
from tasks.dedup.dedup import deduplicate_batch
from tasks.dedup.exact import exact_key
from tasks.dedup.state import STATE_QUERIES, DedupState
from tasks.dedup.stories import cluster_stories_batch

__all__ = [
    "STATE_QUERIES",
    "DedupConfig",
    "DedupState",
    "MinhashConfig",
    "StoryConfig",
    "cluster_stories_batch",
    "deduplicate_batch",
    "exact_key",
]
