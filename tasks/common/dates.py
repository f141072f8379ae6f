"""Dates, all in one place: crawler date fields (`parse_datetime`), the first date written in a
line of a page (`parse_date`, for datelines), and date expressions in news text resolved against
the publication date (`find_dates`), with the month and weekday names they share.

A resolved date is a `PartialDate`: any of year, month, day and weekday may be unknown, so
"on Tuesday (29 December)" without a publication date still says *a Tuesday, 29 December*.
Two partial dates are compatible when every field known on both sides agrees; events merge on
that (an undated mention can join a dated event, a Saturday never joins a Tuesday).
"""
from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
                         "sat": 5, "sun": 6}

_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Ordered: the first pattern matching at a position wins (longest forms first).
# Ordered: the first pattern matching at a position wins (longest forms first). Month and
# weekday names are matched case-sensitively ("may 15" is not a date); the words around them
# are not.
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("wd_day_month", re.compile(rf"\b{_WD}\s*\(?(?i:the\s+)?(?P<day>\d{{1,2}}){_ORD}\s+(?i:of\s+)?{_MON}(?:,?\s+{_YEAR})?\)?")),
    ("wd_month_day", re.compile(rf"\b{_WD},?\s*\(?{_MON}\s+(?P<day>\d{{1,2}}){_ORD}(?:,?\s+{_YEAR})?\)?")),
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?i:of\s+)?{_MON}(?:,?\s+{_YEAR})?")),
    ("month_day", re.compile(rf"\b{_MON}\s+(?P<day>\d{{1,2}}){_ORD}\b(?:,?\s+{_YEAR})?")),
    ("month_year", re.compile(rf"\b{_MON}\s+(?i:of\s+)?{_YEAR}\b")),
    ("in_month", re.compile(rf"\b(?i:in|since|by|until|during|early|late|mid|earlier in|later in|end of|beginning of)\s+(?:-\s*)?{_MON}(?!\s+\d)")),
    ("in_year", re.compile(rf"\b(?i:in|since|during|of|by|until|mid-?|early|late)\s+{_YEAR}\b")),
    ("weekday", re.compile(rf"\b(?i:on|last|this|since|from|until|by|early|late)?\s*{_WD}(?:'s|’s)?\b")),
    ("yesterday", re.compile(r"\b(?:yesterday|today|tonight|the day before|the previous day)\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier|later)?\s*(?:this|last|next|the previous|the past) month\b|\bearlier in the month\b", re.I)),
    ("this_year", re.compile(r"\b(?:earlier|later)?\s*(?:this|last|next|the previous) year\b", re.I)),
    ("same_day", re.compile(r"\b(?:earlier|later) in the day\b|\b(?:the )?same day\b|\bthat day\b|\bearlier that day\b", re.I)),
]


