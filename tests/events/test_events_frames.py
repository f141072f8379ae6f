"""Events on hand-annotated parses (no trained model): what a sentence asserts, who does it to whom.

Each parse is written out token by token ("pos dep head lemma"), so a rule is tested on exactly
the structure it reads; see tests/nlp/nlp_support.py.
"""
from datetime import datetime

from tests.nlp.nlp_support import annotated, extract


def events(doc, **kw):
    return extract(doc, **kw).events


def args(ev, role):
    return sorted(a.name for a in ev.args if a.role == role)


def test_a_demand_is_one_event_whose_target_is_the_subject_of_its_content():
    # The PRC demanded that the US cancel the sale.
    parse = ["DET det 1 the", "PROPN nsubj 2 PRC", "VERB ROOT 2 demand", "SCONJ mark 6 that", "DET det 5 the",
             "PROPN nsubj 6 US", "VERB ccomp 2 cancel", "DET det 8 the", "NOUN dobj 6 sale", "PUNCT punct 2 ."]
    doc = annotated("The PRC demanded that the US cancel the sale.", parse, ents=[(1, 2, "GPE"), (5, 6, "GPE")])
    (ev,) = events(doc)
    assert ev.event_type == "DEMAND" and ev.mood == "realis"
    assert args(ev, "actor") == ["China"] and args(ev, "target") == ["United States"]
    assert [(a.country, a.sector) for a in ev.args if a.role == "target"] == [("USA", None)]


def test_an_announced_cooperative_act_is_agree_and_a_hostile_one_threaten():
    # Finland will give Tanzania aid. / Iran threatened to shell Iraqi towns.
    give = ["PROPN nsubj 2 Finland", "AUX aux 2 will", "VERB ROOT 2 give", "PROPN dative 2 Tanzania", "NOUN dobj 2 aid",
            "PUNCT punct 2 ."]
    (ev,) = events(annotated("Finland will give Tanzania aid.", give, ents=[(0, 1, "GPE"), (3, 4, "GPE")]))
    assert (ev.event_type, ev.mood) == ("AGREE", "intent")
    assert args(ev, "actor") == ["Finland"] and args(ev, "target") == ["Tanzania"]
    shell = ["PROPN nsubj 1 Iran", "VERB ROOT 1 threaten", "PART aux 3 to", "VERB xcomp 1 shell", "ADJ amod 5 iraqi",
             "NOUN dobj 3 town", "PUNCT punct 1 ."]
    (ev,) = events(annotated("Iran threatened to shell Iraqi towns.", shell, ents=[(0, 1, "GPE"), (4, 5, "NORP")]))
    assert ev.event_type == "THREATEN" and "shell" in ev.evidence
    assert args(ev, "actor") == ["Iran"] and [a.country for a in ev.args if a.role == "target"] == ["IRQ"]


def test_a_refused_cooperation_is_reject_and_a_denied_attack_no_event():
    # Yemen refused to release the prisoners. / Russia did not attack Georgia.
    refuse = ["PROPN nsubj 1 Yemen", "VERB ROOT 1 refuse", "PART aux 3 to", "VERB xcomp 1 release", "DET det 5 the",
              "NOUN dobj 3 prisoner", "PUNCT punct 1 ."]
    (ev,) = events(annotated("Yemen refused to release the prisoners.", refuse, ents=[(0, 1, "GPE")]))
    assert ev.event_type == "REJECT" and args(ev, "actor") == ["Yemen"]
    denied = ["PROPN nsubj 3 Russia", "AUX aux 3 do", "PART neg 3 not", "VERB ROOT 3 attack", "PROPN dobj 3 Georgia",
              "PUNCT punct 3 ."]
    assert events(annotated("Russia did not attack Georgia.", denied, ents=[(0, 1, "GPE"), (4, 5, "GPE")])) == []


def test_a_reported_obligation_is_a_demand_by_the_speaker_on_the_obliged():
    # Russia said Sudan must return the helicopter.
    parse = ["PROPN nsubj 1 Russia", "VERB ROOT 1 say", "PROPN nsubj 4 Sudan", "AUX aux 4 must", "VERB ccomp 1 return",
             "DET det 6 the", "NOUN dobj 4 helicopter", "PUNCT punct 1 ."]
    (ev,) = events(annotated("Russia said Sudan must return the helicopter.", parse, ents=[(0, 1, "GPE"), (2, 3, "GPE")]))
    assert (ev.event_type, ev.mood) == ("DEMAND", "obliged")
    assert args(ev, "actor") == ["Russia"] and args(ev, "target") == ["Sudan"]


def test_a_pronoun_subject_of_a_reported_promise_is_the_speaker():
    # Hungary said it will support the resolution.
    parse = ["PROPN nsubj 1 Hungary", "VERB ROOT 1 say", "PRON nsubj 4 it", "AUX aux 4 will", "VERB ccomp 1 support",
             "DET det 6 the", "NOUN dobj 4 resolution", "PUNCT punct 1 ."]
    (ev,) = events(annotated("Hungary said it will support the resolution.", parse, ents=[(0, 1, "GPE")]))
    assert ev.event_type == "AGREE" and args(ev, "actor") == ["Hungary"]
    assert args(ev, "target") == []  # a resolution is not a party: no target rather than a guess


