"""spaCy over a batch of documents -> plain records (mentions, quotes, event mentions).

This is the expensive, parallelisable part: everything that needs the parse happens here, one
document at a time, and only plain picklable records leave (never a spaCy `Doc`). What needs
state across documents (entity ids, event merging) happens in `link.py`.
"""
from __future__ import annotations

import bisect
import functools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from tasks.nlp.config import NlpConfig
from tasks.nlp.dates import PartialDate, find_dates, nearest_date, reference_year
from tasks.nlp.entities import DocMention, Lexicon, clean_name, fold, is_junk_name, link_within_document
from tasks.nlp.model import load_model
from tasks.nlp.quotes import QuoteRec, find_quote_spans

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
PLACE_LABELS = {"GPE", "LOC", "FAC", "EVENT"}
PLACE_WORDS = re.compile(r"\b(conference|summit|forum|meeting|talks|assembly)\b", re.I)
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
THING_PRONOUNS = {"it", "its"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}


@dataclass
class ArgRec:
    """An event argument: role and the canonical name (and label) of the entity filling it."""

    role: str  # actor, target, object, source, location
    name: str
    label: str


@dataclass
class EventRec:
    """One mention of an event in one sentence."""

    event_type: str
    trigger: str
    sentence: str
    start: int  # sentence offsets in clean_text
    end: int
    date: PartialDate | None
    location: str | None
    args: list[ArgRec]
    confidence: float
    # the document's first day-level date (its lead's "on Tuesday"): a hint for undated mentions
    context_date: PartialDate | None = None


