"""Commitments, their deadlines and the evidence of statements, on short documents written for
these tests in the shapes the family uses (operative items in the infinitive, introducing
sentences, headings, Spanish and English), with other cities, dates and ordinals than any
real document."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rcm_graph.model.facts import Commitment, DocumentFacts
from rcm_graph.stages.extraction import extract_document
from rcm_graph.stages.extraction.commitments import operative_start


def _extract(tmp_path: Path, text: str, name: str = "doc.txt") -> DocumentFacts:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_document(path)


def _find(doc: DocumentFacts, start: str) -> Commitment:
    found = [c for c in doc.commitments if c.text.startswith(start)]
    assert found, f"no commitment starts with {start!r}: {[c.text for c in doc.commitments]}"
    return found[0]


CONCLUSIONS = """\
XXXI REGIONAL CONFERENCE ON MIGRATION
JOINT COMMUNIQUE
Tegucigalpa, March 6, 2031

The XXXI Regional Conference on Migration met in Tegucigalpa, Honduras, on March 5-6, 2031,
with the participation of Panama, Honduras, Canada and Belize.

CONSIDERING

1. That labour migration requires coordinated responses.

AGREEMENTS

ADMINISTRATIVE MATTERS

1. To take note of the Technical Secretariat's account of its missions.
2. To thank Costa Rica for its presentation on consular networks.
3. To adopt the training calendar for 2031, and to request that the Technical Secretariat draft \
a cost estimate by April 30.
4. To convene a workshop on labour mobility, to be held on 14-15 October in Belize City. \
For that purpose, they have adopted the annexed guidelines.
"""


def test_operative_items_under_a_heading(tmp_path: Path) -> None:
    doc = _extract(tmp_path, CONCLUSIONS)
    texts = [c.text for c in doc.commitments]
    assert not any(t.startswith("That labour migration") for t in texts)  # a preamble item
    note = _find(doc, "To take note of the Technical")
    assert note.kind == "agreement" and not note.forward_looking
    assert "no-future-action" in note.method
    assert not _find(doc, "To thank Costa Rica").forward_looking
    adopt = _find(doc, "To adopt the training calendar")
    assert adopt.text.endswith("for 2031")  # the request is a commitment of its own
    request = _find(doc, "to request that the Technical Secretariat")
    assert request.kind == "request" and request.forward_looking
    assert [r.key for r in request.responsible] == ["rcm:technical-secretariat"]
    assert request.due is not None and request.due.value == date(2031, 4, 30)
    assert "due-deadline" in request.method and "date.year-from-document" in request.method
    workshop = _find(doc, "To convene a workshop")
    assert workshop.due is not None and workshop.due.value == date(2031, 10, 14)
    assert "due-event" in workshop.method
    approved = _find(doc, "For that purpose, they have adopted")
    assert not approved.forward_looking and approved.due is None


INTRODUCED = """\
The IX Regional Conference on Migration met in Orange Walk, Belize, on June 2-3, 2034. The
attending Vice Ministers examined the consular protection guide. On that basis, they agreed:

To request that UNHCR design a training programme on asylum procedures.

To hold a seminar of experts in Guatemala City within 90 days.

They agreed that the network is a valuable space for sharing practice among neighbours.

They singled out the advances made in reintegration schemes.

It is vital to quickly agree on a sequence for the pilots.

We agree to continue strengthening consular cooperation in the region.

The delegations reiterated their commitment to combat trafficking in persons.
"""


def test_items_after_an_introducing_sentence(tmp_path: Path) -> None:
    doc = _extract(tmp_path, INTRODUCED)
    texts = [c.text for c in doc.commitments]
    request = _find(doc, "To request that UNHCR")
    assert request.kind == "request" and [r.key for r in request.responsible] == ["unhcr"]
    seminar = _find(doc, "To hold a seminar")
    assert seminar.kind == "agreement"
    assert [r.name for r in seminar.responsible] == ["participating countries"]  # not "they"
    assert not any(t.startswith("They agreed that the network") for t in texts)  # a view
    assert not any(t.startswith("They singled out") for t in texts)  # list ended
    assert not any(t.startswith("It is vital") for t in texts)  # an infinitive
    assert _find(doc, "We agree to continue").kind == "agreement"
    assert _find(doc, "The delegations reiterated their commitment").kind == "commitment"


SPANISH = """\
XII CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES
Asunción, 11 de agosto de 2032

