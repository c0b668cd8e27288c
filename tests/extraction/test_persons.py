"""Persons in running text, English and Spanish: titles are never names, names keep their
particles and both surnames, and each person names the rule that found it.

Every sentence here is written for the test, in the general shapes of the family's documents
(communiqués, press releases, news, letters): other names, other places, other offices.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rcm_graph.model.facts import DocumentFacts
from rcm_graph.stages.extraction import extract_text
from rcm_graph.stages.reading import RawDocument


def _facts(text: str) -> DocumentFacts:
    raw = RawDocument(Path("t.txt"), "t", "t.txt", hashlib.sha256(text.encode()).hexdigest(), text)
    return extract_text(raw)


def _people(text: str) -> dict[str, str | None]:
    return {p.name: p.title for p in _facts(text).persons}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Press release\n\nThe workshop was opened by Vice Minister Ana Torres Vega.\n",
            {"Ana Torres Vega": "Vice Minister"},
        ),
        (
            "Press release\n\nThe Acting Minister of Labour, Peter Brown, welcomed the "
            "delegations to Belmopan.\n",
            {"Peter Brown": "Acting Minister of Labour"},
        ),
        (
            'News\n\n"Borders must be safe for everyone," said Mary Johnson, Executive '
            "Secretary of the Forum, on Monday.\n",
            {"Mary Johnson": "Executive Secretary of the Forum"},
        ),
        (
            "Note\n\nThe meeting was chaired by Chargé d'Affaires Paul Martin.\n",
            {"Paul Martin": "Chargé d'Affaires"},
        ),
        (
            "Boletín\n\nLa Viceministra de Relaciones Exteriores de Honduras, María José "
            "Sánchez de la Rosa, inauguró la reunión en Tegucigalpa.\n",
            {"María José Sánchez de la Rosa": "Viceministra de Relaciones Exteriores de Honduras"},
        ),
        (
            "Boletín\n\nEl Secretario Técnico, Lic. Andrés Molina, presentó el informe anual.\n",
            {"Andrés Molina": "Secretario Técnico"},
        ),
        (
            "Boletín\n\nEl Canciller Pedro Ramos y el Embajador Luis Vega firmaron el acta.\n",
            {"Pedro Ramos": "Canciller", "Luis Vega": "Embajador"},
        ),
        (
            "Boletín\n\nLa reunión contó con la presencia de la directora de Asuntos "
            "Migratorios de la Cancillería, Rocío Fuentes, quien presentó el plan.\n",
            {"Rocío Fuentes": "directora de Asuntos Migratorios de la Cancillería"},
        ),
    ],
)
def test_titles_before_or_beside_a_name(text: str, expected: dict[str, str | None]) -> None:
    assert _people(text) == expected


def test_a_title_is_never_a_name() -> None:
    text = (
        "Comunicado\n\nLa Viceministra Interina de Trabajo cerró la jornada. "
        "La Secretaria Técnica del Foro Andino expuso el balance del año. "
        "The Director General of Migration of Costa Rica thanked Canada. "
        "The Executive Secretary met the Deputy Minister in March.\n"
    )
    assert _facts(text).persons == []


def test_a_surname_alone_joins_a_person_named_in_full_or_stands_after_an_office() -> None:
    text = (
        "Nota\n\nEl Ministro de Gobierno de Panamá, Jorge Luis Castillo, abrió la sesión. "
        '"Debemos cooperar", afirmó el Ministro Castillo. Luego intervino la Ministra Ávila.\n'
    )
    facts = _facts(text)
    assert [(p.name, p.affiliation and p.affiliation.key) for p in facts.persons] == [
        ("Jorge Luis Castillo", "PAN"),
        ("Ávila", None),  # named by her office and surname only: a person all the same
    ]
    assert facts.persons[0].method == "rule:person-apposition"
    assert facts.persons[1].title == "Ministra"


def test_signature_byline_and_honorifics() -> None:
    letter = (
        "Note verbale of 19 October 2011, Mission of Peru in Geneva\n\n"
        "I have the honour to transmit the enclosed declaration.\n\n"
        "(Signed) Ricardo ALVEAR Permanent Representative\n"
    )
    assert _people(letter) == {"Ricardo Alvear": "Permanent Representative"}
    news = (
        "Carmen Salazar\n\nLa reunión de viceministros se celebró en San José con la "
        "participación de los países miembros.\n"
    )
    facts = _facts(news)
    assert [(p.name, p.method) for p in facts.persons] == [("Carmen Salazar", "rule:person-byline")]
    honorific = "Informe\n\nSegún la Sra. Elena Quispe, Directora de Migraciones, el plan avanza.\n"
    assert _people(honorific) == {"Elena Quispe": "Directora de Migraciones"}


def test_speakers_in_news_and_minutes() -> None:
    text = (
        "Minutes\n\nGeorge Miller stated that the pilot ended in June. "
        "In reply, Sandra Ortiz from IOM explained the budget. "
        "The Regional Conference welcomed the proposal.\n"
    )
    facts = _facts(text)
    got = {(p.name, p.affiliation and p.affiliation.key, p.method) for p in facts.persons}
    assert got == {
        ("George Miller", None, "rule:person-speech"),
        ("Sandra Ortiz", "iom", "rule:person-from"),
    }


def test_chairs_and_participant_lists() -> None:
    text = (
        "Minutes\n\nThe session was chaired by Laura Benítez. The speakers were Tomás Acosta "
        "(Ecuador) and Ruth Palmer (IOM). The session was chaired by the Presidency.\n"
    )
    facts = _facts(text)
    got = {(p.name, p.affiliation and p.affiliation.key, p.method) for p in facts.persons}
    assert got == {
        ("Laura Benítez", None, "rule:person-led"),
        ("Tomás Acosta", "ECU", "rule:person-list"),
        ("Ruth Palmer", "iom", "rule:person-list"),
    }


def test_names_the_lexicon_does_not_know() -> None:
    # no known given name: the run after its first word, the title's complement
    text = "Note\n\nThe Minister of Tourism Bartolo Quispe Mamani, opened the fair in Lima.\n"
    assert _people(text) == {"Bartolo Quispe Mamani": "Minister of Tourism"}
    # a verb of speech before, an office after
    quote = 'Boletín\n\n"Avanzamos juntos", expresó Xóchitl Ayala, directora de Migración.\n'
    assert _people(quote) == {"Xóchitl Ayala": "directora de Migración"}


def test_signature_blocks_and_delegation_lists() -> None:
    text = (
        "Declaración de Tegucigalpa\n\nLos países acordaron el plan regional.\n\n"
        "Edmundo Orellana Viceministro de Relaciones Exteriores\n\n"
        "Por Guatemala: Walter Cifuentes\n"
    )
    facts = _facts(text)
    got = {(p.name, p.title, p.affiliation and p.affiliation.key) for p in facts.persons}
    assert got == {
        ("Edmundo Orellana", "Viceministro de Relaciones Exteriores", None),
        ("Walter Cifuentes", None, "GTM"),
    }


def test_a_complement_that_ends_in_a_known_word() -> None:
    text = "News\n\nThe Secretary of State Antony Blinken met the delegations in Panama.\n"
    assert _people(text) == {"Antony Blinken": "Secretary of State"}


def test_a_name_with_its_organization_in_apposition() -> None:
    text = "Nota\n\nPor su parte, Alba Lucía Mejía, de la OIM, expuso los resultados del taller.\n"
    facts = _facts(text)
    assert [(p.name, p.affiliation and p.affiliation.key) for p in facts.persons] == [
        ("Alba Lucía Mejía", "iom")
    ]


def test_a_long_title_with_a_list_of_fields_runs_into_the_name() -> None:
    text = (
        "News\n\nThe Undersecretary of Labour, Employment and Social Security of the Ministry "
        "of Labour of Belize Rosa Delgado Fuentes welcomed the delegates in Belmopan.\n"
    )
    facts = _facts(text)
    assert [(p.name, p.method) for p in facts.persons] == [
        ("Rosa Delgado Fuentes", "rule:person-title")
    ]
    assert facts.persons[0].title is not None
    assert facts.persons[0].title.startswith("Undersecretary of Labour, Employment")


def test_a_spanish_title_with_fields_and_two_surnames_in_apposition() -> None:
    text = (
        "Boletín\n\nLa jornada estuvo a cargo del subsecretario de Población, Empleo y Asuntos "
        "Laborales de la Secretaría de Trabajo, Arnulfo Benítez Carrasco, quien la inauguró.\n"
    )
    assert _people(text) == {
        "Arnulfo Benítez Carrasco": "subsecretario de Población, Empleo y Asuntos Laborales "
        "de la Secretaría de Trabajo"
    }


def test_words_of_places_and_bodies_are_never_a_person() -> None:
    text = (
        "News\n\nThe Honduras-Canada-Central America Working Committee met in Tegucigalpa, "
        "and the Pacific Alliance Youth Programme presented its working plan.\n"
    )
    assert _facts(text).persons == []


def test_a_name_in_capitals_after_a_title() -> None:
    text = "Boletín\n\nEL VICEMINISTRO RAÚL ESQUIVEL PRESENTÓ EL INFORME DE LA REUNIÓN.\n"
    assert list(_people(text)) == ["Raúl Esquivel"]


def test_a_quoted_speaker_with_title_and_organization() -> None:
    text = (
        'News\n\n"Borders must stay open to trade," said Helen Carter, Minister of '
        "Immigration of Belize, after the session.\n"
    )
    facts = _facts(text)
    assert [(p.name, p.affiliation and p.affiliation.key) for p in facts.persons] == [
        ("Helen Carter", "BLZ")
    ]


@pytest.mark.parametrize(
    "line",
    ["* Con colaboración de Armando Gómez.", "Written by Armando Gómez", "Por Armando Gómez."],
)
def test_a_byline_at_the_foot_of_a_news_item(line: str) -> None:
    facts = _facts(f"Noticia\n\nLa reunión del foro terminó ayer en Lima.\n\n{line}")
    assert [(p.name, p.method) for p in facts.persons] == [("Armando Gómez", "rule:person-byline")]


def test_a_surname_after_an_office_is_a_person() -> None:
    people = _people(
        "Additionally, Secretary Pérez and Foreign Minister Quispe called on all countries to "
        "act. El canciller Mamani habló. The Deputy Ministers met. Mr. Soto spoke."
    )
    assert set(people) == {"Pérez", "Quispe", "Mamani"}


def test_no_lone_surname_in_a_title_case_headline_or_an_office_complement() -> None:
    people = _people(
        "IOM Deputy Director General Commends South America's Contribution To The Compact\n\n"
        "El Director General para Asuntos Consulares presentó el informe."
    )
    assert not people


def test_a_title_stops_before_the_verb_of_speech() -> None:
    facts = _facts(
        "News\n\nIn her opening speech, Laura Pinto, UNICEF’s Regional Director for South "
        "America said that returns weigh on children.\n"
    )
    [person] = facts.persons
    assert person.title == "Regional Director for South America"
    assert person.affiliation is not None and person.affiliation.key == "unicef"


def test_an_accent_typed_for_an_apostrophe_still_makes_a_possessive() -> None:
    facts = _facts(
        "News\n\nUNHCR´s Regional Representative, Ambassador Peter Olsen, travels to Lima to "
        "attend the forum.\n"
    )
    [person] = facts.persons
    # the rank before the name and the office in apposition are both kept; the office says whose
    assert person.title == "Regional Representative; Ambassador"
    assert person.affiliation is not None and person.affiliation.key == "unhcr"


def test_an_attorney_general_in_apposition() -> None:
    people = _people(
        "News\n\nThe report was received by Hon. Miriam Castle, Attorney General of Jamaica, "
        "on behalf of the Government.\n"
    )
    assert people == {"Miriam Castle": "Attorney General of Jamaica"}


def test_a_possessive_is_not_part_of_the_name() -> None:
    people = _people("News\n\nThe partners thanked President Olmedo’s government for hosting.\n")
    assert people == {"Olmedo": "President"}


def test_a_secretariat_is_no_title() -> None:
    assert _people("Noticias\n\nSe evaluó la operación de la Secretaría Virtual de la red.\n") == {}


def test_words_of_the_field_before_the_office_belong_to_the_title() -> None:
    people = _people(
        "News\n\nHe was accompanied by Nikolai Petrov, Legal Protection Officer of the Refugees "
        "Department.\n"
    )
    assert people == {"Nikolai Petrov": "Legal Protection Officer of the Refugees Department"}


def test_a_speech_heading_is_no_person() -> None:
    people = _people("Assistant Secretary General Speech\n\nIt is my honor to be here.\n")
    assert "Speech" not in people
