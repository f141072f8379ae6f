"""The HTML report says what it leaves out and counts what its labels say."""
from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go

from flows.html_report import MAX_EVENT_DOTS, events_left_out, events_over_time, header_cells, render_report

COUNTS = {"events": 31, "shown": 7, "undated": 20, "low_confidence": 4}


def dated_events(n: int) -> list[dict]:
    start = date(2000, 1, 1)
    return [{"event_date": start + timedelta(days=1000 * i), "date_precision": "day",
             "event_type": "CONSULT" if i % 2 else "TRADE", "actors": "Russia", "targets": "Turkey", "location": None,
             "num_documents": 2, "confidence": 0.9} for i in range(n)]


def test_the_events_chart_says_what_it_does_not_show():
    assert events_left_out(COUNTS, 0.5) == "Not shown: 20 without a date and 4 below confidence 0.5 (of 31 events)."
    assert events_left_out({"events": 3, "undated": 0, "low_confidence": 0}, 0.5) == ""
    fig = events_over_time(dated_events(7), COUNTS, 0.5)
    title = fig.layout.title.text
    assert "7 of 31 events" in title and "20 without a date" in title and "4 below confidence 0.5" in title


def test_few_events_are_dots_many_are_bars():
    few = events_over_time(dated_events(7), COUNTS, 0.5)
    assert {type(t) for t in few.data} == {go.Scatter} and sum(len(t.x) for t in few.data) == 7
    assert all(min(t.marker.size) >= 10 for t in few.data)  # visible at a span of 20 years
    many = events_over_time(dated_events(MAX_EVENT_DOTS + 1), {"events": MAX_EVENT_DOTS + 1}, 0.5)
    assert {type(t) for t in many.data} == {go.Histogram}
    none = events_over_time([], {"events": 5, "undated": 5}, 0.5)
    assert "No dated event" in none.layout.annotations[0].text


def test_header_counts_all_documents_as_documents_and_ok_as_ok():
    totals = {"documents": 10, "ok": 7, "duplicates": 2, "rejected": 1, "stories": 3, "entities": 40, "quotes": 5,
              "events": 31}
    cells = dict((label, value) for value, label in header_cells(totals, COUNTS, 0.5))
    assert cells["documents read"] == "10" and cells["ok (body kept)"] == "7"
    assert cells["events"] == "31" and cells["events of confidence ≥ 0.5"] == "27"


def test_rendered_page_carries_the_notes():
    data = {"totals": [{"documents": 1, "ok": 1, "duplicates": 0, "rejected": 0, "stories": 1, "entities": 2,
                        "quotes": 0, "events": 31}],
            "event_counts": [COUNTS], "events": dated_events(7), "top_actors": [], "top_pairs": [],
            "cooccurrence": [{"name_1": "Russia", "label_1": "GPE", "name_2": "Turkey", "label_2": "GPE",
                              "num_documents": 1}],
            "network_rule": [{"labels": "PERSON, GPE", "min_documents": 2, "min_label_agreement": 0.5}],
            "stories": []}
    page = render_report(data, "test.duckdb", 0.5)
    assert page.count('class="chart"') == 5
    assert "20 without a date" in page and "documents read" in page and "named in ≥ 2 documents" in page
