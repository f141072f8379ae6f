"""Deduplication (exact key, MinHash near duplicates); stories are in `tasks.stories`.

The flow reads `STATE_QUERIES`, builds `DedupState.from_rows(...)`, then per batch calls
`deduplicate_batch` (after cleaning), which updates the documents in place, updates the state and
returns the rows to write as `dict[table, list[dict]]`.
"""
from tasks.dedup.config import DedupConfig, MinhashConfig
from tasks.dedup.dedup import deduplicate_batch
from tasks.dedup.exact import exact_key
from tasks.dedup.state import STATE_QUERIES, DedupState

__all__ = [
    "STATE_QUERIES",
    "DedupConfig",
    "DedupState",
    "MinhashConfig",
    "deduplicate_batch",
    "exact_key",
]
