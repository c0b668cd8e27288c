"""Date expressions in English and Spanish, ranges, and open years."""

from __future__ import annotations

from datetime import date

import pytest

from rcm_graph.stages.extraction.dates import date_key, days_within, find_dates, with_year
from rcm_graph.stages.reading.segment import Segment


def _seg(text: str) -> Segment:
    return Segment(text, text, tuple(range(len(text))))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("held on September 27 and 28, 2023, in Panama", "2023-09-27", "2023-09-28"),
        ("from September 27 to 28, 2023", "2023-09-27", "2023-09-28"),
        ("25 - 26 September 2024", "2024-09-25", "2024-09-26"),
        ("August 23rd, 2023", "2023-08-23", None),
        ("on 08 June 2017 at the", "2017-06-08", None),
        ("to be held on 07-08 September in Brussels", "--09-07", "--09-08"),
        ("del 25 al 26 de septiembre de 2024", "2024-09-25", "2024-09-26"),
        ("el 8 de junio de 2017", "2017-06-08", None),
        ("los días 25 y 26 de septiembre", "--09-25", "--09-26"),
        ("30 September to 1 October 2024", "2024-09-30", "2024-10-01"),
        ("September 30 - October 1, 2024", "2024-09-30", "2024-10-01"),
        ("2023-09-27", "2023-09-27", None),
        ("27/09/2023", "2023-09-27", None),
        ("no later than 12 June", "--06-12", None),
        ("on April 24, tentatively", "--04-24", None),
        ("in September 2018", "2018-09", None),
        ("el 1º de octubre de 2022", "2022-10-01", None),
        ("November 30, 1999 to December 2, 1999", "1999-11-30", "1999-12-02"),
        ("December 30, 2023 - January 2, 2024", "2023-12-30", "2024-01-02"),
        ("30 November 2021 to 2 December 2021", "2021-11-30", "2021-12-02"),
        ("del 30 de diciembre de 2023 al 2 de enero de 2024", "2023-12-30", "2024-01-02"),
        ("los días 14 y 15 de agosto del año 2003 en Quito", "2003-08-14", "2003-08-15"),
        ("el 7 de junio del 2012 se", "2012-06-07", None),
        ("el 7 de junio del año 2012", "2012-06-07", None),
        ("a los 12 días del mes de junio de 2012", "2012-06-12", None),
        ("a los 3 días del mes de abril del año 2009", "2009-04-03", None),
        ("en octubre del año 2016", "2016-10", None),
        ("27, 28 Y 29 DE OCTUBRE DE 2031", "2031-10-27", "2031-10-29"),
        ("on June 3, 4 and 5, 2031 in Lima", "2031-06-03", "2031-06-05"),
    ],
)
def test_forms(text: str, first: str, last: str | None) -> None:
    found = find_dates(_seg(text))
    assert found, text
    d = found[0]
    assert date_key(d.first) == first
    assert date_key(d.last) == last


def test_full_dates_out_of_order_are_two_dates_not_a_range() -> None:
    found = find_dates(_seg("January 2, 2024 to December 30, 2023"))
    assert [(date_key(d.first), date_key(d.last)) for d in found] == [
        ("2024-01-02", None),
        ("2023-12-30", None),
    ]


def test_open_year_is_flagged_and_completed_only_on_request() -> None:
    (d,) = find_dates(_seg("on 20 June in Geneva"))
    assert d.first.uncertain and d.first.value is None and d.first.year is None
    done = with_year(d.first, 2017)
    assert done.value == date(2017, 6, 20) and done.year_inferred and not done.uncertain


@pytest.mark.parametrize(
    "text",
    [
        "more than 82 representatives from 17 countries",
        "31 February 2023",
        "Item 1, Line 3",
        "they may 2 be",
        "the 2030 Agenda",
    ],
)
def test_not_dates(text: str) -> None:
    assert [date_key(d.first) for d in find_dates(_seg(text)) if d.first.day] == []


def test_span_points_into_original() -> None:
    original = "Held **September 27\nand 28, 2023** in Panama."
    # a clean view that drops the asterisks but keeps offsets
    kept = [i for i, c in enumerate(original) if c != "*"]
    clean = "".join(original[i] for i in kept).replace("\n", " ")
    seg = Segment(original, clean, tuple(kept))
    (d,) = find_dates(seg)
    assert d.first.span.text == "September 27\nand 28, 2023"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Signed on the 14th day of June 2022", "2022-06-14"),
        ("a los 14 días del mes de junio de 2022", "2022-06-14"),
        ("the 30th of November, 2022", "2022-11-30"),
    ],
)
def test_formal_forms(text: str, first: str) -> None:
    (d,) = find_dates(_seg(text))
    assert date_key(d.first) == first


def test_bare_days_take_the_month_of_the_date_before_them() -> None:
    found = find_dates(_seg("a workshop on 3 May 2031, then the plenary held the 4th and 5th."))
    assert [(date_key(d.first), date_key(d.last)) for d in found] == [
        ("2031-05-03", None),
        ("2031-05-04", "2031-05-05"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the plenary held the 4th and 5th.",  # no month before them
        "on 6 May 2031, after the 4th and 5th.",  # days before the date that gives the month
        "the 4th of June and the 3 May 2031",  # a month of their own
    ],
)
def test_bare_days_without_a_month_before_them(text: str) -> None:
    found = find_dates(_seg(text))
    assert ("--05-04" not in {date_key(d.first) for d in found}) and (
        "2031-05-04" not in {date_key(d.first) for d in found}
    )


def test_days_within_a_meeting_of_one_month() -> None:
    first, last = find_dates(_seg("4-6 May 2031"))[0].first, find_dates(_seg("6 May 2031"))[0].first
    (d,) = days_within(_seg("The plenary was held the 5th and 6th."), first, last)
    assert (date_key(d.first), date_key(d.last)) == ("--05-05", "--05-06")
    assert days_within(_seg("The plenary was held the 7th and 8th."), first, last) == []
