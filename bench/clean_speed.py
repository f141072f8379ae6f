"""Cleaning throughput over the article-extraction dev corpus (../shared/corpora).

    .venv/bin/python bench/clean_speed.py [--repeat N]

Prints pages/second for the plain-text path (page-text.json through `clean_batch`) and the HTML
path (html/*.html.gz through trafilatura). Exits 0 with a note when the corpus is absent.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.clean import CleanConfig, CleanState, clean_batch
from tasks.clean.evaluate import DEV, load_dev, load_dev_html
from tasks.records import Document


def run(docs_factory, repeat: int) -> tuple[int, float]:
    config, n, spent = CleanConfig(), 0, 0.0
    for _ in range(repeat):
        docs = docs_factory()
        t = time.perf_counter()
        clean_batch(docs, config, CleanState())
        spent += time.perf_counter() - t
        n += len(docs)
    return n, spent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if not DEV.exists():
        print(f"skipped: {DEV} is absent (the shared corpora live beside the project only)")
        return 0
    pages, truth = load_dev()
    ids = sorted(pages)
    htmls = {k: load_dev_html(k) for k in ids}
    text_docs = lambda: [Document(k, truth[k]["url"], pages[k]["articleBody"]) for k in ids]
    html_docs = lambda: [Document(k, truth[k]["url"], htmls[k], content_type="html") for k in ids]
    for name, factory in (("text", text_docs), ("html", html_docs)):
        n, spent = run(factory, a.repeat)
        print(f"{name:5s} {n / spent:8.1f} pages/s  ({n} pages in {spent:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
