"""Non-English text is recognised offline, recorded, and kept from the English-only NLP."""
from __future__ import annotations

import pytest

from tasks.nlp.config import NlpConfig
from tasks.nlp.language import Detected, detect_language, skip_reason
from tasks.records import Document

EN = ("Turkish Foreign Minister Mevlut Cavusoglu said on Monday that Ankara would not step back from "
      "the purchase of the Russian S-400 air defence system despite the threat of sanctions.")
RU = ("Министр иностранных дел России Сергей Лавров заявил в понедельник, что Москва и Анкара "
      "продолжат сотрудничество в области военно-технического сотрудничества.")
ZH = "中华人民共和国外交部发言人在例行记者会上表示，中方愿同各方一道，继续推动政治解决进程，维护地区和平稳定。"
DE = ("Der türkische Außenminister sagte am Montag, Ankara werde trotz der drohenden Sanktionen nicht "
      "vom Kauf des russischen Luftabwehrsystems zurücktreten.")


@pytest.mark.parametrize("text, lang", [(EN, "en"), (RU, "ru"), (ZH, "zh"), (DE, "de")])
def test_detects_the_language_and_skips_all_but_english(text, lang):
    detected = detect_language(text)
    assert detected.language == lang
    assert (skip_reason(detected, ("en",), 0.9) is None) == (lang == "en")


def test_too_little_text_has_no_language_and_is_parsed():
    assert detect_language("Lavrov met him.") == Detected(None, 0.0, 1.0)
    assert skip_reason(detect_language("Lavrov met him."), ("en",), 0.9) is None


def test_only_confident_other_languages_or_other_scripts_are_skipped():
    assert skip_reason(Detected("ru", 0.99, 0.0), ("en",), 0.9).startswith("language ru (0.99)")
    assert skip_reason(Detected("fr", 0.6, 1.0), ("en",), 0.9) is None  # unsure, Latin script: parse it
    assert skip_reason(Detected("zh", 0.6, 0.0), ("en",), 0.9) is not None  # not the model's script
    assert skip_reason(Detected("en", 1.0, 1.0), ("en",), 0.9) is None
    assert skip_reason(Detected("ru", 1.0, 0.0), (), 0.9) is None  # a multilingual model: parse everything


@pytest.mark.slow
def test_other_languages_are_recorded_and_not_parsed():
    from tasks.nlp.parse import note_outcomes, parse_batch

    items = [{"doc_id": k, "clean_text": t, "published_at": None, "site": None} for k, t in
             (("en", EN), ("ru", RU), ("zh", ZH))]
    parsed = parse_batch(items, NlpConfig(n_process=1))
    by_id = {p.doc_id: p for p in parsed}
    assert by_id["en"].language == "en" and by_id["en"].mentions and "nlp_skipped" not in by_id["en"].notes
    for k in ("ru", "zh"):
        assert by_id[k].language == k and not by_id[k].mentions and not by_id[k].events
        assert by_id[k].notes["nlp_skipped"].startswith(f"language {k}")
    docs = [Document(doc_id=k, source_uri=k, raw_text="") for k in ("en", "ru", "zh")]
    note_outcomes(docs, parsed)
    assert [d.language for d in docs] == ["en", "ru", "zh"] and "nlp_skipped" in docs[1].notes["nlp"]
