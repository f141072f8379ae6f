"""A set of character spans that answers "does [s, e) overlap any of them?" in log time.

Extractors that claim text as they go (surname mentions beside NER's, date expressions) used a
list scanned per candidate: quadratic in a long text. Spans here are merged into disjoint
intervals kept sorted, so the one interval that can overlap a query is found by bisection.
"""
from __future__ import annotations

import bisect
from typing import Iterable


class SpanSet:
    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in sorted(spans):
            self.add(s, e)

    def overlaps(self, s: int, e: int) -> bool:
        """Whether [s, e) overlaps a span of the set (as `s < end and start < e`)."""
        k = bisect.bisect_left(self._starts, e) - 1
        return k >= 0 and self._ends[k] > s

    def add(self, s: int, e: int) -> None:
        """Add [s, e), merged with the spans it overlaps."""
        lo = bisect.bisect_left(self._ends, s + 1)  # first interval ending after s
        hi = bisect.bisect_left(self._starts, e)  # intervals starting before e
        if lo < hi:
            s, e = min(s, self._starts[lo]), max(e, self._ends[hi - 1])
        self._starts[lo:hi] = [s]
        self._ends[lo:hi] = [e]

    def __len__(self) -> int:
        return len(self._starts)
