from __future__ import annotations

import os
import sys
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


def older_warehouse(db: Path, upto: int):
    """A warehouse as a newsdag with migrations 0001..`upto` wrote it: an open connection to `db`
    (the caller adds rows and closes it)."""
    import shutil

    import duckdb

    from warehouse.migrate import apply_migrations, default_migrations_dir

    older = db.parent / f"migrations-upto-{upto:04d}"
    older.mkdir(exist_ok=True)
    for f in default_migrations_dir().glob("*.sql"):
        if int(f.name.split("_")[0]) <= upto:
            shutil.copy(f, older / f.name)
    con = duckdb.connect(str(db))
    apply_migrations(con, older)
    return con


SLOW_FIXTURES = {"prefect_harness", "sample_db"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """The fast tier (`pytest -m "not slow"`) holds every test that needs neither the spaCy model
    nor a Prefect server: a test (or a fixture it uses) that loads the model or starts a server
    fails unless it is marked slow. Checked around setup too, so module fixtures count."""
    spacy = sys.modules.get("spacy")
    real = getattr(spacy, "load", None)
    fast = item.get_closest_marker("slow") is None
    if fast and spacy is not None:
        def refuse(name, *args, **kwargs):
            pytest.fail(f"{item.nodeid} loads the spaCy model {name!r}: mark it @pytest.mark.slow "
                        "(or build on spacy.blank)")
        spacy.load = refuse
    try:
        yield
    finally:
        if fast and spacy is not None:
            spacy.load = real


@pytest.fixture(autouse=True)
def _no_server_in_fast_tests(request):
    if request.node.get_closest_marker("slow") is None and SLOW_FIXTURES & set(request.fixturenames):
        pytest.fail(f"{request.node.nodeid} uses {sorted(SLOW_FIXTURES & set(request.fixturenames))}: "
                    "mark it @pytest.mark.slow")


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
