"""Cleaning state that spans documents: how many documents of each site hold each line.

Read once per run (`warehouse.state`: the rows of `site_lines` and `site_docs`), updated in memory batch by batch, written back as the
full new counts of the keys a batch touched (upserted by primary key).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

@dataclass
class CleanState:
    """Per-site line counts (`site_lines`) and per-site document counts (`site_docs`)."""

    line_counts: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    doc_counts: dict[str, int] = field(default_factory=dict)

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

    def add_document(self, site: str, keys: Iterable[str]) -> None:
        counts = self.line_counts[site]
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
        self.doc_counts[site] = self.doc_counts.get(site, 0) + 1

    def counts_for(self, site: str | None) -> tuple[Mapping[str, int], int]:
        if not site:
            return {}, 0
        return self.line_counts.get(site, {}), self.doc_counts.get(site, 0)

    def rows_for(self, touched: Mapping[str, set[str]]) -> dict[str, list[dict]]:
        """The full new counts of the (site, key) pairs a batch touched, ready to upsert."""
        lines = [
            {"site": site, "line_key": k, "num_docs": self.line_counts[site][k]}
            for site, keys in sorted(touched.items()) for k in sorted(keys)
        ]
        docs = [{"site": site, "num_docs": self.doc_counts[site]} for site in sorted(touched)]
        return {"site_lines": lines, "site_docs": docs}
