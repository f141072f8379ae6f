"""Exact-duplicate key: a hash of the cleaned body that ignores whitespace, case and punctuation."""
from __future__ import annotations

import hashlib

from tasks.common.text import normalise_for_key

__all__ = ["exact_key", "normalise_for_key"]


def exact_key(text: str) -> str:
    """sha1 (hex) of `normalise_for_key(text)`: the `content_hash` of a document."""
    return hashlib.sha1(normalise_for_key(text).encode("utf-8")).hexdigest()
