"""End-to-end throughput of `newsdag ingest` against the bare spaCy model, in one run.

    .venv/bin/python bench/throughput.py [JSONL] [--limit N]

Default input: ../shared/corpora/bbc-news/bbc-news.jsonl (2,225 articles). It measures, on the
same texts: (1) the bare `nlp.pipe` of the configured model with n_process=2 and every component
on; (2) `newsdag ingest` into a fresh database, as a subprocess (Prefect's temporary server
included, or with --with-server a server started first); (3) the same ingest again (everything already loaded). Prints words/s, docs/s, the
ratio end-to-end / bare model, the per-stage breakdown of the run, the second run's share of the
first, and the ingest's peak memory (max RSS of the child processes).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpora" / "bbc-news" / "bbc-news.jsonl"


def bare_model(texts: list[str], n_process: int) -> float:
    import spacy

    from tasks.nlp.config import NlpConfig
    from tasks.nlp.model import resolve_model_name

    nlp = spacy.load(resolve_model_name(NlpConfig()))  # the same model, every component on
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
        pass
    return time.perf_counter() - t


def ingest(path: Path, db: Path, env: dict | None = None) -> tuple[float, dict]:
    t = time.perf_counter()
    out = subprocess.run([str(REPO / ".venv" / "bin" / "newsdag"), "ingest", str(path), "--db", str(db), "--json"],
                         capture_output=True, text=True, check=True, env=env)
    return time.perf_counter() - t, json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=0, help="use only the first N records")
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--with-server", action="store_true",
                    help="run the ingests against a Prefect server started first (as with PREFECT_API_URL set), "
                         "instead of the temporary server each CLI run starts without it")
    a = ap.parse_args()
    src = Path(a.jsonl)
    if not src.exists():
        print(f"skip: {src} is absent")
        return 0
    records = [json.loads(l) for l in src.read_text(encoding="utf-8").splitlines() if l.strip()]
    if a.limit:
        records = records[: a.limit]
    texts = [r.get("text") or r.get("maintext") or "" for r in records]
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "input.jsonl"
        data.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        bare = bare_model(texts, a.n_process)
        if a.with_server:
            from prefect.settings import PREFECT_API_URL
            from prefect.testing.utilities import prefect_test_harness

            with prefect_test_harness(server_startup_timeout=180):
                env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
                first, summary = ingest(data, Path(tmp) / "bench.duckdb", env)
                second, summary2 = ingest(data, Path(tmp) / "bench.duckdb", env)
        else:
            first, summary = ingest(data, Path(tmp) / "bench.duckdb")
            second, summary2 = ingest(data, Path(tmp) / "bench.duckdb")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"input: {src} ({len(texts)} documents, {words} words)")
    print(f"bare nlp.pipe (n_process={a.n_process}): {bare:7.1f} s  {words / bare:9.0f} words/s  {len(texts) / bare:6.1f} docs/s")
    print("prefect: " + ("a server started before the runs (PREFECT_API_URL set)" if a.with_server
                         else "no PREFECT_API_URL: each CLI run starts a temporary server"))
    print(f"newsdag ingest, first run:     {first:7.1f} s  {words / first:9.0f} words/s  {len(texts) / first:6.1f} docs/s")
    print(f"ratio end-to-end / bare model: {bare / first:.2f}x")
    stages = summary.get("seconds", {})
    accounted = sum(v for k, v in stages.items() if k != "files")
    print("per stage (s, main thread; 'nlp' is the time spent waiting for the background parse, which "
          "overlaps clean/dedup/link): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items() if k != "files")
          + f", orchestration and start-up {first - accounted:.1f}")
    print(f"second run (nothing new): {second:.1f} s = {second / first:.1%} of the first "
          f"(documents_new {summary2['documents_new']}, files skipped {summary2['files_skipped']})")
    print(f"peak memory of the ingest processes (max RSS): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
