"""Fit the quote cue verbs of tasks/nlp/lexicon.json ("cue_verbs") on PolNeAR's train compartment.

A verb is a cue when the annotators often mark it as the cue of a quotation: it heads the cue
span of at least `--min-count` attributions whose content holds a quotation mark, and at least
`--min-ratio` of its verb uses in sentences holding a quotation mark are such cues (so "say" and "tweet" are
in, "be" and "have" are out). Only the train compartment is read; dev stays for measuring.

    .venv/bin/python scripts/fit_quote_cues.py --db W/quotes.duckdb --cache W/docs.spacy \
        --gold ../shared/corpora/quotes-dev/train.jsonl [--write]

(W from `scripts/quotes_dev.py`: the same parsed cache serves both.)
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

QUOTE_MARKS = set('"“”')


def dump_lexicon(lex: dict) -> str:
    """lexicon.json as it is kept: one key per line."""
    lines = [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in lex.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv=None) -> int:
    from quotes_dev import corpus_parser, parse_cached, read_docs, scorer

    from tasks.nlp.config import NlpConfig
    from tasks.nlp.document import lazy_lemma

    ap = corpus_parser(__doc__)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--min-ratio", type=float, default=0.2)
    ap.add_argument("--write", action="store_true", help="write the list into tasks/nlp/lexicon.json")
    a = ap.parse_args(argv)
    config = NlpConfig(n_process=1)
    chunks, nlp = parse_cached(read_docs(a.db), a.cache, config)
    lemmatizer = nlp.get_pipe("lemmatizer")
    cue_texts = []
    for art in scorer().load_articles(a.gold):
        for at in art["attributions"]:
            content, cue = at.get("content"), at.get("cue")
            if content and cue and QUOTE_MARKS & set(content["text"]):
                cue_texts.append(cue["text"])
    cues = Counter()
    with nlp.select_pipes(enable=["tok2vec", "tagger", "attribute_ruler", "parser"]):
        for doc in nlp.pipe(cue_texts, batch_size=256):
            verbs = [t for t in doc if t.pos_ in ("VERB", "AUX")]
            if verbs:
                head = min(verbs, key=lambda t: (t.dep_ not in ("ROOT",), t.i))
                cues[lazy_lemma(lemmatizer, head)] += 1
    occurrences = Counter()  # verb uses in sentences that hold a quotation mark
    for parts in chunks.values():
        for _, doc in parts:
            for sent in doc.sents:
                if not QUOTE_MARKS & set(sent.text):
                    continue
                for t in sent:
                    if t.pos_ in ("VERB", "AUX"):
                        occurrences[lazy_lemma(lemmatizer, t)] += 1
    kept = []
    for lemma, n in cues.most_common():
        ratio = n / max(1, occurrences[lemma])
        if n >= a.min_count and ratio >= a.min_ratio and lemma.isalpha():
            kept.append(lemma)
            print(f"{lemma:14s} cue {n:5d} of {occurrences[lemma]:5d} verb uses ({ratio:.2f})")
    print(f"{len(kept)} cue verbs from {len(cue_texts)} cue spans")
    if a.write:
        path = ROOT / "tasks" / "nlp" / "lexicon.json"
        lex = json.loads(path.read_text(encoding="utf-8"))
        lex["cue_verbs"] = sorted(kept)
        path.write_text(dump_lexicon(lex), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
