"""Dates as RCM documents write them, in English and Spanish.

Forms covered (with or without the year; ranges inside one month or across two):
"September 27 and 28, 2023", "from September 27 to 28, 2023", "August 23rd, 2023",
"25 - 26 September 2024", "08 June 2017", "07-08 September", "on 20 June", "April 24",
"30 September to 1 October 2024", "del 25 al 26 de septiembre de 2024", "8 de junio de 2017",
"25 y 26 de septiembre", "2023-09-27", "27/09/2023" (day first, as in the region), and the
partial forms "September 2018", "septiembre de 2018", "in 2024".

A year the text does not give is *not* invented here: :func:`find_dates` returns it open, and
:func:`with_year` completes it only when the caller knows the year for certain (see
:mod:`rcm_graph.stages.extraction.meetings` and ``commitments``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from rcm_graph.model.facts import DateValue, Span
from rcm_graph.stages.extraction.prefilter import quick
from rcm_graph.stages.reading import Segment

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "january jan enero ene",
        "february feb febrero",
        "march mar marzo",
        "april apr abril abr",
        "may mayo",
        "june jun junio",
        "july jul julio",
        "august aug agosto ago",
        "september sept sep septiembre setiembre",
        "october oct octubre",
        "november nov noviembre",
        "december dec diciembre dic",
    ),
    start=1,
):
    for _n in _names.split():
        MONTHS[_n] = _i

_MONTH = r"(?P<{name}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:\s?(?:st|nd|rd|th)\b|º|°)?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"
# Spanish links a year to its date with "de", "del", "de el año", "del año": "14 de agosto del
# año 2003", "7 de junio del 2012"
_OF_YEAR = r"(?:(?:de|del)\s+(?:(?:el\s+)?año\s+)?)?"
# the second end of a range may carry its weekday: "Tuesday, June 4, 2019 to Wednesday, June 5,
# 2019", "del martes 4 al miércoles 5 de junio"
_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|mi[eé]rcoles|"
    r"jueves|viernes|s[aá]bado|domingo),?\s+)?"
)
_RANGE = rf"\s*(?:-|–|—|to|and|through|al|a|y|hasta(?:\s+el)?)\s*{_WEEKDAY}"


def _m(n: str) -> str:
    return _MONTH.format(name=n)


def _d(n: str) -> str:
    return _DAY.format(name=n)


# the days between the first and the last of a list: "27, 28 y 29 de octubre", "June 3, 4 and 5"
_MIDDLE_DAYS = r"(?:,\s*(?:[0-2]?\d|3[01])(?!\d))*"


def _y(n: str) -> str:
    return _YEAR.format(name=n)


_PATTERNS: list[re.Pattern[str]] = [
    # both ends with their year: November 30, 1999 to December 2, 1999 ;
    # December 30, 2023 - January 2, 2024
    re.compile(
        rf"\b{_m('m1')}\s+{_d('d1')},?\s+{_y('y0')}{_RANGE}{_m('m2')}\s+{_d('d2')},?\s+{_y('y1')}",
        re.IGNORECASE,
    ),
    # 30 November 1999 to 2 December 1999 ; del 30 de diciembre de 2023 al 2 de enero de 2024
    re.compile(
        rf"\b(?:del\s+)?{_d('d1')}(?:\s+de)?\s+{_m('m1')},?\s+{_OF_YEAR}{_y('y0')}"
        rf"{_RANGE}(?:el\s+)?{_d('d2')}(?:\s+de)?\s+{_m('m2')},?\s+{_OF_YEAR}{_y('y1')}",
        re.IGNORECASE,
    ),
    # from the 4th to the 6th of November 2012 ; the 22nd and 23rd day of May
    re.compile(
        rf"\b(?:from\s+)?(?:the\s+)?{_d('d1')}{_RANGE}(?:the\s+)?{_d('d2')}\s+(?:days?\s+)?of\s+"
        rf"{_m('m1')}(?:,?\s+{_y('y1')})?",
        re.IGNORECASE,
    ),
    # the 30th of November to the 2nd of December 2022 ; the 14th day of June, 2022
    re.compile(
        rf"\b(?:the\s+)?{_d('d1')}\s+(?:day\s+)?of\s+{_m('m1')}(?:{_RANGE}(?:the\s+)?{_d('d2')}"
        rf"\s+(?:day\s+)?of\s+{_m('m2')})?(?:,?\s+{_y('y1')})?",
        re.IGNORECASE,
    ),
    # a los 14 días del mes de junio de 2022
    re.compile(
        rf"\b(?:a\s+los\s+)?{_d('d1')}\s+d[ií]as\s+del\s+mes\s+de\s+{_m('m1')}"
        rf"(?:\s+{_OF_YEAR}{_y('y1')})?",
        re.IGNORECASE,
    ),
    # ISO 2023-09-27
    re.compile(r"\b(?P<y1>(?:19|20)\d\d)-(?P<mn1>[01]\d)-(?P<d1>[0-3]\d)\b"),
    # 27/09/2023 (day first)
    re.compile(r"\b(?P<d1>[0-3]?\d)/(?P<mn1>[01]?\d)/(?P<y1>(?:19|20)\d\d)\b"),
    # 30 September to 1 October 2024 ; 30 de septiembre al 1 de octubre de 2024
    re.compile(
        rf"\b(?:del\s+)?{_d('d1')}(?:\s+de)?\s+{_m('m1')}{_RANGE}(?:el\s+)?{_d('d2')}(?:\s+de)?\s+"
        rf"{_m('m2')}(?:,?\s+{_OF_YEAR}{_y('y1')})?",
        re.IGNORECASE,
    ),
    # September 30 to October 1, 2024
    re.compile(
        rf"\b{_m('m1')}\s+{_d('d1')}{_RANGE}{_m('m2')}\s+{_d('d2')}(?:,?\s+{_y('y1')})?",
        re.IGNORECASE,
    ),
    # 25 - 26 September 2024 ; 07-08 September ; del 25 al 26 de septiembre de 2024
    re.compile(
        rf"\b(?:(?:del|los\s+días|los\s+dias)\s+)?{_d('d1')}{_MIDDLE_DAYS}{_RANGE}{_d('d2')}(?:\s+de)?\s+"
        rf"{_m('m1')}"
        rf"(?:,?\s+{_OF_YEAR}{_y('y1')})?",
        re.IGNORECASE,
    ),
    # September 27 and 28, 2023 ; September 27-28
    re.compile(
        rf"\b{_m('m1')}\s+{_d('d1')}{_MIDDLE_DAYS}{_RANGE}{_d('d2')}\b(?:,?\s+{_y('y1')})?",
        re.IGNORECASE,
    ),
    # 08 June 2017 ; 8 de junio de 2017 ; 20 June
    re.compile(
        rf"\b{_d('d1')}(?:\s+de)?\s+{_m('m1')}(?:,?\s+{_OF_YEAR}{_y('y1')})?", re.IGNORECASE
    ),
    # August 23rd, 2023 ; April 24
    re.compile(rf"\b{_m('m1')}\s+{_d('d1')}\b(?:,?\s+{_y('y1')})?", re.IGNORECASE),
    # September 2018 ; septiembre de 2018
    re.compile(rf"\b{_m('m1')}(?:,?\s+{_OF_YEAR}){_y('y1')}", re.IGNORECASE),
]
_HAS_DIGIT = re.compile(r"\d")
_YEAR_ONLY = re.compile(r"\b(?:in|en|of|de|for|para|during|durante)\s+(?P<y1>(?:19|20)\d\d)\b")


@dataclass(frozen=True)
class DateMatch:
    """A date or date range found in a segment; ``start``/``end`` index the clean text."""

    start: int
    end: int
    first: DateValue
    last: DateValue | None  # the end of a range


def _value(span: Span, year: int | None, month: int | None, day: int | None) -> DateValue | None:
    if month is not None and not 1 <= month <= 12:
        return None
    full: date | None = None
    if year and month and day:
        try:
            full = date(year, month, day)
        except ValueError:
            return None
    elif day is not None and month is not None:
        try:
            date(2000, month, day)  # a leap year accepts every real day
        except ValueError:
            return None
    return DateValue(value=full, span=span, year=year, month=month, day=day, uncertain=year is None)


def _month(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    return MONTHS.get(text.lower().rstrip("."))


def find_dates(segment: Segment) -> list[DateMatch]:
    """Every date expression of the segment, longest forms first, without overlaps."""
    text = segment.text
    if not _HAS_DIGIT.search(text):
        return []  # every form has a day or a year
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            match = _from_match(segment, m)
            if match:
                taken.append((m.start(), m.end()))
                found.append(match)
    found.extend(_days_of_the_month_before(segment, found, taken))
    for m in _YEAR_ONLY.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        span = segment.span(m.start("y1"), m.end("y1"))
        value = DateValue(value=None, span=span, year=int(m.group("y1")))
        found.append(DateMatch(m.start("y1"), m.end("y1"), value, None))
    return sorted(found, key=lambda d: d.start)


# "held the 13th and 14th", "el 13 y 14": days whose month a date before them in the sentence
# gives ("… on November 12, followed by the session held the 13th and 14th")
_BARE_DAYS = re.compile(
    r"\b(?:the\s+)?(?P<d1>[0-3]?\d)(?:st|nd|rd|th)(?:\s*(?:-|–|and|to)\s*(?:the\s+)?"
    r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th))?\b(?!\s+(?:of\s+|day|de\s+)?[A-Za-z]+\s*\d)"
)


def _days_of_the_month_before(
    segment: Segment, found: list[DateMatch], taken: list[tuple[int, int]]
) -> list[DateMatch]:
    out: list[DateMatch] = []
    for m in _BARE_DAYS.finditer(segment.text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        before = [d for d in found if d.end <= m.start() and (d.last or d.first).month]
        if not before:
            continue
        latest = max(before, key=lambda d: d.end)
        match = _bare_days(segment, m, latest.last or latest.first)
        if match is not None:
            out.append(match)
    return out


def _bare_days(segment: Segment, m: re.Match[str], prior: DateValue) -> DateMatch | None:
    """Bare days ("the 13th and 14th") in the month of ``prior``, after its day."""
    span = segment.span(m.start(), m.end())
    d1, d2 = int(m.group("d1")), int(m.group("d2")) if m.group("d2") else None
    if prior.month is None or (prior.day is not None and d1 <= prior.day):
        return None  # the days run on after the date that gives their month
    first = _value(span, prior.year, prior.month, d1)
    last = _value(span, prior.year, prior.month, d2) if d2 is not None else None
    if first is None or (d2 is not None and (last is None or d2 <= d1)):
        return None
    return DateMatch(m.start(), m.end(), first, last)


def days_within(segment: Segment, first: DateValue, last: DateValue) -> list[DateMatch]:
    """Bare days of a sentence with no month of its own ("the session was held the 13th and
    14th") that fall within a meeting's days ``first``..``last`` of one month: days of that
    meeting's month and year. Used for the parts of a meeting reported on."""
    if any(d.first.month for d in find_dates(segment)) or first.month != last.month:
        return []
    if first.day is None or last.day is None or first.month is None:
        return []
    day_before = replace(first, year=None, day=first.day - 1, value=None)
    out = []
    for m in _BARE_DAYS.finditer(segment.text):
        match = _bare_days(segment, m, day_before)
        if match is not None and ((match.last or match.first).day or 0) <= last.day:
            out.append(match)
    return out


_ABBREVIATED = {
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "ene",
    "abr",
    "ago",
    "dic",
}
_WORD_MONTHS = {"may", "march", "mar", "jan", "sep", "dec"}


def _from_match(segment: Segment, m: re.Match[str]) -> DateMatch | None:
    g = m.groupdict()
    for name in ("m1", "m2"):
        written = g.get(name)
        if written and written.rstrip(".") in _WORD_MONTHS:
            return None  # "may", "march" in lower case are verbs, not months
    year = int(g["y1"]) if g.get("y1") else None
    m1 = _month(g.get("m1") or g.get("mn1"))
    m2 = _month(g.get("m2")) or m1
    d1 = int(g["d1"]) if g.get("d1") else None
    d2 = int(g["d2"]) if g.get("d2") else None
    end = m.end()
    written = g.get("m2") or g.get("m1")
    if (
        segment.text[end - 1 : end] == "."
        and not year
        and written
        and written.lower().rstrip(".") not in _ABBREVIATED
    ):
        end -= 1  # "31 March." ends a sentence; "Nov." is an abbreviation
    span = segment.span(m.start(), end)
    # the first end has its own year only when both ends are written in full
    first = _value(span, int(g["y0"]) if g.get("y0") else year, m1, d1)
    if first is None:
        return None
    last = None
    if d2 is not None:
        last = _value(span, year, m2, d2)
        if last is None:
            return None
        if m2 == m1 and d1 is not None and d2 <= d1 and not g.get("y0"):
            return None  # "12 - 3 June" is not a range
        if first.value and last.value and last.value <= first.value:
            return None  # nor is a range that ends before it starts
    return DateMatch(m.start(), end, first, last)


def with_year(value: DateValue, year: int) -> DateValue:
    """Complete an open year that the caller knows for certain (marks it inferred)."""
    if value.year is not None:
        return value
    full = None
    if value.month and value.day:
        try:
            full = date(year, value.month, value.day)
        except ValueError:
            full = None
    return replace(value, year=year, value=full, year_inferred=True, uncertain=False)


def date_key(value: DateValue | None) -> str | None:
    """A comparable text key: ISO date, ``--MM-DD`` (year open), ``YYYY-MM`` or ``YYYY``."""
    if value is None:
        return None
    if value.value is not None:
        return value.value.isoformat()
    if value.month and value.day:
        return f"--{value.month:02d}-{value.day:02d}"
    if value.year and value.month:
        return f"{value.year}-{value.month:02d}"
    if value.year:
        return str(value.year)
    return None


# -- the year of a date written without one -------------------------------------------------

# Names of the rules that complete a year, recorded after the fact's own rule in its
# extraction method ("rule:reported-meeting+date.year-from-planning").
YEAR_FROM_SENTENCE = "date.year-from-sentence"  # another date of the same sentence has it
YEAR_FROM_HEADING = "date.year-from-heading"  # a full date of the title block
YEAR_FROM_DATELINE = "date.year-from-dateline"  # the dateline, within 45 days
YEAR_FROM_DOCUMENT = "date.year-from-document"  # ahead of the document's date, future sentence
YEAR_FROM_PLANNING = "date.year-from-planning"  # the year an undated document plans as this year
YEAR_FROM_MEETING = "date.year-from-meeting"  # a day within the reported meeting's days
YEAR_FROM_TEXT = "date.year-from-text"  # the one year the text gives the meeting elsewhere

_THIS_YEAR = quick(
    r"(?i)\b(this year|the current year|este año|el presente año|el año en curso|"
    r"el corriente año)\b"
)
# "planned for 2031", "expected … towards the end of 2031", "a celebrarse en 2031"
_PLANNED_YEAR = quick(
    r"(?i)\b(?:planned|scheduled|foreseen|expected|programmed|previst[oa]s?|prev[eé]n?|"
    r"programad[oa]s?|planificad[oa]s?)\b[^.;]{0,60}?\b(?:for|in|by|during|towards the end of|"
    r"(?:at|by) the end of|para|en|durante|a fines de|a finales de)\s+(?P<y>(?:19|20)\d\d)\b"
)


# a year that names a meeting: "the 2031 conference", "la reunión de 2031", "Conference of
# 2031"; a recalled one ("the previous 2030 meeting", "la conferencia anterior de 2030") is not
_MEETING_YEAR = quick(
    r"(?i)\b(?:the|this|la|el|esta|este)\s+(?P<a>(?:19|20)\d\d)\s+(?:edition|conference|"
    r"meeting|summit|forum|session|gathering)s?\b|"
    r"\b(?:conference|meeting|summit|forum|session|conferencia|reuni[oó]n|cumbre|foro|"
    r"sesi[oó]n|edici[oó]n)\s+(?:of|de|del)\s+(?:(?:el\s+)?año\s+)?(?P<b>(?:19|20)\d\d)\b"
)
_RECALLED_YEAR = quick(
    r"(?i)\b(?:previous|last|past|former|earlier|prior|anterior|pasad[oa]|[uú]ltim[oa])\s+"
    r"(?:(?:19|20)\d\d\s+)?\w*\s*$"
)


def year_from_text(
    value: DateValue, last: DateValue | None, sentences: Sequence[_HasText], dated: Sequence[date]
) -> YearAnchor | None:
    """The year of a meeting date written without one ("was held November 12-14 in …"), when
    the document gives exactly one year that fits it: full dates of the same month elsewhere in
    the text (``dated``: "… closed on November 14, 2031") and years that name a meeting ("the
    2031 conference", "la Conferencia de 2031"). Two different years leave it open."""
    if value.year is not None or value.month is None:
        return None
    months = {value.month, last.month if last and last.month else value.month}
    years = {d.year for d in dated if d.month in months}
    for s in sentences:
        for m in _MEETING_YEAR.finditer(s.text):
            if not _RECALLED_YEAR.search(s.text[: m.start()][-30:]):
                years.add(int(m.group("a") or m.group("b")))
    if len(years) != 1:
        return None
    return YearAnchor(years.pop(), YEAR_FROM_TEXT)


class _HasText(Protocol):
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class YearAnchor:
    """A year that the document itself makes certain, and the rule that found it."""

    year: int
    rule: str


@dataclass(frozen=True)
class YearContext:
    """What a document says about its own year: its full date (dateline, title block or the
    date of the meeting it reports on) and, failing that, a year it fixes otherwise."""

    doc_date: date | None = None
    anchor: YearAnchor | None = None


def document_year(sentences: Sequence[_HasText]) -> YearAnchor | None:
    """The year of an undated document, when its text makes it certain: it speaks of
    "this year" and what it plans is planned for one earliest year ("talks are planned for
    2031", "a seminar is expected towards the end of 2031"). A document that
    plans for a year and calls it "this year" is written in that year; without "this year"
    it could be written the year before, and the year stays open."""
    text = " ".join(s.text for s in sentences)
    if not _THIS_YEAR.search(text):
        return None
    planned = [int(m.group("y")) for m in _PLANNED_YEAR.finditer(text)]
    if not planned:
        return None
    return YearAnchor(min(planned), YEAR_FROM_PLANNING)


def infer_year(
    value: DateValue, context: YearContext, *, future: bool = False
) -> tuple[DateValue, str | None]:
    """Complete the year of ``value`` when the document makes it certain; return the date and
    the rule that completed it (for provenance), or the date marked uncertain and ``None``.

    - the document has a full date and ``value`` lies ahead of it in a sentence that speaks of
      the future ("to be held on 2-3 October", "no later than 9 April"): the document's year
      (``date.year-from-document``). A date before the document's date in a future sentence
      could be next year's, and stays open;
    - the document has no full date but fixes its year otherwise (:func:`document_year`):
      that year (``date.year-from-planning``);
    - otherwise the year stays open (news items that say "on 2 December" and no year).
    """
    if value.year is not None:
        return value, None
    doc = context.doc_date
    if doc is not None:
        ahead = value.month is not None and (value.month, value.day or 0) >= (doc.month, doc.day)
        if future and ahead:
            return with_year(value, doc.year), YEAR_FROM_DOCUMENT
        return replace(value, uncertain=True), None
    if context.anchor is not None and value.month is not None:
        return with_year(value, context.anchor.year), context.anchor.rule
    return replace(value, uncertain=True), None
