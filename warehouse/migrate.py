"""Apply `migrations/NNNN_*.sql` in order, recording each file's checksum.

A migration that was applied is never applied again; one whose file changed since it was applied
is refused (`MigrationError`): schema changes add a new file, they never edit an old one.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

MIGRATIONS_TABLE = "_migrations"


class MigrationError(RuntimeError):
    """An applied migration file was edited, the files are out of order, or the warehouse has a
    migration this newsdag does not know (a newer newsdag wrote it)."""


def newsdag_version() -> str:
    try:
        from importlib.metadata import version

        return version("newsdag")
    except Exception:  # noqa: BLE001 - running from a source tree without metadata
        return "unknown"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def default_migrations_dir() -> Path:
    return Path(str(resources.files("warehouse") / "migrations"))


def discover(directory: Path | None = None) -> list[Migration]:
    directory = directory or default_migrations_dir()
    found = []
    for path in sorted(directory.glob("*.sql")):
        head = path.name.split("_", 1)[0]
        if not head.isdigit():
            raise MigrationError(f"migration file name must start with a number: {path.name}")
        found.append(Migration(int(head), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migrations share a number in {directory}")
    return found


def applied_migrations(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[str, str, str | None]]:
    """{version: (name, checksum, newsdag version that applied it)} of a warehouse; {} when new."""
    try:
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [MIGRATIONS_TABLE]).fetchall()}
        if not cols:
            return {}
        writer = "newsdag_version" if "newsdag_version" in cols else "NULL"
        rows = con.execute(f"SELECT version, name, checksum, {writer} FROM {MIGRATIONS_TABLE}").fetchall()
    except duckdb.CatalogException:
        return {}
    return {v: (n, c, w) for v, n, c, w in rows}


def check_compatible(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> None:
    """Refuse, before any work, a warehouse this newsdag must not write: one with a migration it
    does not know (written by a newer newsdag: which one is said) or whose applied migration file
    was edited since."""
    applied = applied_migrations(con)
    known = {m.version: m for m in discover(directory)}
    unknown = sorted(v for v in applied if v not in known)
    if unknown:
        writers = sorted({applied[v][2] or "an unrecorded version" for v in unknown})
        raise MigrationError(
            f"this warehouse was written by a newer newsdag ({', '.join(writers)}): it has migration "
            f"{', '.join(applied[v][0] for v in unknown)}, which this newsdag ({newsdag_version()}, migrations up to "
            f"{max(known, default=0):04d}) does not know. Upgrade newsdag to use it; nothing was done."
        )
    for v, (name, checksum, writer) in sorted(applied.items()):
        if known[v].checksum != checksum:
            raise MigrationError(
                f"migration {known[v].name} was changed after it was applied (recorded as {name}, by newsdag "
                f"{writer or 'of an unrecorded version'}); schema changes go into a new migration file. Nothing was done."
            )


def pending_migrations(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> list[str]:
    """Names of the migrations this newsdag knows and the warehouse has not had (read-only)."""
    applied = applied_migrations(con)
    return [m.name for m in discover(directory) if m.version not in applied]


def apply_migrations(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> list[str]:
    """Apply what is new; return the names applied. Runs inside the caller's transaction."""
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} ("
        " version INTEGER PRIMARY KEY, name VARCHAR, checksum VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    con.execute(f"ALTER TABLE {MIGRATIONS_TABLE} ADD COLUMN IF NOT EXISTS newsdag_version VARCHAR")
    check_compatible(con, directory)
    applied = applied_migrations(con)
    done = []
    for m in discover(directory):
        if m.version in applied:
            continue
        con.execute(m.sql)
        con.execute(f"INSERT INTO {MIGRATIONS_TABLE} (version, name, checksum, newsdag_version) VALUES (?, ?, ?, ?)",
                    [m.version, m.name, m.checksum, newsdag_version()])
        done.append(m.name)
    return done


def default_views_dir() -> Path:
    return Path(str(resources.files("warehouse") / "views"))


def apply_views(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> list[str]:
    """(Re)create the analysis views. Views hold no data, so they follow the code as it is now;
    they run after the migrations, in the same transaction."""
    names = []
    for path in sorted((directory or default_views_dir()).glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
        names.append(path.stem)
    return names
