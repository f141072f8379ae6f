"""Entity mentions of one document: NER spans repaired, cleaned, linked within the document.

`MentionIndex` builds everything in its constructor: the mentions (NER spans plus surnames NER
missed), their canonical names within the document, and a token -> mention map that the
reference resolver and the event roles read.
"""
from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from tasks.nlp.config import NlpConfig
from tasks.nlp.document import ParsedText
from tasks.nlp.entities import DocMention, Lexicon, clean_name, doubt_lone_persons, fold, is_junk_name, link_within_document
from tasks.common.spans import SpanSet


def fix_entities(doc: Doc, titles: frozenset[str] = frozenset()) -> None:
    """General repairs of NER spans before they are read.

    * "Presidency of Defense Industries": NER often keeps only the part after "of"; a run of
      capitalised words joined by "of" is one ORG.
    * A dateline ("MUNICH (Sputnik) -") is a place.
    * A name does not end in a number: in results and statistics lines the small model takes
      the figure after a name into it ("Somerset 83", "P. Johnson 84", "Lithuania 2-1"); the
      figure is cut off (from an organisation or a facility only a score, "Surrey 429-7", so
      "Channel 4" and "Route 66" stay).
    * A mention spans the name only: a leading article and a trailing possessive ("the
      Philadelphia Eagles", "Puerto Rico's") are left out of its offsets, as `clean_name`
      leaves them out of the name.
    """
    ents = list(doc.ents)
    new = []
    for ent in ents:
        ent = _name_only(ent)
        if ent is None:
            continue
        start = ent.start
        if ent.label_ in ("ORG", "FAC") and start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].is_title and not doc[start - 2].ent_type_:
            s = start - 2
            while s > 0 and not doc[s].is_sent_start and doc[s - 1].is_title and not doc[s - 1].ent_type_:
                s -= 1
            if doc[s].pos_ == "PROPN" and not any(fold(t.text) in titles for t in doc[s:start - 1]):
                new.append(Span(doc, s, ent.end, label=ent.label_))
                continue
        if doc[ent.start].is_sent_start and ent.text.isupper() and len(ent) == 1 and ent.end < len(doc) and doc[ent.end].text in ("(", ",", "-", "—", "–"):
            new.append(Span(doc, ent.start, ent.end, label="GPE"))
            continue
        new.append(ent)
    if new != ents:
        doc.ents = filter_spans(new)


_FIGURE = re.compile(r"\d[\d.,]*(?:-\d[\d.,]*)?")  # 83, 4-38, 1,500: cut from a name of these labels
_SCORE = re.compile(r"\d+-\d+")  # 429-7: the only figure cut from an organisation or a facility
_NAME_LABELS = ("PERSON", "GPE", "LOC", "NORP")
_POSSESSIVE_TOKENS = {"'s", "’s", "'", "’"}


def _name_only(ent: Span) -> Span | None:
    """`ent` less a leading article, a trailing possessive and the figures at its end (see
    `fix_entities`); None when nothing else is left."""
    doc, start, end = ent.doc, ent.start, ent.end
    figure = _FIGURE if ent.label_ in _NAME_LABELS else _SCORE if ent.label_ in ("ORG", "FAC") else None
    if figure is not None:  # the longest run of end tokens that reads as one figure ("2", "-", "1" is "2-1")
        for k in range(ent.end - 1, ent.start - 1, -1):
            if doc[k].is_punct and doc[k].text != "-":
                break
            if figure.fullmatch(doc[k:ent.end].text.replace(" ", "")):
                end = k
    if end - start > 1 and doc[end - 1].text in _POSSESSIVE_TOKENS:
        end -= 1
    if end - start > 1 and doc[start].lower_ == "the":
        start += 1
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(doc, start, end, label=ent.label_, kb_id=ent.kb_id, span_id=ent.id) if end > start else None


