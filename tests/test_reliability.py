"""Faults: bad inputs beside good ones, SIGKILL mid-run, a database held by someone else,
two runs at once. Nothing may be lost or written twice."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.locking import RunLocked, run_lock
from tests.conftest import REPO, SAMPLE, rows
from warehouse.store import HOLD_ENV

pytestmark = pytest.mark.slow
NEWSDAG = str(Path(sys.executable).parent / "newsdag")
GOOD = (SAMPLE / "000_6434d27c1471fe00.txt").read_text(encoding="utf-8")


def api_env() -> dict:
    """Subprocesses use the session's test server instead of starting their own (~12 s each)."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "WARNING"}


def snapshot(db) -> dict:
    tables = {"documents": "doc_id, status, status_reason, clean_text, duplicate_of, story_id",
              "mentions": "doc_id, entity_id, start_char", "entities": "entity_id, name, label",
              "quotes": "doc_id, quote", "event_mentions": "event_id, doc_id, start_char",
              "removed_lines": "doc_id, line_no, reason", "duplicates": "doc_id, duplicate_of, method"}
    return {t: sorted(rows(db, f"SELECT {c} FROM {t}"), key=repr) for t, c in tables.items()}


def test_bad_inputs_beside_good_ones(prefect_harness, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "good.txt").write_text(GOOD, encoding="utf-8")
    (inbox / "latin1.txt").write_bytes(GOOD.replace("’", "'").replace("“", '"').replace("”", '"')
                                       .replace("Özdel", "\xd6zdel").encode("latin-1", "replace"))
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "random.txt").write_bytes(os.urandom(20000))
    (inbox / "nul.txt").write_bytes(GOOD.replace("Lavrov", "Lav\0rov").encode("utf-8"))
    (inbox / "huge.txt").write_bytes(((GOOD + "\n") * (30_000_000 // len(GOOD.encode()))).encode())
    (inbox / "one-line.txt").write_bytes(b"word " * 1_100_000)
    (inbox / "feed.jsonl").write_text("\n".join([json.dumps({"url": "https://example.org/a", "text": GOOD}),
                                                 '{"url": "https://example.org/b", "text": ',
                                                 json.dumps({"url": "https://example.org/c", "text": GOOD[:1500]})]))
    (inbox / "truncated.txt.gz").write_bytes(gzip.compress(GOOD.encode() * 20)[:300])
    (inbox / "malformed.html").write_text("<html><body><p>Unclosed <div><b>tags " + "<p>" * 50)
    (inbox / "nobody.html").write_text("<html><head><title>Nothing</title></head></html>")
    (inbox / "ru.txt").write_bytes((REPO / "tests" / "fixtures" / "ru_cp1251.txt").read_bytes())
    db = tmp_path / "news.duckdb"
    # bad inputs must not make the run slow: a run over the bound raises TimeoutExpired and fails
    out = subprocess.run([NEWSDAG, "ingest", str(inbox), "--db", str(db)], env=api_env(), capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    status = {Path(uri.split("#")[0]).name + ("#" + uri.split("#")[1] if "#" in uri else ""): (s, r)
              for uri, s, r in rows(db, "SELECT coalesce(file_path, source_uri) || coalesce('#' || record_no, ''), "
                                        "status, status_reason FROM documents")}
    assert status["good.txt"][0] in ("ok", "duplicate")  # the same body also arrives in feed.jsonl
    assert [s for s, _ in status.values()].count("ok") >= 1
    assert status["latin1.txt"][0] in ("ok", "duplicate")
    assert rows(db, "SELECT notes->>'encoding' FROM documents WHERE file_path LIKE '%latin1.txt'") == [("cp1252",)]
    assert status["empty.txt"] == ("rejected", "empty")
    assert status["random.txt"] == ("rejected", "binary")
    assert status["nul.txt"][0] in ("ok", "duplicate")
    assert status["huge.txt"] == ("rejected", "too_large")
    assert status["one-line.txt"] == ("rejected", "too_large")
    assert status["feed.jsonl#2"] == ("rejected", "invalid_json")
    assert status["feed.jsonl#1"][0] in ("ok", "duplicate") and status["feed.jsonl#3"][0] in ("ok", "duplicate")
    assert status["truncated.txt.gz"] == ("rejected", "corrupt_gzip")
    assert status["nobody.html"] == ("rejected", "no_body")
    assert status["malformed.html"][0] in ("ok", "rejected")  # whatever trafilatura salvages
    assert status["ru.txt"][0] == "ok"
    assert rows(db, "SELECT notes->>'encoding', clean_text LIKE '%Сергей Лавров%' FROM documents "
                    "WHERE file_path LIKE '%ru.txt'") == [("cp1251", True)]
    assert all(reason for s, reason in status.values() if s == "rejected")
    assert len(status) == 14  # every input record is one row


def kill_inside_the_load(args: list[str], marker: Path) -> None:
    """Run `newsdag ingest ARGS`, SIGKILL it once the load has written every row but not committed
    (the loader's test hook writes `marker` there and waits), and check that it was there."""
    env = {**api_env(), HOLD_ENV: str(marker)}
    proc = subprocess.Popen([NEWSDAG, "ingest", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), "the run never reached the load's commit"
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed, not finished


def test_sigkill_inside_the_load_leaves_nothing_and_the_next_run_catches_up(prefect_harness, sample_db, tmp_path):
    db = tmp_path / "news.duckdb"
    kill_inside_the_load([str(SAMPLE), "--db", str(db)], tmp_path / "hold")
    if db.exists():  # openable, and nothing of the killed load is visible: not even its migrations
        assert rows(db, "SELECT table_name FROM information_schema.tables") == []
    out = subprocess.run([NEWSDAG, "ingest", str(SAMPLE), "--db", str(db)], env=api_env(), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert snapshot(db) == snapshot(sample_db)


def test_sigkill_inside_a_later_load_keeps_the_earlier_one_whole(prefect_harness, sample_db, tmp_path):
    db = tmp_path / "news.duckdb"
    shutil.copy(sample_db, db)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "ru.txt").write_bytes((REPO / "tests" / "fixtures" / "ru_cp1251.txt").read_bytes())
    kill_inside_the_load([str(extra), "--db", str(db)], tmp_path / "hold")
    assert snapshot(db) == snapshot(sample_db)
    assert rows(db, "SELECT count(*) FROM loads")[0][0] == 1
    out = subprocess.run([NEWSDAG, "ingest", str(extra), "--db", str(db)], env=api_env(), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 6


def test_a_reader_holding_the_file_makes_the_run_wait_then_fail_clearly(prefect_harness, sample_db, tmp_path):
    db = tmp_path / "news.duckdb"
    shutil.copy(sample_db, db)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "copy.txt").write_text(GOOD, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); "
                               "print('ready', flush=True); time.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        out = subprocess.run([NEWSDAG, "ingest", str(extra), "--db", str(db), "--lock-timeout", "3"],
                             env=api_env(), capture_output=True, text=True, timeout=300)
    finally:
        holder.kill()
        holder.wait()
    assert out.returncode == 3
    assert "locked by" in out.stderr and "nothing was written" in out.stderr
    assert rows(db, "SELECT count(*) FROM loads")[0][0] == 1
    out = subprocess.run([NEWSDAG, "ingest", str(extra), "--db", str(db)], env=api_env(), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 6


def test_two_runs_never_hold_the_run_lock_at_once(tmp_path):
    db = tmp_path / "news.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import sys,time; from flows.locking import run_lock; from pathlib import Path\n"
                               f"with run_lock(Path({str(db)!r}), 5):\n print('held', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunLocked, match=r"another newsdag run holds .*pid \d+"):
            with run_lock(db, timeout_s=1, poll_s=0.1):
                pass
    finally:
        holder.kill()
        holder.wait()
    with run_lock(db, timeout_s=1):  # released when its holder died
        pass
