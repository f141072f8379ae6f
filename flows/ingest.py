"""The `ingest` flow: read → clean → deduplicate → NLP parse → stories → link → load, in batches.

Wiring only: each stage is a thin task over plain functions in `tasks/`. The run holds an
advisory lock on the database for its whole length (state is asked for per batch, read-only), but
DuckDB's write lock only for its loads: every `commit_every_files` files (or `commit_every_minutes`)
the rows staged so far are written as one complete load in one transaction, so a kill loses at most
the chunk in progress; the run goes on with its in-memory states, which already hold those rows.
"""
from __future__ import annotations

import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from prefect import flow, get_run_logger
from prefect.utilities.annotations import quote

from flows.locking import run_lock
from flows.progress import StageProgress, Timer
from flows.report import publish_artifacts
from flows.settings import DEFAULT_SETTINGS, SAMPLE_DIR, IngestSettings, resolve_db_path, run_record, with_environment
from tasks import clean, dedup, nlp, stories
from tasks.read import ReadState, expand_paths
from tasks.records import Document
from tasks.rows import completed_load, document_rows
from tasks.stages import clean_task, dedup_task, link_task, load_task, parse_task, read_task, stories_task
from warehouse.state import StateReader
from warehouse.store import LockWait, StagedRows
from warehouse.stories import WarehouseStories

STAGES = ["read", "clean", "dedup", "nlp", "stories", "link", "load"]
FILES_PER_READ = 64
# what the summary counts per table (keyed tables: distinct keys, as the load upserts them)
SUMMARY_TABLES = {"stories": "story_records", "entities": "entities", "mentions": "mentions",
                  "quotes": "quotes", "events": "event_records"}


@dataclass
class RunStates:
    """Each stage's state, asking the warehouse per batch (one read-only connection, `reader`,
    held until the load) and advanced by its steps."""

    read: ReadState
    clean: clean.CleanState
    dedup: dedup.DedupState
    nlp: nlp.NlpState
    stories: stories.StoryState  # earlier loads asked for by key, batch by batch (warehouse/stories.py)
    reader: StateReader | None = None

    @classmethod
    def from_warehouse(cls, db, wait: LockWait) -> RunStates:
        """The states, asking one read-only connection per batch (`StateReader`), which first
        refuses a warehouse this newsdag must not write: before any work is done. Story state
        asks the warehouse on its own short connections (`WarehouseStories`)."""
        reader = StateReader(db, wait).open()
        return cls(read=ReadState.from_source(reader),
                   clean=clean.CleanState(source=reader),
                   dedup=dedup.DedupState(source=reader),
                   nlp=nlp.state_from_source(reader),
                   stories=stories.StoryState(lookup=WarehouseStories(db, wait)),
                   reader=reader)

    def close(self) -> None:
        """Let go of the read-only connection (the load needs the file's write lock)."""
        if self.reader is not None:
            self.reader.close()


@dataclass
class RunTotals:
    """What a run's summary and artifacts say over all its loads: the stages' counts summed, the
    distinct keys of keyed tables united (a row updated by a later load is one row), other tables'
    rows summed; and the rows of the new-events table (documents narrowed to what it shows)."""

    counts: Counter = field(default_factory=Counter)
    keys: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    sizes: Counter = field(default_factory=Counter)
    shown: StagedRows = field(default_factory=StagedRows)
    loads: list[str] = field(default_factory=list)

    def absorb(self, staged: StagedRows, load_id: str) -> None:
        self.counts.update(staged.counts)
        for table, parts in staged.tables.items():
            if staged.keys.get(table):
                self.keys[table] |= staged.keys[table]
            else:
                self.sizes[table] += sum(t.num_rows for t in parts)
        for table in ("event_records", "event_arguments", "event_mentions"):
            self.shown.tables[table].extend(staged.tables.get(table, []))
        self.shown.tables["documents"].extend(
            t.select([c for c in ("doc_id", "site", "source_uri") if c in t.column_names])
            for t in staged.tables.get("documents", []))
        self.shown.key_columns.update(staged.key_columns)
        self.loads.append(load_id)

    def count(self, table: str) -> int:
        return len(self.keys[table]) if self.keys.get(table) else self.sizes[table]


