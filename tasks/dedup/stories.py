"""Incremental story clustering: single-link over a fixed pairwise similarity.

A new document is compared with every loaded ok document that shares a term with it; it links
to each one whose similarity reaches `StoryConfig.threshold`. A story is a connected component
of these links. The similarity of a pair uses only the two documents (no corpus statistics that
grow as documents arrive), so the set of links, hence the partition, is the same whatever the
order and batching of the input. When a document links two existing stories they are merged
into the one with the smallest story_id (ids are "s_" + the first document's id); the merge is
recorded in `story_merges` and the features rows of the moved documents are re-emitted.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

import numpy as np
from scipy import sparse

from tasks.dedup.config import DEFAULT_STORY, StoryConfig
from tasks.dedup.state import DedupState, StoryFeatures
from tasks.records import Document

_TOKEN = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")
_CAP_WORD = r"(?:[A-Z]\.){2,}|[A-Z][\w’'-]*\w"
_CAP_SEQ = re.compile(rf"(?<![\w.])(?:{_CAP_WORD})(?:(?:[ \t]+(?:of|de|la|al|bin|van|von|der))?[ \t]+(?:{_CAP_WORD}))*")
_POSSESSIVE = re.compile(r"[’']s\b")
_QUOTE = re.compile(r"[\"“”‘’`']{1,2}([^\"“”]{20,400}?)[\"“”'’]{1,2}")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_DIGIT = re.compile(r"\d")
_SENT_END = re.compile(r"(?<=[.!?])\s+")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says say told according one two
    new year years last first time people may might must since still us mr mrs ms per cent percent
    would could also just like get got go going went make made many much well back even way week
    day days month today yesterday monday tuesday wednesday thursday friday saturday sunday report
    reported reports news reuters ap http www com html htm""".split()
)
_NOT_ENTITY = frozenset(
    "The A An In On At For But And Or If He She It They We I This That These Those His Her Its Their "
    "Our After Before When While As By From With Mr Mrs Ms Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October November "
    "December".split()
)


def _stem(word: str) -> str:
    # Light plural folding only: enough for "quakes"/"quake", keeps names intact.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def term_vector(text: str, *, max_terms: int = 300, proper_noun_weight: float = 2.0) -> dict[str, float]:
    """Unit-length vector of content terms: sublinear tf, proper nouns and numbers weighted up.

    The weights depend on the document alone (no IDF), so a pair's cosine never changes.
    """
    counts: Counter[str] = Counter()
    weight: dict[str, float] = {}
    for m in _TOKEN.finditer(text):
        tok = _POSSESSIVE.sub("", m.group(0))
        low = tok.casefold()
        if low in STOPWORDS or (len(low) < 3 and not low.isdigit()):
            continue
        numeric = _DIGIT.search(low) is not None
        term = low if numeric else _stem(low)
        counts[term] += 1
        w = proper_noun_weight if numeric or tok[0].isupper() else 1.0
        weight[term] = max(weight.get(term, 0.0), w)
    vec = {t: (1.0 + math.log(c)) * weight[t] for t, c in counts.items()}
    if len(vec) > max_terms:
        vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms])
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: round(v / norm, 6) for t, v in vec.items()}


def proxy_entities(text: str) -> set[str]:
    """Capitalised word sequences (names) of `text`: a cheap stand-in for NER.

    A sentence-initial word counts only if it never appears lower-cased in the text and is not
    a stopword; months, weekdays and pronouns are dropped from the edges of a name.
    """
    lower_words = {w for w in re.findall(r"[^\W_]+", text) if w.islower()}
    out = set()
    for m in _CAP_SEQ.finditer(text):
        words = m.group(0).split()
        prev = text[: m.start()].rstrip()
        if not prev or prev[-1] in ".!?:;\"“”‘’'\n([" or text[m.start() - 1 : m.start()] == "\n":
            first = words[0].casefold()
            if first in lower_words or first in STOPWORDS:
                words = words[1:]
        while words and (words[0] in _NOT_ENTITY or words[0].islower()):
            words = words[1:]
        while words and (words[-1] in _NOT_ENTITY or words[-1].islower()):
            words = words[:-1]
        name = _POSSESSIVE.sub("", " ".join(words)).casefold()
        if len(name) > 2:
            out.add(name)
    return out


