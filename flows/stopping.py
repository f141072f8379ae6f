"""Stopping a run: Ctrl-C or SIGTERM end it within seconds with one line, and no process the run
started outlives it, even when it is killed with -9.

* `stop_on_signals(command)`: SIGINT and SIGTERM print one line, end the run's child processes
  (NLP workers, Prefect's temporary server, a local Dask cluster) and exit 130 / 143. Nothing
  is half-written: the load is one transaction, and what it did not commit the next run does.
* `start_reaper()`: a small watchdog process (`flows/reaper.py`) that, should this process die
  by a signal it cannot catch, ends the processes it had started.

Child processes are found in /proc (Linux); elsewhere only the NLP workers are ended, which
also end themselves when their parent is gone (`tasks.nlp.workers.init_worker`).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of a process, from /proc; None when it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2:].split()  # the name may hold spaces and parentheses
    return int(fields[1]), int(fields[19])


def descendants(pid: int) -> dict[int, int]:
    """Every live descendant of `pid`: {pid: start time} (empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    try:
        entries = [int(e) for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return {}
    for p in entries:
        st = _stat(p)
        if st:
            children.setdefault(st[0], []).append(p)
            started[p] = st[1]
    out: dict[int, int] = {}
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out[child] = started[child]
                todo.append(child)
    return out


def end_processes(procs: dict[int, int], grace_s: float = 1.0) -> None:
    """SIGTERM, then SIGKILL after `grace_s`, to each process still alive with the same start
    time (a pid reused since is left alone)."""
    def alive() -> list[int]:
        return [p for p, t in procs.items() if (st := _stat(p)) is not None and st[1] == t]

    for sig in (signal.SIGTERM, signal.SIGKILL):
        for p in alive():
            try:
                os.kill(p, sig)
            except OSError:
                pass
        deadline = time.monotonic() + grace_s
        while alive() and time.monotonic() < deadline:
            time.sleep(0.05)


def stop_on_signals(command: str) -> None:
    """Make SIGINT and SIGTERM end this run at once: one line on stderr, children ended, exit code
    130 / 143."""
    def stop(signum: int, frame) -> None:
        name = signal.Signals(signum).name
        # os.write: the interrupted code may hold the lock of sys.stderr
        os.write(2, f"newsdag {command}: stopped by {name}; nothing was half-written, and the next run "
                    "does what this one did not load\n".encode())
        # the one line is said: what the dying run's threads would still log is noise
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        from tasks.nlp.workers import kill_workers

        kill_workers()
        end_processes(descendants(os.getpid()), grace_s=1.0)
        os._exit(EXIT_CODES.get(signum, 128 + signum))

    for sig in EXIT_CODES:
        signal.signal(sig, stop)


def start_reaper() -> subprocess.Popen | None:
    """The watchdog that ends this process's children if it dies without cleaning up (Linux)."""
    if not Path("/proc/self/stat").exists():
        return None
    # SIGINT ignored from birth (an ignored signal stays ignored across exec): a Ctrl-C to the
    # group while the watchdog is still starting must not print its KeyboardInterrupt
    return subprocess.Popen([sys.executable, "-m", "flows.reaper", str(os.getpid())],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, close_fds=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
