"""Settings of the story stage, with documented defaults (resolved once at the edge)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = str(Path(__file__).resolve().with_name("pair_model.json"))


@dataclass(frozen=True)
class StoryConfig:
    """Incremental story clustering: average-link over learned pair probabilities.

    A new document is scored against the documents that share an index key with it (an entity
    name or one of its `index_terms` heaviest terms) and whose publication dates are at most
    `max_days_apart` apart; the pair's probability of reporting the same happening comes from a
    logistic regression over who/where/when/what/word-overlap features (`pair_model.json`,
    trained by `python -m tasks.stories.train_pair_model`). Documents joined by pairs at or above
    `threshold` form a component; each component is clustered by average link at the same
    `threshold`, which equals average-link clustering of everything (an average at or above the
    threshold needs one pair at or above it), so the partition is a function of the documents
    alone, whatever their order or runs. Pairs below `min_pair_score` count as 0 and are not kept.

    Candidates are capped (meta-blocking): of the earlier documents in its window that share a
    key with a new document, the `max_candidates` sharing the most distinct keys are scored (ties:
    the smaller doc_id), so a batch reads at most that many documents' features per new document
    however large the warehouse or common its keys. A key every document has adds one to every
    count alike and decides nothing; a document found only through such keys ranks below those
    sharing more. Where at most `max_candidates` documents share a key with it, all of them are
    scored, as without the cap; where it binds, a pair sharing few keys is not scored, so a
    document that would have joined a story through such a pair alone does not. 300 cuts no
    list on ECB+ dev (the most a document finds is 99) and B-cubed is the same down to 20
    (`bench/story_cap_ecb.py`); a 20-article batch then reads at most 6,000 documents' features,
    500 at a time (`cluster.READ_SLICE`).
    """

    threshold: float = 0.5  # same story: average pair probability at or above this (CV on ECB+ dev)
    min_pair_score: float = 0.05  # pairs scoring less are not stored (they count as 0 in averages)
    max_days_apart: float = 31.0  # published dates further apart: never the same story (and not retrieved)
    max_component_docs: int = 300  # a larger touched component is re-clustered only near the new documents:
    recluster_days: int = 93  # within this many days of them (undated members always); an undated new one: its stories
    max_candidates: int = 300  # earlier documents a new one is scored against, at most: those sharing the most keys
    index_terms: int = 10  # heaviest terms of a document that are index keys (with every entity name)
    top_entities: int = 3  # a document's most-mentioned names (the "top" feature)
    proper_noun_weight: float = 2.0  # weight of capitalised words and numbers in the term vector
    quote_min_words: int = 6  # quotes are compared by windows of this many words (partial quotes match)
    quote_mismatch_min_windows: int = 20  # both quote people (this many attributed windows, ~25 words) and share none
    max_terms: int = 300  # terms kept per document vector (the heaviest)
    max_chars: int = 100_000  # only the first max_chars of a body are read
    model_file: str = DEFAULT_MODEL  # the pair model's weights (JSON)


DEFAULT_STORY = StoryConfig()
