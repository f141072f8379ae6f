"""ECB+ dev story quality with the candidate cap at several K, and how many documents each K cuts.

    .venv/bin/python bench/story_cap_ecb.py [--limits 300 20 5]

For each K (`stories.max_candidates`), `bench/stories_ecb.py`'s measurement (one run, and three
runs in another order, through the real `newsdag ingest`) with a `newsdag` that also records,
for every new document, how many earlier documents share a key with it in its window (uncapped):
a document whose count exceeds K had its candidate list cut. Prints B-cubed and the cut counts.
"""
from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.stories_ecb import measure  # noqa: E402
from tasks.stories.train_pair_model import CORPUS  # noqa: E402

WRAPPER = '''#!{python}
import json, os, sys
sys.path.insert(0, {repo!r})
from tasks.stories import cluster
from tasks.stories.state import Ask

capped = cluster._candidates


def counted(new, keys_of, state, config):
    window = int(config.max_days_apart)
    asks = {{d.doc_id: Ask(frozenset(keys_of[d.doc_id]), *((d.features.day - window, d.features.day + window)
                                                          if d.features.day is not None else ()))
             for d in new.values()}}
    stored, run = state.lookup.candidates(asks, 10**9), state.run_candidates(asks, 10**9)
    with open(os.environ["STORY_CAP_COUNTS"], "a") as f:
        for k in asks:
            f.write(json.dumps({{"db": sys.argv[-1], "found": len(stored[k]) + len(run[k])}}) + "\\n")
    return capped(new, keys_of, state, config)


cluster._candidates = counted

if __name__ == "__main__":  # the parse workers (spawned) import this module again
    from flows.cli import main
    sys.exit(main(sys.argv[1:2] + ["--settings", os.environ["STORY_CAP_SETTINGS"]] + sys.argv[2:]))
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", type=int, nargs="+", default=[300, 20, 5])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent")
    records = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        newsdag = tmp / "newsdag_counting"
        newsdag.write_text(WRAPPER.format(python=sys.executable, repo=str(REPO)))
        newsdag.chmod(newsdag.stat().st_mode | stat.S_IEXEC)
        for limit in args.limits:
            settings, counts = tmp / f"k{limit}.json", tmp / f"counts{limit}.jsonl"
            settings.write_text(json.dumps({"stories": {"max_candidates": limit}}))
            os.environ.update(STORY_CAP_SETTINGS=str(settings), STORY_CAP_COUNTS=str(counts))
            result = measure(records, args.runs, args.seed, newsdag)
            found = defaultdict(list)
            for line in counts.open():
                r = json.loads(line)
                found[Path(r["db"]).stem].append(r["found"])
            for (name, s), db in zip(result.items(), ("one", "runs")):
                n = found[db]
                print(f"K={limit:<4d} {name:7s} B-cubed P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f} "
                      f"({s['stories']} stories); new documents {len(n)}, most candidates found {max(n)}, "
                      f"lists cut {sum(x > limit for x in n)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
