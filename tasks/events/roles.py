"""Argument roles of an event trigger from the dependency parse: tokens, not yet entities.

`RoleFinder.find(tok, kind, etype)` returns the tokens that head the actor, target, partner,
object, source and location phrases of the trigger `tok`; the extractor resolves them to
entities through `tasks.nlp.coref.References`.
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from tasks.nlp.document import ParsedText
from tasks.nlp.entities import Lexicon

PLACE_LABELS = {"GPE", "LOC", "FAC", "EVENT"}
PLACE_WORDS = re.compile(r"\b(conference|summit|forum|meeting|talks|assembly)\b", re.I)
ROLES = ("actor", "target", "partner", "object", "source", "location")


def is_product(t: Token) -> bool:
    return t.ent_type_ == "PRODUCT" or any(ch.ent_type_ == "PRODUCT" for ch in t.children if ch.dep_ == "compound")


class RoleFinder:
    """Role phrases of event triggers in one document."""

    def __init__(self, doc: ParsedText, lexicon: Lexicon, triggers: dict):
        self.doc = doc
        self.lex = lexicon
        self.trig = triggers

    def find(self, tok: Token, kind: str, etype: str) -> dict[str, list[Token]]:
        """Role -> head tokens for the trigger `tok` ("verb" or "noun")."""
        roles: dict[str, list[Token]] = {r: [] for r in ROLES}
        self.direct_roles(tok, kind, etype, roles)
        passive = any(ch.dep_ in ("nsubjpass", "auxpass") for ch in tok.children)
        if not roles["actor"] and not passive:  # "he was attacked": no actor, not the clause's subject
            self.climb_for_actor(tok, kind, roles)
        if not roles["location"]:
            for t in roles["target"] + roles["partner"]:
                for ch in t.children:
                    if ch.dep_ == "prep" and ch.lower_ in self.trig["location_preps"]:
                        roles["location"].extend(x for x in ch.children if x.dep_ == "pobj" and x.ent_type_ in PLACE_LABELS)
        return roles

    def direct_roles(self, tok: Token, kind: str, etype: str, roles: dict) -> None:
        for ch in tok.children:
            dep = ch.dep_
            if dep == "nsubj" and kind == "verb":
                roles["actor"].append(ch)
            elif dep == "nsubjpass":
                roles["target"].append(ch)
            elif dep == "agent":
                roles["actor"].extend(x for x in ch.children if x.dep_ == "pobj")
            elif dep == "dobj":
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
            if pobj.dep_ not in ("pobj", "pcomp"):
                continue
            if self.doc.lemma(pobj) in ("sideline", "sidelines", "margin", "margins"):
                for of in pobj.children:
                    roles["location"].extend(x for x in of.children if x.dep_ == "pobj")
                continue
            is_place = pobj.ent_type_ in PLACE_LABELS or (pobj.ent_type_ == "ORG" and PLACE_WORDS.search(pobj.text))
            if p == "by":
                roles["actor"].append(pobj)
            elif p in self.trig["partner_preps"]:
                roles["partner"].append(pobj)
            elif p in self.trig["location_preps"] and is_place:
                roles["location"].append(pobj)
            elif p in self.trig["source_preps"].get(etype, []):
                roles["source"].append(pobj)
            elif p == "of" and kind == "noun":
                (roles["object"] if is_product(pobj) else roles["target"] if etype != "TRADE" else roles["object"]).append(pobj)
            elif p in ("for", "over") and is_product(pobj):
                roles["object"].append(pobj)
            elif p in self.trig["target_preps"] and not (p in self.trig["location_preps"] and is_place):
                roles["target"].append(pobj)

    def climb_for_actor(self, tok: Token, kind: str, roles: dict) -> None:
        """An actor from the governing clause: "X, after meeting Y", "X held talks with Y",
        "X visited Moscow for talks", "X, who met Y"."""
        h = tok
        if kind == "noun":
            if tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.pos_ == "VERB":
                h = tok.head
                if tok.dep_ == "dobj" and self.doc.lemma(h) not in self.lex.light_verbs:
                    return
            elif tok.dep_ == "pobj" and tok.head.lower_ in ("for", "after", "following", "during", "at") and tok.head.head.pos_ == "VERB":
                h = tok.head.head
            else:
                return
            for ch in h.children:
                if ch.dep_ == "prep" and ch.lower_ in self.trig["target_preps"]:
                    roles["target"].extend(x for x in ch.children if x.dep_ == "pobj")
                elif ch.dep_ == "prep" and ch.lower_ in self.trig["partner_preps"]:
                    roles["partner"].extend(x for x in ch.children if x.dep_ == "pobj")
                elif ch.dep_ == "prep" and ch.lower_ in self.trig["location_preps"] and not roles["location"]:
                    roles["location"].extend(x for x in ch.children if x.dep_ == "pobj" and x.ent_type_ in PLACE_LABELS)
        for _ in range(4):
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
            if h.dep_ in ("xcomp", "advcl", "conj", "pcomp", "relcl", "acl") and h.head is not h:
                if h.dep_ == "relcl":
                    roles["actor"].append(h.head)
                    return
                h = h.head
                if h.dep_ == "prep" or h.pos_ == "ADP":
                    h = h.head
            else:
                return
