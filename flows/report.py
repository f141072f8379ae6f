"""The run summary as Prefect artifacts: a markdown summary and a table of the new events."""
from __future__ import annotations

import json
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from warehouse.store import StagedRows

MAX_EVENT_ROWS = 500
SENTENCE_CHARS = 180  # the evidence column stays one readable cell; the full sentence is in event_mentions


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


def event_table(event_rows: list[dict], argument_rows: list[dict], mention_rows: list[dict] = (),
                document_rows: list[dict] = ()) -> list[dict[str, Any]]:
    """New or updated events, one row each: dated ones first by date, then by confidence.

    Each row shows who did what to whom, where, and its evidence: the most confident reporting
    sentence of this load and the outlet that printed it. The event id comes last (for SQL).
    """
    args: dict[str, dict[str, list[str]]] = {}
    for a in argument_rows:
        args.setdefault(a["event_id"], {}).setdefault(a["role"], []).append(a.get("name") or "")
    best_mention: dict[str, dict] = {}
    for m in mention_rows:
        held = best_mention.get(m["event_id"])
        if held is None or (m.get("confidence") or 0) > (held.get("confidence") or 0):
            best_mention[m["event_id"]] = m
    outlets = {d["doc_id"]: d.get("site") or d.get("source_uri") or "" for d in document_rows}

    def order(e: dict) -> tuple:
        return (e.get("event_date") is None, str(e.get("event_date") or ""), -(e.get("confidence") or 0),
                e.get("event_type") or "", e["event_id"])

    out = []
    for e in sorted(event_rows, key=order)[:MAX_EVENT_ROWS]:
        roles = args.get(e["event_id"], {})
        mention = best_mention.get(e["event_id"], {})
        out.append({
            "date": str(e["event_date"]) if e.get("event_date") else "undated",
            "type": e.get("event_type") or "",
            "actors": "; ".join(sorted(set(roles.get("actor", [])))),
            "targets": "; ".join(sorted(set(roles.get("target", [])))),
            "location": e.get("location") or "",
            "outlet": outlets.get(mention.get("doc_id"), ""),
            "evidence": _short(mention.get("sentence")),
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
