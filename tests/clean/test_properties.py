"""Hypothesis properties of the cleaner: idempotent on real articles, never empties a real article,
never crashes, and accounts for every non-blank line."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.clean import CleanConfig, CleanState, clean_batch, strip_boilerplate
from tasks.clean.text import body_text
from tasks.clean.evaluate import DEV, SHARED, load_seed_documents
from tasks.records import Document

CFG = CleanConfig()


def _real_articles() -> list[str]:
    """Cleaned bodies of the five samples and the dev corpus's gold bodies (where present)."""
    texts = []
    if (SHARED / "gold" / "cleaning.json").exists():
        docs, _, _ = load_seed_documents()
        clean_batch(docs, CFG, CleanState())
        texts += [d.clean_text for d in docs]
    if DEV.exists():
        truth = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
        texts += [v["articleBody"] for _, v in sorted(truth.items())][:40]
    return texts


ARTICLES = _real_articles()


def clean_one(text: str, config: CleanConfig = CFG) -> Document:
    doc = Document("d", "/x/d.txt", text)
    clean_batch([doc], config, CleanState())
    return doc


@pytest.mark.skipif(not ARTICLES, reason="../shared (samples, corpora) is absent")
def test_cleaning_a_cleaned_sample_changes_nothing():
    docs, _, _ = load_seed_documents()
    clean_batch(docs, CFG, CleanState())
    for d in docs:
        again = clean_one(d.clean_text)
        assert again.clean_text == d.clean_text, d.doc_id


@pytest.mark.skipif(not ARTICLES, reason="../shared (samples, corpora) is absent")
def test_never_drops_every_line_of_a_real_article():
    for text in ARTICLES:
        kept = strip_boilerplate(text, config=CFG).kept
        assert kept, text[:80]


@pytest.mark.skipif(not ARTICLES, reason="../shared (samples, corpora) is absent")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_idempotent_on_real_articles_and_their_parts(data):
    text = data.draw(st.sampled_from(ARTICLES))
    paras = [p for p in text.split("\n") if p.strip()]
    lo = data.draw(st.integers(0, max(len(paras) - 1, 0)))
    hi = data.draw(st.integers(lo + 1, len(paras)))
    once = strip_boilerplate("\n".join(paras[lo:hi]), config=CFG)
    body = body_text(once.lines)
    twice = strip_boilerplate(body, config=CFG)
    assert body_text(twice.lines) == body


line = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)


@settings(max_examples=150, deadline=None)
@given(st.lists(line, max_size=30))
def test_every_non_blank_line_is_kept_or_removed_with_a_reason(lines):
    text = "\n".join(lines)
    res = strip_boilerplate(text, config=CFG)
    raw = [(no, t) for x in res.lines for no, t in x.raw()]
    assert raw == [(i, s.strip()) for i, s in enumerate(text.split("\n"), 1) if s.strip()]
    assert all(x.reason for x in res.removed)
    assert all(x.text == " ".join(t for _, t in x.raw()) for x in res.lines)  # joined lines keep every word


@settings(max_examples=100, deadline=None)
@given(st.lists(line, max_size=20), st.sampled_from(["text", "html"]))
def test_clean_batch_never_raises_and_always_decides(lines, kind):
    doc = Document("d", "/x/d.txt", "\n".join(lines), content_type=kind)
    clean_batch([doc], CFG, CleanState())
    assert doc.status in {"ok", "rejected"}
    assert doc.is_ok == bool(doc.clean_text) or doc.status_reason in {"no_body", "clean_error"}
    assert doc.status_reason != "clean_error", doc.notes


@pytest.mark.skipif(not DEV.exists(), reason="../shared/corpora is absent")
def test_cleaning_twice_equals_cleaning_once_on_real_pages():
    pages = json.loads((DEV / "page-text.json").read_text(encoding="utf-8"))
    for k in sorted(pages):
        once = clean_one(pages[k]["articleBody"])
        if once.clean_text:
            assert clean_one(once.clean_text).clean_text == once.clean_text, k
