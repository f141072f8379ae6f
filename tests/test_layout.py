"""The layout rules hold: duckdb and SQL only in warehouse/, prefect only in flows/ and the thin
task wrappers, every third-party import declared in pyproject.toml, modules of a readable size."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("tasks", "flows", "warehouse")
FIRST_PARTY = set(PACKAGES) | {"tests"}
MAX_LINES = 450  # "about 400"
SQL = re.compile(r"^\s*(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|CREATE\s+(OR\s+REPLACE\s+)?(TABLE|VIEW)|"
                 r"DELETE\s+FROM|UPDATE\s+\w+\s+SET|DROP\s+TABLE)\b", re.I | re.S)


def modules(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (REPO / pkg).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_duckdb_only_in_the_warehouse_and_prefect_only_in_flows_and_task_wrappers():
    for path in modules("tasks", "flows"):
        assert "duckdb" not in imported(path), path
    for path in modules("tasks", "warehouse"):
        if path != REPO / "tasks" / "stages.py":
            assert not {"prefect", "prefect_dask"} & imported(path), path


def test_no_sql_text_outside_the_warehouse():
    for path in modules("tasks", "flows"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not SQL.match(node.value), f"{path}: {node.value[:60]!r}"


def test_every_third_party_import_is_declared():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    spec = re.compile(r"^\s*([A-Za-z0-9_.-]+)")
    norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()  # noqa: E731
    declared = {norm(spec.match(d).group(1)) for d in project["dependencies"]}
    extras = {norm(spec.match(d).group(1)) for deps in project["optional-dependencies"].values() for d in deps}
    dists = packages_distributions()
    missing = {}
    for path in modules(*PACKAGES):
        for name in imported(path) - FIRST_PARTY - set(sys.stdlib_module_names):
            owners = {norm(d) for d in dists.get(name, [name])}
            allowed = declared | (extras if path.name.startswith("train_") else set())
            if not owners & allowed:
                missing.setdefault(name, []).append(str(path.relative_to(REPO)))
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_modules_stay_readable():
    long = {str(p.relative_to(REPO)): n for p in modules(*PACKAGES)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long
