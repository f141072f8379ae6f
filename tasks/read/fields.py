"""Field values of a record made storable and safe: text without NUL or lone surrogates, dates
that can be computed with, bounded titles and urls, JSON parsed without recursion or int limits.
Pure functions; the readers use them on every record."""
from __future__ import annotations

import json
import re
from typing import Any

from tasks.common.dates import parse_datetime  # noqa: F401 - the crawler-field parser, re-exported
from tasks.common.urls import site_from_url  # noqa: F401 - re-exported

MAX_FIELD_CHARS = 2000  # a title, url or site longer than this is cut (and the cut noted)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def scrub(value: str) -> tuple[str, int]:
    """Text without NUL and lone surrogates (JSON can escape both; no database stores them):
    (scrubbed text, characters removed)."""
    cleaned, n = _UNSTORABLE.subn("", value)
    return cleaned, n


def storable_field(value: Any, notes: dict, name: str) -> str | None:
    """A title, url or site as storable text of bounded length, or None."""
    if value is None:
        return None
    text, removed = scrub(value if isinstance(value, str) else str(value))
    if removed:
        notes[f"{name}_chars_removed"] = removed
    if len(text) > MAX_FIELD_CHARS:
        notes[f"{name}_cut_at"] = MAX_FIELD_CHARS
        text = text[:MAX_FIELD_CHARS]
    return text.strip() or None


def dump_record(record: Any) -> str:
    try:
        return json.dumps(record, ensure_ascii=False, default=str)[:10000]
    except (RecursionError, ValueError):
        return ""


def _parse_int(digits: str) -> int | str:
    # Python refuses int() of more than 4300 digits; such a number is kept as its text
    return int(digits) if len(digits) <= 4000 else digits


def parse_json(text: str) -> tuple[Any, str | None]:
    """(value, None), or (None, reason): `invalid_json`, or `too_deep` past the parser's nesting limit."""
    try:
        return json.loads(text, parse_int=_parse_int), None
    except RecursionError:
        return None, "too_deep"
    except ValueError:  # JSONDecodeError is one
        return None, "invalid_json"
