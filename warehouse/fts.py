"""Full-text search over documents (title and clean_text) with DuckDB's `fts` extension.

The extension cannot be downloaded here; the PyPI package `duckdb-extension-fts` carries the
binary built for one duckdb version, which is why pyproject pins both to the same version.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb


class SearchUnavailable(RuntimeError):
    """The fts extension cannot be loaded for this duckdb version."""


def extension_path() -> Path | None:
    try:
        import duckdb_extension_fts
    except ImportError:
        return None
    path = Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    return path if path.exists() else None


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    path = extension_path()
    try:
        if path is not None:
            con.execute(f"LOAD '{path}'")
        else:
            con.execute("LOAD fts")
    except duckdb.Error as exc:
        raise SearchUnavailable(
            f"DuckDB's fts extension for duckdb {duckdb.__version__} is not available ({exc}); "
            f"install the matching package: pip install 'duckdb-extension-fts=={duckdb.__version__}'"
        ) from exc


# The fts default drops every character but a-z, so "S-400", "2231" and "2020" were not words.
# Digits are kept; a hyphen or slash still splits ("S-400" is indexed as "s" and "400"), and the
# query's compound terms are then matched verbatim (`literal_terms`).
IGNORE = r"(\.|[^a-z0-9])+"


def refresh_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the index over ok documents' title and clean_text (after each load)."""
    load_fts(con)
    con.execute("PRAGMA create_fts_index('documents', 'doc_id', 'title', 'clean_text', overwrite=1, "
                f"ignore='{IGNORE}')")


def literal_terms(query: str) -> list[str]:
    """Query terms that are identifiers rather than words (a weapon system "S-400", a resolution
    "2231", a date "2020-02-17"): any term holding a digit or joined by - / . :"""
    terms = re.findall(r"\w+(?:[-/.:]\w+)*", query)
    return [t for t in terms if re.search(r"\d|[-/.:]", t)]


def snippet(text: str | None, query: str, width: int = 160) -> str:
    text = re.sub(r"\s+", " ", text or "")
    terms = [t for t in re.findall(r"\w[\w-]*", query.lower()) if len(t) > 1]
    low = text.lower()
    hits = [low.find(t) for t in terms if low.find(t) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list[dict]:
    """Ranked ok documents for a query (BM25), each with a snippet around the first hit.

    A document must contain each identifier of the query verbatim (case aside): "S-400" finds
    the S-400, not every page with "400" and a possessive "'s". When the index has no term of
    the query (an index built before digits were kept), documents containing the identifiers
    are listed unranked."""
    load_fts(con)
    literals = [t.lower() for t in literal_terms(query)]
    text = "lower(coalesce(title, '') || ' ' || coalesce(clean_text, ''))"
    must = "".join(f" AND contains({text}, ?)" for _ in literals)
    try:
        rows = con.execute(
            f"""
            SELECT doc_id, title, site, CAST(published_at AS DATE) AS published, score, clean_text
            FROM (SELECT *, fts_main_documents.match_bm25(doc_id, ?) AS score FROM documents WHERE status = 'ok')
            WHERE score IS NOT NULL{must} ORDER BY score DESC LIMIT ?
            """, [query, *literals, limit]).fetchall()
        if not rows and literals:
            rows = con.execute(
                f"""
                SELECT doc_id, title, site, CAST(published_at AS DATE), 0.0, clean_text FROM documents
                WHERE status = 'ok'{must} ORDER BY published_at DESC NULLS LAST, doc_id LIMIT ?
                """, [*literals, limit]).fetchall()
    except duckdb.CatalogException as exc:
        raise SearchUnavailable("the database has no search index yet; run `newsdag ingest` first") from exc
    return [{"doc_id": r[0], "title": r[1], "site": r[2], "published": r[3], "score": round(r[4], 3),
             "snippet": snippet(r[5], query)} for r in rows]
