"""Recompute `minhash_bands` of a warehouse from its stored shingles.

Needed once for a warehouse built before the MinHash permutations were derived from blake2b
(they came from NumPy's `default_rng` before): its stored bucket ids would not meet the buckets
of new documents, so near duplicates of earlier loads would go unnoticed. Exact duplicates are
unaffected. Run with no other newsdag run on the file:

    .venv/bin/python scripts/rebuild_minhash_bands.py --db data/news.duckdb
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.dedup.config import DedupConfig  # noqa: E402
from tasks.dedup.minhash import band_buckets, shingles_from_bytes, signature  # noqa: E402
from tasks.rows import MinhashBandRow  # noqa: E402
from warehouse.state import StateReader  # noqa: E402
from warehouse.store import StagedRows, rewrite_table  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    args = parser.parse_args()
    config = DedupConfig().minhash
    with StateReader(args.db) as wh:
        shingles = wh.minhash_shingles()
    rows = [MinhashBandRow(band, bucket, r["doc_id"])
            for r in shingles
            for band, bucket in enumerate(band_buckets(signature(shingles_from_bytes(bytes(r["shingles"])), config), config))]
    staged = StagedRows()
    staged.add("minhash_bands", rows)
    n = rewrite_table(args.db, "minhash_bands", staged)
    print(f"minhash_bands: {n} rows for {len(shingles)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
