"""The story step: score new documents against their candidates, re-cluster what they touch.

For each new ok document: its features; its candidates (the earlier documents within its date
window that share the most index keys with it, at most `max_candidates`: earlier loads by SQL
through the state's lookup, this run from memory; and the batch itself); the pair probabilities
of `pairs.PairModel`. Pairs at or above `threshold` join components; every component a new
document touches is re-clustered whole by average link (`linkage.average_link`) over the stored
pair scores of its members. The partition is therefore a function of the documents alone (not
of their order or runs) wherever the candidate cap does not bind and no touched component holds
more than `max_component_docs` documents; where the cap binds, a pair sharing few keys with a
document that has many earlier matches is not scored, and a larger component is re-clustered
only near the new documents (`_near_new`).

Story ids stay stable: each cluster keeps the id of the earlier story it holds most of; an
earlier story left without a cluster is recorded as merged (`story_merges`) into the cluster that
took most of its documents; a cluster with no earlier story gets "s_" + its first document's id.
Its label is the headline of its most central document (highest summed pair score; a titled
document before an untitled one).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from tasks.records import Document
from tasks.stories.config import DEFAULT_STORY, StoryConfig
from tasks.stories.features import safe_story_features
from tasks.stories.linkage import average_link, components
from tasks.stories.pairs import load_model
from tasks.stories.scoring import score_pairs
from tasks.stories.state import Ask, Assignment, StoredDoc, StoryState, dated_key, pair_key, top_shared

READ_SLICE = 500  # earlier documents whose features are read and scored at once (~90 KB each, parsed)


def cluster_stories(docs: Iterable[Document], state: StoryState, config: StoryConfig = DEFAULT_STORY,
                    parsed: Mapping[str, Any] | None = None) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """Stories of a batch: returns ({doc_id: story_id} for the batch's ok documents, rows).

    `parsed` maps doc_id to the document's `tasks.nlp.ParsedDoc` (entities, events); without one
    a document's capitalised word sequences stand in for its names. Neither the documents nor
    the state are changed: `state.absorb(rows)` lays the rows over it for the next batch.
    Rows: `story_doc_features`, `story_keys`, `story_links` (new documents), `story_assignments`
    (every member of a re-clustered component), `story_records` (new or relabelled stories) and
    `story_merges`.
    """
    with state.lookup.batch():
        return _cluster(docs, state, config, parsed)


def _cluster(docs: Iterable[Document], state: StoryState, config: StoryConfig,
             parsed: Mapping[str, Any] | None) -> tuple[dict[str, str], dict[str, list[dict]]]:
    parsed = parsed or {}
    model = load_model(config.model_file)
    batch = list(dict.fromkeys(d.doc_id for d in docs if d.is_ok))
    by_id = {d.doc_id: d for d in docs if d.is_ok}
    known = state.known(batch)
    new_ids = [d for d in batch if d not in known]
    rows: dict[str, list[dict]] = defaultdict(list)
    first_seq = state.next_seq()
    new: dict[str, StoredDoc] = {}
    for i, doc_id in enumerate(new_ids):
        feats, error = safe_story_features(by_id[doc_id], parsed.get(doc_id), config)
        new[doc_id] = StoredDoc(doc_id, first_seq + i, feats)
        rows["story_doc_features"].append(_feature_row(new[doc_id], error))
        keys = sorted(feats.index_keys(config.index_terms))
        rows["story_keys"].extend({"key": k, "dated_key": dated_key(k, feats.day), "doc_id": doc_id, "day": feats.day}
                                  for k in keys)

    keys_of = {d: s.features.index_keys(config.index_terms) for d, s in new.items()}
    candidates_of = _candidates(new, keys_of, state, config)
    scores: dict[tuple[str, str], float] = {}
    order, wanted = list(new), sorted(set().union(*candidates_of.values()))
    earlier: set[str] = set()
    # earlier documents' features are read and scored a slice at a time, then dropped: what the
    # stage holds is one slice, whatever the batch's candidates number
    slices = [(wanted[i:i + READ_SLICE], False) for i in range(0, len(wanted), READ_SLICE)] + [(order, True)]
    for right_ids, same in slices:
        stored = {} if same else state.documents(right_ids)
        right = order if same else sorted(stored)
        earlier.update(stored)
        rows_i, cols_j, values = score_pairs([new[d].features for d in order],
                                             [(stored[d] if d in stored else new[d]).features for d in right],
                                             model, config, same=same)
        for i, j, s in zip(rows_i.tolist(), cols_j.tolist(), values.tolist()):
            doc_id, other = order[i], right[j]
            if not same and other not in candidates_of[doc_id]:
                continue  # another new document's candidate: this one's list was cut before it
            if same and new[doc_id].seq < new[other].seq:
                doc_id, other = other, doc_id  # the later arrival names the pair, as across runs
            scores[pair_key(doc_id, other)] = s
            rows["story_links"].append({"doc_id": doc_id, "other_id": other, "score": s})

    current = state.assignments(earlier)
    strong = [k for k, s in scores.items() if s >= config.threshold - 1e-9]
    # what the batch touches: new documents joined by strong pairs to each other and to the
    # components of earlier documents (a component is one node: all of it is re-clustered)
    node = {d: "#" + current[d].component_id if d in current else d for d in set(earlier) | set(new)}
    touched = components(set(new) | {node[d] for k in strong for d in k}, [(node[a], node[b]) for a, b in strong])
    for group in touched:
        old_components = sorted(n[1:] for n in group if n.startswith("#"))
        members = state.component_members(old_components)
        days = [new[d].features.day for d in group if d in new]
        if len(members) > config.max_component_docs:
            members = _near_new(members, days, strong, config)
        member_ids = sorted(set(members) | {d for d in group if d in new})
        first_new = min((d for d in group if d in new), key=lambda d: new[d].seq)
        component_id = old_components[0] if old_components else "c_" + first_new
        _recluster(member_ids, component_id, members, new, scores, state, config, rows)
    result: dict[str, str] = {}
    for r in rows["story_assignments"]:
        result[r["doc_id"]] = r["story_id"]
    out = {d: result[d] if d in result else None for d in batch}
    missing = [d for d, s in out.items() if s is None]
    out.update({d: a.story_id for d, a in state.assignments(missing).items()})
    return out, dict(rows)


def _near_new(members: dict[str, Assignment], days: list[int | None], strong: list[tuple[str, str]],
              config: StoryConfig) -> dict[str, Assignment]:
    """The members of a large component (more than `max_component_docs`) that are re-clustered
    with the new documents: those within `recluster_days` of them (undated members always); when
    a new document is undated, the members of the earlier stories its strong pairs reach. The
    rest keep their stories, so the cost follows the stories a batch touches, not the component,
    which chains stories as the warehouse grows."""
    if None not in days:
        lo, hi = min(days) - config.recluster_days, max(days) + config.recluster_days
        return {d: a for d, a in members.items() if a.day is None or lo <= a.day <= hi}
    reached = {members[d].story_id for pair in strong for d in pair if d in members}
    return {d: a for d, a in members.items() if a.story_id in reached}


def _candidates(new: dict[str, StoredDoc], keys_of: dict[str, set[str]], state: StoryState,
                config: StoryConfig) -> dict[str, set[str]]:
    """Each new document's earlier documents (earlier loads and this run) in its date window that
    share the most index keys with it, at most `config.max_candidates` (ties by doc_id). Where
    the cap does not bind, these are all the earlier documents `score_pairs` would score with it
    (a pair is scored only when it shares a key within the window)."""
    window = int(config.max_days_apart)
    asks = {}
    for d in new.values():
        day = d.features.day
        asks[d.doc_id] = Ask(frozenset(keys_of[d.doc_id]), *((day - window, day + window) if day is not None else ()))
    limit = config.max_candidates
    stored = state.lookup.candidates(asks, limit)
    run = state.run_candidates(asks, limit)
    # the two are disjoint (a run's documents are loaded at its end): the top of their union is
    # the top of their tops
    return {new_id: set(top_shared({**stored.get(new_id, {}), **run.get(new_id, {})}, limit)) - set(new)
            for new_id in asks}


def _recluster(member_ids: list[str], component_id: str, members: dict[str, Assignment],
               new: dict[str, StoredDoc], scores: dict[tuple[str, str], float], state: StoryState,
               config: StoryConfig, rows: dict[str, list[dict]]) -> None:
    """Average link over one component; stable story ids; rows for its members and stories."""
    inside = set(member_ids)
    links = state.links([d for d in member_ids if d not in new])
    links.update({k: s for k, s in scores.items() if k[0] in inside and k[1] in inside})
    docs = state.documents([d for d in member_ids if d not in new])
    docs.update({d: new[d] for d in member_ids if d in new})
    legacy = {d: s.features.legacy_group for d, s in docs.items() if s.features.legacy_group}
    clusters = average_link(member_ids, links, config.threshold, groups=legacy)
    ids = _story_ids(clusters, members, docs, state, rows)
    cluster_of = {d: n for n, cluster in enumerate(clusters) for d in cluster}
    central: Counter[str] = Counter()
    for (a, b), s in links.items():
        if cluster_of.get(a) == cluster_of.get(b):
            central[a] += s
            central[b] += s
    for cluster, story_id in zip(clusters, ids):
        for d in cluster:
            rows["story_assignments"].append({"doc_id": d, "component_id": component_id, "story_id": story_id,
                                              "day": docs[d].features.day})
        before = {d for d, a in members.items() if a.story_id == story_id}
        if before != set(cluster):
            rows["story_records"].append({"story_id": story_id, "label": _label(cluster, docs, central)})


def _story_ids(clusters: list[list[str]], members: dict[str, Assignment], docs: dict[str, StoredDoc],
               state: StoryState, rows: dict[str, list[dict]]) -> list[str]:
    overlap = Counter((members[d].story_id, i) for i, c in enumerate(clusters) for d in c if d in members)
    ids: list[str | None] = [None] * len(clusters)
    kept: set[str] = set()
    for (story_id, i), _ in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1])):
        if ids[i] is None and story_id not in kept:
            ids[i] = story_id
            kept.add(story_id)
    for i, c in enumerate(clusters):
        if ids[i] is None:
            first = min(c, key=lambda d: (docs[d].seq, d))
            ids[i] = _free_id("s_" + first, state)
    for story_id in sorted({a.story_id for a in members.values()} - kept):
        into = max(range(len(clusters)), key=lambda i: (overlap.get((story_id, i), 0), -i))
        rows["story_merges"].append({"story_id": story_id, "merged_into": ids[into]})
    return ids  # type: ignore[return-value]


def _free_id(story_id: str, state: StoryState) -> str:
    """`story_id`, or with a suffix when a story of that id existed (split off, then merged)."""
    candidates = [story_id] + [f"{story_id}~{n}" for n in range(1, 100)]
    taken = state.taken_story_ids(candidates)
    return next(c for c in candidates if c not in taken)


def _label(cluster: list[str], docs: dict[str, StoredDoc], central: Counter) -> str:
    """The headline of the most central document (highest summed score to the other members;
    a titled document before an untitled one)."""
    best = min(cluster, key=lambda d: (not docs[d].features.titled, -round(central[d], 6), docs[d].seq, d))
    return docs[best].features.headline


def _feature_row(doc: StoredDoc, error: str | None) -> dict:
    return {"doc_id": doc.doc_id, "seq": doc.seq, "day": doc.features.day, "legacy_group": None,
            "features": doc.features.to_json(), "error": error}
