"""Progress per stage: a live bar with counts on a terminal, plain log lines otherwise."""
from __future__ import annotations

import logging
import sys
import time
from collections import defaultdict
from typing import Iterable


class StageProgress:
    """Counts documents through named stages; `advance` after each batch.

    Every bar has a total from the start of the run, so none sits at `0/?`: the files bar counts
    the files found; a document stage counts the documents read so far, until the flow says how
    many documents it handed to the stage (`expect`: the NLP stages see ok documents only).
    """

    def __init__(self, stages: list[str], total_files: int, logger: logging.Logger | logging.LoggerAdapter,
                 interactive: bool | None = None):
        self.logger = logger
        self.stages = stages
        self.counts: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self.totals: dict[str, int] = {"files": total_files}
        self.expected: set[str] = set()
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
                self._ids[s] = self._bar.add_task(s, total=0, unit="docs")
            self._bar.start()

    def expect(self, stages: Iterable[str], n: int) -> None:
        """`n` more documents were handed to these stages (their bars' totals grow by n)."""
        for stage in stages:
            if stage not in self.expected:
                self.expected.add(stage)
                self.totals[stage] = 0
            self.totals[stage] += n
            self._show(stage)

    def advance(self, stage: str, n: int, seconds: float = 0.0, total: int | None = None) -> None:
        self.counts[stage] += n
        self.seconds[stage] += seconds
        if total is not None and stage not in self.expected:
            self.totals[stage] = total
        if stage == "read":  # stages not told otherwise expect every document read so far
            for other in self.stages:
                if other not in self.expected:
                    self.totals[other] = max(self.totals.get(other, 0), self.counts["read"])
                    self._show(other)
        if self._bar is not None:
            self._show(stage)
        else:
            known = self.totals.get(stage)
            suffix = f"/{known}" if known is not None else ""
            self.logger.info("%s: %d%s %s (%.1f s)", stage, self.counts[stage], suffix,
                             "files" if stage == "files" else "docs", self.seconds[stage])

    def _show(self, stage: str) -> None:
        if self._bar is not None and stage in self._ids:
            self._bar.update(self._ids[stage], completed=self.counts[stage], total=self.totals.get(stage))

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
