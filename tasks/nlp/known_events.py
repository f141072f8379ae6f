"""The events a mention may merge into, asked for by key and date window, never all of them.

`tasks/events/merge.py` merges a mention into an event of the same (type, actors) key whose
story and date fit (`dates_fit`): a stored event (from another document) fits a mention with a
date window only if their windows overlap, or if the event has no window. So for a mention of
key K with window W, the stored events that can be candidates are K's events whose window
overlaps W or who have none; a mention without a window (no year known) may fit any dated event
of K, so it asks for all of them. `EventCandidates` is `NlpState.events_by_key` asking the
warehouse exactly that, by calendar month: a key's months are asked once per run, and the
events already known are not read again.

The merge reads `events_by_key[K]` as a whole read gave it: the stored events in table order,
then the run's own in the order it made them. Events of other windows that a key's list holds
(asked for another mention) fail `dates_fit` as they would have in a whole read, so the
candidates, and the event chosen among equals (the first), are the same. `link_batch` asks for
each mention's (key, window) before merging it (`ask`, a no-op once known), so a key the batch
prefetch did not predict is still asked for with its window.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from tasks.events.merge import EventState
from tasks.nlp.link import event_states

Key = tuple[str, frozenset]
Window = tuple[date, date]
STORED_LAST = float("inf")  # the run's own events come after the stored ones


class EventSource(Protocol):
    def event_candidates(self, asks: Iterable[tuple[str, str, Any, Any]]) -> list[dict]: ...

    def event_arguments(self, event_ids: Iterable[str]) -> list[dict]: ...

    def event_mentions(self, event_ids: Iterable[str]) -> list[dict]: ...


def months(window: Window) -> list[tuple[int, int]]:
    """The calendar months a window touches."""
    (y, m), end = (window[0].year, window[0].month), (window[1].year, window[1].month)
    out = []
    while (y, m) <= end:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_days(y: int, m: int) -> Window:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


class EventCandidates(dict):
    """`events_by_key` (key -> event ids) whose stored part is asked for by key and month."""

    def __init__(self, events: dict[str, EventState], source: EventSource) -> None:
        super().__init__()
        self.events, self.source = events, source
        self.whole: set[Key] = set()  # keys whose every stored event is known
        self.asked: dict[Key, set[tuple[int, int]]] = {}  # months asked per key
        self.row_no: dict[str, int] = {}  # stored event id -> its place in the table

    def ask(self, wants: Iterable[tuple[Key, Window | None]]) -> None:
        """Know the stored events a mention of each (key, window) may merge into, in one query."""
        todo: list[tuple[Key, date | None, date | None]] = []
        for key, window in wants:
            if key in self.whole:
                continue
            if window is None:
                self.whole.add(key)
                todo.append((key, None, None))
                continue
            seen = self.asked.setdefault(key, set())
            for ym in months(window):
                if ym not in seen:
                    seen.add(ym)
                    todo.append((key, *month_days(*ym)))
        if todo:
            self._fetch(todo)

    def _fetch(self, todo: list[tuple[Key, date | None, date | None]]) -> None:
        rows = self.source.event_candidates([(kind, ",".join(sorted(actors)), lo, hi) for (kind, actors), lo, hi in todo])
        new = {r["event_id"]: r for r in rows if r["event_id"] not in self.row_no}
        if not new:
            return
        ids = list(new)
        self.row_no.update((i, int(r["row_no"])) for i, r in new.items())
        touched = set()
        for ev in event_states(list(new.values()), self.source.event_arguments(ids), self.source.event_mentions(ids)):
            self.events.setdefault(ev.event_id, ev)
            key = (ev.event_type, ev.actors)
            ids_of_key = dict.setdefault(self, key, [])
            if ev.event_id not in ids_of_key:
                ids_of_key.append(ev.event_id)
                touched.add(key)
        for key in touched:  # stored events in table order, the run's after them (a stable sort)
            dict.__getitem__(self, key).sort(key=lambda e: self.row_no.get(e, STORED_LAST))

    def _ensure(self, key: Key) -> None:
        if key not in self.whole and key not in self.asked:  # never asked with a window: all of it
            self.ask([(key, None)])

    def __contains__(self, key: object) -> bool:
        self._ensure(key)
        return dict.__contains__(self, key)

    def get(self, key: Key, default: Any = None) -> Any:
        self._ensure(key)
        return dict.get(self, key, default)

    def __getitem__(self, key: Key) -> list[str]:
        self._ensure(key)
        return dict.setdefault(self, key, [])
