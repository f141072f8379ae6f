"""Quality gates pinned at the measured figure (as trafilatura's `tests/eval_gate.py` keeps them).

`tests/gates.json` holds one entry per figure: the value measured on a shared dev corpus, the
corpus it was measured on with its digest, a small epsilon and whether higher or lower is better.
`check_gate(name, measured)` fails when the figure is worse than the recorded value by more than
epsilon. When it is better by more than epsilon, the recorded value is raised in the file
(commit it): floors only go up by themselves. Lowering one is an explicit edit of gates.json, with
the reason in the commit message.

A gate whose corpus is missing is skipped (a user's machine has no `../shared/corpora`); a gate
whose corpus digest changed fails, naming it: figures on another corpus are not comparable.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

GATES_FILE = Path(__file__).with_name("gates.json")
SHARED = Path(os.environ.get("NEWSDAG_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
CORPORA = SHARED / "corpora"


def load_gates() -> dict[str, dict]:
    return json.loads(GATES_FILE.read_text(encoding="utf-8"))


def corpus_digest(path: Path) -> str:
    """sha256 of a corpus file, or of every file under a corpus folder (sorted by path)."""
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for p in files:
        h.update(str(p.relative_to(path)).encode() if path.is_dir() else b"")
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return "sha256:" + h.hexdigest()[:16]


def gate_corpus(name: str) -> Path:
    """The corpus path of a gate; skips the test when it is absent."""
    gate = load_gates()[name]
    path = CORPORA / gate["corpus"] if gate.get("corpus") else None
    if path is not None and not path.exists():
        pytest.skip(f"{name}: corpus {path} not present")
    return path


def check_gate(name: str, measured: float) -> None:
    """Fail when `measured` is worse than the gate by more than its epsilon; raise the gate
    (rewrite gates.json) when it is better by more than epsilon."""
    gates = load_gates()
    assert name in gates, f"no gate named {name!r} in {GATES_FILE}"
    gate = gates[name]
    if gate.get("corpus"):
        path = gate_corpus(name)
        digest = corpus_digest(path)
        assert digest == gate["digest"], (
            f"{name}: corpus {path} changed ({digest} != {gate['digest']}); re-measure and edit gates.json")
    value, eps = float(gate["value"]), float(gate.get("epsilon", 0.005))
    higher = gate.get("better", "higher") == "higher"
    worse = measured < value - eps if higher else measured > value + eps
    assert not worse, (f"gate {name}: measured {measured:.4f}, recorded {value:.4f} "
                       f"({'-' if higher else '+'}{eps} allowed) on {gate.get('corpus')}")
    better = measured > value + eps if higher else measured < value - eps
    if better and os.environ.get("NEWSDAG_GATES_READONLY") != "1":
        gates = load_gates()  # re-read: another test may have raised a gate meanwhile
        gates[name]["value"] = round(measured, 4)
        GATES_FILE.write_text(json.dumps(gates, indent=2, sort_keys=True) + "\n", encoding="utf-8")
