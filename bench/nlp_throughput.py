"""Throughput of the NLP stage: parse_batch (and link_batch) vs the bare `nlp.pipe` of the
same model over BBC News texts, in one run.

    .venv/bin/python bench/nlp_throughput.py [--limit 500] [--n-process 1] [--batch-size 32]

Prints words/s of both and the ratio (parse_batch / bare). Also reports how the entity layer
compares with the bare model's entities (kept labels only): spans kept, added, relabelled.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spacy  # noqa: E402

from tasks.nlp import NlpConfig, NlpState, link_batch, parse_batch  # noqa: E402
from tasks.nlp.model import resolve_model_name  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "bbc-news" / "bbc-news.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--limit", type=int, default=500)
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=1, help="alternate the two runs this many times; best time counts")
    a = ap.parse_args()
    path = Path(a.corpus)
    if not path.exists():
        print(f"corpus {path} is absent; nothing to measure")
        return 0
    texts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) >= a.limit:
                break
    config = NlpConfig(n_process=a.n_process, batch_size=a.batch_size)
    name = resolve_model_name(config)

    bare = spacy.load(name)
    items = [{"doc_id": f"bbc{i:05d}", "clean_text": t, "published_at": None, "site": "bbc", "title": None} for i, t in enumerate(texts)]
    parse_batch(items[:2], config=config)  # load the model outside the timing, like the bare one
    t_bare = t_parse = float("inf")
    for _ in range(max(1, a.repeat)):  # alternate, so a busy machine slows both alike
        t0 = time.perf_counter()
        bare_docs = list(bare.pipe(texts, batch_size=a.batch_size, n_process=a.n_process))
        t_bare = min(t_bare, time.perf_counter() - t0)
        t0 = time.perf_counter()
        parsed = parse_batch(items, config=config)
        t_parse = min(t_parse, time.perf_counter() - t0)
    words = sum(1 for d in bare_docs for t in d if not t.is_space and not t.is_punct)
    t_extract = sum(p.notes.get("extract_seconds", 0.0) for p in parsed)
    t0 = time.perf_counter()
    rows = link_batch(parsed, state=NlpState.from_rows({}), config=config)
    t_link = time.perf_counter() - t0

    keep = set(config.entity_labels)
    bare_spans = {(i, e.start_char, e.end_char, e.label_) for i, d in enumerate(bare_docs) for e in d.ents if e.label_ in keep}
    ours = {(int(m["doc_id"][3:]), m["start_char"], m["end_char"], m["label"]) for m in rows["mentions"]}
    bare_pos = {s[:3]: s[3] for s in bare_spans}
    our_pos = {s[:3]: s[3] for s in ours}
    same = sum(1 for k, v in our_pos.items() if bare_pos.get(k) == v)
    relabelled = sum(1 for k, v in our_pos.items() if k in bare_pos and bare_pos[k] != v)
    errors = sum(1 for p in parsed if p.error)
    print(f"model {name}, {len(texts)} docs, {words} words, n_process={a.n_process}, batch_size={a.batch_size}")
    print(f"bare nlp.pipe      {t_bare:7.2f} s  {words / t_bare:9.0f} words/s")
    print(f"parse_batch        {t_parse:7.2f} s  {words / t_parse:9.0f} words/s  (of which rule extraction {t_extract:.2f} s)")
    print(f"link_batch         {t_link:7.2f} s  {words / t_link:9.0f} words/s")
    print(f"ratio parse_batch/bare (words/s): {t_bare / t_parse:.3f}; with link: {t_bare / (t_parse + t_link):.3f}")
    print(f"entities: bare {len(bare_spans)}, ours {len(ours)}, same span+label {same}, relabelled {relabelled}, "
          f"bare spans dropped {len(set(bare_pos) - set(our_pos))}, new spans {len(set(our_pos) - set(bare_pos))}")
    print(f"quotes {len(rows['quotes'])} ({sum(1 for q in rows['quotes'] if q['speaker'])} with speaker), "
          f"event mentions {len(rows['event_mentions'])}, events {len(rows['event_records'])}, failed docs {errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
