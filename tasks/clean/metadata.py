"""Title, publication date, site and author from a plain-text page (pure functions).

The headline is the last headline-like line above the first body paragraph; the publication date
is a dateline right under that headline (a page clock or a date above the headline is not one:
None is better than a wrong date); the site comes from the URL when there is one, else from the
page naming itself ("Support X", "Follow X on Google", "CITY (X) -").
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from urllib.parse import urlparse

from .config import CleanConfig
from .text import Line, ends_like_sentence, is_body_paragraph, normalize_line, words

_MONTH_NO = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")], 1)
    for m in names
}
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME = r"(?:(?:\s*(?:at|,|-|\||•)?\s*)(?P<h>\d{1,2})[:.](?P<mi>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_DATE_PATTERNS = [
    re.compile(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d){_TIME}", re.IGNORECASE),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+(?P<y>(?:19|20)\d\d){_TIME}", re.IGNORECASE),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?:[T ](?P<h>\d\d):(?P<mi>\d\d))?"),
]


def parse_date(text: str) -> datetime | None:
    """The first date (and time, when given) written in `text`, as a naive datetime."""
    for pat in _DATE_PATTERNS:
        m = pat.search(text)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["m"]) if g.get("m") else _MONTH_NO.get(g["mon"].lower().rstrip("."))
        hour = int(g["h"]) if g.get("h") else 0
        minute = int(g["mi"]) if g.get("mi") else 0
        ampm = (g.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        try:
            return datetime(int(g["y"]), month, int(g["d"]), hour, minute)
        except (TypeError, ValueError):
            continue
    return None


def _is_dateline(line: str) -> bool:
    """A short line whose point is a date: "February 17, 2020 at 3:45 pm", "Published 3 May 2019"."""
    return len(words(line)) <= 16 and parse_date(line) is not None and not ends_like_sentence(line.rstrip("."))


_PLACE_WORD = re.compile(r"^[A-Z][\w.'’-]*,?$")
_NOT_PLACE = {"by", "published", "updated", "posted", "last", "modified", "date", "on", "at", "from", "home", "news",
              "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def dateline_place(line: str) -> tuple[int, int] | None:
    """(start, end) of the place in a wire dateline ("LONDON 1996-08-30", "LA CORUNA, Spain 1996-08-31",
    "WASHINGTON, Aug. 30 (Reuters) -"): one to five capitalised words before a date, with nothing
    after the date but an agency or a dash. None for any other line ("Published 3 May 2019")."""
    if len(words(line)) > 12:
        return None
    for pat in _DATE_PATTERNS:
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


def find_wire_dateline(lines: list[Line], config: CleanConfig) -> int | None:
    """Index of a wire dateline among the first lines of the page (above its first body paragraph)."""
    stop = next((i for i, x in enumerate(lines) if is_body_paragraph(x, config)), len(lines))
    for i in range(min(stop, config.dateline_window + 2)):
        if dateline_place(lines[i].text):
            return i
    return None


_BARE_NAME = re.compile(r"^(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w'’-]+$")


def wire_headline(lines: list[Line], dateline_at: int, config: CleanConfig) -> tuple[int | None, int | None]:
    """(headline, byline) indices above a wire dateline: the headline is the line right above it
    however it ends ("SOCCER - AUSTRIA DOMINATE SCOTLAND."), or above a bare-name byline."""
    j, byline = dateline_at - 1, None
    if j >= 1 and _BARE_NAME.match(lines[j].text) and not _headline_shaped(lines[j].text, config):
        j, byline = j - 1, j
    if j >= 0 and _headline_shaped(lines[j].text, config):
        return j, byline
    return None, None


def _headline_shaped(text: str, config: CleanConfig) -> bool:
    return config.title_min_words <= len(words(text)) <= config.title_max_words and not re.search(r"@|https?://|www\.", text)


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


def site_from_uri(uri: str | None) -> str | None:
    """The host of an http(s) URL without "www.", or None for anything else (file paths)."""
    if not uri or not re.match(r"https?://", uri, re.IGNORECASE):
        return None
    host = urlparse(uri).hostname or ""
    host = host.removeprefix("www.")
    return host or None


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