def quote_keys(text: str, *, min_words: int = 6) -> set[str]:
    """Short hashes of every `min_words`-word window inside the direct quotes of `text`.

    Outlets quote the same words in part ("We appreciate ... the principled disposition"), with
    ellipses, or with contractions expanded, so two documents share a quote when they share any
    window of it, not only when the whole quotations are equal.
    """
    out = set()
    for m in _QUOTE.finditer(text):
        words = re.findall(r"[^\W_]+", m.group(1).casefold())
        for i in range(len(words) - min_words + 1):
            out.add(hashlib.sha1(" ".join(words[i:i + min_words]).encode()).hexdigest()[:16])
    return out


def story_features(doc: Document, *, config: StoryConfig = DEFAULT_STORY, entities: Iterable[str] | None = None) -> StoryFeatures:
    """What clustering needs of a document: a pure function of the document (and its entities)."""
    text = (doc.clean_text or "")[: config.max_chars]
    if doc.title and not text.startswith(doc.title):
        text = doc.title + ".\n" + text
    ents = {e.casefold() for e in entities} if entities is not None else proxy_entities(text)
    return StoryFeatures(
        terms=term_vector(text, max_terms=config.max_terms, proper_noun_weight=config.proper_noun_weight),
        entities=frozenset(ents),
        quotes=frozenset(quote_keys(text, min_words=config.quote_min_words)),
        years=frozenset(int(y) for y in _YEAR.findall(text)),
        published_at=doc.published_at,
    )


def similarity(a: StoryFeatures, b: StoryFeatures, config: StoryConfig = DEFAULT_STORY) -> float:
    """Symmetric similarity of two documents from their features alone."""
    if a.published_at and b.published_at and abs(_days(a.published_at) - _days(b.published_at)) > config.max_days_apart:
        return 0.0
    small, large = (a.terms, b.terms) if len(a.terms) <= len(b.terms) else (b.terms, a.terms)
    sim = sum(v * large.get(t, 0.0) for t, v in small.items())
    if a.entities and b.entities:
        sim += config.entity_weight * len(a.entities & b.entities) / len(a.entities | b.entities)
    if a.quotes & b.quotes:
        sim += config.quote_bonus
    elif min(len(a.quotes), len(b.quotes)) >= config.quote_mismatch_min_windows:
        # both quote at length and share not one window: reports of the same happening quote the
        # same statements, so this is evidence of two different occasions
        sim -= config.quote_mismatch_penalty
    if a.years and b.years and not (a.years & b.years):
        sim -= config.year_mismatch_penalty
    return sim


def _safe_features(doc: Document, config: StoryConfig, entities: Iterable[str] | None) -> StoryFeatures:
    try:
        return story_features(doc, config=config, entities=entities)
    except Exception as exc:  # noqa: BLE001 -- one bad document must not fail the batch: it gets a story of its own
        doc.notes["story_error"] = f"{type(exc).__name__}: {exc}"[:500]
        return StoryFeatures(terms={}, entities=frozenset(), quotes=frozenset(), years=frozenset(),
                             published_at=None)


def _days(when: datetime) -> float:
    # timestamp() accepts naive and aware datetimes alike (subtracting a mix would raise)
    return when.timestamp() / 86400


