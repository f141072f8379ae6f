"""Helpers for the dedup tests: corpora, documents, and several runs through round-tripped state."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime


from tasks.dedup import (
    DedupConfig,
    DedupState,
    StoryConfig,
    cluster_stories_batch,
    deduplicate_batch,
)
from tasks.dedup.config import DEFAULT_DEDUP, DEFAULT_STORY
from tasks.records import Document

from tests.conftest import CORPORA, REPO, SAMPLE, need_corpus  # noqa: F401 -- re-exported to the dedup tests


def make_doc(doc_id: str, text: str, title: str | None = None, published_at: datetime | None = None) -> Document:
    return Document(doc_id=doc_id, source_uri=doc_id, raw_text=text, clean_text=text, title=title,
                    published_at=published_at)


def bbc_records() -> list[dict]:
    path = need_corpus("bbc-news") / "bbc-news.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def bbc_docs(records: Iterable[dict]) -> list[Document]:
    return [make_doc(r["id"], r["text"], r["title"]) for r in records]


def ecb_records() -> list[dict]:
    path = need_corpus("ecbplus-dev") / "docs.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def ecb_text(record: dict) -> str:
    """The document's sentences; sentence 0 of an ecbplus document is its source URL, not text."""
    sentences = record["sentences"][1:] if record["first_line_is_url"] else record["sentences"]
    return "\n".join(sentences)


def ecb_docs(records: Iterable[dict]) -> list[Document]:
    return [make_doc(r["doc_id"], ecb_text(r)) for r in records]


def ingest_runs(runs: list[list[Document]], dedup_config: DedupConfig = DEFAULT_DEDUP,
                story_config: StoryConfig = DEFAULT_STORY, stories: bool = True) -> tuple[dict, DedupState]:
    """Run dedup (+ stories) over `runs`, each run starting from the state rows of all earlier runs,
    as the flow does with a warehouse in between. Returns (all rows, final state)."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        state = DedupState.from_rows(rows)
        for table, new in deduplicate_batch(run, config=dedup_config, state=state).items():
            rows[table].extend(new)
        if stories:
            for table, new in cluster_stories_batch(run, config=story_config, state=state).items():
                rows[table].extend(new)
    return dict(rows), DedupState.from_rows(rows)


def duplicate_groups(docs: Iterable[Document]) -> set[frozenset[str]]:
    """Groups of two or more documents linked to the same first document."""
    groups: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        if d.duplicate_of:
            groups[d.duplicate_of] |= {d.doc_id, d.duplicate_of}
    return {frozenset(g) for g in groups.values()}


def story_partition(state: DedupState, docs: Iterable[Document] = ()) -> set[frozenset[str]]:
    """Stories as sets of doc_ids; a duplicate among `docs` joins the story of its first document
    (which document of a duplicate group is the ok one depends on arrival order)."""
    members = defaultdict(set)
    for story, ids in state.story_docs.items():
        members[story].update(ids)
    for d in docs:
        if d.duplicate_of and d.duplicate_of in state.doc_story:
            members[state.doc_story[d.duplicate_of]].add(d.doc_id)
    return {frozenset(ids) for ids in members.values() if ids}


def bcubed_f1(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering `pred` (item -> cluster) against `gold`."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item in gold:
        by_pred[pred[item]].add(item)
        by_gold[gold[item]].add(item)
    p = r = 0.0
    for item in gold:
        common = len(by_pred[pred[item]] & by_gold[gold[item]])
        p += common / len(by_pred[pred[item]])
        r += common / len(by_gold[gold[item]])
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r)
