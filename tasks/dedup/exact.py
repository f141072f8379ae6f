"""Exact-duplicate key: a hash of the cleaned body that ignores whitespace, case and punctuation."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")


def normalise_for_key(text: str) -> str:
    """Lower-case, Unicode-normalised words of `text` joined by single spaces.

    Punctuation (including `_`) and whitespace only separate words, so "Hello,  World!" and
    "hello world" give the same string.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def exact_key(text: str) -> str:
    """sha1 (hex) of `normalise_for_key(text)`: the `content_hash` of a document."""
    return hashlib.sha1(normalise_for_key(text).encode("utf-8")).hexdigest()
