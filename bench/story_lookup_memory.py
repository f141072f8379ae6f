"""What the story stage's lookups cost in one grown warehouse: candidates per document with and
without the cap, and the peak memory of reading their features (issue 15).

    .venv/bin/python bench/story_lookup_memory.py --db /tmp/g2/grown_100000.duckdb [--docs 20] [--limit 300]

Takes `--docs` dated documents of the warehouse (a seeded sample) as if they were new, asks
`warehouse.stories.WarehouseStories.candidates` for their candidates (at most `--limit` each, and
uncapped), then reads the features of the capped union in a fresh process four ways, as JSON
text: one query at DuckDB's default memory limit (as before the cap), one query under the 128 MB
cap, 100 documents per query under the cap; and as the stage reads them,
`WarehouseStories.documents` (100 per query under the cap, each parsed into `StoryFeatures`),
all at once, and 500 at a time, each slice dropped before the next (`cluster.READ_SLICE`).
Prints each process's peak RSS.
Read-only; the warehouse is not changed.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

READ = """
import json, re, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from warehouse.stories import WarehouseStories, _literals
db, how, ids = sys.argv[2], sys.argv[3], json.loads(Path(sys.argv[4]).read_text())
t = time.perf_counter()
if how.startswith("documents"):
    w = WarehouseStories(db)
    step = 500 if how == "documents_by_500" else len(ids)  # as the stage reads them (cluster.READ_SLICE)
    with w.batch():
        n = sum(len(w.documents(ids[i:i + step])) for i in range(0, len(ids), step))
else:
    from warehouse.store import connect_read_only
    con = connect_read_only(db)
    if how != "one_query_default_limit":
        con.execute("SET memory_limit = '128MB'")
    step = 100 if how == "by_100_capped" else len(ids)
    sql = "SELECT doc_id, seq, features FROM story_doc_features WHERE doc_id IN "
    n = sum(len(con.execute(sql + _literals(ids[i:i + step])).fetchall()) for i in range(0, len(ids), step))
hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({"how": how, "documents": n, "seconds": round(time.perf_counter() - t, 2), "peak_mb": round(hwm / 1024)}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from tasks.stories.config import DEFAULT_STORY
    from tasks.stories.state import Ask
    from warehouse.store import connect_read_only
    from warehouse.stories import WarehouseStories

    con = connect_read_only(args.db)
    sample = ("SELECT doc_id FROM story_doc_features WHERE day IS NOT NULL AND error IS NULL "
              f"ORDER BY hash(doc_id || '{args.seed}') LIMIT {int(args.docs)}")
    rows = con.execute(f"SELECT k.doc_id, k.key, k.day FROM story_keys k JOIN ({sample}) USING (doc_id)").fetchall()
    con.close()
    keys: dict[str, set[str]] = defaultdict(set)
    day: dict[str, int] = {}
    for doc_id, key, d in rows:
        keys[doc_id].add(key)
        day[doc_id] = d
    window = int(DEFAULT_STORY.max_days_apart)
    asks = {d: Ask(frozenset(keys[d]), day[d] - window, day[d] + window) for d in keys}
    lookup = WarehouseStories(args.db)
    with lookup.batch():
        found = {limit: lookup.candidates(asks, limit) for limit in (10**9, args.limit)}
    for limit, name in ((10**9, "uncapped"), (args.limit, f"capped at {args.limit}")):
        per_doc = sorted((len(c) for c in found[limit].values()), reverse=True)
        union = set().union(*found[limit].values())
        print(f"{name}: {len(asks)} documents, candidates each (largest first) {per_doc}, "
              f"union {len(union):,}")
    ids = sorted(set().union(*found[args.limit].values()) - set(asks))
    tmp = Path(f"/tmp/story_lookup_ids_{args.seed}.json")
    tmp.write_text(json.dumps(ids))
    for how in ("one_query_default_limit", "one_query_capped", "by_100_capped", "documents", "documents_by_500"):
        done = subprocess.run([sys.executable, "-c", READ, str(REPO), str(args.db), how, str(tmp)],
                              capture_output=True, text=True)
        print(done.stdout.strip() or done.stderr.strip().splitlines()[-1])
    tmp.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
