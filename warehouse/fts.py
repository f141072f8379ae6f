"""Full-text search over ok documents (title and clean_text): an inverted index kept by each load.

Each load indexes only its own new ok documents, in its transaction: one `search_docs` row per
document (a dense number and its length in terms) and one `search_postings` row per (term,
document) with the term's count. Nothing is rebuilt, so a load costs the same on a warehouse of
a thousand documents or a million, and `newsdag search` is current as soon as the load commits.
A warehouse indexed by an older version (or never) gets its ok documents indexed once, at its
next load. Search is read-only: BM25 (k1 = 1.2, b = 0.75) computed in SQL over the postings of
the query's terms.

Terms are words of letters and digits, lower-cased and without accents, with inner hyphens kept
("s-400", "russia-ukraine"); a hyphenated word is also indexed by its parts, so "Ukraine" finds
"Russia-Ukraine" and "S-400" finds exactly "S-400". Plurals are folded ("sanctions" ->
"sanction"); English stopwords and one-letter words are not indexed. Documents and queries go
through the same SQL macros (`TERMS_SQL`), defined on the connection that uses them.
"""
from __future__ import annotations

import re

import duckdb


class SearchUnavailable(RuntimeError):
    """The database has no search index (yet)."""


STOPWORDS = (
    "a about above after again against all am an and any are as at be because been before being below between "
    "both but by can did do does doing down during each few for from further had has have having he her here "
    "hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now "
    "of off on once only or other our ours ourselves out over own same she should so some such than that the "
    "their theirs them themselves then there these they this those through to too under until up very was we "
    "were what when where which while who whom why will with would you your yours yourself yourselves"
).split()
K1, B = 1.2, 0.75

_WORD = r"[\pL\pN]+(?:-[\pL\pN]+)*"
TERMS_SQL = f"""
CREATE OR REPLACE TEMP MACRO search_words(txt) AS
    regexp_extract_all(lower(strip_accents(coalesce(txt, ''))), '{_WORD}');
CREATE OR REPLACE TEMP MACRO search_keep(words) AS list_transform(
    list_filter(words, w -> (length(w) > 1 OR regexp_matches(w, '[0-9]'))
                            AND NOT list_contains({[w for w in STOPWORDS]!r}, w)),
    w -> CASE WHEN regexp_matches(w, '[0-9-]') THEN w
              WHEN length(w) > 4 AND suffix(w, 'ies') THEN left(w, length(w) - 3) || 'y'
              WHEN length(w) > 3 AND suffix(w, 's') AND NOT suffix(w, 'ss') THEN left(w, length(w) - 1)
              ELSE w END);
CREATE OR REPLACE TEMP MACRO search_query_terms(txt) AS search_keep(search_words(txt));
CREATE OR REPLACE TEMP MACRO search_doc_terms(txt) AS list_concat(
    search_keep(search_words(txt)),
    search_keep(string_split_regex(array_to_string(list_filter(search_words(txt), w -> contains(w, '-')), ' '), '[- ]+')));
"""

INDEX_SQL = """
CREATE TEMP TABLE _search_new AS
SELECT (SELECT coalesce(max(doc_no), 0) FROM search_docs) + row_number() OVER (ORDER BY d.doc_id) AS doc_no,
       d.doc_id, search_doc_terms(coalesce(d.title, '') || ' ' || coalesce(d.clean_text, '')) AS terms
FROM documents d
WHERE d.status = 'ok' AND ({scope})
  AND NOT EXISTS (SELECT 1 FROM search_docs s WHERE s.doc_id = d.doc_id);
INSERT INTO search_docs SELECT doc_no, doc_id, len(terms), $load_id FROM _search_new;
INSERT INTO search_postings
SELECT term, doc_no, count(*), $load_id FROM (SELECT doc_no, unnest(terms) AS term FROM _search_new) GROUP BY term, doc_no;
DROP TABLE _search_new;
"""


def index_new_documents(con: duckdb.DuckDBPyConnection, load_id: str) -> None:
    """Index the ok documents this load wrote (inside its transaction); on a warehouse whose
    index is empty, every ok document (the first load after the index was added)."""
    con.execute(TERMS_SQL)
    empty = con.execute("SELECT NOT EXISTS (SELECT 1 FROM search_docs)").fetchone()[0]
    scope = "TRUE" if empty else "d.load_id = $load_id"
    for statement in _statements(INDEX_SQL.format(scope=scope)):
        con.execute(statement, {"load_id": load_id} if "$load_id" in statement else None)


SEARCH_SQL = f"""
WITH q AS (SELECT DISTINCT unnest(search_query_terms($query)) AS term),
p AS (SELECT p.term, p.doc_no, p.tf FROM search_postings p SEMI JOIN q ON p.term = q.term),
df AS (SELECT term, count(*) AS df FROM p GROUP BY term),
stats AS (SELECT count(*) AS n, avg(num_terms) AS avgdl FROM search_docs),
scored AS (
    SELECT p.doc_no,
           sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
               * p.tf * ({K1} + 1) / (p.tf + {K1} * (1 - {B} + {B} * s.num_terms / stats.avgdl))) AS score
    FROM p JOIN df USING (term) JOIN search_docs s USING (doc_no) CROSS JOIN stats
    GROUP BY p.doc_no
    ORDER BY score DESC, p.doc_no
    LIMIT $limit)
SELECT s.doc_id, d.title, d.site, CAST(d.published_at AS DATE) AS published, sc.score, d.clean_text
FROM scored sc JOIN search_docs s USING (doc_no) JOIN documents d ON d.doc_id = s.doc_id
ORDER BY sc.score DESC, s.doc_no
"""


def snippet(text: str | None, query: str, width: int = 160) -> str:
    text = re.sub(r"\s+", " ", text or "")
    terms = [t for t in re.findall(r"\w[\w-]*", query.lower()) if len(t) > 1]
    low = text.lower()
    hits = [low.find(t) for t in terms if low.find(t) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list[dict]:
    """Ranked ok documents for a query (BM25), each with a snippet around the first hit."""
    try:
        con.execute(TERMS_SQL)
        rows = con.execute(SEARCH_SQL, {"query": query, "limit": limit}).fetchall()
    except duckdb.CatalogException as exc:
        raise SearchUnavailable("the database has no search index yet; run `newsdag ingest` first") from exc
    return [{"doc_id": r[0], "title": r[1], "site": r[2], "published": r[3], "score": round(r[4], 3),
             "snippet": snippet(r[5], query)} for r in rows]


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]
