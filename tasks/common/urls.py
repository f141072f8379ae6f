"""The site of a document from its URL (readers and cleaning use the same rule)."""
from __future__ import annotations

import re
from urllib.parse import urlparse


def site_from_url(uri: str | None) -> str | None:
    """The host of an http(s) URL without "www.", or None for anything else (file paths)."""
    if not uri or not re.match(r"https?://", uri, re.IGNORECASE):
        return None
    host = urlparse(uri).hostname or ""
    return host.removeprefix("www.") or None
