"""A learned choice among a quote's speaker candidates (`SpeakerRanker`).

The attribution paths of `speakers.SpeakerFinder` propose one speaker per quote in a fixed order;
the ranker instead scores every candidate: the persons and organisations (a country only as a
government voice) named outside quotations in the quote's paragraph and the paragraph before,
the path's own choice, the previous quote's speaker and, for "he said", the persons the pronoun
may refer to. Each candidate gets features that carry over to unseen news: its dependency role
(subject of a speech verb, agent of a passive, object of "according to", any subject), where it
stands (same sentence, sentence before or after, paragraph before; characters away), its entity
type, how often the document names it, whether it spoke the previous quote or was the last
named subject of a speech verb, whether a pronoun or description subject agrees with it, and
the path's choice with its kind. A logistic model over these (weights in
`speaker_ranker.json`, fitted by scripts/fit_speaker_ranker.py on PolNeAR train with grouped
cross-validation by article) gives each candidate a probability; the best one is the speaker
when its probability reaches the threshold, and that probability is `quotes.confidence`.
Scoring is plain Python: scikit-learn is only needed to fit.
"""
from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.nlp.entities import fold

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tasks.nlp.speakers import Found, SpeakerFinder

WEIGHTS_FILE = Path(__file__).with_name("speaker_ranker.json")
PRONOUNS = {"he": "M", "him": "M", "she": "F", "her": "F"}
PLURAL_PRONOUNS = {"they", "we"}
# the path families of SpeakerFinder, one feature each when the candidate is the path's choice
PATH_FAMILIES = ("cue", "cue_before", "according", "dash", "transcript", "continued", "colon", "embedded", "sentence_before")
# features crossed with the kind of the cue verb's subject (none, name, pronoun, plural, description)
CROSSED = {"at", "cue", "according", "agent", "subject", "path", "prev", "recent", "far", "after", "near", "label", "kind"}
PATH_KINDS = ("name", "description", "pronoun_agree", "pronoun_strong", "pronoun_weak", "pronoun_speaker", "pronoun_disagree")


@dataclass
class Candidate:
    """A possible speaker of one quote and its features."""

    name: str
    label: str
    feats: dict[str, float] = field(default_factory=dict)

    def set_max(self, key: str, value: float = 1.0) -> None:
        if value > self.feats.get(key, 0.0):
            self.feats[key] = value


