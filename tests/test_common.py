"""The shared modules: one text fold, one set of stopword lists, one place for dates."""
from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from tasks.common.dates import parse_date, parse_datetime
from tasks.common.stopwords import FUNCTION_WORDS, LINE_STOPWORDS, NEWS_STOPWORDS
from tasks.common.text import fold, normalise_for_key


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_fold_ignores_accents_quotes_dashes_case_and_spacing():
    assert fold("  Mevlüt  Çavuşoğlu’s “view” — ok\u00a0") == fold("mevlut cavusoglu's \"view\" - ok")
    assert fold("Istanbul") == fold("ıstanbul") and fold(None) == ""


def test_key_words_ignore_punctuation_only():
    assert normalise_for_key("Hello,  World! ﬁne") == "hello world fine"


def test_stopword_lists_nest():
    assert LINE_STOPWORDS < FUNCTION_WORDS < NEWS_STOPWORDS


def test_story_terms_use_the_shared_news_list():
    from tasks.dedup import stories

    assert stories.STOPWORDS == NEWS_STOPWORDS


def test_absolute_dates():
    assert parse_date("Published FEBRUARY 17, 2020 at 3:45 pm") == datetime(2020, 2, 17, 15, 45)
    assert parse_date("29th Dec 2020") == datetime(2020, 12, 29)
    assert parse_date("no date here") is None
    assert parse_datetime("2020-02-17T10:00:00Z") == datetime(2020, 2, 17, 10)
    assert parse_datetime(1581933600) == datetime(2020, 2, 17, 10)
    assert parse_datetime("Mon, 17 Feb 2020 10:00:00 +0100") == datetime(2020, 2, 17, 9)
    assert parse_datetime("not a date") is None
