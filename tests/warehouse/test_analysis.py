"""Views, search, export and report on the sample warehouse."""
from __future__ import annotations

import duckdb
import pytest

from flows.cli import main
from warehouse.analysis import PUBLIC_TABLES

pytestmark = pytest.mark.slow
VIEWS = ["event_timeline", "actor_pairs", "entity_cooccurrence", "story_summary", "quotes_by_speaker"]


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_returns_rows(sample_db, view):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        assert con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] > 0
    finally:
        con.close()


def test_search_lists_sample_articles(sample_db, capsys):
    assert main(["search", "S-400 sanctions", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert out.count("[") >= 3 and "S-400" in out


def test_export_writes_every_public_table(sample_db, tmp_path, capsys):
    assert main(["export", "--parquet", str(tmp_path / "pq"), "--db", str(sample_db)]) == 0
    written = {p.stem for p in (tmp_path / "pq").glob("*.parquet")}
    assert written == set(PUBLIC_TABLES)
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/pq/documents.parquet'").fetchone()[0] == 5


def test_report_is_self_contained_with_charts(sample_db, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(sample_db), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('class="chart"') == 5
    assert "Events over time" in page and "co-occurrence" in page
    assert "<script src=" not in page and "Plotly.newPlot" in page  # plotly.js is inlined, nothing fetched


def test_sql_command_prints_a_table(sample_db, capsys):
    assert main(["sql", "select status, count(*) from documents group by 1", "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert "| status" in out and "| ok" in out and "(1 row)" in out


def test_settings_file_is_validated(tmp_path):
    from flows.cli import load_settings

    f = tmp_path / "s.yaml"
    f.write_text("batch_size: 50\nnlp:\n  n_process: 1\n  extra_pattern_files: [my.jsonl]\ndedup:\n  minhash:\n    threshold: 0.9\n")
    s = load_settings(str(f))
    assert s.batch_size == 50 and s.nlp.n_process == 1 and s.nlp.extra_pattern_files == ("my.jsonl",)
    assert s.dedup.minhash.threshold == 0.9
    f.write_text("batch_size: -3\n")
    with pytest.raises(ValueError):
        load_settings(str(f))
