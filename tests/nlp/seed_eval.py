"""Seed quality figures of the NLP stage, computed like /work/shared/tools/score_seeds.py.

The gold `body_text` of each seed stands in for the cleaner's output, so this measures the NLP
stage alone. Run:  .venv/bin/python -m tests.nlp.seed_eval   (prints the figures as JSON)
"""
from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

from tasks.clean.evaluate import norm  # score_seeds.py's normalisation, kept in one place
from tasks.nlp import NlpConfig, NlpState, link_batch, parse_batch

SHARED = Path(os.environ.get("NEWSDAG_SHARED", "/work/shared"))
GOLD = SHARED / "gold"
FLOORS = {
    "entity_recall": 0.95, "entity_label_accuracy": 0.9, "alias_merge": 0.9, "quote_recall": 0.8,
    "quote_speaker_accuracy": 0.9, "event_recall": 0.83, "event_date_accuracy": 0.8, "event_document_coverage": 0.8,
}
LABEL_OK = {"PRODUCT": {"PRODUCT", "WEAPON"}, "GPE": {"GPE", "LOC"}, "ORG": {"ORG", "NORP"}}
TYPE_OK = {"CONSULT": {"CONSULT", "MEET"}, "ASSAULT": {"ASSAULT", "ATTACK"}, "TRADE": {"TRADE", "ACQUIRE", "PURCHASE"}}
# Publication dates the cleaner is expected to give (only 000 has a dateline).
PUBLISHED = {"000_6434d27c1471fe00.txt": datetime(2020, 2, 17, 15, 45)}




def seed_items() -> list[dict]:
    cleaning = json.loads((GOLD / "cleaning.json").read_text(encoding="utf-8"))["documents"]
    return [
        {"doc_id": f, "clean_text": g["body_text"], "published_at": PUBLISHED.get(f), "site": g.get("site"), "title": g.get("title")}
        for f, g in sorted(cleaning.items())
    ]


