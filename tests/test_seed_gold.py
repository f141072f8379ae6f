"""The sample warehouse, built by the real flow, against the hand-labelled gold in ../shared."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import SHARED

pytestmark = pytest.mark.slow


def test_sample_meets_every_gold_floor(sample_db):
    scorer = SHARED / "tools" / "score_seeds.py"
    if not scorer.exists():
        pytest.skip(f"{scorer} is absent: the gold lives beside the project only")
    out = subprocess.run([sys.executable, str(scorer), "--db", str(sample_db), "--json"], capture_output=True,
                         text=True, timeout=120, check=True)
    result = json.loads(out.stdout)
    assert not result["errors"], result["errors"]
    assert result["short"] == [], result["figures"]
    assert result["figures"]["published_000_ok"] == 1 and result["figures"]["documents_found"] == 5
