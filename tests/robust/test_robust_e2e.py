"""The acceptance run: every input that used to stop `newsdag ingest` for good, beside the five
samples. The run exits 0, the samples load, each bad input is one row, and the rerun adds nothing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, rows

pytestmark = pytest.mark.slow
NEWSDAG = str(Path(sys.executable).parent / "newsdag")


def api_env() -> dict:
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "WARNING"}


def article(n: int) -> str:
    return (f"Officials of the river commission number {n} met in the capital on Monday. They said the "
            f"talks on water rights would continue next week after a long night of negotiation.")


BAD_INPUTS = {
    "deep.json": ("[" * 100_000 + "]" * 100_000).encode(),
    "bigint.jsonl": ('{"text": "' + article(1) + '", "id": ' + "9" * 5000 + "}\n").encode(),
    "late.json": json.dumps({"text": article(2), "published": "9999-12-31T23:59:59-14:00"}).encode(),
    "early.json": json.dumps({"text": article(3), "published": "0001-01-01T00:00:00+01:00"}).encode(),
    "surrogate.json": ('{"text": "' + article(4) + ' \\ud800", "title": "Water \\ud800talks", '
                       '"url": "https://example.org/\\ud800w"}').encode(),
    os.fsdecode(b"caf\xe9.txt"): article(5).encode(),
}


def test_every_crashing_input_beside_the_samples_is_one_row_and_the_samples_load(prefect_harness, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE, inbox)
    for name, data in BAD_INPUTS.items():
        (inbox / name).write_bytes(data)
    db = tmp_path / "news.duckdb"
    out = subprocess.run([NEWSDAG, "ingest", str(inbox), "--db", str(db), "--json"], env=api_env(),
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    docs = rows(db, "SELECT file_path, status, status_reason, title, source_uri FROM documents")
    assert len(docs) == 5 + len(BAD_INPUTS)
    by_file = {Path(f).name: (s, r, t, u) for f, s, r, t, u in docs}
    assert [by_file[p.name][0] for p in SAMPLE.iterdir()] == ["ok"] * 5
    assert by_file["deep.json"][:2] == ("rejected", "too_deep")
    for name in ("bigint.jsonl", "late.json", "early.json", "surrogate.json", "caf\\xe9.txt"):
        assert by_file[name][0] == "ok", (name, by_file[name])
    assert by_file["surrogate.json"][2:] == ("Water talks", "https://example.org/w")
    summary = json.loads(out.stdout)
    for key, table in (("events", "event_records"), ("entities", "entities"), ("stories", "story_records")):
        assert summary[key] == rows(db, f"SELECT count(*) FROM {table}")[0][0], key
    again = subprocess.run([NEWSDAG, "ingest", str(inbox), "--db", str(db), "--json"], env=api_env(),
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert json.loads(again.stdout)["documents_new"] == 0
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 5 + len(BAD_INPUTS)