def load_weights(path: Path = WEIGHTS_FILE) -> dict | None:
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def probability(feats: dict[str, float], model: dict) -> float:
    """A logistic model's probability: {"intercept": b, "coef": {feature: w}}."""
    z = model.get("intercept", 0.0) + sum(model["coef"].get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def rank_score(feats: dict[str, float], model: dict) -> float:
    return sum(model["coef"].get(k, 0.0) * v for k, v in feats.items())


# features of a candidate that the confidence model reads besides the scores
CONFIDENCE_FEATS = ("path", "kind_name", "kind_description", "kind_pronoun_agree", "kind_pronoun_disagree", "kind_pronoun_weak",
                    "cue_subject_same", "cue_subject_before", "cue_subject_after", "according", "prev_speaker",
                    "pron_agree", "pron_rank1", "label_PERSON", "label_ORG", "at_prev_para", "at_same", "at_before",
                    "far", "cue_left", "cue_right", "cue_nearest", "recent_source_1", "unlinked_subject",
                    "none|path", "name|path", "pronoun|path", "plural|path", "description|path", "other|path",
                    "none|label_PERSON", "name|label_PERSON", "pronoun|label_PERSON", "plural|label_PERSON",
                    "description|label_PERSON", "other|label_PERSON")


def confidence_features(scores: list[float], best: Candidate) -> dict[str, float]:
    """What the confidence model reads of a quote: the best candidate's rank score, its margin
    over the second, how many candidates there are, and a few of the best one's features."""
    ranked = sorted(scores, reverse=True)
    out = {"score": ranked[0], "margin": min(ranked[0] - ranked[1], 6.0) if len(ranked) > 1 else 6.0,
           "n_candidates": math.log(len(ranked))}
    out.update({"best_" + k: best.feats[k] for k in CONFIDENCE_FEATS if k in best.feats})
    return out


def choose(cands: list[Candidate], weights: dict) -> tuple[float, Candidate] | None:
    """(probability that it is right, best candidate) by the ranker and the confidence model."""
    if not cands:
        return None
    scores = [rank_score(cd.feats, weights["rank"]) for cd in cands]
    k = max(range(len(cands)), key=scores.__getitem__)
    return probability(confidence_features(scores, cands[k]), weights["confidence"]), cands[k]


class SpeakerRanker:
    """Speaker candidates of the quotes of one document, with their features."""

    LABELS = ("PERSON", "ORG", "GPE")

    def __init__(self, finder: "SpeakerFinder"):
        self.f = finder
        self.doc = finder.doc
        self.refs = finder.refs
        self.mentions = finder.refs.mentions
        text = self.doc.text
        self.para_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.cue_subjects = self._cue_subjects()
        self.counts: dict[str, int] = {}
        for i, m in enumerate(self.mentions.mentions):
            if self._label(i) in self.LABELS:
                self.counts[fold(m.canon)] = self.counts.get(fold(m.canon), 0) + 1

    def _label(self, idx: int) -> str:
        m = self.mentions[idx]
        return m.canon_label or m.label

    def speaker_label(self, idx: int) -> bool:
        label = self._label(idx)
        if label == "GPE":
            return self.f.is_country(self.mentions[idx].canon)
        return label in ("PERSON", "ORG")

    # -- where things are ------------------------------------------------------------------------
    def paragraph(self, pos: int) -> int:
        """Index of the non-empty paragraph holding `pos` (empty lines do not count)."""
        return bisect.bisect_right(self.para_starts, pos) - 1

    def para_back(self, a: int, b: int) -> int:
        """How many non-empty paragraphs lie from position a back to position b (a >= b)."""
        pa, pb = self.paragraph(a), self.paragraph(b)
        text = self.doc.text
        return sum(1 for k in range(pb + 1, pa + 1)
                   if text[self.para_starts[k]:(self.para_starts[k + 1] if k + 1 < len(self.para_starts) else len(text))].strip())

    def window_start(self, s: int) -> int:
        """Start of the paragraph before the quote's (non-empty paragraphs)."""
        k = self.paragraph(s)
        seen = 0
        text = self.doc.text
        while k > 0:
            k -= 1
            end = self.para_starts[k + 1]
            if text[self.para_starts[k]:end].strip():
                seen += 1
                if seen == 1:
                    return self.para_starts[k]
        return 0

    def _cue_subjects(self) -> list[tuple[int, str, str, str]]:
        """(position, folded name, name, label) of every named person or organisation that is the
        subject of a speech verb (or the object of "according to") outside quotations, in text order."""
        out = []
        for idx, m in enumerate(self.mentions.mentions):
            if not self.speaker_label(idx) or self.doc.in_quote(m.start):
                continue
            root = self.refs.mention_root(idx)
            if root is not None and self.role(*root) in ("cue_subject", "agent", "according"):
                out.append((m.start, fold(m.canon), m.canon, self._label(idx)))
        return out

    def role(self, c: int, tok: "Token") -> str:
        """The dependency role of a mention's root with respect to speech: cue_subject (subject of
        a speech verb, also through an apposition or "who said"), agent (by X), according (to X),
        subject (of another verb), or other."""
        t = tok
        if t.dep_ == "appos" or (t.dep_ == "compound" and t.head.dep_ == "nsubj"):
            t = t.head
        if t.dep_ == "nsubj":
            h = t.head
            if self.f.is_cue(h):
                return "cue_subject"
            for ch in h.children:  # "X, who said"
                if ch.dep_ == "relcl" and self.f.is_cue(ch):
                    return "cue_subject"
            return "subject"
        if t.dep_ == "nsubjpass" and t.head.pos_ in ("VERB", "AUX") and self.doc.lemma(t.head) in ("quote", "cite"):
            return "cue_subject"
        if t.dep_ == "pobj" and t.head.dep_ == "agent" and self.f.is_cue(t.head.head):
            return "agent"
        if t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according":
            return "according"
        return "other"

    # -- the candidates --------------------------------------------------------------------------
    def candidates(self, c: int, span: "Span", s: int, e: int, found: "Found | None", prev: "tuple[str, str, int] | None",
                   cue: "Token | None", subject: "Token | None") -> list[Candidate]:
        """Candidates of the quote [s, e) (chunk c, tokens `span`): `found` is the path's choice,
        `prev` (name, label, end) the previous quote's path choice, `cue` the quote's nearest
        speech verb and `subject` its subject (for pronoun and description agreement)."""
        doc, text = self.doc, self.doc.text
        offset = doc.offset(c)
        by_name: dict[str, Candidate] = {}

        def cand(name: str, label: str) -> Candidate:
            key = fold(name)
            if key not in by_name:
                by_name[key] = Candidate(name, label)
            return by_name[key]

        q_first = span[0].sent
        q_last = span[-1].sent
        chunk = doc.chunks[c][1]
        sent_before = chunk[q_first.start - 1].sent if q_first.start > 0 else None
        sent_after = chunk[q_last.end].sent if q_last.end < len(chunk) else None
        para = self.paragraph(s)
        beside: dict[str, int] = {}  # folded name -> tokens from the cue verb
        lo = self.window_start(s)
        para_end = text.find("\n", e)
        hi = len(text) if para_end < 0 else para_end
        i = bisect.bisect_left(self.mentions.starts, lo)
        while i < len(self.mentions) and self.mentions[i].start < hi:
            m = self.mentions[i]
            i += 1
            idx = i - 1
            if not self.speaker_label(idx) or doc.in_quote(m.start) or m.field != "clean_text":
                continue
            root = self.refs.mention_root(idx)
            if root is None or root[0] != c:
                continue
            tok = root[1]
            cd = cand(m.canon, self._label(idx))
            role = self.role(c, tok)
            if q_first.start <= tok.i < q_last.end:
                where = "same"
            elif sent_before is not None and sent_before.start <= tok.i < sent_before.end:
                where = "before"
            elif sent_after is not None and sent_after.start <= tok.i < sent_after.end and self.paragraph(m.start) == para:
                where = "after"
            elif self.paragraph(m.start) == para:
                where = "para"
            else:
                where = "prev_para"
            cd.set_max("at_" + where)
            if role != "other":
                cd.set_max(f"{role}_{where}")
                cd.set_max(role)
            if m.start >= e:
                cd.set_max("after_quote")
            dist = m.start - e if m.start >= e else s - m.end
            cd.set_max("near", 1.0 / (1.0 + max(0, dist) / 50.0))
            if cue is not None and tok.sent.start == cue.sent.start:
                self.cue_adjacency(c, m, cue, cd, beside)
        if beside:  # the candidate named nearest the cue verb, in its sentence
            by_name[min(beside, key=beside.get)].feats["cue_nearest"] = 1.0
        # the path's choice, the previous quote's, the antecedents of a pronoun subject
        if found is not None:
            cd = cand(found.name, found.label)
            fam, _, kind = found.path.partition(":")
            cd.feats["path"] = 1.0
            cd.feats["path_" + fam] = 1.0
            kind = kind.rsplit(":", 1)[-1] if kind else ""
            if kind in PATH_KINDS:
                cd.feats["kind_" + kind] = 1.0
        if prev is not None:
            name, label, end = prev
            cd = cand(name, label)
            back = self.para_back(s, end)
            cd.feats["prev_speaker"] = 1.0
            cd.feats["prev_speaker_" + ("same_para" if back == 0 else "next_para" if back == 1 else "far")] = 1.0
        # the last few named sources before the quote, nearest first, also from further back
        k = bisect.bisect_left(self.cue_subjects, (s,))
        seen: list[str] = []
        while k > 0 and len(seen) < 3:
            k -= 1
            _, key, name, label = self.cue_subjects[k]
            if key not in seen:
                seen.append(key)
                cand(name, label).feats["recent_source_%d" % len(seen)] = 1.0
        kind = "none"
        if subject is not None:
            kind = self.subject_features(c, subject, by_name, cand)
        if kind == "pronoun":  # "she" is not a man named before, whatever else speaks for him
            by_name = {k: cd for k, cd in by_name.items() if "pron_disagree" not in cd.feats}
        for key, cd in by_name.items():
            cd.feats["label_" + cd.label] = 1.0
            cd.feats["mentions"] = math.log1p(self.counts.get(key, 0))
            if not any(f.startswith("at_") for f in cd.feats):
                cd.feats["far"] = 1.0
            for f in [f for f in cd.feats if f.split("_", 1)[0] in CROSSED]:
                cd.feats[kind + "|" + f] = cd.feats[f]
        return list(by_name.values())

    def cue_adjacency(self, c: int, m, cue: "Token", cd: Candidate, beside: dict[str, int]) -> None:
        """Where a mention stands from the cue verb in its sentence, read off the word order
        (the parse of "X, the minister, said" or "said X" often goes astray): right before it
        with no verb between ("Sullivan, said", "Ryan (R-WI) said"), or right after it ("said Sen. X")."""
        offset, chunk = self.doc.chunks[c]
        ms = chunk.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
        if ms is None or not len(ms):
            return
        if ms.end <= cue.i:
            between = chunk[ms.end:cue.i]
            d = cue.i - ms.end
        elif ms.start > cue.i:
            between = chunk[cue.i + 1:ms.start]
            d = ms.start - cue.i - 1
        else:
            return
        if any(t.pos_ in ("VERB", "AUX") or self.doc.in_quote(offset + t.idx) for t in between):
            return
        key = fold(m.canon)
        beside[key] = min(d, beside.get(key, 99))
        if ms.end <= cue.i:
            cd.set_max("cue_left" if d <= 8 else "cue_left_far")
        else:
            cd.set_max("cue_right" if d <= 4 else "cue_right_far")

    def subject_features(self, c: int, subject: "Token", by_name: dict[str, Candidate], cand) -> str:
        """Agreement of the cue verb's subject with each candidate: a pronoun's sex and the
        pronoun resolver's ranking; a description's head noun and the candidate's type."""
        low = subject.lower_
        if low in PRONOUNS:
            want = PRONOUNS[low]
            ranked = self.refs.person_antecedents(c, subject)
            for r, (_, idx) in enumerate(ranked[:3]):
                cd = cand(self.mentions[idx].canon, "PERSON")
                cd.set_max("pron_rank%d" % (r + 1))
            for key, cd in by_name.items():
                if cd.label != "PERSON":
                    cd.feats["pron_not_person"] = 1.0
                    continue
                idxs = self.refs.persons.get(key)
                sex = self.refs.sex(idxs[0]) if idxs else None
                cd.feats["pron_agree" if sex == want else "pron_disagree" if sex else "pron_unknown"] = 1.0
            return "pronoun"
        if low in PLURAL_PRONOUNS:
            for cd in by_name.values():
                cd.feats["plural_" + cd.label] = 1.0
            return "plural"
        if self.mentions.mention_of(c, subject) is not None:
            return "name"
        if subject.pos_ == "PROPN":  # a name the entity recogniser missed ("From said")
            words = [t for t in subject.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [subject]
            cand(" ".join(t.text for t in words), "PERSON").feats["unlinked_subject"] = 1.0
            return "name"
        if subject.pos_ != "NOUN":
            return "other"
        lemma = fold(self.doc.lemma(subject))
        for key, cd in by_name.items():
            words = self.mentions.words_by_canon.get(key, set())
            if lemma in words or lemma in key.split():
                cd.feats["desc_words"] = 1.0
            if lemma in self.f.lex.role_nouns:
                cd.feats["desc_role_" + cd.label] = 1.0
            elif lemma in self.f.lex.org_nouns or subject.tag_ == "NNS":
                cd.feats["desc_group_" + cd.label] = 1.0
            else:
                cd.feats["desc_other_" + cd.label] = 1.0
        return "description"
