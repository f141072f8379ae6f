"""What story clustering keeps of a document: a pure function of the document and its parse.

who (people and organisations), where (places), when (publication day, dates and years in the
text), what (event types and trigger stems from the events stage) and words (term vectors of
the body and of the headline), plus the keys under which the document is found again.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tasks.common.dates import find_dates, reference_year
from tasks.common.text import fold
from tasks.records import Document
from tasks.stories.config import DEFAULT_STORY, StoryConfig
from tasks.stories.text import YEAR, content_bigrams, headline, proxy_entities, quote_keys, stem, term_vector, window_keys

WHO_LABELS = frozenset({"PERSON", "ORG"})
WHERE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass(frozen=True)
class StoryFeatures:
    """The signals of one document (all sets of normalised strings or numbers)."""

    terms: dict[str, float]  # unit-length term vector of headline and body
    title_terms: dict[str, float]  # unit-length term vector of the headline
    bigrams: frozenset[int] = frozenset()  # hashes of content-word pairs (phrases)
    who: frozenset[str] = frozenset()  # PERSON, ORG names (folded canonical)
    where: frozenset[str] = frozenset()  # GPE, LOC, FAC names
    names: frozenset[str] = frozenset()  # every entity name (who, where and the rest)
    top: frozenset[str] = frozenset()  # the most-mentioned names
    quotes: frozenset[str] = frozenset()  # hashes of quoted word windows (any quotation marks)
    said: frozenset[str] = frozenset()  # the same of the direct quotes the quotes stage attributed
    years: frozenset[int] = frozenset()  # years written in the text
    days: frozenset[int] = frozenset()  # day-precise dates in the text (ordinals)
    event_types: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()  # stems of event trigger words
    ref_year: int | None = None  # publication year, else the year the text names most
    day: int | None = None  # publication day (ordinal): the window for retrieval and links
    headline: str = ""  # title, else the first sentence: the story label candidate
    titled: bool = False  # the headline is a title (preferred as a story label)
    legacy_group: str | None = field(default=None, compare=False)  # story of a pre-0009 warehouse

    def index_keys(self, n_terms: int) -> set[str]:
        """Keys under which the document is retrieved: every name and its heaviest terms.

        Two documents are compared when they share a key; the keys come from each document
        alone, so whether a pair is compared does not depend on which arrived first."""
        heaviest = sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:n_terms]
        return {"n:" + n for n in self.names} | {"t:" + t for t, _ in heaviest}

    def to_json(self) -> str:
        return json.dumps({
            "terms": self.terms, "title_terms": self.title_terms, "who": sorted(self.who),
            "where": sorted(self.where), "names": sorted(self.names), "top": sorted(self.top),
            "bigrams": sorted(self.bigrams), "quotes": sorted(self.quotes), "said": None if self.said == self.quotes else sorted(self.said), "years": sorted(self.years), "days": sorted(self.days),
            "event_types": sorted(self.event_types), "triggers": sorted(self.triggers),
            "ref_year": self.ref_year, "day": self.day, "headline": self.headline, "titled": self.titled,
        }, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, value: str | dict, legacy_group: str | None = None) -> StoryFeatures:
        d: dict[str, Any] = json.loads(value) if isinstance(value, (str, bytes)) else dict(value)
        sets = {k: frozenset(d.get(k) or ()) for k in ("who", "where", "names", "top", "quotes", "event_types", "triggers")}
        sets["said"] = sets["quotes"] if d.get("said") is None else frozenset(d["said"])  # None: the same as quotes
        return cls(terms=d.get("terms") or {}, title_terms=d.get("title_terms") or {},
                   years=frozenset(int(y) for y in d.get("years") or ()),
                   bigrams=frozenset(int(x) for x in d.get("bigrams") or ()),
                   days=frozenset(int(x) for x in d.get("days") or ()),
                   ref_year=d.get("ref_year"), day=d.get("day"), headline=d.get("headline") or "",
                   titled=bool(d.get("titled")),
                   legacy_group=legacy_group, **sets)


EMPTY = StoryFeatures(terms={}, title_terms={})


def story_features(doc: Document, parsed: Any = None, config: StoryConfig = DEFAULT_STORY) -> StoryFeatures:
    """The features of `doc`; `parsed` is its `tasks.nlp.ParsedDoc` (entities, events), or None,
    when capitalised word sequences stand in for names and there are no events."""
    body = (doc.clean_text or "")[: config.max_chars]
    text = body if not doc.title or body.startswith(doc.title) else doc.title + ".\n" + body
    title = headline(doc.title, body)
    who: set[str] = set()
    where: set[str] = set()
    names: set[str] = set()
    counts: Counter[str] = Counter()
    events = []
    quotes = quote_keys(text, min_words=config.quote_min_words)
    said = quotes  # without a parse, every quotation counts as said
    if parsed is not None:
        said = window_keys((q.quote for q in parsed.quotes), min_words=config.quote_min_words)
        for m in parsed.mentions:
            name = fold(m.canon or m.name)
            if not name:
                continue
            label = m.canon_label or m.label
            names.add(name)
            counts[name] += 1
            if label in WHO_LABELS:
                who.add(name)
            elif label in WHERE_LABELS:
                where.add(name)
        events = parsed.events
    else:
        names = proxy_entities(text)
        who = set(names)
        counts.update(names)
    published = doc.published_at
    days = set()
    for d in find_dates(body, published, reference_year(body)):
        if d.value.precision == "day":
            days.add(d.value.as_date().toordinal())
    return StoryFeatures(
        terms=term_vector(text, max_terms=config.max_terms, proper_noun_weight=config.proper_noun_weight),
        title_terms=term_vector(title, max_terms=config.max_terms, proper_noun_weight=config.proper_noun_weight),
        who=frozenset(who), where=frozenset(where), names=frozenset(names),
        top=frozenset(n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: config.top_entities]),
        bigrams=frozenset(content_bigrams(text)),
        quotes=frozenset(quotes),
        said=frozenset(said),
        years=frozenset(int(y) for y in YEAR.findall(text)),
        days=frozenset(days),
        event_types=frozenset(e.event_type for e in events),
        triggers=frozenset(stem(e.trigger.casefold()) for e in events),
        ref_year=published.year if published else reference_year(body),
        day=day_of(published),
        headline=title,
        titled=bool(doc.title and doc.title.strip()),
    )


def day_of(when: datetime | None) -> int | None:
    return when.date().toordinal() if when is not None else None


def safe_story_features(doc: Document, parsed: Any, config: StoryConfig) -> tuple[StoryFeatures, str | None]:
    """Features, or empty ones and the error: one bad document must not fail the batch (it gets
    a story of its own)."""
    try:
        return story_features(doc, parsed, config), None
    except Exception as exc:  # noqa: BLE001
        return StoryFeatures(terms={}, title_terms={}, headline=headline(doc.title, doc.clean_text)), \
            f"{type(exc).__name__}: {exc}"[:500]
