"""GCM objectives from general cue phrases, English and Spanish (lexicon/objectives.tsv).

Sentences written for the test, in the shapes of the family's declarations and news.
"""

from __future__ import annotations

import pytest

from rcm_graph.stages.extraction.subjects import paragraph_objectives, paragraph_topics


@pytest.mark.parametrize(
    ("text", "objectives"),
    [
        ("Los países acordaron garantizar que la repatriación sea segura y digna.", {21}),
        ("The ministers reaffirmed the free mobility of citizens within the region.", {5}),
        ("Valoraron que la libre movilidad facilite el turismo entre vecinos.", {5}),
        ("No country can manage migration alone: it is a shared responsibility.", {23}),
        ("Se analizaron la migración laboral y el trabajo forzoso en la subregión.", {6}),
        ("Hubo un panel sobre el tráfico ilícito de migrantes por vía marítima.", {9}),
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


@pytest.mark.parametrize(
    ("text", "objectives"),
    [
        ("The ministers reviewed the follow-up of the Global Compact in the subregion.", {23}),
        ("Se presentó el avance del Pacto Mundial en los países miembros.", {23}),
        ("The meeting is a forum for dialogue among the governments of the region.", {23}),
        ("El lema del encuentro fue migración con inclusión y desarrollo.", {16}),
        ("Se discutió la integración sociolaboral de las personas refugiadas.", {16}),
        ("Acordaron reforzar la protección y coordinación consular en la región.", {14}),
        ("Ottawa announced a fund to assist the return of stranded migrants.", {21}),
        ("Los técnicos revisaron las estadísticas de entradas por los puertos.", {1}),
        ("The centre keeps a database of arrivals at each border post.", {1}),
    ],
)
def test_cues_without_a_keyword(text: str, objectives: set[int]) -> None:
    assert objectives <= set(paragraph_objectives(text))


def test_return_as_a_role_of_countries_is_no_objective() -> None:
    es = "La región agrupa a países de origen, tránsito, destino y retorno de migrantes."
    en = "Each of them is at once origin, transit and return for workers."
    assert 21 not in paragraph_objectives(es)
    assert 21 not in paragraph_objectives(en)
    assert 21 in paragraph_objectives("Se habló del retorno de los migrantes a sus países.")


@pytest.mark.parametrize(
    ("text", "objective"),
    [
        ("Access to regular residency mechanisms and migratory regularization processes.", 5),
        ("Considerar procesos de regularización migratoria.", 5),
        ("La protección de los nacionales en el exterior afectados por crisis.", 14),
        ("The technical and financial cooperation provided by the cooperating States.", 23),
        ("Avanzar hacia una coordinación regional frente a los flujos.", 23),
    ],
)
def test_further_wordings_of_objectives(text: str, objective: int) -> None:
    assert objective in paragraph_objectives(text)


@pytest.mark.parametrize(
    ("text", "objective"),
    [
        ("Preventing and resolving statelessness, including birth registration.", 4),
        ("Expand lawful pathways for migration.", 5),
        ("Para una adecuada inserción económica y social.", 16),
        ("Una respuesta regional basada en la responsabilidad compartida.", 23),
        ("International financial cooperation for the host countries.", 23),
    ],
)
def test_wordings_of_objectives_in_news_and_declarations(text: str, objective: int) -> None:
    assert objective in paragraph_objectives(text)
