"""Worker processes for the parse: a pool kept between the batches of a run."""
from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import replace


def resolve_processes(n_process: int, n_items: int, min_docs_per_process: int) -> int:
    """How many processes a batch is worth: `n_process` (0 or -1: one per CPU core), but never
    so many that a process gets fewer than `min_docs_per_process` documents (a worker costs a
    model load, about a second)."""
    wanted = (os.cpu_count() or 1) if n_process <= 0 else n_process
    return max(1, min(wanted, n_items // max(1, min_docs_per_process)))


_POOLS: dict[int, object] = {}
SHARDS_PER_PROCESS = 4


def init_worker(parent: int, poll_s: float = 0.5) -> None:
    """Run in each worker as it starts. Ctrl-C (SIGINT to the whole process group) is the
    parent's to handle: the worker ignores it. A daemon thread ends the worker as soon as the
    process that started it is gone (killed with -9, say), instead of leaving it parsing for
    nobody. Polling the parent id works everywhere; Linux's PR_SET_PDEATHSIG would follow the
    thread that spawned the worker, which may end while the pool is kept."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def worker_pool(processes: int):
    """A pool of spawned workers, kept between batches of a run so each worker loads the model
    once (not once per batch); `shutdown_workers()` ends them. Workers are spawned, not forked:
    the caller may be a Prefect flow with threads running. Each worker exits when this process
    dies."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = _POOLS.get(processes)
    if pool is None:
        pool = _POOLS[processes] = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                                       initializer=init_worker, initargs=(os.getpid(),))
    return pool


def shutdown_workers() -> None:
    """End the worker processes (a run calls this when it is done)."""
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


def kill_workers() -> None:
    """End the worker processes at once (the run is being stopped: their work is lost anyway)."""
    for pool in list(_POOLS.values()):
        for proc in list(getattr(pool, "_processes", {}).values()):
            try:
                proc.kill()
            except (OSError, AttributeError):
                pass


def parse_in_processes(items: list[dict], config, processes: int) -> list:
    """Parse shards of `items` in `processes` worker processes; results in input order."""
    single = replace(config, n_process=1)
    # several shards per worker, handed out as workers free up, so no core idles at the end of
    # a batch waiting for the slowest shard
    n_shards = min(len(items), processes * SHARDS_PER_PROCESS)
    shards = [items[i::n_shards] for i in range(n_shards)]
    from tasks.nlp.parse import parse_batch

    pool = worker_pool(processes)
    # Workers start (spawn) when work is submitted. They are started with SIGINT blocked, which
    # they inherit: a Ctrl-C to the process group while a worker is still importing would
    # otherwise print its KeyboardInterrupt traceback; the run itself handles Ctrl-C.
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        futures = [pool.submit(parse_batch, shard, single) for shard in shards]
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
    results = [f.result() for f in futures]
    out: list = [None] * len(items)
    for i, parsed in enumerate(results):
        out[i::n_shards] = parsed
    return out  # type: ignore[return-value]
