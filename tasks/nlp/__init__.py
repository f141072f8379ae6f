"""NLP stage: entities, quotes and events from clean text.

    items = parse_items(docs)
    parsed = parse_batch(items, config=config)        # expensive, parallelisable, plain records
    state = state_from_source(reader)                 # asks warehouse.state.StateReader per batch
    docs, rows = link_step(docs, parsed, state, config)   # cheap, sequential, stateful

Names are imported on first use (PEP 562), so importing one light module of the package
(`tasks.nlp.entities`, `tasks.nlp.config`) does not load spaCy or the events package.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "NlpConfig": "tasks.nlp.config",
    "prefetch_batch": "tasks.nlp.known", "state_from_source": "tasks.nlp.known",
    "NlpState": "tasks.nlp.link", "link_batch": "tasks.nlp.link", "entity_names_by_doc": "tasks.nlp.link",
    "link_step": "tasks.nlp.step", "parse_items": "tasks.nlp.step", "with_parse_notes": "tasks.nlp.step",
    "load_model": "tasks.nlp.model",
    "parse_batch": "tasks.nlp.parse", "ParsedDoc": "tasks.nlp.parse", "note_outcomes": "tasks.nlp.parse",
    "shutdown_workers": "tasks.nlp.workers", "kill_workers": "tasks.nlp.workers",
    "EventRec": "tasks.events.records", "ArgRec": "tasks.events.records",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tasks.nlp' has no attribute {name!r}")
