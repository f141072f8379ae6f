"""One run per database at a time: an advisory lock file next to the DuckDB file.

The DuckDB write lock is taken only for the load step; this lock spans the whole run, because a
run reads the warehouse's state (known documents, dedup signatures, entities) at its start and
two runs working from the same state would both think the same document is new.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class RunLocked(RuntimeError):
    """Another newsdag run is working on the same database."""


@contextmanager
def run_lock(db_path: Path, timeout_s: float, poll_s: float = 0.5) -> Iterator[None]:
    path = Path(str(db_path) + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    raise RunLocked(
                        f"another newsdag run holds {path} ({holder}); waited {timeout_s:.0f} s. "
                        "Let it finish, or raise the lock timeout."
                    ) from None
                time.sleep(poll_s)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        fh.flush()
        yield
    finally:
        try:
            fcntl.flock(fh, fcntl.LOCK_UN)
        finally:
            fh.close()
