"""Event mentions of one document: frames, their roles coded as actors, date, place, confidence.

`EventExtractor(...).extract()` walks every sentence: `TriggerMatcher` proposes candidates,
`Modality` turns them into the frames the sentence asserts, `RoleFinder` finds their role
phrases, `ActorCoder` codes them (entity, country, sector), `context` checks that a violent
reading is political, and `Confidence` scores the result. One `EventRec` per frame that has
the parties its type needs.
"""
from __future__ import annotations

from datetime import datetime

from spacy.tokens import Span, Token

from tasks.events.actors import Actor, ActorCoder
from tasks.events.confidence import Confidence, load_confidence
from tasks.events.context import Register, political_context, sentence_signals
from tasks.events.modality import Frame, Modality
from tasks.events.records import ArgRec, EventRec
from tasks.events.roles import RoleFinder
from tasks.events.triggers import TriggerLexicon, TriggerMatcher
from tasks.nlp.coref import References
from tasks.common.dates import DateMention, PartialDate, find_dates, nearest_date, reference_year
from tasks.nlp.document import ParsedText
from tasks.nlp.entities import Lexicon, fold
from tasks.nlp.mentions import MentionIndex


OBLIGATION = {"must", "should", "ought"}  # "X said Y must Z" is a demand even without a trigger word
# Types reported without their doer often enough to keep ("a journalist was killed", "a curfew was imposed").
ACTORLESS = {"ASSAULT", "COERCE", "SANCTION", "PROTEST", "AID"}


