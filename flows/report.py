"""The run summary as Prefect artifacts: a markdown summary and a table of the new events."""
from __future__ import annotations

from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

MAX_EVENT_ROWS = 500


def summary_markdown(summary: dict[str, Any]) -> str:
    rejected = summary.get("rejected") or {}
    lines = [
        f"# newsdag load `{summary['load_id']}`",
        f"Database: `{summary['db_path']}`; {summary['elapsed_s']:.1f} s in all.",
        "",
        "| what | count |", "|---|---:|",
        f"| files | {summary['files']} ({summary['files_skipped']} unchanged, skipped) |",
        f"| documents read | {summary['documents_read']} |",
        f"| documents new | {summary['documents_new']} |",
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
    return "\n".join(lines)


def event_table(event_rows: list[dict], argument_rows: list[dict]) -> list[dict[str, Any]]:
    """New or updated events with their arguments, one row each, for the UI."""
    args: dict[str, dict[str, list[str]]] = {}
    for a in argument_rows:
        args.setdefault(a["event_id"], {}).setdefault(a["role"], []).append(a.get("name") or "")
    out = []
    for e in event_rows[:MAX_EVENT_ROWS]:
        roles = args.get(e["event_id"], {})
        out.append({
            "event_id": e["event_id"], "type": e.get("event_type"),
            "date": str(e["event_date"]) if e.get("event_date") else "",
            "actors": "; ".join(sorted(set(roles.get("actor", [])))),
            "targets": "; ".join(sorted(set(roles.get("target", [])))),
            "location": e.get("location") or "",
        })
    return out


def publish_artifacts(summary: dict[str, Any], event_rows: list[dict], argument_rows: list[dict]) -> None:
    create_markdown_artifact(markdown=summary_markdown(summary), key="ingest-summary",
                             description=f"newsdag load {summary['load_id']}")
    table = event_table(event_rows, argument_rows)
    if table:
        create_table_artifact(table=table, key="new-events", description="Events added or updated by this load")
