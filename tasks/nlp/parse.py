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
from tasks.nlp.deadline import NlpTimeout, time_limit
from tasks.nlp.document import ParsedText
from tasks.nlp.entities import DocMention, Lexicon
from tasks.nlp.language import detect_language, skip_reason
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
    language: str | None = None


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

    Runs `nlp.pipe` once over the documents of one chunk; a longer document is parsed chunk by
    chunk, and stops at the chunk that takes it past three quarters of `doc_timeout_s` (cut
    there); its rule extraction gets the rest of the bound. A document cut or abandoned is
    noted `nlp_timeout`; one failing document yields a `ParsedDoc` with `error` set instead of
    failing the batch. With `config.n_process` other than 1 the batch is split into that many
    shards parsed in worker processes, each running the whole per-document work (model and rule
    extraction), not only `nlp.pipe`.
    """
    processes = resolve_processes(config.n_process, len(items), config.min_docs_per_process)
    if processes > 1:
        return parse_in_processes(items, config, processes)
    nlp = load_model(config)
    lexicon = Lexicon.from_config(config)
    triggers = load_triggers(config.trigger_file)
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    languages = [detect_language(item.get("clean_text")) for item in items]
    skipped = [skip_reason(d, config.languages, config.language_min_confidence) for d in languages]
    pieces = {n: [] if skipped[n] else split_chunks((item.get("clean_text") or "")[: config.max_doc_chars],
                                                    config.max_chars)
              for n, item in enumerate(items)}
    chunks: dict[int, list[tuple[int, Doc]]] = {n: [] for n in range(len(items))}
    short = [(text, (n, offset)) for n, p in pieces.items() if len(p) == 1 for offset, text in p]
    for n, item in enumerate(items):  # the title: its entities are mentions too (field "title")
        title = (item.get("title") or "").strip()[:1000]
        if title and not skipped[n]:
            short.append((title, (n, -1)))
    titles: dict[int, Doc] = {}
    for doc, (n, offset) in nlp.pipe(short, as_tuples=True, batch_size=config.batch_size):
        if offset < 0:
            titles[n] = doc
        else:
            chunks[n].append((offset, doc))
    out = []
    for n, item in enumerate(items):
        started = time.perf_counter()
        timeout: dict = {}
        if len(pieces[n]) > 1:  # a long document: its time is counted chunk by chunk
            for offset, text in pieces[n]:
                if time.perf_counter() - started > 0.75 * config.doc_timeout_s:
                    timeout = {"phase": "parse", "parsed_chars": offset, "limit_s": config.doc_timeout_s}
                    break
                chunks[n].append((offset, nlp(text)))
        if skipped[n]:  # another language: the English model would only invent entities
            parsed = ParsedDoc(item["doc_id"], as_datetime(item.get("published_at")), item.get("site"),
                               notes={"nlp_skipped": skipped[n]})
        else:
            parsed = extract_bounded(item, chunks[n], config, lexicon, triggers, lemmatizer,
                                     config.doc_timeout_s - (time.perf_counter() - started), timeout, titles.get(n))
        parsed.language = languages[n].language
        if len(item.get("clean_text") or "") > config.max_doc_chars:
            parsed.notes["truncated_at"] = config.max_doc_chars
        parsed.notes["extract_seconds"] = round(time.perf_counter() - started, 4)
        out.append(parsed)
    return out


def extract_bounded(item: dict, chunks: list[tuple[int, Doc]], config: NlpConfig, lexicon: Lexicon, triggers: dict,
                    lemmatizer, seconds: float, timeout: dict, title: Doc | None = None) -> ParsedDoc:
    """`extract_document` within `seconds` (at least a tenth of the bound); never raises."""
    if timeout:  # the parse stopped early: extract what was parsed
        item = {**item, "clean_text": (item.get("clean_text") or "")[: timeout["parsed_chars"]]}
    try:
        with time_limit(max(seconds, 0.1 * config.doc_timeout_s)):
            parsed = extract_document(item, chunks, config, lexicon, triggers, lemmatizer, title)
    except NlpTimeout:
        parsed = ParsedDoc(item["doc_id"], item.get("published_at"), item.get("site"), error="nlp_timeout")
        timeout = {"phase": "extract", "limit_s": config.doc_timeout_s}
    except Exception as exc:  # one bad document must not fail the batch
        parsed = ParsedDoc(item["doc_id"], item.get("published_at"), item.get("site"), error=f"{type(exc).__name__}: {exc}")
    if timeout:
        parsed.notes["nlp_timeout"] = timeout
    return parsed


def outcome_notes(p: ParsedDoc) -> dict:
    """What a parse says about its document, for `documents.notes`: `nlp_error` for a failed parse
    (a timeout is not one: the document was parsed up to its bound), and under `nlp` the parse's
    notes (`nlp_timeout`, `truncated_at`, `nlp_skipped`; timings left out, they say nothing about
    the document)."""
    notes: dict = {}
    if p.error and p.error != "nlp_timeout":
        notes["nlp_error"] = p.error[:500]
    parse_notes = {k: v for k, v in p.notes.items() if not k.endswith("_seconds")}
    if parse_notes:
        notes["nlp"] = parse_notes
    return notes


def note_outcomes(docs: list, parsed: list[ParsedDoc]) -> None:
    """In place, onto each Document: its language (`documents.language`) and `outcome_notes`.
    The link step (`tasks.nlp.step.link_step`) gives its copies the same."""
    by_id = {p.doc_id: p for p in parsed}
    for doc in docs:
        p = by_id.get(doc.doc_id)
        if p is not None:
            doc.notes.update(outcome_notes(p))
            doc.language = p.language


def extract_document(item: dict, chunks: list[tuple[int, Doc]], config: NlpConfig, lexicon: Lexicon,
                     triggers: dict, lemmatizer=None, title: Doc | None = None) -> ParsedDoc:
    """Mentions, quotes and event mentions of one document (all its parsed chunks; mentions of
    its parsed title too, with field "title")."""
    text = (item.get("clean_text") or "")[: config.max_doc_chars]
    published_at = as_datetime(item.get("published_at"))
    doc = ParsedText(text, chunks, lemmatizer)
    mentions = MentionIndex(doc, config, lexicon, title)
    refs = References(doc, mentions, lexicon)
    quotes = QuoteAttributor(doc, refs, lexicon, config.quote_min_confidence).extract()
    events = EventExtractor(doc, mentions, refs, lexicon, triggers, published_at).extract()
    return ParsedDoc(item["doc_id"], published_at, item.get("site"), mentions.mentions + mentions.title_mentions,
                     quotes, events, doc.n_words())
