"""Text signals of story clustering: pure functions of one document's text.

Term vectors with fixed per-document weights (no corpus statistics, so a pair scores the same
whenever it is compared), capitalised word sequences standing in for entities when no NLP ran,
hashes of quoted word windows, and the headline of a document.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter

from tasks.common.stopwords import NEWS_STOPWORDS as STOPWORDS

_TOKEN = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")
_CAP_WORD = r"(?:[A-Z]\.){2,}|[A-Z][\w’'-]*\w"
_CAP_SEQ = re.compile(rf"(?<![\w.])(?:{_CAP_WORD})(?:(?:[ \t]+(?:of|de|la|al|bin|van|von|der))?[ \t]+(?:{_CAP_WORD}))*")
_POSSESSIVE = re.compile(r"[’']s\b")
_QUOTE = re.compile(r"[\"“”‘’`']{1,2}([^\"“”]{20,400}?)[\"“”'’]{1,2}")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_DIGIT = re.compile(r"\d")
_SENT_END = re.compile(r"(?<=[.!?])\s+")

_NOT_ENTITY = frozenset(
    "The A An In On At For But And Or If He She It They We I This That These Those His Her Its Their "
    "Our After Before When While As By From With Mr Mrs Ms Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October November "
    "December".split()
)


def stem(word: str) -> str:
    # Light plural folding only: enough for "quakes"/"quake", keeps names intact.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def term_vector(text: str, *, max_terms: int = 300, proper_noun_weight: float = 2.0) -> dict[str, float]:
    """Unit-length vector of content terms: sublinear tf, proper nouns and numbers weighted up.

    The weights depend on the document alone (no IDF), so a pair's cosine never changes.
    """
    counts: Counter[str] = Counter()
    weight: dict[str, float] = {}
    for m in _TOKEN.finditer(text):
        tok = _POSSESSIVE.sub("", m.group(0))
        low = tok.casefold()
        if low in STOPWORDS or (len(low) < 3 and not low.isdigit()):
            continue
        numeric = _DIGIT.search(low) is not None
        term = low if numeric else stem(low)
        counts[term] += 1
        w = proper_noun_weight if numeric or tok[0].isupper() else 1.0
        weight[term] = max(weight.get(term, 0.0), w)
    vec = {t: (1.0 + math.log(c)) * weight[t] for t, c in counts.items()}
    if len(vec) > max_terms:
        vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms])
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: round(v / norm, 6) for t, v in vec.items()}


def proxy_entities(text: str) -> set[str]:
    """Capitalised word sequences (names) of `text`: a cheap stand-in for NER.

    A sentence-initial word counts only if it never appears lower-cased in the text and is not
    a stopword; months, weekdays and pronouns are dropped from the edges of a name.
    """
    lower_words = {w for w in re.findall(r"[^\W_]+", text) if w.islower()}
    out = set()
    for m in _CAP_SEQ.finditer(text):
        words = m.group(0).split()
        prev = text[: m.start()].rstrip()
        if not prev or prev[-1] in ".!?:;\"“”‘’'\n([" or text[m.start() - 1 : m.start()] == "\n":
            first = words[0].casefold()
            if first in lower_words or first in STOPWORDS:
                words = words[1:]
        while words and (words[0] in _NOT_ENTITY or words[0].islower()):
            words = words[1:]
        while words and (words[-1] in _NOT_ENTITY or words[-1].islower()):
            words = words[:-1]
        name = _POSSESSIVE.sub("", " ".join(words)).casefold()
        if len(name) > 2:
            out.add(name)
    return out


def quote_keys(text: str, *, min_words: int = 6) -> set[str]:
    """Short hashes of every `min_words`-word window inside the direct quotes of `text`.

    Outlets quote the same words in part ("We appreciate ... the principled disposition"), with
    ellipses, or with contractions expanded, so two documents share a quote when they share any
    window of it, not only when the whole quotations are equal.
    """
    return window_keys((m.group(1) for m in _QUOTE.finditer(text)), min_words=min_words)


def window_keys(passages, *, min_words: int = 6) -> set[str]:
    """Short hashes of every `min_words`-word window of each passage (casefolded words)."""
    out = set()
    for passage in passages:
        words = re.findall(r"[^\W_]+", passage.casefold())
        for i in range(len(words) - min_words + 1):
            out.add(hashlib.sha1(" ".join(words[i:i + min_words]).encode()).hexdigest()[:16])
    return out


def content_bigrams(text: str) -> set[int]:
    """32-bit hashes of adjacent content-word pairs (stopwords and words under 3 letters left out):
    reports of one happening repeat its specific phrases ("working group", "Sochi talks")."""
    words = [w for w in re.findall(r"[^\W_]+", text.casefold()) if len(w) > 2 and w not in STOPWORDS]
    return {int.from_bytes(hashlib.blake2b(f"{a} {b}".encode(), digest_size=4).digest(), "little")
            for a, b in zip(words, words[1:])}


def headline(title: str | None, text: str | None, max_chars: int = 200) -> str:
    """A document's headline: its title, else its first sentence."""
    if title and title.strip():
        return title.strip()[:max_chars]
    return _SENT_END.split((text or "").strip(), maxsplit=1)[0][:max_chars]
