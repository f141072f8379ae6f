"""Shapes of single lines: words, sentence ends, timestamps, captions, promos, tags, headings.

Pure functions of one line of text; `text.py` combines them with the context of the page.
"""
from __future__ import annotations

import hashlib
import re

from tasks.common.dates import MONTHS, WEEKDAY_ABBREVIATIONS, WEEKDAYS
from tasks.common.stopwords import LINE_STOPWORDS
from tasks.common.text import fold


def normalize_line(line: str) -> str:
    """The comparison form of a line (`tasks.common.text.fold`): no accents, folded quotes and
    dashes, single spaces, casefolded."""
    return fold(line)


def line_key(line: str) -> str:
    """Stable key of a line for the per-site counts (digits folded so dates and counters match)."""
    return hashlib.sha1(re.sub(r"\d+", "0", normalize_line(line)).encode()).hexdigest()[:16]


WORD = re.compile(r"\w+(?:['’]\w+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_CLOSERS = "\"'”’»)]*」』）"
_SENTENCE_END = ".!?…:;。！？"


def words(line: str) -> list[str]:
    """Word tokens; in scripts written without spaces (CJK) two characters count as one word."""
    toks = WORD.findall(line)
    cjk = len(_CJK.findall(line))
    if cjk > len(toks):
        return toks + ["字"] * (cjk // 2)
    return toks


def stopword_ratio(line: str) -> float:
    toks = WORD.findall(line)
    return sum(t.lower() in LINE_STOPWORDS for t in toks) / max(len(toks), 1)


def ends_like_sentence(line: str) -> bool:
    s = line.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(s) and s[-1] in _SENTENCE_END


# -- single-line shapes ------------------------------------------------------------------------

_MONTHS = set(MONTHS)
_WEEKDAYS = set(WEEKDAYS) | set(WEEKDAY_ABBREVIATIONS)
_ZONES = {"gmt", "utc", "et", "est", "edt", "pt", "pst", "pdt", "bst", "cet", "cest", "msk", "ist"}
_DATE_WORDS = _MONTHS | _WEEKDAYS | {
    "am", "pm", "a", "p", "m", "gmt", "utc", "et", "est", "edt", "pt", "pst", "pdt", "bst", "cet", "cest",
    "msk", "ist", "st", "nd", "rd", "th", "at", "on", "updated", "published", "posted", "last",
    "modified", "date", "time", "today", "yesterday", "ago", "hours", "hour", "minutes", "minute",
    "min", "mins", "days", "day", "read", "h",
}


def is_timestamp(line: str) -> bool:
    """A line made only of date/time words and numbers ("Thursday", "23:25 GMT29 November 2020")."""
    toks = re.findall(r"[A-Za-z]+|\d+", line)
    datey = any(t.lower() in _MONTHS or t.lower() in _WEEKDAYS or t.lower() in _ZONES for t in toks) or re.search(
        r"\d{1,2}:\d{2}|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b", line)
    if not toks or not datey:
        return False  # "78,000" is an attendance, not a time
    return all(t.isdigit() or t.lower() in _DATE_WORDS for t in toks)


_CAPTION_PATTERNS = [
    re.compile(r"\[[^\[\]]{2,100}\]\s*$"),  # trailing bracketed credit: "... [Cem Özdel/Anadolu Agency]"
    re.compile(r"\((?:photos?|image|picture|pic|credit|source|file photo|illustration|video)\b[^()]{0,100}\)\s*$", re.IGNORECASE),
    re.compile(r"^(?:photos?|image|picture|credit|illustration|file photo)\s*(?:credit)?\s*[:|]", re.IGNORECASE),
    re.compile(r"^file:\S.*\.(?:jpe?g|png|gif|svg|webp|tiff?)$", re.IGNORECASE),
    re.compile(r"\b(?:click|tap)\s+(?:here\s+)?to\s+(?:see|view|enlarge|expand|zoom|open)\b", re.IGNORECASE),
    re.compile(r"^(?:image|photo|slide)\s+\d+\s+(?:of|/)\s+\d+", re.IGNORECASE),
    re.compile(r"\((?:getty images|reuters|afp|ap|epa|shutterstock)[^()]*\)\s*$", re.IGNORECASE),
    re.compile(r"\([^()/]{2,60}/[^()/\s][^()/]{0,40}\)\s*$"),  # "(Manu Fernandez/AP)"
    re.compile(r"(?:getty images|shutterstock|istock(?:photo)?)\s*$", re.IGNORECASE),
]

# Promo, share and paywall phrases. Short lines only: a long sentence that mentions "subscribe" is
# most likely the article talking about subscriptions. Verbs match in any case, names only
# capitalised ("Support SouthFront" is a promo, "Support for a ban has fallen" is not).
_NAME = r"[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}"
_PROMO_STRONG = [
    re.compile(rf"^(?i:support|join|follow|subscribe to|donate to|like|become a member of)\s+(?:(?i:us)\b|{_NAME}(?:\s+(?i:on|today)\b.*)?$)"),
    re.compile(r"^(?:follow|like|find) us\b", re.IGNORECASE),
    re.compile(r"\b(?:exit mobile version|mobile version|author'?s profile|about the author)\b", re.IGNORECASE),
    re.compile(r"\b(?:free trial|instant access|unlimited access|all rights reserved|privacy policy|terms of (?:use|service))\b", re.IGNORECASE),
    re.compile(r"^(?:comments?|discussion|community standards|leave a (?:comment|reply)|listen live|watch live)", re.IGNORECASE),
    re.compile(r"©"),
]
# Weak phrases count only on lines that do not read as a sentence, or very short ones.
_PROMO_WEAK = [
    re.compile(r"\b(?:subscribe|subscription|subscriber|subscribing|sign up|sign in|log in|newsletter|paywall|premium content|already a member)\b", re.IGNORECASE),
    re.compile(r"\b(?:share (?:this|on)|share via|tweet this|email this|print this|copy link|short url)\b", re.IGNORECASE),
    re.compile(r"\b(?:copyright|cookies?|advertisement)\b", re.IGNORECASE),
    re.compile(r"\b(?:read (?:more|next|also)|see also|related (?:articles?|stories|news|posts|content|topics))\b", re.IGNORECASE),
]
_PAYWALL_WORDS = re.compile(r"\b(?:free trial|subscrib\w*|subscription|instant access|unlimited access|paywall|premium)\b", re.IGNORECASE)


# Verbs that betray a sentence (captions under photos are mostly verbless noun phrases of names)
_VERBS = frozenset(
    "is are was were be been being has have had do does did will would can could shall should may might must "
    "said says say told tells tell made makes make met meets meet went goes go came comes come took takes take "
    "gave gives give got gets get saw sees see held holds hold led leads lead left leaves won wins lost loses "
    "became becomes began begins found finds knew knows thought thinks put puts set sets let lets ran runs "
    "stood stands rate rates include includes also".split()
)
_PRONOUNS = frozenset("i we you he she they it this that there these those".split())


def is_name_caption(line: str) -> bool:
    """A short verbless phrase of names closed by a period ("President X and his counterpart Y.")."""
    w = words(line)
    text = line.rstrip()
    if not 4 <= len(w) <= 16 or not text.endswith(".") or re.search(r"[.!?]\s|[:;\"“”\d()]", text[:-1]):
        return False
    if text.count(",") > 1:
        return False  # a list of names (a line-up) is content, not a caption
    if sum(x[:1].isupper() for x in w) < 0.6 * len(w) or w[0].lower() in _PRONOUNS or w[0].lower().endswith("ing"):
        return False
    return not any(x.lower() in _VERBS or (x[:1].islower() and x.lower().endswith(("ed", "ing"))) for x in w)


def caption_reason(line: str) -> str | None:
    if len(words(line)) > 80:
        return None
    if any(p.search(line) for p in _CAPTION_PATTERNS) or is_name_caption(line):
        return "caption"
    return None


def promo_reason(line: str) -> str | None:
    n = len(words(line))
    if n > 25:
        return None
    hit = any(p.search(line) for p in _PROMO_STRONG) or (
        (n <= 6 or not ends_like_sentence(line)) and any(p.search(line) for p in _PROMO_WEAK))
    if not hit:
        return None
    return "paywall" if _PAYWALL_WORDS.search(line) else "promo"


def is_tag_line(line: str, *, min_items: int) -> bool:
    """Comma-separated short names with no sentence end: "Sergei Lavrov, S-400 deal, Syria, Idlib"."""
    if ends_like_sentence(line):
        return False
    items = [x.strip() for x in re.split(r"[,|•·]", line)]
    if len(items) < min_items or any(not x for x in items):
        return False
    return all(1 <= len(words(x)) <= 4 for x in items)


def is_heading(line: str, *, max_words: int) -> bool:
    """Short and without sentence punctuation: nav, section headings, headlines, link titles."""
    n = len(words(line))
    if n <= 3 and line.rstrip().endswith(":"):
        return True  # a label ("Share:", "Tags:"), not a lead-in to a quote or list
    return n <= max_words and not ends_like_sentence(line)


TAIL_MARKER = re.compile(
    r"^(?:news in brief|in brief|latest(?: news| stories| articles| headlines)?|most (?:read|popular|viewed|shared)|"
    r"more (?:from|on|in|stories|news|like this)\b.*|related(?: articles| stories| news| posts| coverage| content)?|"
    r"read (?:more|next|also)|you (?:may|might) (?:also )?(?:like|be interested in)|recommended(?: for you| stories)?|"
    r"trending(?: now| stories)?|top stories|popular(?: stories| now)?|editor'?s? picks|what to read next|"
    r"opinion|highlights|.{0,30}'s? highlights|comments?|discussion|advertisement|share this(?: article)?)\s*:?$",
    re.IGNORECASE,
)
NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}[.)]\s+\S")


