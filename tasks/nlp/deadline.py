"""A time bound on the Python work of one document, without a process per document.

`time_limit(seconds)` arms a timer thread that raises `NlpTimeout` in the thread doing the work
(CPython's `PyThreadState_SetAsyncExc`), at its next Python instruction. The extractors build
only local state per document, so abandoning one halfway leaves nothing behind. Used around
the rule extraction of one document; the spaCy parse is bounded chunk by chunk instead
(`parse.parse_batch`).
"""
from __future__ import annotations

import ctypes
import threading
from contextlib import contextmanager
from typing import Iterator


class NlpTimeout(Exception):
    """One document's NLP took longer than its bound."""


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in thread `thread_id` at its next instruction; None withdraws a pending one."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc is not None else None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise NlpTimeout in this thread if the block runs longer than `seconds` (None: no bound).

    The caller catches NlpTimeout around the whole `with` statement: the exception may arrive
    as the block ends, and it never arrives after `time_limit` has returned."""
    if seconds is None:
        yield
        return
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, NlpTimeout)

    timer = threading.Timer(max(0.0, seconds), fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:  # raised already, or still pending: never let it out later
                _set_async_exc(target, None)
        if state["fired"]:
            raise NlpTimeout(f"over {seconds:g} s")