def cluster_stories_batch(
    docs: Iterable[Document],
    *,
    config: StoryConfig = DEFAULT_STORY,
    state: DedupState,
    entities: Mapping[str, list[str]] | None = None,
) -> dict[str, list[dict]]:
    """Assign a `story_id` to every ok document of the batch, linking it to loaded documents.

    `entities` optionally maps doc_id to normalised entity names (e.g. from the NLP stage);
    without it capitalised word sequences stand in. Two documents are linked when they share a
    term and `similarity` reaches `config.threshold`; the batch is scored at once against all
    loaded documents and itself (sparse products), then linked components become stories.
    Returns `story_records` (new stories, label = the first document's title or first sentence),
    `story_features` (state, one row per document, re-emitted when its story is merged) and
    `story_merges`.
    """
    out: dict[str, list[dict]] = {"story_records": [], "story_features": [], "story_merges": []}
    batch = [d for d in docs if d.is_ok]
    new: dict[str, Document] = {}  # not yet clustered (a re-run of the same input adds nothing)
    for doc in batch:
        if doc.doc_id not in state.features:
            new.setdefault(doc.doc_id, doc)
    new = list(new.values())
    feats = [_safe_features(d, config, None if entities is None else entities.get(d.doc_id, [])) for d in new]
    space = _space(state)
    enc = space.encode(feats)
    old_ids = list(space.doc_ids)
    parent = list(range(len(new)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    linked: dict[int, set[str]] = defaultdict(set)  # new doc -> loaded docs it links to
    if old_ids and new:
        rows, cols = _links(enc, space.matrices(), config, same=False)
        for i, j in zip(rows, cols):
            linked[int(i)].add(old_ids[j])
    rows, cols = _links(enc, enc, config, same=True)
    for i, k in zip(rows, cols):
        a, b = find(int(i)), find(int(k))
        if a != b:
            parent[max(a, b)] = min(a, b)  # the root is the component's first-arrived document
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(new)):
        members[find(i)].append(i)
    touched: set[str] = set()
    first_seq = state.next_seq()
    for root in sorted(members):
        # current stories of the linked documents (an earlier component may have merged some)
        stories = {state.doc_story[d] for i in members[root] for d in linked.get(i, ())}
        if not stories:
            story_id = "s_" + new[root].doc_id
            out["story_records"].append({"story_id": story_id, "label": _label(new[root])})
        else:
            story_id = min(stories)
            for other in sorted(stories - {story_id}):
                _merge(other, story_id, state, touched, out)
        for i in members[root]:
            state.add_story_doc(new[i].doc_id, story_id, feats[i], seq=first_seq + i)
    touched.update(d.doc_id for d in new)
    space.append([d.doc_id for d in new], enc)
    for doc_id in sorted(touched, key=state.seq.__getitem__):
        out["story_features"].append(_feature_row(doc_id, state))
    for doc in batch:
        doc.story_id = state.doc_story[doc.doc_id]
    return out


class _FeatureSpace:
    """The clustered documents' features as sparse matrices (rows in arrival order), so that a
    batch is scored against everything loaded with a few sparse products."""

    KINDS = ("terms", "entities", "quotes", "years")

    def __init__(self) -> None:
        self.doc_ids: list[str] = []
        self.vocab: dict[str, dict[object, int]] = {k: {} for k in self.KINDS}
        self.blocks: list[dict[str, object]] = []
        self._stacked: dict[str, object] | None = None

    def encode(self, feats: list[StoryFeatures]) -> dict[str, object]:
        enc: dict[str, object] = {}
        for kind in self.KINDS:
            vocab = self.vocab[kind]
            data, indices, indptr = [], [], [0]
            for f in feats:
                values = getattr(f, kind)
                items = values.items() if isinstance(values, dict) else ((v, 1.0) for v in values)
                for key, weight in items:
                    indices.append(vocab.setdefault(key, len(vocab)))
                    data.append(weight)
                indptr.append(len(indices))
            enc[kind] = (np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(indptr))
        enc["n"] = len(feats)
        enc["days"] = np.array([_days(f.published_at) if f.published_at else np.nan for f in feats])
        return self._finish(enc)

    def _finish(self, enc: dict[str, object]) -> dict[str, object]:
        for kind in self.KINDS:
            if isinstance(enc[kind], tuple):
                data, indices, indptr = enc[kind]
                enc[kind] = sparse.csr_matrix((data, indices, indptr), shape=(enc["n"], len(self.vocab[kind])))
            else:
                enc[kind].resize((enc["n"], len(self.vocab[kind])))
        return enc

    def append(self, doc_ids: list[str], enc: dict[str, object]) -> None:
        if doc_ids:
            self.doc_ids.extend(doc_ids)
            self.blocks.append(enc)
            self._stacked = None

    def matrices(self) -> dict[str, object]:
        if self._stacked is None:
            stacked = {kind: sparse.vstack([b[kind] for b in self.blocks], format="csr") if self.blocks
                       else sparse.csr_matrix((0, len(self.vocab[kind]))) for kind in self.KINDS}
            stacked["n"] = len(self.doc_ids)
            stacked["days"] = np.concatenate([b["days"] for b in self.blocks]) if self.blocks else np.zeros(0)
            self.blocks = [stacked]
            self._stacked = stacked
        return self._finish(self._stacked)


def _space(state: DedupState) -> _FeatureSpace:
    space = getattr(state, "story_space", None)
    if space is None or len(space.doc_ids) != len(state.features):
        space = _FeatureSpace()
        ordered = sorted(state.features, key=lambda d: (state.seq[d], d))
        space.append(ordered, space.encode([state.features[d] for d in ordered]))
        state.story_space = space
    return space


def _links(a: dict, b: dict, config: StoryConfig, same: bool) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row of a, row of b) that share a term and whose `similarity` reaches the threshold.

    The vectorised form of `similarity`; with same=True only pairs i < k of one block."""
    for m in (a, b):
        for kind in _FeatureSpace.KINDS:
            if m[kind].shape[1] != max(a[kind].shape[1], b[kind].shape[1]):
                m[kind].resize((m["n"], max(a[kind].shape[1], b[kind].shape[1])))
    cos = (a["terms"] @ b["terms"].T).tocoo()
    r, c, sim = cos.row, cos.col, cos.data.copy()
    # bonuses add at most entity_weight + quote_bonus: pairs below that margin cannot link
    keep = sim >= config.threshold - config.entity_weight - config.quote_bonus - 1e-9
    if same:
        keep &= r < c
    r, c, sim = r[keep], c[keep], sim[keep]
    if len(r) == 0:
        return r, c
    width = np.int64(b["n"]) or np.int64(1)
    wanted = r.astype(np.int64) * width + c

    def at(m):  # values of the sparse product m at the pairs (r, c); 0 where absent
        m = m.tocoo()
        keys = m.row.astype(np.int64) * width + m.col
        order = np.argsort(keys, kind="stable")
        keys, vals = keys[order], m.data[order]
        pos = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        hit = (keys[pos] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
        return np.where(hit, vals[pos] if len(keys) else 0.0, 0.0)

    ne_a = np.diff(a["entities"].indptr)[r]
    ne_b = np.diff(b["entities"].indptr)[c]
    inter = at(a["entities"] @ b["entities"].T)
    union = ne_a + ne_b - inter
    sim += config.entity_weight * np.divide(inter, union, out=np.zeros_like(sim), where=(ne_a > 0) & (ne_b > 0))
    shared_quotes = at(a["quotes"] @ b["quotes"].T) > 0
    sim += config.quote_bonus * shared_quotes
    nq_a = np.diff(a["quotes"].indptr)[r]
    nq_b = np.diff(b["quotes"].indptr)[c]
    sim -= config.quote_mismatch_penalty * (~shared_quotes & (np.minimum(nq_a, nq_b) >= config.quote_mismatch_min_windows))
    ny_a = np.diff(a["years"].indptr)[r]
    ny_b = np.diff(b["years"].indptr)[c]
    sim -= config.year_mismatch_penalty * ((ny_a > 0) & (ny_b > 0) & (at(a["years"] @ b["years"].T) == 0))
    days = np.abs(a["days"][r] - b["days"][c])
    sim[days > config.max_days_apart] = 0.0  # NaN (no date) compares False: no constraint
    keep = np.round(sim, 9) >= config.threshold
    return r[keep], c[keep]


def _merge(src: str, dst: str, state: DedupState, touched: set[str], out: dict) -> None:
    for doc_id in state.story_docs.pop(src, []):
        state.doc_story[doc_id] = dst
        state.story_docs[dst].append(doc_id)
        touched.add(doc_id)
    out["story_merges"].append({"story_id": src, "merged_into": dst})


def _feature_row(doc_id: str, state: DedupState) -> dict:
    f = state.features[doc_id]
    return {
        "doc_id": doc_id,
        "story_id": state.doc_story[doc_id],
        "seq": state.seq[doc_id],
        "terms": json.dumps(f.terms, sort_keys=True),
        "entities": json.dumps(sorted(f.entities)),
        "quotes": json.dumps(sorted(f.quotes)),
        "years": json.dumps(sorted(f.years)),
        "published_at": f.published_at,
    }


def _label(doc: Document) -> str:
    if doc.title:
        return doc.title.strip()[:200]
    text = (doc.clean_text or "").strip()
    return _SENT_END.split(text, maxsplit=1)[0][:200]
