"""Cleaning state that spans documents: how many documents of each site hold each line.

The counts live in the warehouse (`site_lines`, `site_docs`) and are asked for per batch: the
pairs (site, line key) of the batch's pages and the batch's sites (`prefetch`, through a
`CleanSource` such as `warehouse.state.StateReader`). What a run adds is kept in memory, so the
next batch sees it, and written back as the full new counts of the keys a batch touched (upserted
by primary key). Without a source the state is what `from_rows` was given (tests).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from tasks.lookup import ReadThroughDict


class CleanSource(Protocol):
    """Where the counts already loaded are asked for (rows as `site_lines` / `site_docs` hold them)."""

    def site_line_counts(self, pairs: Iterable[tuple[str, str]]) -> list[dict]: ...

    def site_doc_counts(self, sites: Iterable[str]) -> list[dict]: ...


@dataclass
class CleanState:
    """Per-site line counts (`site_lines`) and per-site document counts (`site_docs`): those this
    run has touched or asked for; the rest stays in `source`."""

    line_counts: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    doc_counts: dict[str, int] = field(default_factory=dict)
    source: CleanSource | None = None
    _asked: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.source is not None:
            source = self.source
            self.doc_counts = ReadThroughDict(
                lambda sites: {r["site"]: int(r["num_docs"]) for r in source.site_doc_counts(sites)})

    @classmethod
    def from_rows(cls, rows: Mapping[str, Iterable[Mapping]] | None = None) -> CleanState:
        """Build the state from the rows of `site_lines` and `site_docs` (a missing table means empty)."""
        state = cls()
        rows = rows or {}
        for r in rows.get("site_lines", ()):
            state.line_counts[r["site"]][r["line_key"]] = int(r["num_docs"])
        for r in rows.get("site_docs", ()):
            state.doc_counts[r["site"]] = int(r["num_docs"])
        return state

    def prefetch(self, keys_by_site: Mapping[str, Iterable[str]]) -> None:
        """Ask the source, in one query, for the counts of every (site, key) pair not known yet."""
        if self.source is None:
            return
        todo = [(site, k) for site, keys in keys_by_site.items() for k in keys
                if (site, k) not in self._asked and k not in self.line_counts.get(site, ())]
        if isinstance(self.doc_counts, ReadThroughDict):
            self.doc_counts.prefetch(keys_by_site)
        if not todo:
            return
        self._asked.update(todo)
        for r in self.source.site_line_counts(todo):
            self.line_counts[r["site"]].setdefault(r["line_key"], int(r["num_docs"]))

    def count(self, site: str, key: str) -> int:
        """How many documents of `site` hold the line `key` (the run's own documents included)."""
        counts = self.line_counts.get(site)
        if counts is not None and key in counts:
            return counts[key]
        if self.source is not None and (site, key) not in self._asked:
            self.prefetch({site: [key]})
            return self.line_counts.get(site, {}).get(key, 0)
        return 0

    def add_document(self, site: str, keys: Iterable[str]) -> None:
        keys = list(keys)
        self.prefetch({site: keys})
        counts = self.line_counts[site]
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
        self.doc_counts[site] = self.doc_counts.get(site, 0) + 1

    def counts_for(self, site: str | None) -> tuple[Mapping[str, int], int]:
        if not site:
            return {}, 0
        if self.source is None:
            return self.line_counts.get(site, {}), self.doc_counts.get(site, 0)
        return SiteLineCounts(self, site), self.doc_counts.get(site, 0)

    def rows_for(self, touched: Mapping[str, set[str]]) -> dict[str, list[dict]]:
        """The full new counts of the (site, key) pairs a batch touched, ready to upsert."""
        lines = [
            {"site": site, "line_key": k, "num_docs": self.line_counts[site][k]}
            for site, keys in sorted(touched.items()) for k in sorted(keys)
        ]
        docs = [{"site": site, "num_docs": self.doc_counts[site]} for site in sorted(touched)]
        return {"site_lines": lines, "site_docs": docs}


class SiteLineCounts(Mapping):
    """One site's line counts as the cleaner reads them (`get(line_key, 0)`), looked up in the
    state; a key the batch did not prefetch is asked for on its own."""

    def __init__(self, state: CleanState, site: str) -> None:
        self.state, self.site = state, site

    def __getitem__(self, key: str) -> int:
        n = self.state.count(self.site, key)
        if not n:
            raise KeyError(key)
        return n

    def get(self, key: str, default: int | None = None) -> int | None:
        return self.state.count(self.site, key) or default

    def __len__(self) -> int:
        # truthy once the site has a document (the cleaner skips template marking for an empty map)
        return max(len(self.state.line_counts.get(self.site, ())), 1 if self.state.doc_counts.get(self.site) else 0)

    def __iter__(self) -> Iterator[str]:
        return iter(self.state.line_counts.get(self.site, {}))
