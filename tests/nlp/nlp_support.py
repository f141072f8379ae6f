"""Hand-annotated spaCy docs for rule tests: no trained model needed.

`annotated(text, parse)` tokenises `text` with `spacy.blank("en")` and sets, per token, the
POS, dependency, head and lemma given in `parse` (one "pos dep head lemma" entry per token,
head as a token index) plus entity spans, so a rule is tested on exactly the parse it expects.
"""
from __future__ import annotations

import spacy
from spacy.tokens import Doc

from tasks.nlp.config import NlpConfig
from tasks.nlp.entities import Lexicon
from tasks.events import load_triggers
from tasks.nlp.parse import ParsedDoc, extract_document

BLANK = spacy.blank("en")
CONFIG = NlpConfig()


def annotated(text: str, parse: list[str], ents: list[tuple[int, int, str]] = (), sent_starts: list[int] = (0,)) -> Doc:
    tokens = BLANK.tokenizer(text)
    words = [t.text for t in tokens]
    spaces = [bool(t.whitespace_) for t in tokens]
    assert len(parse) == len(words), list(zip(words, parse))
    pos, deps, heads, lemmas = [], [], [], []
    for entry in parse:
        p, d, h, lem = entry.split()
        pos.append(p)
        deps.append(d)
        heads.append(int(h))
        lemmas.append(lem)
    iob = ["O"] * len(words)
    for s, e, label in ents:
        iob[s] = f"B-{label}"
        for i in range(s + 1, e):
            iob[i] = f"I-{label}"
    starts = [i in sent_starts for i in range(len(words))]
    tags = ["NN" if p == "NOUN" else "NNP" if p == "PROPN" else "PRP" if p == "PRON" else "XX" for p in pos]
    return Doc(BLANK.vocab, words=words, spaces=spaces, pos=pos, tags=tags, deps=deps, heads=heads, lemmas=lemmas, ents=iob, sent_starts=starts)


def extract(doc: Doc, published_at=None, doc_id: str = "d1") -> ParsedDoc:
    item = {"doc_id": doc_id, "clean_text": doc.text, "published_at": published_at, "site": None, "title": None}
    return extract_document(item, [(0, doc)], CONFIG, Lexicon.from_config(CONFIG), load_triggers(CONFIG.trigger_file))
