"""Dedup time per document at 1x, 2x and 4x the BBC corpus (stories: bench/story_cost.py).

The corpus is copied k times; each copy replaces ~30% of the words of every article with other
words of the corpus (seeded), so copies are new documents, not duplicates, except every 25th,
which gets a single word changed (a near duplicate). Documents go through the stage in runs of
`--run-size`, each run starting from `DedupState.from_rows(all rows so far)` as a growing
warehouse would. Cost per document should stay flat as the warehouse grows. Times are CPU time
of this process (other work on the machine does not blur them).

    .venv/bin/python bench/dedup_scaling.py [--scales 1 2 4] [--run-size 500]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tasks.dedup import DedupState, deduplicate_batch
from tasks.records import Document

BBC = REPO.parent / "shared" / "corpora" / "bbc-news" / "bbc-news.jsonl"


def corpus(scale: int, seed: int = 0) -> list[Document]:
    records = [json.loads(line) for line in BBC.open(encoding="utf-8")]
    rng = random.Random(seed)
    vocab = sorted({w for r in records[:200] for w in r["text"].split()})
    docs = []
    for k in range(scale):
        for n, r in enumerate(records):
            words = r["text"].split()
            if k:
                rate = 0.0 if n % 25 == 0 else 0.30
                words = [rng.choice(vocab) if rng.random() < rate else w for w in words]
                if n % 25 == 0:
                    words[len(words) // 2] = rng.choice(vocab)
            text = " ".join(words)
            docs.append(Document(doc_id=f"{r['id']}#{k}", source_uri=r["id"], raw_text=text, clean_text=text,
                                 title=r["title"]))
    rng.shuffle(docs)
    return docs


def run(docs: list[Document], run_size: int) -> dict[str, float]:
    rows: dict[str, list[dict]] = defaultdict(list)
    t_state = t_dedup = 0.0
    for start in range(0, len(docs), run_size):
        batch = docs[start : start + run_size]
        t0 = time.process_time()
        state = DedupState.from_rows(rows)
        t1 = time.process_time()
        for table, new in deduplicate_batch(batch, state=state).items():
            rows[table].extend(new)
        t2 = time.process_time()
        t_state, t_dedup = t_state + t1 - t0, t_dedup + t2 - t1
    n = len(docs)
    return {"docs": n, "duplicates": sum(d.status == "duplicate" for d in docs),
            "state_ms": 1000 * t_state / n, "dedup_ms": 1000 * t_dedup / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--run-size", type=int, default=500)
    args = parser.parse_args()
    if not BBC.exists():
        sys.exit(f"{BBC} is absent: the benchmark needs the shared BBC corpus")
    results = {}
    for scale in args.scales:
        results[scale] = r = run(corpus(scale), args.run_size)
        print(f"{scale}x: {r['docs']:6d} docs, {r['duplicates']:4d} duplicates | per doc: dedup "
              f"{r['dedup_ms']:.3f} ms, state load {r['state_ms']:.3f} ms", flush=True)
    base = results[args.scales[0]]
    for scale in args.scales[1:]:
        r = results[scale]
        print(f"ratio {scale}x/{args.scales[0]}x per doc: dedup {r['dedup_ms'] / base['dedup_ms']:.2f}")


if __name__ == "__main__":
    main()
