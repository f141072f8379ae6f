"""Line-level boilerplate removal for pages scraped as plain text (issues #3 and #13).

Everything here is pure: text and counts in, decisions out. Lines a crawler broke mid-sentence
are joined first (`split_lines`). `strip_boilerplate` then combines, in order,

1. shape rules on single lines (`shapes.py`: captions, promos and paywall phrases, bare
   timestamps, tag lines, rows of figures, short lines without sentence punctuation: headings),
2. repetition: lines seen twice in the page, and lines that are a template of the site
   (seen in many of its documents, counted in `CleanState`),
3. the trailing link-list / teaser block ("Latest News", numbered headline lists, and the
   heading + teaser paragraph pairs just above them),
4. tables: a run of short lines most of which hold figures (results, standings, a schedule) is
   judged whole, as `table`,
5. the learned line model (`classifier.py`) where the rules run out,
6. wire layout (`wire.py`): headline, byline and dateline ("LONDON 1996-08-30", kept as body),
7. the main region: the contiguous run of lines that holds most body words; what lies outside
   (menus above, comments and footers below) is dropped, tables inside it are kept, and
8. a page left without body keeps its sentences and rows (a one-sentence wire item is an article).

The rules are written against general shapes, never one outlet's wording.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .config import CleanConfig
from .shapes import (
    NUMBERED_ITEM,
    TAIL_MARKER,
    caption_reason,
    ends_like_sentence,
    is_data_line,
    is_heading,
    is_name_caption,
    is_table_row,
    is_tag_line,
    is_timestamp,
    line_key,
    normalize_line,
    promo_reason,
    stopword_ratio,
    words,
)
from .wire import find_wire_dateline, wire_headline



# -- per-line decisions ------------------------------------------------------------------------


@dataclass
class Line:
    """One non-blank line of the raw text (or several, when a crawler broke a sentence across
    lines) and what cleaning decided about it."""

    no: int  # 1-based line number in the raw text (of the first piece)
    text: str  # stripped; pieces joined by a space
    reason: str | None = None  # None: kept as body
    pieces: tuple[tuple[int, str], ...] = ()  # (line number, text) of each raw line when joined

    @property
    def kept(self) -> bool:
        return self.reason is None

    def raw(self) -> tuple[tuple[int, str], ...]:
        """(line number, text) of the raw lines this line stands for."""
        return self.pieces or ((self.no, self.text),)


@dataclass
class StripResult:
    lines: list[Line] = field(default_factory=list)
    headline: int | None = None  # index of a wire headline (above a dateline), removed as `title`
    dateline: int | None = None  # index of a wire dateline, kept as the story's first line
    byline: int | None = None  # index of a bare-name byline between them

    @property
    def kept(self) -> list[Line]:
        return [x for x in self.lines if x.kept]

    @property
    def removed(self) -> list[Line]:
        return [x for x in self.lines if not x.kept]


_OPEN_END = frozenset(
    "a an the of to in on at for with by from as and or nor but than that which who whose whom against "
    "between into onto over under after before during about including via per versus vs".split()
)


def breaks_mid_sentence(line: str, following: str) -> bool:
    """Did a crawler (or a wire's fixed-width lines) break a sentence after `line`? It ends without
    sentence punctuation, in a comma, an open bracket or a word that cannot end a sentence ("the",
    "against", "and"), or the next line goes on in lower case; a short label is never broken."""
    if len(words(line)) < 4 or ends_like_sentence(line) or not following or NUMBERED_ITEM.match(following):
        return False
    last = line.rstrip()
    if last[-1] in ",(-–—&/" or last.count("(") > last.count(")"):
        return True
    w = words(last)
    return (bool(w) and w[-1].lower() in _OPEN_END) or (following[0].islower() and len(words(following)) >= 3)


def body_text(lines: Sequence[Line]) -> str:
    """The kept lines as the article body, one paragraph a line. Kept lines that read as one
    sentence broken in two are joined here too when something removed stood between them (a
    caption, a blank line), so that cleaning the body again finds nothing left to join."""
    out: list[str] = []
    for x in lines:
        if not x.kept:
            continue
        if out and breaks_mid_sentence(out[-1], x.text):
            out[-1] = f"{out[-1]} {x.text}"
        else:
            out.append(x.text)
    return "\n".join(out)


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of a page; lines broken mid-sentence (no blank line between) joined."""
    raw = text.split("\n")
    out: list[Line] = []
    prev_no = 0
    for i, s in enumerate(raw, 1):
        s = s.strip()
        if not s:
            continue
        last = out[-1] if out else None
        if last is not None and prev_no == i - 1 and breaks_mid_sentence(last.text, s):
            last.pieces = (*last.raw(), (i, s))
            last.text = f"{last.text} {s}"
        else:
            out.append(Line(i, s))
        prev_no = i
    return out


def _single_line_reason(text: str, config: CleanConfig) -> str | None:
    if is_timestamp(text):
        return "timestamp"
    r = caption_reason(text) or promo_reason(text)
    if r:
        return r
    if is_tag_line(text, min_items=config.tag_min_items):
        return "tags"
    if is_heading(text, max_words=config.heading_max_words):
        return "table" if is_data_line(text) else "heading"
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
    m = NUMBERED_ITEM.match(text)
    return bool(m) and is_heading(text[m.end() - 1:], max_words=config.heading_max_words) and not is_table_row(text)


def _mark_tail(lines: list[Line], config: CleanConfig) -> None:
    """Cut the trailing link lists and the teaser pairs (heading + one paragraph) above them."""
    total = sum(len(words(x.text)) for x in lines if is_body_paragraph(x, config)) or 1
    before = 0
    cut = None
    for i, ln in enumerate(lines):
        if is_body_paragraph(ln, config):
            before += len(words(ln.text))
        marker = bool(TAIL_MARKER.match(ln.text)) or all(_is_link_item(x.text, config) for x in lines[i:i + 3])
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


_TABLE_PARTS = {"heading", "table", "tags", "repeated", "timestamp"}


def _mark_tables(lines: list[Line], config: CleanConfig) -> None:
    """A run of short lines, most of them holding figures, is a table (results, standings, a
    schedule, a scorecard): its labels, column heads and repeated section heads go with it, so
    that the main-region step keeps or drops the table whole (reason `table`)."""
    def part(x: Line) -> bool:
        return x.reason in _TABLE_PARTS or (x.kept and is_data_line(x.text))
    i = 0
    while i < len(lines):
        if not part(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and part(lines[j]):
            j += 1
        run = lines[i:j]
        figures = sum(is_table_row(x.text) for x in run)
        if len(run) >= config.table_min_rows and any(is_data_line(x.text) for x in run) and figures >= config.table_min_share * len(run):
            for x in run:
                if x.reason != "repeated" or len(words(x.text)) <= 6:
                    x.reason = "table"
        i = j


def _mark_outside_main_region(lines: list[Line], config: CleanConfig) -> None:
    """Keep the contiguous run of lines with the most body words (maximum-sum subarray).

    Rows of figures (`table`) inside that run are the article's own tables and stay; outside it
    they go as `table`."""
    if not any(x.kept or x.reason == "table" for x in lines):
        return
    # A kept line is worth its words, discounted when it reads unlike prose (few function words:
    # contact boxes, link rows), unless the page as a whole has few (another language).
    prose = [x for x in lines if x.kept and ends_like_sentence(x.text)]
    page_ratio = sum(stopword_ratio(x.text) * len(words(x.text)) for x in prose) / max(
        sum(len(words(x.text)) for x in prose), 1) if prose else 1.0
    def value(x: Line) -> float:
        if x.reason == "table":
            return config.region_table_value
        if x.reason == "heading":
            return -config.region_heading_penalty
        if not x.kept:
            return -config.region_gap_penalty
        n = len(words(x.text))
        if page_ratio < 0.1:
            return n
        prose = min(1.0, stopword_ratio(x.text) / 0.25)
        if ends_like_sentence(x.text):  # a closed list of names (a line-up) still reads as content
            prose = max(prose, config.region_sentence_floor)
        return n * prose
    vals = [value(x) for x in lines]
    # long runs of removed lines (menus, link lists, comment widgets) split harder than short ones
    # (a paywall box or a caption inside the article)
    run = 0
    for i, x in enumerate(lines):
        run = 0 if x.kept or x.reason == "table" else run + 1
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
        inside = lo <= i <= hi
        if ln.kept and not inside:
            ln.reason = "outside_main"
        elif ln.reason == "table" and inside:
            ln.reason = None


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
    _mark_tables(lines, config)
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
    result = StripResult(lines)
    _mark_wire_layout(result, config)
    _mark_outside_main_region(lines, config)
    _keep_a_lone_story(lines, config)
    return result


def _mark_wire_layout(result: StripResult, config: CleanConfig) -> None:
    """Headline, byline and dateline of wire copy (see `wire.py`): the dateline is body, and so
    is the headline only when `config.wire_headline_in_body` is on (off by default: it is the title)."""
    lines = result.lines
    w = find_wire_dateline(lines, config)
    if w is None:
        return
    result.dateline = w
    lines[w].reason = None
    t, by = wire_headline(lines, w, config)
    if t is not None:
        result.headline = t
        lines[t].reason = None if config.wire_headline_in_body else "title"
    if by is not None:
        result.byline = by
        lines[by].reason = "byline"


_CONTEXT_REASONS = {"heading", "table", "tags", "caption", "line_model", "outside_main"}


def _keep_a_lone_story(lines: list[Line], config: CleanConfig) -> None:
    """A page left without body, that holds a sentence removed only for its shape or its
    context (a one-sentence wire item, a short results list), keeps its sentences and rows."""
    if sum(len(words(x.text)) for x in lines if x.kept) >= config.min_body_words:
        return
    for x in lines:
        if x.reason in _CONTEXT_REASONS and (
                (ends_like_sentence(x.text) and len(words(x.text)) >= config.min_body_words) or is_table_row(x.text)):
            x.reason = None


def count_keys(text: str) -> set[str]:
    """The distinct line keys of a page, for the per-site template counts."""
    return {line_key(x.text) for x in split_lines(text) if len(normalize_line(x.text)) >= 3}


__all__: Sequence[str] = [
    "Line", "StripResult", "apply_rules", "body_text", "breaks_mid_sentence", "count_keys", "ends_like_sentence", "is_heading", "is_name_caption",
    "is_tag_line", "is_timestamp", "line_key", "normalize_line", "strip_boilerplate", "words",
]
