"""Text normalisation shared by the stages: one comparison form (`fold`) and one word key
(`normalise_for_key`).

`fold` is how lines (cleaning's per-site counts), names (entity ids) and quotes are compared:
accents, typographic quotes and dashes, no-break spaces, runs of whitespace and case do not
count. `normalise_for_key` keeps only the words, for the exact-duplicate key and MinHash
shingles. Both feed keys stored in the warehouse (`site_lines.line_key`, `entities.entity_id`,
`documents.content_hash`): changing either changes those keys.
"""
from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\u00a0": " ", "ı": "i"})
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str | None) -> str:
    """The comparison form: NFKD without combining accents, folded quotes, dashes and dotless i,
    single spaces, casefolded."""
    if not text:
        return ""
    s = text
    if not s.isascii():  # the fast path matters: every line of every page is folded
        s = unicodedata.normalize("NFKD", s.translate(_FOLD))
        s = "".join(c for c in s if not unicodedata.combining(c))
    return _SPACES.sub(" ", s).strip().casefold()


def normalise_for_key(text: str) -> str:
    """Lower-case, Unicode-normalised (NFKC) words of `text` joined by single spaces.

    Punctuation (including `_`) and whitespace only separate words, so "Hello,  World!" and
    "hello world" give the same string.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))
