"""Run settings: one object per stage, nested so Prefect validates them and the UI shows a form.

Environment variables hold deployment facts only and are read here, at the edge:
`NEWSDAG_DB` (database file) and `NEWSDAG_SPACY_MODEL` (spaCy model name or path).
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from tasks.clean import CleanConfig
from tasks.dedup import DedupConfig
from tasks.stories import StoryConfig
from tasks.nlp import NlpConfig
from tasks.read import ReadConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
DEFAULT_DB = Path("data") / "news.duckdb"


class IngestSettings(BaseModel):
    """Everything a run can be tuned with; every field has a working default."""

    batch_size: int = Field(250, ge=1, description="Documents per batch handed to each stage task.")
    lock_timeout_s: float = Field(
        300.0, ge=0, description="Seconds to wait for another run or a reader holding the database before giving up.")
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
