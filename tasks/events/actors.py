"""Actors as PLOVER codes them: an entity, its country (ISO-3166 alpha-3) and its sector.

`ActorCoder.code(c, tok, role)` turns the phrase headed by `tok` (an actor or target slot found
by `roles.RoleFinder`) into `Actor`s:
* a named entity keeps its canonical name; its country comes from the name itself (a country,
  a capital or seat of government used as an actor), a demonym or possessor in the phrase
  ("Turkish Foreign Minister Mevlut Cavusoglu", "Nicaragua's government") or the words the
  document uses to describe a person ("the Russian foreign minister"); IGOs and NGOs are
  coded as such instead of a country;
* a phrase without a name but headed by an agent noun ("Israeli soldiers", "Demonstrators in
  Baghdad", "a human rights group") is coded by its country and sector; it names the country
  when it has one, else it stays a description without an entity;
* a place is never an actor (a target may be one: "shelled Iraqi towns"), nor a treaty, a
  weapon or any other thing;
* a pronoun subject takes its antecedent: the speaker of "X said it would ...", else the
  nearest preceding subject that fits it.
The sector vocabulary is data (`actors.json`, after the CAMEO actor codebook's sector codes).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from tasks.nlp.coref import References
from tasks.nlp.countries import countries
from tasks.nlp.document import ParsedText
from tasks.nlp.entities import Lexicon, fold
from tasks.nlp.mentions import MentionIndex

DATA = Path(__file__).with_name("actors.json")
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "we", "us", "our"}
SINGULAR_PRONOUNS = {"he", "him", "his", "she", "her", "it", "its"}
THING_LABELS = {"PRODUCT", "LAW", "WORK_OF_ART", "EVENT", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL", "LANGUAGE"}
PLACE_LABELS = {"LOC", "FAC"}
STATE_SECTORS = {"GOV", "MIL", "COP", "LEG", "JUD"}  # agents through which a state acts
QUANTITY_HEADS = {"thousand", "hundred", "dozen", "million", "score", "number", "group", "crowd", "handful"}


@dataclass(frozen=True)
class Actor:
    """An actor or target: name, entity label ("" for a description), country code, sector."""

    name: str
    label: str
    country: str | None = None
    sector: str | None = None

    @property
    def is_entity(self) -> bool:
        return bool(self.label)


@functools.lru_cache(maxsize=1)
def actor_table() -> dict:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    data["sector_of"] = {}
    for sector in reversed(data["sector_precedence"]):  # earlier sectors win
        for w in data["sectors"][sector]:
            data["sector_of"][w] = sector
    data["title_of"] = {w: s for s, ws in data["person_titles"].items() for w in ws}
    data["intl"] = {w: k for k, ws in data["international"].items() for w in ws}
    data["things"] = frozenset(data["things"])
    data["places"] = frozenset(data["places"])
    data["agents"] = frozenset(data["generic_agents"])
    return data


def country_code(word: str | None) -> str | None:
    """The ISO code a country name, demonym or capital/seat of government stands for."""
    if not word:
        return None
    t = countries()
    return t.code(word) or t.demonym_code(word) or t.metonym_code(word)


class ActorCoder:
    """Codes the actor and target phrases of one document."""

    def __init__(self, doc: ParsedText, mentions: MentionIndex, refs: References, lexicon: Lexicon):
        self.doc = doc
        self.mentions = mentions
        self.refs = refs
        self.lex = lexicon
        self.t = actor_table()
        # whether a capital named as target stands for its government ("sanctions on Ankara") or
        # for the city ("bombs in Kabul"); set per event by the extractor
        self.political_target = True

    # -- sectors and countries --------------------------------------------------------------
    def sector_of_words(self, words: list[str]) -> str | None:
        found = [self.t["sector_of"][w] for w in words if w in self.t["sector_of"]]
        for s in self.t["sector_precedence"]:
            if s in found:
                return s
        return None

    def phrase_sector(self, tok: Token) -> str | None:
        """The sector the head noun names ("Israeli soldiers" -> MIL), else one its modifiers
        name when the head is an agent noun ("riot police", "opposition groups")."""
        head = self.sector_of_words([self.doc.lemma(tok), tok.lower_])
        if head and head not in ("NGO", "CVL", "GOV"):
            return head
        if self.doc.lemma(tok) not in self.t["agents"] and not head:
            return None
        mods = [fold(ch.text) for ch in tok.children if ch.dep_ in ("compound", "amod", "nmod") and ch.i < tok.i]
        return self.sector_of_words(mods) or head

    def title_sector(self, words: set[str]) -> str | None:
        """A person's sector from the title words the document gives them: the longest title
        that matches ("defence secretary" is GOV, "general" MIL)."""
        best, size = None, 0
        for title, sec in self.t["title_of"].items():
            parts = title.split()
            if len(parts) > size and all(w in words for w in parts):
                best, size = sec, len(parts)
        return best

    def phrase_countries(self, c: int, tok: Token) -> list[str]:
        """Countries the phrase headed by `tok` names in its modifiers: demonyms (with their
        conjuncts: "Hungarian and Romanian officials"), possessors, "in/of/from" places."""
        codes: list[str] = []
        mods = [ch for ch in tok.children if ch.dep_ in ("amod", "compound", "nmod", "poss") and ch.i < tok.i]
        for m in list(mods):
            mods.extend(m.conjuncts)
        for ch in tok.children:
            if ch.dep_ == "prep" and ch.lower_ in ("in", "of", "from"):
                for x in ch.children:
                    if x.dep_ == "pobj":
                        mods.append(x)
                        mods.extend(g for g in x.children if g.dep_ in ("amod", "compound", "poss"))
        for m in mods:
            if m.ent_type_ in ("GPE", "NORP") or m.pos_ in ("ADJ", "PROPN"):
                idx = self.mentions.mention_of(c, m)
                text = self.mentions[idx].canon if idx is not None else m.text
                code = country_code(text) or country_code(m.text)
                if code and code not in codes:
                    codes.append(code)
        return codes

    def person_country(self, canon: str) -> str | None:
        for w in sorted(self.mentions.words_by_canon.get(fold(canon), ())):
            code = countries().demonym_code(w) or countries().code(w)
            if code:
                return code
        return None

    # -- coding -----------------------------------------------------------------------------
    def code(self, c: int, tok: Token, role: str, exclude: frozenset[str] = frozenset()) -> list[Actor]:
        """The actors the phrase headed by `tok` names (its conjuncts included)."""
        out: list[Actor] = []
        for t in [tok, *tok.conjuncts]:
            for a in self.code_one(c, t, role, exclude):
                if not any(fold(a.name) == fold(b.name) for b in out):
                    out.append(a)
        return out

    def code_one(self, c: int, tok: Token, role: str, exclude: frozenset[str]) -> list[Actor]:
        lemma = self.doc.lemma(tok)
        low = tok.lower_
        if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$"):
            ante = self.antecedent(tok)
            if ante is not None and ante is not tok:
                return self.code_one(c, ante, role, exclude)
            if low in PLURAL_PRONOUNS or low not in SINGULAR_PRONOUNS:
                return []
        if not tok.ent_type_ and (lemma in self.t["things"] or (lemma in self.t["places"] and role == "actor")):
            return []
        sector = self.phrase_sector(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        phrase_codes = self.phrase_countries(c, tok)
        out: list[Actor] = []
        head_mention = self.mentions.mention_of(c, tok)
        if tok.ent_type_ == "NORP" and any(ch.lower_ == "ethnic" for ch in tok.children):
            return [Actor(self.description(tok), "", None, "CVL")]  # "ethnic Albanians": a people, not a state
        if head_mention is None and lemma in self.t["agents"] and phrase_codes and any(
                ch.dep_ == "prep" and ch.lower_ == "of" for ch in tok.children):
            # "the president of Armenia": the country's office, not the last person named
            return [Actor(countries().name(code) or code, "GPE", code, sector) for code in phrase_codes]
        of = [x for ch in tok.children if ch.dep_ == "prep" and ch.lower_ == "of" for x in ch.children if x.dep_ == "pobj"]
        if head_mention is None and lemma in QUANTITY_HEADS and of:  # "thousands of Nigerians"
            return self.code_one(c, of[0], role, exclude)
        found = self.refs.refs(c, tok, exclude=exclude)
        if head_mention is None and phrase_codes and lemma in self.t["agents"] and sector not in STATE_SECTORS:
            found = [r for r in found if r[1] not in ("GPE", "NORP")]  # "Rwandan rebels": a group with a country, not the state
        if head_mention is not None and role == "actor":
            found = found[:1]  # "Israel's Cabinet": Israel is the Cabinet's country, not a second actor
        if head_mention is None and phrase_codes and lemma in self.t["agents"] and any(l == "PERSON" for _, l in found):
            # "the Turkish president" read as the last person named: only if that person is Turkish
            found = [r for r in found if r[1] != "PERSON" or self.person_country(r[0]) == phrase_codes[0]]
            if not found and sector in STATE_SECTORS:
                return [Actor(countries().name(code) or code, "GPE", code, sector) for code in phrase_codes[:1]]
        for name, label in found:
            a = self.entity_actor(name, label, role, sector if head_mention is None else None, phrase_codes, head_mention is not None)
            if a is not None:
                out.append(a)
        if out:
            return out
        if lemma in self.t["agents"] or (sector and tok.pos_ == "NOUN") or (phrase_codes and tok.pos_ == "NOUN") or (
                lemma in self.t["places"] and role == "target"):
            text = self.description(tok)
            if phrase_codes and (sector in STATE_SECTORS or (sector is None and lemma in self.t["places"])):
                # "Israeli soldiers", "Turkish authorities": the state acting through its agents
                return [Actor(countries().name(code) or code, "GPE", code, sector) for code in phrase_codes]
            if phrase_codes:  # "Afghan rebels", "Russian civilian advisers": a group, with its country
                return [Actor(text, "", code, sector) for code in phrase_codes[:1]]
            if lemma in self.t["places"] and role == "target" and text != tok.text:
                return [Actor(text, "", None, None)]  # "settlements in the Gaza Strip"
            intl = self.t["intl"].get(fold(text))
            if intl:
                return [Actor(text, "", None, intl)]
            return [Actor(text, "", None, sector)] if sector or lemma in self.t["agents"] else []
        return []

    def entity_actor(self, name: str, label: str, role: str, sector: str | None, phrase_codes: list[str], is_head: bool) -> Actor | None:
        key = fold(name)
        intl = self.t["intl"].get(key)
        if intl:
            return Actor(name, label, None, intl)
        if label in THING_LABELS:
            return None
        tab = countries()
        if label in ("GPE", "NORP", "LOC", "FAC", "ORG"):
            code = tab.code(name)
            if code:  # a country: its canonical name
                return Actor(tab.name(code) or name, "GPE", code, sector)
            if label == "NORP" or (label not in ("GPE",) and tab.demonym_code(name)):
                code = tab.demonym_code(name) or country_code(name)
                if code:
                    return Actor(tab.name(code) or name, "GPE", code, sector)
                return Actor(name, label, None, sector or "CVL") if label == "NORP" and is_head else None
            metonym = tab.metonym_code(name)
            if metonym and (role == "actor" or self.political_target):
                # "Moscow and Ankara signed", "the Kremlin said", "sanctions on Ankara"
                return Actor(tab.name(metonym) or name, "GPE", metonym, sector or "GOV")
            if label in PLACE_LABELS or label == "GPE":
                if role == "actor" and label in PLACE_LABELS:
                    return None
                return Actor(name, label, metonym or (phrase_codes[0] if phrase_codes else None), sector)
        if label == "PERSON":
            words = self.mentions.words_by_canon.get(key, set())
            code = (phrase_codes[0] if phrase_codes else None) or self.person_country(name)
            return Actor(name, label, code, self.title_sector(set(words)) or sector)
        if label == "ORG":
            words = [w for w in fold(name).replace("-", " ").split()]
            own = self.sector_of_words(words)
            code = (phrase_codes[0] if phrase_codes else None) or next((country_code(w) for w in words if country_code(w)), None)
            return Actor(name, label, code, own or sector)
        return Actor(name, label, phrase_codes[0] if phrase_codes else None, sector)

    def description(self, tok: Token) -> str:
        """A generic actor's words: the head with its compounds and adjectives, no articles or
        numbers, and the place it is from ("Demonstrators in Baghdad", "police in Jericho")."""
        keep = [t for t in tok.subtree if t.i <= tok.i and t.dep_ in ("compound", "amod", "nmod") and t.head.i == tok.i]
        words = [t.text for t in sorted(keep + [tok], key=lambda t: t.i) if not t.like_num]
        for ch in tok.children:
            if ch.dep_ == "prep" and ch.lower_ in ("in", "of", "from"):
                place = [x for x in ch.children if x.dep_ == "pobj" and x.ent_type_ in ("GPE", "LOC")]
                if place:
                    span = tok.doc[place[0].left_edge.i:place[0].right_edge.i + 1]
                    words += [ch.text, span.text]
                    break
        return " ".join(words)

    # -- pronouns ---------------------------------------------------------------------------
    def antecedent(self, tok: Token) -> Token | None:
        """The phrase a pronoun subject stands for: the speaker of "X said it would ...",
        else (plural pronouns) the nearest preceding subject or conjoined subjects."""
        low = tok.lower_
        t = tok.head
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            t = tok  # a possessive or object pronoun: no speaker rule
        for _ in range(4 if t is not tok else 0):
            if t.dep_ in ("ccomp", "xcomp", "conj", "advcl") and t.head is not t:
                t = t.head
                subj = next((ch for ch in t.children if ch.dep_ in ("nsubj", "nsubjpass") and ch.i < tok.i), None)
                if subj is not None and subj.lower_ not in PLURAL_PRONOUNS | SINGULAR_PRONOUNS:
                    plural = subj.tag_ in ("NNS", "NNPS") or bool(subj.conjuncts)
                    if low in PLURAL_PRONOUNS and not plural and subj.ent_type_ not in ("GPE", "ORG", "NORP"):
                        break
                    if low in ("he", "she", "his", "her", "him") and subj.ent_type_ not in ("PERSON", "") :
                        break
                    if low in ("it", "its") and subj.ent_type_ == "PERSON":
                        break
                    return subj
            else:
                break
        if low not in PLURAL_PRONOUNS:
            return None
        doc = tok.doc
        start = doc[tok.sent.start - 1].sent.start if tok.sent.start > 0 else tok.sent.start
        for j in range(tok.i - 1, start - 1, -1):
            x = doc[j]
            if x.dep_ in ("nsubj", "nsubjpass") and x.lower_ not in PLURAL_PRONOUNS | SINGULAR_PRONOUNS and (
                    x.tag_ in ("NNS", "NNPS") or x.conjuncts or x.ent_type_ in ("GPE", "ORG", "NORP")):
                return x
        return None
