"""Line-level boilerplate removal for pages scraped as plain text (issue #3).

Everything here is pure: text and counts in, decisions out. `strip_boilerplate` combines, in order,

1. shape rules on single lines (captions, promos and paywall phrases, bare timestamps, tag lines,
   short lines without sentence punctuation: nav and headings),
2. repetition: lines seen twice in the page, and lines that are a template of the site
   (seen in many of its documents, counted in `CleanState`),
3. the trailing link-list / teaser block ("Latest News", numbered headline lists, and the
   heading + teaser paragraph pairs just above them),
4. the learned line model (`classifier.py`) where the rules run out, and
5. the main region: the contiguous run of lines that holds most body words; what lies outside
   (menus above, comments and footers below) is dropped.

The rules are written against general shapes, never one outlet's wording.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tasks.common.dates import MONTHS, WEEKDAY_ABBREVIATIONS, WEEKDAYS
from tasks.common.stopwords import LINE_STOPWORDS
from tasks.common.text import fold

from .config import CleanConfig

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


_TAIL_MARKER = re.compile(
    r"^(?:news in brief|in brief|latest(?: news| stories| articles| headlines)?|most (?:read|popular|viewed|shared)|"
    r"more (?:from|on|in|stories|news|like this)\b.*|related(?: articles| stories| news| posts| coverage| content)?|"
    r"read (?:more|next|also)|you (?:may|might) (?:also )?(?:like|be interested in)|recommended(?: for you| stories)?|"
    r"trending(?: now| stories)?|top stories|popular(?: stories| now)?|editor'?s? picks|what to read next|"
    r"opinion|highlights|.{0,30}'s? highlights|comments?|discussion|advertisement|share this(?: article)?)\s*:?$",
    re.IGNORECASE,
)
_NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}[.)]\s+\S")


# -- per-line decisions ------------------------------------------------------------------------


@dataclass
class Line:
    """One non-blank line of the raw text and what cleaning decided about it."""

    no: int  # 1-based line number in the raw text
    text: str  # stripped
    reason: str | None = None  # None: kept as body

    @property
    def kept(self) -> bool:
        return self.reason is None


@dataclass
class StripResult:
    lines: list[Line] = field(default_factory=list)

    @property
    def kept(self) -> list[Line]:
        return [x for x in self.lines if x.kept]

    @property
    def removed(self) -> list[Line]:
        return [x for x in self.lines if not x.kept]


def split_lines(text: str) -> list[Line]:
    return [Line(i, s.strip()) for i, s in enumerate(text.split("\n"), 1) if s.strip()]


def _single_line_reason(text: str, config: CleanConfig) -> str | None:
    if is_timestamp(text):
        return "timestamp"
    r = caption_reason(text) or promo_reason(text)
    if r:
        return r
    if is_tag_line(text, min_items=config.tag_min_items):
        return "tags"
    if is_heading(text, max_words=config.heading_max_words):
        return "heading"
    return None


def is_body_paragraph(line: Line, config: CleanConfig) -> bool:
    return line.kept and len(words(line.text)) >= config.body_min_words and ends_like_sentence(line.text)


def _mark_repeats(lines: list[Line], config: CleanConfig) -> None:
    """A line that occurs twice in the page is a caption, a headline copy or a widget: the later
    copies go; the first copy goes too unless it reads like a body paragraph (pull quotes)."""
    seen: dict[str, Line] = {}
    for ln in lines:
        k = normalize_line(ln.text)
        if len(k) < 3:
            continue
        first = seen.get(k)
        if first is None:
            seen[k] = ln
            continue
        if ln.kept or ln.reason == "heading":
            ln.reason = "repeated"
        if first.kept and not is_body_paragraph(first, config):
            first.reason = "repeated"


def _mark_site_templates(lines: list[Line], site_line_counts: Mapping[str, int], site_docs: int,
                         config: CleanConfig) -> None:
    if site_docs < config.site_min_docs:
        return
    hits = set()
    for i, ln in enumerate(lines):
        n = site_line_counts.get(line_key(ln.text), 0)
        if n >= config.site_min_docs and n >= config.site_min_share * site_docs:
            hits.add(i)
    # A page whose every candidate body line is a "template" is a re-read copy of a known page,
    # not a template: leave it to dedup rather than empty it.
    if all(not is_body_paragraph(x, config) or i in hits for i, x in enumerate(lines)):
        return
    for i in hits:
        lines[i].reason = "site_template"


def _is_link_item(text: str, config: CleanConfig) -> bool:
    """A numbered headline ("3. Borrell washes hands of EU's Venezuela policy"); a
    numbered list of sentences (or a bulleted list) inside an article is not one."""
    m = _NUMBERED_ITEM.match(text)
    return bool(m) and is_heading(text[m.end() - 1:], max_words=config.heading_max_words)


def _mark_tail(lines: list[Line], config: CleanConfig) -> None:
    """Cut the trailing link lists and the teaser pairs (heading + one paragraph) above them."""
    total = sum(len(words(x.text)) for x in lines if is_body_paragraph(x, config)) or 1
    before = 0
    cut = None
    for i, ln in enumerate(lines):
        if is_body_paragraph(ln, config):
            before += len(words(ln.text))
        marker = bool(_TAIL_MARKER.match(ln.text)) or all(_is_link_item(x.text, config) for x in lines[i:i + 3])
        if marker and before >= 0.6 * total and i > 0:
            cut = i
            break
    if cut is None:
        return
    for ln in lines[cut:]:
        if ln.kept or ln.reason == "heading":
            ln.reason = "related_link"
    # walk back over heading + single paragraph pairs
    pairs = []
    j = cut - 1
    while j >= 1:
        para, head = lines[j], lines[j - 1]
        head_words, para_words = len(words(head.text)), len(words(para.text))
        if not (head.reason in ("heading", None) and is_heading(head.text, max_words=config.heading_max_words)
                and para.reason in ("heading", None) and para_words >= 8 and para_words > head_words):
            break
        pairs.append((head, para))
        j -= 2
    if len(pairs) >= config.teaser_min_pairs:
        for head, para in pairs:
            head.reason = para.reason = "teaser"


def _mark_outside_main_region(lines: list[Line], config: CleanConfig) -> None:
    """Keep the contiguous run of lines with the most body words (maximum-sum subarray)."""
    if not any(x.kept for x in lines):
        return
    # A kept line is worth its words, discounted when it reads unlike prose (few function words:
    # contact boxes, link rows), unless the page as a whole has few (another language).
    kept = [x for x in lines if x.kept]
    page_ratio = sum(stopword_ratio(x.text) * len(words(x.text)) for x in kept) / max(
        sum(len(words(x.text)) for x in kept), 1)
    def value(x: Line) -> float:
        if not x.kept:
            return -config.region_gap_penalty
        n = len(words(x.text))
        if page_ratio < 0.1:
            return n
        return n * min(1.0, stopword_ratio(x.text) / 0.25)
    vals = [value(x) for x in lines]
    # long runs of removed lines (menus, link lists, comment widgets) split harder than short ones
    # (a paywall box or a caption inside the article)
    run = 0
    for i, x in enumerate(lines):
        run = 0 if x.kept else run + 1
        if run > config.region_short_gap:
            vals[i] = -config.region_long_gap_penalty
    best, best_span, cur, start = float("-inf"), (0, 0), 0.0, 0
    for i, v in enumerate(vals):
        if cur < 0:
            cur, start = v, i
        else:
            cur += v
        if cur >= best:  # ties extend: a zero-valued kept line at the edge stays
            best, best_span = cur, (start, i)
    lo, hi = best_span
    for i, ln in enumerate(lines):
        if ln.kept and not lo <= i <= hi:
            ln.reason = "outside_main"


def apply_rules(text: str, *, config: CleanConfig, site_line_counts: Mapping[str, int] | None = None,
                site_docs: int = 0) -> list[Line]:
    """Steps 1-3 of `strip_boilerplate` (the rules), which the line model sees as features."""
    lines = split_lines(text[: config.max_chars])
    for ln in lines:
        ln.reason = _single_line_reason(ln.text, config)
    _mark_repeats(lines, config)
    if site_line_counts:
        _mark_site_templates(lines, site_line_counts, site_docs, config)
    _mark_tail(lines, config)
    return lines


def strip_boilerplate(
    text: str,
    *,
    config: CleanConfig,
    site_line_counts: Mapping[str, int] | None = None,
    site_docs: int = 0,
    line_model=None,
) -> StripResult:
    """Decide for every non-blank line of a plain-text page whether it is body or boilerplate.

    `site_line_counts` maps `line_key` to the number of documents of this page's site that hold
    the line, `site_docs` is the site's document count (both from `CleanState`). `line_model` is a
    `LineModel` (or None to use rules only). Returns every non-blank line with its 1-based number
    and the reason it was removed (None for kept lines).
    """
    lines = apply_rules(text, config=config, site_line_counts=site_line_counts, site_docs=site_docs)
    if line_model is not None and config.use_line_model:
        probs = line_model.predict_lines([x.text for x in lines], [x.kept for x in lines])
        for ln, p in zip(lines, probs):
            # the model judges lines by their neighbours, which cleaning itself changes; a line that
            # reads as a full paragraph is left to the rules so that cleaning stays idempotent
            if ln.kept and p < config.line_model_threshold and not is_body_paragraph(ln, config):
                ln.reason = "line_model"
    _mark_outside_main_region(lines, config)
    return StripResult(lines)


def count_keys(text: str) -> set[str]:
    """The distinct line keys of a page, for the per-site template counts."""
    return {line_key(x.text) for x in split_lines(text) if len(normalize_line(x.text)) >= 3}


__all__: Sequence[str] = [
    "Line", "StripResult", "apply_rules", "count_keys", "ends_like_sentence", "is_heading", "is_name_caption",
    "is_tag_line", "is_timestamp", "line_key", "normalize_line", "strip_boilerplate", "words",
]
