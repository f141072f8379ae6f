"""Argument roles of an event frame from the dependency parse: tokens, not yet actors.

`RoleFinder.find(frame)` returns the tokens that head the actor, target, partner, object,
source and location phrases of a `modality.Frame`; `actors.ActorCoder` codes them. Beyond the
trigger's own subject and object it reads
* passives ("was attacked by Burundian militiamen") and their participles after a noun;
* prepositional targets and partners ("sanctions on Turkey", "talks with Russia");
* nominal events: a possessor or modifier is the actor ("Ankara's purchase", "US sanctions"),
  a light verb's subject too ("Russia held talks with Turkey"), a governing noun's possessor
  ("the US decision to sanction Turkey");
* the content clause of a demand, threat or promise: its subject is the target when it is not
  the actor ("demanded that the US cancel ..."), else its object or prepositional target
  ("threatened to cut off electricity to Nakhichevan");
* a reported obligation: the speaker is the actor, the obliged the target.
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from tasks.events.modality import Frame
from tasks.events.triggers import TriggerLexicon
from tasks.nlp.document import ParsedText
from tasks.nlp.entities import Lexicon

PLACE_LABELS = {"GPE", "LOC", "FAC", "EVENT"}
PLACE_WORDS = re.compile(r"\b(conference|summit|forum|meeting|talks|assembly)\b", re.I)
ROLES = ("actor", "target", "partner", "object", "source", "location", "content")
NOT_PARTIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY", "PRODUCT", "LAW", "WORK_OF_ART"}
OWN_FORCES_TYPES = {"RETREAT", "MOBILIZE", "AID"}
# Types whose "from" phrase names the party acted on ("confiscated weapons from armed groups",
# "withdrew from Lebanon", "evacuated the wounded from Gorazde"); for TRADE it is the seller.
FROM_TARGET_TYPES = {"COERCE", "RETREAT", "AID", "SANCTION"}
# Types whose "to" phrase is the addressee, not the target ("complained to the UN over Israeli raids").
ADDRESSEE_TYPES = {"ACCUSE", "PROTEST"}
TIME_NOUNS = {"eve", "day", "week", "month", "year", "time", "anniversary", "occasion", "sideline", "sidelines",
              "basis", "behalf", "course", "end", "start", "beginning", "wake", "part", "way", "period", "night", "morning"}
# Nouns after "in" whose object is the target: "in defiance of Chinese authorities", "in protest against X".
STANCE_NOUNS = {"defiance", "protest", "opposition", "response", "retaliation", "solidarity", "support", "favour", "favor"}
DESCENT_PREPS = ("from", "by", "of", "for", "against", "over", "toward", "towards")
PARTY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
PLACE_HEADS = {"town", "city", "village", "region", "province", "district", "capital", "area", "state", "island", "port"}
ABOUT_PREPS = ("over", "about", "for", "of")


def is_product(t: Token) -> bool:
    return t.ent_type_ == "PRODUCT" or any(ch.ent_type_ == "PRODUCT" for ch in t.children if ch.dep_ == "compound")


class RoleFinder:
    """Role phrases of event frames in one document."""

    def __init__(self, doc: ParsedText, lexicon: Lexicon, triggers: TriggerLexicon,
                 things: frozenset[str] = frozenset(), agents: frozenset[str] = frozenset()):
        self.doc = doc
        self.lex = lexicon
        self.trig = triggers
        self.things = things  # heads that never name a party (actors.json "things")
        self.agents = agents  # heads that name one without a name (actors.json agents, places, sectors)

    def find(self, f: Frame) -> dict[str, list[Token]]:
        """Role -> head tokens for the frame `f`."""
        roles: dict[str, list[Token]] = {r: [] for r in ROLES}
        tok, kind, etype = f.tok, f.anchor.kind, f.etype
        if f.mood == "obliged" and f.speaker is not None:
            self.climb_for_actor(f.speaker, "verb", roles)
            if f.obliged is not None:
                roles["target"].extend(ch for ch in f.obliged.children if ch.dep_ in ("nsubj", "nsubjpass"))
            return roles
        self.direct_roles(tok, kind, etype, roles)
        passive = any(ch.dep_ in ("nsubjpass", "auxpass") for ch in tok.children)
        if not roles["actor"] and not passive:  # "he was attacked": no actor, not the clause's subject
            self.climb_for_actor(tok, kind, roles)
        self.content_roles(f, roles)
        for r in ("target", "content"):
            roles[r] = [p for t in roles[r] for p in self.party_heads(t)]
        for c in f.inner:  # "reimposed blockades in the West Bank": the nested noun's place
            if not roles["location"] and c.kind == "noun":
                for ch in c.tok.children:
                    if ch.dep_ == "prep" and ch.lower_ in self.trig["location_preps"]:
                        roles["location"].extend(x for x in ch.children if x.dep_ == "pobj" and x.ent_type_ in PLACE_LABELS)
        if not roles["location"]:
            for t in roles["target"] + roles["partner"]:
                for ch in t.children:
                    if ch.dep_ == "prep" and ch.lower_ in self.trig["location_preps"]:
                        roles["location"].extend(x for x in ch.children if x.dep_ == "pobj" and x.ent_type_ in PLACE_LABELS)
        return roles

    def direct_roles(self, tok: Token, kind: str, etype: str, roles: dict) -> None:
        for ch in tok.children:
            dep = ch.dep_
            if dep == "nsubj" and kind in ("verb", "adj"):
                roles["actor"].append(ch)
            elif dep == "nsubjpass":
                roles["target"].append(ch)
            elif dep == "agent":
                roles["actor"].extend(x for x in ch.children if x.dep_ == "pobj")
            elif dep in ("dobj", "dative"):
                if dep == "dobj" and kind == "verb" and any(x.dep_ == "dative" for x in tok.children):
                    roles["object"].append(ch)  # "give Tanzania a grant": the grant is the object
                elif etype in OWN_FORCES_TYPES and self.doc.lemma(ch) in self.trig.classes["@troops"]:
                    roles["object"].append(ch)  # "withdrew its troops from Lebanon": the troops are the actor's
                else:
                    (roles["object"] if is_product(ch) else roles["target"]).append(ch)
            elif kind == "noun" and dep == "poss":
                roles["actor"].append(ch)
            elif kind == "noun" and dep in ("compound", "amod", "nmod") and ch.i < tok.i and (ch.ent_type_ or ch.lower_ in self.lex.demonyms):
                # "US sanctions": the actor; "Idlib attack": the place
                place = ch.ent_type_ in PLACE_LABELS and etype in self.trig["modifier_is_place"]
                roles["location" if place else "actor"].append(ch)
            elif dep == "prep":
                self.prep_role(ch, kind, etype, roles)
            elif dep in ("acl", "relcl") and ch.pos_ == "VERB" and kind == "noun":
                for g in ch.children:  # "sanctions imposed by the US on Ankara"
                    if g.dep_ == "agent":
                        roles["actor"].extend(x for x in g.children if x.dep_ == "pobj")
                    elif g.dep_ == "prep":
                        self.prep_role(g, "verb", etype, roles)

    def prep_role(self, prep: Token, kind: str, etype: str, roles: dict) -> None:
        p = prep.lower_
        for pobj in prep.children:
            if pobj.dep_ not in ("pobj", "pcomp") or pobj.ent_type_ in NOT_PARTIES:
                continue
            if self.doc.lemma(pobj) in PLACE_HEADS:  # "in the town of Cizre"
                pobj = next((x for of in pobj.children if of.dep_ == "prep" and of.lower_ == "of"
                             for x in of.children if x.dep_ == "pobj"), pobj)
            if self.doc.lemma(pobj) in ("sideline", "sidelines", "margin", "margins"):
                for of in pobj.children:
                    roles["location"].extend(x for x in of.children if x.dep_ == "pobj")
                continue
            is_place = pobj.ent_type_ in PLACE_LABELS or (pobj.ent_type_ == "ORG" and PLACE_WORDS.search(pobj.text))
            if p == "by":
                roles["actor"].append(pobj)
            elif p in self.trig["partner_preps"]:
                roles["partner"].append(pobj)
            elif p in self.trig["location_preps"] and is_place and not (etype == "CONSULT" and p == "to"):
                roles["location"].append(pobj)
            elif p in self.trig["source_preps"].get(etype, []):
                roles["source"].append(pobj)
            elif p == "from" and etype in FROM_TARGET_TYPES:
                roles["target"].append(pobj)
            elif p == "to" and etype in ADDRESSEE_TYPES:
                continue
            elif p == "in" and self.doc.lemma(pobj) in STANCE_NOUNS:
                roles["target"].extend(self.party_heads(pobj))
            elif p == "of" and kind == "noun":
                (roles["object"] if is_product(pobj) or etype == "TRADE" else roles["target"]).append(pobj)
            elif p in ("for", "over") and is_product(pobj):
                roles["object"].append(pobj)
            elif p in self.trig["target_preps"] and not (p in self.trig["location_preps"] and is_place and etype not in ("ASSAULT", "CONSULT")):
                roles["target"].append(pobj)

    def party_heads(self, tok: Token, depth: int = 2) -> list[Token]:
        """The parties a target phrase names: itself when it may be one; for a thing, a demand
        or a decision, whose it is ("rejected Saddam Hussein's proposal", "rejected calls by
        Kofi Annan", "an offer from Afghanistan", "the computers of South Korean officers")."""
        if self.could_be_party(tok):
            return [tok]
        if depth == 0 or self.doc.lemma(tok) in TIME_NOUNS or tok.pos_ not in ("NOUN", "PROPN", "ADJ"):
            return []
        # "their disapproval for ...": a possessive pronoun is the actor's own, not whose the thing is
        out = [ch for ch in tok.children if (ch.dep_ == "poss" and ch.pos_ != "PRON") or (
            ch.dep_ in ("compound", "nmod", "amod") and ch.ent_type_ in PARTY_LABELS)]
        if out:
            return [p for x in out for p in self.party_heads(x, 0)] or out
        for ch in tok.children:
            preps = [ch] if ch.dep_ in ("prep", "agent") else [g for g in ch.children if g.dep_ == "agent"] if ch.dep_ == "acl" else []
            for pr in preps:  # "an offer from Afghanistan", "crimes committed by Croat forces"
                if pr.dep_ == "agent" or pr.lower_ in DESCENT_PREPS:
                    for x in pr.children:
                        if x.dep_ == "pobj":
                            out.extend(self.party_heads(x, depth - 1))
        return out

    def could_be_party(self, tok: Token) -> bool:
        """Whether a phrase head may name a party: a named entity, a pronoun, or a common noun
        for an agent, a group of people or a place (not a date, a number, a weapon, a thing)."""
        if tok.ent_type_ in NOT_PARTIES:
            return False
        if tok.ent_type_ or tok.pos_ in ("PROPN", "PRON"):
            return True
        lemma = self.doc.lemma(tok)
        if lemma in self.things or lemma in TIME_NOUNS:
            return False
        return lemma in self.agents or any(ch.ent_type_ in ("NORP", "GPE") for ch in tok.children if ch.i < tok.i)

    def content_roles(self, f: Frame, roles: dict) -> None:
        """Targets from the content clause of a demand, threat, promise or nested trigger, kept
        apart (role "content"): the extractor uses them when the trigger's own slots name none."""
        tok = f.tok
        comps = [ch for ch in tok.children if ch.dep_ in ("xcomp", "ccomp", "acl") or (ch.dep_ == "advcl" and any(
            x.dep_ == "aux" and x.lower_ == "to" for x in ch.children))]
        for c in f.inner:
            if c.tok not in comps and c.tok is not tok:
                comps.append(c.tok)
        for ch in tok.children:  # "accused X of violating", "protest against Sweden's decision"
            if ch.dep_ == "prep" and ch.lower_ in ABOUT_PREPS + ("against",):
                comps.extend(x for x in ch.children if x.dep_ in ("pcomp", "pobj"))
        for x in [tok, *comps]:  # "threatened to strike unless Israel rescinded ...": Israel
            for ch in x.children:
                if ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in ch.children):
                    comps.insert(0, ch)
        actors = set(t.i for t in roles["actor"])
        types = {c.tok.i: c.etype for c in f.inner}
        queue = list(comps)
        seen: set[int] = set()
        while queue:
            comp = queue.pop(0)
            if comp.i in seen:
                continue
            seen.add(comp.i)
            subj = [ch for ch in comp.children if ch.dep_ in ("nsubj", "nsubjpass")]
            if subj and not actors & {s.i for s in subj} and subj[0].tag_ not in ("PRP", "PRP$", "WDT", "WP") and self.could_be_party(subj[0]):
                roles["content"].extend(subj)
                return
            sub: dict[str, list[Token]] = {r: [] for r in ROLES}
            kind = "noun" if comp.pos_ in ("NOUN", "PROPN") else "verb"
            ctype = types.get(comp.i, f.etype)
            self.direct_roles(comp, kind, ctype, sub)
            if kind == "noun":
                sub["target"].extend(x for x in sub["actor"] if x.i not in actors and x.ent_type_)
            for r in ("target", "partner"):
                got = [p for x in sub[r] if x.i not in actors for p in self.party_heads(x) if p.i not in actors]
                if got:
                    roles["content"].extend(got)
                    return
            # the object is a thing ("continue military aid to Mozambique"): read its own phrase
            queue.extend(x for x in sub["target"] + sub["object"] if x.pos_ in ("NOUN", "PROPN"))
            queue.extend(ch for ch in comp.children if ch.dep_ in ("xcomp", "ccomp"))
            if sub["object"] and not roles["object"]:
                roles["object"].extend(sub["object"])

    def climb_for_actor(self, tok: Token, kind: str, roles: dict) -> None:
        """An actor from the governing clause: "X, after meeting Y", "X held talks with Y",
        "X visited Moscow for talks", "X, who met Y", "X is willing to", "the US decision to"."""
        h = tok
        if kind == "noun":
            if tok.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and tok.head.pos_ in ("VERB", "AUX"):
                h = tok.head
                if tok.dep_ == "dobj" and self.trig.lemma(self.doc, h) not in self.trig.words["light_verbs"] | self.lex.light_verbs:
                    return
            elif tok.dep_ == "pobj" and tok.head.lower_ in ("for", "during", "at", "in", "on") and tok.head.head.pos_ == "VERB":
                # "visited Moscow for talks", "killed in an attack"; not "after the invasion": whoever
                # acts in the main clause did not necessarily do what came before
                h = tok.head.head
            else:
                return
            for ch in h.children:
                if ch.dep_ == "prep" and ch.lower_ in self.trig["target_preps"] and not roles["target"]:
                    roles["target"].extend(x for x in ch.children if x.dep_ == "pobj")
                elif ch.dep_ == "prep" and ch.lower_ in self.trig["partner_preps"]:
                    roles["partner"].extend(x for x in ch.children if x.dep_ == "pobj")
                elif ch.dep_ == "dative" and not roles["target"]:
                    roles["target"].append(ch)
                elif ch.dep_ == "prep" and ch.lower_ in self.trig["location_preps"] and not roles["location"]:
                    roles["location"].extend(x for x in ch.children if x.dep_ == "pobj" and x.ent_type_ in PLACE_LABELS)
        for _ in range(5):
            subj = [t for t in h.children if t.dep_ in ("nsubj", "agent")]
            if subj:
                t = subj[0]
                if t.dep_ == "agent":
                    roles["actor"].extend(x for x in t.children if x.dep_ == "pobj")
                elif t.tag_ in ("WP", "WDT") and h.dep_ == "relcl":
                    roles["actor"].append(h.head)
                else:
                    roles["actor"].append(t)
                return
            if h.pos_ in ("NOUN", "PROPN") and h is not tok:  # "the US decision to sanction Turkey"
                mods = [t for t in h.children if t.dep_ == "poss" or (t.dep_ in ("compound", "amod", "nmod") and t.ent_type_)]
                if mods:
                    roles["actor"].extend(mods[:1])
                    return
            if h.dep_ in ("xcomp", "advcl", "conj", "pcomp", "relcl", "acl", "acomp", "ccomp") and h.head is not h:
                if h.dep_ == "relcl":
                    roles["actor"].append(h.head)
                    return
                if h.dep_ == "ccomp" and self.trig.lemma(self.doc, h.head) in self.trig.words["speech_verbs"]:
                    return  # "X said [Y attacked]": the speaker is not the actor
                h = h.head
                if h.dep_ == "prep" or h.pos_ == "ADP":
                    h = h.head
            elif h.dep_ == "dobj" and h.head is not h and h.pos_ in ("NOUN", "PROPN"):
                h = h.head
            else:
                return
