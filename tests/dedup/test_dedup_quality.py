"""Quality gate on a real corpus (skipped where ../shared/corpora is absent): BBC News exact and
near duplicates against the lists computed from the corpus; the figures are gates
(tests/gates.json: pinned at the measured value, see tests/gates.py). (Stories: tests/stories.)
"""
from __future__ import annotations

import itertools
import json

from dedup_support import bbc_docs, bbc_records, need_corpus

from tasks.dedup import DedupState, dedup_step
from tests.gates import check_gate


def test_bbc_duplicates():
    corpus = need_corpus("bbc-news")
    docs, _ = dedup_step(bbc_docs(bbc_records()), DedupState())
    first = {d.doc_id: d.duplicate_of or d.doc_id for d in docs}

    def same_group(a: str, b: str) -> bool:
        return first[a] == first[b]

    load = lambda name: json.loads((corpus / name).read_text(encoding="utf-8"))
    exact, body, near = load("exact_duplicate_groups.json"), load("body_duplicate_groups.json"), load(
        "near_duplicate_pairs_jaccard_ge_0.5.json")
    found_exact = sum(all(same_group(g[0], x) for x in g) for g in exact)
    gold = {frozenset(p) for g in body for p in itertools.combinations(g, 2)}
    gold |= {frozenset(p[:2]) for p in near if p[2] >= 0.8}
    recall = sum(same_group(*p) for p in gold) / len(gold)
    listed = {frozenset(p) for g in exact + body for p in itertools.combinations(g, 2)}
    listed |= {frozenset(p[:2]) for p in near}
    groups: dict[str, list[str]] = {}
    for d in docs:
        groups.setdefault(first[d.doc_id], []).append(d.doc_id)
    reported = {frozenset(p) for g in groups.values() for p in itertools.combinations(sorted(g), 2)}
    precision = len(reported & listed) / len(reported)
    print(f"BBC: exact groups {found_exact}/{len(exact)}, recall {recall:.3f} of {len(gold)} pairs, "
          f"precision {precision:.3f} of {len(reported)} pairs")
    check_gate("dedup.bbc.exact_groups_found", found_exact / len(exact))
    check_gate("dedup.bbc.pair_recall", recall)
    check_gate("dedup.bbc.pair_precision", precision)

