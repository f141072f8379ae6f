"""Events stage: who did what to whom, when and where.

    EventExtractor(doc, mentions, refs, lexicon, triggers, published_at).extract()  # per document
        -> list[EventRec], each with its type, trigger words, sentence, coded arguments, date
           (and where it came from) and a calibrated confidence

Modules: `triggers` (which words start which PLOVER type, data in `triggers.json`), `modality`
(nesting, intent, negation, reported demands), `roles` (argument phrases from the dependency
parse), `actors` (entity, country and sector of a party, data in `actors.json`), `context`
(political reading of violent words), `confidence` (the calibrated score), `extract` (one
document), `records` (the plain records that leave the parse workers) and `merge` (mentions
across documents into events).
"""
from tasks.events.extract import EventExtractor
from tasks.events.records import ArgRec, EventRec
from tasks.events.triggers import load_triggers

__all__ = ["EventExtractor", "EventRec", "ArgRec", "load_triggers"]
