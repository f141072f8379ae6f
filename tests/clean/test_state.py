"""The stage's contract with the flow: state rows of its own tables (read by warehouse.state), rows keyed for upsert,
numpy-only inference, no duckdb or prefect inside tasks/clean."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tasks.clean import CleanConfig, CleanState, clean_batch
from tasks.records import Document

REPO = Path(__file__).resolve().parents[2]


def test_batches_see_the_counts_of_earlier_batches():
    template = "Acme Daily is a member of the Independent Press Standards Organisation, which regulates it."
    state = CleanState.from_rows({"site_lines": [], "site_docs": []})
    docs = []
    topics = ["bridge", "school", "harbour", "library"]
    for i in range(4):
        body = f"The council voted on Tuesday to approve a budget for the new {topics[i]}, officials said."
        doc = Document(f"d{i}", f"https://acme.example/{i}", f"{body}\n\n{template}")
        rows = clean_batch([doc], CleanConfig(use_line_model=False), state)
        docs.append(doc)
        assert rows["site_docs"] == [{"site": "acme.example", "num_docs": i + 1}]
    assert template in docs[0].clean_text  # one document says nothing about the site
    assert template not in docs[3].clean_text  # the fourth sees the first three
    assert any(r.reason == "site_template" for r in docs[3].removed_lines)


def test_the_same_page_twice_in_a_batch_is_counted_once():
    text = "The council voted on Tuesday to approve a budget of two million for the new bridge."
    docs = [Document(f"d{i}", "https://acme.example/x", text) for i in range(3)]
    rows = clean_batch(docs, CleanConfig(), CleanState())
    assert rows["site_docs"] == [{"site": "acme.example", "num_docs": 1}]
    assert all(d.clean_text == text for d in docs)


def test_runtime_imports_stay_light():
    code = ("import sys, tasks.clean as c; c.load_default_model(); "
            "bad = [m for m in ('sklearn', 'duckdb', 'prefect') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
