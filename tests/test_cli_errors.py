"""Every user error is one line on stderr and a documented exit code; every option has help."""
from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from flows.cli import EXIT_BUSY, EXIT_CODES, EXIT_FAILED, EXIT_USAGE, build_parser, main
from tests.conftest import REPO
from warehouse.store import StagedRows, load_run

NEWSDAG = str(Path(sys.executable).parent / "newsdag")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "w.duckdb"
    staged = StagedRows()
    staged.add("documents", [{"doc_id": "d1", "source_uri": "/x/d1", "status": "ok", "title": "Lavrov meets Çavuşoğlu",
                              "clean_text": "Sergei Lavrov met Mevlüt Çavuşoğlu in Sochi."}])
    load_run(path, staged, {"load_id": "L1", "started_at": datetime(2024, 1, 1), "finished_at": datetime(2024, 1, 1),
                            "status": "completed", "documents_seen": 1, "documents_new": 1})
    return path


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", ["ingest", "sql", "search", "report", "export", "serve"])
def test_every_option_has_help(command):
    sub = subcommands()[command]
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"newsdag {command}: {action.option_strings or action.dest} has no help text"
    text = sub.format_help()
    if "--db" in text:
        assert "NEWSDAG_DB" in text


def test_help_lists_the_exit_codes():
    text = build_parser().format_help()
    for code, meaning in EXIT_CODES.items():
        assert f"{code}  {meaning}" in text


def test_readme_lists_the_exit_codes():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"| {code} |" in readme, f"exit code {code} missing from the README's table"


def one_error_line(capsys, command: str) -> str:
    """The error line; before it only status lines (`newsdag ingest: checking ...`), no traceback."""
    err = capsys.readouterr().err.strip().splitlines()
    status, error = err[:-1], err[-1]
    assert error.startswith(f"newsdag {command}: "), err
    assert all(line.startswith(f"newsdag {command}: ") and line.endswith("...") for line in status), err
    return error


@pytest.mark.parametrize("command", [["sql", "SELECT 1"], ["search", "Lavrov"], ["report"], ["export", "--parquet", "out"]])
def test_a_missing_database_is_the_same_error_everywhere(tmp_path, capsys, command):
    missing = tmp_path / "none.duckdb"
    argv = command[:1] + ["--db", str(missing)] + command[1:]
    if command[0] == "report":
        argv += ["--out", str(tmp_path / "r.html")]
    if command[0] == "export":
        argv[-1] = str(tmp_path / "out")
    assert main(argv) == EXIT_USAGE
    assert f"no database at {missing}" in one_error_line(capsys, command[0])


def test_report_into_a_missing_folder_is_one_line_no_traceback(db, tmp_path):
    out = tmp_path / "missing" / "dir" / "r.html"
    done = subprocess.run([NEWSDAG, "report", "--db", str(db), "--out", str(out)], capture_output=True, text=True,
                          timeout=120, cwd=REPO)
    assert done.returncode == EXIT_USAGE
    assert done.stderr.strip() == f"newsdag report: cannot write {out}: folder {out.parent} does not exist"
    assert not out.parent.exists()


def test_other_user_errors(db, tmp_path, capsys):
    assert main(["report", "--db", str(db), "--out", str(tmp_path)]) == EXIT_USAGE
    assert "is a folder" in one_error_line(capsys, "report")
    (tmp_path / "afile").write_text("x")
    assert main(["export", "--db", str(db), "--parquet", str(tmp_path / "afile")]) == EXIT_USAGE
    assert "is a file" in one_error_line(capsys, "export")
    assert main(["sql", "SELEC 1", "--db", str(db)]) == EXIT_FAILED
    assert "syntax error" in one_error_line(capsys, "sql")
    assert main(["search", "x", "--limit", "0", "--db", str(db)]) == EXIT_USAGE
    one_error_line(capsys, "search")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello")
    assert main(["search", "x", "--db", str(not_a_db)]) == EXIT_FAILED  # tried: not a DuckDB file
    assert "cannot be opened as a newsdag warehouse" in one_error_line(capsys, "search")
    assert main(["ingest", str(tmp_path / "nothing-here")]) == EXIT_USAGE
    assert "does not exist" in one_error_line(capsys, "ingest")
    settings = tmp_path / "s.yaml"
    settings.write_text("nlp: [unclosed\n")
    assert main(["ingest", "--settings", str(settings)]) == EXIT_USAGE
    assert "not valid YAML or JSON" in one_error_line(capsys, "ingest")


def test_serve_without_a_server_is_one_line(capsys, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: None}):
        assert main(["serve"]) == EXIT_USAGE
    assert "PREFECT_API_URL is not set" in one_error_line(capsys, "serve")


def test_exit_codes_are_distinct():
    assert len({0, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY}) == 4 and set(EXIT_CODES) == {0, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY}


def test_console_filter_hides_only_the_named_tracebacks():
    from flows.startup import HideTracebacksOf
    from warehouse.store import WarehouseLocked

    def record(exc):
        return logging.LogRecord("prefect.flow_runs", logging.ERROR, __file__, 1, "Encountered exception", None,
                                 (type(exc), exc, None))

    hide = HideTracebacksOf(WarehouseLocked)
    assert not hide.filter(record(WarehouseLocked("locked by x")))
    assert hide.filter(record(ValueError("a bug keeps its traceback")))
    assert hide.filter(logging.LogRecord("prefect", logging.INFO, __file__, 1, "plain", None, None))


@pytest.mark.slow
def test_a_busy_database_is_one_line_and_exit_3(prefect_harness, db, tmp_path):
    """The run fails inside the flow; Prefect's console traceback is hidden, the line says who holds the file."""
    from prefect.settings import PREFECT_API_URL

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Sergei Lavrov met Mevlüt Çavuşoğlu in Sochi on Tuesday to discuss Idlib.\n" * 5)
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); "
                               "print('ready', flush=True); time.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
        out = subprocess.run([NEWSDAG, "ingest", str(inbox), "--db", str(db), "--lock-timeout", "2"], env=env,
                             capture_output=True, text=True, timeout=300)
    finally:
        holder.kill()
        holder.wait()
    assert out.returncode == EXIT_BUSY
    assert "Traceback" not in out.stderr and "ERROR" not in out.stderr, out.stderr[-2000:]
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("newsdag ingest: ") and f"(PID {holder.pid})" in last


@pytest.mark.parametrize("command", [["sql", "SELECT count(*) FROM event_timeline"], ["search", "Lavrov"], ["report"]])
def test_reading_a_warehouse_of_an_older_newsdag_brings_it_up_to_date(tmp_path, capsys, command):
    """`newsdag report` on a warehouse written before migration 0007 used to end in a traceback
    (`Table with name event_timeline does not exist`)."""
    import duckdb

    from tests.conftest import older_warehouse
    from warehouse.migrate import applied_migrations, default_migrations_dir

    db = tmp_path / "old.duckdb"
    older_warehouse(db, 6).close()
    argv = command[:1] + ["--db", str(db)] + command[1:] + (["--out", str(tmp_path / "r.html")] if command[0] == "report" else [])
    assert main(argv) == 0, capsys.readouterr()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert len(applied_migrations(con)) == len(list(default_migrations_dir().glob("*.sql")))
    finally:
        con.close()
