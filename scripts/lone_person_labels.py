"""What a one-word PERSON mention that no person of its story is named by really is, on CoNLL-2003 dev.

`entities.doubt_lone_persons` relabels such a mention ("Everton", "Yukos", "Surrey 429-7"). This
script measures the evidence for it on the hand-labelled CoNLL-2003 dev stories
(../shared/corpora/ner-dev/, read only here): each story's text is parsed as newsdag parses a
document (the configured model, `MentionIndex`), and for every mention the rule relabels it
prints the gold label at the same span, by the branch of the rule that chose the new label (the
document's own label for the name, demonym, after a place preposition, the default ORG) and by
half of the stories (even and odd story number), so that a choice made on one half can be read
on the other. "none" is a span gold does not label.

    .venv/bin/python scripts/lone_person_labels.py [--gold ../shared/corpora/ner-dev/conll2003_dev.jsonl]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV_GOLD = ROOT.parent / "shared" / "corpora" / "ner-dev" / "conll2003_dev.jsonl"
CONLL = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG", "NORP": "MISC"}


def branch(m, text: str, others: set[str]) -> str:
    """Which branch of `doubt_lone_persons` chose the mention's new label."""
    from tasks.nlp.entities import fold

    if fold(m.canon) in others:
        return "same name elsewhere"
    if m.canon_label == "NORP":
        return "demonym"
    return "after in/at/from/near" if m.canon_label == "GPE" else "default ORG"


def table(gold_path: Path) -> Counter:
    """Counter of (half, branch, new label, gold label) over the relabelled mentions."""
    from tasks.nlp.config import NlpConfig
    from tasks.nlp.document import ParsedText
    from tasks.nlp.entities import Lexicon, fold
    from tasks.nlp.mentions import MentionIndex
    from tasks.nlp.model import load_model
    from tasks.nlp.parse import split_chunks

    config = NlpConfig(n_process=1)
    nlp = load_model(config)
    lexicon = Lexicon.from_config(config)
    stories = [json.loads(ln) for ln in gold_path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    out: Counter = Counter()
    for k, d in enumerate(stories):
        text = d["text"]
        pieces = split_chunks(text, config.max_chars)
        chunks = list(zip([o for o, _ in pieces], nlp.pipe([c for _, c in pieces])))
        index = MentionIndex(ParsedText(text, chunks), config, lexicon)
        gold = {(x["start"], x["end"]): x["label"] for x in d["entities"]}
        others = {fold(m.canon) for m in index.mentions if m.label != "PERSON"}
        for m in index.mentions:
            if m.lone_word:
                out[k % 2, branch(m, text, others), CONLL.get(m.canon_label, m.canon_label), gold.get((m.start, m.end), "none")] += 1
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEV_GOLD)
    a = ap.parse_args(argv)
    if not a.gold.exists():
        sys.exit(f"no CoNLL dev stories at {a.gold}")
    counts = table(a.gold)
    for half in (0, 1):
        print(f"stories of half {half} ({'even' if half == 0 else 'odd'} numbers): relabelled one-word PERSON mentions")
        for br in ("same name elsewhere", "demonym", "after in/at/from/near", "default ORG"):
            cells = {(lab, g): n for (h, b, lab, g), n in counts.items() if h == half and b == br}
            if not cells:
                continue
            new = sorted({lab for lab, _ in cells})
            by_gold = Counter()
            for (_, g), n in cells.items():
                by_gold[g] += n
            right = sum(n for (lab, g), n in cells.items() if lab == g)
            print(f"  {br:22s} new label {'/'.join(new):8s} gold: " + ", ".join(f"{g} {n}" for g, n in by_gold.most_common())
                  + f"  (new label right {right}, PER right before {by_gold['PER']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
