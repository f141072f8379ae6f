"""Read-through containers: stage state that asks the warehouse for the keys a batch needs.

A stage's state is what this run has learnt plus what the warehouse already holds, and the
warehouse part is never loaded whole: it is asked for, key by key or (through `prefetch`) for a
whole batch in one query. `ReadThroughDict` and `ReadThroughSet` behave like the dict and set
they stand in for; a key not seen yet is fetched before it is read, and every key asked for is
remembered, so no key is asked twice in a run. What the run changes is written into the container
itself, so later batches of the run see it (the warehouse changes during a run only by the run's
own loads, `commit_every_files`, whose rows the containers already hold: one run at a time).

`fetch(keys)` returns `{key: value}` (dict) or the subset of `keys` present (set); keys it does
not return are absent. Without a `fetch` the containers are a plain dict and set (state built
from rows, as the tests do). Memory grows with what the run touches, never with the warehouse.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

Fetch = Callable[[list], Any]


def not_asked(keys: Iterable[Hashable], asked: set, holds: Callable[[Hashable], bool]) -> list:
    """The keys of `keys` (once each, in order) neither asked for yet nor held; marks them asked."""
    todo = [k for k in dict.fromkeys(keys) if k not in asked and not holds(k)]
    asked.update(todo)
    return todo


class ReadThroughDict(dict):
    """A dict that fetches a key it has not asked for yet before reading it.

    `default_factory` gives `defaultdict`'s behaviour for `d[key]` on a key absent from both the
    run and the warehouse (the warehouse is asked first, so a new value never hides a stored one).
    """

    def __init__(self, fetch: Fetch | None = None, default_factory: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.fetch = fetch
        self.default_factory = default_factory
        self.asked: set[Hashable] = set()

    def prefetch(self, keys: Iterable[Hashable]) -> None:
        """Ask for every key of `keys` not known or asked yet, in one call of `fetch`."""
        if self.fetch is None:
            return
        todo = not_asked(keys, self.asked, lambda k: dict.__contains__(self, k))
        if not todo:
            return
        for key, value in self.fetch(todo).items():
            if not dict.__contains__(self, key):
                dict.__setitem__(self, key, value)

    def _ensure(self, key: Hashable) -> None:
        if self.fetch is not None and key not in self.asked and not dict.__contains__(self, key):
            self.prefetch([key])

    def __contains__(self, key: object) -> bool:
        self._ensure(key)
        return dict.__contains__(self, key)

    def get(self, key: Hashable, default: Any = None) -> Any:
        self._ensure(key)
        return dict.get(self, key, default)

    def __getitem__(self, key: Hashable) -> Any:
        self._ensure(key)
        if not dict.__contains__(self, key) and self.default_factory is not None:
            dict.__setitem__(self, key, self.default_factory())
        return dict.__getitem__(self, key)

    def setdefault(self, key: Hashable, default: Any = None) -> Any:
        self._ensure(key)
        return dict.setdefault(self, key, default)


class ReadThroughSet(set):
    """A set whose membership test asks for an element it has not asked for yet."""

    def __init__(self, fetch: Fetch | None = None) -> None:
        super().__init__()
        self.fetch = fetch
        self.asked: set[Hashable] = set()

    def prefetch(self, keys: Iterable[Hashable]) -> None:
        if self.fetch is None:
            return
        todo = not_asked(keys, self.asked, lambda k: set.__contains__(self, k))
        if not todo:
            return
        set.update(self, self.fetch(todo))

    def __contains__(self, key: object) -> bool:
        if self.fetch is not None and key not in self.asked and not set.__contains__(self, key):
            self.prefetch([key])
        return set.__contains__(self, key)
