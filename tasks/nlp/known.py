"""What linking asks the warehouse for: the entities and events a batch needs, never all of them.

`state_from_source(source)` gives an `NlpState` whose containers read through to `source` (such
as `warehouse.state.StateReader`): an entity id, a person's last name, an (entity, alias) pair or
an event key not seen yet in the run is asked for before it is read. `prefetch_batch` asks for a
batch's keys in a few queries before linking it: the ids of its names, the people its lone
surnames may stand for, the aliases it may add and the events its mentions may merge into
(by key and date window: `tasks.nlp.known_events`). Linking reads the state exactly as it
would read a state built from every row (`NlpState.from_rows`), so the result is the same; only
what is read differs.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from tasks.events.merge import argument_key, date_window
from tasks.lookup import ReadThroughDict, ReadThroughSet
from tasks.nlp.config import NlpConfig
from tasks.nlp.entities import entity_id, fold
from tasks.nlp.known_events import EventCandidates
from tasks.nlp.link import NlpState, entity_states, person_key
from tasks.nlp.parse import ParsedDoc


class NlpSource(Protocol):
    """Where known entities and events are asked for (rows as `warehouse.state.StateReader` gives)."""

    def entities(self, entity_ids: Iterable[str]) -> list[dict]: ...

    def entity_label_votes(self, entity_ids: Iterable[str]) -> list[dict]: ...

    def entity_name_forms(self, entity_ids: Iterable[str]) -> list[dict]: ...

    def entity_aliases(self, entity_ids: Iterable[str], aliases: Iterable[str]) -> list[dict]: ...

    def persons_by_last_token(self, tokens: Iterable[str]) -> list[dict]: ...

    def event_candidates(self, asks: Iterable[tuple]) -> list[dict]: ...

    def event_arguments(self, event_ids: Iterable[str]) -> list[dict]: ...

    def event_mentions(self, event_ids: Iterable[str]) -> list[dict]: ...


def state_from_source(source: NlpSource) -> NlpState:
    """An empty `NlpState` whose entities, aliases, person index and events read through to `source`."""
    st = NlpState()

    def fetch_entities(ids: list[str]) -> dict:
        return entity_states(source.entities(ids), source.entity_label_votes(ids), source.entity_name_forms(ids))

    def fetch_persons(tokens: list[str]) -> dict:
        found: dict[str, set[str]] = defaultdict(set)
        for r in source.persons_by_last_token(tokens):
            found[r["last_token"]].add(r["entity_id"])
        return found

    def fetch_aliases(pairs: list[tuple[str, str]]) -> set:
        ids = {eid for eid, _ in pairs}
        names = {alias for _, alias in pairs}
        return {(r["entity_id"], r["alias"]) for r in source.entity_aliases(ids, names)}

    st.entities = ReadThroughDict(fetch_entities)
    st.by_last_token = ReadThroughDict(fetch_persons, default_factory=set)
    st.aliases = ReadThroughSet(fetch_aliases)
    st.events_by_key = EventCandidates(st.events, source)
    return st


def _prefetch(container, keys) -> None:
    if hasattr(container, "prefetch"):
        container.prefetch(keys)


def prefetch_batch(state: NlpState, parsed: list[ParsedDoc], config: NlpConfig = NlpConfig()) -> None:
    """Ask for what linking `parsed` will read, batch-wide: a handful of queries instead of one
    per name. Keys are predicted from the state before the batch; one the batch itself changes
    (a person first met in it) is asked for on its own when read."""
    ok = [p for p in parsed if p.error is None]
    names = {m.canon for p in ok for m in p.mentions}
    names |= {q.speaker for p in ok for q in p.quotes if q.speaker}
    names |= {a.name for p in ok for rec in p.events for a in rec.args}
    # a lone surname is looked up by itself; every person observed is indexed by its last word
    _prefetch(state.by_last_token, {k.split()[-1] for k in map(fold, names) if k})
    ids = {entity_id(n) for n in names}
    ids |= {eid for k in map(fold, names) if k and " " not in k for eid in state.by_last_token.get(k, ())}
    _prefetch(state.entities, ids)
    _prefetch(state.by_last_token, {k for e in ids if (e in state.entities and (k := person_key(state.entities[e])))})

    def predicted(name: str, label: str, fixed: bool = False) -> str:
        return state.resolve(name, label, fixed)

    pairs, keys = set(), set()
    for p in ok:
        in_doc = {}
        for m in p.mentions:
            eid = predicted(m.canon, m.canon_label or m.label, m.fixed)
            in_doc[fold(m.canon)] = eid
            pairs |= {(eid, m.name), (eid, m.canon)}
        for q in p.quotes:
            if q.speaker:
                pairs.add((in_doc.get(fold(q.speaker)) or predicted(q.speaker, q.speaker_label or "PERSON"), q.speaker))
        for rec in p.events:
            if rec.confidence < config.min_event_confidence:
                continue
            # as link_batch: an argument without a label is keyed by its name, not an entity
            arg_ids = [(a.role, (in_doc.get(fold(a.name)) or predicted(a.name, a.label)) if a.label else None, a.name)
                       for a in rec.args]
            pairs |= {(eid, name) for _, eid, name in arg_ids if eid}
            actors = frozenset(argument_key(role, eid, name) for role, eid, name in arg_ids if role == "actor")
            keys.add(((rec.event_type, actors), date_window(rec.date, rec.date_source)))
    _prefetch(state.aliases, pairs)
    if hasattr(state.events_by_key, "ask"):
        state.events_by_key.ask(keys)
