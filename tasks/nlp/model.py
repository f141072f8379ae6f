"""Loading the spaCy pipeline with the pattern layer (EntityRuler before NER)."""
from __future__ import annotations

import functools
import json
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import is_package

from tasks.nlp.config import NlpConfig

# Components the stage never reads; excluded at load time so they cost nothing.
UNUSED_COMPONENTS = ("textcat", "textcat_multilabel", "entity_linker", "spancat", "trf_wordpiecer")
LAZY_COMPONENTS = ("lemmatizer",)


class ModelUnavailable(OSError):
    """The configured spaCy model is not installed (no model is ever downloaded)."""


def resolve_model_name(config: NlpConfig) -> str:
    """The configured model when installed. `fallback_models` (other packagings of the default
    pipeline) stand in only while `model` is left at its default: a model named on purpose is
    never silently swapped for another."""
    candidates = (config.model,)
    if config.model == NlpConfig.model:
        candidates += tuple(config.fallback_models)
    for name in candidates:
        if is_package(name) or Path(name).is_dir():
            return name
    raise ModelUnavailable(
        f"spaCy model {config.model!r} is not installed"
        + (f" (nor {', '.join(map(repr, candidates[1:]))})" if len(candidates) > 1 else "")
        + "; install it (`python -m spacy download NAME`, or pip install its wheel) or name an installed one")


def model_info(config: NlpConfig) -> dict[str, str]:
    """The model a run will use, from its package metadata (nothing is loaded)."""
    name = resolve_model_name(config)
    try:
        path = Path(name) if Path(name).is_dir() else spacy.util.get_package_path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"spaCy model {name!r} cannot be loaded: {exc}") from None
    return {"name": name, "version": str(meta.get("version", "unknown")), "requested": config.model,
            "spacy_version": spacy.__version__}


def read_patterns(paths: tuple[str, ...]) -> list[dict]:
    """EntityRuler patterns from JSONL files (blank lines and `//` comments skipped)."""
    patterns: list[dict] = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("//"):
                patterns.append(json.loads(line))
    return patterns


def add_pattern_layer(nlp: Language, config: NlpConfig) -> Language:
    """Add the pattern layer: products before NER (they win, so S-400 is PRODUCT), then
    organisations and country forms after NER (they fill gaps without splitting NER spans)."""
    if "entity_ruler" in nlp.pipe_names:
        return nlp
    has_ner = "ner" in nlp.pipe_names
    first = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True}, **({"before": "ner"} if has_ner else {}))
    first.add_patterns(read_patterns(config.override_files))
    gaps = nlp.add_pipe("entity_ruler", name="gap_ruler", config={"overwrite_ents": False})
    gaps.add_patterns(read_patterns(config.gap_files))
    return nlp


@functools.lru_cache(maxsize=4)
def load_model(config: NlpConfig = NlpConfig()) -> Language:
    """The pipeline for `config`, cached per process (keyed by the frozen config)."""
    name = resolve_model_name(config)
    # The lemmatizer is loaded but not run: the stage needs lemmas of a few candidate words
    # only (event triggers, speech verbs), computed on demand in parse.py.
    nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS) + list(config.disable), disable=list(LAZY_COMPONENTS))
    return add_pattern_layer(nlp, config)
