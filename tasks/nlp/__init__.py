"""NLP stage: entities, quotes and events from clean text.

    nlp = load_model(config)
    parsed = parse_batch(items, config=config)        # expensive, parallelisable, plain records
    state = NlpState.from_rows({name: rows})          # rows of STATE_QUERIES
    rows = link_batch(parsed, state=state, config=config)   # cheap, sequential, stateful

Names are imported on first use (PEP 562), so importing one light module of the package
(`tasks.nlp.dates`, `tasks.nlp.entities`) does not load spaCy or the events package.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "NlpConfig": "tasks.nlp.config",
    "NlpState": "tasks.nlp.link", "STATE_QUERIES": "tasks.nlp.link", "link_batch": "tasks.nlp.link",
    "entity_names_by_doc": "tasks.nlp.link",
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
