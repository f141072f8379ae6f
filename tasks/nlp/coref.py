"""References: which entities a noun phrase, pronoun or description in one document names.

`References.refs(c, tok)` answers for the phrase headed by token `tok` of chunk `c`: a mention
it covers (plus a possessor organisation or country), an apposition, a pronoun resolved to a
preceding person ("he") or non-person subject ("its"), or a role noun ("the minister") resolved
to the preceding person it describes best. Quotes and event roles both read it.
"""
from __future__ import annotations

import bisect

from spacy.tokens import Token

from tasks.nlp.document import ParsedText
from tasks.nlp.entities import Lexicon, fold
from tasks.nlp.mentions import MentionIndex

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
THING_PRONOUNS = {"it", "its"}

Ref = tuple[str, str]  # (canonical name, label)


class References:
    """Resolves noun phrases of one document to (canonical name, label) pairs."""

    def __init__(self, doc: ParsedText, mentions: MentionIndex, lexicon: Lexicon):
        self.doc = doc
        self.mentions = mentions
        self.lex = lexicon

    def _label(self, idx: int) -> str:
        m = self.mentions[idx]
        return m.canon_label or m.label

    def preceding_person(self, pos: int, exclude: set[int] = frozenset()) -> int | None:
        """The nearest PERSON mention ending before `pos`, outside quotes."""
        i = bisect.bisect_left(self.mentions.starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if self._label(i) == "PERSON" and m.end <= pos and i not in exclude and not self.doc.in_quote(m.start):
                return i
            i -= 1
        return None

    def resolve_description(self, c: int, tok: Token) -> int | None:
        """ "the minister", "the top Russian diplomat", "his counterpart" -> a preceding PERSON."""
        lemma = fold(self.doc.lemma(tok))
        words = {fold(t.text) for t in tok.lefts if t.dep_ in ("amod", "compound", "nmod", "poss")} | {lemma}
        countries = {fold(self.lex.demonyms[w]) for w in words if w in self.lex.demonyms}
        pos = self.doc.offset(c) + tok.idx
        best, best_score = None, -1
        i = bisect.bisect_left(self.mentions.starts, pos) - 1
        seen: set[str] = set()
        while i >= 0:
            m = self.mentions[i]
            if self._label(i) == "PERSON" and not self.doc.in_quote(m.start) and fold(m.canon) not in seen:
                seen.add(fold(m.canon))
                desc = self.mentions.words_by_canon.get(fold(m.canon), set())
                score = 2 * len(countries & desc) + (lemma in desc)
                if countries and not countries & desc and any(
                        fold(self.lex.demonyms.get(w, "")) in desc or w in self.lex.demonyms for w in desc):
                    score -= 3  # a Russian diplomat is not the Turkish minister
                if score > best_score:
                    best, best_score = i, score
            i -= 1
        return best

    def counterpart_of(self, other: set[str]) -> str | None:
        """The PERSON sharing a role word with the other actor ("his counterpart" of a minister)."""
        words_of: dict[str, set[str]] = {}
        for i, m in enumerate(self.mentions.mentions):
            if self._label(i) == "PERSON":
                words_of.setdefault(m.canon, set()).update(self.mentions.words_by_canon.get(fold(m.canon), ()))
        roles = set().union(*(words_of.get(o, set()) for o in other)) & self.lex.role_nouns
        cands = [n for n, w in words_of.items() if n not in other and w & roles]
        return cands[0] if len(cands) == 1 else None

    def thing_antecedent(self, c: int, tok: Token) -> list[Ref]:
        """ "its" -> the nearest preceding subject or possessor that names a non-person."""
        doc = self.doc.chunks[c][1]
        sent_start = tok.sent.start
        prev = doc[sent_start - 1].sent.start if sent_start > 0 else sent_start
        for j in range(tok.i - 1, prev - 1, -1):
            t = doc[j]
            if t.dep_ in ("nsubj", "nsubjpass", "poss") and t.lower_ not in THING_PRONOUNS | PERSON_PRONOUNS:
                refs = [r for r in self.refs(c, t, allow_pronoun=False) if r[1] != "PERSON"]
                if refs:
                    return refs
        return []

    def refs(self, c: int, tok: Token, allow_pronoun: bool = True, exclude: frozenset[str] = frozenset()) -> list[Ref]:
        """(canonical name, label) of the entities a noun phrase headed by `tok` names."""
        idx = self.mentions.mention_of(c, tok)
        if idx is not None:
            out = [(self.mentions[idx].canon, self._label(idx))]
            for ch in tok.children:
                j = self.mentions.mention_of(c, ch) if ch.dep_ == "poss" else None
                if j is not None and j != idx and self.mentions[j].label in ("GPE", "ORG"):
                    out.append((self.mentions[j].canon, self._label(j)))
            return out
        low = tok.lower_
        pos = self.doc.offset(c) + tok.idx
        if low in PERSON_PRONOUNS and allow_pronoun:
            skip = {j for j, m in enumerate(self.mentions.mentions) if fold(m.canon) in exclude} if exclude else set()
            i = self.preceding_person(pos, skip)
            return [(self.mentions[i].canon, "PERSON")] if i is not None else []
        if low in THING_PRONOUNS and allow_pronoun:
            return self.thing_antecedent(c, tok)
        for ch in tok.children:
            if ch.dep_ == "appos":
                r = self.refs(c, ch, allow_pronoun)
                if r:
                    return r
        lemma = self.doc.lemma(tok)
        if tok.tag_ == "NN" and lemma in self.lex.role_nouns and allow_pronoun and lemma != "counterpart":
            i = self.resolve_description(c, tok)
            if i is not None:
                return [(self.mentions[i].canon, "PERSON")]
        out = []
        for ch in tok.children:
            if ch.dep_ in ("compound", "amod", "poss", "nmod") and ch.i < tok.i:
                j = self.mentions.mention_of(c, ch)
                if j is not None and self.mentions[j].label in ACTOR_LABELS:
                    out.append((self.mentions[j].canon, self._label(j)))
                elif ch.dep_ == "poss" and allow_pronoun and ch.lower_ in THING_PRONOUNS:
                    out.extend(self.thing_antecedent(c, ch))
        return out
