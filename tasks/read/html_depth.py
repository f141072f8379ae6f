"""HTML nested deeper than libxml2 parses (256 levels): everything after the deep part is lost,
so such a page is rejected as `too_deep` instead of being cleaned into a wrong or empty body."""
from __future__ import annotations

from lxml import etree


def html_too_deep(html: str) -> bool:
    """True when libxml2's HTML parser stops at its nesting limit on this page (the parser that
    trafilatura uses); a few milliseconds for a normal page."""
    if html.count("<") < 256:
        return False
    parser = etree.HTMLParser(recover=True, no_network=True)
    try:
        etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except (etree.LxmlError, ValueError):
        pass
    return any("Excessive depth" in e.message for e in parser.error_log)