@dataclass
class ParsedDoc:
    """Everything the NLP parse found in one document (plain, picklable)."""

    doc_id: str
    published_at: datetime | None
    site: str | None
    mentions: list[DocMention] = field(default_factory=list)
    quotes: list[QuoteRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    n_words: int = 0
    notes: dict = field(default_factory=dict)
    error: str | None = None


@functools.lru_cache(maxsize=4)
def load_triggers(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    data["symmetric"] = set(data["symmetric"])
    data["multi"] = {k: v for k, v in data["nouns"].items() if " " in k}
    return data


def lazy_lemma(lemmatizer, tok: Token) -> str:
    """Lemma of one token with the (disabled) rule lemmatizer; the lowercase form without it."""
    if lemmatizer is None or not tok.pos_:
        return tok.lower_
    try:
        lemmas = lemmatizer.rule_lemmatize(tok)
    except Exception:  # lookup tables missing: fall back to the word itself
        return tok.lower_
    return (lemmas[0] if lemmas else tok.lower_).lower()


def as_datetime(value) -> datetime | None:
    """A publication date as datetime (ISO strings and dates accepted; junk -> None)."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def split_chunks(text: str, max_chars: int) -> list[tuple[int, str]]:
    """(offset, chunk) pieces of at most `max_chars`, cut at paragraph ends where possible."""
    if len(text) <= max_chars:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            cut = text.rfind("\n", start + 1, end)
            if cut <= start:
                cut = max(text.rfind(". ", start + 1, end), text.rfind(" ", start + 1, end))
                cut = cut + 1 if cut > start else end
            end = cut
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def parse_batch(items: list[dict], config: NlpConfig = NlpConfig()) -> list[ParsedDoc]:
    """Parse a batch: items are dicts {doc_id, clean_text, published_at, site, title}.

    Runs `nlp.pipe` once over all chunks of all documents; one failing document yields a
    `ParsedDoc` with `error` set instead of failing the batch. With `config.n_process` other
    than 1 the batch is split into that many shards parsed in worker processes, each running the
    whole per-document work (model and rule extraction), not only `nlp.pipe`.
    """
    processes = resolve_processes(config.n_process, len(items), config.min_docs_per_process)
    if processes > 1:
        return parse_in_processes(items, config, processes)
    nlp = load_model(config)
    lexicon = Lexicon.from_config(config)
    triggers = load_triggers(config.trigger_file)
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    texts: list[tuple[str, tuple[int, int]]] = []
    for n, item in enumerate(items):
        text = (item.get("clean_text") or "")[: config.max_doc_chars]
        for offset, chunk in split_chunks(text, config.max_chars):
            texts.append((chunk, (n, offset)))
    chunks: dict[int, list[tuple[int, Doc]]] = {n: [] for n in range(len(items))}
    for doc, (n, offset) in nlp.pipe(texts, as_tuples=True, batch_size=config.batch_size):
        chunks[n].append((offset, doc))
    out = []
    for n, item in enumerate(items):
        started = time.perf_counter()
        try:
            parsed = DocumentExtractor(item, chunks[n], config, lexicon, triggers, lemmatizer).run()
        except Exception as exc:  # one bad document must not fail the batch
            parsed = ParsedDoc(item["doc_id"], item.get("published_at"), item.get("site"), error=f"{type(exc).__name__}: {exc}")
        if len(item.get("clean_text") or "") > config.max_doc_chars:
            parsed.notes["truncated_at"] = config.max_doc_chars
        parsed.notes["extract_seconds"] = round(time.perf_counter() - started, 4)
        out.append(parsed)
    return out


def fix_entities(doc: Doc, config: NlpConfig, titles: frozenset[str] = frozenset()) -> None:
    """General repairs of NER spans before they are read.

    * "Presidency of Defense Industries": NER often keeps only the part after "of"; a run of
      capitalised words joined by "of" is one ORG.
    * A dateline ("MUNICH (Sputnik) -") is a place.
    """
    ents = list(doc.ents)
    new = []
    for ent in ents:
        start = ent.start
        if ent.label_ in ("ORG", "FAC") and start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].is_title and not doc[start - 2].ent_type_:
            s = start - 2
            while s > 0 and not doc[s].is_sent_start and doc[s - 1].is_title and not doc[s - 1].ent_type_:
                s -= 1
            if doc[s].pos_ == "PROPN" and not any(fold(t.text) in titles for t in doc[s:start - 1]):
                new.append(Span(doc, s, ent.end, label=ent.label_))
                continue
        if doc[ent.start].is_sent_start and ent.text.isupper() and len(ent) == 1 and ent.end < len(doc) and doc[ent.end].text in ("(", ",", "-", "—", "–"):
            new.append(Span(doc, ent.start, ent.end, label="GPE"))
            continue
        new.append(ent)
    if new != ents:
        doc.ents = filter_spans(new)


class DocumentExtractor:
    """Mentions, quotes and event mentions of one document (all its chunks)."""

    def __init__(self, item: dict, chunks: list[tuple[int, Doc]], config: NlpConfig, lexicon: Lexicon, triggers: dict, lemmatizer=None):
        self.item, self.chunks, self.config, self.lex, self.trig = item, chunks, config, lexicon, triggers
        self.text: str = (item.get("clean_text") or "")[: config.max_doc_chars]
        self.published_at = as_datetime(item.get("published_at"))
        self.mentions: list[DocMention] = []
        self.tok_mention: dict[tuple[int, int], int] = {}  # (chunk no, token i) -> mention index
        self.quote_spans = find_quote_spans(self.text)
        self._quote_starts = [s for s, _ in self.quote_spans]
        self._sents: dict[int, list[Span]] = {}
        self._lemmas: dict[tuple[str, str], str] = {}
        self.nlp_lemmatizer = lemmatizer
        self._words_by_canon: dict[str, set[str]] = {}

    # -- helpers -----------------------------------------------------------------------
    def sentences(self, c: int) -> list[Span]:
        if c not in self._sents:
            self._sents[c] = list(self.chunks[c][1].sents)
        return self._sents[c]

    def lemma(self, tok: Token) -> str:
        """The lowercase lemma: the pipeline's when it set one, else computed on demand (the
        lemmatizer is disabled in `load_model`: only the few candidate words need a lemma)."""
        if tok.lemma_:
            return tok.lemma_.lower()
        key = (tok.lower_, tok.pos_)
        got = self._lemmas.get(key)
        if got is None:
            got = self._lemmas[key] = lazy_lemma(self.nlp_lemmatizer, tok)
        return got

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and self.quote_spans[i][0] <= pos < self.quote_spans[i][1]

    def mention_of(self, c: int, tok: Token) -> int | None:
        return self.tok_mention.get((c, tok.i))

    # -- phase A: mentions ---------------------------------------------------------------
    def collect_mentions(self) -> None:
        labels = set(self.config.entity_labels)
        for c, (offset, doc) in enumerate(self.chunks):
            fix_entities(doc, self.config, self.lex.title_words)
            for ent in doc.ents:
                if ent.label_ not in labels:
                    continue
                name = clean_name(ent.text, ent.label_, self.lex)
                if is_junk_name(name, ent.label_) or (ent.label_ != "PERSON" and fold(name) in self.lex.titles):
                    continue
                m = DocMention(offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_, name, words=self.descriptor_words(ent))
                if ent.ent_id_:
                    m.canon, m.canon_label, m.fixed = ent.ent_id_, ent.label_, True
                self.mentions.append(m)
        self.add_surname_mentions()
        self.mentions.sort(key=lambda m: m.start)
        link_within_document(self.mentions, self.lex)
        for idx, m in enumerate(self.mentions):
            for c, (offset, doc) in enumerate(self.chunks):
                if offset <= m.start < offset + len(doc.text):
                    span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
                    for tok in span or ():
                        self.tok_mention[(c, tok.i)] = idx
        self._mention_starts = [m.start for m in self.mentions]
        for m in self.mentions:
            self._words_by_canon.setdefault(fold(m.canon), set()).update(m.words)

    def descriptor_words(self, ent: Span) -> set[str]:
        """Words right before a name that describe it ("Russia's Foreign Minister")."""
        words: set[str] = set()
        i = ent.start - 1
        while i >= max(0, ent.start - 6) and not ent.doc[i + 1].is_sent_start:
            t = ent.doc[i]
            if t.is_punct and t.text not in ("'s", "’s") or t.pos_ in ("VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "NUM"):
                break
            low = fold(t.text)
            words.add(low)
            if t.ent_type_ in ("GPE", "NORP"):
                country = self.lex.country_of(t.text, t.ent_type_) if t.ent_type_ == "NORP" else self.lex.canonical(t.text)
                words.add(fold(country[0] if isinstance(country, tuple) else (country or t.text)))
            i -= 1
        return words

    def add_surname_mentions(self) -> None:
        """Occurrences of a PERSON's surname that NER missed ("Cavusoglu’s statement")."""
        taken = [(m.start, m.end) for m in self.mentions]
        surnames = {m.name.split()[-1] for m in self.mentions if m.label == "PERSON" and len(m.name.split()) >= 2 and len(m.name.split()[-1]) >= 3}
        for s in surnames:
            for hit in re.finditer(rf"(?<![\w-]){re.escape(s)}(?![\w-])", self.text):
                a, b = hit.span()
                if any(a < te and ts < b for ts, te in taken):
                    continue
                self.mentions.append(DocMention(a, b, s, "PERSON", s))
                taken.append((a, b))

    # -- references: pronouns and descriptions ---------------------------------------------
    def preceding_person(self, pos: int, exclude: set[int] = frozenset()) -> int | None:
        i = bisect.bisect_left(self._mention_starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if (m.canon_label or m.label) == "PERSON" and m.end <= pos and i not in exclude and not self.in_quote(m.start):
                return i
            i -= 1
        return None

    def resolve_description(self, c: int, tok: Token) -> int | None:
        """ "the minister", "the top Russian diplomat", "his counterpart" -> a preceding PERSON."""
        words = {fold(t.text) for t in tok.lefts if t.dep_ in ("amod", "compound", "nmod", "poss")} | {fold(self.lemma(tok))}
        countries = set()
        for w in words:
            if w in self.lex.demonyms:
                countries.add(fold(self.lex.demonyms[w]))
        pos = self.chunks[c][0] + tok.idx
        best, best_score = None, -1
        i = bisect.bisect_left(self._mention_starts, pos) - 1
        seen: set[str] = set()
        while i >= 0:
            m = self.mentions[i]
            if (m.canon_label or m.label) == "PERSON" and not self.in_quote(m.start) and fold(m.canon) not in seen:
                seen.add(fold(m.canon))
                desc = self._words_by_canon.get(fold(m.canon), set())
                score = 2 * len(countries & desc) + (fold(self.lemma(tok)) in desc)
                if countries and not countries & desc and any(fold(self.lex.demonyms.get(w, "")) in desc or w in self.lex.demonyms for w in desc):
                    score -= 3  # a Russian diplomat is not the Turkish minister
                if score > best_score:
                    best, best_score = i, score
            i -= 1
        return best

    def counterpart_of(self, other: set[str]) -> str | None:
        """The PERSON sharing a role word with the other actor ("his counterpart" of a minister)."""
        words_of: dict[str, set[str]] = {}
        for m in self.mentions:
            if (m.canon_label or m.label) == "PERSON":
                words_of.setdefault(m.canon, set()).update(self._words_by_canon.get(fold(m.canon), ()))
        roles = set().union(*(words_of.get(o, set()) for o in other)) & self.lex.role_nouns
        cands = [n for n, w in words_of.items() if n not in other and w & roles]
        return cands[0] if len(cands) == 1 else None

    def thing_antecedent(self, c: int, tok: Token) -> list[tuple[str, str]]:
        """ "its" -> the nearest preceding subject or possessor that names a non-person."""
        doc = self.chunks[c][1]
        sent_start = tok.sent.start
        prev = doc[sent_start - 1].sent.start if sent_start > 0 else sent_start
        for j in range(tok.i - 1, prev - 1, -1):
            t = doc[j]
            if t.dep_ in ("nsubj", "nsubjpass", "poss") and t.lower_ not in THING_PRONOUNS | PERSON_PRONOUNS:
                refs = [r for r in self.refs(c, t, allow_pronoun=False) if r[1] != "PERSON"]
                if refs:
                    return refs
        return []

    def refs(self, c: int, tok: Token, allow_pronoun: bool = True, exclude: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """(canonical name, label) of the entities a noun phrase headed by `tok` names."""
        idx = self.mention_of(c, tok)
        if idx is not None:
            m = self.mentions[idx]
            out = [(m.canon, m.canon_label or m.label)]
            for ch in tok.children:
                j = self.mention_of(c, ch) if ch.dep_ == "poss" else None
                if j is not None and j != idx and self.mentions[j].label in ("GPE", "ORG"):
                    out.append((self.mentions[j].canon, self.mentions[j].canon_label or self.mentions[j].label))
            return out
        low = tok.lower_
        pos = self.chunks[c][0] + tok.idx
        if low in PERSON_PRONOUNS and allow_pronoun:
            skip = {j for j, m in enumerate(self.mentions) if fold(m.canon) in exclude} if exclude else set()
            i = self.preceding_person(pos, skip)
            return [(self.mentions[i].canon, "PERSON")] if i is not None else []
        if low in THING_PRONOUNS and allow_pronoun:
            return self.thing_antecedent(c, tok)
        for ch in tok.children:
            if ch.dep_ == "appos":
                r = self.refs(c, ch, allow_pronoun)
                if r:
                    return r
        if tok.tag_ == "NN" and self.lemma(tok) in self.lex.role_nouns and allow_pronoun and self.lemma(tok) != "counterpart":
            i = self.resolve_description(c, tok)
            if i is not None:
                return [(self.mentions[i].canon, "PERSON")]
        out = []
        for ch in tok.children:
            if ch.dep_ in ("compound", "amod", "poss", "nmod") and ch.i < tok.i:
                j = self.mention_of(c, ch)
                if j is not None and self.mentions[j].label in ACTOR_LABELS:
                    m = self.mentions[j]
                    out.append((m.canon, m.canon_label or m.label))
                elif ch.dep_ == "poss" and allow_pronoun and ch.lower_ in THING_PRONOUNS:
                    out.extend(self.thing_antecedent(c, ch))
        return out

    # -- quotes -------------------------------------------------------------------------
    def extract_quotes(self) -> list[QuoteRec]:
        out: list[QuoteRec] = []
        for s, e in self.quote_spans:
            q = QuoteRec(s, e, self.text[s:e])
            found = self.quote_speaker(s, e)
            if found:
                q.speaker, q.speaker_label, q.cue = found
            elif out and self.continues(out[-1], s):
                q.speaker, q.speaker_label, q.cue = out[-1].speaker, out[-1].speaker_label, "continued"
            out.append(q)
        return out

    def continues(self, prev: QuoteRec, start: int) -> bool:
        """A quote with no cue that follows the previous quote with nothing but space between
        (in one paragraph) or that is a paragraph on its own right after it."""
        if prev.speaker is None:
            return False
        between = self.text[prev.end:start]
        if "\n" not in between:
            return True  # same paragraph: “A,” X said. “B.”
        para_start = self.text.rfind("\n", 0, start) + 1
        return between.count("\n") == 1 and len(self.text[para_start:start].strip(" \"“'")) == 0

    def quote_speaker(self, s: int, e: int) -> tuple[str, str, str] | None:
        for c, (offset, doc) in enumerate(self.chunks):
            if not offset <= s < offset + len(doc.text):
                continue
            sents = []
            for sent in self.sentences(c):
                a, b = offset + sent.start_char, offset + sent.end_char
                if a < e + 3 and b > s - 1:
                    sents.append(sent)
            # the sentence right after a quote that closes its own sentence ("...,” X said.)
            after = self.text[e:e + 3]
            if sents and sents[-1].end < len(doc) and offset + sents[-1].end_char <= e + 3 and "\n" not in after:
                sents.append(doc[sents[-1].end].sent)
            cues = []
            for sent in sents:
                for t in sent:
                    p = offset + t.idx
                    if self.in_quote(p) or self.lemma(t) not in self.lex.speech_verbs or t.pos_ not in ("VERB", "AUX"):
                        continue
                    if "\n" in self.text[min(p, s):max(p, e)]:
                        continue
                    dist = s - p if p < s else p - e
                    cues.append((dist, t))
            for _, verb in sorted(cues, key=lambda x: x[0]):
                speaker = self.subject_of(c, verb)
                if speaker:
                    return speaker[0], speaker[1], verb.text
            for sent in sents:  # "according to Reuters"
                for t in sent:
                    if t.lower_ == "according" and not self.in_quote(offset + t.idx):
                        for to in t.children:
                            for pobj in to.children:
                                r = self.refs(c, pobj)
                                if r:
                                    return r[0][0], r[0][1], "according to"
        return None

    def subject_of(self, c: int, verb: Token) -> tuple[str, str] | None:
        """The speaker of a cue verb: its subject, through "who" and clause chains."""
        h = verb
        for _ in range(4):
            if any(t.dep_ in ("nsubjpass", "auxpass") for t in h.children):
                return None  # "Turkey was warned": the subject is not the speaker
            subj = [t for t in h.children if t.dep_ == "nsubj" and not self.in_quote(self.chunks[c][0] + t.idx)]
            if subj:
                t = subj[0]
                if t.tag_ in ("WP", "WDT") and h.dep_ == "relcl":
                    t = h.head
                r = [x for x in self.refs(c, t) if x[1] in ("PERSON", "ORG", "GPE", "NORP")]
                return r[0] if r else None
            if h.dep_ in ("xcomp", "advcl", "conj", "ccomp", "relcl") and h.head is not h:
                if h.dep_ == "relcl":
                    r = self.refs(c, h.head)
                    return r[0] if r else None
                h = h.head
            else:
                break
        return None

    # -- events -------------------------------------------------------------------------
    def extract_events(self) -> list[EventRec]:
        ref_year = None if self.published_at else reference_year(self.text)
        dates = find_dates(self.text, self.published_at, ref_year)
        self.context_date = next((d.value for d in dates if d.value.day is not None or d.value.weekday is not None), None)
        out: list[EventRec] = []
        for c, (offset, doc) in enumerate(self.chunks):
            for sent in self.sentences(c):
                has_product = any(e.label_ == "PRODUCT" for e in sent.ents)
                for tok in sent:
                    ev = self.event_at(c, tok, has_product)
                    if ev is None:
                        continue
                    etype, kind = ev
                    rec = self.event_record(c, tok, sent, etype, kind, dates)
                    if rec is not None:
                        out.append(rec)
        return out

    def event_at(self, c: int, tok: Token, has_product: bool) -> tuple[str, str] | None:
        if self.in_quote(self.chunks[c][0] + tok.idx):
            return None
        if tok.pos_ not in ("VERB", "NOUN", "PROPN"):
            return None
        lemma = self.lemma(tok)
        etype, kind = None, None
        if tok.pos_ == "VERB" and lemma in self.trig["verbs"]:
            etype, kind = self.trig["verbs"][lemma], "verb"
        elif tok.pos_ in ("NOUN", "PROPN"):
            if tok.i > 0:
                pair = f"{tok.doc[tok.i - 1].lower_} {lemma}"
                if pair in self.trig["multi"]:
                    etype, kind = self.trig["multi"][pair], "noun"
            if etype is None and lemma in self.trig["nouns"]:
                etype, kind = self.trig["nouns"][lemma], "noun"
        if etype is None:
            return None
        if any(ch.dep_ == "neg" for ch in tok.children) or any(ch.dep_ == "neg" for ch in tok.head.children if tok.dep_ in ("dobj", "xcomp")):
            return None
        if has_product and etype in self.trig["type_with_product"]:
            etype = self.trig["type_with_product"][etype]
        return etype, kind

    def event_record(self, c: int, tok: Token, sent: Span, etype: str, kind: str, dates) -> EventRec | None:
        offset = self.chunks[c][0]
        roles: dict[str, list[Token]] = {"actor": [], "target": [], "partner": [], "object": [], "source": [], "location": []}
        self.collect_roles(tok, kind, etype, roles)
        passive = any(ch.dep_ in ("nsubjpass", "auxpass") for ch in tok.children)
        if not roles["actor"] and not passive:  # "he was attacked": no actor, not the clause's subject
            self.climb_for_actor(tok, kind, roles)
        if not roles["location"]:
            for t in roles["target"] + roles["partner"]:
                for ch in t.children:
                    if ch.dep_ == "prep" and ch.lower_ in self.trig["location_preps"]:
                        roles["location"].extend(x for x in ch.children if x.dep_ == "pobj" and x.ent_type_ in PLACE_LABELS)
        args: list[ArgRec] = []
        seen = set()

        def add(role: str, name: str, label: str) -> None:
            if (role, fold(name)) not in seen:
                seen.add((role, fold(name)))
                args.append(ArgRec(role, name, label))

        unresolved_counterpart = False
        symmetric = etype in self.trig["symmetric"]
        # targets first, so "he shot Barnes" does not resolve "he" to Barnes
        for role in ("actor", "partner", "target", "source") if symmetric else ("target", "partner", "source", "actor"):
            exclude = frozenset(fold(a.name) for a in args) if role == "actor" and not symmetric else frozenset()
            for t in roles[role]:
                for t2 in [t, *t.conjuncts]:
                    rs = self.refs(c, t2, exclude=exclude)
                    if not rs and self.lemma(t2) == "counterpart":
                        unresolved_counterpart = True
                    for name, label in rs:
                        if label not in ACTOR_LABELS:
                            continue
                        country = self.lex.country_of(name, label)
                        if label == "NORP" and not country:
                            continue
                        name, label = (country, "GPE") if country else (name, label)
                        r = role
                        if symmetric and role in ("partner", "target"):
                            r = "actor"
                        elif role == "partner":
                            r = "target"
                        add(r, name, label)
        if unresolved_counterpart:
            cp = self.counterpart_of({a.name for a in args if a.role == "actor"})
            if cp:
                add("actor" if etype in self.trig["symmetric"] else "target", cp, "PERSON")
        actors = {fold(a.name) for a in args if a.role == "actor"}
        if not symmetric:
            actors -= {fold(a.name) for a in args if a.role != "actor"}
            args = [a for a in args if a.role != "actor" or fold(a.name) in actors]
        if not actors or len(actors) < self.trig["min_actors"].get(etype, 1):
            return None
        for t in roles["object"]:
            found = self.refs(c, t, allow_pronoun=False)
            for name, label in sorted(found, key=lambda r: r[1] != "PRODUCT")[:1]:
                if label != "NORP":
                    add("object", name, label)
        if etype == "TRADE" and not any(a.role == "object" for a in args):
            for e in sent.ents:
                if e.label_ == "PRODUCT":
                    j = self.mention_of(c, e[0])
                    if j is not None:
                        add("object", self.mentions[j].canon, "PRODUCT")
                        break
        location = None
        for t in roles["location"]:
            rs = self.refs(c, t, allow_pronoun=False)
            if rs:
                location = rs[0][0]
                add("location", rs[0][0], rs[0][1])
                break
        a, b = offset + sent.start_char, offset + sent.end_char
        da, db = self.date_scope(tok, kind, a, b, offset)
        d = nearest_date(dates, da, db, offset + tok.idx)
        n_roles = sum(1 for x in args if x.role in ("actor", "target"))
        conf = self.trig["weight"][kind] + 0.1 * min(2, n_roles) + (0.05 if d else 0) + (0.05 if location else 0)
        return EventRec(etype, tok.text, sent.text, a, b, d.value if d else None, location, args, round(min(conf, 0.95), 3), self.context_date)

    @staticmethod
    def date_scope(tok: Token, kind: str, a: int, b: int, offset: int) -> tuple[int, int]:
        """Where a trigger's date may be read: the whole sentence for a verb or a noun that is a
        verb's argument ("made the comments on Saturday following his meeting"); only its own
        phrase for a noun nested under another noun ("in connection with Ankara's purchase"),
        which is background, not the sentence's news."""
        if kind != "noun":
            return a, b
        t = tok
        while t.dep_ == "conj" and t.head is not t:
            t = t.head
        h = t.head
        if h.pos_ == "ADP" and h.head is not h:
            h = h.head
        if h is t or h.pos_ in ("VERB", "AUX"):
            return a, b
        return offset + tok.left_edge.idx, offset + tok.right_edge.idx + len(tok.right_edge.text)

    def collect_roles(self, tok: Token, kind: str, etype: str, roles: dict) -> None:
        product = lambda t: t.ent_type_ == "PRODUCT" or any(ch.ent_type_ == "PRODUCT" for ch in t.children if ch.dep_ == "compound")
        for ch in tok.children:
            dep = ch.dep_
            if dep == "nsubj" and kind == "verb":
                roles["actor"].append(ch)
            elif dep == "nsubjpass":
                roles["target"].append(ch)
            elif dep == "agent":
                roles["actor"].extend(x for x in ch.children if x.dep_ == "pobj")
            elif dep == "dobj":
                (roles["object"] if product(ch) else roles["target"]).append(ch)
            elif kind == "noun" and dep == "poss":
                roles["actor"].append(ch)
            elif kind == "noun" and dep in ("compound", "amod", "nmod") and ch.i < tok.i and (ch.ent_type_ or ch.lower_ in self.lex.demonyms):
                # "US sanctions": the actor; "Idlib attack": the place
                place = ch.ent_type_ in PLACE_LABELS and etype in self.trig["modifier_is_place"]
                roles["location" if place else "actor"].append(ch)
            elif dep == "prep":
                self.prep_role(ch, kind, etype, roles, product)
            elif dep in ("acl", "relcl") and ch.pos_ == "VERB" and kind == "noun":
                for g in ch.children:  # "sanctions imposed by the US on Ankara"
                    if g.dep_ == "agent":
                        roles["actor"].extend(x for x in g.children if x.dep_ == "pobj")
                    elif g.dep_ == "prep":
                        self.prep_role(g, "verb", etype, roles, product)

    def prep_role(self, prep: Token, kind: str, etype: str, roles: dict, product) -> None:
        p = prep.lower_
        for pobj in prep.children:
            if pobj.dep_ not in ("pobj", "pcomp"):
                continue
            if self.lemma(pobj) in ("sideline", "sidelines", "margin", "margins"):
                for of in pobj.children:
                    roles["location"].extend(x for x in of.children if x.dep_ == "pobj")
                continue
            is_place = pobj.ent_type_ in PLACE_LABELS or (pobj.ent_type_ == "ORG" and PLACE_WORDS.search(pobj.text))
            if p == "by":
                roles["actor"].append(pobj)
            elif p in self.trig["partner_preps"]:
                roles["partner"].append(pobj)
            elif p in self.trig["location_preps"] and is_place:
                roles["location"].append(pobj)
            elif p in self.trig["source_preps"].get(etype, []):
                roles["source"].append(pobj)
            elif p == "of" and kind == "noun":
                (roles["object"] if product(pobj) else roles["target"] if etype != "TRADE" else roles["object"]).append(pobj)
            elif p in ("for", "over") and product(pobj):
                roles["object"].append(pobj)
            elif p in self.trig["target_preps"] and not (p in self.trig["location_preps"] and is_place):
                roles["target"].append(pobj)

    def climb_for_actor(self, tok: Token, kind: str, roles: dict) -> None:
        """An actor from the governing clause: "X, after meeting Y", "X held talks with Y",
        "X visited Moscow for talks", "X, who met Y"."""
        h = tok
        if kind == "noun":
            if tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.pos_ == "VERB":
                h = tok.head
                if tok.dep_ == "dobj" and self.lemma(h) not in self.lex.light_verbs:
                    return
            elif tok.dep_ == "pobj" and tok.head.lower_ in ("for", "after", "following", "during", "at") and tok.head.head.pos_ == "VERB":
                h = tok.head.head
            elif tok.dep_ == "conj" and tok.head.pos_ == "NOUN":
                return
            else:
                return
            for ch in h.children:
                if ch.dep_ == "prep" and ch.lower_ in self.trig["target_preps"]:
                    roles["target"].extend(x for x in ch.children if x.dep_ == "pobj")
                elif ch.dep_ == "prep" and ch.lower_ in self.trig["partner_preps"]:
                    roles["partner"].extend(x for x in ch.children if x.dep_ == "pobj")
                elif ch.dep_ == "prep" and ch.lower_ in self.trig["location_preps"] and not roles["location"]:
                    roles["location"].extend(x for x in ch.children if x.dep_ == "pobj" and x.ent_type_ in PLACE_LABELS)
        for _ in range(4):
            subj = [t for t in h.children if t.dep_ in ("nsubj", "agent")]
            if subj:
                t = subj[0]
                if t.dep_ == "agent":
                    roles["actor"].extend(x for x in t.children if x.dep_ == "pobj")
                elif t.tag_ in ("WP", "WDT") and h.dep_ == "relcl":
                    roles["actor"].append(h.head)
                else:
                    roles["actor"].append(t)
                return
            if h.dep_ in ("xcomp", "advcl", "conj", "pcomp", "relcl", "acl") and h.head is not h:
                if h.dep_ == "relcl":
                    roles["actor"].append(h.head)
                    return
                h = h.head
                if h.dep_ == "prep" or h.pos_ == "ADP":
                    h = h.head
            else:
                return

    # -- all ----------------------------------------------------------------------------
    def run(self) -> ParsedDoc:
        self.collect_mentions()
        quotes = self.extract_quotes()
        events = self.extract_events()
        n_words = sum(1 for _, d in self.chunks for t in d if not t.is_space and not t.is_punct)
        return ParsedDoc(self.item["doc_id"], self.published_at, self.item.get("site"), self.mentions, quotes, events, n_words)


def resolve_processes(n_process: int, n_items: int, min_docs_per_process: int) -> int:
    """How many processes a batch is worth: `n_process` (0 or -1: one per CPU core), but never
    so many that a process gets fewer than `min_docs_per_process` documents (a worker costs a
    model load, about a second)."""
    import os

    wanted = (os.cpu_count() or 1) if n_process <= 0 else n_process
    return max(1, min(wanted, n_items // max(1, min_docs_per_process)))


_POOLS: dict[int, object] = {}
SHARDS_PER_PROCESS = 4


def worker_pool(processes: int):
    """A pool of spawned workers, kept between batches of a run so each worker loads the model
    once (not once per batch); `shutdown_workers()` ends them. Workers are spawned, not forked:
    the caller may be a Prefect flow with threads running."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = _POOLS.get(processes)
    if pool is None:
        pool = _POOLS[processes] = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
    return pool


def shutdown_workers() -> None:
    """End the worker processes (a run calls this when it is done)."""
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


def parse_in_processes(items: list[dict], config: NlpConfig, processes: int) -> list[ParsedDoc]:
    """Parse shards of `items` in `processes` worker processes; results in input order."""
    from dataclasses import replace

    single = replace(config, n_process=1)
    # several shards per worker, handed out as workers free up, so no core idles at the end of
    # a batch waiting for the slowest shard
    n_shards = min(len(items), processes * SHARDS_PER_PROCESS)
    shards = [items[i::n_shards] for i in range(n_shards)]
    results = list(worker_pool(processes).map(parse_batch, shards, [single] * n_shards))
    out: list[ParsedDoc | None] = [None] * len(items)
    for i, parsed in enumerate(results):
        out[i::n_shards] = parsed
    return out  # type: ignore[return-value]
