"""A component larger than `StoryConfig.max_component_docs` is re-clustered only near the new
documents: the members within `recluster_days` of them, or, for an undated new document, the
earlier stories its strong pairs reach. The other members keep their stories untouched."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from stories_support import make_doc

from tasks.stories import StoryState, cluster_stories
from tasks.stories.config import DEFAULT_STORY

FERRY = "Oslo Bergen Tromso Narvik Molde Alta: ferries stopped at Oslo, Bergen and Narvik by a strike of {} crews."
MUSEUM = "Paris Louvre Orsay Monet Renoir Degas: the Louvre opened a wing of Monet and Degas paintings for {} visitors."


def chained(dated: bool) -> tuple[dict[str, list[dict]], list]:
    """Rows of two stories (ferries, a museum) made one component, as a chain of later
    documents would make them; the museum story half a year before the ferries when dated."""
    day = datetime(2021, 5, 3)
    docs = [make_doc(f"f{i}", FERRY.format(100 + i), published_at=day if dated else None) for i in range(3)]
    docs += [make_doc(f"m{i}", MUSEUM.format(200 + i), published_at=day - timedelta(days=180) if dated else None)
             for i in range(3)]
    _, rows = cluster_stories(docs, StoryState())
    stories = {r["doc_id"][0]: r["story_id"] for r in rows["story_assignments"]}
    assert stories["f"] != stories["m"]  # two stories ...
    for r in rows["story_assignments"]:
        r["component_id"] = "c_chain"  # ... in one component
    return rows, docs


def reclustered(rows: dict[str, list[dict]], new, max_component_docs: int) -> set[str]:
    _, out = cluster_stories([new], StoryState.from_rows(rows), replace(DEFAULT_STORY, max_component_docs=max_component_docs))
    return {r["doc_id"] for r in out["story_assignments"]}


def test_an_undated_new_document_reclusters_only_the_stories_it_reaches():
    rows, _ = chained(dated=False)
    new = make_doc("new", FERRY.format(300))
    assert reclustered(rows, new, 300) == {"new", "f0", "f1", "f2", "m0", "m1", "m2"}  # small: all of it
    assert reclustered(rows, new, 5) == {"new", "f0", "f1", "f2"}  # large: the ferry story only


def test_a_dated_new_document_reclusters_only_the_members_near_it_in_time():
    rows, _ = chained(dated=True)
    new = make_doc("new", FERRY.format(300), published_at=datetime(2021, 5, 4))
    assert reclustered(rows, new, 300) == {"new", "f0", "f1", "f2", "m0", "m1", "m2"}
    assert reclustered(rows, new, 5) == {"new", "f0", "f1", "f2"}  # the museum story is 180 days away
