"""spaCy over a batch of documents -> plain records (mentions, quotes, event mentions).

This is the expensive, parallelisable part: everything that needs the parse happens here, one
document at a time, and only plain picklable records leave (never a spaCy `Doc`). Per document,
`extract_document` composes the extractors, each a class with its state set in its constructor:
`ParsedText` (text, chunks, shared lookups) -> `MentionIndex` (entity mentions) -> `References`
(pronouns, descriptions) -> `QuoteAttributor` (quotes and speakers) and `EventExtractor` (events).
What needs state across documents (entity ids, event merging) happens in `link.py`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime

from spacy.tokens import Doc

from tasks.events import EventExtractor, EventRec, load_triggers
from tasks.nlp.config import NlpConfig
from tasks.nlp.coref import References
from tasks.nlp.document import ParsedText
from tasks.nlp.entities import DocMention, Lexicon
from tasks.nlp.mentions import MentionIndex
from tasks.nlp.model import load_model
from tasks.nlp.quotes import QuoteAttributor, QuoteRec
from tasks.nlp.workers import parse_in_processes, resolve_processes


@dataclass
class ParsedDoc:
    """Everything the NLP parse found in one document (plain, picklable)."""

    doc_id: str
    published_at: datetime | None
    site: str | None
    mentions: list[DocMention] = field(default_factory=list)
    quotes: list[QuoteRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    n_words: int = 0
    notes: dict = field(default_factory=dict)
    error: str | None = None


def as_datetime(value) -> datetime | None:
    """A publication date as datetime (ISO strings and dates accepted; junk -> None)."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def split_chunks(text: str, max_chars: int) -> list[tuple[int, str]]:
    """(offset, chunk) pieces of at most `max_chars`, cut at paragraph ends where possible."""
    if len(text) <= max_chars:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            cut = text.rfind("\n", start + 1, end)
            if cut <= start:
                cut = max(text.rfind(". ", start + 1, end), text.rfind(" ", start + 1, end))
                cut = cut + 1 if cut > start else end
            end = cut
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def parse_batch(items: list[dict], config: NlpConfig = NlpConfig()) -> list[ParsedDoc]:
    """Parse a batch: items are dicts {doc_id, clean_text, published_at, site, title}.

    Runs `nlp.pipe` once over all chunks of all documents; one failing document yields a
    `ParsedDoc` with `error` set instead of failing the batch. With `config.n_process` other
    than 1 the batch is split into that many shards parsed in worker processes, each running the
    whole per-document work (model and rule extraction), not only `nlp.pipe`.
    """
    processes = resolve_processes(config.n_process, len(items), config.min_docs_per_process)
    if processes > 1:
        return parse_in_processes(items, config, processes)
    nlp = load_model(config)
    lexicon = Lexicon.from_config(config)
    triggers = load_triggers(config.trigger_file)
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    texts: list[tuple[str, tuple[int, int]]] = []
    for n, item in enumerate(items):
        text = (item.get("clean_text") or "")[: config.max_doc_chars]
        for offset, chunk in split_chunks(text, config.max_chars):
            texts.append((chunk, (n, offset)))
    chunks: dict[int, list[tuple[int, Doc]]] = {n: [] for n in range(len(items))}
    for doc, (n, offset) in nlp.pipe(texts, as_tuples=True, batch_size=config.batch_size):
        chunks[n].append((offset, doc))
    out = []
    for n, item in enumerate(items):
        started = time.perf_counter()
        try:
            parsed = extract_document(item, chunks[n], config, lexicon, triggers, lemmatizer)
        except Exception as exc:  # one bad document must not fail the batch
            parsed = ParsedDoc(item["doc_id"], item.get("published_at"), item.get("site"), error=f"{type(exc).__name__}: {exc}")
        if len(item.get("clean_text") or "") > config.max_doc_chars:
            parsed.notes["truncated_at"] = config.max_doc_chars
        parsed.notes["extract_seconds"] = round(time.perf_counter() - started, 4)
        out.append(parsed)
    return out


def extract_document(item: dict, chunks: list[tuple[int, Doc]], config: NlpConfig, lexicon: Lexicon,
                     triggers: dict, lemmatizer=None) -> ParsedDoc:
    """Mentions, quotes and event mentions of one document (all its parsed chunks)."""
    text = (item.get("clean_text") or "")[: config.max_doc_chars]
    published_at = as_datetime(item.get("published_at"))
    doc = ParsedText(text, chunks, lemmatizer)
    mentions = MentionIndex(doc, config, lexicon)
    refs = References(doc, mentions, lexicon)
    quotes = QuoteAttributor(doc, refs, lexicon).extract()
    events = EventExtractor(doc, mentions, refs, lexicon, triggers, published_at).extract()
    return ParsedDoc(item["doc_id"], published_at, item.get("site"), mentions.mentions, quotes, events, doc.n_words())
