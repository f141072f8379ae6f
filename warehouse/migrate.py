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
    """An applied migration file was edited, or the files are out of order."""


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


def apply_migrations(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> list[str]:
    """Apply what is new; return the names applied. Runs inside the caller's transaction."""
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} ("
        " version INTEGER PRIMARY KEY, name VARCHAR, checksum VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    applied = {v: (n, c) for v, n, c in con.execute(f"SELECT version, name, checksum FROM {MIGRATIONS_TABLE}").fetchall()}
    done = []
    for m in discover(directory):
        if m.version in applied:
            name, checksum = applied[m.version]
            if checksum != m.checksum:
                raise MigrationError(
                    f"migration {m.name} was changed after it was applied (recorded as {name}); "
                    "schema changes go into a new migration file"
                )
            continue
        con.execute(m.sql)
        con.execute(f"INSERT INTO {MIGRATIONS_TABLE} (version, name, checksum) VALUES (?, ?, ?)", [m.version, m.name, m.checksum])
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
