"""Helpers for the dedup tests: corpora, documents, and several runs through round-tripped state."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime


from tasks.dedup import DedupConfig, DedupState, deduplicate_batch
from tasks.dedup.config import DEFAULT_DEDUP
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


def ingest_runs(runs: list[list[Document]], dedup_config: DedupConfig = DEFAULT_DEDUP) -> tuple[dict, DedupState]:
    """Run dedup over `runs`, each run starting from the state rows of all earlier runs, as the
    flow does with a warehouse in between. Returns (all rows, final state)."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        state = DedupState.from_rows(rows)
        for table, new in deduplicate_batch(run, config=dedup_config, state=state).items():
            rows[table].extend(new)
    return dict(rows), DedupState.from_rows(rows)


def duplicate_groups(docs: Iterable[Document]) -> set[frozenset[str]]:
    """Groups of two or more documents linked to the same first document."""
    groups: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        if d.duplicate_of:
            groups[d.duplicate_of] |= {d.doc_id, d.duplicate_of}
    return {frozenset(g) for g in groups.values()}
