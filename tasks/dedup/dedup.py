"""Exact and near-duplicate detection over a batch, against everything already loaded."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from tasks.dedup.config import DEFAULT_DEDUP, DedupConfig
from tasks.dedup.exact import exact_key
from tasks.dedup.minhash import (
    band_buckets,
    jaccard,
    shingle_hashes,
    shingles_to_bytes,
    signature,
)
from tasks.dedup.state import DedupState
from tasks.records import DUPLICATE, REJECTED, Document
from tasks.rows import DedupKeyRow, DuplicateRow, MinhashBandRow, MinhashShingleRow, Rows

EXACT = "exact"
NEAR = "near"


def dedup_step(docs: Iterable[Document], state: DedupState,
               config: DedupConfig = DEFAULT_DEDUP) -> tuple[list[Document], Rows]:
    """The stage's step: copies of `docs` with duplicates marked (the caller's are unchanged),
    and the rows to write; `state` is advanced. See `deduplicate_batch`."""
    out = [d.copy() for d in docs]
    return out, deduplicate_batch(out, config=config, state=state)


def deduplicate_batch(
    docs: Iterable[Document],
    *,
    config: DedupConfig = DEFAULT_DEDUP,
    state: DedupState,
) -> Rows:
    """Mark exact and near duplicates among `docs` in place (in arrival order), update `state`.

    Each document with a `clean_text` gets its `content_hash`. A document whose key is already
    known, or whose shingle set has Jaccard >= `config.minhash.threshold` with an ok document
    already seen (in the warehouse or earlier in this run), becomes `status="duplicate"` with
    `duplicate_of` = that document and `status_reason` "exact" or "near". Rejected documents
    and documents without a body are left alone. Returns the rows to write: `duplicates` and
    the state tables `dedup_keys`, `minhash_bands`, `minhash_shingles`.
    """
    out = Rows()
    for table in ("duplicates", "dedup_keys", "minhash_bands", "minhash_shingles"):
        out[table] = []
    docs = [d for d in docs if d.status != REJECTED and d.clean_text]
    signed = _prefetch(docs, config, state)
    for doc in docs:
        try:
            _deduplicate_one(doc, config, state, out, signed.get(doc.doc_id))
        except Exception as exc:  # noqa: BLE001 -- one bad document must not fail the batch; it stays ok, the error is kept
            doc.notes["dedup_error"] = f"{type(exc).__name__}: {exc}"[:500]
            out.counts["dedup_errors"] += 1
    return out


def _signed(doc: Document, config: DedupConfig) -> tuple[np.ndarray, list[int]]:
    """The shingle set of a document's body and its LSH bucket per band."""
    mh = config.minhash
    shingles = shingle_hashes(doc.clean_text[: config.max_chars], mh.n_grams)
    return shingles, band_buckets(signature(shingles, mh), mh)


def _prefetch(docs: list[Document], config: DedupConfig, state: DedupState) -> dict[str, tuple | Exception]:
    """Ask the state for everything the batch will read, a few queries in all: the exact keys,
    then the buckets of the documents not known as exact copies and the shingles of the loaded
    documents in them. Returns the signatures computed on the way (or the error computing one
    raised, raised again in its document's turn so it is recorded there)."""
    hashes = {}
    for doc in docs:
        try:
            hashes[doc.doc_id] = exact_key(doc.clean_text)
        except Exception:  # noqa: BLE001 -- recorded when the document's turn comes
            continue
    state.prefetch_keys(hashes.values())
    if not config.near:
        return {}
    signed: dict[str, tuple | Exception] = {}
    for doc in docs:
        if doc.doc_id in hashes and state.keys.get(hashes[doc.doc_id]) is None:
            try:
                signed[doc.doc_id] = _signed(doc, config)
            except Exception as exc:  # noqa: BLE001 -- recorded when the document's turn comes
                signed[doc.doc_id] = exc
    state.prefetch_candidates({(band, bucket) for s in signed.values() if isinstance(s, tuple)
                               for band, bucket in enumerate(s[1])})
    return signed


def _deduplicate_one(doc: Document, config: DedupConfig, state: DedupState, out: Rows,
                     signed: tuple | Exception | None = None) -> None:
    doc.content_hash = exact_key(doc.clean_text)
    first = state.keys.get(doc.content_hash)
    if first is not None and first != doc.doc_id:
        _mark(doc, first, EXACT, 1.0, out)
        return
    if first == doc.doc_id:  # re-ingesting a document already loaded: nothing new
        return
    shingles = sig_buckets = None
    if config.near:
        if isinstance(signed, Exception):
            raise signed
        shingles, sig_buckets = signed if signed is not None else _signed(doc, config)
        best = _best_near(doc.doc_id, shingles, sig_buckets, state, config)
        if best is not None:
            _mark(doc, best[0], NEAR, best[1], out)
            return
    state.keys[doc.content_hash] = doc.doc_id
    out.add(DedupKeyRow(doc.content_hash, doc.doc_id))
    if shingles is not None:
        state.shingles[doc.doc_id] = shingles
        out.add(MinhashShingleRow(doc.doc_id, shingles_to_bytes(shingles)))
        for band, bucket in enumerate(sig_buckets):
            state.buckets[(band, bucket)].append(doc.doc_id)
            out.add(MinhashBandRow(band, bucket, doc.doc_id))


def _best_near(doc_id, shingles, buckets, state: DedupState, config: DedupConfig) -> tuple[str, float] | None:
    """The most similar loaded ok document at or above the threshold (ties: the smallest doc_id)."""
    candidates: set[str] = set()
    for band, bucket in enumerate(buckets):
        candidates.update(state.buckets.get((band, bucket), ()))
    candidates.discard(doc_id)
    best: tuple[str, float] | None = None
    for cand in sorted(candidates):
        other = state.shingles.get(cand)
        if other is None:
            continue
        sim = jaccard(shingles, other)
        if sim >= config.minhash.threshold and (best is None or sim > best[1]):
            best = (cand, sim)
    return best


def _mark(doc: Document, first: str, method: str, similarity: float, out: Rows) -> None:
    doc.status = DUPLICATE
    doc.status_reason = method
    doc.duplicate_of = first
    out.add(DuplicateRow(doc.doc_id, first, method, round(float(similarity), 4)))
