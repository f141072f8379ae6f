"""The README stays true: its SQL runs on the sample warehouse, its quick start is what CI runs."""
from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SQL_BLOCKS = re.findall(r"```sql\n(.*?)```", README, re.S)


def quick_start_commands() -> list[str]:
    m = re.search(r"^## Quick start.*?```bash\n(.*?)```", README, re.S | re.M)
    assert m, "README has no Quick start code block"
    return [line for line in m.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert "newsdag ingest" in commands[0] and "pytest" in commands[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_every_sql_block_of_the_readme_is_run():
    """The runner below gets every ```sql fence (none slips past the pattern, e.g. with a language
    tag variant or indentation), so a broken example cannot hide from it."""
    fences = re.findall(r"^\s*```\s*sql\b", README, re.M | re.I)
    assert SQL_BLOCKS and len(SQL_BLOCKS) == len(fences)


@pytest.mark.slow
@pytest.mark.parametrize("sql", SQL_BLOCKS, ids=[f"sql{i}" for i in range(len(SQL_BLOCKS))])
def test_readme_sql_runs_on_the_sample(sample_db, sql):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows, "each README example returns rows on the sample warehouse"
