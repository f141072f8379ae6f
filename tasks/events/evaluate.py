"""Scoring events the way the project is measured, in process (used by tests, calibration and
the dev loop).

`gsr_predictions(units)` parses the PLOVER gold-standard sentences (one sentence = one document,
as `../shared/tools/score_events.py` ingests them), extracts and links their events with the
stage's own code, and returns the scorer's prediction structure; `score_gsr()` scores it with the
shared scorer's own functions (imported from `../shared/tools/score_events.py`, never copied).
The figures match the scorer's run of `newsdag ingest` up to the cleaner, which this skips (it
rejects two of the 158 dev sentences; they count as misses in both).

    .venv/bin/python -m tasks.events.evaluate [--examples N] [--json]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SCORER = SHARED / "tools" / "score_events.py"
GSR_DEV = SHARED / "corpora" / "events-dev" / "gsr_dev.jsonl"
BBC = SHARED / "corpora" / "bbc-news" / "bbc-news.jsonl"
VIOLENT = ("ASSAULT", "THREATEN", "COERCE", "MOBILIZE")
# The BBC corpus has no dates; its articles are from 2004-2005. The dated-share figure gives every
# article this publication date, as an ingest of dated news would (measurement assumption).
BBC_PUBLISHED = "2005-03-01T09:00:00"


@lru_cache(maxsize=1)
def scorer():
    """The shared scorer as a module (None when ../shared is absent)."""
    if not SCORER.exists():
        return None
    spec = importlib.util.spec_from_file_location("score_events", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def parse_units(units: list[dict], config=None) -> list:
    """ParsedDoc per unit (doc_id = the unit key), published_at from the unit when given."""
    from tasks.nlp import NlpConfig, parse_batch

    config = config or NlpConfig(n_process=1)
    items = [{"doc_id": u["key"], "clean_text": u["text"], "published_at": u.get("published_at"),
              "site": u.get("site"), "title": None} for u in units]
    return parse_batch(items, config=config)


def predictions(parsed: list, config=None) -> tuple[dict, dict]:
    """(pred, rows): the scorer's structure {key: {type: {actor, target, other}}} built from the
    rows `link_batch` writes, and those rows. Like the scorer's `read_predictions`: an event's
    arguments are listed on every sentence that mentions it; a target of an event reported in
    several documents counts only where its name occurs in the sentence."""
    from tasks.nlp import NlpConfig, NlpState, link_batch

    rows = link_batch(parsed, NlpState.from_rows({}), config or NlpConfig(n_process=1))
    etype = {r["event_id"]: r["event_type"] for r in rows["event_records"]}
    args: dict[str, list[dict]] = {}
    for a in rows["event_arguments"]:
        args.setdefault(a["event_id"], []).append(a)
    docs: dict[str, set] = {}
    for m in rows["event_mentions"]:
        docs.setdefault(m["event_id"], set()).add(m["doc_id"])
    pred: dict = {}
    for m in rows["event_mentions"]:
        slot = pred.setdefault(m["doc_id"], {}).setdefault(etype[m["event_id"]], {"actor": [], "target": [], "other": []})
        low = (m["sentence"] or "").lower()
        for a in args.get(m["event_id"], []):
            if a["role"] == "target" and len(docs[m["event_id"]]) > 1 and a["name"].lower() not in low:
                continue
            slot[a["role"] if a["role"] in ("actor", "target") else "other"].append(a["name"])
    return pred, rows


def load_units(path: Path = GSR_DEV) -> list[dict]:
    return scorer().load_gsr(str(path))


def score_gsr(path: Path = GSR_DEV, examples: dict | None = None, config=None) -> dict:
    """The scorer's figures (its `figures()` dict) for the stage's events on a GSR file."""
    sc = scorer()
    units = load_units(path)
    pred, _ = predictions(parse_units(units, config), config)
    r = sc.score(units, pred, None, examples)
    r["n"], r["gold_events"] = len(units), sum(len(u["gold"]) for u in units)
    r["ok_n"], r["ok_f1"], r["status"] = len(units), r["prf"][2], {"ok": len(units)}
    r["trade"] = sum(1 for u in units for t in pred.get(u["key"], {}) if t == "TRADE")
    return sc.figures(r)


def bbc_articles(category: str, path: Path = BBC) -> list[dict]:
    """The BBC articles of one category as NLP items (body without the headline)."""
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(ln) for ln in f if ln.strip()]
    return [{"doc_id": r["id"], "clean_text": r["text"], "published_at": None, "site": "bbc", "title": r["title"]}
            for r in rows if r["category"] == category]


def bbc_figures(path: Path = BBC, config=None) -> dict:
    """Violent and coercive events (ASSAULT, THREATEN, COERCE, MOBILIZE) per 100 BBC sport
    articles, and the share of events dated on BBC politics ingested with a publication date
    (BBC_PUBLISHED on every article: the corpus has none). Events as the warehouse keeps them:
    linked, at or above the stage's minimum confidence."""
    from tasks.nlp import NlpConfig, NlpState, link_batch, parse_batch

    config = config or NlpConfig(n_process=1)
    sport = bbc_articles("sport", path)
    rows = link_batch(parse_batch(sport, config), NlpState.from_rows({}), config)
    violent = [r for r in rows["event_records"] if r["event_type"] in VIOLENT]
    politics = [dict(it, published_at=BBC_PUBLISHED) for it in bbc_articles("politics", path)]
    prow = link_batch(parse_batch(politics, config), NlpState.from_rows({}), config)
    events = prow["event_records"]
    dated = [r for r in events if r["event_date"] is not None]
    return {"sport_articles": len(sport), "sport_violent_events": len(violent),
            "sport_violent_per_100": round(100 * len(violent) / max(1, len(sport)), 3),
            "sport_violent_by_type": {t: sum(1 for r in violent if r["event_type"] == t) for t in VIOLENT},
            "politics_articles": len(politics), "politics_events": len(events),
            "politics_dated_share": round(len(dated) / max(1, len(events)), 4),
            "politics_date_sources": {s: sum(1 for r in events if r.get("date_source") == s) for s in ("text", "published", "document", None)}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(GSR_DEV))
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--bbc", action="store_true", help="the BBC figures instead (sport violent events, politics dated share)")
    a = ap.parse_args(argv)
    if a.bbc:
        print(json.dumps(bbc_figures(), indent=1))
        return 0
    if scorer() is None:
        print(f"no scorer at {SCORER}")
        return 0
    ex: dict = {"type": [], "actor": [], "target": []}
    fig = score_gsr(Path(a.gold), ex)
    if a.json:
        print(json.dumps(fig, indent=1))
        return 0
    if a.examples:
        for ln in scorer().example_lines(ex, {"type": a.examples, "actor": a.examples, "target": a.examples}):
            print(ln)
    print("per type (gold: tp/fp/fn): " + ", ".join(f"{t} {c['gold']}: {c['tp']}/{c['fp']}/{c['fn']}" for t, c in fig["per_type"].items()))
    print(f"type F1 {fig['type_f1']:.3f} (P {fig['type_p']:.3f} R {fig['type_r']:.3f}); actor {fig['actor_acc']:.3f} "
          f"(n {fig['actor_n']}); target {fig['target_acc']:.3f} (n {fig['target_n']}); keyword F1 {fig['baseline_keyword_type_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
