"""Cost per document as the warehouse grows: the same amount of new text ingested into a
warehouse holding 0x, 1x, 2x and 3x of it already (so the last run ends at 4x), in one session.

    .venv/bin/python bench/growth.py [JSONL] [--limit 300]

Each run ingests a fresh variant of the first LIMIT BBC articles (30% of the words replaced,
seeded, so the copies are new documents, not duplicates) through `newsdag ingest`, with one
Prefect server for all runs. Prints seconds per document of each run and the ratio to the first.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpora" / "bbc-news" / "bbc-news.jsonl"


def variant(records: list[dict], copy: int, share: float = 0.3) -> list[dict]:
    rng = random.Random(copy)
    vocab = [w for r in records[:50] for w in r["text"].split()]
    out = []
    for r in records:
        words = r["text"].split(" ")
        for i in rng.sample(range(len(words)), int(len(words) * share)):
            words[i] = rng.choice(vocab)
        out.append({**r, "id": f"{r['id']}-v{copy}", "text": " ".join(words)})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=300)
    a = ap.parse_args()
    src = Path(a.jsonl)
    if not src.exists():
        print(f"skip: {src} is absent")
        return 0
    records = [json.loads(l) for l in src.read_text(encoding="utf-8").splitlines() if l.strip()][: a.limit]
    from prefect.testing.utilities import prefect_test_harness
    from prefect.settings import PREFECT_API_URL

    with prefect_test_harness(server_startup_timeout=180), tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "WARNING"}
        db = Path(tmp) / "growth.duckdb"
        first = None
        for copy, held in enumerate([0, 1, 2, 3], start=1):
            data = Path(tmp) / f"copy{copy}.jsonl"
            data.write_text("\n".join(json.dumps(r) for r in variant(records, copy)) + "\n", encoding="utf-8")
            t = time.perf_counter()
            out = subprocess.run([str(REPO / ".venv" / "bin" / "newsdag"), "ingest", str(data), "--db", str(db), "--json"],
                                 env=env, capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - t
            summary = json.loads(out.stdout)
            per_doc = seconds / max(1, summary["documents_read"])
            first = first or per_doc
            stages = ", ".join(f"{k} {v:.1f}" for k, v in summary["seconds"].items() if k != "files")
            print(f"warehouse at {held}x -> {held + 1}x: {summary['documents_new']} new docs "
                  f"(ok {summary['ok']}, duplicate {summary['duplicate']}), {seconds:.1f} s, "
                  f"{per_doc * 1000:.1f} ms/doc, ratio to the first {per_doc / first:.2f}  [{stages}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
