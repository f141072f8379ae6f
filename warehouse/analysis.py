"""Read-side helpers for analysts: Parquet export and the figures behind the HTML report."""
from __future__ import annotations

from pathlib import Path

import duckdb

PUBLIC_TABLES = (
    "documents", "removed_lines", "duplicates", "stories", "entities", "entity_aliases", "mentions", "quotes",
    "events", "event_arguments", "event_mentions", "loads",
    "event_timeline", "actor_pairs", "entity_cooccurrence", "story_summary", "quotes_by_speaker",
)


def sql_string(value: str) -> str:
    """A SQL string literal: quotes doubled, so a path is only ever a path."""
    return "'" + value.replace("'", "''") + "'"


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: str | Path, force: bool = False) -> dict[str, int]:
    """Every public table and view as `<name>.parquet` in out_dir; returns rows per file.
    Existing files are refused (FileExistsError, before anything is written) unless `force`."""
    out = Path(out_dir)
    targets = {name: out / f"{name}.parquet" for name in PUBLIC_TABLES}
    existing = [str(t) for t in targets.values() if t.exists()]
    if existing and not force:
        raise FileExistsError(f"{len(existing)} file(s) would be overwritten, e.g. {existing[0]}; "
                              "use --force to replace them")
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, target in targets.items():
        con.execute(f"COPY (SELECT * FROM {name}) TO {sql_string(str(target.resolve()))} "
                    "(FORMAT parquet, COMPRESSION zstd)")
        counts[name] = con.execute("SELECT count(*) FROM read_parquet(?)", [str(target.resolve())]).fetchone()[0]
    return counts


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# Entities drawn in the co-occurrence network: named kinds only (NORP repeats the country as an
# adjective, "Russian" beside "Russia"), named in at least two documents, mostly under the label
# they carry (spaCy agreed with itself), and shaped like a name.
NETWORK_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT")
NETWORK_MIN_DOCUMENTS = 2
NETWORK_MIN_LABEL_AGREEMENT = 0.5
NETWORK_NAME_PATTERN = r"^[[:upper:][:digit:]][^@/<>|]{1,59}$"
NETWORK_MAX_WORDS = 6


def report_data(con: duckdb.DuckDBPyConnection, top: int = 15, min_confidence: float = 0.5) -> dict[str, list[dict]]:
    """What the report draws, as plain rows. Events below `min_confidence` are left out of every
    event chart, and counted in `event_counts` so the report can say so."""
    conf = float(min_confidence)
    labels = ", ".join(f"'{label}'" for label in NETWORK_LABELS)
    return {
        "totals": _rows(con, """
            SELECT (SELECT count(*) FROM documents) AS documents,
                   (SELECT count(*) FROM documents WHERE status = 'ok') AS ok,
                   (SELECT count(*) FROM documents WHERE status = 'duplicate') AS duplicates,
                   (SELECT count(*) FROM documents WHERE status = 'rejected') AS rejected,
                   (SELECT count(*) FROM stories) AS stories, (SELECT count(*) FROM entities) AS entities,
                   (SELECT count(*) FROM quotes) AS quotes, (SELECT count(*) FROM events) AS events"""),
        "event_counts": _rows(con, f"""
            SELECT count(*) AS events,
                   count(*) FILTER (WHERE confidence >= {conf} AND event_date IS NOT NULL) AS shown,
                   count(*) FILTER (WHERE confidence >= {conf} AND event_date IS NULL) AS undated,
                   count(*) FILTER (WHERE confidence < {conf} OR confidence IS NULL) AS low_confidence
            FROM events"""),
        "events": _rows(con, f"""
            SELECT event_date, date_precision, event_type, actors, targets, location, num_documents, confidence
            FROM event_timeline WHERE confidence >= {conf} AND event_date IS NOT NULL
            ORDER BY event_date, event_type"""),
        "top_actors": _rows(con, f"""
            SELECT a.name, count(DISTINCT a.event_id) AS events FROM event_arguments a
            JOIN events e USING (event_id)
            WHERE a.role IN ('actor', 'target') AND e.confidence >= {conf}
            GROUP BY a.name ORDER BY events DESC, a.name LIMIT {top}"""),
        "top_pairs": _rows(con, f"""
            WITH args AS (SELECT a.event_id, a.role, a.name FROM event_arguments a JOIN events e USING (event_id)
                          WHERE e.confidence >= {conf} AND a.role IN ('actor', 'target'))
            SELECT pair, count(DISTINCT event_id) AS events FROM (
                SELECT a.event_id, a.name || ' → ' || t.name AS pair FROM args a
                JOIN args t ON t.event_id = a.event_id AND a.role = 'actor' AND t.role = 'target' AND a.name <> t.name
                UNION ALL
                SELECT a.event_id, a.name || ' – ' || b.name FROM args a
                JOIN args b ON b.event_id = a.event_id AND a.role = 'actor' AND b.role = 'actor' AND a.name < b.name
                WHERE NOT EXISTS (SELECT 1 FROM args t WHERE t.event_id = a.event_id AND t.role = 'target'))
            GROUP BY pair ORDER BY events DESC, pair LIMIT {top}"""),
        "cooccurrence": _rows(con, f"""
            WITH named AS (
                SELECT e.entity_id, e.label FROM entities e JOIN mentions m USING (entity_id) JOIN documents d USING (doc_id)
                WHERE d.status = 'ok' AND e.label IN ({labels})
                  AND regexp_matches(e.name, '{NETWORK_NAME_PATTERN}')
                  AND len(string_split(trim(e.name), ' ')) <= {NETWORK_MAX_WORDS}
                GROUP BY e.entity_id, e.label
                HAVING count(DISTINCT m.doc_id) >= {NETWORK_MIN_DOCUMENTS}
                   AND avg(CASE WHEN m.label = e.label THEN 1.0 ELSE 0.0 END) >= {NETWORK_MIN_LABEL_AGREEMENT})
            SELECT c.name_1, c.label_1, c.name_2, c.label_2, c.num_documents FROM entity_cooccurrence c
            WHERE c.entity_id_1 IN (SELECT entity_id FROM named) AND c.entity_id_2 IN (SELECT entity_id FROM named)
            ORDER BY c.num_documents DESC, c.name_1, c.name_2 LIMIT {top * 4}"""),
        "network_rule": [{"labels": ", ".join(NETWORK_LABELS), "min_documents": NETWORK_MIN_DOCUMENTS,
                          "min_label_agreement": NETWORK_MIN_LABEL_AGREEMENT}],
        "stories": _rows(con, f"""
            SELECT label, num_documents, num_sources FROM story_summary
            ORDER BY num_documents DESC, label LIMIT {top}"""),
    }
