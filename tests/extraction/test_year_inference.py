"""Completing a year the text leaves out, only where the document makes it certain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from rcm_graph.model.facts import DateValue
from rcm_graph.stages.extraction.dates import (
    YEAR_FROM_DOCUMENT,
    YEAR_FROM_PLANNING,
    YEAR_FROM_TEXT,
    YearAnchor,
    YearContext,
    document_year,
    find_dates,
    infer_year,
    year_from_text,
)
from rcm_graph.stages.reading.segment import Segment


def _seg(text: str) -> Segment:
    return Segment(text, text, tuple(range(len(text))))


def _open_date(text: str) -> DateValue:
    (match,) = find_dates(_seg(text))
    assert match.first.year is None
    return match.first


@dataclass(frozen=True)
class _S:
    text: str


def test_future_date_after_the_document_date_takes_its_year() -> None:
    value, rule = infer_year(
        _open_date("to be held on 14 October in Lima"),
        YearContext(doc_date=date(2019, 5, 2)),
        future=True,
    )
    assert value.value == date(2019, 10, 14) and value.year_inferred
    assert rule == YEAR_FROM_DOCUMENT


def test_future_date_before_the_document_date_stays_open() -> None:
    value, rule = infer_year(
        _open_date("no later than 3 February"),
        YearContext(doc_date=date(2019, 5, 2)),
        future=True,
    )
    assert value.value is None and value.uncertain and rule is None


def test_past_date_without_planning_year_stays_open() -> None:
    value, rule = infer_year(_open_date("on 2 December"), YearContext(), future=False)
    assert value.value is None and value.uncertain and rule is None


def test_planning_year_of_an_undated_document() -> None:
    sentences = [
        _S("Consultations are being planned for 2021, and a decision is due in 2022."),
        _S("A regional workshop is scheduled towards the end of 2021."),
        _S("The secretariat will report on this year's activities."),
    ]
    anchor = document_year(sentences)
    assert anchor == YearAnchor(2021, YEAR_FROM_PLANNING)
    value, rule = infer_year(_open_date("the meeting of 11 May"), YearContext(anchor=anchor))
    assert value.value == date(2021, 5, 11) and rule == YEAR_FROM_PLANNING


@pytest.mark.parametrize(
    "text",
    [
        "Consultations are being planned for 2021.",  # no "this year": may be written in 2020
        "This year the countries met twice.",  # "this year" but no year named
    ],
)
def test_no_planning_year_without_both_cues(text: str) -> None:
    assert document_year([_S(text)]) is None


def test_spanish_planning_year() -> None:
    sentences = [_S("Se prevé para 2015 un taller regional; este año se aprobará el plan.")]
    assert document_year(sentences) == YearAnchor(2015, YEAR_FROM_PLANNING)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("from the 7 th to the 9 th of October 2032", date(2032, 10, 7), date(2032, 10, 9)),
        ("the 21st and 22nd of August, 2019", date(2019, 8, 21), date(2019, 8, 22)),
        ("on 22nd and 23rd October 2017", date(2017, 10, 22), date(2017, 10, 23)),
        ("los días 14 y 15 de Abril de 2008", date(2008, 4, 14), date(2008, 4, 15)),
    ],
)
def test_more_range_forms(text: str, first: date, last: date) -> None:
    (match,) = find_dates(_seg(text))
    assert match.first.value == first
    assert match.last is not None and match.last.value == last


def test_the_one_year_the_text_gives_the_meeting() -> None:
    sentences = [
        _seg("The plenary was held on August 4-5 in Quito."),
        _seg("Delegates reviewed the work plan."),
        _seg("The 2033 meeting closed with a joint statement."),
    ]
    (d,) = find_dates(sentences[0])
    anchor = year_from_text(d.first, d.last, sentences, [])
    assert anchor == YearAnchor(2033, YEAR_FROM_TEXT)


def test_a_full_date_of_the_same_month_gives_the_year() -> None:
    sentences = [_seg("se realizó los días 4 y 5 de agosto en Quito")]
    (d,) = find_dates(sentences[0])
    anchor = year_from_text(d.first, d.last, sentences, [date(2033, 8, 5)])
    assert anchor == YearAnchor(2033, YEAR_FROM_TEXT)


@pytest.mark.parametrize(
    "later",
    [
        "The 2033 meeting followed the 2032 meeting.",  # two years: ambiguous
        "It recalled the previous 2032 meeting.",  # a recalled meeting's year
        "Delegates reviewed the work plan.",  # no year at all
    ],
)
def test_no_single_year_leaves_it_open(later: str) -> None:
    sentences = [_seg("The plenary was held on August 4-5 in Quito."), _seg(later)]
    (d,) = find_dates(sentences[0])
    assert year_from_text(d.first, d.last, sentences, [date(2031, 3, 2)]) is None
