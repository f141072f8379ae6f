"""Event mentions of one document: triggers, their roles resolved to entities, date and place.

`EventExtractor(...).extract()` walks every sentence, asks `TriggerMatcher` whether a token
starts an event, `RoleFinder` for its role phrases and `References` for the entities they name,
and returns one `EventRec` per trigger that has an actor.
"""
from __future__ import annotations

from datetime import datetime

from spacy.tokens import Span, Token

from tasks.events.records import ArgRec, EventRec
from tasks.events.roles import RoleFinder
from tasks.events.triggers import TriggerMatcher
from tasks.nlp.coref import ACTOR_LABELS, References
from tasks.common.dates import DateMention, PartialDate, find_dates, nearest_date, reference_year
from tasks.nlp.document import ParsedText
from tasks.nlp.entities import Lexicon, fold
from tasks.nlp.mentions import MentionIndex


class EventExtractor:
    """The event mentions of one document."""

    def __init__(self, doc: ParsedText, mentions: MentionIndex, refs: References, lexicon: Lexicon,
                 triggers: dict, published_at: datetime | None):
        self.doc = doc
        self.mentions = mentions
        self.refs = refs
        self.lex = lexicon
        self.trig = triggers
        self.matcher = TriggerMatcher(doc, triggers)
        self.roles = RoleFinder(doc, lexicon, triggers)
        ref_year = None if published_at else reference_year(doc.text)
        self.dates: list[DateMention] = find_dates(doc.text, published_at, ref_year)
        # the document's first day-level date (its lead's "on Tuesday"): a hint for undated mentions
        self.context_date: PartialDate | None = next(
            (d.value for d in self.dates if d.value.day is not None or d.value.weekday is not None), None)

    def extract(self) -> list[EventRec]:
        out: list[EventRec] = []
        for c in range(len(self.doc.chunks)):
            for sent in self.doc.sentences(c):
                has_product = any(e.label_ == "PRODUCT" for e in sent.ents)
                for tok in sent:
                    ev = self.matcher.event_at(c, tok, has_product)
                    if ev is None:
                        continue
                    rec = self.event_record(c, tok, sent, *ev)
                    if rec is not None:
                        out.append(rec)
        return out

    def event_record(self, c: int, tok: Token, sent: Span, etype: str, kind: str) -> EventRec | None:
        offset = self.doc.offset(c)
        roles = self.roles.find(tok, kind, etype)
        symmetric = etype in self.trig["symmetric"]
        args = self.arguments(c, roles, symmetric, etype)
        if args is None:
            return None
        self.add_object(c, roles, sent, etype, args)
        location = None
        for t in roles["location"]:
            rs = self.refs.refs(c, t, allow_pronoun=False)
            if rs:
                location = rs[0][0]
                add_arg(args, "location", rs[0][0], rs[0][1])
                break
        a, b = offset + sent.start_char, offset + sent.end_char
        da, db = date_scope(tok, kind, a, b, offset)
        d = nearest_date(self.dates, da, db, offset + tok.idx)
        n_roles = sum(1 for x in args if x.role in ("actor", "target"))
        conf = self.trig["weight"][kind] + 0.1 * min(2, n_roles) + (0.05 if d else 0) + (0.05 if location else 0)
        return EventRec(etype, tok.text, sent.text, a, b, d.value if d else None, location, args,
                        round(min(conf, 0.95), 3), self.context_date)

    def arguments(self, c: int, roles: dict[str, list[Token]], symmetric: bool, etype: str) -> list[ArgRec] | None:
        """Actor, target and source arguments as entities; None when the event has too few actors."""
        args: list[ArgRec] = []
        unresolved_counterpart = False
        # targets first, so "he shot Barnes" does not resolve "he" to Barnes
        for role in ("actor", "partner", "target", "source") if symmetric else ("target", "partner", "source", "actor"):
            exclude = frozenset(fold(a.name) for a in args) if role == "actor" and not symmetric else frozenset()
            for t in roles[role]:
                for t2 in [t, *t.conjuncts]:
                    rs = self.refs.refs(c, t2, exclude=exclude)
                    if not rs and self.doc.lemma(t2) == "counterpart":
                        unresolved_counterpart = True
                    for name, label in rs:
                        if label not in ACTOR_LABELS:
                            continue
                        country = self.lex.country_of(name, label)
                        if label == "NORP" and not country:
                            continue
                        name, label = (country, "GPE") if country else (name, label)
                        r = role
                        if symmetric and role in ("partner", "target"):
                            r = "actor"
                        elif role == "partner":
                            r = "target"
                        add_arg(args, r, name, label)
        if unresolved_counterpart:
            cp = self.refs.counterpart_of({a.name for a in args if a.role == "actor"})
            if cp:
                add_arg(args, "actor" if symmetric else "target", cp, "PERSON")
        actors = {fold(a.name) for a in args if a.role == "actor"}
        if not symmetric:
            actors -= {fold(a.name) for a in args if a.role != "actor"}
            args = [a for a in args if a.role != "actor" or fold(a.name) in actors]
        if not actors or len(actors) < self.trig["min_actors"].get(etype, 1):
            return None
        return args

    def add_object(self, c: int, roles: dict[str, list[Token]], sent: Span, etype: str, args: list[ArgRec]) -> None:
        """The thing an event is about (a weapon system sold, a deal signed)."""
        for t in roles["object"]:
            found = self.refs.refs(c, t, allow_pronoun=False)
            for name, label in sorted(found, key=lambda r: r[1] != "PRODUCT")[:1]:
                if label != "NORP":
                    add_arg(args, "object", name, label)
        if etype == "TRADE" and not any(a.role == "object" for a in args):
            for e in sent.ents:
                if e.label_ == "PRODUCT":
                    j = self.mentions.mention_of(c, e[0])
                    if j is not None:
                        add_arg(args, "object", self.mentions[j].canon, "PRODUCT")
                        break


def add_arg(args: list[ArgRec], role: str, name: str, label: str) -> None:
    """Append an argument unless the same role already names the same entity."""
    if not any(a.role == role and fold(a.name) == fold(name) for a in args):
        args.append(ArgRec(role, name, label))


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
