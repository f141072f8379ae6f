from datetime import datetime

from tasks.nlp import NlpState, ParsedDoc, link_batch
from tasks.common.dates import PartialDate
from tasks.events import ArgRec, EventRec
from tests.nlp.nlp_support import annotated, extract


def roles(ev):
    return sorted((a.role, a.name) for a in ev.args)


def test_passive_voice_agent_is_the_actor():
    # Sanctions were imposed on Turkey by the United States.
    parse = [
        "NOUN nsubjpass 2 sanction", "AUX auxpass 2 be", "VERB ROOT 2 impose", "ADP prep 2 on", "PROPN pobj 3 Turkey",
        "ADP agent 2 by", "DET det 8 the", "PROPN compound 8 United", "PROPN pobj 5 States", "PUNCT punct 2 .",
    ]
    doc = annotated("Sanctions were imposed on Turkey by the United States.", parse, ents=[(4, 5, "GPE"), (7, 9, "GPE")])
    (ev,) = extract(doc).events
    assert ev.event_type == "SANCTION"
    assert roles(ev) == [("actor", "United States"), ("target", "Turkey")]


def test_passive_participle_after_the_noun_and_capital_as_country():
    # the sanctions imposed by the US on Ankara
    parse = [
        "DET det 1 the", "NOUN ROOT 1 sanction", "VERB acl 1 impose", "ADP agent 2 by", "DET det 5 the",
        "PROPN pobj 3 US", "ADP prep 2 on", "PROPN pobj 6 Ankara",
    ]
    doc = annotated("the sanctions imposed by the US on Ankara", parse, ents=[(5, 6, "GPE"), (7, 8, "GPE")])
    (ev,) = extract(doc).events
    assert roles(ev) == [("actor", "United States"), ("target", "Turkey")]


def test_met_with_makes_a_symmetric_consult_with_a_place_and_relative_date():
    # Cavusoglu met with Lavrov in Sochi on Tuesday.
    parse = [
        "PROPN nsubj 1 Cavusoglu", "VERB ROOT 1 meet", "ADP prep 1 with", "PROPN pobj 2 Lavrov", "ADP prep 1 in",
        "PROPN pobj 4 Sochi", "ADP prep 1 on", "PROPN pobj 6 Tuesday", "PUNCT punct 1 .",
    ]
    doc = annotated("Cavusoglu met with Lavrov in Sochi on Tuesday.", parse, ents=[(0, 1, "PERSON"), (3, 4, "PERSON"), (5, 6, "GPE")])
    (ev,) = extract(doc, published_at=datetime(2020, 12, 31, 9, 0)).events
    assert ev.event_type == "CONSULT" and ev.location == "Sochi"
    assert {a.name for a in ev.args if a.role == "actor"} == {"Cavusoglu", "Lavrov"}
    assert ev.date == PartialDate(2020, 12, 29)


def test_noun_trigger_with_light_verb_takes_the_verb_subject_and_demonym_target():
    # The US blacklisted Turkish officials. / Russia held talks with Turkey.
    parse = [
        "PROPN nsubj 2 Russia", "VERB ROOT 2 hold", "NOUN dobj 1 talk", "ADP prep 2 with", "PROPN pobj 3 Turkey", "PUNCT punct 1 .",
    ]
    parse = [p.replace(" 2 hold", " 1 hold") for p in parse]
    parse[0] = "PROPN nsubj 1 Russia"
    doc = annotated("Russia held talks with Turkey.", parse, ents=[(0, 1, "GPE"), (4, 5, "GPE")])
    (ev,) = extract(doc).events
    assert ev.event_type == "CONSULT" and {a.name for a in ev.args} == {"Russia", "Turkey"}


def _doc(doc_id, *events):
    return ParsedDoc(doc_id, None, None, events=list(events))


def _consult(start, date, location=None, actors=("Mevlut Cavusoglu", "Sergei Lavrov")):
    return EventRec("CONSULT", "met", "s", start, start + 1, date, location, [ArgRec("actor", a, "PERSON") for a in actors], 0.8)


def test_mentions_of_one_meeting_merge_across_documents_and_a_different_day_does_not():
    munich = _doc("a", _consult(0, PartialDate(2020, 2, 15)))
    undated_saturday = _doc("b", _consult(5, PartialDate(weekday=5), "Munich", actors=("Sergei Lavrov", "Mevlut Cavusoglu")))
    tuesday = _doc("c", _consult(9, PartialDate(weekday=1)))
    state = NlpState.from_rows({})
    rows = link_batch([munich, undated_saturday, tuesday], state=state)
    by_event = {}
    for m in rows["event_mentions"]:
        by_event.setdefault(m["event_id"], set()).add(m["doc_id"])
    assert sorted(map(sorted, by_event.values())) == [["a", "b"], ["c"]]
    rec = next(r for r in rows["event_records"] if r["event_date"])
    assert str(rec["event_date"]) == "2020-02-15" and rec["date_precision"] == "day" and rec["location"] == "Munich"


def test_state_round_trip_merges_the_next_run_into_the_same_event():
    state = NlpState.from_rows({})
    first = link_batch([_doc("a", _consult(0, PartialDate(2020, 12, 29)))], state=state)
    rows = {
        "entities": first["entities"],
        "entity_aliases": first["entity_aliases"],
        "event_keys": first["nlp_event_keys"],
        "event_arguments": first["event_arguments"],
        "event_mentions": first["event_mentions"],
    }
    again = link_batch([_doc("b", _consult(3, PartialDate(month=12, day=29, weekday=1)))], state=NlpState.from_rows(rows))
    assert again["event_mentions"][0]["event_id"] == first["event_mentions"][0]["event_id"]
    assert again["event_arguments"] == []  # nothing new to say about the actors


def test_a_pronoun_actor_is_not_resolved_to_the_target():
    # Nichols saw Barnes. He shot Barnes.
    parse = [
        "PROPN nsubj 1 Nichols", "VERB ROOT 1 see", "PROPN dobj 1 Barnes", "PUNCT punct 1 .",
        "PRON nsubj 5 he", "VERB ROOT 5 shoot", "PROPN dobj 5 Barnes", "PUNCT punct 5 .",
    ]
    doc = annotated("Nichols saw Barnes. He shot Barnes.", parse, ents=[(0, 1, "PERSON"), (2, 3, "PERSON"), (6, 7, "PERSON")], sent_starts=[0, 4])
    (ev,) = extract(doc).events
    assert ev.event_type == "ASSAULT" and roles(ev) == [("actor", "Nichols"), ("target", "Barnes")]


def test_a_passive_without_agent_has_no_actor_and_a_lone_party_makes_no_meeting():
    # Ortiz went home when he was attacked. Ortiz talked.
    parse = [
        "PROPN nsubj 1 Ortiz", "VERB ROOT 1 go", "ADV advmod 1 home", "ADV advmod 6 when", "PRON nsubjpass 6 he",
        "AUX auxpass 6 be", "VERB advcl 1 attack", "PUNCT punct 1 .", "PROPN nsubj 9 Ortiz", "VERB ROOT 9 talk", "PUNCT punct 9 .",
    ]
    doc = annotated("Ortiz went home when he was attacked. Ortiz talked.", parse, ents=[(0, 1, "PERSON"), (8, 9, "PERSON")], sent_starts=[0, 8])
    assert extract(doc).events == []