class MentionIndex:
    """The entity mentions of one document, sorted by position, with a token -> mention map."""

    def __init__(self, doc: ParsedText, config: NlpConfig, lexicon: Lexicon, title: Doc | None = None):
        self.doc = doc
        self.lex = lexicon
        labels = set(config.entity_labels)
        # mentions in the title (offsets into the title, field "title"): linked with the body's
        # ("Trump" in the headline is the body's Donald Trump), kept apart from the body's index
        self.title_mentions: list[DocMention] = self._entities([(0, title)], labels, "title") if title is not None else []
        self.mentions: list[DocMention] = self._collect(labels)
        self.tok_mention: dict[tuple[int, int], int] = self._token_map()  # (chunk, token i) -> index
        self.starts = [m.start for m in self.mentions]
        self.words_by_canon: dict[str, set[str]] = {}
        for m in self.mentions:
            self.words_by_canon.setdefault(fold(m.canon), set()).update(m.words)

    def __getitem__(self, idx: int) -> DocMention:
        return self.mentions[idx]

    def __len__(self) -> int:
        return len(self.mentions)

    def mention_of(self, c: int, tok: Token) -> int | None:
        """Index of the mention covering token `tok` of chunk `c`, if any."""
        return self.tok_mention.get((c, tok.i))

    def _entities(self, chunks: list[tuple[int, Doc]], labels: set[str], where: str) -> list[DocMention]:
        """Cleaned NER mentions of parsed text pieces (junk and bare titles dropped)."""
        mentions: list[DocMention] = []
        for offset, doc in chunks:
            fix_entities(doc, self.lex.title_words)
            for ent in doc.ents:
                if ent.label_ not in labels:
                    continue
                name = clean_name(ent.text, ent.label_, self.lex)
                if is_junk_name(name, ent.label_, self.lex) or (ent.label_ != "PERSON" and fold(name) in self.lex.titles):
                    continue
                m = DocMention(offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_, name,
                               words=self.descriptor_words(ent), field=where)
                if ent.ent_id_:
                    m.canon, m.canon_label, m.fixed = ent.ent_id_, ent.label_, True
                mentions.append(m)
        return mentions

    def _collect(self, labels: set[str]) -> list[DocMention]:
        mentions = self._entities(self.doc.chunks, labels, "clean_text")
        mentions.extend(self._surname_mentions(mentions))
        mentions.sort(key=lambda m: m.start)
        link_within_document(mentions + self.title_mentions, self.lex)
        doubt_lone_persons(mentions + self.title_mentions, self.lex, self.doc.text)
        return mentions

    def _token_map(self) -> dict[tuple[int, int], int]:
        out: dict[tuple[int, int], int] = {}
        ends = [offset + len(doc.text) for offset, doc in self.doc.chunks]
        offsets = [offset for offset, _ in self.doc.chunks]
        for idx, m in enumerate(self.mentions):
            c = bisect.bisect_right(offsets, m.start) - 1
            if c < 0 or m.start >= ends[c]:
                continue
            offset, doc = self.doc.chunks[c]
            span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            for tok in span or ():
                out[(c, tok.i)] = idx
        return out

    def descriptor_words(self, ent: Span) -> set[str]:
        """Words right before a name that describe it ("Russia's Foreign Minister")."""
        words: set[str] = set()
        i = ent.start - 1
        while i >= max(0, ent.start - 6) and not ent.doc[i + 1].is_sent_start:
            t = ent.doc[i]
            if t.is_punct and t.text not in ("'s", "’s") or t.pos_ in ("VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "NUM"):
                break
            words.add(fold(t.text))
            if t.ent_type_ in ("GPE", "NORP"):
                country = self.lex.country_of(t.text, t.ent_type_) if t.ent_type_ == "NORP" else self.lex.canonical(t.text)
                words.add(fold(country[0] if isinstance(country, tuple) else (country or t.text)))
            i -= 1
        return words

    def _surname_mentions(self, mentions: list[DocMention]) -> list[DocMention]:
        """Occurrences of a PERSON's surname that NER missed ("Cavusoglu’s statement")."""
        taken = SpanSet((m.start, m.end) for m in mentions)
        surnames = {m.name.split()[-1] for m in mentions
                    if m.label == "PERSON" and len(m.name.split()) >= 2 and len(m.name.split()[-1]) >= 3
                    and m.name.split()[-1][0].isupper() and m.name.split()[-1].isalpha()}
        found: list[DocMention] = []
        for s in sorted(surnames):
            for hit in re.finditer(rf"(?<![\w-]){re.escape(s)}(?![\w-])", self.doc.text):
                a, b = hit.span()
                if taken.overlaps(a, b):
                    continue
                found.append(DocMention(a, b, s, "PERSON", s))
                taken.add(a, b)
        return found
