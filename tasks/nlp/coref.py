"""References: which entities a noun phrase, pronoun or description in one document names.

`References.refs(c, tok)` answers for the phrase headed by token `tok` of chunk `c`: a mention
it covers (plus a possessor organisation or country), an apposition, a pronoun resolved to a
preceding person ("he") or non-person subject ("its"), a role noun ("the minister") resolved
to the preceding person it describes best, or an organisation noun ("the newspaper", "the
committee") resolved to the preceding organisation of that kind. Quotes and event roles both
read it.

Person pronouns are resolved by agreement and salience, not to the nearest name: candidates
are the PERSON mentions outside quotations in the pronoun's sentence (before it) and the few
sentences before; a candidate whose sex disagrees with the pronoun is out (sex from the first
name, SSA baby-name counts, or from Mr/Mrs/Ms before the name); among the rest the nearest
sentences, subjects and speakers (subjects of a quote cue) are the most salient (`person_antecedents`).
"""
from __future__ import annotations

import bisect

from spacy.tokens import Token

from tasks.nlp.document import ParsedText
from tasks.nlp.entities import Lexicon, fold
from tasks.nlp.mentions import MentionIndex

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
FEMALE_PRONOUNS = {"she", "her", "hers"}
THING_PRONOUNS = {"it", "its"}
# Words before or around a name that give a person's sex.
FEMALE_WORDS = {"mrs", "mrs.", "ms", "ms.", "miss", "lady", "dame", "queen", "princess", "congresswoman",
                "spokeswoman", "chairwoman", "businesswoman", "wife", "mother", "daughter", "sister", "actress", "first lady"}
MALE_WORDS = {"mr", "mr.", "sir", "lord", "king", "prince", "congressman", "spokesman", "chairman",
              "businessman", "husband", "father", "son", "brother", "actor"}
# How many sentences before a pronoun's own sentence its antecedent may be.
MAX_SENTENCES_BACK = 4

Ref = tuple[str, str]  # (canonical name, label)


