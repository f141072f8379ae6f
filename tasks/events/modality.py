"""From trigger candidates to the events a sentence asserts: nesting, intent, negation, demands.

PLOVER codes the act a sentence reports, not every event word in it (after CAMEO, whose
categories this follows):
* a trigger in the complement of another one is that event's content, not an event of its own:
  "demanded that the US cancel plans to sell weapons" is one DEMAND whose target is the US;
  "threatened to cut off electricity" is one THREATEN;
* an act that is only announced, promised or planned ("will provide aid", "said it is willing
  to withdraw", "promised to release") is an expressed intent: AGREE when the act is
  cooperative, THREATEN when it is hostile (CAMEO 03 and 13);
* a cooperative act refused or declared not to happen ("will not allow", "refused to meet") is a
  REJECT (CAMEO 12); a denied hostile act is no event at all;
* a reported obligation ("Russia said Sudan must return the helicopter") is a DEMAND by the
  speaker on the obliged (CAMEO 10).
A frame also records whether its trigger stands on the sentence's main line (its own clause, a
conjunct, a reported clause) or in background (a relative clause, "after ...", a noun's
modifier): background events need more evidence (see `extract`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from tasks.events.triggers import Candidate, TriggerLexicon
from tasks.nlp.document import ParsedText

# Dependencies through which a clause or phrase is the content of the word governing it.
CONTENT_DEPS = {"xcomp", "ccomp", "pcomp", "dobj", "obj", "pobj", "prep", "acl", "nsubjpass", "attr", "oprd", "dative"}
# Dependencies that keep a trigger on the sentence's main line.
MAIN_DEPS = {"ROOT", "conj", "ccomp", "xcomp", "parataxis", "advcl", "dep"}
BACKGROUND_MARKS = {"after", "before", "since", "because", "as", "when", "while", "following", "until", "if",
                    "unless", "although", "though", "once", "whereas", "whether"}
# What a protest says it wants or opposes is its content, not another event.
PROTEST_CONTENT = {"DEMAND", "ACCUSE", "PROTEST", "REJECT"}
# Event nouns whose content is a clause ("a demand that ...", "a threat to ...", "an offer to ...").
COMMUNICATIVE = {"DEMAND", "ACCUSE", "THREATEN", "REJECT", "AGREE", "SUPPORT"}
# Prepositions that set an event in time or circumstance: what they govern is background, not content.
BACKGROUND_PREPS = {"after", "before", "following", "since", "until", "during", "despite", "amid", "amidst",
                    "like", "unlike", "than", "besides", "under", "within", "throughout"}


@dataclass
class Frame:
    """An event a sentence asserts: the trigger it is named by and how the sentence puts it."""

    anchor: Candidate
    etype: str
    inner: list[Candidate] = field(default_factory=list)  # candidates absorbed as its content
    mood: str = "realis"  # realis, intent, refused, obliged
    main: bool = True
    speaker: Token | None = None  # an obligation's speech verb: its subject is the actor
    obliged: Token | None = None  # the obliged clause: its subject is the target

    @property
    def tok(self) -> Token:
        return self.anchor.tok

    def evidence(self) -> list[Token]:
        toks = {self.tok.i: self.tok}
        for c in self.inner:
            toks.setdefault(c.tok.i, c.tok)
        if self.speaker is not None:
            toks.setdefault(self.speaker.i, self.speaker)
        return [toks[i] for i in sorted(toks)]


def is_purpose(tok: Token) -> bool:
    """An adverbial clause of purpose ("to protest", "in order to"): the act's aim, a separate event."""
    return tok.dep_ == "advcl" and any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in tok.children)


