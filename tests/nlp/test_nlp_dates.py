from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from tasks.common.dates import PartialDate, combine, compatible, find_dates, reference_year

PUB = datetime(2020, 2, 17, 15, 45)  # a Monday


def values(text, published_at=PUB, ref_year=None):
    return [(d.text, d.value) for d in find_dates(text, published_at, ref_year)]


def test_weekday_is_the_most_recent_on_or_before_publication():
    assert values("He spoke on Saturday.") == [("on Saturday", PartialDate(2020, 2, 15))]
    assert values("He spoke on Monday.") == [("on Monday", PartialDate(2020, 2, 17))]
    assert values("Tuesday’s talks") == [("Tuesday’s", PartialDate(2020, 2, 11))]


def test_relative_month_and_year_have_coarser_precision():
    (_, month), = values("killed earlier this month")
    (_, year), = values("since last year")
    assert (month, month.precision) == (PartialDate(2020, 2), "month")
    assert (year, year.precision) == (PartialDate(2019), "year")


def test_explicit_dates_take_the_year_from_publication_or_the_text():
    assert values("in December 2017") == [("December 2017", PartialDate(2017, 12))]
    assert values("On December 29th") == [("December 29th", PartialDate(2019, 12, 29))]  # after Feb 17: last year
    assert values("On December 29th", published_at=None, ref_year=2020) == [("December 29th", PartialDate(2020, 12, 29))]
    assert values("On December 29th", published_at=None) == [("December 29th", PartialDate(None, 12, 29))]


def test_without_an_anchor_relative_dates_stay_partial_or_unknown():
    assert values("on Tuesday (29 December)", published_at=None) == [("Tuesday (29 December)", PartialDate(None, 12, 29, 1))]
    assert values("earlier this month", published_at=None) == []
    said, same_day = values("He said on Saturday. Earlier in the day, he met her.", published_at=None)
    assert same_day[1] == said[1] == PartialDate(weekday=5)


def test_reference_year_is_the_most_frequent_explicit_year():
    assert reference_year("in 2020 and 2019, in 2020, $2021 million") == 2020
    assert reference_year("no year here") is None


partial = st.builds(
    PartialDate,
    year=st.one_of(st.none(), st.integers(2018, 2021)),
    month=st.one_of(st.none(), st.integers(1, 12)),
    day=st.one_of(st.none(), st.integers(1, 28)),
    weekday=st.one_of(st.none(), st.integers(0, 6)),
)


@given(partial, partial)
def test_compatibility_is_symmetric_and_combining_keeps_both(a, b):
    assert compatible(a, b) == compatible(b, a)
    if compatible(a, b):
        c = combine(a, b)
        assert compatible(c, a) and compatible(c, b)