class References:
    """Resolves noun phrases of one document to (canonical name, label) pairs."""

    def __init__(self, doc: ParsedText, mentions: MentionIndex, lexicon: Lexicon):
        self.doc = doc
        self.mentions = mentions
        self.lex = lexicon
        # folded canonical name per mention, and the PERSON mentions outside quotes per name
        # (in text order): lookups that would otherwise walk every earlier mention per question
        self.keys = [fold(m.canon) for m in mentions.mentions]
        self.persons: dict[str, list[int]] = {}
        for i, m in enumerate(mentions.mentions):
            if self._label(i) == "PERSON" and not doc.in_quote(m.start):
                self.persons.setdefault(self.keys[i], []).append(i)
        self._words_of: dict[str, set[str]] | None = None
        self._sex: dict[str, str | None] = {}
        self._sent_starts: dict[int, list[int]] = {}
        self._roots: dict[int, tuple[int, Token] | None] = {}

    def _label(self, idx: int) -> str:
        m = self.mentions[idx]
        return m.canon_label or m.label

    # -- persons: sex, salience ---------------------------------------------------------------
    def sex(self, idx: int) -> str | None:
        """ "F", "M" or None for the person a mention names (its canonical name's first name, or a
        title before any of its mentions)."""
        key = fold(self.mentions[idx].canon)
        if key not in self._sex:
            words = self.mentions.words_by_canon.get(key, set())
            toks = key.split()
            guess = None
            if words & FEMALE_WORDS and not words & MALE_WORDS:
                guess = "F"
            elif words & MALE_WORDS and not words & FEMALE_WORDS:
                guess = "M"
            elif len(toks) >= 2:
                guess = self.lex.sex_of_first_name(toks[0])
            self._sex[key] = guess
        return self._sex[key]

    def _sentence_index(self, c: int, char: int) -> int:
        """Index of the sentence of chunk `c` holding chunk character `char`."""
        starts = self._sent_starts.get(c)
        if starts is None:
            starts = self._sent_starts[c] = [s.start_char for s in self.doc.sentences(c)]
        return bisect.bisect_right(starts, char) - 1

    def mention_root(self, idx: int) -> tuple[int, Token] | None:
        """(chunk, root token) of a mention."""
        if idx not in self._roots:
            m = self.mentions[idx]
            self._roots[idx] = None
            c = self.doc.chunk_at(m.start)  # (spaCy rebuilds `Doc.text` per access: not per chunk per mention)
            if c is not None:
                offset, doc = self.doc.chunks[c]
                span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
                self._roots[idx] = (c, span.root) if span is not None and len(span) else None
        return self._roots[idx]

    def is_speaker_subject(self, tok: Token) -> bool:
        """Whether `tok` is the subject of a quote cue ("Trump said", "said Trump")."""
        head = tok.head
        return tok.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX") and self.doc.lemma(head) in self.lex.cue_verbs

    def person_antecedents(self, c: int, tok: Token, exclude: set[int] = frozenset()) -> list[tuple[float, int]]:
        """(salience, mention index) of the PERSON mentions a "he"/"she" (token `tok` of chunk `c`)
        may refer to, best first: one per person (its most salient mention), none whose sex
        disagrees with the pronoun. Salience: -1 per sentence back, +1.5 for a subject, +1 for
        the subject of a quote cue, +0.5 for a known sex; a name used as a modifier ("a Trump
        rally") is not a candidate."""
        want = "F" if tok.lower_ in FEMALE_PRONOUNS else "M"
        offset = self.doc.offset(c)
        pos = offset + tok.idx
        here = self._sentence_index(c, tok.idx)
        best: dict[str, tuple[float, int]] = {}
        i = bisect.bisect_left(self.mentions.starts, pos)
        while i > 0:
            i -= 1
            m = self.mentions[i]
            if m.start < offset:
                break  # antecedents in an earlier chunk are too far away
            if self._label(i) != "PERSON" or m.end > pos or i in exclude or self.doc.in_quote(m.start):
                continue
            back = here - self._sentence_index(c, m.start - offset)
            if back > MAX_SENTENCES_BACK:
                break
            sex = self.sex(i)
            if sex is not None and sex != want:
                continue
            root = self.mention_root(i)
            dep = root[1].dep_ if root else ""
            if dep in ("compound", "amod", "nmod"):
                continue
            score = -back + 1.5 * (dep in ("nsubj", "nsubjpass")) + 1.0 * (root is not None and self.is_speaker_subject(root[1])) \
                + 0.5 * (sex is not None) - 0.01 * (pos - m.end) / 100
            key = fold(m.canon)
            if key not in best or score > best[key][0]:
                best[key] = (score, i)
        return sorted(best.values(), reverse=True)

    def person_antecedent(self, c: int, tok: Token, exclude: set[int] = frozenset()) -> int | None:
        """The most salient PERSON mention a "he"/"she" may refer to (`person_antecedents`)."""
        ranked = self.person_antecedents(c, tok, exclude)
        return ranked[0][1] if ranked else None

    def preceding_person(self, pos: int, exclude: frozenset[str] = frozenset()) -> int | None:
        """The nearest PERSON mention ending before `pos`, outside quotes, whose folded
        canonical name is not in `exclude`."""
        i = bisect.bisect_left(self.mentions.starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if self._label(i) == "PERSON" and m.end <= pos and self.keys[i] not in exclude and not self.doc.in_quote(m.start):
                return i
            i -= 1
        return None

    # -- descriptions ---------------------------------------------------------------------------
    def resolve_description(self, c: int, tok: Token) -> int | None:
        """ "the minister", "the top Russian diplomat", "his counterpart" -> a preceding PERSON."""
        lemma = fold(self.doc.lemma(tok))
        words = {fold(t.text) for t in tok.lefts if t.dep_ in ("amod", "compound", "nmod", "poss")} | {lemma}
        countries = {fold(self.lex.demonyms[w]) for w in words if w in self.lex.demonyms}
        pos = self.doc.offset(c) + tok.idx
        best, best_score = None, -1
        last = bisect.bisect_left(self.mentions.starts, pos) - 1
        # each person once, at its mention nearest before `pos`, nearest first (ties go to it)
        nearest = []
        for key, idxs in self.persons.items():
            j = bisect.bisect_right(idxs, last) - 1
            if j >= 0:
                nearest.append((idxs[j], key))
        for i, key in sorted(nearest, reverse=True):
            desc = self.mentions.words_by_canon.get(key, set())
            score = 2 * len(countries & desc) + (lemma in desc)
            if countries and not countries & desc and any(
                    fold(self.lex.demonyms.get(w, "")) in desc or w in self.lex.demonyms for w in desc):
                score -= 3  # a Russian diplomat is not the Turkish minister
            if score > best_score:
                best, best_score = i, score
        return best

    def resolve_organisation(self, c: int, tok: Token) -> int | None:
        """ "the committee", "the newspaper" -> the nearest preceding ORG of that kind: its name
        holds the noun, or one of the name words the lexicon lists for the noun ("newspaper":
        Times, Post, ...)."""
        lemma = fold(self.doc.lemma(tok))
        kinds = self.lex.org_nouns.get(lemma)
        if kinds is None:
            return None
        keys = {lemma, *kinds}
        pos = self.doc.offset(c) + tok.idx
        i = bisect.bisect_left(self.mentions.starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if self._label(i) == "ORG" and m.end <= pos and not self.doc.in_quote(m.start) and keys & set(fold(m.canon).split()):
                return i
            i -= 1
        return None

    def counterpart_of(self, other: set[str]) -> str | None:
        """The PERSON sharing a role word with the other actor ("his counterpart" of a minister)."""
        if self._words_of is None:  # the same for every question: built once
            self._words_of = {}
            for i, m in enumerate(self.mentions.mentions):
                if self._label(i) == "PERSON":
                    self._words_of.setdefault(m.canon, set()).update(self.mentions.words_by_canon.get(self.keys[i], ()))
        words_of = self._words_of
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
        if low in PERSON_PRONOUNS and allow_pronoun:
            skip = {j for j, m in enumerate(self.mentions.mentions) if fold(m.canon) in exclude} if exclude else set()
            i = self.person_antecedent(c, tok, skip)
            return [(self.mentions[i].canon, "PERSON")] if i is not None else []
        if low in THING_PRONOUNS and allow_pronoun:
            return self.thing_antecedent(c, tok)
        for ch in tok.children:
            if ch.dep_ == "appos":
                r = self.refs(c, ch, allow_pronoun)
                if r:
                    return r
        lemma = self.doc.lemma(tok)
        if tok.tag_ == "NN" and allow_pronoun and lemma != "counterpart" and self._definite(tok):
            if lemma in self.lex.role_nouns:
                i = self.resolve_description(c, tok)
                if i is not None:
                    return [(self.mentions[i].canon, "PERSON")]
            i = self.resolve_organisation(c, tok)
            if i is not None:
                return [(self.mentions[i].canon, "ORG")]
        out = []
        for ch in tok.children:
            if ch.dep_ in ("compound", "amod", "poss", "nmod") and ch.i < tok.i:
                j = self.mentions.mention_of(c, ch)
                if j is not None and self.mentions[j].label in ACTOR_LABELS:
                    out.append((self.mentions[j].canon, self._label(j)))
                elif ch.dep_ == "poss" and allow_pronoun and ch.lower_ in THING_PRONOUNS:
                    out.extend(self.thing_antecedent(c, ch))
        return out

    @staticmethod
    def _definite(tok: Token) -> bool:
        """ "the minister", "his spokesman", "the Florida senator": a description of someone
        named before; "a minister", "another Republican" introduce someone new."""
        for ch in tok.children:
            if ch.dep_ == "det":
                return ch.lower_ in ("the", "this", "that")
            if ch.dep_ == "poss":
                return True
        return False
