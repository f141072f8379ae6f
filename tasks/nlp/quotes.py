"""Direct quotations: where they are (`find_quote_spans`, pure text) and who said them
(`QuoteAttributor`, over the dependency parse and the document's references).

A speaker is found along one of a few paths (`speakers.SpeakerFinder`): the cue verb that governs
the quote or stands beside it in its sentence ("...," X said / X said: "..." / "...", said X),
"according to X", a transcript tag ("PENCE: ..."), the previous quote's speaker when the quote
goes on ("...," X said. "..." / a quote running over paragraphs), a sentence ending in a colon
before it, the subject of the clause a partial quote sits in (X called it "..."), or the subject
of the sentence before a paragraph that is only a quote. The path's answer is one candidate
among others for the learned ranker (`speaker_ranker.SpeakerRanker`, weights fitted on PolNeAR
train by scripts/fit_speaker_ranker.py): the best-scored candidate is the speaker and the
probability that it is right is the quote's confidence; a speaker below `min_confidence` is left
empty, because a wrong speaker is worse than a missing one. Without the ranker's weights, each
path (and kind of subject: name, pronoun, description) has a confidence measured on PolNeAR train
(`quote_confidence.json`, by scripts/fit_quote_confidence.py).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.nlp.speaker_ranker import SpeakerRanker, choose, load_weights
from tasks.nlp.speakers import SpeakerFinder

if TYPE_CHECKING:
    from tasks.nlp.coref import References
    from tasks.nlp.document import ParsedText
    from tasks.nlp.entities import Lexicon
    from tasks.nlp.speaker_ranker import Candidate

CONFIDENCE_FILE = Path(__file__).with_name("quote_confidence.json")
# A quote must have at least this many words: shorter ones are scare quotes ("mistaken").
MIN_QUOTE_WORDS = 3
MIN_SPEAKER_CONFIDENCE = 0.7
_CURLY = re.compile(r"“([^“”]+)”")
_OPEN_BEFORE = set("([{—–-:/")
_CLOSE_AFTER = set(".,;:!?)]}—–-/'’")
# Title-case words that may stay lower case in a title ("Meet the Press", "War on Drugs").
_TITLE_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "from", "by", "vs", "vs."}
# Words before a quoted title-case phrase that introduce a title, not a quotation.
_TITLE_CUES = {"on", "show", "program", "programme", "book", "film", "movie", "song", "album", "titled", "entitled",
               "called", "dubbed", "named", "series", "column", "magazine", "newspaper", "hashtag", "slogan", "sign",
               "signs", "shirts", "t-shirts", "episode", "documentary", "play", "novel", "memoir", "report", "initiative",
               "campaign", "act", "bill", "operation", "program's", "network's"}


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
    cue: str | None = None  # the cue word ("said", "according to") or how the speaker was found
    confidence: float | None = None  # that the speaker is right (None: no speaker)
    path: str | None = None  # the attribution path (see PATHS), also when the speaker was dropped


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


def is_title(text: str, s: int, e: int, work_of_art: bool = False) -> bool:
    """A quoted title of a show, book or slogan, not a quotation: a short phrase in title case
    (every word capitalised but small ones like "the", "on") with no sentence in it, that a
    WORK_OF_ART entity covers or a word like "on", "show", "book", "titled" introduces."""
    words = re.findall(r"[\w'’.-]+", text[s:e])
    if not words or len(words) > 8 or re.search(r"[.!?;]\s+\S", text[s:e].strip()):
        return False
    caps = [w for w in words if w.lower() not in _TITLE_SMALL]
    if not caps or not all(w[0].isupper() or w[0].isdigit() for w in caps) or not words[0][0].isupper():
        return False
    if work_of_art:
        return True
    before = re.findall(r"[\w'’-]+", text[max(0, s - 40):s].lower())
    return bool(before) and (before[-1] in _TITLE_CUES or (len(before) > 1 and before[-2] in _TITLE_CUES and before[-1] in ("the", "a", "his", "her", "their")))


def load_confidence(path: Path = CONFIDENCE_FILE) -> dict[str, float]:
    """Confidence per attribution path and subject kind ("cue:name" -> 0.97), fitted on train."""
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["confidence"]


class QuoteAttributor:
    """The quotes of one document, each with its speaker where the ranker is confident enough.

    With the ranker's weights (`speaker_ranker.json`) the speaker is the best-scored candidate
    and `confidence` its probability; without them, the path's choice and the per-path table
    (`quote_confidence.json`). `keep_candidates` keeps every candidate and its features on the
    quote (`QuoteRec.candidates`), for fitting the ranker."""

    def __init__(self, doc: "ParsedText", refs: "References", lexicon: "Lexicon",
                 min_confidence: float = MIN_SPEAKER_CONFIDENCE, confidence: dict[str, float] | None = None,
                 weights: dict | None | bool = True, keep_candidates: bool = False):
        self.doc = doc
        self.refs = refs
        self.lex = lexicon
        self.min_confidence = min_confidence
        self.confidence = load_confidence() if confidence is None else confidence
        self.speakers = SpeakerFinder(doc, refs, lexicon)
        self.weights = load_weights() if weights is True else (weights or None)
        self.keep_candidates = keep_candidates

    def extract(self) -> list[QuoteRec]:
        out: list[QuoteRec] = []
        text = self.doc.text
        last: QuoteRec | None = None  # the last quote with a speaker candidate
        prev: tuple[str, str, int] | None = None  # the last path choice: (name, label, end)
        ranker = SpeakerRanker(self.speakers) if self.weights is not None or self.keep_candidates else None
        for s, e in self.doc.quote_spans:
            if is_title(text, s, e, self.speakers.work_of_art(s, e)):
                continue
            q = QuoteRec(s, e, text[s:e])
            found = self.speakers.find(s, e, last)
            if found:
                q.path = found.path
                q._found = found  # type: ignore[attr-defined]  # the candidate, for continuation
                last = q
            best = None
            if ranker is not None:
                best = self.rank(q, ranker, found, prev)
            elif found:
                conf = self.confidence.get(found.path, 0.5)
                if conf >= self.min_confidence:
                    q.speaker, q.speaker_label, q.cue, q.confidence = found.name, found.label, found.cue, round(conf, 3)
            if best is not None:  # the ranker's choice, kept or not, is the next quote's previous speaker
                prev = (best.name, best.label, e)
            elif found:
                prev = (found.name, found.label, e)
            out.append(q)
        for q in out:
            q.__dict__.pop("_found", None)
        return out

    def rank(self, q: QuoteRec, ranker: SpeakerRanker, found, prev) -> "Candidate | None":
        """The ranker's best candidate (returned) as the speaker of `q`, if probable enough."""
        got = self.speakers.locate(q.start, q.end)
        if got is None:
            return None
        c, span = got
        verbs = self.speakers.cue_verbs(c, span, q.start, q.end)
        cue = verbs[0][0] if verbs else None
        subject = self.speakers.cue_subject(c, span, q.start, q.end)
        cands = ranker.candidates(c, span, q.start, q.end, found, prev, cue, subject)
        if self.keep_candidates:
            q.candidates = cands  # type: ignore[attr-defined]
        if self.weights is None or not cands:
            return None
        p, best = choose(cands, self.weights)
        if p >= self.min_confidence:
            same = found is not None and found.name == best.name
            q.speaker, q.speaker_label, q.confidence = best.name, best.label, round(p, 3)
            q.cue = found.cue if same else (subject.head.text if subject is not None else None)
        return best
