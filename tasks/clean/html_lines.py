"""The visible text lines of an HTML page, each with the kind of element it sits in.

trafilatura gives the body; what it left out is every other visible line of the page, and each
such line keeps a reason named after its element: `navigation` (nav, header, menus, breadcrumbs,
lists of links), `caption` (figure, figcaption), `footer`, `sidebar` (aside, related and widget
boxes), `comments`, `share` (share and social buttons), `form` (forms, buttons, labels), else
`html_boilerplate`. Lines are cut at block elements (p, div, li, h1-h6, td, br, ...), as a browser
shows them; script, style, template and hidden elements are not visible and give no line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from lxml import etree

_SKIP = frozenset("script style noscript template svg math head iframe object embed canvas select option datalist".split())
_BLOCK = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr legend li main nav ol p pre section summary table tbody thead "
    "tfoot td th tr ul button label".split()
)
# element -> reason; the innermost element with a reason names the line
_TAG_REASON = {"nav": "navigation", "header": "navigation", "menu": "navigation", "figure": "caption",
               "figcaption": "caption", "footer": "footer", "aside": "sidebar", "form": "form",
               "button": "form", "label": "form"}
# class/id/role words -> reason (whole words of the attribute, as trafilatura reads them)
_ATTR_REASON = [
    (re.compile(r"\b(?:comments?|disqus|replies)\b"), "comments"),
    (re.compile(r"\b(?:share|sharing|social|sociable)\b"), "share"),
    (re.compile(r"\b(?:caption|credit|wp-caption)\b"), "caption"),
    (re.compile(r"\b(?:nav|navbar|navigation|menu|breadcrumbs?|masthead|topbar)\b"), "navigation"),
    (re.compile(r"\b(?:footer|copyright)\b"), "footer"),
    (re.compile(r"\b(?:sidebar|widget|related|recommended|promo|newsletter|ad|ads|advert\w*)\b"), "sidebar"),
]


@dataclass
class VisibleLine:
    text: str
    reason: str  # what the line is, should it not be body
    link_share: float  # share of its characters inside <a>


def _own_reason(el) -> str | None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _TAG_REASON:
        return _TAG_REASON[tag]
    role = el.get("role")
    if role and role.lower() in ("navigation", "menubar", "menu"):
        return "navigation"
    cls, id_ = el.get("class"), el.get("id")
    return _attr_reason(f"{cls or ''} {id_ or ''}") if cls or id_ else None


@lru_cache(maxsize=4096)
def _attr_reason(attrs: str) -> str | None:
    text = " ".join(re.split(r"[-_\s]+", attrs.lower()))
    for pat, reason in _ATTR_REASON:
        if pat.search(text):
            return reason
    return None


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.get("hidden") is not None or el.get("aria-hidden") == "true" or "display:none" in style or "visibility:hidden" in style


def visible_lines(html: str) -> list[VisibleLine]:
    """The page's visible text, one line per block, with each line's element reason."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    body = tree.find(".//body")
    root = body if body is not None else tree
    lines: list[VisibleLine] = []
    buf: list[tuple[str, bool]] = []  # (text, inside a link)
    state: list[str | None] = [None]  # the reason of the buffer's first visible text

    def flush() -> None:
        if buf and state[0] is not None:
            text = " ".join("".join(t for t, _ in buf).split())
            linked = sum(len(t.strip()) for t, a in buf if a)
            lines.append(VisibleLine(text, state[0], linked / max(len(text), 1)))
        buf.clear()
        state[0] = None

    def add(text: str | None, reason: str | None, in_link: bool) -> None:
        if text:
            if state[0] is None:
                if not text.strip():
                    return  # leading white space of a line
                state[0] = reason or "html_boilerplate"
            buf.append((text, in_link))

    def walk(el, reason: str | None, in_link: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP or _hidden(el):
            return
        block = tag in _BLOCK
        reason = _own_reason(el) or reason
        in_link = in_link or tag == "a"
        if block:
            flush()
        add(el.text, reason, in_link)
        for child in el:
            walk(child, reason, in_link)
            if isinstance(child.tag, str) and child.tag in _BLOCK:
                flush()
            add(child.tail, reason, in_link)
        if block:
            flush()

    walk(root, None, False)
    flush()
    return lines
