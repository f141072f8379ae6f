"""Deduplication (exact key, MinHash near duplicates) and incremental story clustering."""
from tasks.dedup.config import DedupConfig, MinhashConfig, StoryConfig
from tasks.dedup.dedup import deduplicate_batch
from tasks.dedup.exact import exact_key
from tasks.dedup.state import STATE_QUERIES, DedupState

__all__ = [
    "STATE_QUERIES",
    "DedupConfig",
    "DedupState",
    "MinhashConfig",
    "StoryConfig",
    "deduplicate_batch",
    "exact_key",
]
