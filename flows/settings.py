"""Run settings: one object per stage, nested so Prefect validates them and the UI shows a form.

Environment variables hold deployment facts only and are read here, at the edge:
`NEWSDAG_DB` (database file) and `NEWSDAG_SPACY_MODEL` (spaCy model name or path).
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tasks.clean import CleanConfig
from tasks.dedup import DedupConfig
from tasks.nlp import NlpConfig
from tasks.read import ReadConfig
from tasks.stories import StoryConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
DEFAULT_DB = Path("data") / "news.duckdb"


class IngestSettings(BaseModel):
    """Everything a run can be tuned with; every field has a working default.

    An unknown key, at any depth (`nlp: {modle: ...}`), is refused by name: a misspelt setting
    must not leave the run on its default without a word.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    batch_size: int = Field(250, ge=1, description="Documents per batch handed to each stage task.")
    lock_timeout_s: float = Field(
        300.0, ge=0, description="Seconds to wait for another run or a reader holding the database before giving up.")
    commit_every_files: int = Field(
        1000, ge=1, description="Files per load: a long run commits each chunk of this many files (rounded up to "
                                "whole reads of 64 files) as one complete load with its own `loads` row, so a crash "
                                "or kill loses at most the chunk in progress.")
    commit_every_minutes: float | None = Field(
        None, gt=0, description="Also commit the files done so far once this many minutes passed since the last "
                                "load (checked between reads of at most 64 files); None: by file count only.")
    nlp_batch_size: int = Field(
        1000, ge=1, description="Documents per NLP task: one nlp.pipe call, so worker processes start once per batch.")
    runner: Literal["default", "dask"] = Field(
        "default", description="'dask' runs the NLP batches on Dask workers through prefect-dask's DaskTaskRunner.")
    dask_address: str | None = Field(
        None, description="Scheduler address of an existing Dask cluster (tcp://host:8786); None starts a local one.")
    dask_workers: int = Field(2, ge=1, description="Workers of the local Dask cluster when no address is given.")
    read: ReadConfig = Field(default_factory=ReadConfig, description="Readers: size limits.")
    clean: CleanConfig = Field(default_factory=CleanConfig, description="Boilerplate removal and metadata.")
    dedup: DedupConfig = Field(default_factory=DedupConfig, description="Exact and near-duplicate detection.")
    stories: StoryConfig = Field(default_factory=StoryConfig, description="Story clustering across outlets.")
    nlp: NlpConfig = Field(default_factory=NlpConfig, description="spaCy model, batching, processes.")


# The flow's default: a full object (not None), so the run form shows every setting with its value.
DEFAULT_SETTINGS = IngestSettings()


def resolve_db_path(db_path: str | os.PathLike | None) -> Path:
    """The database file: the argument, else $NEWSDAG_DB, else data/news.duckdb."""
    if db_path:
        return Path(db_path)
    return Path(os.environ.get("NEWSDAG_DB") or DEFAULT_DB)


def with_environment(settings: IngestSettings) -> IngestSettings:
    """Apply deployment facts from the environment (model name) to settings left at default."""
    model = os.environ.get("NEWSDAG_SPACY_MODEL")
    if model and settings.nlp.model == NlpConfig().model:
        settings = settings.model_copy(update={"nlp": replace(settings.nlp, model=model)})
    return settings


class SettingsError(ValueError):
    """Settings that cannot run (e.g. a spaCy model that is not installed): refused before the run."""


def newsdag_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdag")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


def run_record(settings: IngestSettings) -> dict:
    """What a run records about itself (in `loads.summary` and its artifact): the newsdag
    version, the spaCy model that will run (name and version) and the settings, in full.

    Raises SettingsError, naming the model, when it cannot be loaded: checked before the run
    starts, not discovered in a worker process halfway through it.
    """
    from tasks.nlp.model import ModelUnavailable, model_info

    try:
        model = model_info(settings.nlp)
    except ModelUnavailable as exc:
        raise SettingsError(str(exc)) from None
    return {"newsdag_version": newsdag_version(), "model": model, "settings": settings.model_dump(mode="json")}


def describe_errors(exc) -> str:
    """A pydantic ValidationError as one line: `nlp.modle: unknown setting (did you mean model?)`."""
    import difflib

    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            known = _field_names(err["loc"][:-1])
            close = difflib.get_close_matches(str(err["loc"][-1]), known, n=1)
            parts.append(f"{loc}: unknown setting" + (f" (did you mean {close[0]}?)" if close else ""))
        else:
            parts.append(f"{loc or 'settings'}: {err['msg']}")
    return "; ".join(parts)


def _field_names(loc: tuple) -> list[str]:
    """Setting names at a path of IngestSettings (nested models and dataclasses)."""
    import dataclasses
    import typing

    node = IngestSettings
    for part in loc:
        if isinstance(node, type) and issubclass(node, BaseModel):
            node = node.model_fields[part].annotation if part in node.model_fields else None
        elif dataclasses.is_dataclass(node):
            node = typing.get_type_hints(node).get(part)
        else:
            return []
    if isinstance(node, type) and issubclass(node, BaseModel):
        return list(node.model_fields)
    if dataclasses.is_dataclass(node):
        return [f.name for f in dataclasses.fields(node)]
    return []


def settings_from_mapping(data) -> IngestSettings:
    """IngestSettings from a parsed YAML/JSON document; SettingsError with one line per problem."""
    from pydantic import ValidationError

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SettingsError(f"expected a mapping of settings, got {type(data).__name__}")
    try:
        return IngestSettings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc)) from None
