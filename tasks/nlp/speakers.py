"""The attribution paths of a quote's speaker over one document's parse (`SpeakerFinder`).

`QuoteAttributor` (quotes.py) asks `find(s, e, last)` for each quote; the paths are tried in
order: transcript tag, cue verbs (governing the quote, beside it, in the sentence before),
"according to", a name after a dash, continuation of the last quote, the clause before a colon,
the clause a partial quote sits in, the sentence before a quote-only paragraph. Each returns a
`Found` whose `path` ("cue:name", "cue:pronoun_agree", ...) keys the confidence table.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tasks.nlp.coref import References
    from tasks.nlp.document import ParsedText
    from tasks.nlp.entities import Lexicon
    from tasks.nlp.quotes import QuoteRec

_TRANSCRIPT_TAG = re.compile(r"^\s*([A-Z][A-Za-z.'’\-]+(?: [A-Z][A-Za-z.'’\-]+){0,3}):\s")


@dataclass
class Found:
    """A speaker candidate: the entity, and the path that found it."""

    name: str
    label: str
    cue: str
    path: str


def fold_name(name: str) -> str:
    return " ".join(name.lower().split())


def e_of(s: int, spans: list[tuple[int, int]]) -> int:
    """End of the quote span starting at `s`."""
    return next((qe for qs, qe in spans if qs == s), s)


class SpeakerFinder:
    """The attribution paths over one document's parse."""

    SPEAKER_LABELS = ("PERSON", "ORG")

    def __init__(self, doc: "ParsedText", refs: "References", lexicon: "Lexicon"):
        self.doc = doc
        self.refs = refs
        self.lex = lexicon

    # -- locating ---------------------------------------------------------------------------------
    def locate(self, s: int, e: int) -> tuple[int, "Span"] | None:
        """(chunk, tokens) of the quote at [s, e)."""
        c = self.doc.chunk_at(s)  # (spaCy rebuilds `Doc.text` per access: not per chunk per quote)
        if c is None:
            return None
        offset, chunk = self.doc.chunks[c]
        span = chunk.char_span(s - offset, min(e, self.doc.chunk_ends[c]) - offset, alignment_mode="expand")
        return (c, span) if span is not None and len(span) else None

    def work_of_art(self, s: int, e: int) -> bool:
        got = self.locate(s, e)
        if got is None:
            return False
        return any(t.ent_type_ == "WORK_OF_ART" for t in got[1])

    def outside(self, c: int, t: "Token") -> bool:
        return not self.doc.in_quote(self.doc.offset(c) + t.idx)

    def is_cue(self, t: "Token") -> bool:
        return t.pos_ in ("VERB", "AUX") and self.doc.lemma(t) in self.lex.cue_verbs

    # -- the paths --------------------------------------------------------------------------------
    def find(self, s: int, e: int, last: "QuoteRec | None") -> Found | None:
        got = self.locate(s, e)
        if got is None:
            return None
        c, span = got
        tag = _TRANSCRIPT_TAG.match(self.doc.text[s:e])
        if tag:
            found = self.transcript(tag.group(1))
            if found:
                return found
        for verb, path in self.cue_verbs(c, span, s, e):
            found = self.subject_of(c, verb, path)
            if found:
                return found
        found = self.according_to(c, span, s, e) or self.dash_after(e)
        if found:
            return found
        found = self.continued(s, last)
        if found:
            return found
        found = self.colon_before(c, span, s)
        if found:
            return found
        found = self.embedded(c, span, s, e)
        if found:
            return found
        return self.sentence_before(c, span, s)

    def cue_verbs(self, c: int, span: "Span", s: int, e: int) -> list[tuple["Token", str]]:
        """Cue verbs for the quote: the one governing it (or hanging from it: "give up,” X said"),
        then the others in its sentences and the sentence right after, nearest first."""
        doc, text = self.doc, self.doc.text
        offset, chunk = doc.chunks[c]
        out: list[tuple[Token, str]] = []
        inside = range(span.start, span.end)
        for t in span:
            if t.head.i not in inside and self.outside(c, t.head):
                g = t.head  # where the quote hangs from: walk up to a cue verb
                for _ in range(4):
                    if self.is_cue(g):
                        out.append((g, "cue"))
                        break
                    if g.head.i == g.i or not self.outside(c, g.head):
                        break
                    g = g.head
            for ch in t.children:
                if ch.i not in inside and ch.dep_ in ("parataxis", "ccomp", "conj") and self.is_cue(ch) and self.outside(c, ch):
                    out.append((ch, "cue"))
        sents = [sent for sent in doc.sentences(c) if offset + sent.start_char < e + 3 and offset + sent.end_char > s - 1]
        if sents and sents[-1].end < len(chunk) and offset + sents[-1].end_char <= e + 3 and "\n" not in text[e:e + 3]:
            sents.append(chunk[sents[-1].end].sent)  # "...,” X said.
        near = []
        for sent in sents:
            for t in sent:
                p = offset + t.idx
                if not self.is_cue(t) or not self.outside(c, t) or "\n" in text[min(p, s):max(p, e)]:
                    continue
                near.append((s - p if p < s else p - e, t))
        out += [(t, "cue") for _, t in sorted(near, key=lambda x: x[0])]
        # the sentence right before, ending where the quote opens ('"...," X said. "..."')
        first = sents[0] if sents else span[0].sent
        if first.start > 0:
            prev = chunk[first.start - 1].sent
            gap = text[offset + prev.end_char:s]
            if len(gap.strip(" “\"")) == 0 and "\n" not in gap:
                cues = [t for t in prev if self.is_cue(t) and self.outside(c, t)]
                out += [(t, "cue_before") for t in sorted(cues, key=lambda t: -t.i)]
        seen, uniq = set(), []
        for t, path in out:
            p = offset + t.idx
            a, b = (p, s) if p < s else (e, p)
            if t.i in seen or "\n" in text[a:b] or self.quote_between(a, b):
                continue  # a cue in another paragraph, or nearer another quote, is not this one's
            seen.add(t.i)
            uniq.append((t, path))
        return uniq

    def cue_subject(self, c: int, span: "Span", s: int, e: int) -> "Token | None":
        """The subject of the quote's nearest speech verb (as `subject_of` walks to it), if any."""
        for verb, _ in self.cue_verbs(c, span, s, e):
            h = verb
            for _ in range(4):
                subj = [t for t in h.children if t.dep_ in ("nsubj", "nsubjpass") and self.outside(c, t)]
                if subj:
                    return subj[0]
                if h.dep_ == "relcl":
                    return h.head
                if h.dep_ not in ("xcomp", "advcl", "conj", "ccomp") or h.head is h:
                    break
                h = h.head
        return None

    def quote_between(self, a: int, b: int) -> bool:
        return any(a <= qs and qe <= b for qs, qe in self.doc.quote_spans)

    def resolve(self, c: int, tok: "Token", path: str, cue: str) -> Found | None:
        """The speaker a subject token names, with the path qualified by the kind of subject."""
        if tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl":
            tok = tok.head.head
        if tok.lower_ in ("he", "she"):
            return self.pronoun_speaker(c, tok, path, cue)
        refs = self.refs.refs(c, tok)
        for name, label in refs:
            if label in self.SPEAKER_LABELS or (label == "GPE" and self.lex.country_of(name, label) is None and self.is_country(name)):
                kind = "pronoun" if tok.lower_ in ("he", "she", "him", "her") else "name" if self.refs.mentions.mention_of(c, tok) is not None or any(
                    self.refs.mentions.mention_of(c, ch) is not None for ch in tok.children if ch.dep_ == "appos") else "description"
                return Found(name, label, cue, f"{path}:{kind}")
        return None

    def pronoun_speaker(self, c: int, tok: "Token", path: str, cue: str) -> Found | None:
        """ "he said": the last earlier speaker of that sex (subject of a quote cue, named), and
        the most salient person (`References.person_antecedents`); the path says whether they
        agree, so the two are calibrated apart."""
        ranked = self.refs.person_antecedents(c, tok)
        want = "F" if tok.lower_ == "she" else "M"
        pos = self.doc.offset(c) + tok.idx
        last = None
        for idx in reversed(self.named_speakers()):
            m = self.refs.mentions[idx]
            if m.end <= pos and self.refs.sex(idx) in (want, None):
                last = idx
                break
        top = ranked[0][1] if ranked else None
        if top is None and last is None:
            return None
        if top is not None and (last is None or fold_name(self.refs.mentions[top].canon) == fold_name(self.refs.mentions[last].canon)):
            margin = ranked[0][0] - (ranked[1][0] if len(ranked) > 1 else -3.0)
            strength = ("agree" if last is not None else "strong") if margin >= 1.0 and self.refs.sex(top) else "weak"
            return Found(self.refs.mentions[top].canon, "PERSON", cue, f"{path}:pronoun_{strength}")
        if top is None:
            return Found(self.refs.mentions[last].canon, "PERSON", cue, f"{path}:pronoun_speaker")
        return Found(self.refs.mentions[top].canon, "PERSON", cue, f"{path}:pronoun_disagree")

    def named_speakers(self) -> list[int]:
        """Mention indexes of named persons that are the subject of a quote cue, in text order."""
        if not hasattr(self, "_speakers"):
            out = []
            for c, (offset, chunk) in enumerate(self.doc.chunks):
                for t in chunk:
                    if t.dep_ in ("nsubj",) and self.is_cue(t.head) and self.outside(c, t):
                        idx = self.refs.mentions.mention_of(c, t)
                        if idx is not None and (self.refs.mentions[idx].canon_label or self.refs.mentions[idx].label) == "PERSON":
                            out.append(idx)
            self._speakers = sorted(set(out), key=lambda i: self.refs.mentions[i].start)
        return self._speakers

    @staticmethod
    def is_country(name: str) -> bool:
        from tasks.nlp.countries import countries

        return countries().code(name) is not None

    def subject_of(self, c: int, verb: "Token", path: str) -> Found | None:
        """The speaker of a cue verb: its subject, through "who", participles and clause chains;
        the subject of a passive "X is quoted as saying"."""
        h = verb
        for _ in range(4):
            subj = [t for t in h.children if t.dep_ == "nsubj" and self.outside(c, t)]
            passive = [t for t in h.children if t.dep_ == "nsubjpass" and self.outside(c, t)]
            if passive and self.doc.lemma(h) in ("quote", "cite"):
                return self.resolve(c, passive[0], path, verb.text)
            if passive or any(t.dep_ == "auxpass" for t in h.children):
                return None  # "Turkey was warned": the subject is not the speaker
            if subj:
                return self.resolve(c, subj[0], path, verb.text)
            if h.dep_ == "relcl":
                return self.resolve(c, h.head, path, verb.text)
            if h.dep_ in ("xcomp", "advcl", "conj", "ccomp") and h.head is not h:
                h = h.head
            else:
                break
        return None

    def according_to(self, c: int, span: "Span", s: int, e: int) -> Found | None:
        offset, chunk = self.doc.chunks[c]
        sents = {span[0].sent.start: span[0].sent, span[-1].sent.start: span[-1].sent}
        for sent in sents.values():
            for t in sent:
                if t.lower_ == "according" and self.outside(c, t):
                    for to in t.children:
                        for pobj in to.children:
                            found = self.resolve(c, pobj, "according", "according to")
                            if found:
                                return found
        return None

    def dash_after(self, e: int) -> Found | None:
        """ "“...” ― Jacklyn Ashley": a name after a dash that follows the quote."""
        m = re.match(r"[”\"]?\s*[―—–-]{1,2}\s*", self.doc.text[e:e + 6])
        if not m:
            return None
        at = e + m.end()
        i = bisect.bisect_left(self.refs.mentions.starts, at)
        if i < len(self.refs.mentions) and self.refs.mentions[i].start == at:
            mention = self.refs.mentions[i]
            label = mention.canon_label or mention.label
            if label in self.SPEAKER_LABELS:
                return Found(mention.canon, label, "―", "dash")
        return None

    def transcript(self, tag: str) -> Found | None:
        """ "PENCE: ..." -> the person of that name in the document."""
        key = tag.split()[-1].lower().strip(".")
        for i, m in enumerate(self.refs.mentions.mentions):
            label = m.canon_label or m.label
            if label == "PERSON" and key in m.canon.lower().split():
                return Found(m.canon, label, tag, "transcript")
        return None

    def continued(self, s: int, last: "QuoteRec | None") -> Found | None:
        """The previous quote's speaker, when this quote follows it in its paragraph with no
        other name between, or opens the next paragraph after a quote left open (the convention
        for a quote running over paragraphs) or after a paragraph that ended with a quote."""
        found = getattr(last, "_found", None)
        if found is None:
            return None
        text = self.doc.text
        between = text[last.end:s]
        kind = found.path.rsplit(":", 1)[-1]
        if "\n" not in between:
            if len(between) < 400 and not self.names_between(last.end, s, found.name):
                return Found(found.name, found.label, "continued", "continued:paragraph:" + kind)
            return None
        para_start = text.rfind("\n", 0, s) + 1
        if text[para_start:s].strip(" “\""):
            return None  # the quote does not open its paragraph
        if between.strip(" \n”\"“'’"):
            # the last quote's paragraph went on after it: this paragraph, a quote alone
            # right after it, may still be the same speaker's
            para_end = text.find("\n", s)
            alone = text[e_of(s, self.doc.quote_spans):para_end if para_end >= 0 else len(text)].strip(" ”\"'’.")
            prev_start = text.rfind("\n", 0, para_start - 1) + 1
            if between.count("\n") == 1 and not alone and last.start >= prev_start:
                return Found(found.name, found.label, "continued", "continued:after_paragraph:" + kind)
            return None
        if between.lstrip(" ").startswith("\n"):
            return Found(found.name, found.label, "continued", "continued:open:" + kind)  # left open
        return Found(found.name, found.label, "continued", "continued:next_paragraph:" + kind)

    def names_between(self, a: int, b: int, speaker: str) -> bool:
        """Whether a person or organisation other than `speaker` is the subject of a clause
        between a and b (someone else speaks or acts there; "told the AP" does not count)."""
        i = bisect.bisect_left(self.refs.mentions.starts, a)
        while i < len(self.refs.mentions) and self.refs.mentions[i].start < b:
            m = self.refs.mentions[i]
            if (m.canon_label or m.label) in ("PERSON", "ORG") and not self.doc.in_quote(m.start) and m.canon != speaker:
                root = self.refs.mention_root(i)
                if root is None or root[1].dep_ in ("nsubj", "nsubjpass"):
                    return True
            i += 1
        return False

    def colon_before(self, c: int, span: "Span", s: int) -> Found | None:
        """ "X made his case: “...”" -> the subject of the clause before the colon."""
        text = self.doc.text
        para_start = text.rfind("\n", 0, s) + 1
        before = text[para_start:s].rstrip(" “\"")
        if not before.endswith(":"):
            return None
        chunk = self.doc.chunks[c][1]
        i = span.start - 1
        while i >= 0 and chunk[i].text in ("“", '"', " "):
            i -= 1
        if i < 0 or chunk[i].text != ":":
            return None
        # the clause before the colon: its verbs' subjects, nearest first
        j = i - 1
        while j >= 0 and not chunk[j].is_sent_start and "\n" not in chunk[j].text:
            j -= 1
        for t in reversed(chunk[max(j, 0):i]):
            if t.dep_ == "nsubj" and t.head.i < i and t.head.pos_ in ("VERB", "AUX") and self.outside(c, t):
                return self.resolve(c, t, "colon", ":")
        return None

    def embedded(self, c: int, span: "Span", s: int, e: int) -> Found | None:
        """A partial quote inside a sentence ("Moore thanked him for “...”"): the subject of the
        nearest verb above it."""
        text = self.doc.text
        para_start = text.rfind("\n", 0, s) + 1
        if not text[para_start:s].strip(" “\""):
            return None  # the quote opens its paragraph: not embedded
        h = span.root
        for _ in range(8):
            if h.head.i == h.i:
                break
            h = h.head
            if span.start <= h.i < span.end or not self.outside(c, h):
                continue
            if h.pos_ in ("VERB", "AUX"):
                for t in h.children:
                    if t.dep_ == "nsubj" and self.outside(c, t):
                        return self.resolve(c, t, "embedded", h.text)
                if any(t.dep_ in ("nsubjpass", "auxpass") for t in h.children):
                    return None
        return None

    def sentence_before(self, c: int, span: "Span", s: int) -> Found | None:
        """A paragraph that is only a quote, after a sentence about someone ("X spoke on
        Monday. “...”"): the subject of that sentence."""
        text = self.doc.text
        para_start = text.rfind("\n", 0, s) + 1
        if text[para_start:s].strip(" “\"") or span.start == 0:
            return None
        chunk = self.doc.chunks[c][1]
        prev = chunk[span.start - 1].sent
        if prev.start >= span.start:
            return None
        for t in prev.root.children:
            if t.dep_ == "nsubj" and self.outside(c, t):
                return self.resolve(c, t, "sentence_before", prev.root.text)
        return None