class EventExtractor:
    """The event mentions of one document."""

    def __init__(self, doc: ParsedText, mentions: MentionIndex, refs: References, lexicon: Lexicon,
                 triggers: TriggerLexicon, published_at: datetime | None, confidence: Confidence | None = None):
        self.doc = doc
        self.mentions = mentions
        self.refs = refs
        self.lex = lexicon
        self.trig = triggers
        self.matcher = TriggerMatcher(doc, triggers)
        self.modality = Modality(doc, triggers)
        self.actors = ActorCoder(doc, mentions, refs, lexicon)
        t = self.actors.t
        self.roles = RoleFinder(doc, lexicon, triggers, t["things"], t["agents"] | t["places"] | frozenset(t["sector_of"]))
        self.register = Register.of_chunks(doc.chunks)
        self.confidence = confidence or load_confidence()
        self.published = PartialDate(published_at.year, published_at.month, published_at.day) if published_at else None
        ref_year = None if published_at else reference_year(doc.text)
        self.dates: list[DateMention] = find_dates(doc.text, published_at, ref_year)
        self.date_starts = [d.start for d in self.dates]
        # the document's first day-level date (its lead's "on Tuesday"): the date of mentions
        # without one of their own when the document has no publication date
        self.context_date: PartialDate | None = next(
            (d.value for d in self.dates if d.value.day is not None or d.value.weekday is not None), None)

    def extract(self) -> list[EventRec]:
        out: list[EventRec] = []
        for c in range(len(self.doc.chunks)):
            for sent in self.doc.sentences(c):
                cands = self.matcher.candidates(c, sent)
                if not cands and not any(t.lower_ in OBLIGATION for t in sent):
                    continue
                for frame in self.modality.frames(cands, sent):
                    rec = self.event_record(c, sent, frame)
                    if rec is not None:
                        out.append(rec)
        return out

    # -- one frame ----------------------------------------------------------------------------
    def event_record(self, c: int, sent: Span, f: Frame) -> EventRec | None:
        """The event mention of frame `f`, or None when it lacks the parties its type needs or
        a violent reading is not political."""
        etype = self.final_type(f, sent)
        if etype is None:
            return None
        roles = self.roles.find(f)
        # "A and B agreed", "A met B": unordered parties; an announced intent ("A promised B aid") is directed
        symmetric = etype in self.trig["symmetric"] and f.anchor.etype == etype and f.anchor.lemma not in self.trig["intent_derived"]
        args = self.coded_arguments(c, f, etype, roles, symmetric)
        if not self.admissible(f, etype, args, symmetric, sent):
            return None
        self.add_object(c, roles, sent, etype, args)
        location = self.add_location(c, roles, args)
        offset = self.doc.offset(c)
        a, b = offset + sent.start_char, offset + sent.end_char
        d = nearest_date(self.dates, *date_scope(f.tok, f.anchor.kind, a, b, offset), offset + f.tok.idx, self.date_starts)
        if d:
            date, source = d.value, "text"
        elif self.published:
            date, source = self.published, "published"
        elif self.context_date:
            # no publication date known: the date the document's lead reports on ("said on Tuesday (29 December)")
            date, source = self.context_date, "document"
        else:
            date, source = None, None
        features = {
            "type": etype, "kind": f.anchor.kind, "mood": f.mood, "main": f.main, "framed": f.anchor.framed,
            "nested": bool(f.inner), "actors": sum(1 for x in args if x.role == "actor"),
            "targets": sum(1 for x in args if x.role == "target"), "lemma": f.anchor.lemma,
            "entity_actor": any(x.label and x.role == "actor" for x in args), "dated": d is not None,
            "sport": self.register.is_sport,
        }
        evidence = " ".join(t.text for t in f.evidence())
        return EventRec(etype, f.tok.text, sent.text, a, b, date, location, args, self.confidence.score(features),
                        self.context_date, source, evidence, f.mood, features)

    def final_type(self, f: Frame, sent: Span) -> str | None:
        """The frame's type, TRADE when a realised deal or delivery is about a weapon system;
        None for a purchase of anything else (ordinary commerce is not a political event)."""
        etype = f.etype
        has_product = any(e.label_ == "PRODUCT" for e in sent.ents)
        about_product = has_product and any(t.ent_type_ == "PRODUCT" for x in [f.tok, *(c.tok for c in f.inner)]
                                            for ch in x.children if ch.dep_ in ("dobj", "prep", "nsubjpass", "acl") for t in ch.subtree)
        if about_product and etype in self.trig["type_with_product"] and f.mood == "realis":
            etype = self.trig["type_with_product"][etype]
        return None if etype == "TRADE" and not has_product else etype

    def coded_arguments(self, c: int, f: Frame, etype: str, roles: dict[str, list[Token]], symmetric: bool) -> list[ArgRec]:
        """The frame's parties coded, with the fallbacks PLOVER coding uses: the content clause's
        party ("demanded that the US ..."), else the place acted on ("a curfew in Cizre")."""
        if etype == "CONSULT" and (roles["partner"] or roles["content"]):
            # "visited Moscow for talks with Lavrov": the place visited is where, the partner is who
            places = [t for t in roles["target"] if t.ent_type_ in ("GPE", "LOC", "FAC")]
            roles["target"] = [t for t in roles["target"] if t not in places]
            roles["location"] = places + roles["location"]
        self.actors.political_target = etype not in ("ASSAULT", "COERCE", "PROTEST", "MOBILIZE")
        args = self.arguments(c, roles, symmetric)
        only = {r: [] for r in roles}
        if not any(a.role == "target" for a in args) and roles["content"]:
            for a in self.arguments(c, {**only, "target": roles["content"]}, False):
                if a.role == "target":
                    a.role = "actor" if symmetric else "target"
                    add_arg(args, a)
        lone_visit = etype == "CONSULT" and sum(1 for a in args if a.role in ("actor", "target")) < 2
        acts_on_place = {etype, f.anchor.etype, *(c.etype for c in f.inner)} & set(self.trig["modifier_is_place"]) or etype == "DEMAND"
        if not any(a.role == "target" for a in args) and (acts_on_place or lone_visit) and roles["location"]:
            # a curfew in Cizre, a protest in Kathmandu: the place's people and authorities are the
            # target; a visit to Amman, refuge sought in Germany: the host
            args.extend(a for a in self.arguments(c, {**only, "target": roles["location"][:1]}, False) if a.role == "target")
        return args

    def admissible(self, f: Frame, etype: str, args: list[ArgRec], symmetric: bool, sent: Span) -> bool:
        """Enough parties for the type and the clause, and a political reading of violent words."""
        parties = [a for a in args if a.role in ("actor", "target")]
        n_actors = sum(1 for a in parties if a.role == "actor")
        if not parties or len(parties) < self.trig["min_parties"].get(etype, 1):
            return False
        if not f.main and not (any(a.role == "actor" and a.label for a in args) and (
                any(a.role == "target" and a.label for a in parties) or (symmetric and n_actors >= 2))):
            return False  # background events (a relative clause, "after ...") need both sides named
        if n_actors == 0 and etype not in ACTORLESS:
            return False
        literal = f.anchor.framed or f.anchor.lemma not in self.trig.words["ambiguous"]
        actors = [Actor(a.name, a.label, a.country, a.sector) for a in parties]
        return political_context(etype, actors, self.register, sentence_signals(sent), literal)

    def arguments(self, c: int, roles: dict[str, list[Token]], symmetric: bool) -> list[ArgRec]:
        """Actor, target and source arguments, coded; an actor is never also the target."""
        args: list[ArgRec] = []
        # targets first, so "he shot Barnes" does not resolve "he" to Barnes
        order = ("actor", "partner", "target", "source") if symmetric else ("target", "partner", "source", "actor")
        unresolved_counterpart = False
        for role in order:
            exclude = frozenset(fold(a.name) for a in args) if role == "actor" and not symmetric else frozenset()
            for t in roles[role]:
                found = self.actors.code(c, t, "actor" if role in ("actor", "partner") else "target", exclude)
                if not found and self.doc.lemma(t) == "counterpart":
                    unresolved_counterpart = True
                for act in found:
                    r = role
                    if symmetric and role in ("partner", "target"):
                        r = "actor"
                    elif role == "partner":
                        r = "target"
                    add_arg(args, ArgRec(r, act.name, act.label, act.country, act.sector))
        if unresolved_counterpart:
            cp = self.refs.counterpart_of({a.name for a in args if a.role == "actor"})
            if cp:
                add_arg(args, ArgRec("actor" if symmetric else "target", cp, "PERSON"))
        if not symmetric:  # "refused a call for its forces": the actor's own are not its target
            actors = {fold(a.name) for a in args if a.role == "actor"}
            args = [a for a in args if a.role == "actor" or fold(a.name) not in actors]
        return args

    def add_object(self, c: int, roles: dict[str, list[Token]], sent: Span, etype: str, args: list[ArgRec]) -> None:
        """The thing an event is about (a weapon system sold, a deal signed)."""
        for t in roles["object"]:
            found = self.refs.refs(c, t, allow_pronoun=False)
            for name, label in sorted(found, key=lambda r: r[1] != "PRODUCT")[:1]:
                if label != "NORP":
                    add_arg(args, ArgRec("object", name, label))
        if etype == "TRADE" and not any(a.role == "object" for a in args):
            for e in self.doc.ents_in(c, sent):
                if e.label_ == "PRODUCT":
                    j = self.mentions.mention_of(c, e[0])
                    if j is not None:
                        add_arg(args, ArgRec("object", self.mentions[j].canon, "PRODUCT"))
                        break

    def add_location(self, c: int, roles: dict[str, list[Token]], args: list[ArgRec]) -> str | None:
        for t in roles["location"]:
            rs = self.refs.refs(c, t, allow_pronoun=False)
            if rs:
                add_arg(args, ArgRec("location", rs[0][0], rs[0][1]))
                return rs[0][0]
        return None


def add_arg(args: list[ArgRec], arg: ArgRec) -> None:
    """Append an argument unless the same role already names the same entity."""
    if not any(a.role == arg.role and fold(a.name) == fold(arg.name) for a in args):
        args.append(arg)


def date_scope(tok: Token, kind: str, a: int, b: int, offset: int) -> tuple[int, int]:
    """Where a trigger's date may be read: the whole sentence for a verb or a noun that is a
    verb's argument ("made the comments on Saturday following his meeting"); only its own
    phrase for a noun nested under another noun ("in connection with Ankara's purchase"),
    which is background, not the sentence's news."""
    if kind != "noun":
        return a, b
    t = tok
    while t.dep_ == "conj" and t.head is not t:
        t = t.head
    h = t.head
    if h.pos_ == "ADP" and h.head is not h:
        h = h.head
    if h is t or h.pos_ in ("VERB", "AUX"):
        return a, b
    return offset + tok.left_edge.idx, offset + tok.right_edge.idx + len(tok.right_edge.text)
