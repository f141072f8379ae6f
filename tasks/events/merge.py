"""Merging event mentions across documents into events.

A mention joins an existing event only when everything known agrees:
* the same type and the same set of actors (entity ids; a described actor by its name), and
  targets that are not disjoint;
* the same story, when both sides know their story;
* dates whose windows overlap: a mention dated by its sentence covers its day, month or year; a
  mention dated by its document's publication (or, without one, by the date the document's
  lead reports on) covers the week up to that day (news reports what happened in the last
  days). Two mentions years apart never make one event;
* a mention with no date at all (no date in its sentence and no publication date) never joins
  an event from another document; a partial date without a year ("in December", "on
  Saturday", in an article without a publication date) joins an event whose known fields it
  agrees with;
* compatible places, unless both know the same day: the same parties doing the same thing
  on the same day is one event even when one report names the capital visited and another
  the city of the meeting.
Among several fitting events the one from the same document, then with most agreeing date
fields and a shared place, then the most reported wins; a tie goes to the smallest event id (not to
the event met first: a run that starts from the warehouse meets them in another order).
"""
from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from tasks.events.records import EventRec
from tasks.common.dates import PartialDate, combine, compatible
from tasks.nlp.entities import fold

PUBLISHED_WINDOW_DAYS = 7  # a mention dated by publication: the event happened in the week before
APPROXIMATE = {"published", "document"}  # date sources that give a window, not the day itself


@dataclass
class EventState:
    event_id: str
    event_type: str
    actors: frozenset
    targets: set
    date: PartialDate | None
    location: str | None
    confidence: float
    docs: set = field(default_factory=set)
    args: set = field(default_factory=set)  # (role, entity_id or name)
    mention_keys: set = field(default_factory=set)  # (doc_id, start_char)
    date_source: str | None = None  # "text" when a sentence dates it, "published" when only documents do
    window: tuple[date, date] | None = None  # the days the event may have happened on
    stories: set = field(default_factory=set)


def argument_key(role: str, entity_id: str | None, name: str) -> str:
    """How an argument is keyed: its entity id, or "name:<folded name>" for a description."""
    return entity_id or f"name:{fold(name)}"


def date_window(d: PartialDate | None, source: str | None) -> tuple[date, date] | None:
    """The days a dated mention may refer to (None without a year)."""
    if d is None or d.year is None:
        return None
    if source in APPROXIMATE and d.month and d.day:
        day = date(d.year, d.month, d.day)
        return day - timedelta(days=PUBLISHED_WINDOW_DAYS), day
    if d.month is None:
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if d.day is None:
        return date(d.year, d.month, 1), date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    day = date(d.year, d.month, d.day)
    return day, day


def overlap(a: tuple[date, date], b: tuple[date, date]) -> tuple[date, date] | None:
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else None


def day_level(d: PartialDate | None) -> bool:
    return d is not None and (d.day is not None or d.weekday is not None)


def same_day(a: PartialDate | None, b: PartialDate | None) -> bool:
    """Both know the day of the month and agree on it (compatibility checked elsewhere)."""
    return a is not None and b is not None and a.day is not None and b.day is not None and a.month == b.month


def locations_compatible(a: str | None, b: str | None) -> bool:
    """Unknown fits anything; otherwise one name shares its first word with the other
    ("Munich" and "Munich Security Conference")."""
    if not a or not b:
        return True
    fa, fb = fold(a).split(), fold(b).split()
    return fa[0] in fb or fb[0] in fa


def dates_fit(ev: EventState, rec: EventRec, doc_id: str) -> bool:
    """Whether a mention's date fits an event's (see the module docstring)."""
    w = date_window(rec.date, rec.date_source)
    if w is not None and ev.window is not None:
        return overlap(w, ev.window) is not None
    approximate = rec.date_source in APPROXIMATE or ev.date_source in APPROXIMATE
    if doc_id in ev.docs:
        return approximate or compatible(ev.date, rec.date)
    rec_dated = rec.date is not None and not rec.date.is_empty
    ev_dated = ev.date is not None and not ev.date.is_empty
    if not rec_dated or not ev_dated:
        return False
    # a side without a year ("in December", "on Tuesday" in an article without a publication
    # date): the fields both know must agree, which is all that can be known
    return compatible(ev.date, rec.date)


