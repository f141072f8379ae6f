"""State that spans runs: what is already in the warehouse, asked for per batch, and what this
run adds, kept in memory as batches pass.

Exact keys, MinHash buckets and shingle sets are asked for through a `DedupSource` (such as
`warehouse.state.StateReader`): the batch's keys, the members of its buckets, the shingles of
those candidates only (`prefetch_*`; any other key read is asked for on its own). The batch
functions update the
state and return the rows that persist the same update, so `DedupState.from_rows(all rows ever
returned)` equals the state after those batches.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from tasks.dedup.minhash import shingles_from_bytes
from tasks.lookup import ReadThroughDict


class DedupSource(Protocol):
    """Where loaded exact keys, LSH buckets and shingle sets are asked for (rows as stored)."""

    def dedup_keys(self, content_hashes: Iterable[str]) -> list[dict]: ...

    def minhash_bands(self, band_buckets: Iterable[tuple[int, int]]) -> list[dict]: ...

    def minhash_shingles_of(self, doc_ids: Iterable[str]) -> list[dict]: ...


@dataclass
class DedupState:
    """Exact keys, LSH buckets and shingle sets of ok documents (this run's and those asked for
    from `source`; all of them when built by `from_rows` alone)."""

    keys: dict[str, str] = field(default_factory=dict)  # content_hash -> first doc_id
    buckets: dict[tuple[int, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    shingles: dict[str, np.ndarray] = field(default_factory=dict)
    source: DedupSource | None = None  # the warehouse's keys, buckets and shingles, asked for per batch

    def __post_init__(self) -> None:
        if self.source is not None:
            self.keys = ReadThroughDict(self._fetch_keys)
            self.buckets = ReadThroughDict(self._fetch_buckets, default_factory=list)
            self.shingles = ReadThroughDict(self._fetch_shingles)

    def _fetch_keys(self, hashes: list[str]) -> dict[str, str]:
        return {r["content_hash"]: r["doc_id"] for r in self.source.dedup_keys(hashes)}

    def _fetch_buckets(self, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
        found: dict[tuple[int, int], list[str]] = defaultdict(list)
        for r in self.source.minhash_bands(pairs):
            found[(int(r["band"]), int(r["bucket"]))].append(r["doc_id"])
        return found

    def _fetch_shingles(self, doc_ids: list[str]) -> dict[str, np.ndarray]:
        return {r["doc_id"]: shingles_from_bytes(bytes(r["shingles"])) for r in self.source.minhash_shingles_of(doc_ids)}

    def prefetch_keys(self, hashes: Iterable[str]) -> None:
        """Ask for a batch's exact keys at once (no-op without a source)."""
        if isinstance(self.keys, ReadThroughDict):
            self.keys.prefetch(hashes)

    def prefetch_candidates(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Ask for a batch's LSH buckets, then for the shingles of the loaded documents in them."""
        if not isinstance(self.buckets, ReadThroughDict):
            return
        pairs = list(pairs)
        self.buckets.prefetch(pairs)
        self.shingles.prefetch(d for p in pairs for d in dict.get(self.buckets, p, ()))

    @classmethod
    def from_rows(cls, rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
                  source: DedupSource | None = None) -> DedupState:
        """Build the state from the state tables' rows (or from rows the batch functions returned),
        with `source` answering for everything else.

        Rows of the same primary key seen later win, like the loader's upsert.
        """
        rows = rows or {}
        state = cls(source=source)
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
