"""NLP bounded per document: a long text is cut off at its time bound and says so; the lookups
that made extraction superlinear (a span list scanned per candidate) answer the same in log time."""
from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest

from tasks.common.dates import find_dates, nearest_date
from tasks.nlp.deadline import NlpTimeout, time_limit
from tasks.common.spans import SpanSet
from tasks.records import Document

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_time_limit_stops_a_runaway_loop_and_never_fires_late():
    started = time.perf_counter()
    with pytest.raises(NlpTimeout):
        with time_limit(0.3):
            while True:
                sum(range(100))
    assert time.perf_counter() - started < 2
    with time_limit(0.2):
        total = sum(range(1000))
    time.sleep(0.4)  # a timer that was cancelled raises nothing afterwards
    assert total == 499500


def test_time_limit_works_in_a_worker_thread():
    seen = []

    def work():
        try:
            with time_limit(0.2):
                while True:
                    pass
        except NlpTimeout:
            seen.append("timeout")

    t = threading.Thread(target=work)
    t.start()
    t.join(10)
    assert seen == ["timeout"]


def test_extraction_over_its_bound_is_an_nlp_timeout_not_a_failed_batch(monkeypatch):
    from tasks.nlp import parse
    from tasks.nlp.config import NlpConfig

    def forever(*args, **kwargs):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(parse, "extract_document", forever)
    item = {"doc_id": "d1", "clean_text": "Text.", "published_at": None, "site": None}
    started = time.perf_counter()
    parsed = parse.extract_bounded(item, [], NlpConfig(doc_timeout_s=0.5), None, {}, None, 0.5, {})
    assert time.perf_counter() - started < 5
    assert parsed.error == "nlp_timeout" and parsed.notes["nlp_timeout"]["phase"] == "extract"
    doc = Document(doc_id="d1", source_uri="x", raw_text="Text.")
    parse.note_outcomes([doc], [parsed])
    assert doc.notes["nlp"]["nlp_timeout"] == {"phase": "extract", "limit_s": 0.5} and "nlp_error" not in doc.notes


def test_span_set_answers_as_the_list_scan_did():
    rng = random.Random(7)
    for _ in range(500):
        taken: list[tuple[int, int]] = []
        spans = SpanSet()
        for _ in range(rng.randint(0, 40)):
            s = rng.randint(0, 200)
            e = s + rng.randint(1, 15)
            assert spans.overlaps(s, e) == any(s < te and ts < e for ts, te in taken)
            if rng.random() < 0.6:
                taken.append((s, e))
                spans.add(s, e)


def test_nearest_date_in_a_window_equals_the_full_scan():
    text = " ".join(f"On {d} January 2020 the talks went on; on Tuesday they stopped." for d in range(1, 29)) * 3
    dates = find_dates(text, None, 2020)
    starts = [d.start for d in dates]
    rng = random.Random(3)
    for _ in range(300):
        a = rng.randint(0, len(text))
        b = a + rng.randint(0, 400)
        pos = rng.randint(a, b)
        assert nearest_date(dates, a, b, pos, starts) == nearest_date(dates, a, b, pos)


@pytest.mark.slow
def test_a_long_entity_dense_document_is_cut_at_its_bound_and_says_so():
    from tasks.nlp.config import NlpConfig
    from tasks.nlp.model import load_model
    from tasks.nlp.parse import parse_batch

    paras = [p for f in sorted(SAMPLE.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n")
             if sum(w[:1].isupper() for w in p.split()) >= 5]
    text = ("\n".join(paras) + "\n") * 60  # ~500,000 characters, 25 chunks: minutes unbounded
    config = NlpConfig(n_process=1, doc_timeout_s=4)
    load_model(config)
    started = time.perf_counter()
    (parsed,) = parse_batch([{"doc_id": "long", "clean_text": text, "published_at": None, "site": None}], config)
    elapsed = time.perf_counter() - started
    cut = parsed.notes["nlp_timeout"]
    assert cut["phase"] in ("parse", "extract") and cut["limit_s"] == 4
    if cut["phase"] == "parse":
        assert 0 < cut["parsed_chars"] < len(text) and parsed.mentions
        assert max(m.end for m in parsed.mentions) <= cut["parsed_chars"]
    assert elapsed < 4 + 20  # the bound plus one chunk's parse on a busy machine
