"""Settings of the dedup stage, with documented defaults (resolved once at the edge)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MinhashConfig:
    """MinHash + LSH over word shingles of the cleaned body.

    With 32 bands of 4 rows a pair with Jaccard 0.8 becomes a candidate with probability
    1 - (1 - 0.8**4)**32 > 0.9999, one with Jaccard 0.3 with probability ~0.23 and one with
    Jaccard 0.1 with ~0.003; every candidate is then verified on the real shingle sets, so the
    banding only costs time, never precision.
    """

    n_grams: int = 5  # words per shingle
    num_perm: int = 128  # hash functions in a signature
    bands: int = 32  # LSH bands; rows per band = num_perm // bands
    threshold: float = 0.8  # verified Jaccard of shingle sets at or above which a doc is a near duplicate
    seed: int = 1  # seeds the hash functions: same seed, same signatures, same buckets

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError("num_perm must be a multiple of bands")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands


@dataclass(frozen=True)
class DedupConfig:
    """Exact and near-duplicate detection."""

    minhash: MinhashConfig = field(default_factory=MinhashConfig)
    near: bool = True  # run MinHash near-duplicate detection after the exact key
    max_chars: int = 200_000  # only the first max_chars of a body are shingled (bounds time per doc)


# Defaults as module-level values (frozen, so sharing them is safe) for keyword defaults.
DEFAULT_MINHASH = MinhashConfig()
DEFAULT_DEDUP = DedupConfig()
