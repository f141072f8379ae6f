"""Read-side helpers for analysts: Parquet export and the figures behind the HTML report."""
from __future__ import annotations

from pathlib import Path

import duckdb

PUBLIC_TABLES = (
    "documents", "removed_lines", "duplicates", "stories", "entities", "entity_aliases", "mentions", "quotes",
    "events", "event_arguments", "event_mentions", "loads",
    "event_timeline", "actor_pairs", "entity_cooccurrence", "story_summary", "quotes_by_speaker",
)


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> dict[str, int]:
    """Every public table and view as `<name>.parquet` in out_dir; returns rows per file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in PUBLIC_TABLES:
        target = out / f"{name}.parquet"
        con.execute(f"COPY (SELECT * FROM {name}) TO '{target.as_posix()}' (FORMAT parquet, COMPRESSION zstd)")
        counts[name] = con.execute(f"SELECT count(*) FROM '{target.as_posix()}'").fetchone()[0]
    return counts


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def report_data(con: duckdb.DuckDBPyConnection, top: int = 15) -> dict[str, list[dict]]:
    """What the report draws, as plain rows."""
    return {
        "totals": _rows(con, """
            SELECT (SELECT count(*) FROM documents WHERE status = 'ok') AS documents,
                   (SELECT count(*) FROM documents WHERE status = 'duplicate') AS duplicates,
                   (SELECT count(*) FROM documents WHERE status = 'rejected') AS rejected,
                   (SELECT count(*) FROM stories) AS stories, (SELECT count(*) FROM entities) AS entities,
                   (SELECT count(*) FROM quotes) AS quotes, (SELECT count(*) FROM events) AS events"""),
        "events_by_month": _rows(con, """
            SELECT strftime(date_trunc('month', event_date), '%Y-%m') AS month, event_type, count(*) AS events
            FROM events WHERE event_date IS NOT NULL AND confidence >= 0.5 GROUP BY ALL ORDER BY month, event_type"""),
        "top_actors": _rows(con, f"""
            SELECT a.name, count(DISTINCT a.event_id) AS events FROM event_arguments a JOIN events e USING (event_id)
            WHERE a.role IN ('actor', 'target') AND e.confidence >= 0.5 GROUP BY a.name ORDER BY events DESC, a.name LIMIT {top}"""),
        "top_pairs": _rows(con, f"""
            SELECT actor || ' – ' || target AS pair, sum(num_events) AS events FROM actor_pairs
            GROUP BY ALL ORDER BY events DESC, pair LIMIT {top}"""),
        "cooccurrence": _rows(con, f"""
            SELECT name_1, name_2, num_documents FROM entity_cooccurrence
            WHERE label_1 NOT IN ('DATE', 'CARDINAL') ORDER BY num_documents DESC, name_1, name_2 LIMIT {top * 4}"""),
        "stories": _rows(con, f"""
            SELECT label, num_documents, num_sources FROM story_summary
            ORDER BY num_documents DESC, label LIMIT {top}"""),
    }