_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,:/-]\d+)*(?:%|st|nd|rd|th)?(?!\w)|(?<![\w.])\.\d+")


_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_OR_YEAR = re.compile(
    rf"\b{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON},?\s+\d{{4}}\b|"
    r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d\d\b", re.IGNORECASE)


def _figures(line: str) -> tuple[int, list[str]]:
    """(number of figures, the words that are not figures) of a line; dates and years are not
    figures (a byline's date, a headline's year)."""
    line = _DATE_OR_YEAR.sub(" ", line)
    return len(_NUMBER.findall(line)), [w for w in words(line) if not w[:1].isdigit()]


def _mostly_capitalised(ws: list[str]) -> bool:
    return sum(w[:1].isupper() for w in ws) >= 0.5 * len(ws)


def is_data_line(line: str) -> bool:
    """A row of figures: results, scores, standings ("Lotte 6 Hyundai 2", "Haitai 64 2 43 .596 -",
    "Tim Henman (Britain) beat Doug Flach (U.S.) 6-3 6-4 6-2"): two figures or more, and either at
    least one for every three other words or mostly names around them."""
    n, other = _figures(line)
    if n < 2 or len(words(line)) < 3 or is_timestamp(line):
        return False
    return n >= 0.3 * len(other) or _mostly_capitalised(other)


def is_table_row(line: str) -> bool:
    """A data line, or names with one figure ("S. Law c Tillekeratne b Dharmasena 13"): mostly
    capitalised words, so neither a label with a count ("Politics (13)") nor a headline with a
    number ("10 great gifts for the hacker in your life")."""
    if is_data_line(line):
        return True
    n, other = _figures(line)
    return n >= 1 and len(other) >= 3 and _mostly_capitalised(other) and not is_timestamp(line)
