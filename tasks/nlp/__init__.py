"""NLP stage: entities, quotes and events from clean text.

    items = parse_items(docs)
    parsed = parse_batch(items, config=config)        # expensive, parallelisable, plain records
    state = state_from_source(reader)                 # asks warehouse.state.StateReader per batch
    docs, rows = link_step(docs, parsed, state, config)   # cheap, sequential, stateful
"""
from tasks.nlp.config import NlpConfig
from tasks.nlp.known import prefetch_batch, state_from_source
from tasks.nlp.link import NlpState, entity_names_by_doc, link_batch
from tasks.nlp.model import load_model
from tasks.nlp.parse import ArgRec, EventRec, ParsedDoc, parse_batch, shutdown_workers
from tasks.nlp.step import link_step, parse_items, with_parse_notes

__all__ = [
    "NlpConfig", "NlpState", "prefetch_batch", "state_from_source", "parse_batch", "link_batch", "link_step", "load_model", "parse_items",
    "entity_names_by_doc", "shutdown_workers", "with_parse_notes", "ParsedDoc", "EventRec", "ArgRec",
]
