"""The run summary as Prefect artifacts: a markdown summary and a table of the new events."""
from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from warehouse.store import StagedRows

MAX_EVENT_ROWS = 500
SENTENCE_CHARS = 120  # cells do not wrap in the UI: the evidence stays a readable width; the full sentence is in event_mentions


def summary_markdown(summary: dict[str, Any]) -> str:
    rejected = summary.get("rejected") or {}
    model = summary.get("model") or {}
    lines = [
        f"# newsdag load `{summary['load_id']}`",
        f"Database: `{summary['db_path']}`; {summary['elapsed_s']:.1f} s in all.",
        f"newsdag {summary.get('newsdag_version', '?')} · spaCy model `{model.get('name', '?')}` "
        f"{model.get('version', '')} (spaCy {model.get('spacy_version', '?')})",
        "",
        "| what | count |", "|---|---:|",
        f"| files | {summary['files']} ({summary['files_skipped']} unchanged, skipped) |",
        f"| documents read | {summary['documents_read']} |",
        f"| documents new | {summary['documents_new']} |",
        f"| loads committed | {len(summary.get('loads') or [summary['load_id']])} |",
        f"| cleaned, ok | {summary['ok']} |",
        f"| duplicates | {summary['duplicate']} |",
        f"| rejected | {sum(rejected.values())} |",
    ]
    lines += [f"| rejected: {reason} | {n} |" for reason, n in rejected.items()]
    lines += [
        f"| stories added or updated | {summary['stories']} |",
        f"| entities added or updated | {summary['entities']} |",
        f"| mentions | {summary['mentions']} |",
        f"| quotes | {summary['quotes']} |",
        f"| events added or updated | {summary['events']} |",
        "", "## Seconds per stage", "", "| stage | seconds |", "|---|---:|",
    ]
    lines += [f"| {stage} | {sec:.2f} |" for stage, sec in (summary.get("seconds") or {}).items()]
    if summary.get("settings"):
        lines += ["", "## Settings used", "", "```json", json.dumps(summary["settings"], indent=1), "```"]
    return "\n".join(lines)


def _short(text: str | None, limit: int = SENTENCE_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def outlet_name(site: str | None, source_uri: str | None) -> str:
    """The outlet as a reader names it: the site, else the URL's host, else the file's name."""
    if site:
        return site
    if not source_uri:
        return ""
    if "://" in source_uri:
        return urlsplit(source_uri).hostname or source_uri
    return PurePath(source_uri.split("#", 1)[0]).name


def event_table(event_rows: list[dict], argument_rows: list[dict], mention_rows: list[dict] = (),
                document_rows: list[dict] = ()) -> list[dict[str, Any]]:
    """New or updated events, one row each: dated ones first by date, then by confidence.

    Columns in reading order, short ones first (the UI's table does not wrap cells): when, what,
    who → whom, which outlet, the evidence (the most confident reporting sentence of this load,
    shortened), where, confidence, and last the event id for SQL.
    """
    args: dict[str, dict[str, list[str]]] = {}
    for a in argument_rows:
        args.setdefault(a["event_id"], {}).setdefault(a["role"], []).append(a.get("name") or "")
    best_mention: dict[str, dict] = {}
    for m in mention_rows:
        held = best_mention.get(m["event_id"])
        if held is None or (m.get("confidence") or 0) > (held.get("confidence") or 0):
            best_mention[m["event_id"]] = m
    outlets = {d["doc_id"]: outlet_name(d.get("site"), d.get("source_uri")) for d in document_rows}

    def order(e: dict) -> tuple:
        return (e.get("event_date") is None, str(e.get("event_date") or ""), -(e.get("confidence") or 0),
                e.get("event_type") or "", e["event_id"])

    out = []
    for e in sorted(event_rows, key=order)[:MAX_EVENT_ROWS]:
        roles = args.get(e["event_id"], {})
        actors = "; ".join(sorted(set(roles.get("actor", [])))) or "?"
        targets = "; ".join(sorted(set(roles.get("target", []))))
        mention = best_mention.get(e["event_id"], {})
        out.append({
            "date": str(e["event_date"]) if e.get("event_date") else "undated",
            "type": e.get("event_type") or "",
            "who → whom": f"{actors} → {targets}" if targets else actors,
            "outlet": outlets.get(mention.get("doc_id"), ""),
            "evidence": _short(mention.get("sentence")),
            "location": e.get("location") or "",
            "confidence": round(float(e.get("confidence") or 0), 2),
            "event_id": e["event_id"],
        })
    return out


def staged_event_table(staged: StagedRows) -> list[dict[str, Any]]:
    """The event table of a run's staged rows (document columns read narrowly: bodies stay in Arrow)."""
    documents = [r for part in staged.tables.get("documents", [])
                 for r in part.select([c for c in ("doc_id", "site", "source_uri") if c in part.column_names]).to_pylist()]
    return event_table(staged.rows("event_records"), staged.rows("event_arguments"), staged.rows("event_mentions"),
                       documents)


def publish_artifacts(summary: dict[str, Any], staged: StagedRows) -> None:
    create_markdown_artifact(markdown=summary_markdown(summary), key="ingest-summary",
                             description=f"newsdag load {summary['load_id']}")
    table = staged_event_table(staged)
    if table:
        create_table_artifact(table=table, key="new-events",
                              description="Events added or updated by this load, by date (undated last), "
                                          "with the most confident reporting sentence")
