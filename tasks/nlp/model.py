"""Loading the spaCy pipeline with the pattern layer (EntityRuler before NER)."""
from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.nlp.config import NlpConfig

if TYPE_CHECKING:
    from spacy.language import Language

# spaCy itself is imported where a model is loaded: checking which model a run will use (before
# the run starts) then costs no spaCy import.

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
        if Path(name).is_dir() or _importable(name):
            return name
    raise ModelUnavailable(
        f"spaCy model {config.model!r} is not installed"
        + (f" (nor {', '.join(map(repr, candidates[1:]))})" if len(candidates) > 1 else "")
        + "; install it (`python -m spacy download NAME`, or pip install its wheel) or name an installed one")


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def model_info(config: NlpConfig) -> dict[str, str]:
    """The model a run will use, from its meta.json (nothing is loaded or imported)."""
    name = resolve_model_name(config)
    if Path(name).is_dir():
        meta_path = Path(name) / "meta.json"
    else:
        spec = importlib.util.find_spec(name)
        meta_path = Path(list(spec.submodule_search_locations or [])[0]) / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, IndexError) as exc:
        raise ModelUnavailable(f"spaCy model {name!r} cannot be loaded: no readable {meta_path} ({exc})") from None
    return {"name": name, "version": str(meta.get("version", "unknown")), "requested": config.model,
            "spacy_version": importlib.metadata.version("spacy")}


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
    import spacy

    name = resolve_model_name(config)
    # The lemmatizer is loaded but not run: the stage needs lemmas of a few candidate words
    # only (event triggers, speech verbs), computed on demand in parse.py.
    nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS) + list(config.disable), disable=list(LAZY_COMPONENTS))
    return add_pattern_layer(nlp, config)
