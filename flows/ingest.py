"""The `ingest` flow: read → clean → deduplicate → NLP → stories → load, in batches.

Wiring only: each stage is a thin task over plain functions in `tasks/`. The run holds an
advisory lock on the database for its whole length (state is read at the start), but DuckDB's
write lock only for the final load, which writes the run in one transaction.
"""
from __future__ import annotations

import secrets
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from prefect import flow, get_run_logger
from prefect.utilities.annotations import quote

from flows.locking import run_lock
from flows.progress import StageProgress, Timer
from flows.report import publish_artifacts
from flows.settings import SAMPLE_DIR, IngestSettings, resolve_db_path, with_environment
from tasks import clean, dedup, nlp, stories
from tasks.read import expand_paths
from tasks.records import Document
from tasks.stages import clean_task, dedup_task, link_task, load_task, parse_task, read_task, stories_task
from warehouse.store import LockWait, StagedRows, known_ids, read_state
from warehouse.stories import WarehouseStories

STAGES = ["read", "clean", "dedup", "nlp", "stories", "link", "load"]
FILES_PER_READ = 64


def document_row(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id, "source_uri": doc.source_uri, "site": doc.site, "title": doc.title,
        "published_at": doc.published_at, "raw_text": doc.raw_text, "clean_text": doc.clean_text,
        "content_hash": doc.content_hash, "status": doc.status, "status_reason": doc.status_reason,
        "duplicate_of": doc.duplicate_of, "story_id": doc.story_id, "author": doc.author,
        "content_type": doc.content_type, "file_path": doc.file_path, "record_no": doc.record_no,
        "notes": doc.notes or None,
    }


def removed_line_rows(doc: Document) -> list[dict[str, Any]]:
    return [{"doc_id": doc.doc_id, "line_no": r.line_no, "text": r.text, "reason": r.reason} for r in doc.removed_lines]


def nlp_item(doc: Document) -> dict[str, Any]:
    return {"doc_id": doc.doc_id, "clean_text": doc.clean_text, "published_at": doc.published_at,
            "site": doc.site, "title": doc.title}


def staged_counts(staged: StagedRows) -> dict[str, int]:
    return {table: staged.count(table) for table in staged.tables}


def summarise(counts: Counter, rejected: Counter, written: dict[str, int], seconds: dict[str, float],
              files: int, files_skipped: int, elapsed: float) -> dict[str, Any]:
    return {
        "files": files, "files_skipped": files_skipped,
        "documents_read": counts["read"], "ok": counts["ok"], "duplicate": counts["duplicate"],
        "rejected": dict(sorted(rejected.items())),
        "stories": written.get("story_records", 0), "entities": written.get("entities", 0),
        "mentions": written.get("mentions", 0), "quotes": written.get("quotes", 0),
        "events": written.get("event_records", 0),
        "seconds": {k: round(v, 2) for k, v in seconds.items()}, "elapsed_s": round(elapsed, 2),
    }


@flow(name="ingest", log_prints=True)
def ingest(paths: list[str] | None = None, db_path: str | None = None,
           settings: IngestSettings | None = None) -> dict[str, Any]:
    """Ingest files and folders of news (txt, html, json, jsonl, optionally gzipped) into DuckDB.

    Args:
        paths: files and folders to read; empty or None reads the bundled sample corpus.
        db_path: the DuckDB file; None means $NEWSDAG_DB, else data/news.duckdb.
        settings: per-stage settings; defaults work.
    """
    settings = with_environment(settings or IngestSettings())
    if settings.runner == "dask":
        return ingest_on_dask.with_options(task_runner=dask_runner(settings))(paths, db_path, settings)
    return run_ingest(paths, db_path, settings, parallel=False)


@flow(name="ingest-on-dask", log_prints=True)
def ingest_on_dask(paths: list[str] | None, db_path: str | None, settings: IngestSettings) -> dict[str, Any]:
    """The same run with the NLP batches submitted to Dask workers."""
    return run_ingest(paths, db_path, settings, parallel=True)


def dask_runner(settings: IngestSettings):
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": settings.dask_workers, "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


