"""Document types from the title block, the document's words about itself and its shape.

Each text is written for the test in a general shape of the family (other meetings, places,
years), English and Spanish.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rcm_graph.reference.schemes import DOCUMENT_TYPES
from rcm_graph.stages.extraction import extract_text
from rcm_graph.stages.reading import RawDocument

_MEETING_EN = (
    "The delegations of Belize, Guatemala and Honduras met in Belmopan on 4 and 5 June 2019 "
    "to review the regional work plan on labour migration and consular protection."
)
_MEETING_ES = (
    "Las delegaciones de Costa Rica, Panamá y Honduras se reunieron en San José los días 4 y "
    "5 de junio de 2019 para revisar el plan de trabajo regional sobre migración laboral."
)

CASES = [
    ("Joint Communiqué\n\nXXX Vice-Ministerial Meeting\n\n" + _MEETING_EN, "joint-communique"),
    ("COMUNICADO CONJUNTO\n\n" + _MEETING_ES, "joint-communique"),
    ("Comunicado de prensa\n\n" + _MEETING_ES, "press-release"),
    ("Nota de prensa\n\n" + _MEETING_ES, "press-release"),
    ("Acta de la reunión del Grupo Regional\n\n" + _MEETING_ES, "minutes"),
    ("Minuta\n\n" + _MEETING_ES, "minutes"),
    ("Conclusiones y recomendaciones\n\n" + _MEETING_ES, "conclusions"),
    ("Relatoría del taller regional\n\n" + _MEETING_ES, "report"),
    ("Informe de la Secretaría Técnica\n\n" + _MEETING_ES, "report"),
    ("Declaración de San José\n\n" + _MEETING_ES, "declaration"),
    ("Provisional agenda\n\n" + _MEETING_EN, "agenda"),
    # a flattened title in capitals, then the text
    (
        "XXV REUNIÓN REGIONAL SOBRE MOVILIDAD HUMANA DECLARACIÓN DE CUENCA " + _MEETING_ES,
        "declaration",
    ),
    # the document names itself in its first sentence
    (
        _MEETING_EN + " At the close, they adopted the following declaration:\n\n1. To meet.",
        "declaration",
    ),
    # a letter that transmits a communiqué
    (
        "Letter from the Permanent Representative\n\nPlease find attached, as agreed, the text "
        "of a joint communiqué that the ministers approved on leaving.\n\n" + _MEETING_EN,
        "joint-communique",
    ),
]


def _type(text: str) -> str | None:
    raw = RawDocument(Path("t.txt"), "t", "t.txt", hashlib.sha256(text.encode()).hexdigest(), text)
    return extract_text(raw).doc_type


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_title_and_opening_cues(text: str, expected: str) -> None:
    assert _type(text) == expected


def test_a_name_inside_the_text_is_no_agenda() -> None:
    text = (
        "Migration and the 2030 Agenda\n\n"
        + _MEETING_EN
        + " They discussed the 2030 Agenda for Sustainable Development."
    )
    assert _type(text) != "agenda"


def test_press_release_news_and_web_page_by_shape() -> None:
    press = (
        "Quito – Delegates from nine ministries gathered on Wednesday in Quito for a "
        "seminar on seasonal farm work.\n\n"
        '"Cooperation is the only way forward," said the Deputy Director General at the '
        "opening of the workshop on Tuesday.\n"
    )
    assert _type(press) == "press-release"
    news = (
        "Roberto Salinas\n\n"
        "La reunión de viceministros de la región se celebró recientemente en Tegucigalpa, "
        "con la participación de los países miembros.\n\n"
        "Los viceministros acordaron continuar el trabajo sobre migración laboral.\n"
    )
    assert _type(news) == "news"
    page = (
        "Skip to main content\n\nRegional workshop on consular protection\n\n"
        "OBJECTIVES OF THE ACTIVITY\n\nTo compare how the consulates of the subregion protect "
        "seasonal farm workers, and to draft a shared protocol.\n"
    )
    assert _type(page) == "web-page"


def test_communique_by_its_operative_paragraphs() -> None:
    text = (
        _MEETING_EN + " During the meeting, the Vice-Ministers:\n\n"
        "Restated their support for the rights of seasonal workers.\n\n"
        "Agreed to hold a workshop on the return of migrants.\n\n"
        "Requested the Technical Secretariat to prepare a study.\n"
    )
    assert _type(text) == "joint-communique"


def test_every_type_is_in_the_document_type_scheme() -> None:
    for _text, expected in CASES:
        assert expected in DOCUMENT_TYPES
    assert {"news", "presentation", "web-page", "press-release"} <= set(DOCUMENT_TYPES)
