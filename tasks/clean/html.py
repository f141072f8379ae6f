"""Cleaning HTML pages with trafilatura: body text without comments, plus its metadata, and the
page's other visible lines as removed lines with the reason their element gives."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import trafilatura

from .config import CleanConfig
from .html_lines import visible_lines
from .metadata import parse_date
from .shapes import normalize_line, words


@dataclass
class HtmlResult:
    body: str
    title: str | None
    site: str | None
    author: str | None
    published_at: datetime | None


def extract_html(html: str, *, config: CleanConfig, url: str | None = None) -> HtmlResult:
    """Body and metadata of one HTML page (trafilatura; dates through htmldate)."""
    html = html[: config.max_chars]
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=config.html_include_tables,
        favor_precision=config.html_favor_precision,
        with_metadata=True,
        deduplicate=False,
    )
    if doc is None:
        return HtmlResult("", None, None, None, None)
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    body = "\n".join(x.strip() for x in (get("text") or "").split("\n") if x.strip())
    date = get("date")
    return HtmlResult(
        body=body,
        title=(get("title") or None),
        site=(get("sitename") or get("hostname") or None),
        author=(get("author") or None),
        published_at=parse_date(date) if date else None,
    )


def removed_html_lines(html: str, body: str, title: str | None = None) -> list[tuple[str, str]]:
    """(text, reason) of every visible line of the page that is not in `body`, in page order.

    A line is in the body when it is one of the body's lines, or (four words or more) when it
    occurs inside the body's text or most of its 4-word shingles do (trafilatura joins and trims
    inline text); otherwise its element names the reason (see `html_lines`), a line that is the
    title is `title`, and a line made of links is `navigation` (up to three words) or
    `related_link`."""
    body_lines = {normalize_line(x) for x in body.split("\n") if x.strip()}
    flat = " ".join(normalize_line(x) for x in body.split("\n"))
    body_shingles = _shingles(flat)
    title_key = normalize_line(title) if title else None
    out = []
    for ln in visible_lines(html):
        key = normalize_line(ln.text)
        n = len(words(ln.text))
        if key in body_lines or (n >= 4 and key in flat):
            continue
        own = _shingles(key)
        if len(own) >= 3 and len(own & body_shingles) >= 0.8 * len(own):
            continue
        reason = ln.reason
        if key == title_key:
            reason = "title"
        elif reason == "html_boilerplate" and ln.link_share >= 0.8:
            reason = "navigation" if n <= 3 else "related_link"
        out.append((ln.text, reason))
    return out


def _shingles(text: str) -> set[tuple[str, ...]]:
    toks = words(text)
    return {tuple(toks[i:i + 4]) for i in range(len(toks) - 3)}
