"""What the story stage knows: earlier loads asked for by key, this run's rows kept in memory.

Earlier loads are never read whole. A `StoryLookup` answers the few questions a batch has
(documents sharing a key within a date window, the members of a component, the pair scores
among documents, which story ids exist); `warehouse.stories.WarehouseStories` answers them with
SQL on a read-only connection, `MemoryLookup` from rows (tests, and the same contract).
`StoryState` lays this run's rows over the lookup, so batches of one run see each other.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

from tasks.stories.features import StoryFeatures

TABLES = ("story_doc_features", "story_assignments", "story_links", "story_keys", "story_records", "story_merges")


@dataclass(frozen=True)
class StoredDoc:
    """A clustered document: its features, arrival number and (legacy) starting group."""

    doc_id: str
    seq: int
    features: StoryFeatures


@dataclass(frozen=True)
class Assignment:
    component_id: str
    story_id: str
    day: int | None = None  # publication day of the document (ordinal)


@dataclass(frozen=True)
class Ask:
    """A new document's question for candidates: its index keys and its date window (None: undated,
    no window)."""

    keys: frozenset[str]
    lo_day: int | None = None
    hi_day: int | None = None

    def admits(self, day: int | None) -> bool:
        return self.lo_day is None or day is None or self.lo_day <= day <= self.hi_day


def top_shared(shared: Mapping[str, int], limit: int) -> dict[str, int]:
    """The `limit` documents sharing the most keys (ties: the smaller doc_id first)."""
    best = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:max(0, int(limit))]
    return dict(best)


class StoryLookup(Protocol):
    """Read-only questions about earlier loads (each answer bounded by what the batch asks)."""

    def known(self, doc_ids: list[str]) -> set[str]: ...
    def next_seq(self) -> int: ...
    def candidates(self, asks: Mapping[str, Ask], limit: int) -> dict[str, dict[str, int]]: ...
    # for each new document (asks: new_id -> Ask), the at most `limit` earlier documents sharing
    # the most of its keys within its window: {new_id: {doc_id: keys shared}}
    def documents(self, doc_ids: list[str]) -> dict[str, StoredDoc]: ...
    def assignments(self, doc_ids: list[str]) -> dict[str, Assignment]: ...
    def component_members(self, component_ids: list[str]) -> dict[str, Assignment]: ...
    def links(self, doc_ids: list[str]) -> dict[tuple[str, str], float]: ...
    def taken_story_ids(self, story_ids: list[str]) -> set[str]: ...
    def batch(self) -> AbstractContextManager: ...  # one connection for one batch's questions


BUCKET_DAYS = 32  # a window of +-31 days spans at most three buckets


def dated_key(key: str, day: int | None) -> str:
    """The key with its publication period ("n:ankara@23061", "@u" undated): looked up for the
    periods of a window, it finds the documents of that window without reading older ones."""
    return f"{key}@{day // BUCKET_DAYS}" if day is not None else f"{key}@u"


def window_keys(keys: list[str], lo_day: int, hi_day: int) -> list[str]:
    """The dated keys that cover days lo..hi, and the undated ones (no window applies to them)."""
    periods = range(lo_day // BUCKET_DAYS, hi_day // BUCKET_DAYS + 1)
    return [f"{k}@{p}" for k in keys for p in periods] + [f"{k}@u" for k in keys]


def doc_from_row(r: Mapping[str, Any]) -> StoredDoc:
    return StoredDoc(r["doc_id"], int(r["seq"]), StoryFeatures.from_json(r["features"], r.get("legacy_group")))


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _shared(ask: Ask, postings: Mapping[str, set[str]], day: Mapping[str, int | None]) -> dict[str, int]:
    """Documents of `postings` (key -> doc_ids) in the ask's window, with the count of its keys each has."""
    shared: dict[str, int] = defaultdict(int)
    for k in ask.keys:
        for d in postings.get(k, ()):
            if ask.admits(day.get(d)):
                shared[d] += 1
    return shared


