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
import math
import re
from collections import Counter, defaultdict
from datetime import datetime
from typing import Iterable, Mapping

from tasks.dedup.config import StoryConfig
from tasks.dedup.state import DedupState, StoryFeatures
from tasks.records import Document

_TOKEN = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")
_CAP_WORD = r"(?:[A-Z]\.){2,}|[A-Z][\w’'-]*\w"
_CAP_SEQ = re.compile(rf"(?<![\w.])(?:{_CAP_WORD})(?:(?:[ \t]+(?:of|de|la|al|bin|van|von|der))?[ \t]+(?:{_CAP_WORD}))*")
_POSSESSIVE = re.compile(r"[’']s\b")
_QUOTE = re.compile(r"[\"“”‘’`']{1,2}([^\"“”]{20,400}?)[\"“”'’]{1,2}")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
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
        term = low if any(c.isdigit() for c in low) else _stem(low)
        counts[term] += 1
        w = proper_noun_weight if tok[0].isupper() or any(c.isdigit() for c in tok) else 1.0
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
    """Short hashes of the normalised direct quotes of `text` with at least `min_words` words."""
    out = set()
    for m in _QUOTE.finditer(text):
        words = re.findall(r"[^\W_]+", m.group(1).casefold())
        if len(words) >= min_words:
            out.add(hashlib.sha1(" ".join(words).encode()).hexdigest()[:16])
    return out


def story_features(doc: Document, *, config: StoryConfig = StoryConfig(), entities: Iterable[str] | None = None) -> StoryFeatures:
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


def similarity(a: StoryFeatures, b: StoryFeatures, config: StoryConfig = StoryConfig()) -> float:
    """Symmetric similarity of two documents from their features alone."""
    if a.published_at and b.published_at:
        days = abs((a.published_at - b.published_at).total_seconds()) / 86400
        if days > config.max_days_apart:
            return 0.0
    small, large = (a.terms, b.terms) if len(a.terms) <= len(b.terms) else (b.terms, a.terms)
    sim = sum(v * large.get(t, 0.0) for t, v in small.items())
    if a.entities and b.entities:
        sim += config.entity_weight * len(a.entities & b.entities) / len(a.entities | b.entities)
    if a.quotes & b.quotes:
        sim += config.quote_bonus
    if a.years and b.years and not (a.years & b.years):
        sim -= config.year_mismatch_penalty
    return sim


def cluster_stories_batch(
    docs: Iterable[Document],
    *,
    config: StoryConfig = StoryConfig(),
    state: DedupState,
    entities: Mapping[str, list[str]] | None = None,
) -> dict[str, list[dict]]:
    """Assign a `story_id` to every ok document of the batch, linking it to loaded documents.

    `entities` optionally maps doc_id to normalised entity names (e.g. from the NLP stage);
    without it capitalised word sequences stand in. Returns `story_records` (new stories, label
    = the first document's title or first sentence), `story_features` (state, one row per
    document, re-emitted when its story is merged) and `story_merges`.
    """
    out: dict[str, list[dict]] = {"story_records": [], "story_features": [], "story_merges": []}
    touched: set[str] = set()
    batch = [d for d in docs if d.is_ok]
    for doc in batch:
        if doc.doc_id in state.features:  # already clustered (re-run of the same input)
            doc.story_id = state.doc_story[doc.doc_id]
            continue
        feats = story_features(doc, config=config, entities=(entities or {}).get(doc.doc_id) if entities is not None else None)
        linked = _linked_stories(feats, state, config)
        if not linked:
            story_id = "s_" + doc.doc_id
            out["story_records"].append({"story_id": story_id, "label": _label(doc)})
        else:
            story_id = min(linked)
            for other in sorted(linked - {story_id}):
                _merge(other, story_id, state, touched, out)
        state.add_story_doc(doc.doc_id, story_id, feats, seq=state.next_seq())
        touched.add(doc.doc_id)
    for doc_id in sorted(touched, key=state.seq.__getitem__):
        out["story_features"].append(_feature_row(doc_id, state))
    for doc in batch:
        doc.story_id = state.doc_story[doc.doc_id]
    return out


def _linked_stories(feats: StoryFeatures, state: DedupState, config: StoryConfig) -> set[str]:
    candidates: set[str] = set()
    for term in feats.terms:
        candidates.update(state.term_index.get(term, ()))
    linked = set()
    for cand in candidates:
        story = state.doc_story[cand]
        if story in linked:
            continue
        if similarity(feats, state.features[cand], config) >= config.threshold:
            linked.add(story)
    return linked


def _merge(src: str, dst: str, state: DedupState, touched: set[str], out: dict) -> None:
    for doc_id in state.story_docs.pop(src, []):
        state.doc_story[doc_id] = dst
        state.story_docs[dst].append(doc_id)
        touched.add(doc_id)
    out["story_merges"].append({"story_id": src, "merged_into": dst})


def _feature_row(doc_id: str, state: DedupState) -> dict:
    import json

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
