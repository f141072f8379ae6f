"""The thin Prefect tasks: each runs one stage's plain functions over a batch of documents.

The work is in `tasks/<stage>/`; these wrappers only add Prefect's bookkeeping (names, timing in
the UI). Inputs are large and not worth hashing, so nothing is cached; only I/O retries.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks import clean, dedup, nlp, stories
from tasks.read import ReadConfig, file_fingerprint, read_bytes, read_file, rejected_file
from tasks.records import Document
from warehouse.store import LockWait, StagedRows, load_run


IO_RETRY_DELAYS_S = (0.5, 2.0)


def read_with_retries(path: Path, config: ReadConfig, delays: tuple[float, ...] | None = None):
    """The file's bytes; an OS error (a locked or vanishing file, a flaky mount) is transient and
    retried with backoff, then reported as `unreadable`. Bad content is never retried."""
    for delay in (*(IO_RETRY_DELAYS_S if delays is None else delays), None):
        try:
            return read_bytes(path, config)
        except OSError as exc:
            if delay is None:
                return None, f"unreadable: {exc.strerror or type(exc).__name__}"
            time.sleep(delay)


def read_files(files: list[Path], config: ReadConfig, known_files: dict[str, tuple], known_hashes: set[str],
               known_doc_ids: set[str]) -> tuple[list[Document], list[dict], int, int]:
    """Read files not seen before; returns (new documents, ingested_files rows, files skipped,
    records already loaded that were read again)."""
    docs: list[Document] = []
    file_rows: list[dict] = []
    skipped = 0
    already = 0
    for path in files:
        key = str(path.resolve())
        try:
            stat = path.stat()
        except OSError:
            stat = None
        if stat is not None and known_files.get(key) == (stat.st_size, stat.st_mtime):
            skipped += 1
            continue
        data, reason = read_with_retries(path, config)
        if data is None:
            doc = rejected_file(path, reason)
            if doc.doc_id not in known_doc_ids:
                known_doc_ids.add(doc.doc_id)
                docs.append(doc)
            continue
        fingerprint = file_fingerprint(data)
        file_rows.append({"file_path": key, "size": stat.st_size, "mtime": stat.st_mtime, "file_hash": fingerprint})
        if fingerprint in known_hashes and key in known_files:
            skipped += 1  # touched but unchanged
            continue
        for doc in read_file(path, config, data=data):
            if doc.doc_id in known_doc_ids:
                already += 1
                continue
            known_doc_ids.add(doc.doc_id)
            docs.append(doc)
    return docs, file_rows, skipped, already


@task(name="read", cache_policy=NO_CACHE)
def read_task(files: list[Path], config: ReadConfig, known: dict[str, Any]) -> tuple[list[Document], list[dict], int, int]:
    return read_files(files, config, known["files"], known["file_hashes"], known["doc_ids"])


@task(name="clean", cache_policy=NO_CACHE)
def clean_task(docs: list[Document], config: "clean.CleanConfig", state: "clean.CleanState") -> dict[str, list[dict]]:
    return clean.clean_batch(docs, config, state)


@task(name="dedup", cache_policy=NO_CACHE)
def dedup_task(docs: list[Document], config: "dedup.DedupConfig", state: "dedup.DedupState") -> dict[str, list[dict]]:
    return dedup.deduplicate_batch(docs, config=config, state=state)


@task(name="nlp-parse", cache_policy=NO_CACHE)
def parse_task(items: list[dict], config: "nlp.NlpConfig") -> list:
    return nlp.parse_batch(items, config=config)


@task(name="nlp-link", cache_policy=NO_CACHE)
def link_task(parsed: list, config: "nlp.NlpConfig", state: "nlp.NlpState") -> dict[str, list[dict]]:
    return nlp.link_batch(parsed, state=state, config=config)


@task(name="stories", cache_policy=NO_CACHE)
def stories_task(docs: list[Document], parsed: list, config: "stories.StoryConfig",
                 state: "stories.StoryState") -> tuple[dict[str, str], dict[str, list[dict]]]:
    """Stories of a batch: ({doc_id: story_id}, rows); the run's state then holds the rows."""
    story_ids, rows = stories.cluster_stories(docs, state, config, parsed={p.doc_id: p for p in parsed})
    state.absorb(rows)
    return story_ids, rows


@task(name="load", cache_policy=NO_CACHE)
def load_task(db_path: Path, staged: StagedRows, load_row: dict, lock_timeout_s: float) -> dict[str, int]:
    """The run's only write: waits up to lock_timeout_s for DuckDB's write lock (readers holding the file)."""
    return load_run(db_path, staged, load_row, LockWait(timeout_s=lock_timeout_s))
