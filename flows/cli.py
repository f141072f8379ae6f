"""The `newsdag` command line: ingest, sql, search, report, export, serve.

A user error is one line on stderr, `newsdag <command>: <what is wrong>`, and one of the exit
codes below (no traceback).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from flows.startup import LocalServerFailed, Status, ensure_prefect_server, hide_console_tracebacks

# Exit codes (listed in the README and in `newsdag --help`).
EXIT_OK = 0
EXIT_FAILED = 1  # the run, the query or the search was tried and failed
EXIT_USAGE = 2  # bad arguments or settings, a missing input or database, an output that cannot be written
EXIT_BUSY = 3  # another run or session holds the database
EXIT_CODES = {
    EXIT_OK: "done",
    EXIT_FAILED: "the run, the query or the search failed",
    EXIT_USAGE: "bad arguments or settings, a missing input or database, an output that cannot be written",
    EXIT_BUSY: "another run or session holds the database",
}


class UserError(Exception):
    """Something the user can fix: printed as one line, no traceback, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def one_line(exc: BaseException | str) -> str:
    """The first non-empty line of an error message."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _db(args: argparse.Namespace) -> Path:
    from flows.settings import resolve_db_path

    return resolve_db_path(args.db)


def format_table(names: list[str], rows: list[tuple], max_width: int = 60) -> str:
    """Rows as a plain fixed-width table (works in a pipe as well as on a terminal)."""
    def cell(v) -> str:
        s = "NULL" if v is None else str(v)
        s = s.replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(v) for v in r] for r in rows]
    widths = [max([len(n)] + [len(r[i]) for r in body]) for i, n in enumerate(names)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line, "| " + " | ".join(n.ljust(w) for n, w in zip(names, widths)) + " |", line]
    out += ["| " + " | ".join(v.ljust(w) for v, w in zip(r, widths)) + " |" for r in body]
    out += [line, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"]
    return "\n".join(out)


def print_summary(summary: dict) -> None:
    rej = summary.get("rejected") or {}
    rej_text = ", ".join(f"{k} {v}" for k, v in rej.items()) or "none"
    loads = summary.get("loads") or [summary["load_id"]]
    print(f"newsdag: load {summary['load_id']} completed into {summary['db_path']} in {summary['elapsed_s']:.1f} s"
          + (f" ({len(loads)} loads, committed as it went: {loads[0]} to {loads[-1]})" if len(loads) > 1 else ""))
    print(f"  files {summary['files']} ({summary['files_skipped']} unchanged, skipped) · "
          f"documents read {summary['documents_read']} · new {summary['documents_new']}")
    print(f"  ok {summary['ok']} · duplicate {summary['duplicate']} · rejected {sum(rej.values())} ({rej_text})")
    print(f"  stories {summary['stories']} · entities {summary['entities']} · mentions {summary['mentions']} · "
          f"quotes {summary['quotes']} · events {summary['events']}")
    secs = summary.get("seconds") or {}
    if secs:
        print("  seconds: " + " · ".join(f"{k} {v:.1f}" for k, v in secs.items() if k != "files"))


def load_settings(path: str | None):
    """IngestSettings from a YAML or JSON file (any subset of fields), else the defaults.

    Raises SettingsError (a ValueError) naming every unknown or invalid setting."""
    from flows.settings import IngestSettings, SettingsError, settings_from_mapping

    if not path:
        return IngestSettings()
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SettingsError(f"{path} is not valid YAML or JSON{where}: {getattr(exc, 'problem', None) or one_line(exc)}") from None
    return settings_from_mapping(data)


def check_paths(args: argparse.Namespace) -> None:
    from tasks.read import InputNotFound, expand_paths

    try:
        if args.paths:
            expand_paths(args.paths)
    except InputNotFound as exc:
        raise UserError(str(exc)) from None


def checked_settings(args: argparse.Namespace):
    """The run's settings, after every check that can refuse the run before it starts: the
    settings file is valid (no unknown key) and the spaCy model is installed."""
    from flows.settings import SettingsError, run_record, with_environment

    try:
        settings = load_settings(args.settings)
    except SettingsError as exc:
        raise UserError(f"bad --settings file: {exc}") from None
    overrides = {}
    if args.batch_size:
        overrides["batch_size"] = args.batch_size
    if args.lock_timeout is not None:
        overrides["lock_timeout_s"] = args.lock_timeout
    if args.runner:
        overrides["runner"] = args.runner
    if args.dask_address:
        overrides["dask_address"] = args.dask_address
    if overrides:
        settings = settings.model_copy(update=overrides)
    try:
        run_record(with_environment(settings))  # the model must be installed: refuse before anything starts
    except SettingsError as exc:
        raise UserError(str(exc)) from None
    return settings


def cmd_ingest(args: argparse.Namespace) -> int:
    if sys.stderr.isatty() and not args.verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    check_paths(args)
    from flows.stopping import start_reaper, stop_on_signals

    stop_on_signals("ingest")  # Ctrl-C / SIGTERM: one line, exit 130 / 143, no process left
    start_reaper()  # and none left after kill -9 either (the local server it starts included)
    status = Status("ingest")
    try:
        # said at once: on a busy machine the imports behind the checks alone take seconds
        status.say("checking the settings and the spaCy model...")
        settings = checked_settings(args)
        try:
            ensure_prefect_server(status)
        except LocalServerFailed as exc:
            raise UserError(f"{exc}; or point PREFECT_API_URL at a running server (see README)", EXIT_FAILED) from None
        status.update("starting the run...")
        from flows.ingest import ingest
        from flows.locking import RunLocked
        from flows.settings import SettingsError
        from warehouse.migrate import MigrationError
        from warehouse.store import WarehouseLocked, WarehouseUnreadable
    finally:
        status.close()

    hide_console_tracebacks(RunLocked, WarehouseLocked, SettingsError, MigrationError, WarehouseUnreadable)
    try:
        summary = ingest(paths=[str(p) for p in args.paths] or None, db_path=str(_db(args)), settings=settings)
    except (RunLocked, WarehouseLocked) as exc:
        raise UserError(one_line(exc), EXIT_BUSY) from None
    except (MigrationError, WarehouseUnreadable) as exc:  # refused before any work was done
        raise UserError(one_line(exc), EXIT_FAILED) from None
    except SettingsError as exc:
        raise UserError(one_line(exc)) from None
    except Exception as exc:  # the run itself failed: say so, non-zero
        raise UserError(f"the run failed: {type(exc).__name__}: {one_line(exc)}", EXIT_FAILED) from None
    if args.json:
        print(json.dumps(summary, default=str, indent=1))
    else:
        print_summary(summary)
    return 0


def _existing_db(args: argparse.Namespace) -> Path:
    """The database to read, brought up to date if an older newsdag wrote it (`sql`, `search`,
    `report` and `export` read the views and tables this newsdag knows: one short write
    transaction, none when it is up to date), or a UserError saying why not."""
    from warehouse.migrate import MigrationError
    from warehouse.store import WarehouseLocked, WarehouseUnreadable, upgrade_schema

    db = _db(args)
    if not db.is_file():
        raise UserError(f"no database at {db}; run `newsdag ingest` first, or pass --db FILE")
    try:
        upgrade_schema(db)
    except MigrationError:
        pass  # written by a newer newsdag or with an edited migration: read it as it is
    except WarehouseLocked as exc:
        raise UserError(one_line(exc), EXIT_BUSY) from None
    except WarehouseUnreadable as exc:  # not a DuckDB file: one line, not a traceback
        raise UserError(one_line(exc), EXIT_FAILED) from None
    return db


def cmd_sql(args: argparse.Namespace) -> int:
    from warehouse.store import QueryFailed, QueryRefused, WarehouseLocked, WarehouseUnreadable, query

    db = _existing_db(args)
    try:
        names, rows = query(db, args.query)
    except QueryRefused as exc:  # not a read-only query: a usage error
        raise UserError(one_line(exc)) from None
    except WarehouseLocked as exc:
        raise UserError(one_line(exc), EXIT_BUSY) from None
    except (WarehouseUnreadable, QueryFailed) as exc:
        raise UserError(one_line(exc), EXIT_FAILED) from None
    print(format_table(names, rows, max_width=args.max_width))
    return 0


def _read_only(args: argparse.Namespace):
    """A read-only connection to the database, or a UserError saying why not."""
    from warehouse.store import WarehouseLocked, WarehouseUnreadable, connect_read_only

    db = _existing_db(args)
    try:
        return db, connect_read_only(db)
    except WarehouseLocked as exc:
        raise UserError(one_line(exc), EXIT_BUSY) from None
    except WarehouseUnreadable as exc:  # not a DuckDB file: one line, not a traceback
        raise UserError(one_line(exc), EXIT_FAILED) from None


def _writable_file(path: str) -> Path:
    """An output file whose folder exists (checked before any work is done)."""
    out = Path(path)
    if out.is_dir():
        raise UserError(f"--out {path} is a folder; give a file name, e.g. {out / 'report.html'}")
    if not out.parent.is_dir():
        raise UserError(f"cannot write {path}: folder {out.parent} does not exist")
    return out


def cmd_search(args: argparse.Namespace) -> int:
    from warehouse.fts import SearchUnavailable, search

    if args.limit < 1:
        raise UserError("--limit must be at least 1")
    db, con = _read_only(args)
    try:
        hits = search(con, args.query, limit=args.limit)
    except SearchUnavailable as exc:
        raise UserError(one_line(exc), EXIT_FAILED) from None
    finally:
        con.close()
    if not hits:
        print(f"no documents match {args.query!r}")
    for i, h in enumerate(hits, 1):
        print(f"{i:2d}. [{h['score']:.2f}] {h['title'] or '(no title)'} — {h['site'] or '?'}"
              f"{' · ' + str(h['published']) if h['published'] else ''}  ({h['doc_id']})")
        print(f"    {h['snippet']}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from flows.html_report import render_report
    from warehouse.analysis import report_data

    out = _writable_file(args.out)
    db, con = _read_only(args)
    try:
        page = render_report(report_data(con, min_confidence=args.min_confidence), str(db), args.min_confidence)
    finally:
        con.close()
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or one_line(exc)}") from None
    print(f"newsdag report: wrote {out} ({len(page) // 1024} KiB, self-contained)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.analysis import export_parquet

    target = Path(args.parquet)
    if target.exists() and not target.is_dir():
        raise UserError(f"--parquet {target} is a file; give a folder")
    db, con = _read_only(args)
    try:
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create {target}: {exc.strerror or one_line(exc)}") from None
        counts = export_parquet(con, target, force=args.force)
    except FileExistsError as exc:  # Parquet files already there and no --force
        raise UserError(one_line(exc)) from None
    finally:
        con.close()
    for name, n in counts.items():
        print(f"{name:22s} {n:8d} rows")
    print(f"newsdag export: {len(counts)} Parquet files in {target}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.serve import ServerUnavailable, serve

    try:
        serve()
    except ServerUnavailable as exc:
        raise UserError(one_line(exc)) from None
    return 0


DB_HELP = "DuckDB file (default: $NEWSDAG_DB, else data/news.duckdb)"


def build_parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
    p = argparse.ArgumentParser(prog="newsdag", description="Scraped news in, an analysable DuckDB record out.",
                                epilog=f"exit codes:\n{codes}", formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="run the ingest flow over files and folders (default: the sample corpus)")
    ing.add_argument("paths", nargs="*", type=Path, help="files or folders (txt, html, json, jsonl, .gz)")
    ing.add_argument("--db", help=DB_HELP)
    ing.add_argument("--settings", help="YAML or JSON file of run settings (see flows/settings.py), e.g. nlp: {model: en_core_web_lg}")
    ing.add_argument("--batch-size", type=int, help="documents per batch (default 250)")
    ing.add_argument("--lock-timeout", type=float, help="seconds to wait for a database held by someone else")
    ing.add_argument("--runner", choices=["default", "dask"], help="'dask' runs the NLP batches on Dask workers")
    ing.add_argument("--dask-address", help="scheduler of an existing Dask cluster (default: a local cluster)")
    ing.add_argument("--json", action="store_true", help="print the run summary as JSON")
    ing.add_argument("-v", "--verbose", action="store_true", help="show Prefect's log lines on a terminal too")
    ing.set_defaults(func=cmd_ingest)

    sql = sub.add_parser("sql", help="run one read-only query and print the result as a table")
    sql.add_argument("query", help="one SQL statement, e.g. \"SELECT * FROM event_timeline\"")
    sql.add_argument("--db", help=DB_HELP)
    sql.add_argument("--max-width", type=int, default=60, help="truncate cells to this many characters (default 60)")
    sql.set_defaults(func=cmd_sql)

    se = sub.add_parser("search", help="full-text search over titles and article bodies")
    se.add_argument("query", help="words to look for, e.g. \"S-400 sanctions\"")
    se.add_argument("--db", help=DB_HELP)
    se.add_argument("--limit", type=int, default=10, help="show at most this many documents (default 10)")
    se.set_defaults(func=cmd_search)

    rep = sub.add_parser("report", help="write a self-contained HTML report with charts")
    rep.add_argument("--db", help=DB_HELP)
    rep.add_argument("--out", default="report.html", help="the HTML file to write (default report.html); its folder must exist")
    rep.add_argument("--min-confidence", type=float, default=0.5,
                     help="events below this confidence are left out of the charts, and counted (default 0.5)")
    rep.set_defaults(func=cmd_report)

    exp = sub.add_parser("export", help="write every public table as Parquet")
    exp.add_argument("--parquet", required=True, metavar="DIR", help="folder for <table>.parquet files (created if missing)")
    exp.add_argument("--force", action="store_true", help="replace Parquet files already in DIR")
    exp.add_argument("--db", help=DB_HELP)
    exp.set_defaults(func=cmd_export)

    srv = sub.add_parser("serve", help="serve the deployments in prefect.yaml (schedules, UI triggers)")
    srv.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"newsdag {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # `newsdag sql ... | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