class MemoryLookup:
    """`StoryLookup` over rows (as the loader writes them: keyed tables upserted)."""

    def __init__(self, rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None) -> None:
        rows = rows or {}
        self.docs = {r["doc_id"]: doc_from_row(r) for r in rows.get("story_doc_features", ())}
        self.assign = {r["doc_id"]: Assignment(r["component_id"], r["story_id"], r.get("day"))
                       for r in rows.get("story_assignments", ())}
        self.link_scores = {pair_key(r["doc_id"], r["other_id"]): float(r["score"]) for r in rows.get("story_links", ())}
        self.keys: dict[str, set[str]] = defaultdict(set)
        self.day: dict[str, int | None] = {}
        for r in rows.get("story_keys", ()):
            self.keys[r["key"]].add(r["doc_id"])
            self.day[r["doc_id"]] = r.get("day")
        self.stories = {r["story_id"] for r in rows.get("story_records", ())}

    def known(self, doc_ids: list[str]) -> set[str]:
        return {d for d in doc_ids if d in self.docs}

    def next_seq(self) -> int:
        return max((d.seq for d in self.docs.values()), default=-1) + 1

    def candidates(self, asks: Mapping[str, Ask], limit: int) -> dict[str, dict[str, int]]:
        return {new_id: top_shared(_shared(ask, self.keys, self.day), limit) for new_id, ask in asks.items()}

    def documents(self, doc_ids: list[str]) -> dict[str, StoredDoc]:
        return {d: self.docs[d] for d in doc_ids if d in self.docs}

    def assignments(self, doc_ids: list[str]) -> dict[str, Assignment]:
        return {d: self.assign[d] for d in doc_ids if d in self.assign}

    def component_members(self, component_ids: list[str]) -> dict[str, Assignment]:
        wanted = set(component_ids)
        return {d: a for d, a in self.assign.items() if a.component_id in wanted}

    def links(self, doc_ids: list[str]) -> dict[tuple[str, str], float]:
        ids = set(doc_ids)
        return {k: s for k, s in self.link_scores.items() if k[0] in ids and k[1] in ids}

    def taken_story_ids(self, story_ids: list[str]) -> set[str]:
        return {s for s in story_ids if s in self.stories}

    def batch(self) -> AbstractContextManager:
        return nullcontext()


@dataclass
class StoryState:
    """Earlier loads (`lookup`) plus this run's rows, which win over what the lookup says."""

    lookup: StoryLookup = field(default_factory=MemoryLookup)
    docs: dict[str, StoredDoc] = field(default_factory=dict)
    assign: dict[str, Assignment] = field(default_factory=dict)
    link_scores: dict[tuple[str, str], float] = field(default_factory=dict)
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    stories: set[str] = field(default_factory=set)  # story ids created in this run
    _next_seq: int | None = None

    @classmethod
    def from_rows(cls, rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None) -> StoryState:
        """A state whose earlier loads are `rows` (what the stage returned in earlier runs)."""
        return cls(lookup=MemoryLookup(rows))

    def next_seq(self) -> int:
        if self._next_seq is None:
            self._next_seq = self.lookup.next_seq()
        return self._next_seq

    def known(self, doc_ids: list[str]) -> set[str]:
        return {d for d in doc_ids if d in self.docs} | self.lookup.known([d for d in doc_ids if d not in self.docs])

    def documents(self, doc_ids: Iterable[str]) -> dict[str, StoredDoc]:
        ids = list(doc_ids)
        out = {d: self.docs[d] for d in ids if d in self.docs}
        out.update(self.lookup.documents([d for d in ids if d not in out]))
        return out

    def assignments(self, doc_ids: Iterable[str]) -> dict[str, Assignment]:
        ids = list(doc_ids)
        out = {d: self.assign[d] for d in ids if d in self.assign}
        out.update(self.lookup.assignments([d for d in ids if d not in out]))
        return out

    def component_members(self, component_ids: Iterable[str]) -> dict[str, Assignment]:
        """Members of the components as this run left them: a document this run moved counts
        where it is now."""
        ids = set(component_ids)
        out = {d: a for d, a in self.lookup.component_members(sorted(ids)).items() if d not in self.assign}
        out.update({d: a for d, a in self.assign.items() if a.component_id in ids})
        return out

    def links(self, doc_ids: Iterable[str]) -> dict[tuple[str, str], float]:
        ids = set(doc_ids)
        out = self.lookup.links(sorted(ids))
        out.update({k: s for k, s in self.link_scores.items() if k[0] in ids and k[1] in ids})
        return out

    def run_candidates(self, asks: Mapping[str, Ask], limit: int) -> dict[str, dict[str, int]]:
        """`StoryLookup.candidates` among this run's earlier batches."""
        day = {d: doc.features.day for d, doc in self.docs.items()}
        return {new_id: top_shared(_shared(ask, self.keys, day), limit) for new_id, ask in asks.items()}

    def taken_story_ids(self, story_ids: list[str]) -> set[str]:
        return {s for s in story_ids if s in self.stories} | self.lookup.taken_story_ids(story_ids)

    def absorb(self, rows: Mapping[str, list[dict]]) -> None:
        """Lay a step's rows over the state (the next batch of the run sees them)."""
        for r in rows.get("story_doc_features", ()):
            doc = doc_from_row(r)
            self.docs[doc.doc_id] = doc
            self._next_seq = max(self.next_seq(), doc.seq + 1)
        for r in rows.get("story_assignments", ()):
            self.assign[r["doc_id"]] = Assignment(r["component_id"], r["story_id"], r.get("day"))
        for r in rows.get("story_links", ()):
            self.link_scores[pair_key(r["doc_id"], r["other_id"])] = float(r["score"])
        for r in rows.get("story_keys", ()):
            self.keys[r["key"]].add(r["doc_id"])
        self.stories.update(r["story_id"] for r in rows.get("story_records", ()))
