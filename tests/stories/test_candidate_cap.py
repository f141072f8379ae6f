"""Candidates capped per document (`StoryConfig.max_candidates`): the earlier documents in the
window that share the most index keys with a new one, ties by doc_id, from the SQL lookup, the
in-memory one and the run's own documents alike."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from stories_support import make_doc

from tasks.stories import MemoryLookup, StoryState, cluster_stories
from tasks.stories.config import DEFAULT_STORY
from tasks.stories.state import Ask, dated_key
from warehouse.store import StagedRows, load_run
from warehouse.stories import WarehouseStories

QUERY = [f"n:k{i}" for i in range(10)]


def synthetic_keys() -> list[dict]:
    """Documents d000..d119 sharing 1..10 of the query's keys (plus one of their own); every
    tenth one dated far away (outside any window of day 1000), every seventh undated."""
    rows = []
    for i in range(120):
        doc_id = f"d{i:03d}"
        day = None if i % 7 == 0 else 5000 if i % 10 == 3 else 990 + i % 21
        for k in QUERY[:1 + (i * 7) % 10] + [f"t:own{i}"]:
            rows.append({"key": k, "dated_key": dated_key(k, day), "doc_id": doc_id, "day": day, "load_id": "L0"})
    return rows


def brute_force(rows: list[dict], ask: Ask, limit: int) -> dict[str, int]:
    shared: dict[str, int] = {}
    for r in rows:
        if r["key"] in ask.keys and (ask.lo_day is None or r["day"] is None or ask.lo_day <= r["day"] <= ask.hi_day):
            shared[r["doc_id"]] = shared.get(r["doc_id"], 0) + 1
    ranked = sorted(shared, key=lambda d: (-shared[d], d))
    return {d: shared[d] for d in ranked[:limit]}


def test_the_cap_keeps_the_documents_sharing_most_keys_in_sql_and_in_memory(tmp_path):
    rows = synthetic_keys()
    staged = StagedRows()
    staged.add("story_keys", rows)
    db = tmp_path / "w.duckdb"
    load_run(db, staged, {"load_id": "L0", "started_at": datetime(2024, 1, 1), "finished_at": datetime(2024, 1, 1),
                          "status": "completed", "documents_seen": 0, "documents_new": 0})
    asks = {"new_dated": Ask(frozenset(QUERY), 1000 - 31, 1000 + 31),
            "new_undated": Ask(frozenset(QUERY)),
            "new_few": Ask(frozenset(QUERY[5:8] + ["t:own4"]), 1000 - 31, 1000 + 31)}
    sql, memory = WarehouseStories(db), MemoryLookup({"story_keys": rows})
    for limit in (1, 7, 25, 1000):
        expected = {n: brute_force(rows, a, limit) for n, a in asks.items()}
        assert sql.candidates(asks, limit) == expected
        assert memory.candidates(asks, limit) == expected
        assert all(len(c) <= limit for c in expected.values())
    top = sql.candidates(asks, 7)["new_dated"]
    # the cap binds: 7 of the 97 documents in the window, the ones sharing all ten keys
    assert len(brute_force(rows, asks["new_dated"], 1000)) > 50 and set(top.values()) == {10}
    # far away in time: never a candidate, however many keys it shares
    assert not any(int(d[1:]) % 10 == 3 and int(d[1:]) % 7 for d in sql.candidates(asks, 1000)["new_dated"])
    assert "d004" in sql.candidates(asks, 1000)["new_few"]  # its own term is a key like any other


def test_run_candidates_are_capped_the_same_way():
    rows = synthetic_keys()
    state = StoryState()
    for r in rows:
        state.keys[r["key"]].add(r["doc_id"])
    asks = {"new": Ask(frozenset(QUERY))}
    assert state.run_candidates(asks, 5) == {"new": brute_force(rows, asks["new"], 5)}


class CountingLookup(MemoryLookup):
    """Records the earlier documents whose features the stage read first: its candidates (later
    reads are the members of the components they are in)."""

    read: set[str] | None = None

    def documents(self, doc_ids):
        if self.read is None:
            self.read = set(doc_ids)
        return super().documents(doc_ids)


def test_a_stored_document_sharing_more_keys_beats_one_sharing_fewer():
    day = datetime(2021, 5, 3)
    many = make_doc("a_many", "Oslo Bergen Tromso Narvik Molde Alta: ferries stopped at Oslo, Bergen and Narvik.",
                    published_at=day)
    few = make_doc("z_few", "Oslo: a museum opened a new wing for Munch paintings.", published_at=day)
    new = make_doc("new", "Oslo, Bergen, Tromso, Narvik, Molde and Alta ferries stopped by a strike.", published_at=day)
    _, earlier = cluster_stories([many, few], StoryState())
    for limit, expected in ((1, {"a_many"}), (300, {"a_many", "z_few"})):
        lookup = CountingLookup(earlier)
        cluster_stories([new], StoryState(lookup=lookup), replace(DEFAULT_STORY, max_candidates=limit))
        assert lookup.read == expected


def test_a_new_document_is_scored_only_against_its_own_candidates():
    """In a batch, another new document's candidate is read, but not scored with this one when
    this one's list was cut before it."""
    day = datetime(2021, 5, 3)
    first = make_doc("e1", "Oslo Bergen Tromso Narvik Molde Alta: ferries stopped at Oslo, Bergen and Narvik.",
                     published_at=day)
    second = make_doc("e2", "Oslo Bergen Stavanger Drammen Skien: ferries stopped at Oslo, Bergen and Skien.",
                      published_at=day)
    a = make_doc("new_a", "Oslo, Bergen, Tromso, Narvik, Molde and Alta ferries stopped by a strike.", published_at=day)
    b = make_doc("new_b", "Oslo, Bergen, Stavanger, Drammen and Skien ferries stopped by a strike.", published_at=day)
    _, earlier = cluster_stories([first, second], StoryState())

    def links(limit: int) -> set[tuple[str, str]]:
        _, rows = cluster_stories([a, b], StoryState.from_rows(earlier), replace(DEFAULT_STORY, max_candidates=limit))
        return {(r["doc_id"], r["other_id"]) for r in rows["story_links"]}

    assert {("new_a", "e2"), ("new_b", "e1"), ("new_a", "e1"), ("new_b", "e2")} <= links(300)
    assert {("new_a", "e1"), ("new_b", "e2")} <= links(1) and not {("new_a", "e2"), ("new_b", "e1")} & links(1)