def summarise(staged: StagedRows | RunTotals, seconds: dict[str, float], files: int, elapsed: float) -> dict[str, Any]:
    """The run summary: the stages' counts and what is staged per table."""
    c = staged.counts
    summary = {
        "files": files, "files_skipped": c["files_skipped"],
        "documents_read": c["ok"] + c["duplicate"] + c["rejected"], "already_loaded": c["already_loaded"],
        "ok": c["ok"], "duplicate": c["duplicate"],
        "rejected": {k.split(".", 1)[1]: n for k, n in sorted(c.items()) if k.startswith("rejected.")},
        "clean_errors": c["clean_errors"], "dedup_errors": c["dedup_errors"], "nlp_errors": c["nlp_errors"],
        "nlp_truncated": c["nlp_truncated"], "story_errors": c["story_errors"],
    }
    summary.update({name: staged.count(table) for name, table in SUMMARY_TABLES.items()})
    summary.update({"seconds": {k: round(v, 2) for k, v in seconds.items()}, "elapsed_s": round(elapsed, 2)})
    return summary


@flow(name="ingest", log_prints=True)
def ingest(paths: list[str] | None = None, db_path: str | None = None,
           settings: IngestSettings = DEFAULT_SETTINGS) -> dict[str, Any]:
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
    about = run_record(settings)  # version, model, settings; refuses a model that cannot load
    started_at = datetime.now(timezone.utc).replace(tzinfo=None)
    t0 = time.perf_counter()
    files = expand_paths(list(paths) if paths else [SAMPLE_DIR])
    db = resolve_db_path(db_path)
    run_id = f"{started_at:%Y%m%dT%H%M%S}_{secrets.token_hex(3)}"
    logger.info("ingest %d file(s) into %s (load %s, committed every %d files)", len(files), db, run_id,
                settings.commit_every_files)

    with run_lock(db, settings.lock_timeout_s):
        states = RunStates.from_warehouse(db, LockWait(timeout_s=settings.lock_timeout_s))
        totals = RunTotals()
        progress = StageProgress(STAGES, len(files), logger)
        read_so_far = 0
        try:
            # reads of `step` files on one grid wherever the loads fall (by count, by the clock, a kill
            # and a rerun): the documents' batches, and so every result, never depend on when a load is
            # committed. A load ends with the read that brings it to `commit_every_files` or more.
            step = min(FILES_PER_READ, settings.commit_every_files)
            chunk, staged = Chunk(started_at, t0, 0, 0), StagedRows()
            for start in range(0, max(len(files), 1), step):
                group = files[start:start + step]
                if group:
                    with Timer() as t:
                        docs, rows = read_task(group, quote(states.read), settings.read)
                    staged.add_all(rows)
                    read_so_far += len(docs)
                    progress.advance("files", len(group), t.seconds, total=len(files))
                    progress.advance("read", len(docs), t.seconds, total=read_so_far)
                    process_documents(docs, settings, states, staged, progress, total=read_so_far, parallel=parallel)
                chunk.end = start + len(group)
                if chunk.end == len(files) or chunk.due(settings):
                    states.close()  # the load takes the write lock; the reader reopens at the next lookup
                    with Timer() as t:
                        load_id = commit(db, staged, chunk, totals, run_id, progress, about, settings)
                    progress.advance("load", staged.count("documents"), t.seconds, total=read_so_far)
                    logger.info("load %s committed: files %d-%d of %d, %d document row(s) (%.1f s)", load_id,
                                chunk.first + 1, chunk.end, len(files), staged.count("documents"), t.seconds)
                    chunk, staged = chunk.next(progress.seconds), StagedRows()
        except BaseException:  # a failure or a stop signal: the parse in flight is lost anyway
            nlp.kill_workers()
            raise
        finally:
            states.close()
            progress.close()
            nlp.shutdown_workers()

    summary = summarise(totals, progress.seconds, len(files), time.perf_counter() - t0)
    summary.update({"load_id": run_id, "loads": totals.loads, "db_path": str(db),
                    "documents_new": totals.count("documents")})
    logger.info("run %s completed in %d load(s): %s", run_id, len(totals.loads), summary)
    summary.update(about)
    publish_artifacts(summary, totals.shown)
    return summary


@dataclass
class Chunk:
    """The files of one load: `files[first:end]`, started at `started_at` (`t0` on the perf clock)."""

    started_at: datetime
    t0: float
    first: int
    end: int
    seconds_before: dict[str, float] = field(default_factory=dict)  # the run's stage seconds at its start

    @property
    def files(self) -> int:
        return self.end - self.first

    def due(self, settings: IngestSettings) -> bool:
        """Commit now: the chunk holds `commit_every_files`, or `commit_every_minutes` have passed."""
        minutes = settings.commit_every_minutes
        return (self.files >= settings.commit_every_files
                or (minutes is not None and time.perf_counter() - self.t0 >= 60 * minutes))

    def next(self, seconds: dict[str, float]) -> Chunk:
        """The chunk after this one, starting now; `seconds`: the run's stage seconds so far."""
        return Chunk(datetime.now(timezone.utc).replace(tzinfo=None), time.perf_counter(), self.end, self.end,
                     seconds_before=dict(seconds))


