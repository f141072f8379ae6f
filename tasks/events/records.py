"""Plain records of the events stage (picklable: they leave the parse workers)."""
from __future__ import annotations

from dataclasses import dataclass, field

from tasks.common.dates import PartialDate


@dataclass
class ArgRec:
    """An event argument: role, the name filling it and, as PLOVER codes actors, its country
    (ISO-3166 alpha-3) and sector (GOV, MIL, COP, REB, OPP, LEG, JUD, CVL, BUS, IGO, NGO, ...).
    `label` is the entity label, or "" for a description that names no entity ("a human rights
    group"): such an argument gets no entity id."""

    role: str  # actor, target, object, source, location
    name: str
    label: str
    country: str | None = None
    sector: str | None = None


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
    # the document's first day-level date (its lead's "on Tuesday")
    context_date: PartialDate | None = None
    # "text" (the sentence says when), "published" (the document's publication date) or "document"
    # (no publication date: the date the document's lead reports on, "said on Tuesday (29 December)")
    date_source: str | None = None
    evidence: str = ""  # the trigger words, in text order ("threatened ... shell")
    mood: str = "realis"  # realis, intent, refused, obliged (see tasks.events.modality)
    features: dict = field(default_factory=dict)  # what the confidence was computed from
