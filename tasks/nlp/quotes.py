"""Direct quotations: where they are (`find_quote_spans`, pure text) and who said them
(`QuoteAttributor`, over the dependency parse and the document's references)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from tasks.nlp.coref import References
    from tasks.nlp.document import ParsedText
    from tasks.nlp.entities import Lexicon

SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")

# A quote must have at least this many words: shorter ones are scare quotes ("mistaken").
MIN_QUOTE_WORDS = 3
_CURLY = re.compile(r"“([^“”]+)”")
_OPEN_BEFORE = set("([{—–-:/")
_CLOSE_AFTER = set(".,;:!?)]}—–-/'’")


def straight_quote_spans(para: str) -> list[tuple[int, int]]:
    """Spans inside straight double quotes, telling opening from closing marks by the
    characters around them, so one unbalanced mark (a quote continuing from the previous
    paragraph) does not turn every later pair inside out."""
    out: list[tuple[int, int]] = []
    open_at = None
    for m in re.finditer('"', para):
        i = m.start()
        prev = para[i - 1] if i > 0 else " "
        nxt = para[i + 1] if i + 1 < len(para) else " "
        opening = prev.isspace() or prev in _OPEN_BEFORE
        closing = nxt.isspace() or nxt in _CLOSE_AFTER
        if open_at is None:
            if opening and not nxt.isspace():
                open_at = i + 1
        elif closing and not prev.isspace():
            out.append((open_at, i))
            open_at = None
        elif opening:
            open_at = i + 1  # the earlier mark was never closed
    if open_at is not None:
        out.append((open_at, len(para)))  # continues in the next paragraph
    return out


@dataclass
class QuoteRec:
    """One quotation; offsets cover the quoted words (marks excluded) in clean_text."""

    start: int
    end: int
    quote: str
    speaker: str | None = None  # canonical name of the speaker (within the document)
    speaker_label: str | None = None
    cue: str | None = None  # "said", "according to", "continued" (inherited speaker)


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of double-quoted passages (curly or straight), paragraph by paragraph.

    Straight quotes are paired in order within a paragraph; an unpaired opening quote at the
    end of a paragraph (a quote that continues in the next paragraph) runs to its end.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        found = [m.span(1) for m in _CURLY.finditer(para)] + straight_quote_spans(para)
        for s, e in found:
            if any(s < pe - pos and ps - pos < e for ps, pe in spans if ps >= pos):
                continue
            spans.append((pos + s, pos + e))
        # a paragraph opening a quote it does not close: “... (continues next paragraph)
        opened = para.count("“") - para.count("”")
        if opened > 0:
            s = para.rfind("“") + 1
            if not any(ps <= pos + s < pe for ps, pe in spans):
                spans.append((pos + s, pos + len(para)))
        pos += len(para) + 1
    spans.sort()
    return [(s, e) for s, e in spans if len(text[s:e].split()) >= MIN_QUOTE_WORDS]


class QuoteAttributor:
    """The quotes of one document, each with its speaker where a cue names one."""

    def __init__(self, doc: "ParsedText", refs: "References", lexicon: "Lexicon"):
        self.doc = doc
        self.refs = refs
        self.lex = lexicon

    def extract(self) -> list[QuoteRec]:
        out: list[QuoteRec] = []
        text = self.doc.text
        for s, e in self.doc.quote_spans:
            q = QuoteRec(s, e, text[s:e])
            found = self.speaker(s, e)
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
        text = self.doc.text
        between = text[prev.end:start]
        if "\n" not in between:
            return True  # same paragraph: “A,” X said. “B.”
        para_start = text.rfind("\n", 0, start) + 1
        return between.count("\n") == 1 and len(text[para_start:start].strip(" \"“'")) == 0

    def speaker(self, s: int, e: int) -> tuple[str, str, str] | None:
        """(speaker, label, cue) of the quote at [s, e): the subject of the nearest speech verb
        in its sentences (or the one right after it), else an "according to" source."""
        doc, text = self.doc, self.doc.text
        for c, (offset, chunk) in enumerate(doc.chunks):
            if not offset <= s < offset + len(chunk.text):
                continue
            sents = [sent for sent in doc.sentences(c)
                     if offset + sent.start_char < e + 3 and offset + sent.end_char > s - 1]
            # the sentence right after a quote that closes its own sentence ("...,” X said.)
            after = text[e:e + 3]
            if sents and sents[-1].end < len(chunk) and offset + sents[-1].end_char <= e + 3 and "\n" not in after:
                sents.append(chunk[sents[-1].end].sent)
            cues = []
            for sent in sents:
                for t in sent:
                    p = offset + t.idx
                    if doc.in_quote(p) or doc.lemma(t) not in self.lex.speech_verbs or t.pos_ not in ("VERB", "AUX"):
                        continue
                    if "\n" in text[min(p, s):max(p, e)]:
                        continue
                    cues.append((s - p if p < s else p - e, t))
            for _, verb in sorted(cues, key=lambda x: x[0]):
                found = self.subject_of(c, verb)
                if found:
                    return found[0], found[1], verb.text
            for sent in sents:  # "according to Reuters"
                for t in sent:
                    if t.lower_ == "according" and not doc.in_quote(offset + t.idx):
                        for to in t.children:
                            for pobj in to.children:
                                r = self.refs.refs(c, pobj)
                                if r:
                                    return r[0][0], r[0][1], "according to"
        return None

    def subject_of(self, c: int, verb: "Token") -> tuple[str, str] | None:
        """The speaker of a cue verb: its subject, through "who" and clause chains."""
        h = verb
        for _ in range(4):
            if any(t.dep_ in ("nsubjpass", "auxpass") for t in h.children):
                return None  # "Turkey was warned": the subject is not the speaker
            subj = [t for t in h.children if t.dep_ == "nsubj" and not self.doc.in_quote(self.doc.offset(c) + t.idx)]
            if subj:
                t = subj[0]
                if t.tag_ in ("WP", "WDT") and h.dep_ == "relcl":
                    t = h.head
                r = [x for x in self.refs.refs(c, t) if x[1] in SPEAKER_LABELS]
                return r[0] if r else None
            if h.dep_ in ("xcomp", "advcl", "conj", "ccomp", "relcl") and h.head is not h:
                if h.dep_ == "relcl":
                    r = self.refs.refs(c, h.head)
                    return r[0] if r else None
                h = h.head
            else:
                break
        return None
