"""One document's text and its parsed chunks, with the lookups every extractor shares.

A long text is parsed in chunks (`parse.split_chunks`); `ParsedText` keeps them with their
offsets in `clean_text`, the document's quoted passages, sentence lists and lemmas computed once.
It holds no extraction results: mentions, references, quotes and events are separate classes
built on it (`mentions.MentionIndex`, `coref.References`, `quotes.QuoteAttributor`,
`tasks.events.EventExtractor`).
"""
from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span, Token

from tasks.nlp.quotes import find_quote_spans


def lazy_lemma(lemmatizer, tok: Token) -> str:
    """Lemma of one token with the (disabled) rule lemmatizer; the lowercase form without it."""
    if lemmatizer is None or not tok.pos_:
        return tok.lower_
    try:
        lemmas = lemmatizer.rule_lemmatize(tok)
    except Exception:  # lookup tables missing: fall back to the word itself
        return tok.lower_
    return (lemmas[0] if lemmas else tok.lower_).lower()


class ParsedText:
    """The text of one document, its spaCy chunks `(offset, Doc)` and shared lookups."""

    def __init__(self, text: str, chunks: list[tuple[int, Doc]], lemmatizer=None):
        self.text = text
        self.chunks = chunks
        self.quote_spans = find_quote_spans(text)
        self._quote_starts = [s for s, _ in self.quote_spans]
        self._sents: dict[int, list[Span]] = {}
        self._lemmas: dict[tuple[str, str], str] = {}
        self._lemmatizer = lemmatizer

    def offset(self, c: int) -> int:
        """Where chunk `c` starts in the text."""
        return self.chunks[c][0]

    def sentences(self, c: int) -> list[Span]:
        if c not in self._sents:
            self._sents[c] = list(self.chunks[c][1].sents)
        return self._sents[c]

    def lemma(self, tok: Token) -> str:
        """The lowercase lemma: the pipeline's when it set one, else computed on demand (the
        lemmatizer is disabled in `load_model`: only the few candidate words need a lemma)."""
        if tok.lemma_:
            return tok.lemma_.lower()
        key = (tok.lower_, tok.pos_)
        got = self._lemmas.get(key)
        if got is None:
            got = self._lemmas[key] = lazy_lemma(self._lemmatizer, tok)
        return got

    def in_quote(self, pos: int) -> bool:
        """Whether text position `pos` lies inside a quoted passage."""
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and self.quote_spans[i][0] <= pos < self.quote_spans[i][1]

    def n_words(self) -> int:
        return sum(1 for _, d in self.chunks for t in d if not t.is_space and not t.is_punct)
