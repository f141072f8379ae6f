"""`pairs.pair_features` and `PairModel.score` for many pairs at once, with sparse products.

A batch of new documents is scored against its candidates by a few sparse matrix products (term
vectors, name sets, quote windows, phrases, ...), never pair by pair in Python: the cost of a
batch is that of the products, proportional to what the documents contain.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

from tasks.stories.config import StoryConfig
from tasks.stories.features import StoryFeatures
from tasks.stories.pairs import FEATURES, PairModel

SETS = ("who", "where", "names", "top", "years", "days", "event_types", "triggers", "bigrams", "quoted", "said", "keys")


class _Encoder:
    """Shared vocabularies, so that two batches of documents multiply column to column."""

    def __init__(self, index_terms: int) -> None:
        self.index_terms = index_terms
        self.vocab: dict[str, dict] = {}

    def _matrix(self, vocabulary: str, rows: list, weighted: bool) -> sparse.csr_matrix:
        vocab = self.vocab.setdefault(vocabulary, {})
        data, indices, indptr = [], [], [0]
        for values in rows:
            items = values.items() if weighted else ((v, 1.0) for v in values)
            for key, w in items:
                indices.append(vocab.setdefault(key, len(vocab)))
                data.append(w)
            indptr.append(len(indices))
        return sparse.csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64),
                                  np.array(indptr, dtype=np.int64)), shape=(len(rows), max(len(vocab), 1)))

    def encode(self, feats: list[StoryFeatures]) -> dict:
        sets = {
            "who": [f.who for f in feats], "where": [f.where for f in feats], "names": [f.names for f in feats],
            "top": [f.top for f in feats], "years": [f.years for f in feats], "days": [f.days for f in feats],
            "event_types": [f.event_types for f in feats], "triggers": [f.triggers for f in feats],
            "bigrams": [f.bigrams for f in feats], "quoted": [f.quotes | f.said for f in feats],
            "said": [f.said for f in feats], "keys": [f.index_keys(self.index_terms) for f in feats],
        }
        # top names and all names in one vocabulary (top of one against names of the other);
        # quote windows, attributed or not, likewise
        vocabulary = {"top": "names", "said": "quoted"}
        enc = {kind: self._matrix(vocabulary.get(kind, kind), rows, False) for kind, rows in sets.items()}
        enc["terms"] = self._matrix("terms", [f.terms for f in feats], True)
        enc["title_terms"] = self._matrix("title_terms", [f.title_terms for f in feats], True)
        enc["quotes"] = self._matrix("quoted", [f.quotes for f in feats], False)
        enc["size"] = {kind: np.array([len(r) for r in rows], dtype=np.float64) for kind, rows in sets.items()}
        enc["size"]["quotes"] = np.array([len(f.quotes) for f in feats], dtype=np.float64)
        nan = np.nan
        enc["ref_year"] = np.array([f.ref_year if f.ref_year is not None else nan for f in feats], dtype=np.float64)
        enc["day"] = np.array([f.day if f.day is not None else nan for f in feats], dtype=np.float64)
        return enc


def _product(a: sparse.csr_matrix, b: sparse.csr_matrix) -> sparse.csr_matrix:
    """a @ b.T, the narrower one widened (a vocabulary grows while later rows are encoded)."""
    width = max(a.shape[1], b.shape[1])
    a = sparse.csr_matrix((a.data, a.indices, a.indptr), shape=(a.shape[0], width))
    b = sparse.csr_matrix((b.data, b.indices, b.indptr), shape=(b.shape[0], width))
    return (a @ b.T).tocsr()


def _at(a: sparse.csr_matrix, b: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(a @ b.T)[rows, cols] as a dense vector."""
    if len(rows) == 0:
        return np.zeros(0)
    return np.asarray(_product(a, b)[rows, cols]).ravel()


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def score_pairs(left: list[StoryFeatures], right: list[StoryFeatures], model: PairModel, config: StoryConfig,
                same: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, scores) of the pairs (left i, right j) that share an index key, are within the
    date window and score at least `config.min_pair_score`; with `same` (left is right) i < j only.
    Scores equal `model.score(left[i], right[j], config)`."""
    if not left or not right:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    encoder = _Encoder(config.index_terms)
    a = encoder.encode(left)
    b = a if same else encoder.encode(right)
    shared = _product(a["keys"], b["keys"]).tocoo()
    r, c = shared.row.astype(np.int64), shared.col.astype(np.int64)
    keep = r < c if same else np.ones(len(r), dtype=bool)
    days = np.abs(a["day"][r] - b["day"][c])
    keep &= ~(days > config.max_days_apart)  # NaN (undated) compares False: no constraint
    r, c = r[keep], c[keep]
    x = _features(a, b, r, c, config)
    z = model.bias + x @ np.array(model.weights)
    scores = np.round(1.0 / (1.0 + np.exp(-np.clip(z, -700, 700))), 6)
    keep = scores >= config.min_pair_score
    return r[keep], c[keep], scores[keep]


def _features(a: dict, b: dict, r: np.ndarray, c: np.ndarray, config: StoryConfig) -> np.ndarray:
    def inter(kind: str, kind_b: str | None = None) -> np.ndarray:
        return _at(a[kind], b[kind_b or kind], r, c)

    def jaccard(kind: str) -> np.ndarray:
        i = inter(kind)
        na, nb = a["size"][kind][r], b["size"][kind][c]
        return np.where((na > 0) & (nb > 0), _ratio(i, na + nb - i), 0.0)

    top_a, top_b = a["size"]["top"][r], b["size"]["top"][c]
    covered_a = _ratio(_at(a["top"], b["names"], r, c), top_a)
    covered_b = _ratio(_at(a["names"], b["top"], r, c), top_b)
    bigram = inter("bigrams")
    nbig = np.minimum(a["size"]["bigrams"][r], b["size"]["bigrams"][c])
    quoted = inter("quoted")
    said_a, said_b = a["size"]["said"][r], b["size"]["said"][c]
    ya, yb = a["size"]["years"][r], b["size"]["years"][c]
    ra, rb = a["ref_year"][r], b["ref_year"][c]
    both_ref = ~np.isnan(ra) & ~np.isnan(rb)
    da, db = a["day"][r], b["day"][c]
    columns = {
        "cosine": _at(a["terms"], b["terms"], r, c),
        "title_cosine": _at(a["title_terms"], b["title_terms"], r, c),
        "phrase_overlap": np.where(nbig > 0, _ratio(bigram, nbig), 0.0),
        "who_jaccard": jaccard("who"),
        "who_shared": (inter("who") > 0).astype(float),
        "where_jaccard": jaccard("where"),
        "names_jaccard": jaccard("names"),
        "top_shared": np.minimum(covered_a, covered_b),
        "quote_shared": (_at(a["quotes"], b["quotes"], r, c) > 0).astype(float),
        "quote_mismatch": ((np.minimum(said_a, said_b) >= config.quote_mismatch_min_windows) & (quoted == 0)).astype(float),
        "year_mismatch": ((ya > 0) & (yb > 0) & (inter("years") == 0)).astype(float),
        "ref_year_same": (both_ref & (ra == rb)).astype(float),
        "ref_year_differ": (both_ref & (ra != rb)).astype(float),
        "pub_close": (np.abs(da - db) <= 3).astype(float),
        "days_shared": (inter("days") > 0).astype(float),
        "event_jaccard": jaccard("event_types"),
        "trigger_jaccard": jaccard("triggers"),
    }
    return np.column_stack([columns[name] for name in FEATURES]) if len(r) else np.zeros((0, len(FEATURES)))