Los Delegados de los Estados de Uruguay, Paraguay, Chile y Argentina, congregados en \
Encarnación los días 10 y 11 de agosto de 2032, valoraron el diálogo vecinal y subrayaron \
la conveniencia de progresar mediante las siguientes acciones: Fortalecer el trabajo conjunto \
de las oficinas consulares fronterizas. Promover la inscripción registral de los niños \
migrantes. Con el fin de lograr dichas metas, los Delegados compartieron experiencias.

CONSIDERANDO:

1. La obligación de los Estados de proteger a las personas refugiadas.

ACUERDAN:

1. Solicitar a la Secretaría Técnica la preparación de un informe regional, a más tardar el \
30 de septiembre.
2. Tomar nota del informe de la Presidencia Pro Tempore.
3. Celebrar una reunión técnica antes del 15 de marzo.
"""


def test_spanish_items_inline_and_numbered(tmp_path: Path) -> None:
    doc = _extract(tmp_path, SPANISH)
    texts = [c.text for c in doc.commitments]
    assert _find(doc, "Fortalecer el trabajo conjunto").kind == "agreement"
    assert any(t.startswith("Promover la inscripción") for t in texts)
    assert not any(t.startswith("Con el fin de lograr") for t in texts)
    assert not any(t.startswith("La obligación de los Estados") for t in texts)  # CONSIDERANDO
    report = _find(doc, "Solicitar a la Secretaría Técnica")
    assert report.kind == "request"
    assert report.due is not None and report.due.value == date(2032, 9, 30)
    assert not _find(doc, "Tomar nota del informe").forward_looking
    # 15 March lies before the document's own date: the year is not certain, so it stays open
    meeting = _find(doc, "Celebrar una reunión técnica")
    assert meeting.due is not None and meeting.due.value is None and meeting.due.uncertain
    assert "year-open" in meeting.method


REPORT = """\
NOTE BY THE TECHNICAL SECRETARIAT

Report of the Working Meeting on Labour Mobility

The delegations discussed the preparations for the consultations. Regional consultations are
being planned for 2026, and a preparatory meeting is scheduled to take place in Lima this year.
A stocktaking meeting is scheduled towards the end of 2026 and a conference will be held in 2027.

Agreements

- An online session will be scheduled for **May 12** to compare the country submissions.
- It was suggested that every delegation forward its remarks before the online session.
"""


def test_deadlines_of_an_undated_report(tmp_path: Path) -> None:
    doc = _extract(tmp_path, REPORT)
    virtual = _find(doc, "An online session will be scheduled")
    assert virtual.due is not None and virtual.due.value == date(2026, 5, 12)
    assert "due-event" in virtual.method and "date.year-from-planning" in virtual.method
    comments = _find(doc, "It was suggested that every delegation")
    assert comments.kind == "recommendation"
    assert comments.due is not None and comments.due.value == date(2026, 5, 12)
    assert "due-referenced-event" in comments.method


def test_operative_start_shapes() -> None:
    assert operative_start("To take note of the audit.") is not None
    assert operative_start("Reforzar la coordinación entre autoridades.") is not None
    assert operative_start("In the context of the fair, announce the schedule.") is not None
    assert operative_start("To this end, they approved it.") is None
    assert operative_start("Second, to express the unease of each side.") is None
    assert operative_start("The countries agreed on it.") is None


PAGES = """\
Forum Report on Labour Migration

Peru shared with the other delegations a written proposal of priorities for the region.

Regarding the proposal by Colombia to hold a workshop on remittances, no decision was taken.

Ecuador cordially invites the delegations to attend the seminar in Quito.

Colombia suggested that the consular networks be strengthened in the countries of transit and



Forum Report on Labour Migration

