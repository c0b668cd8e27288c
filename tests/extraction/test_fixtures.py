"""The extractor on documents it was not tuned on: other styles and languages of the family.

Each expectation below was written from the fixture's text (tests/fixtures/documents/), which
the extractor's rules never name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rcm_graph.model.facts import DocumentFacts
from rcm_graph.stages.extraction import extract_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


def _doc(name: str) -> DocumentFacts:
    return extract_document(FIXTURES / name)


def _roles(doc: DocumentFacts) -> set[tuple[str, str]]:
    return {(p.actor.key, p.role) for p in doc.participations}


def _states(doc: DocumentFacts) -> set[str]:
    return {
        p.actor.key for p in doc.participations if p.actor.kind == "state" and p.role != "supporter"
    }


def _commitments(doc: DocumentFacts) -> list[tuple[list[str], date | None]]:
    """The obligations: decisions with no future action ("thanked", "took note") are kept as
    commitments marked ``forward_looking = False`` (issue 16) and checked apart."""
    return [
        (sorted(a.key for a in c.responsible), c.due.value if c.due else None)
        for c in doc.commitments
        if c.forward_looking
    ]


def _decisions(doc: DocumentFacts) -> list[str]:
    return [c.span.text for c in doc.commitments if not c.forward_looking]


def test_spanish_vice_ministerial_communique() -> None:
    doc = _doc("xxviii-vice-ministerial-comunicado-conjunto.md")
    assert doc.language == "es" and doc.doc_type == "joint-communique"
    m = doc.meetings[0]
    assert m.reported and m.kind == "vice-ministerial-meeting" and m.ordinal == 28
    assert (m.start and m.start.value, m.end and m.end.value) == (
        date(2023, 11, 7),
        date(2023, 11, 8),
    )
    assert m.place is not None and m.place.country == "GTM"
    members = {"BLZ", "CAN", "CRI", "SLV", "USA", "HND", "MEX", "NIC", "PAN", "DOM"}
    assert _states(doc) == members | {"GTM"}
    assert {
        ("iom", "observer"),
        ("unhcr", "observer"),
        ("eclac", "observer"),
        ("icrc", "observer"),
    } <= _roles(doc)
    assert {("GTM", "host"), ("GTM", "presidency"), ("iom", "supporter")} <= _roles(doc)
    assert (["rcm:technical-secretariat"], date(2023, 12, 15)) in _commitments(doc)
    planned = [e for e in doc.meetings if not e.reported]
    assert [(e.planned, e.start and e.start.value) for e in planned] == [(True, date(2024, 6, 20))]
    assert {9, 10, 14, 21, 23} <= {o.number for o in doc.objectives}


def test_rcgm_conclusions_with_page_numbers_and_running_prose() -> None:
    doc = _doc("rcgm-conclusions-and-recommendations.txt")
    assert doc.doc_type == "conclusions"
    assert not any("Page 1 of 2" in b for b in (p.span.text for p in doc.participations))
    m = doc.meetings[0]
    assert (m.start and m.start.value, m.end and m.end.value) == (
        date(2022, 6, 14),
        date(2022, 6, 15),
    )
    assert m.place is not None and m.place.city == "Tegucigalpa"
    # Nicaragua and the Dominican Republic "were not represented"
    assert _states(doc) == {"BLZ", "CAN", "CRI", "SLV", "GTM", "MEX", "PAN", "USA", "HND"}
    assert {
        ("HND", "host"),
        ("HND", "presidency"),
        ("CAN", "supporter"),
        ("rncom", "participant"),
    } <= _roles(doc)
    assert _commitments(doc) == [
        (["rcm:technical-secretariat"], date(2022, 9, 30)),
        (["MEX"], date(2022, 7, 15)),  # "no later than 15 July": the year of the meeting
        ([], None),  # passive
    ]
    assert {13, 14, 22} <= {o.number for o in doc.objectives}


def test_press_release_of_a_virtual_meeting() -> None:
    doc = _doc("press-release-virtual-meeting.txt")
    assert doc.doc_type == "press-release"
    m = doc.meetings[0]
    assert m.kind == "online-meeting" and m.virtual
    assert m.start is not None and m.start.value == date(2021, 3, 3)
    assert [(c.qualifier, c.value, c.what) for c in m.counts] == [
        ("more-than", 60, "participants"),
        ("exact", 11, "countries"),
    ]
    assert {("CRI", "convener"), ("iom", "participant"), ("unhcr", "participant")} <= _roles(doc)
    persons = {p.name: (p.title, p.affiliation and p.affiliation.key) for p in doc.persons}
    assert persons["Ana Lucía Rivas"] == ("Chief of Mission", "iom")
    assert persons["Omar Fernández Calvo"][0] == "Vice-Minister"
    assert {5, 6, 18} <= {o.number for o in doc.objectives}


def test_declaration_cut_off_mid_word() -> None:
    doc = _doc("special-declaration-cut-off.txt")
    assert doc.doc_type == "declaration"
    assert doc.meetings[0].kind == "vice-ministerial-meeting"
    assert doc.meetings[0].name == "Vice-Ministerial Meeting"
    assert len(_states(doc)) == 11
    assert [c.provision for c in doc.commitments][:3] == ["1", "2", "3"]
    assert doc.commitments[0].responsible[0].key == "member-countries"
    assert doc.commitments[-1].text == "The States commit to promo"


def test_unusual_dates_and_split_agreement() -> None:
    doc = _doc("report-unusual-dates.md")
    m = doc.meetings[0]
    assert m.kind == "workshop"
    assert (m.start and m.start.value, m.end and m.end.value) == (
        date(2022, 11, 30),
        date(2022, 12, 2),
    )
    assert {
        ("rcm:technical-secretariat", "organizer"),
        ("iom", "supporter"),
        ("DOM", "host"),
    } <= _roles(doc)
    assert ("ilo", "participant") in _roles(doc)
    # one agreement sentence, two responsible actors with their own deadlines
    assert _commitments(doc) == [
        (["rcm:technical-secretariat"], date(2023, 1, 31)),
        (["HND"], None),
    ]
    kinds = {(s.speaker.key, s.kind) for s in doc.statements}
    assert {("GTM", "proposed"), ("NIC", "expressed-concern")} <= kinds


@pytest.mark.parametrize(
    "name", sorted(p.name for p in FIXTURES.glob("*.*") if p.name != "README.md")
)
def test_every_span_quotes_the_original(name: str) -> None:
    doc = _doc(name)
    spans = [p.span for p in doc.participations] + [c.span for c in doc.commitments]
    spans += [m.span for m in doc.meetings] + [o.evidence for o in doc.objectives]
    for span in spans:
        assert doc.text[span.start : span.end] == span.text


def test_spanish_declaration_with_acuerdan() -> None:
    doc = _doc("declaracion-reunion-viceministerial.txt")
    assert doc.language == "es" and doc.doc_type == "declaration"
    m = doc.meetings[0]
    assert m.kind == "vice-ministerial-meeting" and m.ordinal == 28  # "Vigésima Octava"
    assert (m.start and m.start.value, m.end and m.end.value) == (
        date(2024, 11, 20),
        date(2024, 11, 21),
    )
    assert _states(doc) == {"BLZ", "CRI", "HND", "MEX", "PAN"}
    assert {("PAN", "host"), ("PAN", "presidency")} <= _roles(doc)
    assert _commitments(doc) == [
        (["rcm:technical-secretariat"], date(2025, 3, 31)),  # "Encomendar a la Secretaría Técnica"
        (["iom"], None),  # "Solicitar a la OIM que ..."
        (["member-countries"], None),  # "Los Países Miembros se comprometen a ..."
    ]
    assert [t[:23] for t in _decisions(doc)] == ["Agradecer al Gobierno d"]  # no future action
    assert [c.forward_looking for c in doc.commitments] == [True, True, False, True]
    assert {8, 10, 14, 21, 23} <= {o.number for o in doc.objectives}


def test_attendance_as_a_bulleted_list_and_compound_ordinal() -> None:
    doc = _doc("joint-communique-attendance-list.md")
    m = doc.meetings[0]
    assert m.kind == "vice-ministerial-meeting" and m.ordinal == 27  # "Twenty-Seventh"
    assert (m.start and m.start.value, m.end and m.end.value) == (
        date(2022, 11, 7),
        date(2022, 11, 8),
    )
    assert _states(doc) == {"BLZ", "CAN", "CRI", "DOM", "GTM"}
    assert {
        ("GTM", "host"),
        ("GTM", "chair"),
        ("eu", "observer"),
        ("unicef", "supporter"),
    } <= _roles(doc)
    (commitment,) = [c for c in doc.commitments if c.forward_looking]
    assert [a.key for a in commitment.responsible] == ["member-countries"]
    assert [t[:24] for t in _decisions(doc)] == ["The delegations thanked "]
    # "no later than 31 March" in a document of November 2022: the year is not certain
    assert commitment.due is not None and commitment.due.value is None and commitment.due.uncertain
    assert any("31 March" in w for w in doc.warnings)


def test_hard_wrapped_text_without_blank_lines() -> None:
    """Text as pypdf extracts it: no blank lines, running headers and page numbers glued on."""
    doc = _doc("hard-wrapped-pdf-text-communique.txt")
    assert doc.title is not None and doc.title.startswith("XXVI Vice-Ministerial Meeting")
    m = doc.meetings[0]
    assert m.kind == "vice-ministerial-meeting" and m.ordinal == 26
    assert (m.start and m.start.value, m.end and m.end.value) == (
        date(2021, 8, 24),
        date(2021, 8, 25),
    )
    assert m.place is not None and m.place.city == "San Salvador"
    assert _states(doc) == {"SLV", "BLZ", "CAN", "CRI", "GTM", "HND", "MEX", "PAN", "DOM", "USA"}
    assert {
        ("SLV", "convener"),
        ("SLV", "presidency"),
        ("SLV", "host"),
        ("iom", "supporter"),
    } <= _roles(doc)
    assert _commitments(doc) == [(["rcm:technical-secretariat"], date(2021, 11, 30))]
    assert [t[:12] for t in _decisions(doc)] == ["Approve the ", "The delegati"]
    assert not any(
        "Conferencia Regional" in c.text or c.text.endswith(" 1") for c in doc.commitments
    )
    assert {5, 7} <= {o.number for o in doc.objectives}


def test_declaration_dated_by_its_signature_line() -> None:
    doc = _doc("declaration-with-signature-date.txt")
    m = doc.meetings[0]
    assert m.name == "XXVII Vice-Ministerial Meeting" and m.ordinal == 27
    # the date is in the closing line, not the deadline of an agreement
    assert m.start is not None and m.start.value == date(2022, 6, 14)
    assert m.place is not None and m.place.city == "Tegucigalpa"
    assert _states(doc) == set()  # the member countries are not named
    assert _commitments(doc) == [
        (["member-countries"], None),  # "Reiterate ...": the declaring Member Countries
        (["rcm:technical-secretariat"], date(2022, 9, 30)),
        (["iom", "unhcr"], None),
    ]
    assert {17, 19, 20} <= {o.number for o in doc.objectives}


def test_spanish_minutes_with_future_tense_agreements() -> None:
    doc = _doc("acta-reunion-grcm.md")
    assert doc.language == "es" and doc.doc_type == "minutes"
    m = doc.meetings[0]
    assert m.start is not None and m.start.value == date(2023, 6, 12)  # "lunes 12 de junio de 2023"
    assert m.place is not None and m.place.city == "Mexico City"
    assert _states(doc) == {"CRI", "PAN", "DOM", "MEX"}
    assert {
        ("MEX", "host"),
        ("MEX", "chair"),
        ("iom", "participant"),
        ("iom", "supporter"),
    } <= _roles(doc)
    assert _commitments(doc) == [
        (
            ["rcm:technical-secretariat"],
            date(2023, 6, 30),
        ),  # "enviará ... a más tardar el 30 de junio"
        (["member-countries"], None),  # "compartirán"
        (["iom"], None),  # "Solicitar a la OIM"
    ]
    kinds = {(s.speaker.key, s.kind) for s in doc.statements}
    assert {("CRI", "expressed-concern"), ("PAN", "proposed")} <= kinds
