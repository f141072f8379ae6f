"""Deduplication (exact key, MinHash near duplicates); stories are in `tasks.stories`.

The flow builds `DedupState.from_rows(...)` from the warehouse's state rows
(`warehouse.state`), then per batch calls `dedup_step` (after cleaning), which returns new
documents and the typed rows to write, and advances the state.
"""
from tasks.dedup.config import DedupConfig, MinhashConfig
from tasks.dedup.dedup import dedup_step, deduplicate_batch
from tasks.dedup.exact import exact_key
from tasks.dedup.state import DedupState

__all__ = [
    "DedupConfig",
    "DedupState",
    "MinhashConfig",
    "dedup_step",
    "deduplicate_batch",
    "exact_key",
]
