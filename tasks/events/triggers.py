"""Event triggers: which words start an event of which PLOVER type (data in `triggers.json`)."""
from __future__ import annotations

import functools
import json

from spacy.tokens import Token

from tasks.nlp.document import ParsedText


@functools.lru_cache(maxsize=4)
def load_triggers(path: str) -> dict:
    """The trigger table: verbs and nouns (lemma -> type), role prepositions, type rules."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    data["symmetric"] = set(data["symmetric"])
    data["multi"] = {k: v for k, v in data["nouns"].items() if " " in k}
    return data


class TriggerMatcher:
    """Finds the (event type, trigger kind) a token starts, if any."""

    def __init__(self, doc: ParsedText, triggers: dict):
        self.doc = doc
        self.trig = triggers

    def event_at(self, c: int, tok: Token, has_product: bool) -> tuple[str, str] | None:
        """(type, "verb" | "noun") for a trigger token outside quotes and not negated."""
        if self.doc.in_quote(self.doc.offset(c) + tok.idx):
            return None
        if tok.pos_ not in ("VERB", "NOUN", "PROPN"):
            return None
        lemma = self.doc.lemma(tok)
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
        if any(ch.dep_ == "neg" for ch in tok.children) or any(
                ch.dep_ == "neg" for ch in tok.head.children if tok.dep_ in ("dobj", "xcomp")):
            return None
        if has_product and etype in self.trig["type_with_product"]:
            etype = self.trig["type_with_product"][etype]
        return etype, kind
