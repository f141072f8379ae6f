"""State asked for per batch: a stage whose state asks the warehouse gives what a state built
from every row of it gives (same documents, same rows), with a few queries per batch that read
only the batch's keys; a new warehouse answers nothing."""
from __future__ import annotations

import dataclasses
import random
from datetime import datetime

import duckdb

from tasks.clean import CleanConfig, CleanState, clean_step
from tasks.dedup import DedupState, dedup_step
from tasks.nlp import NlpState, ParsedDoc, link_batch, prefetch_batch, state_from_source
from tasks.common.dates import PartialDate
from tasks.nlp.entities import DocMention
from tasks.nlp.link import EntityState, person_key
from tasks.events.records import ArgRec, EventRec
from tasks.read import ReadState
from tasks.records import Document
from tests.conftest import rows as sql_rows
from warehouse.state import StateReader
from warehouse.store import StagedRows, load_run

CLEAN = CleanConfig(use_line_model=False)
TEMPLATE = ["Acme Daily News", "Home | World | Business | Sport", "Subscribe to our newsletter today"]
FOOTER = ["Copyright Acme Media 2024. All rights reserved."]
BODIES = [
    "The council voted on Tuesday to approve a budget for the new bridge over the river, officials said.",
    "Talks between the two delegations resumed in Sochi after a long break, both ministries confirmed.",
    "A storm closed the harbour for three days and fishermen said the losses would be hard to recover.",
    "The central bank kept its main rate unchanged and signalled that it would wait for more data.",
    "Farmers protested in the capital against a plan to cut subsidies for diesel used in tractors.",
]


def _page(i: int, body: str) -> Document:
    lines = TEMPLATE + [f"Story number {i}", body, f"{body} It was the {i}th report of the week."] + FOOTER
    return Document(f"d{i:03d}", f"https://acme.example/news/{i}", "\n".join(lines))


def _batches() -> list[list[Document]]:
    docs = [_page(i, " ".join(BODIES[(i + k) % len(BODIES)] for k in range(3)) + f" Figure {i * 7}.") for i in range(12)]
    docs.append(Document("dup-exact", "https://other.example/1", docs[2].raw_text))  # an exact copy of an earlier load
    near = docs[3].raw_text.replace("It was the", "It was then the")  # one word more in a long body
    docs.append(Document("dup-near", "https://other.example/2", near))
    rng = random.Random(7)
    words = sorted({w.strip(".,") for b in BODIES for w in b.split()})
    unrelated = [Document(f"u{i}", f"https://elsewhere.example/{i}", " ".join(rng.choice(words) for _ in range(80)) + ".")
                 for i in range(8)]
    return [docs[:6] + unrelated, docs[6:10], docs[10:]]


def _load(db, rows_list, load_id: str) -> None:
    staged = StagedRows()
    for rows in rows_list:
        staged.add_all(rows)
    load_run(db, staged, {"load_id": load_id, "started_at": datetime(2024, 1, 1), "status": "completed"})


def _plain(rows) -> dict:
    return {t: [r.as_dict() if hasattr(r, "as_dict") else dict(r) for r in rs] for t, rs in rows.items()}


def _documents(docs: list[Document]) -> list[tuple]:
    return [(d.doc_id, d.status, d.status_reason, d.duplicate_of, d.clean_text, d.content_hash,
             [dataclasses.astuple(r) for r in d.removed_lines]) for d in docs]


def test_a_missing_warehouse_answers_nothing(tmp_path):
    with StateReader(tmp_path / "none.duckdb") as wh:
        assert wh.known_doc_ids(["a"]) == set() and wh.ingested_files(["/x"]) == []
        assert wh.site_line_counts([("s", "k")]) == [] and wh.dedup_keys(["h"]) == []
        assert wh.minhash_bands([(0, 1)]) == [] and wh.entities(["e"]) == [] and wh.event_candidates([("T", "", None, None)]) == []
        assert wh.queries == 0


def test_clean_and_dedup_asking_the_warehouse_match_a_state_of_every_row(tmp_path):
    db = tmp_path / "w.duckdb"
    first, *later = _batches()
    memory_clean, memory_dedup = CleanState(), DedupState()
    docs, clean_rows = clean_step(first, memory_clean, CLEAN)
    docs, dedup_rows = dedup_step(docs, memory_dedup)
    _load(db, [clean_rows, dedup_rows], "L1")
    with StateReader(db) as wh:
        asked_clean, asked_dedup = CleanState(source=wh), DedupState(source=wh)
        for batch in later:
            want_docs, want_clean = clean_step(batch, memory_clean, CLEAN)
            want_docs, want_dedup = dedup_step(want_docs, memory_dedup)
            before = wh.queries
            got_docs, got_clean = clean_step(batch, asked_clean, CLEAN)
            got_docs, got_dedup = dedup_step(got_docs, asked_dedup)
            assert _documents(got_docs) == _documents(want_docs)
            assert _plain(got_clean) == _plain(want_clean) and _plain(got_dedup) == _plain(want_dedup)
            assert wh.queries - before <= 5  # per batch: lines, sites, keys, buckets, shingles
        statuses = {d.doc_id: (d.status, d.status_reason) for d in got_docs}
        assert statuses["dup-exact"] == ("duplicate", "exact") and statuses["dup-near"] == ("duplicate", "near")
        assert any(r.reason == "site_template" for d in got_docs for r in d.removed_lines)
        # only what the batches asked for came out of the warehouse: none of the unrelated pages
        assert not [d for d in dict(asked_dedup.shingles) if d.startswith("u")]
        assert [d for d in memory_dedup.shingles if d.startswith("u")]
        assert "elsewhere.example" not in asked_clean.line_counts


