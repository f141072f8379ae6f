"""Quality gates of quotes and entities on the shared dev corpora (slow: real ingests).

Quotes: the team scorer `../shared/tools/score_quotes.py` ingests the PolNeAR dev compartment
with newsdag's CLI and scores it; speaker precision (right speakers among matched quotes that
have one, gold sources that cannot be named excluded) is computed here from the same database
with the scorer's own matching. Entities: `../shared/tools/score_entities.py` on CoNLL-2003
dev, newsdag beside the bare spaCy model on the lines newsdag keeps.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gates import SHARED, check_gate, gate_corpus

REPO = Path(__file__).resolve().parents[2]
TOOLS = SHARED / "tools"
pytestmark = pytest.mark.slow


def tool(name: str):
    path = TOOLS / f"{name}.py"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_scorer(name: str, workdir: Path) -> dict:
    out = subprocess.run([sys.executable, str(TOOLS / f"{name}.py"), "--json", "--workdir", str(workdir),
                          "--newsdag", str(Path(sys.executable).with_name("newsdag"))],
                         cwd=REPO, capture_output=True, text=True, timeout=3000)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def speaker_precision(sq, db: Path, gold: Path) -> float:
    arts = sq.load_articles(str(gold))
    url = {a["name"]: f"https://polnear.example/dev/{a['name']}" for a in arts}
    _, golds = sq.build(arts, url)
    _, preds = sq.read_predictions(str(db), url)
    n = ok = 0
    for a in arts:
        P, G = preds[a["name"]], golds[a["name"]]
        for i, j, _ in sq.match(P, G):
            if G[j]["resolved"] and P[i]["speaker"]:
                n += 1
                ok += sq.speaker_ok(P[i]["speaker"], G[j]["resolved"])
    return ok / max(1, n)


@pytest.fixture(scope="module")
def quotes(tmp_path_factory) -> dict:
    gate_corpus("quotes.speaker_named")
    sq = tool("score_quotes")
    work = tmp_path_factory.mktemp("polnear")
    figures = run_scorer("score_quotes", work)
    figures["speaker_precision"] = speaker_precision(sq, work / "quotes.duckdb", Path(sq.DEV_GOLD))
    return figures


@pytest.fixture(scope="module")
def entities(tmp_path_factory) -> dict:
    gate_corpus("entities.kept_f1_minus_bare")
    tool("score_entities")
    return run_scorer("score_entities", tmp_path_factory.mktemp("conll"))


def test_quote_detection(quotes):
    check_gate("quotes.detect_p", quotes["detection_p"])
    check_gate("quotes.detect_r", quotes["detection_r"])


def test_quote_speakers(quotes):
    check_gate("quotes.speaker_named", quotes["speaker_acc_named"])
    check_gate("quotes.speaker_pronoun_desc", quotes["speaker_acc_resolved_silver"])


def test_a_wrong_speaker_is_rarer_than_a_missing_one(quotes):
    check_gate("quotes.speaker_precision", quotes["speaker_precision"])
    wrong = quotes["speaker_n_named"] * (1 - quotes["speaker_acc_named"]) - quotes["speaker_misses_without_speaker"]
    assert wrong < quotes["speaker_misses_without_speaker"], quotes


def test_entity_layer_beats_the_bare_model_on_kept_lines(entities):
    ours, bare = entities["kept"]["newsdag"], entities["kept"]["bare"]
    check_gate("entities.kept_f1_minus_bare", ours["f1"] - bare["f1"])
    worst = min(ours["per_label"][k]["f1"] - bare["per_label"][k]["f1"] for k in bare["per_label"])
    check_gate("entities.kept_label_f1_minus_bare_min", worst)
    assert worst >= 0, (ours["per_label"], bare["per_label"])


def test_junk_mentions_are_rare(entities):
    per_20 = 20 * entities["junk"]["newsdag"]["n"] / max(1, entities["status"].get("ok", 0))
    check_gate("entities.junk_per_20_docs", per_20)
    assert per_20 < 1
