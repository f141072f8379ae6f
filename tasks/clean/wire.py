"""Wire copy: a headline, maybe a bare-name byline, a dateline ("LONDON 1996-08-30"), then the story.

The dateline anchors the layout: the line right above it is the headline however it ends, a bare
name between them is the byline, and the dateline itself is the first words of the story (its
place is a mention; its date the publication date when none is known).
"""
from __future__ import annotations

import re
from typing import Protocol

from .config import CleanConfig
from tasks.common.dates import ABSOLUTE_DATE_PATTERNS as DATE_PATTERNS
from .shapes import ends_like_sentence, words


class _Line(Protocol):
    text: str

    @property
    def kept(self) -> bool: ...


def _is_body(line: _Line, config: CleanConfig) -> bool:
    return line.kept and len(words(line.text)) >= config.body_min_words and ends_like_sentence(line.text)


_PLACE_WORD = re.compile(r"^[A-Z][\w.'’-]*,?$")
_NOT_PLACE = {"by", "published", "updated", "posted", "last", "modified", "date", "on", "at", "from", "home", "news",
              "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def dateline_place(line: str) -> tuple[int, int] | None:
    """(start, end) of the place in a wire dateline ("LONDON 1996-08-30", "LA CORUNA, Spain 1996-08-31",
    "WASHINGTON, Aug. 30 (Reuters) -"): one to five capitalised words before a date, with nothing
    after the date but an agency or a dash. None for any other line ("Published 3 May 2019")."""
    if len(words(line)) > 12:
        return None
    for pat in DATE_PATTERNS:
        m = pat.search(line)
        if m:
            break
    else:
        return None
    head = line[: m.start()].rstrip(" ,-–—")
    tail = line[m.end():].strip()
    toks = head.split()
    if not 1 <= len(toks) <= 5 or re.search(r"[\d:|/@#»•]", head) or toks[0].lower() in _NOT_PLACE:
        return None
    if not all(_PLACE_WORD.match(t) or t.islower() and len(t) <= 3 for t in toks) or not toks[-1][:1].isupper():
        return None
    if tail and not re.fullmatch(r"(?:\([^()]{1,40}\))?\s*[-–—:]?", tail):
        return None
    return 0, len(head)


def find_wire_dateline(lines: list[_Line], config: CleanConfig) -> int | None:
    """Index of a wire dateline among the first lines of the page (above its first body paragraph)."""
    stop = next((i for i, x in enumerate(lines) if _is_body(x, config)), len(lines))
    for i in range(min(stop, config.dateline_window + 2)):
        if dateline_place(lines[i].text):
            return i
    return None


_BARE_NAME = re.compile(r"^(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w'’-]+$")


def wire_headline(lines: list[_Line], dateline_at: int, config: CleanConfig) -> tuple[int | None, int | None]:
    """(headline, byline) indices above a wire dateline: the headline is the line right above it
    however it ends ("SOCCER - AUSTRIA DOMINATE SCOTLAND."), or above a bare-name byline."""
    j, byline = dateline_at - 1, None
    if j >= 1 and _BARE_NAME.match(lines[j].text) and not headline_shaped(lines[j].text, config):
        j, byline = j - 1, j
    if j >= 0 and headline_shaped(lines[j].text, config):
        return j, byline
    return None, None


def headline_shaped(text: str, config: CleanConfig) -> bool:
    return config.title_min_words <= len(words(text)) <= config.title_max_words and not re.search(r"@|https?://|www\.", text)
