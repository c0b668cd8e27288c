"""GCM objectives from general cue phrases, English and Spanish (lexicon/objectives.tsv).

Sentences written for the test, in the shapes of the family's declarations and news.
"""

from __future__ import annotations

import pytest

from rcm_graph.extraction.subjects import paragraph_objectives, paragraph_topics


@pytest.mark.parametrize(
    ("text", "objectives"),
    [
        ("Los países acordaron garantizar que la repatriación sea segura y digna.", {21}),
        ("The ministers reaffirmed the free mobility of citizens within the region.", {5}),
        ("Reconocieron el derecho a la libre movilidad de la persona migrante.", {5}),
        ("No country can manage migration alone: it is a shared responsibility.", {23}),
        ("Se analizaron la migración laboral y el trabajo forzoso en la subregión.", {6}),
        ("Se abordó el tráfico ilícito de personas migrantes en la frontera sur.", {9}),
        ("They studied how the hurricane displaced families in the coastal towns.", {2}),
        ("La reunión trató la integración socioeconómica de los refugiados.", {16}),
        ("The workshop addressed consular notification for detained nationals.", {14}),
    ],
)
def test_general_cues(text: str, objectives: set[int]) -> None:
    assert set(paragraph_objectives(text)) == objectives


def test_a_regional_integration_name_is_no_objective() -> None:
    text = "the South American Meeting on Migrations, Integration and Development of 1999"
    assert 16 not in paragraph_objectives(text)


def test_topics_follow_in_spanish() -> None:
    text = "Se habló de la libre movilidad y de la deportación de niños, niñas y adolescentes."
    assert {"regular-pathways", "return-and-reintegration", "migrant-children"} <= set(
        paragraph_topics(text)
    )
