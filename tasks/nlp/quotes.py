"""Direct quotations: where they are (pure text) and who said them (dependency parse)."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A quote must have at least this many words: shorter ones are scare quotes ("mistaken").
MIN_QUOTE_WORDS = 3
_CURLY = re.compile(r"“([^“”]+)”")
_STRAIGHT = re.compile(r'"([^"\n]+)"')


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
        for rx in (_CURLY, _STRAIGHT):
            for m in rx.finditer(para):
                s, e = m.span(1)
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
