"""The thin Prefect tasks: each runs one stage's step over a batch.

Every step has one shape, `step(records, state, config) -> (records, rows)`: new records (the
caller's are never changed), the typed rows to write (`tasks.rows`), and the stage's state
advanced so the next batch sees this one. The work is in `tasks/<stage>/`; these wrappers only
add Prefect's bookkeeping (names, timing in the UI). Inputs are large and not worth hashing, so
nothing is cached; only I/O retries (inside the read step).
"""
from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks import clean, dedup, nlp, stories
from tasks.read import ReadConfig, ReadState, read_step
from tasks.records import Document
from tasks.rows import Rows
from warehouse.store import LockWait, StagedRows, load_run


@task(name="read", cache_policy=NO_CACHE)
def read_task(files: list[Path], state: ReadState, config: ReadConfig) -> tuple[list[Document], Rows]:
    return read_step(files, state, config)


@task(name="clean", cache_policy=NO_CACHE)
def clean_task(docs: list[Document], state: "clean.CleanState", config: "clean.CleanConfig") -> tuple[list[Document], Rows]:
    return clean.clean_step(docs, state, config)


@task(name="dedup", cache_policy=NO_CACHE)
def dedup_task(docs: list[Document], state: "dedup.DedupState", config: "dedup.DedupConfig") -> tuple[list[Document], Rows]:
    return dedup.dedup_step(docs, state, config)


@task(name="nlp-parse", cache_policy=NO_CACHE)
def parse_task(items: list[dict], config: "nlp.NlpConfig") -> list:
    return nlp.parse_batch(items, config=config)


@task(name="stories", cache_policy=NO_CACHE)
def stories_task(docs: list[Document], parsed: list, state: "stories.StoryState",
                 config: "stories.StoryConfig") -> tuple[list[Document], Rows]:
    return stories.stories_step(docs, state, config, parsed=parsed)


@task(name="nlp-link", cache_policy=NO_CACHE)
def link_task(docs: list[Document], parsed: list, state: "nlp.NlpState",
              config: "nlp.NlpConfig") -> tuple[list[Document], Rows]:
    """Link a parsed batch; the documents carry their `story_id` (the stories step runs first)."""
    return nlp.link_step(docs, parsed, state, config)


@task(name="load", cache_policy=NO_CACHE)
def load_task(db_path: Path, staged: StagedRows, load_row: dict, lock_timeout_s: float) -> dict[str, int]:
    """One load of a run (one per chunk of files): waits up to lock_timeout_s for DuckDB's write
    lock (readers holding the file)."""
    return load_run(db_path, staged, load_row, LockWait(timeout_s=lock_timeout_s))