def commit(db, staged: StagedRows, chunk: Chunk, totals: RunTotals, run_id: str, progress: StageProgress,
           about: dict[str, Any], settings: IngestSettings) -> str:
    """Load the chunk's staged rows as one complete load (its `loads` row, with the chunk's own
    summary, written last in its transaction); the run's totals take them in. The first load of a
    run has the run's id, later ones `<run id>.<n>`."""
    n = len(totals.loads) + 1
    load_id = run_id if n == 1 else f"{run_id}.{n}"
    seconds = {k: v - chunk.seconds_before.get(k, 0.0) for k, v in progress.seconds.items()}
    summary = summarise(staged, seconds, chunk.files, time.perf_counter() - chunk.t0) | about
    summary.update({"run_id": run_id, "run_load": n})
    load = completed_load(load_id, chunk.started_at, summary, staged.count("documents"))
    load_task(db, quote(staged), quote(load), settings.lock_timeout_s)
    totals.absorb(staged, load_id)
    return load_id


def process_documents(docs: list[Document], settings: IngestSettings, states: RunStates, staged: StagedRows,
                      progress: StageProgress, total: int, parallel: bool) -> None:
    """Documents through every stage; their rows go to `staged`.

    Cleaning and dedup run batch by batch in arrival order (dedup compares with everything
    before), as do story clustering and linking; results never depend on timing. The parse (the
    expensive part) runs in the background in batches of `nlp_batch_size`: with the default
    runner one batch is parsed (in worker processes) while this thread cleans the next batch
    and links the previous one; with Dask every batch is submitted at once to the workers.
    A document's row is staged when no later stage changes it: after dedup unless it is ok,
    else after linking.

    Batches and states are passed `quote`d: Prefect would otherwise walk every element of them
    looking for futures, a cost that grows with the warehouse's state.
    """
    in_flight: list[tuple[list[Document], Any]] = []
    for nlp_batch in nlp_batches(docs, settings.batch_size, settings.nlp_batch_size):
        deduped: list[Document] = []
        for b in range(0, len(nlp_batch), settings.batch_size):
            batch = nlp_batch[b:b + settings.batch_size]
            with Timer() as t:
                batch, rows = clean_task(quote(batch), quote(states.clean), settings.clean)
                staged.add_all(rows)
            progress.advance("clean", len(batch), t.seconds, total=total)
            with Timer() as t:
                batch, rows = dedup_task(quote(batch), quote(states.dedup), settings.dedup)
                staged.add_all(rows)
            progress.advance("dedup", len(batch), t.seconds, total=total)
            deduped.extend(batch)
        ok = [d for d in deduped if d.is_ok]
        staged.add_all(document_rows(d for d in deduped if not d.is_ok))
        if not parallel:  # one parse at a time: link the previous batch while this one parses
            for done in in_flight:
                cluster_and_link(*done, settings, states, staged, progress, total)
            in_flight = []
        if ok:
            progress.expect(("nlp", "stories", "link"), len(ok))
            items = nlp.parse_items(ok)
            if parallel:  # Dask workers parse one batch each, in-process (not quoted: a quoted
                # argument does not survive the trip to a Dask worker)
                future = parse_task.submit(items, replace(settings.nlp, n_process=1))
            else:
                future = parse_task.submit(quote(items), settings.nlp)
            in_flight.append((ok, future))
    for done in in_flight:
        cluster_and_link(*done, settings, states, staged, progress, total)


def nlp_batches(docs: list[Document], first: int, size: int) -> list[list[Document]]:
    """NLP batches of `size`, the first one smaller (`first`) so the parse starts early."""
    head = docs[:min(first, size)]
    return [head] + [docs[n:n + size] for n in range(len(head), len(docs), size)] if docs else []


def cluster_and_link(ok: list[Document], future, settings: IngestSettings, states: RunStates, staged: StagedRows,
                     progress: StageProgress, total: int) -> None:
    """Wait for a batch's parse, then cluster its stories and link it (in submission order).

    Stories come first (from the parse: names, places, dates, quotes) so that the documents'
    `story_id`s can bound event merging in the linker."""
    with Timer() as t:
        parsed = future.result()
    progress.advance("nlp", len(ok), t.seconds, total=total)
    with Timer() as t:
        ok, rows = stories_task(quote(ok), quote(parsed), quote(states.stories), settings.stories)
        staged.add_all(rows)
    progress.advance("stories", len(ok), t.seconds, total=total)
    with Timer() as t:
        ok, rows = link_task(quote(ok), quote(parsed), quote(states.nlp), settings.nlp)
        staged.add_all(rows)
    progress.advance("link", len(ok), t.seconds, total=total)
    staged.add_all(document_rows(ok))