def test_read_state_asks_for_the_chunks_files_and_records(tmp_path):
    db = tmp_path / "w.duckdb"
    from tasks.read import ReadConfig, read_step

    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"url": "https://x/1", "text": "one"}\n{"url": "https://x/2", "text": "two"}\n', encoding="utf-8")
    docs, rows = read_step([a], ReadState(), ReadConfig())
    _load(db, [rows, {"documents": [{"doc_id": d.doc_id, "status": "ok"} for d in docs]}], "L1")
    b.write_text('{"url": "https://x/2", "text": "two"}\n{"url": "https://x/3", "text": "three"}\n', encoding="utf-8")
    with StateReader(db) as wh:
        state = ReadState.from_source(wh)
        new, rows = read_step([a, b], state, ReadConfig())
        assert [d.record_no for d in new] == [2] and rows.counts["files_skipped"] == 1
        assert rows.counts["already_loaded"] == 1 and wh.queries == 2  # the chunk's files, b's records


def _mention(text: str, label: str, start: int) -> DocMention:
    return DocMention(start, start + len(text), text, label, text, canon=text)


def _meeting(doc_id: str, actors: tuple[str, ...], date: PartialDate, start: int = 0) -> EventRec:
    return EventRec("CONSULT", "met", f"{' and '.join(actors)} met.", start, start + 20, date, None,
                    [ArgRec("actor", a, "PERSON") for a in actors], 0.8)


def _parsed() -> list[list[ParsedDoc]]:
    run1 = [
        ParsedDoc("a", None, None, mentions=[_mention("Sergei Lavrov", "PERSON", 0), _mention("Ankara", "GPE", 30)],
                  events=[_meeting("a", ("Sergei Lavrov", "Mevlut Cavusoglu"), PartialDate(2020, 2, 15))]),
        ParsedDoc("b", None, None, mentions=[_mention("Mevlut Cavusoglu", "PERSON", 0), _mention("Lavrov", "ORG", 40)]),
    ]
    run2 = [  # a lone surname of a person of the earlier run; the same meeting reported again
        ParsedDoc("c", None, None, mentions=[_mention("Lavrov", "ORG", 0), _mention("Ankara", "GPE", 20)],
                  events=[_meeting("c", ("Sergei Lavrov", "Mevlut Cavusoglu"), PartialDate(month=2, day=15), 5)]),
        ParsedDoc("d", None, None, mentions=[_mention("Cavusoglu", "PERSON", 0)],
                  events=[_meeting("d", ("Sergei Lavrov", "Mevlut Cavusoglu"), PartialDate(2020, 3, 2), 9)]),
    ]
    return [run1, run2]


def _rows_as_read_whole(db) -> dict:
    """The rows a run used to read whole at its start (main's queries before per-batch lookups)."""
    def q(sql: str) -> list[dict]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute(sql).to_arrow_table().to_pylist()
        finally:
            con.close()
    return {
        "entities": q("SELECT entity_id, name, label, country_code FROM entities"),
        "entity_aliases": q("SELECT entity_id, alias FROM entity_aliases"),
        "entity_label_votes": q("SELECT entity_id, label, count(*) AS n FROM mentions GROUP BY entity_id, label"),
        "entity_name_forms": q("SELECT entity_id, form, sum(num_mentions) AS n FROM entity_name_forms GROUP BY ALL"),
        "event_keys": q("SELECT event_id, event_type, actor_ids, target_ids, year, month, day, weekday, "
                        "location, confidence, date_source, date_lo, date_hi, story_ids FROM nlp_event_keys"),
        "event_arguments": q("SELECT DISTINCT event_id, role, entity_id, name FROM event_arguments"),
        "event_mentions": q("SELECT DISTINCT event_id, doc_id, start_char FROM event_mentions"),
    }


