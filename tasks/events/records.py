"""Plain records of the events stage (picklable: they leave the parse workers)."""
from __future__ import annotations

from dataclasses import dataclass

from tasks.common.dates import PartialDate


@dataclass
class ArgRec:
    """An event argument: role and the canonical name (and label) of the entity filling it."""

    role: str  # actor, target, object, source, location
    name: str
    label: str


@dataclass
class EventRec:
    """One mention of an event in one sentence."""

    event_type: str
    trigger: str
    sentence: str
    start: int  # sentence offsets in clean_text
    end: int
    date: PartialDate | None
    location: str | None
    args: list[ArgRec]
    confidence: float
    # the document's first day-level date (its lead's "on Tuesday"): a hint for undated mentions
    context_date: PartialDate | None = None
