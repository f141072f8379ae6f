"""Progress per stage: a live bar with counts on a terminal, plain log lines otherwise."""
from __future__ import annotations

import logging
import sys
import time
from collections import defaultdict


class StageProgress:
    """Counts documents through named stages; `advance` after each batch."""

    def __init__(self, stages: list[str], total_files: int, logger: logging.Logger | logging.LoggerAdapter,
                 interactive: bool | None = None):
        self.logger = logger
        self.stages = stages
        self.counts: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self.total_files = total_files
        self.interactive = sys.stderr.isatty() if interactive is None else interactive
        self._bar = None
        self._ids: dict[str, int] = {}
        if self.interactive:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[unit]}"), TimeElapsedColumn(), transient=False)
            self._ids["files"] = self._bar.add_task("files", total=total_files, unit="files")
            for s in stages:
                self._ids[s] = self._bar.add_task(s, total=None, unit="docs")
            self._bar.start()

    def advance(self, stage: str, n: int, seconds: float = 0.0, total: int | None = None) -> None:
        self.counts[stage] += n
        self.seconds[stage] += seconds
        if self._bar is not None:
            self._bar.update(self._ids[stage], completed=self.counts[stage], total=total)
        else:
            suffix = f"/{total}" if total is not None else ""
            self.logger.info("%s: %d%s %s (%.1f s)", stage, self.counts[stage], suffix,
                             "files" if stage == "files" else "docs", self.seconds[stage])

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class Timer:
    def __enter__(self) -> "Timer":
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start