def run_ingest(paths: list[str] | None, db_path: str | None, settings: IngestSettings, parallel: bool) -> dict[str, Any]:
    logger = get_run_logger()
    started_at = datetime.now(timezone.utc).replace(tzinfo=None)
    t0 = time.perf_counter()
    files = expand_paths(list(paths) if paths else [SAMPLE_DIR])
    db = resolve_db_path(db_path)
    load_id = f"{started_at:%Y%m%dT%H%M%S}_{secrets.token_hex(3)}"
    logger.info("ingest %d file(s) into %s (load %s)", len(files), db, load_id)

    with run_lock(db, settings.lock_timeout_s):
        wait = LockWait(timeout_s=settings.lock_timeout_s)
        known = known_ids(db, wait)
        states = {
            "clean": clean.CleanState.from_rows(read_state(db, clean.STATE_QUERIES, wait)),
            "dedup": dedup.DedupState.from_rows(read_state(db, dedup.STATE_QUERIES, wait)),
            "nlp": nlp.NlpState.from_rows(read_state(db, nlp.STATE_QUERIES, wait)),
            "stories": stories.StoryState(lookup=WarehouseStories(db, wait)),
        }
        staged = StagedRows()
        counts: Counter = Counter()
        rejected: Counter = Counter()
        files_skipped = 0
        progress = StageProgress(STAGES, len(files), logger)
        try:
            for start in range(0, len(files), FILES_PER_READ):
                chunk = files[start:start + FILES_PER_READ]
                with Timer() as t:
                    docs, file_rows, skipped, already = read_task(chunk, settings.read, quote(known))
                files_skipped += skipped
                staged.add("ingested_files", file_rows)
                counts["read"] += len(docs)
                counts["already_loaded"] += already
                progress.advance("files", len(chunk), t.seconds, total=len(files))
                progress.advance("read", len(docs), t.seconds, total=counts["read"])
                process_documents(docs, settings, states, staged, progress, total=counts["read"], parallel=parallel)
                for doc in docs:
                    counts[doc.status] += 1
                    if doc.status == "rejected":
                        rejected[doc.status_reason or "unknown"] += 1
            load_row = {
                "load_id": load_id, "started_at": started_at, "status": "completed",
                "documents_seen": counts["read"] + counts["already_loaded"], "documents_new": staged.count("documents"),
            }
            with Timer() as t:
                load_row["finished_at"] = datetime.now(timezone.utc).replace(tzinfo=None)
                load_row["summary"] = summarise(counts, rejected, staged_counts(staged), progress.seconds, len(files),
                                                files_skipped, time.perf_counter() - t0)
                load_task(db, quote(staged), quote(load_row), settings.lock_timeout_s)
            progress.advance("load", staged.count("documents"), t.seconds, total=counts["read"])
        finally:
            progress.close()
            nlp.shutdown_workers()

    summary = summarise(counts, rejected, staged_counts(staged), progress.seconds, len(files), files_skipped,
                        time.perf_counter() - t0)
    summary.update({"load_id": load_id, "db_path": str(db), "documents_new": load_row["documents_new"]})
    logger.info("load %s completed: %s", load_id, summary)
    publish_artifacts(summary, staged.rows("event_records"), staged.rows("event_arguments"))
    return summary


def process_documents(docs: list[Document], settings: IngestSettings, states: dict, staged: StagedRows,
                      progress: StageProgress, total: int, parallel: bool) -> None:
    """Documents through every stage; their rows go to `staged`.

    Cleaning and dedup run batch by batch in arrival order (dedup compares with everything
    before), as do linking and story clustering; results never depend on timing. The parse (the
    expensive part) runs in the background in batches of `nlp_batch_size`: with the default
    runner one batch is parsed (in worker processes) while this thread cleans the next batch
    and links the previous one; with Dask every batch is submitted at once to the workers.

    Batches and states are passed `quote`d: Prefect would otherwise walk every element of them
    looking for futures, a cost that grows with the warehouse's state.
    """
    in_flight: list[tuple[list[Document], Any]] = []
    for nlp_batch in nlp_batches(docs, settings.batch_size, settings.nlp_batch_size):
        for b in range(0, len(nlp_batch), settings.batch_size):
            batch = nlp_batch[b:b + settings.batch_size]
            with Timer() as t:
                staged.add_all(clean_task(quote(batch), settings.clean, quote(states["clean"])))
            progress.advance("clean", len(batch), t.seconds, total=total)
            with Timer() as t:
                staged.add_all(dedup_task(quote(batch), settings.dedup, quote(states["dedup"])))
            progress.advance("dedup", len(batch), t.seconds, total=total)
        ok = [d for d in nlp_batch if d.status == "ok"]
        if not parallel:  # one parse at a time: link the previous batch while this one parses
            for done in in_flight:
                link_and_cluster(*done, settings, states, staged, progress, total)
            in_flight = []
        if ok:
            items = [nlp_item(d) for d in ok]
            if parallel:  # Dask workers parse one batch each, in-process (not quoted: a quoted
                # argument does not survive the trip to a Dask worker)
                future = parse_task.submit(items, replace(settings.nlp, n_process=1))
            else:
                future = parse_task.submit(quote(items), settings.nlp)
            in_flight.append((ok, future))
    for done in in_flight:
        link_and_cluster(*done, settings, states, staged, progress, total)

    staged.add("documents", [document_row(d) for d in docs])
    staged.add("removed_lines", [r for d in docs for r in removed_line_rows(d)])


def nlp_batches(docs: list[Document], first: int, size: int) -> list[list[Document]]:
    """NLP batches of `size`, the first one smaller (`first`) so the parse starts early."""
    head = docs[:min(first, size)]
    return [head] + [docs[n:n + size] for n in range(len(head), len(docs), size)] if docs else []


def link_and_cluster(ok: list[Document], future, settings: IngestSettings, states: dict, staged: StagedRows,
                     progress: StageProgress, total: int) -> None:
    """Wait for a batch's parse, then cluster its stories and link it (in submission order).

    Stories come first so that their ids (`story_ids`, doc_id -> story_id) can bound event
    merging in the linker."""
    with Timer() as t:
        parsed = future.result()
    progress.advance("nlp", len(ok), t.seconds, total=total)
    with Timer() as t:
        story_ids, rows = stories_task(quote(ok), quote(parsed), settings.stories, quote(states["stories"]))
        staged.add_all(rows)
    progress.advance("stories", len(ok), t.seconds, total=total)
    with Timer() as t:
        staged.add_all(link_task(quote(parsed), settings.nlp, quote(states["nlp"])))
    progress.advance("link", len(ok), t.seconds, total=total)
