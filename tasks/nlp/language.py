"""The language of a document, offline: py3langid (langid.py's model, shipped in its wheel).

The spaCy pipeline is English-only: a Chinese paragraph became one GPE entity, "Министр" an ORG.
A document detected, with confidence, as another language is recorded with it and not parsed.
On the dev corpora (3,236 English texts of bbc-news, ecbplus-dev, quotes-dev, ner-dev, events-dev
and article-extraction-dev) the only texts detected as another language at >= 0.9 were the seven
pages of article-extraction-dev that are in Portuguese, German, Indonesian, Russian and Japanese
(`bench/language_dev.py`).
"""
from __future__ import annotations

import functools
from typing import NamedTuple

SAMPLE_CHARS = 5000  # the opening of a text decides: enough for the detector, bounded work
MIN_LETTERS = 20  # below this a guess is noise: no language recorded, the text is parsed


# languages written in the Latin alphabet: a model for them cannot read a text that mostly is not
LATIN_SCRIPT = {"en", "de", "fr", "es", "it", "pt", "nl", "da", "sv", "no", "fi", "pl", "cs", "ro", "hu", "tr", "id"}


class Detected(NamedTuple):
    language: str | None  # ISO 639-1; None for too little text
    probability: float
    latin_share: float  # of the letters in the opening


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str | None) -> Detected:
    """The language of a text's opening, with the detector's probability and the share of its
    letters that are Latin (a short Chinese paragraph can get a low probability, never a high
    Latin share)."""
    sample = (text or "")[:SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < MIN_LETTERS:
        return Detected(None, 0.0, 1.0)
    latin = sum(1 for ch in letters if ch < "\u0250") / len(letters)  # Basic Latin to Latin Extended-B
    lang, prob = _identifier().classify(sample)
    return Detected(lang, float(prob), latin)


def skip_reason(detected: Detected, languages: tuple[str, ...], min_confidence: float) -> str | None:
    """Why the NLP skips a document (its language is not one the model handles), or None: the
    detector is confident, or the text is mostly in another script than the model's languages."""
    lang, prob, latin = detected
    if lang is None or not languages or lang in languages:
        return None
    if prob >= min_confidence or (latin < 0.5 and set(languages) <= LATIN_SCRIPT):
        return f"language {lang} ({prob:.2f}): the model handles {', '.join(languages)} only"
    return None
