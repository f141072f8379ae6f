from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
SAMPLE = REPO / "data" / "sample"


def need_corpus(name: str) -> Path:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpora are internal and live beside the project only")
    return path


def rows(db: Path, sql: str) -> list[tuple]:
    """One query on a read-only connection, closed at once (a run may want the file next)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect server for the whole session (starting one costs ~12 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def sample_db(prefect_harness, tmp_path_factory) -> Path:
    """The bundled sample corpus ingested once by the real flow; tests only read it."""
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("sample") / "news.duckdb"
    summary = ingest(paths=None, db_path=str(db))
    assert summary["documents_new"] == 5
    return db
