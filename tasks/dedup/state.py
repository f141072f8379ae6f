"""State that spans runs: what is already in the warehouse, updated in memory as batches pass.

The state tables are read once at the start of a run (read-only, `warehouse.state`);
`DedupState.from_rows` rebuilds the in-memory indexes from their rows. The batch functions update the state and return the
rows that persist the same update, so `DedupState.from_rows(all rows ever returned)` equals the
state after those batches.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tasks.dedup.minhash import shingles_from_bytes


@dataclass
class DedupState:
    """Exact keys, LSH buckets and shingle sets of every ok document loaded."""

    keys: dict[str, str] = field(default_factory=dict)  # content_hash -> first doc_id
    buckets: dict[tuple[int, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    shingles: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None) -> DedupState:
        """Build the state from the state tables' rows (or from rows the batch functions returned).

        Rows of the same primary key seen later win, like the loader's upsert.
        """
        rows = rows or {}
        state = cls()
        for r in rows.get("dedup_keys", ()):
            state.keys.setdefault(r["content_hash"], r["doc_id"])
        seen_band: set[tuple[int, int, str]] = set()
        for r in rows.get("minhash_bands", ()):
            key = (int(r["band"]), int(r["bucket"]), r["doc_id"])
            if key not in seen_band:
                seen_band.add(key)
                state.buckets[(key[0], key[1])].append(key[2])
        for r in rows.get("minhash_shingles", ()):
            state.shingles[r["doc_id"]] = shingles_from_bytes(bytes(r["shingles"]))
        return state