def test_link_asking_the_warehouse_matches_a_state_of_every_row(tmp_path):
    db = tmp_path / "w.duckdb"
    run1, run2 = _parsed()
    _load(db, [link_batch(run1, state=NlpState.from_rows({}))], "L1")
    want = link_batch(run2, state=NlpState.from_rows(_rows_as_read_whole(db)))
    with StateReader(db) as wh:
        state = state_from_source(wh)
        prefetch_batch(state, run2)
        asked = wh.queries
        got = link_batch(run2, state=state)
        assert wh.queries == asked  # everything linking read was asked for in the prefetch
    assert _plain(got) == _plain(want)
    lavrov = {m["entity_id"] for m in got["mentions"] if m["text"] == "Lavrov"}
    assert lavrov == {r[0] for r in sql_rows(db, "SELECT entity_id FROM entities WHERE name = 'Sergei Lavrov'")}
    merged = {m["event_id"] for m in got["event_mentions"] if m["doc_id"] == "c"}
    assert merged == {r[0] for r in sql_rows(db, "SELECT event_id FROM event_mentions WHERE doc_id = 'a'")}


def _protest(doc_id: str, date: PartialDate | None, start: int = 0, source: str = "text") -> EventRec:
    """A protest by a described group (no entity: keyed by its name) against a named government."""
    return EventRec("PROTEST", "protested", "Farmers protested against the government.", start, start + 30, date, None,
                    [ArgRec("actor", "farmers", ""), ArgRec("target", "Dutch government", "ORG")], 0.8,
                    date_source=source)


def test_events_by_named_actor_story_and_date_window_are_asked_for_as_a_whole_read_gives_them(tmp_path):
    """Events keyed by a described actor ("name:farmers"), kept apart by story and by date window
    (tasks/events/merge.py): the lookup by (type, actors) and month brings what merging needs, and
    nothing of the months no mention touches."""
    db = tmp_path / "w.duckdb"
    gov = _mention("Dutch government", "ORG", 40)
    run1 = [ParsedDoc("p1", None, None, mentions=[gov], events=[_protest("p1", PartialDate(2020, 2, 15))]),
            ParsedDoc("p2", None, None, mentions=[gov], events=[_protest("p2", PartialDate(2020, 2, 15), 3)]),
            ParsedDoc("p3", None, None, mentions=[gov], events=[_protest("p3", PartialDate(2019, 6, 1), 4)])]
    _load(db, [link_batch(run1, state=NlpState.from_rows({}), story_ids={"p1": "s1", "p2": "s2", "p3": "s1"})], "L1")
    run2 = [ParsedDoc("q1", None, None, mentions=[gov], events=[_protest("q1", PartialDate(2020, 2, 15), 7)]),
            ParsedDoc("q2", None, None, mentions=[gov], events=[_protest("q2", PartialDate(2020, 2, 17), 8, "published")]),
            ParsedDoc("q3", None, None, mentions=[gov], events=[_protest("q3", PartialDate(2021, 1, 1), 9)])]
    stories = {"q1": "s2", "q2": "s1", "q3": "s1"}
    want = link_batch(run2, state=NlpState.from_rows(_rows_as_read_whole(db)), story_ids=stories)
    with StateReader(db) as wh:
        state = state_from_source(wh)
        prefetch_batch(state, run2)
        asked = wh.queries
        got = link_batch(run2, state=state, story_ids=stories)
        assert wh.queries == asked
    assert _plain(got) == _plain(want)
    merged = {m["doc_id"]: m["event_id"] for m in got["event_mentions"]}
    first = dict(sql_rows(db, "SELECT doc_id, event_id FROM event_mentions"))
    assert merged["q1"] == first["p2"] and merged["q2"] == first["p1"]  # same story, window of the week before
    assert merged["q3"] not in first.values()  # a year later: a new event
    assert first["p3"] not in state.events  # stored events of other months are never read


def _random_protests(rng: random.Random, prefix: str, n: int, dated: bool = False) -> list[ParsedDoc]:
    gov = _mention("Dutch government", "ORG", 40)
    out = []
    for i in range(n):
        year = rng.choice([2019, 2020] if dated else [2019, 2020, None])
        date = PartialDate(year, rng.choice([None, rng.randint(1, 12), rng.randint(1, 12)]), None) \
            if dated or rng.random() < 0.9 else None
        if date and date.month:
            date = PartialDate(year, date.month, rng.choice([None, rng.randint(1, 28)]))
        source = rng.choice(["text", "published"]) if date and date.day else "text"
        rec = _protest(f"{prefix}{i}", date, i, source)
        rec.args = [ArgRec("actor", rng.choice(["farmers", "students", "nurses", "pilots"]), "")] + rec.args[1:]
        out.append(ParsedDoc(f"{prefix}{i}", None, None, mentions=[gov], events=[rec]))
    return out


