"""The `newsdag` command line: ingest, sql, search, report, export, serve."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence


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
    print(f"newsdag: load {summary['load_id']} completed into {summary['db_path']} in {summary['elapsed_s']:.1f} s")
    print(f"  files {summary['files']} ({summary['files_skipped']} unchanged, skipped) · "
          f"documents read {summary['documents_read']} · new {summary['documents_new']}")
    print(f"  ok {summary['ok']} · duplicate {summary['duplicate']} · rejected {sum(rej.values())} ({rej_text})")
    print(f"  stories {summary['stories']} · entities {summary['entities']} · mentions {summary['mentions']} · "
          f"quotes {summary['quotes']} · events {summary['events']}")
    secs = summary.get("seconds") or {}
    if secs:
        print("  seconds: " + " · ".join(f"{k} {v:.1f}" for k, v in secs.items() if k != "files"))


def load_settings(path: str | None):
    """IngestSettings from a YAML or JSON file (any subset of fields), else the defaults."""
    from flows.settings import IngestSettings

    if not path:
        return IngestSettings()
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return IngestSettings.model_validate(data)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tasks.read import InputNotFound, expand_paths

    try:
        if args.paths:
            expand_paths(args.paths)
    except InputNotFound as exc:
        print(f"newsdag ingest: {exc}", file=sys.stderr)
        return 2
    if sys.stderr.isatty() and not args.verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from flows.stopping import start_reaper, stop_on_signals

    stop_on_signals("ingest")  # Ctrl-C / SIGTERM: one line, exit 130 / 143, no process left
    start_reaper()  # and none left after kill -9 either
    from flows.ingest import ingest
    from flows.locking import RunLocked
    from warehouse.store import WarehouseLocked

    try:
        settings = load_settings(args.settings)
    except (OSError, ValueError) as exc:
        print(f"newsdag ingest: bad --settings file: {exc}", file=sys.stderr)
        return 2
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
        summary = ingest(paths=[str(p) for p in args.paths] or None, db_path=str(_db(args)), settings=settings)
    except (RunLocked, WarehouseLocked) as exc:
        print(f"newsdag ingest: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # the run itself failed: say so, non-zero
        print(f"newsdag ingest: the run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary, default=str, indent=1))
    else:
        print_summary(summary)
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from warehouse.store import QueryFailed, QueryRefused, WarehouseLocked, WarehouseUnreadable, query

    db = _db(args)
    if not db.exists():
        print(f"newsdag sql: no database at {db}; run `newsdag ingest` first", file=sys.stderr)
        return 2
    try:
        names, rows = query(db, args.query)
    except QueryRefused as exc:
        print(f"newsdag sql: {exc}", file=sys.stderr)
        return 2
    except WarehouseLocked as exc:
        print(f"newsdag sql: {exc}", file=sys.stderr)
        return 3
    except (WarehouseUnreadable, QueryFailed) as exc:
        print(f"newsdag sql: {exc}", file=sys.stderr)
        return 1
    print(format_table(names, rows, max_width=args.max_width))
    return 0


def _read_only(args: argparse.Namespace, command: str):
    from warehouse.store import WarehouseLocked, WarehouseUnreadable, connect_read_only

    db = _db(args)
    if not db.exists():
        raise SystemExit(f"newsdag {command}: no database at {db}; run `newsdag ingest` first")
    try:
        return db, connect_read_only(db)
    except (WarehouseLocked, WarehouseUnreadable) as exc:  # one line, not a traceback
        raise SystemExit(f"newsdag {command}: {exc}") from None


def cmd_search(args: argparse.Namespace) -> int:
    from warehouse.fts import SearchUnavailable, search

    db, con = _read_only(args, "search")
    try:
        hits = search(con, args.query, limit=args.limit)
    except SearchUnavailable as exc:
        print(f"newsdag search: {exc}", file=sys.stderr)
        return 1
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

    db, con = _read_only(args, "report")
    try:
        page = render_report(report_data(con), str(db))
    finally:
        con.close()
    Path(args.out).write_text(page, encoding="utf-8")
    print(f"newsdag report: wrote {args.out} ({len(page) // 1024} KiB, self-contained)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.analysis import export_parquet

    db, con = _read_only(args, "export")
    try:
        counts = export_parquet(con, args.parquet, force=args.force)
    except FileExistsError as exc:
        print(f"newsdag export: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    for name, n in counts.items():
        print(f"{name:22s} {n:8d} rows")
    print(f"newsdag export: {len(counts)} Parquet files in {args.parquet}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.serve import ServerUnavailable, serve

    try:
        serve()
    except ServerUnavailable as exc:
        print(f"newsdag serve: {exc}", file=sys.stderr)
        return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsdag", description="Scraped news in, an analysable DuckDB record out.")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="run the ingest flow over files and folders (default: the sample corpus)")
    ing.add_argument("paths", nargs="*", type=Path, help="files or folders (txt, html, json, jsonl, .gz)")
    ing.add_argument("--db", help="DuckDB file (default: $NEWSDAG_DB, else data/news.duckdb)")
    ing.add_argument("--settings", help="YAML or JSON file of run settings (see flows/settings.py), e.g. nlp: {model: en_core_web_lg}")
    ing.add_argument("--batch-size", type=int, help="documents per batch (default 250)")
    ing.add_argument("--lock-timeout", type=float, help="seconds to wait for a database held by someone else")
    ing.add_argument("--runner", choices=["default", "dask"], help="'dask' runs the NLP batches on Dask workers")
    ing.add_argument("--dask-address", help="scheduler of an existing Dask cluster (default: a local cluster)")
    ing.add_argument("--json", action="store_true", help="print the run summary as JSON")
    ing.add_argument("-v", "--verbose", action="store_true", help="show Prefect's log lines on a terminal too")
    ing.set_defaults(func=cmd_ingest)

    sql = sub.add_parser("sql", help="run one read-only query and print the result as a table")
    sql.add_argument("query")
    sql.add_argument("--db")
    sql.add_argument("--max-width", type=int, default=60, help="truncate cells to this many characters")
    sql.set_defaults(func=cmd_sql)

    se = sub.add_parser("search", help="full-text search over titles and article bodies")
    se.add_argument("query")
    se.add_argument("--db")
    se.add_argument("--limit", type=int, default=10)
    se.set_defaults(func=cmd_search)

    rep = sub.add_parser("report", help="write a self-contained HTML report with charts")
    rep.add_argument("--db")
    rep.add_argument("--out", default="report.html")
    rep.set_defaults(func=cmd_report)

    exp = sub.add_parser("export", help="write every public table as Parquet")
    exp.add_argument("--parquet", required=True, metavar="DIR")
    exp.add_argument("--force", action="store_true", help="replace Parquet files already in DIR")
    exp.add_argument("--db")
    exp.set_defaults(func=cmd_export)

    srv = sub.add_parser("serve", help="serve the deployments in prefect.yaml (schedules, UI triggers)")
    srv.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