in the receiving states, backed by the observing agencies.

Paraguay noted that the workshop is useful.



Forum Report on Labour Migration

Uruguay noted that the next meeting is important.
"""


def test_statements_proposals_and_evidence_without_page_header(tmp_path: Path) -> None:
    doc = _extract(tmp_path, PAGES)
    kinds = {(s.speaker.key, s.kind) for s in doc.statements}
    assert {("PER", "proposed"), ("COL", "proposed"), ("ECU", "proposed")} <= kinds
    suggested = [s for s in doc.statements if s.kind == "suggested"]
    assert suggested, [s.span.text for s in doc.statements]
    quote = suggested[0].span.text
    assert "Forum Report" not in quote and quote.endswith("countries of transit and")
    assert doc.text[suggested[0].span.start : suggested[0].span.end] == quote


PROSE = """\
XIV REGIONAL CONFERENCE ON MIGRATION
Quito, February 10, 2035

The Vice-Ministers instructed the Technical Secretariat to prepare a study on circular migration.
The delegations committed to strengthening return and reintegration programmes.
Chile requested that heat-driven displacement be studied.
This nation is committed to tackling the drivers of forced departures.
The Presidency Pro Tempore asked for views from the delegations on the calendar.

Agreements

1. Hold the next technical meeting in Cuenca on 3-4 May.
"""


def test_decisions_of_the_collective_in_prose(tmp_path: Path) -> None:
    doc = _extract(tmp_path, PROSE)
    texts = [c.text for c in doc.commitments]
    study = _find(doc, "The Vice-Ministers instructed")
    assert study.kind == "request" and [r.key for r in study.responsible] == [
        "rcm:technical-secretariat"
    ]
    assert _find(doc, "The delegations committed").kind == "commitment"
    for words in ("Chile requested", "This nation is committed", "The Presidency Pro Tempore"):
        assert not any(t.startswith(words) for t in texts), words  # one actor's words
    meeting = _find(doc, "Hold the next technical meeting")
    assert meeting.due is not None and meeting.due.value == date(2035, 5, 3)


def test_enacting_formula_is_a_decision(tmp_path: Path) -> None:
    text = (
        "Los Jefes de Delegación de Chile, Perú y Uruguay, congregados en la ciudad de "
        "Salto, adoptan la siguiente Declaración denominada “Compromiso de Salto”:\n\n"
        "CONSIDERANDO:\n\n1. La importancia de la integración regional.\n"
    )
    doc = _extract(tmp_path, text)
    adopted = _find(doc, "adoptan la siguiente Declaración")
    assert adopted.kind == "agreement" and not adopted.forward_looking
    assert doc.text[adopted.span.start : adopted.span.end] == adopted.text
    assert len(doc.commitments) == 1


PREAMBLE = """\
DECLARATION OF SAN JOSE
San José, July 8, 2036

Reaffirming their commitment to the protection of migrant children;

CONSIDERANDO:

1. Que los Estados se comprometen a proteger a las personas migrantes.