@dataclass(frozen=True)
class PartialDate:
    """A date some of whose fields may be unknown; `precision` is that of what is known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 0 = Monday

    @property
    def precision(self) -> str | None:
        if self.year is None:
            return None
        if self.month is None:
            return "year"
        return "day" if self.day is not None else "month"

    @property
    def is_empty(self) -> bool:
        return self.year is None and self.month is None and self.day is None and self.weekday is None

    def as_date(self) -> date | None:
        """The first day of the known period; None without a year."""
        if self.year is None:
            return None
        return date(self.year, self.month or 1, self.day or 1)

    def fields(self) -> dict[str, int]:
        out = {k: v for k, v in (("year", self.year), ("month", self.month), ("day", self.day)) if v is not None}
        if self.weekday is not None:
            out["weekday"] = self.weekday
        elif self.year and self.month and self.day:
            out["weekday"] = date(self.year, self.month, self.day).weekday()
        return out

    def specificity(self) -> int:
        return {"day": 3, "month": 2, "year": 1}.get(self.precision or "", 0) * 2 + (self.weekday is not None or self.day is not None)


def compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    """True when nothing known on both sides disagrees (None and empty dates fit anything)."""
    if a is None or b is None:
        return True
    fa, fb = a.fields(), b.fields()
    return all(fa[k] == fb[k] for k in fa.keys() & fb.keys())


def combine(a: PartialDate | None, b: PartialDate | None) -> PartialDate | None:
    """The union of what two compatible dates know."""
    if a is None or a.is_empty:
        return b
    if b is None or b.is_empty:
        return a
    return PartialDate(
        year=a.year if a.year is not None else b.year,
        month=a.month if a.month is not None else b.month,
        day=a.day if a.day is not None else b.day,
        weekday=a.weekday if a.weekday is not None else b.weekday,
    )


def most_recent_weekday(anchor: date, weekday: int) -> date:
    """The latest `weekday` on or before `anchor` (news: "on Tuesday" is in the past)."""
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def reference_year(text: str) -> int | None:
    """The year a dateless article is most likely about: its most frequent explicit year.

    Used only to complete a day-and-month ("On December 29th") when there is no publication
    date; ties go to the later year.
    """
    years = Counter(int(y) for y in re.findall(r"(?<![\d$£€.,-])((?:19|20)\d\d)(?![\d%])", text))
    if not years:
        return None
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: PartialDate


def _month_year_for(month: int, day: int | None, anchor: date | None, ref_year: int | None) -> int | None:
    if anchor is not None:
        year = anchor.year
        # A date more than a few days after publication is last year's ("On December 29th"
        # in a January article).
        if date(year, month, min(day or 1, 28)) > anchor + timedelta(days=7):
            year -= 1
        return year
    return ref_year


def find_dates(text: str, published_at: datetime | date | None = None, ref_year: int | None = None) -> list[DateMention]:
    """All date expressions in `text`, resolved as far as the anchor allows.

    `published_at` anchors relative expressions ("on Tuesday", "earlier this month", "last
    year"); `ref_year` (see `reference_year`) completes day-month dates when there is no anchor.
    "Earlier in the day" and "the same day" take the value of the previous expression.
    """
    anchor = published_at.date() if isinstance(published_at, datetime) else published_at
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            if s >= e or any(s < te and ts < e for ts, te in taken):
                continue
            value = _resolve(kind, m, anchor, ref_year)
            if value is None:
                continue
            taken.append((s, e))
            found.append(DateMention(s, e, text[s:e], value))
    found.sort(key=lambda d: d.start)
    # "earlier in the day" = the day last mentioned
    out: list[DateMention] = []
    previous: PartialDate | None = None
    for d in found:
        if d.value.is_empty and d.text and re.search(r"day", d.text, re.I):
            if previous is None:
                continue
            d = replace(d, value=previous)
        out.append(d)
        if d.value.day is not None or d.value.weekday is not None:
            previous = d.value
    return out


def _resolve(kind: str, m: re.Match, anchor: date | None, ref_year: int | None) -> PartialDate | None:
    g = m.groupdict()
    text = m.group(0).lower()
    if kind == "iso":
        try:
            date(int(g["year"]), int(g["m"]), int(g["d"]))
        except ValueError:
            return None
        return PartialDate(int(g["year"]), int(g["m"]), int(g["d"]))
    if kind in ("wd_day_month", "wd_month_day", "day_month", "month_day"):
        month = MONTHS[g["mon"].lower().rstrip(".")]
        day = int(g["day"])
        if not 1 <= day <= 31:
            return None
        year = int(g["year"]) if g.get("year") else _month_year_for(month, day, anchor, ref_year)
        wd = WEEKDAYS[g["wd"].lower()] if g.get("wd") else None
        try:
            if year is not None:
                date(year, month, day)
        except ValueError:
            return None
        return PartialDate(year, month, day, wd)
    if kind == "month_year":
        return PartialDate(int(g["year"]), MONTHS[g["mon"].lower().rstrip(".")])
    if kind == "in_month":
        if g["mon"] == "May" and not re.match(r"(in|since|by|until|during)\s", text):
            return None  # "may" is mostly the verb
        month = MONTHS[g["mon"].lower().rstrip(".")]
        year = _month_year_for(month, None, anchor, ref_year)
        return PartialDate(year, month)
    if kind == "in_year":
        return PartialDate(int(g["year"]))
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"].lower()]
        if anchor is None:
            return PartialDate(weekday=wd)
        d = most_recent_weekday(anchor, wd)
        if text.startswith("last") and d == anchor:
            d -= timedelta(days=7)
        return PartialDate(d.year, d.month, d.day)
    if kind == "yesterday":
        if anchor is None:
            return None
        d = anchor if text in ("today", "tonight") else anchor - timedelta(days=1)
        return PartialDate(d.year, d.month, d.day)
    if kind == "this_month":
        if anchor is None:
            return None
        y, mth = anchor.year, anchor.month
        if "last" in text or "previous" in text or "past" in text:
            y, mth = (y, mth - 1) if mth > 1 else (y - 1, 12)
        elif "next" in text:
            y, mth = (y, mth + 1) if mth < 12 else (y + 1, 1)
        return PartialDate(y, mth)
    if kind == "this_year":
        if anchor is None:
            return None
        y = anchor.year - ("last" in text or "previous" in text) + ("next" in text)
        return PartialDate(y)
    if kind == "same_day":
        return PartialDate()  # filled from the previous expression
    return None


def nearest_date(dates: list[DateMention], start: int, end: int, pos: int) -> DateMention | None:
    """The date expression inside [start, end) closest to `pos` (a trigger's offset)."""
    inside = [d for d in dates if d.start >= start and d.end <= end and not d.value.is_empty]
    if not inside:
        return None
    return min(inside, key=lambda d: min(abs(d.start - pos), abs(d.end - pos)))


# -- absolute dates: crawler fields and datelines ----------------------------------------------

def parse_datetime(value: Any) -> datetime | None:
    """A crawler's date field (ISO text, epoch seconds or milliseconds, or any format
    python-dateutil reads) to a naive UTC datetime, or None."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        ts = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(ts, tz=timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        from dateutil import parser as dateparser

        try:
            dt = dateparser.parse(text)
        except (ValueError, OverflowError):
            return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


# Month names in any case ("FEBRUARY 17, 2020"), unlike `_MON` above: a dateline is a line of its own.
_ANY_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME = r"(?:(?:\s*(?:at|,|-|\||•)?\s*)(?P<h>\d{1,2})[:.](?P<mi>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_ABSOLUTE_PATTERNS = [
    re.compile(rf"\b{_ANY_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d){_TIME}", re.IGNORECASE),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_ANY_MON},?\s+(?P<y>(?:19|20)\d\d){_TIME}", re.IGNORECASE),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?:[T ](?P<h>\d\d):(?P<mi>\d\d))?"),
]


def parse_date(text: str) -> datetime | None:
    """The first date (and time, when given) written in `text`, as a naive datetime."""
    for pat in _ABSOLUTE_PATTERNS:
        m = pat.search(text)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["m"]) if g.get("m") else MONTHS.get(g["mon"].lower().rstrip("."))
        hour = int(g["h"]) if g.get("h") else 0
        minute = int(g["mi"]) if g.get("mi") else 0
        ampm = (g.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        try:
            return datetime(int(g["y"]), month, int(g["d"]), hour, minute)
        except (TypeError, ValueError):
            continue
    return None
