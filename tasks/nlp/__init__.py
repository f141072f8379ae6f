"""NLP stage: entities, quotes and events from clean text.

    nlp = load_model(config)
    parsed = parse_batch(items, config=config)        # expensive, parallelisable, plain records
    state = NlpState.from_rows({name: rows})          # rows of STATE_QUERIES
    rows = link_batch(parsed, state=state, config=config)   # cheap, sequential, stateful
"""
from tasks.nlp.config import NlpConfig
from tasks.nlp.link import STATE_QUERIES, NlpState, entity_names_by_doc, link_batch
from tasks.nlp.model import load_model
from tasks.nlp.parse import ArgRec, EventRec, ParsedDoc, parse_batch, shutdown_workers

__all__ = [
    "NlpConfig", "NlpState", "STATE_QUERIES", "parse_batch", "link_batch", "load_model",
    "entity_names_by_doc", "shutdown_workers", "ParsedDoc", "EventRec", "ArgRec",
]
