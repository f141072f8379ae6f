"""Merging event mentions across documents (tasks.events.merge through link_batch)."""
from tasks.events import ArgRec, EventRec
from tasks.nlp import NlpState, link_batch
from tasks.common.dates import PartialDate
from tasks.nlp.parse import ParsedDoc


def trade(start, date, source, actor="Turkey", target="Russia"):
    return EventRec("SANCTION", "sanctioned", "s", start, start + 1, date, None,
                    [ArgRec("actor", actor, "GPE", "TUR"), ArgRec("target", target, "GPE", "RUS")], 0.8,
                    date_source=source)


def groups(rows):
    out = {}
    for m in rows["event_mentions"]:
        out.setdefault(m["event_id"], set()).add(m["doc_id"])
    return sorted(map(sorted, out.values()))


def link(*docs, story_ids=None):
    return link_batch([ParsedDoc(d, None, None, events=[ev]) for d, ev in docs], NlpState.from_rows({}), story_ids=story_ids)


def test_mentions_years_apart_are_never_one_event():
    rows = link(("a", trade(0, PartialDate(2005, 6, 1), "published")), ("b", trade(0, PartialDate(2020, 6, 1), "published")))
    assert groups(rows) == [["a"], ["b"]]


def test_publication_dates_a_few_days_apart_merge_and_weeks_apart_do_not():
    rows = link(("a", trade(0, PartialDate(2005, 6, 1), "published")), ("b", trade(0, PartialDate(2005, 6, 4), "published")),
                ("c", trade(0, PartialDate(2005, 7, 20), "published")))
    assert groups(rows) == [["a", "b"], ["c"]]
    ev = {r["event_id"]: r for r in rows["event_records"]}
    assert {r["date_source"] for r in ev.values()} == {"published"}


def test_undated_mentions_never_merge_across_documents():
    rows = link(("a", trade(0, None, None)), ("b", trade(0, None, None)))
    assert groups(rows) == [["a"], ["b"]]
    assert all(r["event_date"] is None and r["date_source"] is None for r in rows["event_records"])


def test_a_sentence_date_wins_over_a_publication_date_and_narrows_the_window():
    rows = link(("a", trade(0, PartialDate(2005, 6, 3), "published")), ("b", trade(0, PartialDate(2005, 6, 1), "text")))
    (rec,) = rows["event_records"]
    assert str(rec["event_date"]) == "2005-06-01" and rec["date_source"] == "text" and rec["date_precision"] == "day"


def test_other_stories_or_other_targets_keep_events_apart():
    a, b = ("a", trade(0, PartialDate(2005, 6, 1), "text")), ("b", trade(0, PartialDate(2005, 6, 1), "text"))
    assert groups(link(a, b, story_ids={"a": "s1", "b": "s2"})) == [["a"], ["b"]]
    assert groups(link(a, b, story_ids={"a": "s1", "b": "s1"})) == [["a", "b"]]
    c = ("c", trade(0, PartialDate(2005, 6, 1), "text", target="Iran"))
    assert groups(link(a, c)) == [["a"], ["c"]]


def test_the_link_step_keeps_events_of_the_documents_stories_apart():
    from tasks.nlp import link_step
    from tasks.records import Document

    parsed = [ParsedDoc(d, None, None, events=[trade(0, PartialDate(2005, 6, 1), "text")]) for d in "abc"]
    docs = [Document(d, f"/x/{d}", "t", clean_text="t", story_id=s) for d, s in zip("abc", ("s1", "s2", "s1"))]
    _, rows = link_step(docs, parsed, NlpState.from_rows({}))
    assert groups(rows) == [["a", "c"], ["b"]]


def test_argument_rows_carry_country_and_sector_and_descriptions_have_no_entity():
    ev = EventRec("PROTEST", "protested", "s", 0, 1, None, None,
                  [ArgRec("actor", "human rights group", "", None, "NGO"), ArgRec("target", "Croatia", "GPE", "HRV")], 0.8)
    rows = link(("a", ev))
    got = sorted((a["role"], a["name"], a["entity_id"] is None, a["country"], a["sector"]) for a in rows["event_arguments"])
    assert got == [("actor", "human rights group", True, None, "NGO"), ("target", "Croatia", False, "HRV", None)]
    assert not any(e["name"] == "human rights group" for e in rows["entities"])
