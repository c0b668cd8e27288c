"""Participating states named at the end of a chain of "de / of" phrases after "with the
participation of": "con la participación de funcionarios de los Ministerios de ... responsables
de ... de A, B y C". The states listed there took part (``rule:participation-of``); a state only
thanked, funded or mentioned does not.

Every sentence here is invented for the test, in the general shapes of the family's reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rcm_graph.model.facts import Meeting, Participation, Span
from rcm_graph.stages.extraction.context import build_context
from rcm_graph.stages.extraction.gazetteer import gazetteer
from rcm_graph.stages.extraction.participation import find_participations
from rcm_graph.stages.reading import RawDocument, read_text


def _participations(text: str) -> list[Participation]:
    raw = RawDocument(Path("t.txt"), "t", "t.txt", "0" * 64, text)
    ctx = build_context(read_text(raw), gazetteer())
    span = Span(0, 11, "the meeting")
    return find_participations(ctx, Meeting("m1", "the meeting", "meeting", span, True), True)


def _states(parts: list[Participation], role: str = "participant") -> set[str]:
    return {p.actor.key for p in parts if p.actor.kind == "state" and p.role == role}


@pytest.mark.parametrize(
    ("text", "expected", "method"),
    [
        (
            "La reunión contó con la participación de funcionarios de los Ministerios de "
            "Trabajo y de los Ministerios del Interior, Seguridad y Justicia encargados de las "
            "políticas de movilidad humana de Chile, Colombia, Ecuador y Perú.",
            {"CHL", "COL", "ECU", "PER"},
            "rule:participation-of",
        ),
        (
            "The meeting counted with the participation of senior officials of the ministries "
            "of labour and of the ministries of the interior and public security responsible "
            "for migration and refugee matters of Belize, Guatemala and Honduras.",
            {"BLZ", "GTM", "HND"},
            "rule:participation-of",
        ),
        (
            "El taller se desarrolló con la presencia de técnicos de las direcciones de "
            "migración y de las oficinas consulares de las cancillerías de Bolivia, Paraguay "
            "y Uruguay.",
            {"BOL", "PRY", "URY"},
            "rule:attendance",  # near enough to the cue for the general rule
        ),
    ],
)
def test_states_at_the_end_of_a_chain_of_de_phrases(
    text: str, expected: set[str], method: str
) -> None:
    parts = _participations(text)
    assert _states(parts) == expected
    assert {p.method for p in parts if p.actor.key in expected} == {method}


def test_a_thanked_state_is_not_a_participant() -> None:
    parts = _participations(
        "Los delegados agradecieron la participación de funcionarios de los ministerios de "
        "trabajo y el apoyo financiero del gobierno de Canadá."
    )
    assert "CAN" not in _states(parts)


def test_a_state_after_the_list_in_another_clause_is_not_listed() -> None:
    parts = _participations(
        "The workshop had the participation of officials of the ministries of labour "
        "responsible for migration of Chile and Peru, with funding from the Government of "
        "Spain."
    )
    assert _states(parts) == {"CHL", "PER"}


def test_observers_keep_their_role() -> None:
    parts = _participations(
        "The meeting counted with the participation of senior officials of the ministries "
        "of labour and of the ministries of the interior and public security responsible "
        "for migration of Belize and Guatemala. Officials of Mexico attended as observers."
    )
    assert _states(parts) == {"BLZ", "GTM"}
    assert _states(parts, "observer") == {"MEX"}


def test_the_place_of_the_meeting_is_not_a_participant() -> None:
    parts = _participations(
        "With the participation of officials of the ministries of the interior, the meeting "
        "was held in the city of Quito, Ecuador."
    )
    assert _states(parts) == set()


def test_a_state_named_as_the_subject_of_a_study_is_not_listed() -> None:
    parts = _participations(
        "Con la participación de funcionarios de los ministerios, se presentó el estudio "
        "sobre la migración laboral de Nicaragua hacia Costa Rica."
    )
    assert _states(parts) == set()
