"""Event triggers: which words start an event of which PLOVER type (data in `triggers.json`).

`load_triggers(path)` compiles the table once per process into a `TriggerLexicon`;
`TriggerMatcher(doc, lexicon).candidates(c, sent)` returns the sentence's `Candidate`s: a
token, the type its lexicon entry and frame give it (a sense: "lift" + curfew is CONCEDE,
"lift" + sanctions is RETREAT), and the trigger kind (verb, noun, adj). Whether a candidate is
an event of its own, part of a governing one, intended, denied or demanded is decided by
`tasks.events.modality`.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from tasks.nlp.document import ParsedText

# Heads that only measure or contain what the phrase is about ("700 kg of medicine").
CONTAINER_HEADS = frozenset({
    "state", "law", "measure", "level", "number", "amount", "package", "shipment", "consignment", "ton", "tonne",
    "kg", "kilogram", "worth", "batch", "lot", "quantity", "series", "wave", "round", "set", "kind", "type", "form",
    "part", "host", "range", "supply", "load", "convoy", "million", "billion", "thousand", "hundred", "dozen"})
ABSENT = "absent"  # a sense that needs no direct object ("obj": null)


@dataclass(frozen=True)
class Sense:
    """One frame of a trigger lemma; every given constraint must hold."""

    type: str | None
    obj: frozenset | str | None = None  # class words, ABSENT, or None = no constraint
    mod: frozenset | None = None
    of: frozenset | None = None
    prt: str | None = None
    prep: str | None = None
    subj: frozenset | None = None
    gov: frozenset | None = None
    xcomp: bool = False
    ccomp: bool = False
    pobj: frozenset | None = None  # class of the required preposition's object

    @property
    def constrained(self) -> bool:
        """Whether the frame reads an argument (then it also disambiguates the word)."""
        return any(v is not None for v in (self.obj, self.mod, self.of, self.prt, self.prep, self.subj, self.gov, self.pobj)) or self.xcomp or self.ccomp


@dataclass
class TriggerLexicon:
    """The compiled trigger table (see triggers.json's "about")."""

    verbs: dict[str, str]
    nouns: dict[str, str]
    adjectives: dict[str, str]
    senses: dict[str, list[Sense]]
    noun_senses: dict[str, list[Sense]]
    classes: dict[str, frozenset]
    words: dict[str, frozenset] = field(default_factory=dict)  # other word lists of the file
    table: dict = field(default_factory=dict)  # the raw file, for per-type rules

    def __getitem__(self, key: str):
        return self.table[key]

    def __contains__(self, key: str) -> bool:
        return key in self.table

    def get(self, key: str, default=None):
        return self.table.get(key, default)

    def lemma(self, doc: ParsedText, tok: Token) -> str:
        """The token's lemma, repaired where the rule lemmatizer cut a verb's final e
        ("staged" -> "stag", "imposed" -> "impos") and the lexicon knows the word with it."""
        lemma = doc.lemma(tok)
        if tok.tag_ in ("VBD", "VBN", "VBG", "VBZ") and lemma not in self.known and lemma + "e" in self.known:
            return lemma + "e"
        return lemma

    @functools.cached_property
    def known(self) -> frozenset:
        """Every word the table names as a verb, a sense or a verb list."""
        lists = ("light_verbs", "speech_verbs", "intent_verbs", "negative_governors", "realis_intent")
        return frozenset(self.verbs) | frozenset(self.senses) | frozenset().union(*(self.words[k] for k in lists))

def _sense(raw: dict, classes: dict[str, frozenset]) -> Sense:
    def cls(name):
        if name is None:
            return None
        return frozenset().union(*(classes[n] for n in ([name] if isinstance(name, str) else name)))
    obj = raw.get("obj", ...)
    return Sense(raw.get("type"), ABSENT if obj is None else (cls(obj) if obj is not ... else None),
                 cls(raw.get("mod")), cls(raw.get("of")), raw.get("prt"), raw.get("prep"), cls(raw.get("subj")),
                 cls(raw.get("gov")), bool(raw.get("xcomp")), bool(raw.get("ccomp")), cls(raw.get("pobj")))


@functools.lru_cache(maxsize=4)
def load_triggers(path: str) -> TriggerLexicon:
    """The trigger table of `path`, compiled once per process."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    classes = {k: frozenset(v) for k, v in data["classes"].items()}
    verbs, nouns, adjectives = {}, {}, {}
    for etype, block in data["types"].items():
        for w in block.get("verbs", []):
            verbs[w] = etype
        for w in block.get("nouns", []):
            nouns[w] = etype
        for w in block.get("adjectives", []):
            adjectives[w] = etype
    senses = {k: [_sense(s, classes) for s in v] for k, v in data["senses"].items()}
    noun_senses = {k: [_sense(s, classes) for s in v] for k, v in data["noun_senses"].items()}
    words = {k: frozenset(v) for k, v in data.items() if isinstance(v, list) and all(isinstance(x, str) for x in v)}
    data["symmetric"] = set(data["symmetric"])
    return TriggerLexicon(verbs, nouns, adjectives, senses, noun_senses, classes, words, data)


@dataclass
class Candidate:
    """A token that may start an event: its type from the lexicon and frame, and its kind."""

    tok: Token
    etype: str
    kind: str  # verb, noun, adj
    lemma: str
    framed: bool = False  # the type came from a frame (object, particle, modifier), not the bare word


class TriggerMatcher:
    """Finds the trigger candidates of a sentence."""

    def __init__(self, doc: ParsedText, lexicon: TriggerLexicon):
        self.doc = doc
        self.lex = lexicon

    # -- word classes --------------------------------------------------------------------
    def words_of(self, tok: Token) -> list[str]:
        """The words a class test reads for a phrase headed by `tok`: its lemma and entity
        label, then (for containers such as "state of emergency", "tons of aid") its 'of'
        object and compounds."""
        lemma = self.doc.lemma(tok)
        out = [lemma, tok.lower_]
        if tok.ent_type_:
            out.append(tok.ent_type_)
        if tok.tag_ == "$" or tok.text in ("$", "£", "€"):
            out.append("$")
        inner = [ch for ch in tok.children if ch.dep_ in ("compound", "amod", "nmod")]
        for ch in tok.children:
            if ch.dep_ == "prep" and ch.lower_ == "of":
                inner.extend(x for x in ch.children if x.dep_ == "pobj")
        if lemma in CONTAINER_HEADS or tok.like_num or tok.ent_type_ in ("QUANTITY", "MONEY", "CARDINAL"):
            for x in inner:
                out.extend(self.words_of(x))
        elif not tok.ent_type_:  # "the Tory plans" is about plans; "minister Sergei Lavrov" is a person
            out.extend(self.doc.lemma(x) for x in inner if x.dep_ == "compound")
        return out

    def in_class(self, tok: Token | None, cls: frozenset) -> bool:
        if tok is None:
            return False
        return "*" in cls or any(w in cls for w in self.words_of(tok))

    # -- frames --------------------------------------------------------------------------
    @staticmethod
    def _obj(tok: Token) -> Token | None:
        for ch in tok.children:
            if ch.dep_ in ("dobj", "nsubjpass", "obj"):
                return ch
        for ch in tok.children:  # "allow X to participate": the clause's subject
            if ch.dep_ in ("ccomp", "xcomp"):
                for g in ch.children:
                    if g.dep_ in ("nsubj", "dobj"):
                        return g
        return None

    @staticmethod
    def _subj(tok: Token) -> Token | None:
        for ch in tok.children:
            if ch.dep_ == "nsubj":
                return ch
            if ch.dep_ == "agent":
                return next((x for x in ch.children if x.dep_ == "pobj"), None)
        if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head is not tok:
            return TriggerMatcher._subj(tok.head)
        return None

    def verb_sense_holds(self, tok: Token, s: Sense) -> bool:
        if s.prt and not any(ch.dep_ == "prt" and ch.lower_ == s.prt for ch in tok.children) and not (
                s.prt in ("for", "on", "upon") and any(ch.dep_ == "prep" and ch.lower_ == s.prt for ch in tok.children)):
            return False
        preps = [ch for ch in tok.children if ch.dep_ in ("prep", "prt", "dative", "agent") and ch.lower_ == s.prep] if s.prep else []
        if s.prep and not preps:
            return False
        if s.pobj is not None and not any(self.in_class(x, s.pobj) for p in preps for x in p.children if x.dep_ == "pobj"):
            return False
        if s.xcomp and not any(ch.dep_ in ("xcomp", "ccomp") for ch in tok.children):
            return False
        if s.ccomp and not any(ch.dep_ == "ccomp" for ch in tok.children):
            return False
        obj = self._obj(tok)
        if s.obj == ABSENT:
            if any(ch.dep_ in ("dobj", "obj") for ch in tok.children):
                return False
        elif s.obj is not None and not self.in_class(obj, s.obj):
            return False
        if s.subj is not None and not self.in_class(self._subj(tok), s.subj):
            return False
        return True

    def noun_sense_holds(self, tok: Token, s: Sense) -> bool:
        if s.mod is not None:
            mods = [ch for ch in tok.children if ch.dep_ in ("compound", "amod", "nmod", "poss")]
            if tok.i > 0:
                mods.append(tok.doc[tok.i - 1])
            if not any(self.in_class(m, s.mod) or m.lower_ in s.mod for m in mods):
                return False
        if s.of is not None:
            ofs = [x for ch in tok.children if ch.dep_ == "prep" and ch.lower_ == "of" for x in ch.children]
            if not any(self.in_class(x, s.of) for x in ofs):
                return False
        if s.gov is not None:
            h = tok.head
            if h.pos_ == "ADP":
                h = h.head
            if self.lex.lemma(self.doc, h) not in s.gov and not any(ch.lower_ in s.gov for ch in tok.children):
                return False
        return True

    # -- candidates ----------------------------------------------------------------------
    def candidate(self, c: int, tok: Token) -> Candidate | None:
        """The candidate `tok` starts, if any (not inside quoted speech)."""
        if self.doc.in_quote(self.doc.offset(c) + tok.idx):
            return None
        lemma = self.lex.lemma(self.doc, tok)
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and lemma in self.lex.senses):
            for s in self.lex.senses.get(lemma, ()):
                if self.verb_sense_holds(tok, s):
                    return Candidate(tok, s.type, "verb", lemma, s.constrained) if s.type else None
            if lemma in self.lex.verbs:
                return Candidate(tok, self.lex.verbs[lemma], "verb", lemma)
            return None
        if tok.pos_ in ("NOUN", "PROPN"):
            if tok.pos_ == "PROPN" and tok.is_title and lemma not in self.lex.nouns:
                return None  # "March", "Strike Force": names, not events
            if tok.i > 0:
                prev = tok.doc[tok.i - 1]
                for pair in (f"{prev.lower_} {lemma}", f"{prev.lower_} {tok.lower_}", f"{self.doc.lemma(prev)} {lemma}"):
                    if pair in self.lex.nouns:
                        return Candidate(tok, self.lex.nouns[pair], "noun", pair)
            if lemma == "state" and any(self.doc.lemma(x) == "emergency" for ch in tok.children if ch.lower_ == "of" for x in ch.children):
                return Candidate(tok, self.lex.nouns.get("state of emergency", "COERCE"), "noun", "state of emergency")
            for s in self.lex.noun_senses.get(lemma, ()):
                if self.noun_sense_holds(tok, s):
                    return Candidate(tok, s.type, "noun", lemma, s.constrained) if s.type else None
            if lemma in self.lex.nouns:
                return Candidate(tok, self.lex.nouns[lemma], "noun", lemma)
            return None
        if tok.tag_ == "VBN" and tok.lower_ in self.lex.adjectives and any(ch.dep_ == "auxpass" for ch in tok.children):
            lemma = tok.lower_  # "is committed to", "is opposed to": a state, read as the adjective
        if (tok.pos_ == "ADJ" or tok.tag_ == "VBN") and lemma in self.lex.adjectives:
            if any(ch.dep_ in ("xcomp", "prep", "ccomp") for ch in tok.children) or tok.dep_ in ("acomp", "amod"):
                return Candidate(tok, self.lex.adjectives[lemma], "adj", lemma)
        return None

    def candidates(self, c: int, sent: Span) -> list[Candidate]:
        out = []
        for tok in sent:
            cand = self.candidate(c, tok)
            if cand is not None:
                out.append(cand)
        return out
