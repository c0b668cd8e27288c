"""Organizations named by composition (rule ``organs``): an organ of a known organization or
the government of a municipality, in sentences written for these tests (other places, years)."""

from __future__ import annotations

from pathlib import Path

from rcm_graph.model.facts import Meeting, Participation, Span
from rcm_graph.stages.extraction.context import build_context
from rcm_graph.stages.extraction.gazetteer import gazetteer
from rcm_graph.stages.extraction.organs import compose_organs
from rcm_graph.stages.extraction.participation import find_participations
from rcm_graph.stages.reading import RawDocument, read_text


def _organs(text: str) -> list[tuple[str, str]]:
    return [
        (m.key, m.name)
        for m in compose_organs(text, gazetteer().find(text))
        if m.kind == "organization"
    ]


def _roles(text: str) -> set[tuple[str, str]]:
    raw = RawDocument(Path("test.txt"), "test", "test.txt", "0" * 64, text)
    ctx = build_context(read_text(raw), gazetteer())
    span = Span(0, 11, "the meeting")
    parts: list[Participation] = find_participations(
        ctx, Meeting("m1", "the meeting", "meeting", span, reported=True), speeches=True
    )
    return {(p.actor.name, p.role) for p in parts if p.actor.kind == "organization"}


def test_spanish_general_secretariat_of_a_known_organization_is_its_own_actor() -> None:
    found = _organs("Asistió como observadora la Secretaría General del SICA.")
    assert found == [
        (
            "general-secretariat-of-the-central-american-integration-system",
            "General Secretariat of the Central American Integration System",
        )
    ]


def test_english_executive_secretariat_takes_the_english_name_of_the_organization() -> None:
    found = _organs("The Executive Secretariat of OEA presented the hemispheric study.")
    assert [name for _, name in found] == [
        "Executive Secretariat of the Organization of American States"
    ]


def test_both_languages_give_the_same_key() -> None:
    english = _organs("the General Secretariat of SICA attended")
    spanish = _organs("asistió la Secretaría General del Sistema de la Integración Centroamericana")
    assert english == spanish


def test_a_secretariat_of_something_unknown_is_left_alone() -> None:
    assert _organs("La Secretaría General del Ministerio recibió a las delegaciones.") == []


def test_municipal_government_of_a_place_with_particles() -> None:
    found = _organs("con el apoyo del Gobierno Autónomo Municipal de Santa Cruz de la Sierra.")
    assert [name for _, name in found] == ["Municipal Government of Santa Cruz de la Sierra"]


def test_a_place_name_may_begin_with_an_article() -> None:
    found = _organs("La Alcaldía de La Paz ofreció una recepción.")
    assert [name for _, name in found] == ["Municipal Government of La Paz"]


def test_municipality_replaces_the_state_named_as_the_place() -> None:
    text = "The meeting was supported by the Municipality of Guatemala, Guatemala."
    mentions = compose_organs(text, gazetteer().find(text))
    assert [(m.kind, m.name) for m in mentions] == [
        ("organization", "Municipal Government of Guatemala"),
        ("state", "Guatemala"),
    ]


def test_lower_case_phrase_is_not_a_name() -> None:
    found = _organs("the municipality of a small town and the general secretariat of IOM")
    assert found == [("iom", "IOM")]


def test_roles_follow_the_participation_rules() -> None:
    roles = _roles(
        "Asistieron en calidad de observadores el ACNUR, la OIT y la Secretaría General "
        "del SICA. La Canciller inauguró el evento, acompañado por el Alcalde del Gobierno "
        "Municipal de Cobija, Juan Pérez."
    )
    assert ("General Secretariat of the Central American Integration System", "observer") in roles
    assert ("Municipal Government of Cobija", "participant") in roles
    assert not any(name == "Central American Integration System" for name, _ in roles)


def test_two_acronyms_glued_together_are_both_presenters() -> None:
    roles = _roles(
        "Se recibió el informe sobre remesas en la región por parte de UNHCRCEPAL/CELADE."
    )
    assert {
        ("UNHCR", "presenter"),
        ("CEPAL", "presenter"),
        ("CELADE", "presenter"),
    } <= roles


def test_a_capitalised_heading_word_is_not_split() -> None:
    text = "CONCLUSIONES Y RECOMENDACIONES DEL ENCUENTRO"
    assert compose_organs(text, gazetteer().find(text)) == gazetteer().find(text)
    assert not [m for m in gazetteer().find(text) if m.kind == "organization"]


def test_an_organization_defined_with_its_acronym_wins_over_a_known_name_inside() -> None:
    text = (
        "Attending as observers were the International Labour Organization (ILO) and the "
        "United Nations Volunteers Programme (UNVP)."
    )
    raw = RawDocument(Path("test.txt"), "test", "test.txt", "0" * 64, text)
    ctx = build_context(read_text(raw), gazetteer())
    keys = [m.key for s in ctx.sentences for m in s.mentions]
    assert keys == ["ilo", "ilo", "unvp", "unvp"]


def test_organization_as_subject_of_supported_the_conference() -> None:
    roles = _roles(
        "UNICEF, through its regional office, supported the Conference with a study on "
        "children on the move. Honduras supported the proposal of Mexico."
    )
    assert roles == {("UNICEF", "supporter")}


def test_the_author_of_a_presented_report_presents_it() -> None:
    roles = _roles(
        "Se recibió con interés la presentación del informe de la OIT sobre reclutamiento "
        "equitativo. The delegations welcomed the presentation of the study of UNICEF on "
        "returned children."
    )
    assert {("OIT", "presenter"), ("UNICEF", "presenter")} <= roles


def test_a_process_whose_report_is_presented_is_not_a_presenter() -> None:
    roles = _roles("Se aprobó la presentación del informe de la CRM sobre su plan de acción.")
    assert not any(role == "presenter" for _, role in roles)
