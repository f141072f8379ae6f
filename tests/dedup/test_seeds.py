"""The five sample articles: no duplicates; a re-formatted copy is an exact duplicate and a copy
with one sentence changed a near duplicate (their two stories: tests/stories/test_seeds_stories.py)."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
from dedup_support import SAMPLE, make_doc

from tasks.clean import CleanConfig, CleanState, clean_step
from tasks.dedup import DedupState, deduplicate_batch
from tasks.records import DUPLICATE, OK, Document

# Publication dates as the articles state them (the flow gets them from the cleaner or the feed):
# 000 "February 17, 2020"; 003 Sputnik, Munich Security Conference "on Saturday" = 15 Feb 2020;
# 001 the House overrode the veto "on Monday" = 28 Dec 2020; 002 "On December 30th"; 004 "21st Jan 2021".
DATES = {
    "000": datetime(2020, 2, 17), "003": datetime(2020, 2, 15), "001": datetime(2020, 12, 29),
    "002": datetime(2020, 12, 31), "004": datetime(2021, 1, 21),
}


def sample_docs(clean: bool) -> list[Document]:
    docs = [Document(doc_id=p.name[:3], source_uri=p.name, raw_text=p.read_text(encoding="utf-8"))
            for p in sorted(SAMPLE.glob("*.txt"))]
    if clean:
        docs, _ = clean_step(docs, CleanState(), CleanConfig())
    else:
        for d in docs:
            d.clean_text = d.raw_text
    for d in docs:
        d.published_at = d.published_at or DATES[d.doc_id]
    return docs


@pytest.mark.parametrize("clean", [False, True], ids=["raw", "cleaned"])
def test_samples_are_not_duplicates(clean):
    docs = sample_docs(clean)
    rows = deduplicate_batch(docs, state=DedupState())
    assert rows["duplicates"] == [] and all(d.status == OK for d in docs)
    assert len({d.content_hash for d in docs}) == 5


def test_reformatted_copy_is_exact_and_edited_copy_is_near():
    docs = sample_docs(clean=False)
    body = docs[0].clean_text
    reformatted = make_doc("copy", "  " + re.sub(r"\s+", "\n ", body.upper()).replace(",", " ;") + " !!")
    sentences = body.split(". ")
    sentences[5] = "Officials in Ankara declined to comment further on the timing of the deliveries"
    edited = make_doc("edited", ". ".join(sentences))
    state = DedupState()
    deduplicate_batch(docs, state=state)
    rows = deduplicate_batch([reformatted, edited], state=state)
    assert (reformatted.status, reformatted.status_reason, reformatted.duplicate_of) == (DUPLICATE, "exact", "000")
    assert (edited.status, edited.status_reason, edited.duplicate_of) == (DUPLICATE, "near", "000")
    near = [r for r in rows["duplicates"] if r["method"] == "near"]
    assert len(near) == 1 and 0.8 <= near[0]["similarity"] < 1.0
    print("near-duplicate similarity of the edited copy:", near[0]["similarity"])