def test_events_asked_for_by_month_give_what_a_whole_read_gives_over_many_batches(tmp_path):
    """Random day-, month- and year-dated, year-less and undated mentions of four keys: two runs of two
    batches each, the second asking the warehouse month by month, give the rows a state of every
    row gives (the same events chosen, among equals the first)."""
    rng = random.Random(7)
    db = tmp_path / "w.duckdb"
    whole = NlpState.from_rows({})
    _load(db, [link_batch(b, state=whole) for b in (_random_protests(rng, "a", 60), _random_protests(rng, "b", 60))], "L1")
    later = [_random_protests(rng, "c", 20, dated=True), _random_protests(rng, "d", 30)]
    want_state = NlpState.from_rows(_rows_as_read_whole(db))
    want = [_plain(link_batch(b, state=want_state)) for b in later]
    with StateReader(db) as wh:
        state = state_from_source(wh)
        got, read = [], []
        for b in later:
            prefetch_batch(state, b)
            got.append(_plain(link_batch(b, state=state)))
            read.append(len(state.events_by_key.row_no))
    assert got == want
    assert read[0] < len(_rows_as_read_whole(db)["event_keys"])  # dated mentions read their months only


def test_the_load_keeps_label_votes_and_person_keys(tmp_path):
    db = tmp_path / "w.duckdb"
    for n, run in enumerate(_parsed(), 1):
        state = NlpState.from_rows(_rows_as_read_whole(db)) if n > 1 else NlpState.from_rows({})
        _load(db, [link_batch(run, state=state)], f"L{n}")
    votes = sql_rows(db, "SELECT entity_id, label, sum(num_mentions) FROM entity_label_votes GROUP BY ALL ORDER BY ALL")
    assert votes == sql_rows(db, "SELECT entity_id, label, count(*) FROM mentions GROUP BY ALL ORDER BY ALL")
    keys = dict(sql_rows(db, "SELECT entity_id, last_token FROM entity_person_keys"))
    entities = sql_rows(db, "SELECT entity_id, name, label FROM entities")
    assert keys == {e: person_key(EntityState(name, label)) for e, name, label in entities}
    assert "cavusoglu" in keys.values() and None in keys.values()


def test_a_warehouse_from_before_the_lookup_tables_is_answered_and_then_gets_them(tmp_path):
    from tests.conftest import older_warehouse

    db = tmp_path / "w.duckdb"
    people = [("e1", "José  Álvarez", "PERSON"), ("e2", "Recep Tayyip Erdoğan", "PERSON"), ("e3", "Madonna", "PERSON"),
              ("e4", "Kim Jong’un", "PERSON"), ("e5", "Alvarez Holdings", "ORG")]
    con = older_warehouse(db, 5)
    con.executemany("INSERT INTO entities VALUES (?, ?, ?, 'L0')", people)
    con.executemany("INSERT INTO mentions VALUES ('d1', ?, 'x', ?, 0, 1, 'L0')", [("e1", "PERSON"), ("e1", "ORG"), ("e1", "PERSON")])
    con.close()
    want = {e: person_key(EntityState(name, label)) for e, name, label in people}
    for stage in ("before", "after"):
        with StateReader(db) as wh:
            found = {r["entity_id"]: r["last_token"] for r in wh.persons_by_last_token(["alvarez", "erdogan", "jong'un", "madonna"])}
            votes = {(r["entity_id"], r["label"]): r["n"] for r in wh.entity_label_votes(["e1", "e2"])}
        assert found == {e: k for e, k in want.items() if k}, stage
        assert votes == {("e1", "PERSON"): 2, ("e1", "ORG"): 1}, stage
        _load(db, [], f"L-{stage}")  # the first load migrates: the tables are built from what is there


def test_a_canonical_name_chosen_over_two_loads_is_the_one_a_single_load_chooses(tmp_path):
    """The spellings an entity was seen in are kept with their counts (entity_name_forms): a later
    load weighs them as one run would, not as one sighting of the stored name."""
    def doc(doc_id: str, spelling: str, times: int) -> ParsedDoc:
        return ParsedDoc(doc_id, None, None, mentions=[_mention(spelling, "PERSON", 40 * k) for k in range(times)])

    run1 = [doc("a", "Mevlut Cavusoglu", 2), doc("b", "Mevlut Cavusoglu", 1)]
    run2 = [doc("c", "MEVLUT CAVUSOGLU", 2)]
    one = NlpState.from_rows({})
    link_batch(run1, state=one)
    single = link_batch(run2, state=one)["entities"]
    db = tmp_path / "w.duckdb"
    _load(db, [link_batch(run1, state=NlpState.from_rows({}))], "L1")
    with StateReader(db) as wh:
        state = state_from_source(wh)
        prefetch_batch(state, run2)
        two = link_batch(run2, state=state)["entities"]
    assert [e.name for e in single] == ["Mevlut Cavusoglu"]
    assert [e.name for e in two] == [e.name for e in single]
