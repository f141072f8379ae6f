"""Exact and near-duplicate detection over a batch, against everything already loaded."""
from __future__ import annotations

from collections.abc import Iterable

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
    for doc in docs:
        if doc.status == REJECTED or not doc.clean_text:
            continue
        try:
            _deduplicate_one(doc, config, state, out)
        except Exception as exc:  # noqa: BLE001 -- one bad document must not fail the batch; it stays ok, the error is kept
            doc.notes["dedup_error"] = f"{type(exc).__name__}: {exc}"[:500]
            out.counts["dedup_errors"] += 1
    return out


def _deduplicate_one(doc: Document, config: DedupConfig, state: DedupState, out: Rows) -> None:
    mh = config.minhash
    body = doc.clean_text[: config.max_chars]
    doc.content_hash = exact_key(doc.clean_text)
    first = state.keys.get(doc.content_hash)
    if first is not None and first != doc.doc_id:
        _mark(doc, first, EXACT, 1.0, out)
        return
    if first == doc.doc_id:  # re-ingesting a document already loaded: nothing new
        return
    shingles = sig_buckets = None
    if config.near:
        shingles = shingle_hashes(body, mh.n_grams)
        sig_buckets = band_buckets(signature(shingles, mh), mh)
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