def agreement(ev: EventState, rec: EventRec) -> int:
    """How much positive evidence ties a mention to a compatible event: date fields known on
    both sides (they agree, or the event would not be a candidate) and a shared place."""
    score = 0
    if ev.date is not None and rec.date is not None:
        score += len(ev.date.fields().keys() & rec.date.fields().keys())
    if ev.location and rec.location:
        score += 2
    return score


def event_id(doc_id: str, rec: EventRec) -> str:
    raw = f"{rec.event_type}|{doc_id}|{rec.start}|{rec.trigger}"
    return "ev_" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def merge_event(state, doc_id: str, rec: EventRec, ids: list[tuple[str, str | None, str]],
                story_id: str | None = None) -> EventState:
    """The event this mention belongs to: an existing one that fits (module docstring), else a
    new one (id from this first mention). `state` has `events` and `events_by_key` and
    `add_event` (tasks.nlp.link.NlpState); `ids` are (role, entity id or None, name)."""
    actors = frozenset(argument_key(role, eid, name) for role, eid, name in ids if role == "actor")
    targets = {argument_key(role, eid, name) for role, eid, name in ids if role == "target"}
    cands = []
    for evid in state.events_by_key.get((rec.event_type, actors), []):
        ev = state.events[evid]
        if targets and ev.targets and not targets & ev.targets:
            continue
        if story_id and ev.stories and story_id not in ev.stories:
            continue
        if not dates_fit(ev, rec, doc_id):
            continue
        if not locations_compatible(ev.location, rec.location) and not same_day(ev.date, rec.date):
            continue
        cands.append(ev)
    window = date_window(rec.date, rec.date_source)
    if cands:
        cands.sort(key=lambda e: e.event_id)  # a tie goes the same way however the events were read back
        ev = max(cands, key=lambda e: (agreement(e, rec), doc_id in e.docs, len(e.docs), len(e.mention_keys)))
        if rec.date_source == "text" and ev.date_source == "text":
            ev.date = combine(ev.date, rec.date)
        elif rec.date_source == "text" or ev.date is None or (rec.date_source == "published" and ev.date_source == "document"):
            ev.date, ev.date_source = rec.date, rec.date_source  # a sentence's date beats a publication date
        if window is not None:
            ev.window = overlap(window, ev.window) if ev.window is not None else window
        ev.location = ev.location or rec.location
        ev.targets |= targets
        ev.confidence = min(0.99, 1 - (1 - ev.confidence) * (1 - rec.confidence * 0.5))
    else:
        ev = EventState(event_id(doc_id, rec), rec.event_type, actors, set(targets), rec.date, rec.location,
                        rec.confidence, date_source=rec.date_source, window=window)
        state.add_event(ev)
    if story_id:
        ev.stories.add(story_id)
    ev.docs.add(doc_id)
    return ev


def state_from_row(r: dict, docs: set, args: set, mentions: set) -> EventState:
    """An event from its `nlp_event_keys` row (see `key_row`) and its loaded mentions."""
    d = PartialDate(r.get("year"), r.get("month"), r.get("day"), r.get("weekday"))
    lo, hi = r.get("date_lo"), r.get("date_hi")
    return EventState(
        r["event_id"], r["event_type"], frozenset(x for x in (r["actor_ids"] or "").split(",") if x),
        {x for x in (r["target_ids"] or "").split(",") if x}, None if d.is_empty else d, r.get("location"),
        float(r.get("confidence") or 0.5), docs, args, mentions, r.get("date_source"),
        (lo, hi) if lo and hi else None, {x for x in (r.get("story_ids") or "").split(",") if x})


def key_row(ev: EventState) -> dict:
    """The `nlp_event_keys` row that lets the next run merge into `ev` (confidence unrounded: a run
    resumed from it goes on exactly as an uninterrupted one would)."""
    dd = ev.date or PartialDate()
    return {
        "event_id": ev.event_id, "event_type": ev.event_type, "actor_ids": ",".join(sorted(ev.actors)),
        "target_ids": ",".join(sorted(ev.targets)), "year": dd.year, "month": dd.month, "day": dd.day,
        "weekday": dd.weekday, "location": ev.location, "confidence": ev.confidence,
        "date_source": ev.date_source, "date_lo": ev.window[0] if ev.window else None,
        "date_hi": ev.window[1] if ev.window else None, "story_ids": ",".join(sorted(ev.stories)) or None,
    }
