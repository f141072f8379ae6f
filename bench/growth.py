"""What a 20-article run costs as the warehouse grows (issue 15), printed as ratios.

    .venv/bin/python bench/growth.py --work /tmp/growth [--sizes 10000 100000] [--trials 3]

1. Real warehouses, built by real runs of `newsdag ingest` on the shared corpora: ~900 documents
   (PolNeAR train 840 + the 91 article-extraction pages as text), then ~3,900 (that one plus BBC
   News 2,225, ECB+ 462, CoNLL-2003 dev 216 and the last 24 PolNeAR dev articles).
2. Grown warehouses: the ~3,900 one replicated by SQL to each size (`warehouse/replicate.py`:
   copies of every state table's rows with new ids, exact keys, MinHash buckets, line keys and
   search numbers, so each copy is a distinct document to every lookup).
3. Into each warehouse (a copy of it), runs of 20 new articles (PolNeAR dev 0-19, 20-39, 40-59:
   trial i uses set i at every size, in none of the warehouses), the sizes interleaved per trial.
   Measured: the run's own time (its summary's `elapsed_s`), its wall time as a process, and the
   peak RSS of the flow process and of its parse workers. Prints medians and ratios.

Every state table is replicated, the story stage's included (its lookups are per batch too,
`warehouse/stories.py`). Warehouses are kept in `--work` and reused by later invocations (delete
the folder to rebuild). With PREFECT_API_URL set
the runs use that server; without, one temporary server for all of them.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPORA = REPO.parent / "shared" / "corpora"
NEWSDAG = REPO / ".venv" / "bin" / "newsdag"
TRIAL_SETS = 3
COPIES_PER_STEP = 25
IN_PLACE_BYTES = 5 << 30  # a larger warehouse is measured in place instead of on a copy

# Runs the CLI in this process and reports its peak RSS (the flow: VmHWM, which, unlike ru_maxrss,
# does not carry over the forking parent's peak) and its children's (the parse workers, if any).
MEASURE = """
import contextlib, io, json, re, resource, sys, time
from pathlib import Path
from flows.cli import main
t = time.perf_counter()
out = io.StringIO()
with contextlib.redirect_stdout(out):
    rc = main(sys.argv[1:])
hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({"rc": rc, "seconds": time.perf_counter() - t, "summary": json.loads(out.getvalue()),
                  "flow_mb": hwm / 1024, "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def inputs(work: Path) -> dict[str, list[Path]]:
    """The corpora as JSONL inputs: the ~900 warehouse, the rest of the ~3,900 one, the trial sets."""
    data = work / "inputs"
    data.mkdir(parents=True, exist_ok=True)
    pages = json.loads((CORPORA / "article-extraction-dev" / "page-text.json").read_text(encoding="utf-8"))
    ecb = []
    for r in read_jsonl(CORPORA / "ecbplus-dev" / "docs.jsonl"):
        sentences = list(r["sentences"])
        url = sentences.pop(0).strip() if r.get("first_line_is_url") else None
        ecb.append({"id": r["doc_id"], "text": "\n".join(sentences), **({"url": url} if url else {})})
    dev = read_jsonl(CORPORA / "quotes-dev" / "articles.jsonl")
    keep = ("name", "title", "text", "date", "publisher")
    return {
        "real_900": [CORPORA / "quotes-dev" / "train.jsonl",
                     jsonl(data / "pages.jsonl", [{"id": k, "text": v["articleBody"]} for k, v in sorted(pages.items())])],
        "real_3900": [CORPORA / "bbc-news" / "bbc-news.jsonl", jsonl(data / "ecb.jsonl", ecb),
                      CORPORA / "ner-dev" / "conll2003_dev.jsonl",
                      jsonl(data / "dev_rest.jsonl", [{k: r[k] for k in keep} for r in dev[20 * TRIAL_SETS:]])],
        "trials": [jsonl(data / f"twenty_{i}.jsonl", [{k: r[k] for k in keep} for r in dev[20 * i:20 * (i + 1)]])
                   for i in range(TRIAL_SETS)],
    }


def ingest(paths: list[Path], db: Path, env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, "ingest", *map(str, paths), "--db", str(db), "--json"],
                         capture_output=True, text=True, env=env, cwd=REPO)
    if out.returncode:
        raise RuntimeError(f"ingest into {db} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def build(work: Path, sizes: list[int], env: dict) -> dict[str, Path]:
    """The warehouses, built once and kept in `work` (a marker file says each is complete)."""
    from warehouse.replicate import count_documents, replicate

    src = inputs(work)
    dbs: dict[str, Path] = {}

    def ready(name: str) -> Path | None:
        db = work / f"{name}.duckdb"
        return db if (work / f"{name}.done").exists() and db.exists() else None

    for name, base in (("real_900", None), ("real_3900", "real_900")):
        db = ready(name)
        if db is None:
            db = work / f"{name}.duckdb"
            db.unlink(missing_ok=True)
            if base:
                shutil.copy(dbs[base], db)
            t = time.perf_counter()
            ingest(src[name], db, env)
            (work / f"{name}.done").write_text(f"{time.perf_counter() - t:.0f} s\n")
            print(f"built {name}: {count_documents(db):,} documents by real runs ({time.perf_counter() - t:.0f} s)", flush=True)
        dbs[name] = db
    base_docs = count_documents(dbs["real_3900"])
    grow = work / "grown.duckdb"  # grown step by step; grown.json says how many copies it holds
    copies = json.loads((work / "grown.json").read_text())["copies"] if grow.exists() and (work / "grown.json").exists() else 0
    for size in sorted(sizes):
        name = f"grown_{size}"
        want = max(1, round(size / base_docs)) - 1
        if ready(name) is None:
            if not grow.exists() or want < copies:
                shutil.copy(dbs["real_3900"], grow)
                copies = 0
            t, done = time.perf_counter(), {"skipped": []}
            while copies < want:  # a few dozen copies per transaction
                done = replicate(grow, copies + 1, min(copies + COPIES_PER_STEP, want))
                copies = min(copies + COPIES_PER_STEP, want)
                (work / "grown.json").write_text(json.dumps({"copies": copies, **done}))
            print(f"replicated to {count_documents(grow):,} documents in {time.perf_counter() - t:.0f} s; "
                  f"not copied: {', '.join(done['skipped']) or 'none'}", flush=True)
            if size == max(sizes):  # the largest is measured in place
                grow.rename(work / f"{name}.duckdb")
                (work / "grown.json").unlink()
            else:
                shutil.copy(grow, work / f"{name}.duckdb")
            (work / f"{name}.done").write_text(str(copies))
        dbs[name] = work / f"{name}.duckdb"
    return dbs


def measure(dbs: dict[str, Path], trials: list[Path], n: int, env: dict) -> dict[str, list[dict]]:
    """Runs of the trial sets into a copy of each warehouse, sizes interleaved within a trial."""
    results: dict[str, list[dict]] = {name: [] for name in dbs}
    runs: dict[str, Path] = {}
    for name, db in dbs.items():
        if db.stat().st_size > IN_PLACE_BYTES:  # too large to copy: measured in place, rebuilt next time
            runs[name] = db
            db.with_name(f"{name}.done").unlink(missing_ok=True)
            continue
        runs[name] = db.with_name(f"{db.stem}.run.duckdb")
        shutil.copy(db, runs[name])
    for i in range(n):
        for name in dbs:
            r = ingest([trials[i % len(trials)]], runs[name], env)
            results[name].append(r)
            s = r["summary"]
            print(f"  trial {i + 1} {name:>15}: run {s['elapsed_s']:6.2f} s, process {r['seconds']:6.2f} s, "
                  f"flow {r['flow_mb']:5.0f} MB, workers {r['workers_mb']:5.0f} MB, new {s['documents_new']}", flush=True)
    for name, path in runs.items():
        if path != dbs[name]:
            path.unlink(missing_ok=True)
            Path(f"{path}.wal").unlink(missing_ok=True)
    return results


def report(results: dict[str, list[dict]], docs: dict[str, int]) -> None:
    def med(name: str, key) -> float:
        return statistics.median(key(r) for r in results[name])

    cols = [("run s", lambda r: r["summary"]["elapsed_s"]), ("process s", lambda r: r["seconds"]),
            ("flow MB", lambda r: r["flow_mb"]), ("workers MB", lambda r: r["workers_mb"])]
    print(f"\n{'warehouse':>15} {'documents':>10} " + " ".join(f"{c:>11}" for c, _ in cols) + "   stages (s, median)")
    for name in results:
        stages = results[name][0]["summary"]["seconds"]
        per = {k: statistics.median(r["summary"]["seconds"].get(k, 0) for r in results[name]) for k in stages if k != "files"}
        print(f"{name:>15} {docs[name]:>10,} " + " ".join(f"{med(name, f):>11.2f}" for _, f in cols) + "   "
              + ", ".join(f"{k} {v:.2f}" for k, v in per.items()))

    def ratio(a: str, b: str) -> None:
        if a in results and b in results:
            print(f"{b} / {a}: " + ", ".join(f"{c} {med(b, f) / med(a, f):.2f}x" for c, f in cols if med(a, f)))

    print()
    ratio("real_900", "real_3900")
    grown = [n for n in results if n.startswith("grown_")]
    for b in grown[1:]:
        ratio(grown[0], b)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True, help="folder for the warehouses (kept and reused)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--only", nargs="+", help="measure only these warehouses (e.g. real_900 real_3900)")
    ap.add_argument("--build-only", action="store_true", help="build the warehouses, measure nothing")
    a = ap.parse_args()
    if not CORPORA.exists():
        print(f"skip: {CORPORA} is absent")
        return 0
    a.work.mkdir(parents=True, exist_ok=True)
    if os.environ.get("PREFECT_API_URL"):
        server = nullcontext()
    else:
        from prefect.testing.utilities import prefect_test_harness

        server = prefect_test_harness(server_startup_timeout=300)
    with server:
        from prefect.settings import PREFECT_API_URL

        env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "WARNING"}
        dbs = build(a.work, a.sizes, env)
        if a.build_only:
            return 0
        if a.only:
            dbs = {k: v for k, v in dbs.items() if k in a.only}
        from warehouse.replicate import count_documents

        docs = {name: count_documents(db) for name, db in dbs.items()}
        print("measuring: " + ", ".join(f"{n} ({docs[n]:,} documents)" for n in dbs), flush=True)
        results = measure(dbs, inputs(a.work)["trials"], a.trials, env)
    report(results, docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