The Vice-Ministers approved the regional guidelines on labour mobility.
The Vice-Ministers agreed to hold a workshop that will take place on 21 September.
"""


def test_preamble_is_not_a_commitment(tmp_path: Path) -> None:
    doc = _extract(tmp_path, PREAMBLE)
    texts = [c.text for c in doc.commitments]
    assert not any(t.startswith(("Reaffirming", "Que los Estados")) for t in texts), texts
    approved = _find(doc, "The Vice-Ministers approved")
    assert approved.kind == "agreement" and not approved.forward_looking
    workshop = _find(doc, "The Vice-Ministers agreed to hold")
    assert workshop.due is not None and workshop.due.value == date(2036, 9, 21)


def test_titles_are_not_orders() -> None:
    assert operative_start("Review of the regional work plan.") is None
    assert operative_start("Support from IOM to the Technical Secretariat.") is None
    assert operative_start("Take note of the Troika's summary.") is not None
    assert operative_start("In this context, support was essential.", item=False) is None


def test_past_tense_list_with_the_subject_in_its_lead(tmp_path: Path) -> None:
    text = (
        "The Vice-Ministers of the member countries, assembled in Roatán on "
        "June 9, 2037:\n\n"
        "Reiterated that mobility is a many-sided reality.\n\n"
        "Instructed the Technical Secretariat to update the regional directory of contacts.\n\n"
        "Took note of the report of the Presidency Pro Tempore.\n"
    )
    doc = _extract(tmp_path, text)
    texts = [c.text for c in doc.commitments]
    assert not any(t.startswith("Reiterated") for t in texts)
    assert _find(doc, "Instructed the Technical Secretariat").kind == "request"
    assert not _find(doc, "Took note of the report").forward_looking


def test_the_collective_will(tmp_path: Path) -> None:
    text = (
        "The delegations will continue working on a regional approach to labour mobility.\n\n"
        "Los países continuarán fortaleciendo la cooperación consular.\n\n"
        "Los países consideran que la migración es positiva.\n\n"
        "The countries will be informed of the results.\n"
    )
    doc = _extract(tmp_path, text)
    texts = [c.text for c in doc.commitments]
    assert _find(doc, "The delegations will continue").kind == "commitment"
    assert any(t.startswith("Los países continuarán") for t in texts)
    assert not any(t.startswith(("Los países consideran", "The countries will be")) for t in texts)


def test_one_state_is_not_the_collective(tmp_path: Path) -> None:
    text = (
        "The United States will host a workshop on border management.\n\n"
        "The United States instructed its delegation to present the report.\n\n"
        "The Member States will continue exchanging information on return flows.\n"
    )
    doc = _extract(tmp_path, text)
    texts = [c.text for c in doc.commitments]
    assert not any(t.startswith("The United States") for t in texts), texts
    assert any(t.startswith("The Member States will continue") for t in texts)


def test_an_unnamed_declaration_announced_is_an_introduction(tmp_path: Path) -> None:
    text = (
        "The Vice-Ministers of the member countries, gathered in Panama City, have approved the "
        "following declaration:\n\n"
        "We agree to widen the shelter network for people in transit.\n"
    )
    doc = _extract(tmp_path, text)
    assert [c.text for c in doc.commitments] == [
        "We agree to widen the shelter network for people in transit."
    ]


def test_collectives_are_labelled_by_what_they_are(tmp_path: Path) -> None:
    text = (
        "They agreed to exchange information on irregular flows.\n\n"
        "The Participating countries stated that the region needs more data.\n"
    )
    doc = _extract(tmp_path, text)
    agreed = _find(doc, "They agreed to exchange")
    assert [r.name for r in agreed.responsible] == ["participating countries"]
    speakers = {s.speaker.name for s in doc.statements if s.speaker.kind == "group"}
    assert speakers == {"participating countries"}


def test_introductions_with_their_addressee(tmp_path: Path) -> None:
    text = (
        "CONCLUSIONS OF THE CONSULTATION GROUP MEETING\n\n"
        "The RCGM recommends to the Vice-Ministers:\n\n"
        "a) Approve the regional guidelines on labour migration.\n"
        "b) Instruct the Technical Secretariat to publish them.\n\n"
        "Los Viceministros decidieron:\n\n"
        "1. Crear un grupo ad hoc sobre movilidad laboral.\n"
    )
    doc = _extract(tmp_path, text)
    assert _find(doc, "Approve the regional guidelines").kind == "recommendation"
    assert _find(doc, "Instruct the Technical Secretariat").kind == "request"
    assert _find(doc, "Crear un grupo ad hoc").kind == "agreement"


def test_gerund_items() -> None:
    start = operative_start("Strengthening the exchange of information between the countries.")
    assert start is not None and start[0].kind == "agreement"
    noted = operative_start("Taking note of the Secretariat's summary.")
    assert noted is not None and not noted[0].forward


def test_gerunds_only_open_items() -> None:
    assert operative_start("Promoting regular pathways is a priority.", item=False) is None
    assert operative_start("Following the meeting, the delegations left.") is None
    assert operative_start("Developing countries face many challenges.") is None
