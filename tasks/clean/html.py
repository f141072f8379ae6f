"""Cleaning HTML pages with trafilatura: body text without comments, plus its metadata."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import trafilatura

from .config import CleanConfig
from .metadata import parse_date


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
