"""Grow a warehouse by copies of its own rows, for benchmarks (bench/growth.py).

Real runs build the first few thousand documents; this turns them into tens of thousands or a
million with every table at its real shape and size, in minutes instead of days of parsing.
Copy k of a row gets new ids (`doc_id^k`, `entity_id^k`, `event_id^k`, story and component ids),
new exact keys (md5 of the key and k), new MinHash bucket ids (a hash of the bucket and k), new
line keys, story index keys and file paths, and new search document numbers: to every lookup a
copy is a distinct document that never meets the originals' keys, as a new real document would
not (a near duplicate would).
Entities are copied with their documents (a conservative choice: a real warehouse's entities grow
more slowly than its documents), named `name ^k`.

Only rows of the originals (ids without `^`; not `~`, which the story stage's own ids use: a
split story's `s_...~1`) are copied, so `replicate(db, 1, 9)` then `replicate(db, 10, 99)` gives
the originals and 99 copies. A table not listed here is left as it
is and named in the result (`skipped`), so a new state table cannot be missed silently.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.store import connect_write


def _id(col: str) -> str:
    return f"{col} || '^' || ks"


def _ids(col: str) -> str:  # a comma-separated list of ids
    return f"array_to_string(list_transform(string_split({col}, ','), x -> CASE WHEN x = '' THEN x ELSE x || '^' || ks END), ',')"


ORIGINAL = "NOT contains({col}, '^')"

# table -> (column that marks an original row, {column: expression of the copy})
COPIES: dict[str, tuple[str, dict[str, str]]] = {
    "documents": ("doc_id", {"doc_id": _id("doc_id"), "content_hash": "md5(content_hash || ks)",
                             "duplicate_of": _id("duplicate_of"), "story_id": _id("story_id"),
                             "file_path": _id("file_path"), "source_uri": _id("source_uri")}),
    "removed_lines": ("doc_id", {"doc_id": _id("doc_id")}),
    "duplicates": ("doc_id", {"doc_id": _id("doc_id"), "duplicate_of": _id("duplicate_of")}),
    "story_records": ("story_id", {"story_id": _id("story_id")}),
    "story_merges": ("story_id", {"story_id": _id("story_id"), "merged_into": _id("merged_into")}),
    "story_features": ("doc_id", {"doc_id": _id("doc_id"), "story_id": _id("story_id"),
                                  "seq": "seq + k * (SELECT max(seq) + 1 FROM story_features WHERE NOT contains(doc_id, '^'))"}),
    "story_doc_features": ("doc_id", {"doc_id": _id("doc_id"), "legacy_group": _id("legacy_group"),
                                      "seq": "seq + k * (SELECT max(seq) + 1 FROM story_doc_features WHERE NOT contains(doc_id, '^'))"}),
    # a copy's index keys are its own ("key^k", dated "key^k@period"): it never meets a new document's
    "story_keys": ("doc_id", {"doc_id": _id("doc_id"), "key": _id("key"),
                              "dated_key": "key || '^' || ks || substr(dated_key, length(key) + 1)"}),
    "story_links": ("doc_id", {"doc_id": _id("doc_id"), "other_id": _id("other_id")}),
    "story_assignments": ("doc_id", {"doc_id": _id("doc_id"), "component_id": _id("component_id"),
                                     "story_id": _id("story_id")}),
    "entities": ("entity_id", {"entity_id": _id("entity_id"), "name": "name || ' ^' || ks"}),
    "entity_aliases": ("entity_id", {"entity_id": _id("entity_id"), "alias": "alias || ' ^' || ks"}),
    "entity_person_keys": ("entity_id", {"entity_id": _id("entity_id"), "last_token": "last_token || '^' || ks"}),
    "entity_label_votes": ("entity_id", {"entity_id": _id("entity_id")}),
    "entity_name_forms": ("entity_id", {"entity_id": _id("entity_id")}),
    "mentions": ("doc_id", {"doc_id": _id("doc_id"), "entity_id": _id("entity_id")}),
    "quotes": ("doc_id", {"doc_id": _id("doc_id"), "speaker_entity_id": _id("speaker_entity_id")}),
    "event_records": ("event_id", {"event_id": _id("event_id")}),
    "event_arguments": ("event_id", {"event_id": _id("event_id"), "entity_id": _id("entity_id")}),
    "event_mentions": ("event_id", {"event_id": _id("event_id"), "doc_id": _id("doc_id")}),
    "nlp_event_keys": ("event_id", {
        "event_id": "CASE WHEN suffix(event_id, '#hint') THEN left(event_id, length(event_id) - 5) || '^' || ks || '#hint' "
                    "ELSE event_id || '^' || ks END",
        "actor_ids": _ids("actor_ids"), "target_ids": _ids("target_ids"), "story_ids": _ids("story_ids")}),
    "ingested_files": ("file_path", {"file_path": _id("file_path"), "file_hash": "md5(file_hash || ks)"}),
    "site_lines": ("line_key", {"line_key": _id("line_key")}),
    "dedup_keys": ("doc_id", {"doc_id": _id("doc_id"), "content_hash": "md5(content_hash || ks)"}),
    "minhash_bands": ("doc_id", {"doc_id": _id("doc_id"), "bucket": "CAST(hash(bucket, k) >> 1 AS BIGINT)"}),
    "minhash_shingles": ("doc_id", {"doc_id": _id("doc_id")}),
    "search_docs": ("doc_id", {"doc_id": _id("doc_id"),
                               "doc_no": "doc_no + k * (SELECT max(doc_no) FROM search_docs WHERE NOT contains(doc_id, '^'))"}),
    "search_postings": ("doc_no", {
        "doc_no": "doc_no + k * (SELECT max(doc_no) FROM search_docs WHERE NOT contains(doc_id, '^'))"}),
}
# copied by the rule of another table, or bookkeeping
NOT_COPIED = {"loads", "_migrations", "site_docs"}


def replicate(db_path: str | Path, first: int, last: int, skip: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Add copies `first`..`last` of the original rows of every known table (but `skip`), in one
    transaction; `site_docs` counts grow with the copies of `site_lines`. Returns the tables
    copied and those left as they are."""
    con = connect_write(db_path)
    con.execute("SET enable_progress_bar = false")
    con.execute("SET memory_limit = '4GB'")  # the primary keys' indexes of many copies at once
    copied, skipped = [], []
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'warehouse' AND schema_name = 'main' "
            "ORDER BY table_name").fetchall()]
        max_doc_no = con.execute("SELECT max(doc_no) FROM search_docs WHERE NOT contains(doc_id, '^')").fetchone()[0] \
            if "search_docs" in tables else None
        con.execute("BEGIN TRANSACTION")
        for table in tables:
            if table in NOT_COPIED:
                continue
            if table not in COPIES or table in skip:
                skipped.append(table)
                continue
            marker, rewrites = COPIES[table]
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'warehouse' AND schema_name = 'main' "
                "AND table_name = ? ORDER BY column_index", [table]).fetchall()]
            select = ", ".join(rewrites.get(c, c) for c in cols)
            if table == "search_postings":  # postings of original documents: doc_no up to the originals' last
                where = f"doc_no <= {int(max_doc_no or 0)}"
            else:
                where = ORIGINAL.format(col=marker)
            con.execute(f"INSERT INTO {table} SELECT {select} FROM {table}, (SELECT range AS k, CAST(range AS VARCHAR) AS ks FROM range(?, ?)) r WHERE {where}",
                        [first, last + 1])
            copied.append(table)
        if "site_docs" in tables and "site_lines" in copied:
            con.execute("UPDATE site_docs SET num_docs = num_docs // ? * ?", [first, last + 1])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return {"copied": copied, "skipped": skipped}


def count_documents(db_path: str | Path) -> int:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()
