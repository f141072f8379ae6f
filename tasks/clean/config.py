"""Settings of the cleaning stage: one object, documented defaults, resolved once at the edge."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CleanConfig:
    """How cleaning decides what is body and what is boilerplate.

    Every field has a default that was measured on the five sample articles and the
    article-extraction dev corpus (see tests/clean/test_clean_quality.py); override per deployment.
    """

    # -- lines repeated across documents of the same site (state kept in `site_lines`)
    site_min_docs: int = 3
    """A line counts as a site template once it was seen in at least this many documents..."""
    site_min_share: float = 0.5
    """...and in at least this share of the site's documents."""

    # -- line shapes
    heading_max_words: int = 20
    """A line without sentence punctuation and at most this many words is a heading/nav line."""
    tag_min_items: int = 4
    """A comma-separated list with at least this many short items and no sentence end is a tag line."""
    teaser_min_pairs: int = 2
    """Heading+paragraph pairs just above a trailing link list are teasers when there are this many."""
    body_min_words: int = 12
    """A kept line this long, ending like a sentence, counts as a body paragraph (for the title and
    main-region search)."""
    region_gap_penalty: float = 8.0
    """Word-equivalents a removed line costs when the main body region is chosen..."""
    region_short_gap: int = 6
    """...for the first this-many lines of a run of removed lines (a paywall box, captions)..."""
    region_long_gap_penalty: float = 15.0
    """...and for every further line of the run: long runs (menus, link lists) split the page."""
    region_heading_penalty: float = 2.0
    """...but a short heading costs only this much: section heads inside wire copy and tables."""
    region_table_value: float = 1.0
    """Word-equivalents a table row is worth: a table next to the body joins the region."""
    region_sentence_floor: float = 0.2
    """A kept line that ends like a sentence is worth at least this share of its words, however
    few function words it has (a line-up of names)."""

    # -- tables (rows of figures: results, standings, schedules)
    table_min_rows: int = 3
    """A run of short lines this long or longer can be a table..."""
    table_min_share: float = 0.5
    """...when at least this share of its lines are rows of figures (one at least a data line)."""

    # -- the learned line model (tasks/clean/line_model.json)
    use_line_model: bool = True
    line_model_threshold: float = 0.15
    """Lines the model scores below this probability of being body are removed."""

    # -- metadata
    title_min_words: int = 4
    title_max_words: int = 30
    dateline_window: int = 3
    """A dateline must be within this many non-blank lines after the headline."""
    wire_headline_in_body: bool = False
    """Wire copy (a headline right above a dateline, "LONDON 1996-08-30"): the headline is the title
    (its names are mentions with `field = 'title'`), and clean_text is the body only, as CONTRACT.md
    says. On, the headline also stays the first line of the body, as the story was sent. A page's
    headline (the page title, the h1 above its body) is only the title either way."""

    # -- bounds and rejection
    max_chars: int = 2_000_000
    """Longer inputs are cut to this many characters before cleaning (one bad page must not stall a batch)."""
    min_body_words: int = 5
    """A document left with fewer body words than this is rejected as `no_body`."""
    html_include_tables: bool = True
    html_favor_precision: bool = False
