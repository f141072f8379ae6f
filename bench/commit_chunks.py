"""What committing as it goes costs a long run, and that it changes no result (issue 17).

    .venv/bin/python bench/commit_chunks.py [JSONL] [--files 320] [--every 64] [--rounds 2]

Writes the first FILES BBC articles as one small .txt file each and ingests them into fresh
warehouses, in one session, ROUNDS times each way, each way first in turn: committing every
EVERY files (FILES/EVERY loads), and as one load (`commit_every_files` above FILES). Prints each
run's seconds, its seconds per stage (the loads among them),
the ratio of the fastest chunked run to the fastest one-load run, and whether the warehouses hold
the same rows (every table, ids included, `load_id` aside). Then a run stopped after its second
load and resumed: the first 2*EVERY files ingested alone (what such a run committed), then all of
them again (the rerun), compared with the others.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEFAULT = REPO.parent / "shared" / "corpora" / "bbc-news" / "bbc-news.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl", nargs="?", default=str(DEFAULT))
    ap.add_argument("--files", type=int, default=320)
    ap.add_argument("--every", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    src = Path(a.jsonl)
    if not src.exists():
        print(f"skip: {src} is absent")
        return 0
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from prefect.testing.utilities import prefect_test_harness

    from flows.ingest import ingest
    from flows.settings import IngestSettings
    from tests.flows.test_commit_chunks import differences, tables

    records = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()][: a.files]
    with prefect_test_harness(server_startup_timeout=180), tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "in"
        inbox.mkdir()
        for n, r in enumerate(records):
            (inbox / f"{n:05d}.txt").write_text(f"{r.get('title') or ''}\n\n{r['text']}\n", encoding="utf-8")
        runs: dict[str, list] = {"chunked": [], "one load": []}
        for n in range(a.rounds):
            modes = [("chunked", a.every), ("one load", a.files + 1)]
            for name, every in (modes if n % 2 == 0 else modes[::-1]):  # each goes first in turn
                db = Path(tmp) / f"{name.replace(' ', '_')}{n}.duckdb"
                t = time.perf_counter()
                summary = ingest(paths=[str(inbox)], db_path=str(db), settings=IngestSettings(commit_every_files=every))
                runs[name].append((time.perf_counter() - t, db))
                print(f"{name:>8}: {len(summary['loads'])} load(s), {runs[name][-1][0]:.1f} s, of which loads "
                      f"{summary['seconds'].get('load', 0):.1f} s; documents {summary['documents_new']}, "
                      f"events {summary['events']}; seconds per stage {summary['seconds']}", flush=True)
        ratio = min(s for s, _ in runs["chunked"]) / min(s for s, _ in runs["one load"])
        resumed = Path(tmp) / "resumed.duckdb"
        settings = IngestSettings(commit_every_files=a.every)
        ingest(paths=[str(f) for f in sorted(inbox.iterdir())[: 2 * a.every]], db_path=str(resumed), settings=settings)
        summary = ingest(paths=[str(inbox)], db_path=str(resumed), settings=settings)
        print(f" resumed: the rerun skipped {summary['files_skipped']} files and read {summary['documents_read']} "
              f"documents in {len(summary['loads'])} load(s)", flush=True)
        reference = tables(runs["one load"][0][1])
        diff = [differences(tables(db), reference) for _, db in runs["chunked"] + runs["one load"][1:] + [(0, resumed)]]
        print(f"chunked / one load (fastest of {a.rounds}): {ratio:.2f}; tables differ (chunked, one load, resumed): "
              f"{'none' if not any(diff) else diff}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
