"""Events on sentences written for this test (not from any dev corpus), one or two per PLOVER
type, parsed by the real model: the type must be found for nearly all of them. A check that the
lexicon and rules generalise beyond the PLOVER dev sentences they were checked against."""
import pytest

pytestmark = pytest.mark.slow

SENTENCES = [("SUPPORT","Germany and France signed a defence pact on Monday."),
("CONSULT","The two leaders held talks in Geneva."),
("CONSULT","Putin hosted the Turkish president in Sochi."),
("DEMAND","China urged Japan to withdraw its warships."),
("RETREAT","The rebels released 20 hostages."),
("COERCE","Police detained dozens of opposition activists in Minsk."),
("PROTEST","Thousands of workers went on strike in Seoul."),
("MOBILIZE","NATO deployed additional troops to Poland."),
("SANCTION","Washington expelled three Russian diplomats."),
("CONCEDE","The government lifted the state of emergency."),
("AGREE","Japan pledged $10 million in aid to Haiti."),
("ACCUSE","The court convicted the former president of corruption."),
("ASSAULT","Israeli jets struck targets in Gaza."),
("REJECT","Iran rejected the UN proposal."),
("SUPPORT","The minister praised the agreement."),
("ASSAULT","Rebels ambushed a military convoy, killing five soldiers."),
("AID","The UN sent food aid to Sudan."),
("AGREE","Turkey and Russia agreed to a ceasefire in Idlib."),
("ACCUSE","The opposition accused the government of fraud."),
("THREATEN","Pyongyang threatened to launch more missiles."),
("RETREAT","Syrian troops withdrew from the town."),
("DEMAND","Protesters demanded the resignation of the prime minister."),
("COOPERATE","The two navies held joint exercises in the Baltic."),
("SANCTION","The EU imposed new sanctions on Belarus."),
("COERCE","Authorities banned the opposition party."),
("ACCUSE","Prosecutors opened an investigation into the minister."),
("REJECT","Hamas rejected calls to disarm."),
("AID","The World Bank approved a $500 million loan for Kenya."),
("CONSULT","The foreign ministers of India and Pakistan met in Delhi."),
("SUPPORT","The United States welcomed the election results."),
("ASSAULT","A suicide bomber killed 12 people at a market in Baghdad."),
("COERCE","Soldiers arrested three journalists."),
("THREATEN","Russia warned of retaliation against Lithuania."),
("PROTEST","Students rallied outside parliament."),
("MOBILIZE","Venezuela put its army on high alert."),
("CONCEDE","The junta agreed to the opposition's demands."),
("RETREAT","Israel handed back the territory to Egypt."),
]


def test_most_written_sentences_get_their_type():
    from tasks.nlp import NlpConfig, parse_batch

    items = [{"doc_id": str(i), "clean_text": t, "published_at": None} for i, (_, t) in enumerate(SENTENCES)]
    parsed = parse_batch(items, NlpConfig(n_process=1))
    missed = [(g, t, sorted({e.event_type for e in p.events})) for (g, t), p in zip(SENTENCES, parsed)
              if g not in {e.event_type for e in p.events}]
    assert len(missed) <= len(SENTENCES) // 10, missed
    assert {g for g, _ in SENTENCES} - {g for g, _, _ in missed} >= {"AGREE", "DEMAND", "SANCTION", "ASSAULT", "REJECT"}
