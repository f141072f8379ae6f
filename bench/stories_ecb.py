"""Story quality of the real `newsdag ingest` on ECB+ dev: one run, and three runs in another order.

Each ECB+ document becomes a crawler-style JSONL record {id, text} (its sentences, one a line;
the source URL line of ecbplus documents dropped) and goes through `newsdag ingest` with default
settings into a fresh warehouse. Then the same documents, shuffled (seeded) and split into three
files, are ingested by three runs into another warehouse. Each is scored by B-cubed against the
gold `cluster`: over all documents (as the team scores it), and the mean of per-topic figures.
A duplicate belongs to the story of the document it duplicates; a rejected one is a story alone.

    .venv/bin/python bench/stories_ecb.py [--runs 3] [--seed 1] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tasks.stories.train_pair_model import CORPUS, bcubed, write_jsonl  # noqa: E402
from warehouse.stories import document_stories  # noqa: E402


def ingest(files: list[Path], db: Path, newsdag: Path) -> None:
    # a busy machine starts the temporary Prefect server slowly
    env = {**os.environ, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": os.environ.get(
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")}
    for f in files:
        done = subprocess.run([str(newsdag), "ingest", str(f), "--db", str(db)], capture_output=True, text=True, env=env)
        if done.returncode:
            raise SystemExit(f"newsdag ingest {f} failed:\n{done.stderr[-3000:]}")


def predicted(db: Path) -> dict[str, str]:
    """Gold doc id -> story as the warehouse says."""
    rows = document_stories(db)
    by_doc = {r["doc_id"]: r for r in rows}
    out = {}
    for r in rows:
        gid = json.loads(r["notes"])["id"] if isinstance(r["notes"], str) else r["notes"]["id"]
        if r["status"] == "duplicate":
            out[gid] = by_doc[r["duplicate_of"]]["story_id"]
        elif r["status"] == "ok" and r["story_id"]:
            out[gid] = r["story_id"]
        else:
            out[gid] = "alone:" + gid
    return out


def scores(pred: dict[str, str], records: list[dict]) -> dict[str, float]:
    gold = {r["doc_id"]: r["cluster"] for r in records}
    p, r, f1 = bcubed(pred, gold)
    topics = sorted({r["topic"] for r in records})
    per_topic = [bcubed(pred, {g: c for g, c in gold.items() if g.split("_")[0] == str(t)})[2] for t in topics]
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
            "topic_mean_f1": round(sum(per_topic) / len(per_topic), 4), "stories": len(set(pred.values()))}


def measure(records: list[dict], runs: int, seed: int, newsdag: Path) -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        one = write_jsonl(records, tmp / "all.jsonl")
        ingest([one], tmp / "one.duckdb", newsdag)
        shuffled = list(records)
        random.Random(seed).shuffle(shuffled)
        parts = [write_jsonl(shuffled[k::runs], tmp / f"run{k}.jsonl") for k in range(runs)]
        ingest(parts, tmp / "runs.duckdb", newsdag)
        return {"one_run": scores(predicted(tmp / "one.duckdb"), records),
                f"{runs}_runs": scores(predicted(tmp / "runs.duckdb"), records)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--newsdag", type=Path, default=REPO / ".venv" / "bin" / "newsdag")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus} is absent")
    records = [json.loads(line) for line in args.corpus.open(encoding="utf-8")]
    result = measure(records, args.runs, args.seed, args.newsdag)
    if args.json:
        print(json.dumps(result))
        return
    for name, s in result.items():
        print(f"{name:8s} B-cubed P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
              f"(mean per topic {s['topic_mean_f1']:.3f}, {s['stories']} stories)")
    a, b = result["one_run"]["f1"], result[f"{args.runs}_runs"]["f1"]
    print(f"difference {abs(a - b):.4f}")


if __name__ == "__main__":
    main()
