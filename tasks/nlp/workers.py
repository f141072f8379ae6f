"""Worker processes for the parse: a pool kept between the batches of a run."""
from __future__ import annotations

import os
from dataclasses import replace



def resolve_processes(n_process: int, n_items: int, min_docs_per_process: int) -> int:
    """How many processes a batch is worth: `n_process` (0 or -1: one per CPU core), but never
    so many that a process gets fewer than `min_docs_per_process` documents (a worker costs a
    model load, about a second)."""
    wanted = (os.cpu_count() or 1) if n_process <= 0 else n_process
    return max(1, min(wanted, n_items // max(1, min_docs_per_process)))


_POOLS: dict[int, object] = {}
SHARDS_PER_PROCESS = 4


def worker_pool(processes: int):
    """A pool of spawned workers, kept between batches of a run so each worker loads the model
    once (not once per batch); `shutdown_workers()` ends them. Workers are spawned, not forked:
    the caller may be a Prefect flow with threads running."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = _POOLS.get(processes)
    if pool is None:
        pool = _POOLS[processes] = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
    return pool


def shutdown_workers() -> None:
    """End the worker processes (a run calls this when it is done)."""
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


def parse_in_processes(items: list[dict], config, processes: int) -> list:
    """Parse shards of `items` in `processes` worker processes; results in input order."""
    single = replace(config, n_process=1)
    # several shards per worker, handed out as workers free up, so no core idles at the end of
    # a batch waiting for the slowest shard
    n_shards = min(len(items), processes * SHARDS_PER_PROCESS)
    shards = [items[i::n_shards] for i in range(n_shards)]
    from tasks.nlp.parse import parse_batch

    results = list(worker_pool(processes).map(parse_batch, shards, [single] * n_shards))
    out: list = [None] * len(items)
    for i, parsed in enumerate(results):
        out[i::n_shards] = parsed
    return out  # type: ignore[return-value]
