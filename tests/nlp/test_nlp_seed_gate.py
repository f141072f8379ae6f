"""Quality gate: the NLP stage on the five seeds (gold body_text as clean_text) against the gold."""
import pytest

from tests.nlp.seed_eval import FLOORS, GOLD


@pytest.fixture(scope="module")
def figures():
    if not (GOLD / "analysis.json").exists():
        pytest.skip(f"{GOLD} is absent: the seed gold lives beside the project only")
    from tests.nlp.seed_eval import run

    return run()


def test_seed_figures_reach_their_floors(figures):
    short = {k: figures[k] for k, v in FLOORS.items() if figures[k] < v}
    assert not short, (short, figures["misses"])


def test_no_boilerplate_name_is_extracted(figures):
    assert figures["boilerplate_names_leaked"] == 0, figures["leaked"]


def test_a_bad_document_does_not_fail_the_batch():
    from tasks.nlp import parse_batch

    parsed = parse_batch([{"doc_id": "empty", "clean_text": ""}, {"doc_id": "none", "clean_text": None}, {"doc_id": "ok", "clean_text": "NATO met in Brussels."}])
    assert [p.doc_id for p in parsed] == ["empty", "none", "ok"]
    assert all(p.error is None for p in parsed)
