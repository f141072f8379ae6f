"""One run or several, in any order and batching: the same duplicate groups and the same stories."""
from __future__ import annotations

import copy
import random
from datetime import datetime

from stories_support import SAMPLE, assignments, ecb_records, ecb_text, ingest_runs, make_doc, story_partition

from tasks.dedup import DedupState, deduplicate_batch
from tasks.stories import StoryConfig, StoryState, cluster_stories
from tasks.stories.linkage import average_link
from tasks.stories.pairs import load_model
from tasks.stories.features import story_features


def split_runs(docs, n_runs: int, seed: int):
    docs = [copy.deepcopy(d) for d in docs]
    random.Random(seed).shuffle(docs)
    return [docs[i::n_runs] for i in range(n_runs)]


def duplicate_groups(docs):
    groups: dict[str, set[str]] = {}
    for d in docs:
        if d.duplicate_of:
            groups.setdefault(d.duplicate_of, {d.duplicate_of}).add(d.doc_id)
    return {frozenset(g) for g in groups.values()}


def outcome(runs, batch_size=None):
    rows = ingest_runs(runs, batch_size=batch_size)
    docs = [d for run in runs for d in run]
    return duplicate_groups(docs), story_partition(rows, docs)


def synthetic_corpus():
    """Three small stories, exact and near copies; no corpus needed."""
    base = {
        "a1": "The city council of Springfield approved a new budget on Monday after a long debate about "
              "school funding, road repairs and the price of public transport tickets for students.",
        "a2": "Springfield council approved its budget on Monday; the debate was about school funding and "
              "road repairs, while student transport tickets will cost more, councillors said.",
        "b1": "A magnitude 6.1 earthquake struck off the coast of Northern California early on Sunday, the "
              "US Geological Survey said, shaking buildings in Eureka but causing no damage.",
        "b2": "Northern California was shaken by a 6.1 magnitude earthquake on Sunday morning; the US "
              "Geological Survey located it off the coast near Eureka. No damage was reported.",
        "c1": "Shares in Lumina Motors fell nine percent after the carmaker cut its sales forecast for the "
              "year, blaming weak demand for electric vans in Europe and higher battery costs.",
    }
    docs = [make_doc(k, v) for k, v in base.items()]
    docs.append(make_doc("a1_exact", base["a1"].upper().replace(",", "")))
    docs.append(make_doc("b1_near", base["b1"] + " Officials agreed."))  # 2 new shingles of 30
    return docs


def test_synthetic_one_run_equals_shuffled_runs():
    docs = synthetic_corpus()
    reference = outcome([copy.deepcopy(docs)])
    assert reference[0] == {frozenset({"a1", "a1_exact"}), frozenset({"b1", "b1_near"})}
    assert reference[1] == {frozenset({"a1", "a2", "a1_exact"}), frozenset({"b1", "b2", "b1_near"}), frozenset({"c1"})}
    for seed in range(6):
        assert outcome(split_runs(docs, 3, seed)) == reference
        assert outcome(split_runs(docs, 1, seed), batch_size=2) == reference


def test_rerun_of_the_same_input_adds_nothing():
    docs = synthetic_corpus()
    rows = ingest_runs([copy.deepcopy(docs)])
    again = copy.deepcopy(docs)
    deduplicate_batch(again, state=DedupState.from_rows(rows))  # the copies are duplicates again
    story_ids, new = cluster_stories(again, StoryState.from_rows(rows))
    assert not any(new.values())
    ok = {d.doc_id for d in docs if d.doc_id in assignments(rows)}
    assert {d: s for d, s in story_ids.items() if d in ok} == {d: assignments(rows)[d] for d in ok}


def test_state_is_not_changed_by_a_step_and_absorb_lets_the_next_batch_see_it():
    docs = synthetic_corpus()[:5]
    state = StoryState()
    first, rows = cluster_stories(docs[:1], state)
    assert state.docs == {} and state.assign == {}  # the step itself changes nothing it was given
    state.absorb(rows)
    second, _ = cluster_stories(docs[1:2], state)  # a2 joins a1's story, seen only through the state
    assert second["a2"] == first["a1"] == "s_a1"


