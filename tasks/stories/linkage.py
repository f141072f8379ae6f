"""Average-link clustering of one component, deterministic for a given set of documents."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np


def components(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components (each sorted), in order of their smallest member."""
    parent: dict[str, str] = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for n in sorted(parent):
        groups.setdefault(find(n), []).append(n)
    return sorted(groups.values(), key=lambda g: g[0])


def average_link(members: list[str], scores: Mapping[tuple[str, str], float], threshold: float,
                 groups: Mapping[str, str] | None = None) -> list[list[str]]:
    """Clusters of `members` by average link: the two clusters with the highest mean pair score
    merge while that mean is at least `threshold`. A pair missing from `scores` (keyed (a, b)
    with a < b) scores 0. `groups` optionally maps members to a group that starts as one cluster.

    Ties go to the pair of clusters whose smallest members sort first, so the result depends
    only on the members and their scores, never on the order they were given in.
    """
    groups = groups or {}
    initial: dict[str, list[str]] = {}
    for m in sorted(members):
        initial.setdefault(groups.get(m, m), []).append(m)
    clusters = sorted(initial.values(), key=lambda c: c[0])
    k = len(clusters)
    if k < 2:
        return clusters
    index = {m: i for i, c in enumerate(clusters) for m in c}
    # integer micro-units: sums are exact whatever order the scores come in
    sums = np.zeros((k, k), dtype=np.int64)
    for (a, b), s in scores.items():
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None and i != j:
            sums[i, j] += round(s * 1e6)
            sums[j, i] += round(s * 1e6)
    sizes = np.array([len(c) for c in clusters], dtype=float)
    mean = sums / (np.outer(sizes, sizes) * 1e6)
    np.fill_diagonal(mean, -1.0)
    alive = np.ones(k, dtype=bool)
    for _ in range(k - 1):
        flat = int(np.argmax(mean))
        i, j = divmod(flat, k)
        if mean[i, j] < threshold - 1e-9:
            break
        i, j = min(i, j), max(i, j)
        clusters[i] = sorted(clusters[i] + clusters[j])
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = 0
        sizes[i] += sizes[j]
        alive[j] = False
        # only row and column i change: the means of cluster i with every live cluster
        row = np.where(alive, sums[i, :] / (sizes[i] * sizes * 1e6), -1.0)
        row[i] = -1.0
        mean[i, :] = row
        mean[:, i] = row
        mean[j, :] = -1.0
        mean[:, j] = -1.0
    return sorted((clusters[i] for i in range(k) if alive[i]), key=lambda c: c[0])
