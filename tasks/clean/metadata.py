"""Title, publication date, site and author from a plain-text page (pure functions).

The headline is the last headline-like line above the first body paragraph; the publication date
is a dateline right under that headline (a page clock or a date above the headline is not one:
None is better than a wrong date); the site comes from the URL when there is one, else from the
page naming itself ("Support X", "Follow X on Google", "CITY (X) -").
"""
from __future__ import annotations

import re
from collections import Counter

from tasks.common.dates import parse_date
from tasks.common.urls import site_from_url as site_from_uri

from .config import CleanConfig
from .text import Line, ends_like_sentence, is_body_paragraph, normalize_line, words

def _is_dateline(line: str) -> bool:
    """A short line whose point is a date: "February 17, 2020 at 3:45 pm", "Published 3 May 2019"."""
    return len(words(line)) <= 16 and parse_date(line) is not None and not ends_like_sentence(line.rstrip("."))


_BYLINE = re.compile(r"^(?:by|written by|words by|author:?)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\b", re.IGNORECASE)
_TITLE_SKIP = {"caption", "promo", "paywall", "timestamp", "tags"}


def _title_candidate(ln: Line, config: CleanConfig) -> bool:
    if ln.reason in _TITLE_SKIP or _is_dateline(ln.text) or _BYLINE.match(ln.text):
        return False
    if re.search(r"@|https?://|www\.|#\w", ln.text):
        return False
    if ln.kept or ends_like_sentence(ln.text):
        return False  # what the rules keep stays body: no body line becomes a title (idempotence)
    return config.title_min_words <= len(words(ln.text)) <= config.title_max_words


def find_title(lines: list[Line], config: CleanConfig) -> int | None:
    """Index (into `lines`) of the headline, or None when the page has none.

    Candidates are headline-shaped lines above the first body paragraph. The page usually prints
    its headline more than once (the page title on the first line, the h1, a caption), so a
    candidate printed elsewhere too wins; otherwise the one nearest the body (a standfirst can
    lose to the headline only through that repetition signal)."""
    first_body = next((i for i, x in enumerate(lines) if is_body_paragraph(x, config)), None)
    if first_body is None:
        return None
    cands = [i for i in range(first_body - 1, -1, -1) if _title_candidate(lines[i], config)]
    if not cands:
        return None
    keys = [normalize_line(x.text) for x in lines]
    first_line = keys[0]
    for i in cands[:8]:
        others = [j for j, k in enumerate(keys) if k == keys[i] and j != i]
        if others or (i > 0 and len(keys[i]) >= 20 and keys[i] in first_line):
            # report the first copy (the page title or the h1 before its caption copy)
            return min([i, *others])
    return cands[0]


def find_dateline(lines: list[Line], title_at: int | None, config: CleanConfig) -> int | None:
    """Index of the dateline just under the headline (None when there is no headline)."""
    if title_at is None:
        return None
    seen = 0
    for j in range(title_at + 1, len(lines)):
        ln = lines[j]
        if is_body_paragraph(ln, config):
            return None
        if _is_dateline(ln.text):
            return j
        if ln.reason in ("caption", "promo") or _BYLINE.match(ln.text) or normalize_line(ln.text) == normalize_line(lines[title_at].text):
            continue
        seen += 1
        if seen >= config.dateline_window:
            return None
    return None


def find_author(lines: list[Line], title_at: int | None) -> tuple[int, str] | None:
    start = title_at + 1 if title_at is not None else 0
    for j in range(start, min(len(lines), start + 6)):
        m = _BYLINE.match(lines[j].text)
        if m and len(words(lines[j].text)) <= 8:
            return j, m.group("name")
    return None


_NAME = r"(?P<name>(?:[A-Z][\w&'’-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w&'’-]*))*?)"
_SELF_REFERENCES = [
    re.compile(rf"^(?i:support|join|donate to|subscribe to|become a member of)\s+{_NAME}(?:\s+today)?\s*[.!]?$"),
    re.compile(rf"^(?i:follow|like)\s+{_NAME}\s+(?i:on)\s+[A-Z]\w+"),
    re.compile(rf"^[A-Z][A-Z .'-]{{2,30}}\s*\({_NAME}\)\s*[-–—]"),
]
_NOT_NAMES = {"us", "our", "the", "me", "him", "her", "them", "now", "today", "free", "here"}


def site_from_text(lines: list[Line]) -> str | None:
    """The outlet a page names as itself; the most frequent candidate wins."""
    votes: Counter[str] = Counter()
    for ln in lines:
        for pat in _SELF_REFERENCES:
            m = pat.match(ln.text)
            if m:
                name = m.group("name").strip()
                if name.lower() not in _NOT_NAMES and 1 <= len(name.split()) <= 4:
                    votes[name] += 1
    return votes.most_common(1)[0][0] if votes else None
