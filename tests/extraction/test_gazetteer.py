"""Actor names: states in all variants, organizations by name and English/Spanish acronym."""

from __future__ import annotations

import pytest

from rcm_graph.stages.extraction.gazetteer import gazetteer, resolve_body


def _keys(text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.key) for m in gazetteer().find(text)]


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("the Government of Canada", "state", "CAN"),
        ("Panama, Republic of Panama", "state", "PAN"),
        ("the United States", "state", "USA"),
        ("los Estados Unidos de América", "state", "USA"),
        ("México", "state", "MEX"),
        ("República Dominicana", "state", "DOM"),
        ("Belice", "state", "BLZ"),
        ("CEPAL", "organization", "eclac"),
        ("ECLAC", "organization", "eclac"),
        ("CICR", "organization", "icrc"),
        ("OACNUDH", "organization", "ohchr"),
        ("OIM", "organization", "iom"),
        ("ACNUR", "organization", "unhcr"),
        ("PNUD", "organization", "undp"),
        ("Organización Internacional para las Migraciones", "organization", "iom"),
        ("International Labour Organisation", "organization", "ilo"),
        ("Conferencia Regional sobre Migración", "process", "rcm"),
        ("SACM", "process", "sacm"),
        ("CSM", "process", "sacm"),
        ("Proceso Puebla", "process", "rcm"),
        ("su Grupo Regional de Consulta", "body", "regional-consultation-group-on-migration"),
        ("the Regional Consultation Group met", "body", "regional-consultation-group-on-migration"),
    ],
)
def test_names(text: str, kind: str, key: str) -> None:
    assert (kind, key) in _keys(text)


def test_longest_name_wins() -> None:
    assert _keys("Dominican Republic") == [("state", "DOM")]
    assert _keys("in Mexico City") == [("city", "Mexico City|MEX")]
    assert _keys("the United Nations Regional Network on Migration") == [
        ("organization", "un-regional-network-migration")
    ]


def test_lowercase_words_are_not_names() -> None:
    assert _keys("they can chad and turkey") == []


def test_body_resolution() -> None:
    text = "the PPTs of the SACM and the RCM will circulate; the RCM-TS will report"
    found = gazetteer().find(text)
    ppt = next(m for m in found if m.key == "presidency-pro-tempore")
    ts = next(m for m in found if m.key == "technical-secretariat")
    assert resolve_body(text, ppt, "rcm") == ["sacm", "rcm"]
    assert resolve_body(text, ts, "sacm") == ["rcm"]
    assert ppt.plural


def test_joined_acronyms_are_each_recognised() -> None:
    assert _keys("OIM–CEPAL/CELADE") == [
        ("organization", "iom"),
        ("organization", "eclac"),
        ("organization", "celade"),
    ]
    assert _keys("ECLAC/CELADE") == [("organization", "eclac"), ("organization", "celade")]


def test_dotted_acronyms_of_three_letters_or_more() -> None:
    assert _keys("la O.I.M. y la O.E.A") == [("organization", "iom"), ("organization", "oas")]
    assert _keys("E.U.") == []  # two letters: too ambiguous to read as an acronym


@pytest.mark.parametrize(
    "text",
    ["Conferencia Sudamericana sobre Migraciones", "Conferencia Suramericana de Migraciones"],
)
def test_spelling_variants_of_the_south_american_conference(text: str) -> None:
    assert _keys(text) == [("process", "sacm")]


def test_names_match_without_their_accents() -> None:
    found = gazetteer().find(
        "Republica Dominicana, la Organizacion Internacional para las Migraciones y la "
        "Conferencia Regional sobre Migracion"
    )
    assert [(m.kind, m.key) for m in found] == [
        ("state", "DOM"),
        ("organization", "iom"),
        ("process", "rcm"),
    ]
    assert not gazetteer().find("la Reunion de ayer")  # "Reunión" is no state, with or without


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("la II Reunión del Proceso de Quito", "quito-process"),
        ("the Comprehensive Regional Protection and Solutions Framework (MIRPS)", "mirps"),
        ("con el apoyo de la Oficina de Población, Refugiados y Migración (PRM)", "us-prm"),
        ("el Banco Interamericano de Desarrollo", "idb"),
        ("el INM de Honduras", "inm-honduras"),
        ("the Pan American Health Organization", "paho"),
    ],
)
def test_organizations_of_the_wider_table(text: str, key: str) -> None:
    assert key in {m.key for m in gazetteer().find(text)}


def test_an_acronym_that_is_a_word_is_no_name_in_a_heading_of_capitals() -> None:
    assert not gazetteer().find("WHO WE ARE")
    assert {m.key for m in gazetteer().find("WHO, PAHO and UNICEF attended.")} == {
        "who",
        "paho",
        "unicef",
    }


def test_abbreviations_of_the_united_states() -> None:
    for text in ("including the USA and Canada", "los EE. UU. y México", "the U.S. and Mexico"):
        assert "USA" in {m.key for m in gazetteer().find(text)}, text
    assert not gazetteer().find("CONTACT US")


@pytest.mark.parametrize(
    ("text", "kind", "key", "written"),
    [
        ("los delegados de Chile y de la República de Colom", "state", "COL", "República de Colom"),
        ("Among the members are Hondu", "state", "HND", "Hondu"),
        ("with the support of UNIC", "organization", "unicef", "UNIC"),
        ("la Organización Internacional para las Migra", "organization", "iom", None),
    ],
)
def test_a_name_cut_off_at_the_end_is_completed(
    text: str, kind: str, key: str, written: str | None
) -> None:
    cut = gazetteer().cut_name(text)
    assert cut is not None and (cut.kind, cut.key) == (kind, key)
    assert text[cut.start : cut.end] == cut.name
    if written is not None:
        assert cut.name == written


@pytest.mark.parametrize(
    "text",
    [
        "representatives of the United",  # United States, Kingdom, Nations …: which one?
        "the states of Central",  # Central African Republic, Central American …
        "el Gobierno de El",  # too short to tell
        "the Government of Belize",  # complete: nothing was cut
        "a delegation from Panama.",  # ends with punctuation
        "the meeting closed with thanks to the hosts",  # no name begins so
        "with the support of unic",  # an acronym is cut only in capitals
    ],
)
def test_a_word_that_begins_several_names_or_none_is_not_completed(text: str) -> None:
    assert gazetteer().cut_name(text) is None


def test_guyana_as_spanish_press_spells_it() -> None:
    assert _keys("Guayana, Surinam y la Guayana Francesa") == [
        ("state", "GUY"),
        ("state", "SUR"),
        ("state", "GUF"),
    ]
