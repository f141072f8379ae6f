"""`clean_step`: run the per-document cleaners over a batch and keep the site state current."""
from __future__ import annotations

import hashlib
from collections import defaultdict

from tasks.records import REJECTED, Document, RemovedLine
from tasks.rows import Rows, rows_from_dicts

from .classifier import LineModel, load_default_model
from .config import CleanConfig
from tasks.common.dates import parse_date
from .html import extract_html, removed_html_lines
from .metadata import (
    find_author,
    find_dateline,
    find_title,
    site_from_text,
    site_from_uri,
)
from .names import clean_site, clean_title
from .state import CleanState
from .text import (
    StripResult,
    body_text,
    count_keys,
    line_key,
    normalize_line,
    split_lines,
    strip_boilerplate,
    words,
)
from .wire import dateline_place


def clean_text_document(doc: Document, *, config: CleanConfig, state: CleanState,
                        line_model: LineModel | None) -> StripResult:
    """Clean one plain-text document in place (body, metadata, removed lines); returns the decisions."""
    counts, n_docs = state.counts_for(doc.site)
    result = strip_boilerplate(doc.raw_text, config=config, site_line_counts=counts, site_docs=n_docs,
                               line_model=line_model)
    lines = result.lines
    # a wire headline is the title (and body too with wire_headline_in_body, as the story was sent)
    wire_head = result.headline is not None and config.wire_headline_in_body
    t = result.headline if result.headline is not None else find_title(lines, config)
    if t is not None:
        if doc.title is None:
            doc.title = lines[t].text
        # a page's headline is not body, wherever the title came from (and so are its later copies)
        lines[t].reason = None if wire_head else "title"
    if result.byline is not None and doc.author is None:
        doc.author = lines[result.byline].text
    d = find_dateline(lines, t, config) if t is not None else None
    d = d if d is not None else result.dateline
    if d is not None:
        if doc.published_at is None:
            doc.published_at = parse_date(lines[d].text)
        place = dateline_place(lines[d].text)
        if place:  # a wire dateline stays in the body (its place is a mention) and is recorded
            lines[d].reason = None
            doc.notes["dateline"] = {"line_no": lines[d].no, "place": lines[d].text[place[0]:place[1]]}
        else:
            lines[d].reason = "dateline"
    if t is not None:
        a = find_author(lines, t)
        if a is not None:
            if doc.author is None:
                doc.author = a[1]
            if lines[a[0]].kept:
                lines[a[0]].reason = "byline"
    if doc.title:  # a title given by the reader is not body either, wherever it is printed
        key = normalize_line(doc.title)
        for i, x in enumerate(lines):
            if x.kept and normalize_line(x.text) == key and not (wire_head and i == t):
                x.reason = "title"
        doc.title = clean_title(doc.title, doc.site, uri=doc.source_uri)
    doc.removed_lines = [RemovedLine(no, text, x.reason) for x in lines if not x.kept for no, text in x.raw()]
    doc.clean_text = body_text(lines)
    return result


def clean_html_document(doc: Document, *, config: CleanConfig) -> None:
    """Clean one HTML document in place with trafilatura (metadata from the page where unset)."""
    url = doc.source_uri if site_from_uri(doc.source_uri) else None
    res = extract_html(doc.raw_text, config=config, url=url)
    doc.clean_text = res.body
    doc.site = doc.site or clean_site(res.site, url)
    # the headline without the site name the page title wraps it in (trafilatura's or the reader's)
    doc.title = clean_title(doc.title or res.title, res.site, doc.site, uri=url)
    doc.author = doc.author or res.author
    doc.published_at = doc.published_at or res.published_at
    html = doc.raw_text[: config.max_chars]
    doc.removed_lines = [RemovedLine(None, text, reason) for text, reason in removed_html_lines(html, res.body, doc.title)]


def _detect_site(doc: Document) -> str | None:
    if doc.site:
        return doc.site
    if site_from_uri(doc.source_uri):
        return site_from_uri(doc.source_uri)
    if doc.content_type == "text":
        return site_from_text(split_lines(doc.raw_text[:200_000]))
    return None


def _line_keys_by_site(docs: list[Document], counted: list[tuple[str, set[str]]],
                       max_chars: int) -> dict[str, set[str]]:
    """Every line key the batch will count or look up, per site: what the state asks for at once."""
    out: dict[str, set[str]] = defaultdict(set)
    for site, keys in counted:
        out[site] |= keys
    for doc in docs:
        if doc.content_type == "text" and doc.site:
            out[doc.site].update(line_key(x.text) for x in split_lines(doc.raw_text[:max_chars]))
    return out


def clean_step(docs: list[Document], state: CleanState, config: CleanConfig = CleanConfig(),
               line_model: LineModel | None = None) -> tuple[list[Document], Rows]:
    """The stage's step: cleaned copies of `docs` (the caller's are unchanged) and the rows to
    write (`site_lines`, `site_docs`); `state` is advanced. See `clean_batch`."""
    cleaned = [d.copy() for d in docs]
    rows = rows_from_dicts(clean_batch(cleaned, config, state, line_model))
    rows.counts.update("clean_errors" for d in cleaned if d.status_reason == "clean_error")
    return cleaned, rows


def clean_batch(docs: list[Document], config: CleanConfig, state: CleanState,
                line_model: LineModel | None = None) -> dict[str, list[dict]]:
    """Clean a batch of documents in place and return the state rows to upsert (the in-place
    form `clean_step` runs on its copies).

    Rejected documents are skipped. Text documents first add their lines to the per-site counts
    (once per distinct raw text, so a batch of one site's pages learns its templates at once),
    then are cleaned against the updated counts. A document with no body left is rejected with
    `no_body`; its raw text is kept. `line_model` defaults to the shipped model.
    """
    if line_model is None and config.use_line_model:
        line_model = load_default_model()
    todo = [d for d in docs if d.status != REJECTED]
    touched: dict[str, set[str]] = defaultdict(set)
    seen_raw: set[tuple[str, str]] = set()
    counted: list[tuple[str, set[str]]] = []
    for doc in todo:
        doc.site = _detect_site(doc)
        if doc.content_type == "text" and doc.site:
            h = hashlib.sha1(doc.raw_text.encode("utf-8", "replace")).hexdigest()
            if (doc.site, h) in seen_raw:
                continue
            seen_raw.add((doc.site, h))
            counted.append((doc.site, count_keys(doc.raw_text[: config.max_chars])))
    state.prefetch(_line_keys_by_site(todo, counted, config.max_chars))
    for site, keys in counted:
        state.add_document(site, keys)
        touched[site] |= keys
    for doc in todo:
        try:
            if doc.content_type == "html":
                clean_html_document(doc, config=config)
            else:
                clean_text_document(doc, config=config, state=state, line_model=line_model)
        except Exception as exc:  # noqa: BLE001 - one bad page must not fail the batch; the reason is kept
            doc.clean_text = None
            doc.notes["clean_error"] = f"{type(exc).__name__}: {exc}"[:500]
            doc.reject("clean_error")
            continue
        if len(words(doc.clean_text or "")) < config.min_body_words:
            doc.clean_text = doc.clean_text or None
            doc.reject("no_body")
    return state.rows_for(touched)
