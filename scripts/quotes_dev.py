"""Fast loop for quote attribution on PolNeAR: parse once, re-run the rules many times.

    # 1. build the input DuckDB once with the team's scorer (keeps clean_text as newsdag made it)
    .venv/bin/python ../shared/tools/score_quotes.py --gold ../shared/corpora/quotes-dev/train.jsonl --workdir W
    # 2. parse its clean texts once into a DocBin cache, then score the rules on the cache
    .venv/bin/python scripts/quotes_dev.py --db W/quotes.duckdb --gold ../shared/corpora/quotes-dev/train.jsonl \
        --cache W/docs.spacy [--examples 20]

The figures are the scorer's own (its `build`, `match`, `speaker_ok`, imported from
../shared/tools/score_quotes.py) plus speaker precision: correct speakers among matched quotes
that have a speaker (gold sources that cannot be resolved excluded). Speakers are the
within-document canonical names, so a figure can differ from a full ingest by cross-document
renaming (rare). The team's figures are always those of score_quotes.py.
"""
from __future__ import annotations

import argparse
import bisect
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TOOLS = ROOT.parent / "shared" / "tools"


def scorer():
    spec = importlib.util.spec_from_file_location("score_quotes", TOOLS / "score_quotes.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_docs(db: str) -> list[dict]:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        cur = con.execute("select doc_id, source_uri, title, clean_text from documents where status = 'ok' order by source_uri")
        return [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]
    finally:
        con.close()


def parse_cached(docs: list[dict], cache: Path, config):
    """{doc_id: [(offset, Doc)]}, parsed once and kept in a DocBin file."""
    from spacy.tokens import DocBin

    from tasks.nlp.model import load_model
    from tasks.nlp.parse import split_chunks

    nlp = load_model(config)
    if cache.exists():
        keys = json.loads(cache.with_suffix(".json").read_text())
        got = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        texts, keys = [], []
        for d in docs:
            for offset, chunk in split_chunks(d["clean_text"] or "", config.max_chars):
                texts.append(chunk)
                keys.append([d["doc_id"], offset])
        got = list(nlp.pipe(texts, batch_size=config.batch_size))
        DocBin(store_user_data=True, docs=got).to_disk(cache)
        cache.with_suffix(".json").write_text(json.dumps(keys))
    out: dict[str, list] = {}
    for (doc_id, offset), doc in zip(keys, got):
        out.setdefault(doc_id, []).append((offset, doc))
    return out, nlp


def context(p: dict, width: int = 1) -> str:
    """The paragraph of a predicted quote and `width` paragraphs before it, the quote marked."""
    text, s, e = p["text"], p["start"], p["end"]
    a = s
    for _ in range(width + 1):
        a = text.rfind("\n", 0, max(0, a - 1)) + 1 if a > 0 else 0
    b = text.find("\n", e)
    b = len(text) if b < 0 else b
    return (text[a:s] + "[[" + text[s:e] + "]]" + text[e:b]).replace("\n", " | ")


def predict(db: str, gold: str, cache: Path, paths_only: bool = False, **settings):
    """(articles, gold quotes, predicted quotes) with NlpConfig(**settings); `paths_only`: the
    attribution paths' own speakers (no speaker ranker), as scripts/fit_quote_confidence.py needs."""
    import tasks.nlp.quotes as quotes
    from tasks.events import load_triggers
    from tasks.nlp.config import NlpConfig
    from tasks.nlp.entities import Lexicon
    from tasks.nlp.parse import extract_document

    if paths_only:
        quotes.load_weights = lambda: None  # QuoteAttributor falls back to the per-path table

    sq = scorer()
    config = NlpConfig(n_process=1, **settings)
    docs = read_docs(db)
    chunks, nlp = parse_cached(docs, cache, config)
    lexicon = Lexicon.from_config(config)
    triggers = load_triggers(config.trigger_file)
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    arts = sq.load_articles(gold)
    url = {a["name"]: f"https://polnear.example/x/{a['name']}" for a in arts}
    _, golds = sq.build(arts, url)
    by_name = {d["source_uri"].rsplit("/", 1)[-1]: d for d in docs}
    preds = {}
    for a in arts:
        d = by_name.get(a["name"])
        if d is None:
            preds[a["name"]] = []
            continue
        item = {"doc_id": d["doc_id"], "clean_text": d["clean_text"], "title": d["title"], "published_at": None, "site": None}
        parsed = extract_document(item, chunks.get(d["doc_id"], []), config, lexicon, triggers, lemmatizer)
        preds[a["name"]] = [{"quote": q.quote, "speaker": q.speaker, "cue": q.cue, "start": q.start, "end": q.end,
                             "confidence": q.confidence, "path": q.path, "text": d["clean_text"]} for q in parsed.quotes]
    return arts, golds, preds


def run(db: str, gold: str, cache: Path, examples: int = 0, show: str = "speaker", ctx: int = -1, **settings) -> dict:
    sq = scorer()
    arts, golds, preds = predict(db, gold, cache, **settings)
    r = sq.evaluate(arts, golds, preds)
    # speaker precision among matched quotes that have a speaker
    prec = Counter()
    wrong = []
    for a in arts:
        P, G = preds[a["name"]], golds[a["name"]]
        for i, j, _ in sq.match(P, G):
            g = G[j]
            if not g["resolved"] or not P[i]["speaker"]:
                continue
            ok = sq.speaker_ok(P[i]["speaker"], g["resolved"])
            prec["n"] += 1
            prec["ok"] += ok
            kind = "named" if g["named"] else "resolved"
            prec[kind + "_n"] += 1
            prec[kind + "_ok"] += ok
            if not ok:
                wrong.append((a["name"], g, P[i]))
    out = {k: round(v, 4) if isinstance(v, float) else v for k, v in r.items() if k != "ex"}
    out["speaker_precision"] = round(prec["ok"] / max(1, prec["n"]), 4)
    out["speaker_with_speaker"] = prec["n"]
    out["precision_named"] = round(prec["named_ok"] / max(1, prec["named_n"]), 4)
    out["precision_resolved"] = round(prec["resolved_ok"] / max(1, prec["resolved_n"]), 4)
    if examples:
        items = wrong if show == "wrong" else None
        if items is None:
            items = [(n, g, p) for n, g, p in r["ex"].get(show, [])]
        import random

        items = list(items)
        random.Random(0).shuffle(items)
        for name, g, p in items[:examples]:
            print(f"[{show}] {name}")
            if g:
                print(f"   gold: {g['quote'][:110]!r} -- {g['speaker']!r}" + ("" if g["named"] else f" (resolved {g['resolved']!r})"))
            if p:
                print(f"   ours: {p['quote'][:110]!r} -- {p['speaker']!r} cue={p.get('cue')!r} path={p.get('path')} conf={p.get('confidence')}")
                if ctx >= 0:
                    print("   text: " + context(p, ctx)[-900:])
    return out


class SourceNames:
    """The entity a gold source span names, read off newsdag's own parse of the clean text: the
    mention at the span's syntactic root ("Weingarten, a longtime Clinton supporter" ->
    Weingarten), else one in apposition to it ("Trump's state director, Mike Rubino" -> Rubino),
    else its possessor ("Kelly Ayotte's campaign" -> Kelly Ayotte), else the first person or
    organisation in the span. A pronoun or description source is first replaced, as the scorer
    does, by the nearest earlier named source. These labels train the ranker; the scorer's own
    word match (which reads "Weingarten, a longtime Clinton supporter" as Clinton) stays the measure."""

    LABELS = ("PERSON", "ORG", "GPE", "NORP")

    def __init__(self, article: dict, sq, clean: str, doc, refs):
        self.sq, self.doc, self.refs = sq, doc, refs
        art = article["text"]
        self.a_at = [k for k, ch in enumerate(art) if not ch.isspace()]
        self.a_ns = "".join(art[k] for k in self.a_at)
        self.c_at = [k for k, ch in enumerate(clean) if not ch.isspace()]
        self.c_ns = "".join(clean[k] for k in self.c_at)
        self.named = sorted((x["source"]["spans"][0][0], x["source"]["spans"][0][1]) for x in article["attributions"]
                            if x.get("source") and sq.name_keys(x["source"]["text"]))

    def to_clean(self, at: int) -> int | None:
        """The clean_text offset of article offset `at` (whitespace differs; lines may be gone)."""
        k = bisect.bisect_left(self.a_at, at)
        probe = self.a_ns[k:k + 30]
        if not probe:
            return None
        hits, p = [], self.c_ns.find(probe)
        while p >= 0:
            hits.append(p)
            p = self.c_ns.find(probe, p + 1)
        if not hits:
            return None
        return self.c_at[min(hits, key=lambda h: abs(h - k))]

    def name_of(self, g: dict) -> str | None:
        if g["speaker_at"] is None:
            return None
        span = next(((s, e) for s, e in self.named if s == g["speaker_at"]), None) if g["named"] else None
        if span is None:
            prev = [x for x in self.named if x[0] < g["speaker_at"]]
            if not prev:
                return None
            span = prev[-1]
        a = self.to_clean(span[0])
        if a is None:
            return None
        return self.mention_name(a, a + (span[1] - span[0]))

    def mention_name(self, a: int, b: int) -> str | None:
        mentions = self.refs.mentions
        inside = [i for i, m in enumerate(mentions.mentions) if m.start < b and m.end > a and m.field == "clean_text"
                  and (m.canon_label or m.label) in self.LABELS]
        if not inside:
            return None
        c = self.doc.chunk_at(a)
        if c is not None:
            offset, chunk = self.doc.chunks[c]
            span = chunk.char_span(a - offset, min(b, self.doc.chunk_ends[c]) - offset, alignment_mode="expand")
            if span is not None and len(span):
                root = span.root
                at_root = mentions.mention_of(c, root)
                if at_root in inside:
                    return mentions[at_root].canon
                for dep in ("appos", "poss", "compound", "nmod"):
                    for ch in root.children:
                        idx = mentions.mention_of(c, ch)
                        if ch.dep_ == dep and idx in inside:
                            return mentions[idx].canon
        persons = [i for i in inside if (mentions[i].canon_label or mentions[i].label) in ("PERSON", "ORG")]
        return mentions[(persons or inside)[0]].canon


def same_speaker(name: str, source: str) -> bool:
    """A candidate names the source entity: the same canonical name, or a person's same surname."""
    from tasks.nlp.entities import fold

    a, b = fold(name).split(), fold(source).split()
    return bool(a) and bool(b) and (a == b or a[-1] == b[-1])


def corpus_parser(doc: str | None) -> argparse.ArgumentParser:
    """The arguments every PolNeAR script takes: the ingested DuckDB, the gold JSONL and the parse cache."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--cache", required=True, type=Path)
    return ap


def main(argv=None) -> int:
    ap = corpus_parser(__doc__)
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument("--min-confidence", type=float, default=None, help="NlpConfig.quote_min_confidence")
    ap.add_argument("--context", type=int, default=-1, help="print the quote's paragraph and N before it")
    ap.add_argument("--show", default="speaker", choices=["speaker", "speaker_silver", "missed", "spurious", "wrong"])
    a = ap.parse_args(argv)
    out = run(a.db, a.gold, a.cache, a.examples, a.show, a.context,
              **({} if a.min_confidence is None else {"quote_min_confidence": a.min_confidence}))
    keys = ["p", "r", "named", "named_n", "named_none", "resolved", "resolved_n", "speaker_precision",
            "precision_named", "precision_resolved", "speaker_with_speaker", "n_pred", "no_speaker"]
    print(json.dumps({k: out[k] for k in keys}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
