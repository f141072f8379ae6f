"""A long run commits as it goes (issue 17): every `commit_every_files` files are one complete load,
so a kill loses at most the chunk in progress, and the rerun finishes the work. A chunked run, and
a killed run with its rerun, leave the same tables as one uninterrupted load."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from flows.ingest import Chunk, RunTotals
from flows.settings import IngestSettings, SettingsError, settings_from_mapping
from tasks.rows import EntityRow
from tests.conftest import SAMPLE, rows
from warehouse.store import StagedRows

EVERY = 2  # files per load in these tests: nine inputs make five loads


def inputs(folder: Path) -> Path:
    """The five samples and four small files that reach back into earlier chunks: an exact copy
    (dedup state), a near copy, an empty file (rejected) and a feed whose records repeat the
    samples' stories (stories, entities and events merged across loads)."""
    folder.mkdir()
    texts = sorted(SAMPLE.glob("*.txt"))
    for f in texts:
        (folder / f.name).write_bytes(f.read_bytes())
    first, second = texts[0].read_text(encoding="utf-8"), texts[1].read_text(encoding="utf-8")
    (folder / "005_copy.txt").write_text(first, encoding="utf-8")
    paragraphs = second.split("\n\n")
    (folder / "006_near.txt").write_text("\n\n".join(paragraphs[:-1] + ["A closing line added by another outlet."]),
                                         encoding="utf-8")
    (folder / "007_empty.txt").write_bytes(b"")
    records = [{"url": f"https://example.org/{n}", "title": "", "text": "\n\n".join(t.read_text(encoding="utf-8")
                                                                                  .split("\n\n")[:4])}
               for n, t in enumerate(texts[2:4])]
    (folder / "008_feed.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return folder


# tables whose rows depend on how the run was cut into loads, compared by what they mean: label
# votes and spellings are appended per load (a lookup sums them), search numbers are given in load order
SAME_MEANING = {
    "entity_label_votes": "SELECT entity_id, label, sum(num_mentions) FROM entity_label_votes GROUP BY ALL",
    "entity_name_forms": "SELECT entity_id, form, sum(num_mentions) FROM entity_name_forms GROUP BY ALL",
    "search_docs": "SELECT doc_id, num_terms FROM search_docs",
    "search_postings": "SELECT p.term, d.doc_id, p.tf FROM search_postings p JOIN search_docs d USING (doc_no)",
}


def tables(db: Path) -> dict[str, list]:
    """Every row of every table, ids and all, without the columns a load writes about itself
    (`load_id`) and without `loads` (one row per load)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                           "'main' AND table_type = 'BASE TABLE'").fetchall()]
        out = {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in SAME_MEANING.items()}
        for name in sorted(set(names) - {"loads", "_migrations"} - set(SAME_MEANING)):
            cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                              "table_schema = 'main' AND table_name = ?", [name]).fetchall()
                    if r[0] != "load_id"]
            out[name] = sorted((tuple(r) for r in con.execute(f'SELECT {", ".join(cols)} FROM "{name}"').fetchall()),
                               key=repr)
        return out
    finally:
        con.close()


def differences(a: dict[str, list], b: dict[str, list]) -> dict[str, tuple[int, int]]:
    return {t: (len(a.get(t, [])), len(b.get(t, []))) for t in set(a) | set(b) if a.get(t) != b.get(t)}


# -- fast: the setting and the run's totals ---------------------------------------------------------

@pytest.mark.parametrize("data, named", [
    ({"commit_every_files": 0}, "commit_every_files: Input should be greater than or equal to 1"),
    ({"commit_every_files": "many"}, "commit_every_files: Input should be a valid integer"),
    ({"commit_every_minutes": 0}, "commit_every_minutes: Input should be greater than 0"),
    ({"commit_every_file": 5}, "commit_every_file: unknown setting (did you mean commit_every_files?)"),
])
def test_the_commit_setting_is_validated(data, named):
    with pytest.raises(SettingsError) as caught:
        settings_from_mapping(data)
    assert named in str(caught.value)


def test_the_commit_setting_has_a_default_and_takes_a_value():
    assert IngestSettings().commit_every_files == 1000 and IngestSettings().commit_every_minutes is None
    s = settings_from_mapping({"commit_every_files": 3, "commit_every_minutes": 0.5})
    assert s.commit_every_files == 3 and s.commit_every_minutes == 0.5


def test_a_load_ends_at_its_file_count_or_after_its_minutes():
    from datetime import datetime

    by_count = IngestSettings(commit_every_files=4)
    by_clock = IngestSettings(commit_every_files=4, commit_every_minutes=1)
    fresh, old = time.perf_counter(), time.perf_counter() - 61
    assert not Chunk(datetime.now(), fresh, 8, 11).due(by_count)
    assert Chunk(datetime.now(), fresh, 8, 12).due(by_count)
    assert not Chunk(datetime.now(), old, 8, 9).due(by_count)
    assert Chunk(datetime.now(), old, 8, 9).due(by_clock) and not Chunk(datetime.now(), fresh, 8, 9).due(by_clock)


def test_run_totals_count_a_row_updated_by_a_later_load_once():
    first, second = StagedRows(), StagedRows()
    first.add("entities", [EntityRow("e1", "Lavrov", "PERSON", None), EntityRow("e2", "Russia", "GPE", "RUS")])
    first.add("mentions", [{"doc_id": "d1", "entity_id": "e1"}])
    first.counts.update({"ok": 1})
    second.add("entities", [EntityRow("e1", "Sergei Lavrov", "PERSON", None)])  # e1 updated by the later load
    second.add("mentions", [{"doc_id": "d2", "entity_id": "e1"}, {"doc_id": "d2", "entity_id": "e1"}])
    second.counts.update({"ok": 2, "duplicate": 1})
    totals = RunTotals()
    totals.absorb(first, "L")
    totals.absorb(second, "L.2")
    assert totals.count("entities") == 2 and totals.count("mentions") == 3
    assert totals.counts == Counter({"ok": 3, "duplicate": 1}) and totals.loads == ["L", "L.2"]


# -- slow: real runs ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return inputs(tmp_path_factory.mktemp("chunks") / "in")


@pytest.fixture(scope="module")
def whole_db(prefect_harness, corpus, tmp_path_factory) -> Path:
    """The inputs in one load (the default: fewer files than `commit_every_files`), read as a long
    run reads them: in reads of 64 files, here of `EVERY` (a chunk ends with a read)."""
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("whole") / "news.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("flows.ingest.FILES_PER_READ", EVERY)
        summary = ingest(paths=[str(corpus)], db_path=str(db))
    assert summary["loads"] == [summary["load_id"]]
    return db


@pytest.mark.slow
def test_a_chunked_run_loads_what_one_load_does(prefect_harness, corpus, whole_db, tmp_path, monkeypatch):
    import flows.ingest
    from flows.report import staged_event_table, summary_markdown

    published = []
    real = flows.ingest.publish_artifacts
    monkeypatch.setattr(flows.ingest, "publish_artifacts", lambda *args: (published.append(args), real(*args)))
    db = tmp_path / "news.duckdb"
    summary = flows.ingest.ingest(paths=[str(corpus)], db_path=str(db),
                                  settings=IngestSettings(commit_every_files=EVERY))
    assert differences(tables(db), tables(whole_db)) == {}
    # five complete loads, each with its own summary; the run's summary covers them all
    loads = rows(db, "SELECT load_id, status, summary->>'$.files', summary->>'$.run_id' FROM loads ORDER BY started_at")
    assert [r[0] for r in loads] == summary["loads"] and len(loads) == 5
    assert {r[1] for r in loads} == {"completed"} and [int(r[2]) for r in loads] == [2, 2, 2, 2, 1]
    assert {r[3] for r in loads} == {summary["load_id"]} and loads[0][0] == summary["load_id"]
    assert summary["files"] == 9 and summary["documents_read"] == 10
    for name, table in [("events", "event_records"), ("entities", "entities"), ("stories", "story_records"),
                        ("quotes", "quotes"), ("mentions", "mentions"), ("documents_new", "documents")]:
        assert summary[name] == rows(db, f"SELECT count(*) FROM {table}")[0][0], name
    assert summary["duplicate"] == rows(db, "SELECT count(*) FROM documents WHERE status = 'duplicate'")[0][0] >= 1
    assert summary["rejected"] == {"empty": 1}
    # the artifacts cover the run: every event of every load, and how many loads it made
    (shown_summary, shown), = published
    assert {r["event_id"] for r in staged_event_table(shown)} == {r[0] for r in rows(db, "SELECT event_id FROM event_records")}
    assert "| loads committed | 5 |" in summary_markdown(shown_summary)
    whole = rows(whole_db, "SELECT summary FROM loads")[0][0]
    for name in ("documents_read", "ok", "duplicate", "rejected", "events", "entities", "quotes", "mentions"):
        assert summary[name] == json.loads(whole)[name], name


def api_env() -> dict:
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "WARNING"}


def committed_loads(db: Path) -> int:
    """Loads committed so far, read while the run may be writing (then: not yet known, -1)."""
    if not db.exists():
        return 0
    try:
        return rows(db, "SELECT count(*) FROM loads")[0][0]
    except duckdb.Error:  # locked by the load in progress, or no table yet
        return -1


@pytest.mark.slow
def test_a_run_killed_after_its_first_load_keeps_it_and_the_rerun_finishes(prefect_harness, corpus, whole_db,
                                                                             tmp_path):
    import sys

    newsdag = str(Path(sys.executable).parent / "newsdag")
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"commit_every_files: {EVERY}\n")
    db = tmp_path / "news.duckdb"
    args = [newsdag, "ingest", str(corpus), "--db", str(db), "--settings", str(settings)]
    proc = subprocess.Popen(args, env=api_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while committed_loads(db) < 1 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the run ended before it was killed"
    # what was committed is whole: complete loads of two files each, their documents all there
    kept = rows(db, "SELECT load_id, status, (summary->>'$.files')::INT FROM loads ORDER BY started_at")
    assert 1 <= len(kept) < 5 and {s for _, s, _ in kept} == {"completed"} and {n for *_, n in kept} == {EVERY}
    assert rows(db, "SELECT count(DISTINCT file_path) FROM documents")[0][0] == EVERY * len(kept)
    assert {r[0] for r in rows(db, "SELECT DISTINCT load_id FROM documents")} == {k[0] for k in kept}

    out = subprocess.run(args, env=api_env(), capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    rerun = rows(db, "SELECT (summary->>'$.files')::INT, (summary->>'$.files_skipped')::INT FROM loads "
                     f"WHERE load_id NOT IN ({', '.join(repr(k[0]) for k in kept)}) ORDER BY started_at")
    assert sum(f - skipped for f, skipped in rerun) == 9 - EVERY * len(kept)  # the rest, read once
    assert differences(tables(db), tables(whole_db)) == {}


@pytest.mark.slow
@pytest.mark.parametrize("loads_kept", [1, 3])
def test_a_run_resumed_after_any_load_equals_one_load(prefect_harness, corpus, whole_db, tmp_path, loads_kept):
    """What a run killed after its k-th load leaves (its first k chunks of files, loaded), then the
    rerun: in process, so the kill lands exactly there."""
    from flows.ingest import ingest
    from tasks.read import expand_paths

    db, settings = tmp_path / "news.duckdb", IngestSettings(commit_every_files=EVERY)
    ingest(paths=[str(f) for f in expand_paths([corpus])[:EVERY * loads_kept]], db_path=str(db), settings=settings)
    summary = ingest(paths=[str(corpus)], db_path=str(db), settings=settings)
    assert summary["files_skipped"] == EVERY * loads_kept
    assert differences(tables(db), tables(whole_db)) == {}