def score(rows: dict[str, list[dict]]) -> dict:
    """The entity, quote and event figures of score_seeds.py over link_batch rows (doc_id = file name)."""
    gold = json.loads((GOLD / "analysis.json").read_text(encoding="utf-8"))
    ents = {r["entity_id"]: r for r in rows["entities"]}
    out: dict = {}
    per_doc: dict[str, list[tuple]] = {}
    for m in rows["mentions"]:
        e = ents.get(m["entity_id"], {})
        per_doc.setdefault(m["doc_id"], []).append((m["entity_id"], norm(m["text"]), norm(e.get("name")), e.get("label")))
    found = total = label_ok = labelled = merged = 0
    misses = []
    for e in gold["entities"]:
        aliases = {norm(x) for x in e["aliases"]} | {norm(e["canonical"])}
        ids = set()
        for f in e["documents"]:
            total += 1
            hits = [m for m in per_doc.get(f, []) if m[1] in aliases or m[2] in aliases]
            found += bool(hits)
            if not hits:
                misses.append(f"entity {e['canonical']} in {f[:3]}")
            ids |= {m[0] for m in hits}
            for m in hits[:1]:
                labelled += 1
                ok = (m[3] or "") in LABEL_OK.get(e["label"], {e["label"]})
                label_ok += ok
                if not ok:
                    misses.append(f"label {e['canonical']} {m[3]} in {f[:3]}")
        merged += len(ids) == 1
        if len(ids) > 1:
            misses.append(f"split {e['canonical']} into {len(ids)}")
    out["entity_recall"] = round(found / total, 3)
    out["entity_label_accuracy"] = round(label_ok / max(1, labelled), 3)
    out["alias_merge"] = round(merged / len(gold["entities"]), 3)
    leaked = [f"{f[:3]}:{n}" for f, names in gold["boilerplate_only_names"].items() for n in names
              if any(norm(n) == m[1] or norm(n) == m[2] for m in per_doc.get(f, []))]
    out["boilerplate_names_leaked"] = len(leaked)
    aliases_of = {e["canonical"]: {norm(x) for x in e["aliases"]} | {norm(e["canonical"])} for e in gold["entities"]}
    qfound = qspeaker = 0
    for g in gold["quotes"]:
        start = norm(g["quote_starts_with"])[:40]
        hits = [r for r in rows["quotes"] if r["doc_id"] == g["document"] and start in norm(r["quote"])]
        qfound += bool(hits)
        ok = any(norm(r["speaker"]) in aliases_of[g["speaker"]] for r in hits)
        qspeaker += ok
        if not hits or not ok:
            misses.append(f"quote {g['document'][:3]} {start[:30]!r} speaker {[r['speaker'] for r in hits]}")
    out["quote_recall"] = round(qfound / len(gold["quotes"]), 3)
    out["quote_speaker_accuracy"] = round(qspeaker / max(1, qfound), 3)
    args: dict[str, set[str]] = {}
    for r in rows["event_arguments"]:
        args.setdefault(r["event_id"], set()).add(norm(r["name"]))
    edocs: dict[str, set[str]] = {}
    for r in rows["event_mentions"]:
        edocs.setdefault(r["event_id"], set()).add(r["doc_id"])
    records = {r["event_id"]: r for r in rows["event_records"]}  # the last upsert wins
    efound = edate = cover = cover_tot = 0
    for g in gold["events"]:
        people = g.get("actors") or [x for x in (g.get("actor"), g.get("target")) if x]
        gdocs = set(g["documents"])
        best = None
        for eid, r in records.items():
            if r["event_type"] not in TYPE_OK.get(g["type"], {g["type"]}):
                continue
            if not all(args.get(eid, set()) & aliases_of.get(p, {norm(p)}) for p in people):
                continue
            if not edocs.get(eid, set()) & gdocs:
                continue
            n = len(edocs[eid] & gdocs)
            if best is None or n > best[0]:
                best = (n, str(r["event_date"]) if r["event_date"] else None)
        cover_tot += len(gdocs)
        if best:
            efound += 1
            cover += best[0]
            ok = bool(best[1]) and best[1].startswith(g["date"])
            edate += ok
            if not ok or best[0] < len(gdocs):
                misses.append(f"event {g['type']} {people} date {best[1]} vs {g['date']}, docs {best[0]}/{len(gdocs)}")
        else:
            misses.append(f"event {g['type']} {people} not found")
    out["event_recall"] = round(efound / len(gold["events"]), 3)
    out["event_date_accuracy"] = round(edate / max(1, efound), 3)
    out["event_document_coverage"] = round(cover / cover_tot, 3)
    out["events_total"] = len(records)
    out["short"] = [k for k, v in FLOORS.items() if out[k] < v]
    out["misses"] = misses
    out["leaked"] = leaked
    return out


def state_rows(db: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """What STATE_QUERIES would return from a warehouse holding `db` (rows of earlier runs):
    the last upsert per primary key, label votes counted over mentions."""
    from collections import Counter

    last = lambda rows, key: list({r[key]: r for r in rows}.values())  # noqa: E731
    votes = Counter((m["entity_id"], m["label"]) for m in db.get("mentions", []))
    return {
        "entities": last(db.get("entities", []), "entity_id"),
        "entity_aliases": db.get("entity_aliases", []),
        "entity_label_votes": [{"entity_id": e, "label": lab, "n": n} for (e, lab), n in votes.items()],
        "event_keys": last(db.get("nlp_event_keys", []), "event_id"),
        "event_arguments": db.get("event_arguments", []),
        "event_mentions": db.get("event_mentions", []),
    }


def run(config: NlpConfig = NlpConfig()) -> dict:
    rows = link_batch(parse_batch(seed_items(), config=config), state=NlpState.from_rows({}), config=config)
    return score(rows)


if __name__ == "__main__":
    print(json.dumps(run(), indent=1, default=str))
    sys.exit(0)