class Modality:
    """Resolves a sentence's candidates into `Frame`s."""

    def __init__(self, doc: ParsedText, lexicon: TriggerLexicon):
        self.doc = doc
        self.lex = lexicon
        w = lexicon.words
        self.speech, self.intent_verbs, self.realis_intent = w["speech_verbs"], w["intent_verbs"], w["realis_intent"]
        self.intent_adj, self.intent_modals = w["intent_adjectives"], w["intent_modals"]
        self.obligation = w["obligation_modals"]
        self.cooperative, self.hostile = w["cooperative"], w["hostile"]
        self.derived = w["intent_derived"]

    # -- the tree ------------------------------------------------------------------------
    @staticmethod
    def governor(tok: Token) -> Token | None:
        """The word `tok`'s phrase is the content of, through CONTENT_DEPS (prepositions skipped)."""
        if tok.dep_ not in CONTENT_DEPS or tok.head is tok:
            return None
        h = tok.head
        if h.dep_ in ("prep", "agent") or h.pos_ == "ADP":
            if h.head is h or h.lower_ in BACKGROUND_PREPS:
                return None
            h = h.head
        return h

    @staticmethod
    def clause_head(tok: Token) -> Token:
        """A conjunct reads its mood from the first conjunct ("will evacuate X and dismantle Y")."""
        while tok.dep_ == "conj" and tok.head is not tok and tok.head.pos_ in ("VERB", "AUX", "ADJ"):
            tok = tok.head
        return tok

    def is_main(self, tok: Token) -> bool:
        """Whether `tok` stands on the sentence's main line (see the module docstring)."""
        t = tok
        if t.pos_ in ("NOUN", "PROPN"):
            if t.dep_ in ("ROOT",):
                return True
            while t.dep_ == "conj" and t.head is not t:
                t = t.head
            h = t.head
            if t.dep_ == "pobj" and h.dep_ == "prep":
                if h.head.pos_ not in ("VERB", "AUX", "ADJ") or h.lower_ in BACKGROUND_PREPS:
                    return False
                t = h.head
            elif t.dep_ in ("dobj", "obj", "nsubj", "nsubjpass", "attr", "oprd", "appos", "dative", "npadvmod"):
                t = h
            else:
                return False
        for _ in range(8):
            if t.dep_ == "ROOT" or t.head is t:
                return True
            if t.dep_ not in MAIN_DEPS:
                return False
            if t.dep_ == "advcl" and (not is_purpose(t) and any(
                    ch.dep_ == "mark" and ch.lower_ in BACKGROUND_MARKS for ch in t.children)):
                return False
            if t.dep_ == "advcl" and t.tag_ == "VBN":
                return False
            t = t.head
        return True

    def negated(self, tok: Token) -> bool:
        """Whether the act is denied: "did not attack", "are never going to beat", "no talks"."""
        t = self.clause_head(tok)
        for _ in range(3):  # up the chain of clauses it is the content of ("never going to beat")
            if any(ch.dep_ == "neg" or (ch.dep_ == "advmod" and ch.lower_ in ("never", "no")) for ch in t.children):
                return True
            if t.dep_ != "xcomp" or t.head is t or self.doc.lemma(t.head) not in ("go", "be", "have", "need", "want", "try", "seem", "appear", "expect", "plan", "intend"):
                break
            t = self.clause_head(t.head)
        if tok.pos_ in ("NOUN", "PROPN"):
            if any(ch.dep_ == "det" and ch.lower_ == "no" for ch in tok.children):
                return True
            h = self.governor(tok)
            if h is not None and h.pos_ in ("VERB", "AUX") and self.lex.lemma(self.doc, h) in self.lex.words["light_verbs"]:
                return any(ch.dep_ == "neg" for ch in self.clause_head(h).children)
        return False

    def modal(self, tok: Token) -> tuple[str | None, Token | None]:
        """("intent" | "obliged" | None, the clause verb) read up the chain of clauses that
        govern `tok` until a speech verb or a trigger: auxiliaries (will, would, must),
        intent verbs (plan to, prepare to) and adjectives (willing to, set to)."""
        t = tok
        if t.pos_ in ("NOUN", "PROPN"):
            h = self.governor(t)
            if h is None or h.pos_ not in ("VERB", "AUX", "ADJ"):
                return None, None
            t = h
        for _ in range(6):
            t = self.clause_head(t)
            auxes = [ch for ch in t.children if ch.dep_ in ("aux", "auxpass")]
            for a in auxes:
                low = a.lower_
                if low in self.intent_modals or (low == "going" and any(x.lower_ == "to" for x in t.children)):
                    return "intent", t
                if low in ("must", "should", "ought"):
                    return "obliged", t
            lemma = self.lex.lemma(self.doc, t)
            if t is not tok and lemma in self.intent_verbs and lemma not in self.realis_intent:
                return "intent", t
            if t is not tok and (t.pos_ == "ADJ" or t.tag_ == "VBN") and (lemma in self.intent_adj or t.lower_ in self.intent_adj):
                return "intent", t
            if t is not tok and lemma in ("have", "need") and t.pos_ in ("VERB", "AUX") and t is not tok:
                return "obliged", t
            if lemma in self.speech and t is not tok:
                return None, None
            if t.dep_ in ("xcomp", "ccomp", "conj") or is_purpose(t) or (t.dep_ == "acomp" and t.head is not t):
                t = t.head
                continue
            return None, None
        return None, None

    @staticmethod
    def subject(tok: Token) -> Token | None:
        for ch in tok.children:
            if ch.dep_ in ("nsubj", "nsubjpass", "expl"):
                return ch if ch.dep_ != "expl" else None
        return None

    def speech_over(self, tok: Token) -> Token | None:
        """The speech verb whose reported clause `tok` heads ("Russia said [Sudan must ...]")."""
        t = self.clause_head(tok)
        for _ in range(3):
            if t.dep_ not in ("ccomp", "xcomp", "conj", "parataxis") or t.head is t:
                return None
            t = t.head
            if self.lex.lemma(self.doc, t) in self.speech:
                return t
        return None

    # -- resolution ----------------------------------------------------------------------
    def frames(self, cands: list[Candidate], sent: Span) -> list[Frame]:
        """The events a sentence asserts (see the module docstring)."""
        by_i = {c.tok.i: c for c in cands}
        absorbed_into: dict[int, int] = {}
        for c in cands:
            t = c.tok
            for _ in range(6):
                if t.dep_ == "conj":  # a conjunct is a sibling, not the content of its head
                    t = t.head
                    if t.pos_ in ("NOUN", "PROPN") and t.i in by_i:
                        break
                    continue
                g = self.governor(t)
                if g is None:
                    break
                if g.i in by_i and g.i != c.tok.i:
                    absorbed_into[c.tok.i] = g.i
                    break
                noun = self.content_noun(t, g, by_i)
                if noun is not None and noun != c.tok.i:  # "reiterated its demand that Israel ease ..."
                    absorbed_into[c.tok.i] = noun
                    break
                t = g
        for c in cands:  # "blocked streets to demand reforms": what a protest demands is its content
            if c.tok.i not in absorbed_into and c.etype in PROTEST_CONTENT:
                p = self.protest_over(self.clause_head(c.tok), by_i)
                if p is not None and p != c.tok.i:
                    absorbed_into[c.tok.i] = p
        frames: dict[int, Frame] = {}
        for c in cands:
            if c.tok.i in absorbed_into:
                continue
            frames[c.tok.i] = Frame(c, c.etype, main=self.is_main(c.tok))
        for i, j in absorbed_into.items():
            top = j
            while top in absorbed_into:
                top = absorbed_into[top]
            if top in frames:
                frames[top].inner.append(by_i[i])
        out: list[Frame] = []
        for f in frames.values():
            f = self.apply_mood(f)
            if f is not None:
                out.append(f)
        out.extend(self.reported_obligations(sent, by_i, absorbed_into))
        return out

    def protest_over(self, clause: Token, by_i: dict) -> int | None:
        """The protest a purpose or participle clause belongs to ("blocked roads demanding that
        ...", "staged rallies, saying he must resign", "started a hunger strike to protest"):
        its governing verb when that is a protest, or the protest noun that verb governs."""
        if clause.dep_ != "advcl" or clause.head is clause or any(
                m.dep_ == "mark" and m.lower_ in BACKGROUND_MARKS for m in clause.children):
            return None
        g = clause.head
        if g.i in by_i and by_i[g.i].etype == "PROTEST":
            return g.i
        for ch in g.children:
            if ch.dep_ in ("dobj", "obj") and ch.i in by_i and by_i[ch.i].etype == "PROTEST":
                return ch.i
        return None

    def content_noun(self, t: Token, g: Token, by_i: dict) -> int | None:
        """A clause a parser hung on the light verb of an event noun belongs to the noun: in
        "reiterated its demand that Israel ease ..." or "issued an ultimatum to withdraw" the
        clause is the demand's or the ultimatum's content."""
        if t.dep_ not in ("ccomp", "xcomp") or g.pos_ not in ("VERB", "AUX"):
            return None
        for ch in g.children:
            if ch.dep_ in ("dobj", "obj") and ch.i in by_i and by_i[ch.i].kind == "noun" and by_i[ch.i].etype in COMMUNICATIVE:
                return ch.i
        return None

    def inner_type(self, f: Frame) -> str | None:
        inner = [c for c in f.inner if c.etype not in ("AGREE",) or c.kind != "adj"]
        return inner[0].etype if inner else None

    def apply_mood(self, f: Frame) -> Frame | None:
        c = f.anchor
        # promise / offer / be willing to X: an expressed intent whose type is X's
        if c.lemma in self.derived:
            it = self.inner_type(f)
            f.etype = "THREATEN" if it in self.hostile else "AGREE"
            f.mood = "intent"
        mood, verb = self.modal(c.tok)
        neg = self.negated(c.tok)
        if mood == "obliged" and self.speech_over(verb) is not None and f.etype not in ("DEMAND", "ACCUSE", "REJECT"):
            f.speaker, f.obliged = self.speech_over(verb), verb
            f.inner.append(Candidate(c.tok, f.etype, c.kind, c.lemma))
            f.etype, f.mood = "DEMAND", "obliged"
            return f
        if neg:
            if f.etype in self.cooperative and (mood == "intent" or f.mood == "intent" or c.lemma in ("meet", "allow", "accept")):
                f.etype, f.mood = "REJECT", "refused"
                return f
            if f.etype == "REJECT":
                return None  # "did not reject"
            return None  # a denied act did not happen
        if mood == "intent" and f.mood == "realis" and f.etype not in ("DEMAND", "ACCUSE", "REJECT", "THREATEN", "AGREE"):
            f.etype = "AGREE" if f.etype in self.cooperative else "THREATEN" if f.etype in self.hostile else f.etype
            f.mood = "intent"
        elif mood == "intent":
            f.mood = "intent"
        return f

    def reported_obligations(self, sent: Span, by_i: dict, absorbed: dict) -> list[Frame]:
        """DEMANDs from "X said (that) Y must Z" where Z is no trigger of its own."""
        out = []
        governed = {self.governor(c.tok).i for c in by_i.values() if self.governor(c.tok) is not None}
        for t in sent:
            if t.pos_ not in ("VERB", "AUX") or t.i in by_i or t.i in governed or t.dep_ not in ("ccomp",):
                continue
            if not any(ch.dep_ == "aux" and ch.lower_ in ("must", "should", "ought") for ch in t.children):
                continue
            sp = self.speech_over(t)
            if sp is None or self.subject(t) is None or self.protest_over(sp, by_i) is not None:
                continue  # (a protest "saying he must resign" demands it as the protest itself)
            cand = Candidate(sp, "DEMAND", "verb", self.doc.lemma(sp), True)
            out.append(Frame(cand, "DEMAND", [Candidate(t, "DEMAND", "verb", self.doc.lemma(t))], "obliged",
                             self.is_main(sp), sp, t))
        return out
