"""Persons after an abbreviated honorific ("Mtro.", "Licda.", "Ing.", "Dra.", "Emb."), at the
end of a long job title: the reader does not end the sentence at the honorific's dot, and the
person is found with the whole title as their title.

Every sentence here is invented for the test: other names, offices and countries.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rcm_graph.stages.extraction import extract_text
from rcm_graph.stages.extraction.lexicons import table
from rcm_graph.stages.reading import RawDocument, read_text
from rcm_graph.stages.reading.structure import ABBREVIATIONS


def _people(text: str) -> dict[str, tuple[str | None, str]]:
    raw = RawDocument(Path("t.txt"), "t", "t.txt", hashlib.sha256(text.encode()).hexdigest(), text)
    return {p.name: (p.title, p.method) for p in extract_text(raw).persons}


@pytest.mark.parametrize(
    "honorific", ["Mtro.", "Mtra.", "Lic.", "Licda.", "Ing.", "Dr.", "Dra.", "Emb."]
)
def test_the_reader_does_not_cut_at_an_honorific(honorific: str) -> None:
    text = (
        "Nota\n\nLa apertura estuvo a cargo del Cónsul General, "
        f"{honorific} Rosa Elvira Quintana, quien saludó.\n"
    )
    doc = read_text(RawDocument(Path("t.txt"), "t", "t.txt", "0" * 64, text))
    sentences = [s.text for b in doc.blocks for s in b.sentences]
    assert any(honorific in s and "Quintana" in s for s in sentences)


def test_every_abbreviated_honorific_of_the_lexicon_is_known_to_the_reader() -> None:
    words = {"don", "sir", "dame", "miss", "doña", "señor"}  # whole words, not abbreviations
    short = {
        f for f, _lang, kind in table("person-titles.tsv") if kind == "honorific" and len(f) <= 5
    }
    assert {f for f in short if f.lower() not in words} <= ABBREVIATIONS


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        (
            "Nota\n\nLa sesión fue presidida por el Director General de Asuntos Consulares del "
            "Ministerio del Interior de Chile, Mtra. Laura Beatriz Fuentes Olmedo, quien dio la "
            "bienvenida a las delegaciones.\n",
            "Laura Beatriz Fuentes Olmedo",
            "Director General de Asuntos Consulares del Ministerio del Interior de Chile",
        ),
        (
            "Nota\n\nLa sesión fue presidida por el Coordinador Nacional del Despacho del "
            "Viceministro de Movilidad Humana del Ecuador, Mtro. Tomás Ignacio Arriaga Lobos, "
            "quien abrió el debate.\n",
            "Tomás Ignacio Arriaga Lobos",
            "Coordinador Nacional del Despacho del Viceministro de Movilidad Humana del Ecuador",
        ),
        (
            "Nota\n\nIntervino la Directora de Cooperación Internacional, Licda. Carmen Elisa "
            "Robles, quien presentó el plan.\n",
            "Carmen Elisa Robles",
            "Directora de Cooperación Internacional",
        ),
        (
            "Nota\n\nEl informe lo expuso el Jefe de la Unidad de Fronteras, Ing. Mario Andrés "
            "Salazar, quien respondió a las preguntas.\n",
            "Mario Andrés Salazar",
            "Jefe de la Unidad de Fronteras",
        ),
        (
            "Note\n\nThe session was chaired by the Head of the Consular Section of the Embassy "
            "of Peru, Dr. Helen Margaret Clarke, who welcomed the delegations.\n",
            "Helen Margaret Clarke",
            "Head of the Consular Section of the Embassy of Peru",
        ),
    ],
)
def test_a_name_after_an_honorific_takes_the_job_title(text: str, name: str, title: str) -> None:
    people = _people(text)
    assert name in people
    assert people[name][0] == title
    assert people[name][1].startswith("rule:person-")
