"""`python -m flows.reaper PID`: when process PID is gone, end the processes it had started.

Started by the CLI beside a run. Every half second it notes PID's descendants (except itself);
once PID has died (kill -9 cannot be caught, so the run cannot clean up), it ends those still
alive (same pid and start time) and exits. It exits too when PID ends normally.
"""
from __future__ import annotations

import os
import signal
import sys
import time

from flows.stopping import _stat, descendants, end_processes


def watch(pid: int, poll_s: float = 0.5) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the run handles it
    me = os.getpid()
    seen: dict[int, int] = {}
    while os.getppid() == pid and _stat(pid) is not None:
        seen = {p: t for p, t in descendants(pid).items() if p != me}
        time.sleep(poll_s)
    end_processes(seen)


if __name__ == "__main__":
    watch(int(sys.argv[1]))