def test_stable_ids_and_merges_when_a_bridge_arrives_last():
    a = make_doc("x1", "Firefighters battled a blaze at the Northgate paper mill in Eastport on Friday night.")
    b = make_doc("x2", "Eastport mayor Ann Roe said two warehouses were destroyed and will be rebuilt.")
    bridge = make_doc("x3", "The Northgate paper mill fire in Eastport on Friday destroyed two warehouses, "
                            "firefighters battled the blaze all night and mayor Ann Roe visited the mill.")
    rows = ingest_runs([[a], [b]])
    assert assignments(rows) == {"x1": "s_x1", "x2": "s_x2"}  # below the threshold alone
    rows2 = ingest_runs([[copy.deepcopy(a)], [copy.deepcopy(b)], [bridge]])
    story = assignments(rows2)
    assert story["x1"] == story["x2"] == story["x3"] == "s_x1"
    assert {"story_id": "s_x2", "merged_into": "s_x1"} in rows2["story_merges"]


def test_average_link_does_not_chain_two_groups_through_one_pair():
    scores = {("a", "b"): 0.9, ("c", "d"): 0.9, ("b", "c"): 0.6}  # one strong pair across the groups
    assert average_link(["a", "b", "c", "d"], scores, 0.5) == [["a", "b"], ["c", "d"]]
    # the same members in another order, same clusters
    assert average_link(["d", "c", "b", "a"], scores, 0.5) == [["a", "b"], ["c", "d"]]
    assert average_link(["a", "b", "c"], {("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): 0.2}, 0.5) == [["a", "b", "c"]]


def test_publication_dates_far_apart_are_never_one_story():
    near = [make_doc("e1", "A magnitude 6.1 earthquake shook Eureka in Northern California, the US Geological Survey said.",
                     published_at=datetime(2020, 3, 1)),
            make_doc("e2", "Eureka, Northern California: the US Geological Survey measured the earthquake at magnitude 6.1.",
                     published_at=datetime(2020, 3, 2))]
    far = make_doc("e3", "The US Geological Survey said a magnitude 6.1 earthquake shook Eureka in Northern California.",
                   published_at=datetime(2021, 3, 1))
    story = assignments(ingest_runs([near + [far]]))
    assert story["e1"] == story["e2"] != story["e3"]


def test_label_is_the_most_central_title():
    docs = [
        make_doc("t1", "Springfield council approved the budget on Monday after a debate on schools and roads.",
                 title="Council passes budget"),
        make_doc("t2", "The Springfield council approved its budget on Monday; schools and roads were debated.",
                 title="Springfield council approves budget after school and road debate"),
        make_doc("t3", "Springfield council approved a budget on Monday. Schools and roads dominated the debate.",
                 title="Springfield budget approved"),
    ]
    rows = ingest_runs([docs])
    assert len(set(assignments(rows).values())) == 1
    label = {r["story_id"]: r["label"] for r in rows["story_records"]}[assignments(rows)["t1"]]
    assert label in {d.title for d in docs}
    central = max(docs, key=lambda d: sum(s for r in rows["story_links"] for s in [r["score"]]
                                          if d.doc_id in (r["doc_id"], r["other_id"])))
    assert label == central.title


def test_entities_and_events_from_the_parse_are_used():
    from tasks.nlp.entities import DocMention
    from tasks.nlp.parse import EventRec, ParsedDoc

    a = make_doc("p1", "Officials met on Tuesday.")
    parsed = ParsedDoc("p1", None, None, mentions=[DocMention(0, 6, "Ankara", "GPE", "Ankara", canon="Ankara")],
                       events=[EventRec("CONSULT", "met", "Officials met on Tuesday.", 0, 25, None, None, [], 0.5)])
    f = story_features(a, parsed)
    assert f.where == {"ankara"} and f.names == {"ankara"} and f.event_types == {"CONSULT"} and f.triggers == {"met"}
    assert "n:ankara" in f.index_keys(3)


def test_pair_score_is_symmetric_and_order_free():
    model = load_model(StoryConfig().model_file)
    docs = [make_doc(p.name[:3], p.read_text(encoding="utf-8")) for p in sorted(SAMPLE.glob("*.txt"))]
    feats = [story_features(d) for d in docs]
    for x in feats:
        for y in feats:
            assert model.score(x, y) == model.score(y, x)


def test_ecb_subset_one_run_equals_shuffled_runs():
    records = [r for r in ecb_records() if r["topic"] <= 6]
    docs = [make_doc(r["doc_id"], ecb_text(r)) for r in records]
    reference = outcome(split_runs(docs, 1, 0))
    assert 8 <= len(reference[1]) < len(docs)
    for seed in range(2):
        assert outcome(split_runs(docs, 4, seed), batch_size=17) == reference
