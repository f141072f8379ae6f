"""One long, entity-dense document: rule extraction linear in the text, and the per-document bound.

    .venv/bin/python bench/nlp_long_document.py                 # scaling at 80k, 160k, 320k, 640k characters
    .venv/bin/python bench/nlp_long_document.py --big 3900000   # one 3.9 MB document through parse_batch

The text is the sample articles' paragraphs that name five or more capitalised words, repeated
(so dense with entities, quotes and events, as in issue 17). Scaling prints the parse (spaCy) and
the rule extraction separately, with each step's ratio to the previous size: a linear step
doubles. The big run prints the wall time of `parse_batch` and the document's notes (truncation
at `max_doc_chars`, `nlp_timeout` when the bound cut it).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.events import EventExtractor, load_triggers  # noqa: E402
from tasks.nlp import NlpConfig  # noqa: E402
from tasks.nlp.coref import References  # noqa: E402
from tasks.nlp.document import ParsedText  # noqa: E402
from tasks.nlp.entities import Lexicon  # noqa: E402
from tasks.nlp.mentions import MentionIndex  # noqa: E402
from tasks.nlp.model import load_model  # noqa: E402
from tasks.nlp.parse import parse_batch, split_chunks  # noqa: E402
from tasks.nlp.quotes import QuoteAttributor  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def dense_text(n: int) -> str:
    paras = [p for f in sorted(SAMPLE.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n")
             if sum(w[:1].isupper() for w in p.split()) >= 5]
    base = "\n".join(paras) + "\n"
    return (base * (n // len(base) + 1))[:n]


def scaling(sizes: list[int]) -> None:
    cfg = NlpConfig(n_process=1)
    nlp = load_model(cfg)
    lex, triggers = Lexicon.from_config(cfg), load_triggers(cfg.trigger_file)
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    prev = None
    print(f"{'chars':>8} {'parse s':>8} {'extract s':>9} {'mentions':>8} {'quotes':>6} {'events':>6}  ratios (parse, extract)")
    for n in sizes:
        text = dense_text(n)
        t = time.perf_counter()
        chunks = [(o, nlp(c)) for o, c in split_chunks(text, cfg.max_chars)]
        parse_s = time.perf_counter() - t
        t = time.perf_counter()
        doc = ParsedText(text, chunks, lemmatizer)
        mentions = MentionIndex(doc, cfg, lex)
        refs = References(doc, mentions, lex)
        quotes = QuoteAttributor(doc, refs, lex).extract()
        events = EventExtractor(doc, mentions, refs, lex, triggers, None).extract()
        extract_s = time.perf_counter() - t
        ratio = f"{parse_s / prev[0]:.2f}, {extract_s / prev[1]:.2f}" if prev else ""
        print(f"{n:>8} {parse_s:>8.1f} {extract_s:>9.2f} {len(mentions):>8} {len(quotes):>6} {len(events):>6}  {ratio}")
        prev = (parse_s, extract_s)


def big(n: int) -> None:
    text = dense_text(n)
    t = time.perf_counter()
    (parsed,) = parse_batch([{"doc_id": "big", "clean_text": text, "published_at": None, "site": None,
                              "title": None}], NlpConfig(n_process=1))
    print(f"{n} characters: parse_batch {time.perf_counter() - t:.1f} s; mentions {len(parsed.mentions)}, "
          f"events {len(parsed.events)}, error {parsed.error}, notes {parsed.notes}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[80_000, 160_000, 320_000, 640_000])
    ap.add_argument("--big", type=int)
    args = ap.parse_args()
    big(args.big) if args.big else scaling(args.sizes)