def test_actor_country_and_sector_from_the_phrase_and_places_are_never_actors():
    # Turkish police arrested protesters in Ankara.
    parse = ["ADJ amod 1 turkish", "NOUN nsubj 2 police", "VERB ROOT 2 arrest", "NOUN dobj 2 protester", "ADP prep 2 in",
             "PROPN pobj 4 Ankara", "PUNCT punct 2 ."]
    (ev,) = events(annotated("Turkish police arrested protesters in Ankara.", parse, ents=[(0, 1, "NORP"), (5, 6, "GPE")]))
    assert ev.event_type == "COERCE"
    (actor,) = [a for a in ev.args if a.role == "actor"]
    assert (actor.name, actor.country, actor.sector) == ("Turkey", "TUR", "COP")
    assert [(a.name, a.sector) for a in ev.args if a.role == "target"] == [("protesters", "CVL")]
    # Sochi hosted talks. -> a place does not act: no event without a party
    parse = ["PROPN nsubj 1 Sochi", "VERB ROOT 1 host", "NOUN dobj 1 talk", "PUNCT punct 1 ."]
    assert events(annotated("Sochi hosted talks.", parse, ents=[(0, 1, "GPE")])) == []


def test_violent_words_in_sport_are_no_events():
    text = ("Chelsea attacked the goal again. The striker scored twice in the league match and the coach praised "
            "the squad before the cup final.")
    parse = ["PROPN nsubj 1 Chelsea", "VERB ROOT 1 attack", "DET det 3 the", "NOUN dobj 1 goal", "ADV advmod 1 again",
             "PUNCT punct 1 .",
             "DET det 7 the", "NOUN nsubj 8 striker", "VERB ROOT 8 score", "ADV advmod 8 twice", "ADP prep 8 in",
             "DET det 13 the", "NOUN compound 13 league", "NOUN pobj 10 match", "CCONJ cc 8 and",
             "DET det 16 the", "NOUN nsubj 17 coach", "VERB conj 8 praise", "DET det 19 the", "NOUN dobj 17 squad",
             "ADP prep 17 before", "DET det 23 the", "NOUN compound 23 cup", "NOUN pobj 20 final", "PUNCT punct 8 ."]
    doc = annotated(text, parse, ents=[(0, 1, "ORG")], sent_starts=[0, 6])
    assert not [e for e in events(doc) if e.event_type in ("ASSAULT", "THREATEN", "COERCE", "MOBILIZE")]
    # the same words about states are an attack
    parse = ["PROPN nsubj 1 Russia", "VERB ROOT 1 attack", "PROPN dobj 1 Georgia", "ADV advmod 1 again", "PUNCT punct 1 ."]
    (ev,) = events(annotated("Russia attacked Georgia again.", parse, ents=[(0, 1, "GPE"), (2, 3, "GPE")]))
    assert ev.event_type == "ASSAULT" and args(ev, "target") == ["Georgia"]


def test_dates_come_from_the_sentence_else_from_publication():
    parse = ["PROPN nsubj 1 Israel", "VERB ROOT 1 arrest", "NUM nummod 3 20", "NOUN dobj 1 Palestinian", "ADP prep 1 on",
             "PROPN pobj 4 Tuesday", "PUNCT punct 1 ."]
    doc = annotated("Israel arrested 20 Palestinians on Tuesday.", parse, ents=[(0, 1, "GPE"), (3, 4, "NORP")])
    (ev,) = events(doc, published_at=datetime(2005, 3, 3))
    assert (ev.date.year, ev.date.month, ev.date.day, ev.date_source) == (2005, 3, 1, "text")
    parse = parse[:4] + ["PUNCT punct 1 ."]
    doc = annotated("Israel arrested 20 Palestinians.", parse, ents=[(0, 1, "GPE"), (3, 4, "NORP")])
    (ev,) = events(doc, published_at=datetime(2005, 3, 3))
    assert (ev.date.year, ev.date.month, ev.date.day, ev.date_source) == (2005, 3, 3, "published")
    (ev,) = events(doc)
    assert ev.date is None and ev.date_source is None


def test_an_arms_sale_is_trade_only_with_a_weapon_and_ordinary_commerce_no_event():
    parse = ["PROPN nsubj 1 Russia", "VERB ROOT 1 sell", "PROPN dobj 1 S-400", "ADP dative 1 to", "PROPN pobj 3 Turkey",
             "PUNCT punct 1 ."]
    (ev,) = events(annotated("Russia sold S-400 to Turkey.", parse, ents=[(0, 1, "GPE"), (2, 3, "PRODUCT"), (4, 5, "GPE")]))
    assert ev.event_type == "TRADE" and args(ev, "object") == ["S-400"]
    parse = ["PROPN nsubj 1 Amazon", "VERB ROOT 1 sell", "NOUN dobj 1 book", "PUNCT punct 1 ."]
    assert events(annotated("Amazon sold books.", parse, ents=[(0, 1, "ORG")])) == []


def test_a_nominal_decision_gives_its_possessor_as_actor():
    # the US decision to sanction Turkey
    parse = ["DET det 2 the", "PROPN compound 2 US", "NOUN ROOT 2 decision", "PART aux 4 to", "VERB acl 2 sanction",
             "PROPN dobj 4 Turkey"]
    (ev,) = events(annotated("the US decision to sanction Turkey", parse, ents=[(1, 2, "GPE"), (5, 6, "GPE")]))
    assert ev.event_type == "SANCTION"
    assert args(ev, "actor") == ["United States"] and args(ev, "target") == ["Turkey"]
