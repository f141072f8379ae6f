"""Is a violent or coercive reading political? Register of a document and context of a sentence.

PLOVER's ASSAULT, THREATEN, COERCE and MOBILIZE are acts of political and military actors.
News uses the same words for other things: "a match-winning strike", "Chelsea's main threat",
"attacked Labour's pledges". Two signals decide, both explainable:
* the document's register: the share of its words that belong to sport (or business) reporting
  ("match", "goal", "league", "striker", ...). In a sport document a violent word needs an
  explicitly armed party or weapon in its sentence;
* the sentence's political context: a party coded with a country, a political or armed sector,
  an international organisation, casualties or a weapon.
"""
from __future__ import annotations

from spacy.tokens import Span

VIOLENT = {"ASSAULT", "THREATEN", "COERCE", "MOBILIZE"}
POLITICAL_SECTORS = {"GOV", "MIL", "COP", "REB", "OPP", "LEG", "JUD", "PTY", "IGO", "REF", "CRM"}
ARMED_SECTORS = {"MIL", "COP", "REB", "CRM"}

SPORT_WORDS = frozenset("""
match matches goal goals goalkeeper keeper striker strikers midfielder midfielders defender defenders
league leagues cup cups championship championships tournament tournaments season seasons coach coaches
manager managers squad squads fixture fixtures innings wicket wickets scrum fly-half winger wingers
premiership semi-final semi-finals quarter-final quarter-finals final finals club clubs penalty penalties
referee referees stadium olympic olympics medal medals athlete athletes sprinter sprint marathon tennis
football rugby cricket golf boxing racing race races player players team teams champion champions
title titles seed seeded grand slam set sets tie-break half-time kick-off kick try tries touchdown
relegation promotion transfer scored score scoring unbeaten defeat defeats victory win wins won
opponent opponents captain captains batsman bowler bowling batting inning lap laps podium
""".split())

BUSINESS_WORDS = frozenset("""
shares share market markets profit profits revenue revenues sales investor investors stock stocks
dividend dividends earnings quarter quarterly analyst analysts firm firms company companies chief executive
takeover merger customers consumer consumers retail retailer price prices bid deal deals brand brands
""".split())

WEAPON_WORDS = frozenset("""
bomb bombs missile missiles rocket rockets gun guns rifle rifles artillery mortar mortars grenade grenades
explosive explosives machete machetes tank tanks jet jets warplane warplanes helicopter helicopters gunship
gunships drone drones tear gas bullets shells shell ammunition troops soldiers army military militants rebels
police policemen insurgents guerrillas gunmen militia militiamen weapons weapon arms terrorist terrorists terror
""".split())

CASUALTY_WORDS = frozenset("""
killed killing dead died wounded injured injuring casualties civilians victims bodies hostages prisoners
""".split())


class Register:
    """The register of one document: which share of its words are sport or business words."""

    def __init__(self, words: list[str]):
        n = max(1, len(words))
        self.sport = sum(1 for w in words if w in SPORT_WORDS) / n
        self.business = sum(1 for w in words if w in BUSINESS_WORDS) / n
        self.sport_types = len({w for w in words if w in SPORT_WORDS})

    @classmethod
    def of_chunks(cls, chunks) -> "Register":
        return cls([t.lower_ for _, d in chunks for t in d if t.is_alpha])

    @property
    def is_sport(self) -> bool:
        """At least 1.2% of the words and three different sport words (a war report mentioning
        one "match" or "victory" is not sport)."""
        return self.sport >= 0.012 and self.sport_types >= 3


def sentence_signals(sent: Span) -> dict[str, bool]:
    words = {t.lower_ for t in sent}
    return {"weapon": bool(words & WEAPON_WORDS) or any(e.label_ == "PRODUCT" for e in sent.ents),
            "casualty": bool(words & CASUALTY_WORDS)}


def political_context(etype: str, parties: list, register: Register, signals: dict[str, bool], literal: bool) -> bool:
    """Whether a violent or coercive event reads as political (see the module docstring).
    `parties`: the event's actors and targets (`actors.Actor`); `literal`: the trigger word has
    no everyday or figurative sense, or its frame ruled it out ("killed", "shot three men")."""
    if etype not in VIOLENT:
        return True
    armed = any(a.sector in ARMED_SECTORS for a in parties) or signals["weapon"]
    if register.is_sport:
        return armed
    if literal:
        return True
    political = any(a.country or a.sector in POLITICAL_SECTORS for a in parties)
    return armed or political or signals["casualty"]
