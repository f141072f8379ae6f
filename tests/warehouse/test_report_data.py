"""The report's figures on a small warehouse written by the real loader: what the charts count,
what they leave out, and which entities the co-occurrence network keeps."""
from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from warehouse.analysis import NETWORK_LABELS, report_data
from warehouse.store import StagedRows, load_run

DOCS = ["d1", "d2", "d3"]


def entity(entity_id, name, label, docs, mention_labels=None):
    """An entity and one mention per document (mention labels default to the entity's own)."""
    labels = mention_labels or [label] * len(docs)
    return ({"entity_id": entity_id, "name": name, "label": label},
            [{"doc_id": d, "entity_id": entity_id, "text": name, "label": lab, "start_char": 0, "end_char": len(name)}
             for d, lab in zip(docs, labels)])


def event(event_id, etype, when, confidence, actor, target=None):
    record = {"event_id": event_id, "event_type": etype, "event_date": when, "date_precision": "day" if when else None,
              "location": None, "confidence": confidence}
    mention = {"event_id": event_id, "doc_id": "d1", "sentence": f"{actor} did {etype}.", "start_char": 0,
               "end_char": 10, "confidence": confidence}
    args = [{"event_id": event_id, "role": "actor", "entity_id": None, "name": actor}]
    if target:
        args.append({"event_id": event_id, "role": "target", "entity_id": None, "name": target})
    return record, mention, args


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    db = tmp_path_factory.mktemp("report") / "w.duckdb"
    staged = StagedRows()
    staged.add("documents", [{"doc_id": d, "source_uri": f"/x/{d}", "site": "Outlet", "status": "ok"} for d in DOCS]
               + [{"doc_id": "dup", "source_uri": "/x/dup", "status": "duplicate"},
                  {"doc_id": "bad", "source_uri": "/x/bad", "status": "rejected", "status_reason": "empty"}])
    kept = [entity("e_lav", "Sergei Lavrov", "PERSON", DOCS), entity("e_tur", "Turkey", "GPE", DOCS),
            entity("e_s400", "S-400", "PRODUCT", DOCS[:2])]
    junk = [entity("e_adj", "Turkish", "NORP", DOCS),                      # an adjective, repeats the country
            entity("e_low", "the minister", "PERSON", DOCS),               # not shaped like a name
            entity("e_one", "Ankara Agreement", "ORG", DOCS[:1]),          # one document only
            entity("e_mix", "Twitter", "PERSON", DOCS, ["ORG", "ORG", "PERSON"]),  # spaCy disagrees with itself
            entity("e_nav", "Home | World | Sport", "ORG", DOCS)]          # navigation text
    for ent, mentions in kept + junk:
        staged.add("entities", [ent])
        staged.add("mentions", mentions)
    events = [event("v1", "CONSULT", date(2020, 2, 15), 0.9, "Sergei Lavrov", "Turkey"),
              event("v2", "SANCTION", date(2020, 12, 1), 0.99, "United States", "Turkey"),
              event("v3", "AGREE", None, 0.8, "Turkey"),              # undated
              event("v4", "ASSAULT", date(2020, 3, 1), 0.35, "Syria", "Turkey")]  # below 0.5
    for record, mention, args in events:
        staged.add("event_records", [record])
        staged.add("event_mentions", [mention])
        staged.add("event_arguments", args)
    load_run(db, staged, {"load_id": "L1", "started_at": datetime(2024, 1, 1), "finished_at": datetime(2024, 1, 1),
                          "status": "completed", "documents_seen": 5, "documents_new": 5})
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_totals_count_what_their_labels_say(warehouse):
    totals = report_data(warehouse)["totals"][0]
    assert (totals["documents"], totals["ok"], totals["duplicates"], totals["rejected"]) == (5, 3, 1, 1)
    assert totals["events"] == 4


def test_events_below_confidence_or_undated_are_counted_not_drawn(warehouse):
    data = report_data(warehouse, min_confidence=0.5)
    assert data["event_counts"][0] == {"events": 4, "shown": 2, "undated": 1, "low_confidence": 1}
    assert [r["event_type"] for r in data["events"]] == ["CONSULT", "SANCTION"]  # by date
    assert "Syria" not in {r["name"] for r in data["top_actors"]}
    assert all("Syria" not in r["pair"] for r in data["top_pairs"])
    lowered = report_data(warehouse, min_confidence=0.3)
    assert lowered["event_counts"][0]["shown"] == 3 and "Syria → Turkey" in {r["pair"] for r in lowered["top_pairs"]}


def test_cooccurrence_keeps_names_and_drops_junk(warehouse):
    rows = report_data(warehouse)["cooccurrence"]
    names = {r["name_1"] for r in rows} | {r["name_2"] for r in rows}
    assert names == {"Sergei Lavrov", "Turkey", "S-400"}
    assert all(r["label_1"] in NETWORK_LABELS and r["label_2"] in NETWORK_LABELS for r in rows)
    # without the filter the view itself still has the junk: the rule is the report's, not the warehouse's
    view = {r[0] for r in warehouse.execute("SELECT name_1 FROM entity_cooccurrence UNION SELECT name_2 FROM entity_cooccurrence").fetchall()}
    assert {"Turkish", "the minister", "Twitter", "Home | World | Sport"} <= view
