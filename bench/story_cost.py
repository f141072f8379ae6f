"""Story stage cost per new document into a warehouse of 1x and 4x (issues 14, 15).

A news feed is simulated: BBC articles (copies beyond the first with ~30% of their words replaced,
seeded, so they are new documents) published at `--per-day` articles a day, oldest first. The
story stage itself builds the warehouses: its rows are written by the real loader into DuckDB, in
runs of `--run-size`: 4x holds the whole feed (4 x `--limit` documents), 1x its last quarter (the
same most recent days, so a new article has the same recent neighbours in both). Then one
run of `--new` fresh articles published on the next day goes through the stage against each
warehouse, reading earlier loads only through `warehouse.stories.WarehouseStories` (SQL on
read-only connections), as `newsdag ingest` does. Prints the time per new document of each (best
of `--repeat`) and the ratio 4x/1x, measured in one process.

No NLP runs (capitalised word sequences stand in for entities, as without a parse): the parse
costs the same whatever the warehouse size and would only blur the ratio.

    .venv/bin/python bench/story_cost.py [--limit 600] [--per-day 4] [--new 200] [--repeat 3]

The defaults make 1x span 150 days, more than the date window either side of a new article, as a
warehouse does after its first months; before that its cost grows with its age, up to the window.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tasks.records import Document  # noqa: E402
from tasks.stories import StoryConfig, StoryState, cluster_stories  # noqa: E402
from warehouse.store import StagedRows, load_run  # noqa: E402
from warehouse.stories import WarehouseStories  # noqa: E402

BBC = REPO.parent / "shared" / "corpora" / "bbc-news" / "bbc-news.jsonl"
START = datetime(2024, 1, 1)


def feed(records: list[dict], copies: int, per_day: float, seed: int = 0) -> list[Document]:
    """`copies` x the corpus as a dated feed, oldest first (copy 0 is the corpus itself)."""
    rng = random.Random(seed)
    vocab = sorted({w for r in records[:200] for w in r["text"].split()})
    docs = []
    for k in range(copies):
        for r in records:
            words = r["text"].split()
            if k:
                words = [rng.choice(vocab) if rng.random() < 0.3 else w for w in words]
            text = " ".join(words)
            docs.append(Document(doc_id=f"{r['id']}#{k}", source_uri=r["id"], raw_text=text, clean_text=text,
                                 title=r["title"]))
    rng.shuffle(docs)
    for n, d in enumerate(docs):
        d.published_at = START + timedelta(days=n / per_day)
    return docs


def load(db: Path, docs: list[Document], run_size: int, config: StoryConfig) -> None:
    """Cluster `docs` run by run into `db`, each run reading the earlier ones through SQL."""
    for start in range(0, len(docs), run_size):
        state = StoryState(lookup=WarehouseStories(db))
        staged = StagedRows()
        for b in range(start, min(start + run_size, len(docs)), 100):
            _, rows = cluster_stories(docs[b:min(b + 100, start + run_size)], state, config)
            state.absorb(rows)
            staged.add_all(rows)
        load_run(db, staged, {"load_id": f"bench{start}", "started_at": datetime.now(), "finished_at": datetime.now(),
                              "status": "completed", "documents_seen": 0, "documents_new": 0})


def timed_run(db: Path, new: list[Document], config: StoryConfig, repeat: int) -> float:
    """Best wall time per document of one run of `new` (batches of 100) against `db`."""
    best = float("inf")
    for _ in range(repeat):
        state = StoryState(lookup=WarehouseStories(db))
        t0 = time.perf_counter()
        for b in range(0, len(new), 100):
            _, rows = cluster_stories(new[b:b + 100], state, config)
            state.absorb(rows)
        best = min(best, (time.perf_counter() - t0) / len(new))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=600, help="1x = this many BBC articles (0: all 2,225)")
    parser.add_argument("--per-day", type=float, default=4.0, help="articles published a day in the feed")
    parser.add_argument("--new", type=int, default=200, help="new articles in the measured run")
    parser.add_argument("--run-size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not BBC.exists():
        sys.exit(f"{BBC} is absent: the benchmark needs the shared BBC corpus")
    records = [json.loads(line) for line in BBC.open(encoding="utf-8")]
    records = records[: args.limit] if args.limit else records
    config = StoryConfig()
    docs = feed(records, 5, args.per_day)
    n = len(records)
    span = timedelta(days=4 * n / args.per_day)
    fresh = [d for d in docs if d.doc_id.endswith("#4")][: args.new]
    for d in fresh:  # published the day after the 4x warehouse's last article
        d.published_at = START + span + timedelta(days=1)
    history = [d for d in docs if not d.doc_id.endswith("#4")]
    with tempfile.TemporaryDirectory() as tmp:
        one, four = Path(tmp) / "1x.duckdb", Path(tmp) / "4x.duckdb"
        t0 = time.perf_counter()
        load(one, history[3 * n:], args.run_size, config)  # the feed's last quarter: the same recent days
        load(four, history, args.run_size, config)
        print(f"built 1x ({n} docs, {n / args.per_day:.0f} days) and 4x ({4 * n} docs, {4 * n / args.per_day:.0f} days)"
              f" in {time.perf_counter() - t0:.0f} s; window {config.max_days_apart:.0f} days")
        per_doc = {name: timed_run(db, fresh, config, args.repeat) for name, db in (("1x", one), ("4x", four))}
    for name, t in per_doc.items():
        print(f"{name}: {1000 * t:.2f} ms per new document")
    print(f"ratio 4x/1x per document: {per_doc['4x'] / per_doc['1x']:.2f}")


if __name__ == "__main__":
    main()
