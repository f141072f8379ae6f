"""MinHash signatures, LSH band buckets and Jaccard verification over word shingles.

Own numpy implementation (no process-wide state): shingles are 32-bit hashes of n consecutive
lower-cased words; the k-th MinHash function is multiply-shift hashing `(a_k * x + b_k) mod 2**64
>> 32` with (a_k, b_k) the two halves of blake2b("newsdag-minhash/<seed>/<k>") (a_k made odd).
Bucket ids are stored in the warehouse, so the permutations must never depend on a library's
random stream (NumPy promises `default_rng` streams per version only): a fixed hash does not.
"""
from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache

import numpy as np

from tasks.dedup.config import DEFAULT_MINHASH, MinhashConfig
from tasks.dedup.exact import normalise_for_key

_MIX = np.uint64(0x9E3779B97F4A7C15)
_EMPTY = np.zeros(0, dtype=np.uint32)


def word_tokens(text: str) -> list[str]:
    """The words the shingles are made of (same normalisation as the exact key)."""
    return normalise_for_key(text).split()


def shingle_hashes(text: str, n_grams: int = 5) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word n-grams of `text` (fewer words: one shingle)."""
    words = word_tokens(text)
    if not words:
        return _EMPTY
    ids = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    n_grams = min(n_grams, len(ids))
    span = len(ids) - n_grams + 1
    h = np.zeros(span, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n_grams):  # polynomial rolling combination, wrapping mod 2**64
            h = h * _MIX + ids[k : k + span]
        h ^= h >> np.uint64(29)
        h *= _MIX
    return np.unique((h >> np.uint64(32)).astype(np.uint32))


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # A pure function of (num_perm, seed): caching it changes no output.
    a = np.empty(num_perm, dtype=np.uint64)
    b = np.empty(num_perm, dtype=np.uint64)
    for k in range(num_perm):
        digest = hashlib.blake2b(f"newsdag-minhash/{seed}/{k}".encode(), digest_size=16).digest()
        a[k] = int.from_bytes(digest[:8], "little") | 1  # odd multipliers
        b[k] = int.from_bytes(digest[8:], "little")
    return a, b


def signature(shingles: np.ndarray, config: MinhashConfig = DEFAULT_MINHASH) -> np.ndarray:
    """MinHash signature (uint32[num_perm]) of a shingle-hash set; all 0xFFFFFFFF when empty."""
    a, b = _permutations(config.num_perm, config.seed)
    if len(shingles) == 0:
        return np.full(config.num_perm, 0xFFFFFFFF, dtype=np.uint32)
    x = shingles.astype(np.uint64)[:, None]
    with np.errstate(over="ignore"):
        hv = (x * a[None, :] + b[None, :]) >> np.uint64(32)
    return hv.min(axis=0).astype(np.uint32)


def band_buckets(sig: np.ndarray, config: MinhashConfig = DEFAULT_MINHASH) -> list[int]:
    """One bucket id per band: a signed 63-bit hash of the band's rows (fits a BIGINT column)."""
    rows = config.rows
    out = []
    for band in range(config.bands):
        digest = hashlib.blake2b(sig[band * rows : (band + 1) * rows].tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "little") >> 1)
    return out


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays (1.0 for two empty sets)."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def shingles_to_bytes(shingles: np.ndarray) -> bytes:
    return shingles.astype("<u4").tobytes()


def shingles_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)
