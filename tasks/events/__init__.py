"""Events stage: who did what to whom, when and where.

    EventExtractor(doc, mentions, refs, lexicon, triggers, published_at).extract()  # per document
        -> list[EventRec], each with its type, trigger, sentence, arguments, date and confidence

Modules: `triggers` (which words start which PLOVER type, data in `triggers.json`), `roles`
(argument phrases from the dependency parse), `extract` (roles resolved to entities, date and
place), `records` (the plain records that leave the parse workers). Merging event mentions
across documents happens in the linking step (`tasks.nlp.link`).
"""
from tasks.events.extract import EventExtractor
from tasks.events.records import ArgRec, EventRec
from tasks.events.triggers import load_triggers

__all__ = ["EventExtractor", "EventRec", "ArgRec", "load_triggers"]
