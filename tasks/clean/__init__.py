"""Cleaning stage: the article body, title, site, date and author of each document.

Plain-text pages go through the line-level remover (`text.strip_boilerplate`, rules plus a small
learned line model; wire copy keeps its dateline, tables and one-sentence items), HTML pages
through trafilatura (`html.extract_html`), their other visible lines becoming removed lines with
their element's reason (`html_lines.py`). Site names and titles lose the navigation pages wrap
them in (`names.py`). State that spans documents (per-site line counts) lives in `CleanState`;
`clean_step` is what the flow's task calls.
"""
from tasks.common.dates import parse_date

from .batch import clean_batch, clean_html_document, clean_step, clean_text_document
from .classifier import LineModel, load_default_model
from .config import CleanConfig
from .metadata import site_from_text, site_from_uri
from .state import CleanState
from .text import line_key, normalize_line, strip_boilerplate

__all__ = [
    "CleanConfig", "CleanState", "LineModel", "clean_batch", "clean_html_document", "clean_step",
    "clean_text_document", "line_key", "load_default_model", "normalize_line", "parse_date",
    "site_from_text", "site_from_uri", "strip_boilerplate",
]
