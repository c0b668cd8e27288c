"""Acronyms of known organizations written in Title case inside brackets, as Spanish press
often writes them ("(Acnur)", "(Unicef)"): they name that organization, and they win over a
generic name (the United Nations) caught inside a long name misspelt before them.

Every sentence here is invented for the test: other organizations, other misspellings.
"""

from __future__ import annotations

import time
from pathlib import Path

from rcm_graph.model.facts import Meeting, Span
from rcm_graph.stages.extraction.context import DocContext, build_context
from rcm_graph.stages.extraction.gazetteer import gazetteer
from rcm_graph.stages.extraction.participation import find_participations
from rcm_graph.stages.reading import RawDocument, read_text


def _orgs(text: str) -> list[str]:
    return [m.key for m in gazetteer().find(text) if m.kind in ("organization", "process")]


def _context(text: str) -> DocContext:
    raw = RawDocument(Path("t.txt"), "t", "t.txt", "0" * 64, text)
    return build_context(read_text(raw), gazetteer())


def _doc_orgs(text: str) -> set[str]:
    ctx = _context(text)
    return {m.key for s in ctx.sentences for m in s.mentions if m.kind == "organization"}


def test_title_case_acronym_after_the_exact_name() -> None:
    text = "Expuso la Comisión Económica para América Latina y el Caribe (Cepal) su estudio."
    assert _orgs(text) == ["eclac", "eclac"]


def test_title_case_acronym_is_not_defined_as_a_new_organization() -> None:
    text = (
        "Boletín\n\nEl informe lo presentó la Comisión Económica para América Latina y el "
        "Caribe (Cepal) ante los delegados.\n"
    )
    assert _doc_orgs(text) == {"eclac"}


def test_misspelt_long_name_yields_to_the_acronym() -> None:
    text = "Intervino el Alto Comisionado de las Naciones Unidas para los Refujiados (Acnur) hoy."
    keys = _orgs(text)
    assert "unhcr" in keys
    assert "un" not in keys


def test_misspelt_english_name_yields_to_an_upper_case_acronym() -> None:
    text = "A statement by the United Nations Childrens Fund (UNICEF) followed."
    keys = _orgs(text)
    assert "unicef" in keys
    assert "un" not in keys


def test_the_whole_misspelt_name_is_one_mention() -> None:
    text = (
        "Habló la Oficina del Alto Comisionado de las Naciones Unidas para los Refugiadoss (Acnur)."
    )
    found = [m for m in gazetteer().find(text) if m.kind == "organization"]
    assert [m.key for m in found] == ["unhcr", "unhcr"]
    assert found[0].name.startswith("Oficina del Alto")
    assert found[1].name == "Acnur"


def test_a_generic_name_outside_the_bracketed_one_stays() -> None:
    text = (
        "Las Naciones Unidas y la Organización Internacional para las Migraciones (Oim) firmaron."
    )
    assert _orgs(text) == ["un", "iom", "iom"]


def test_only_inside_brackets() -> None:
    assert _orgs("La Cepal y la Oim publicaron un informe.") == []


def test_two_letter_and_unknown_words_in_brackets_are_not_acronyms() -> None:
    assert _orgs("Un grupo (Un) de expertos (Anexo) revisó el texto (Total).") == []


def test_listed_with_title_case_acronyms_all_participate() -> None:
    text = (
        "Participaron representantes de la Organización Internacional para las Migraciones "
        "(Oim), del Alto Comisionado de las Naciones Unidas para los Refujiados (Acnur) y de "
        "la Comisión Económica para América Latina y el Caribe (Cepal)."
    )
    ctx = _context(text)
    meeting = Meeting("m1", "la reunión", "meeting", Span(0, 10, "la reunión"), reported=True)
    parts = find_participations(ctx, meeting, speeches=False)
    keys = {p.actor.key for p in parts if p.role == "participant"}
    assert {"iom", "unhcr", "eclac"} <= keys
    assert "un" not in keys
    assert all(p.method for p in parts)


def test_a_badly_misspelt_name_is_still_the_acronyms() -> None:
    text = "Firmó la Ofcina del Alto Comisionad de las Naciones Unidas pra los Refgiads (Acnur)."
    assert _orgs(text) == ["unhcr", "unhcr"]


def test_an_unlisted_wording_still_gives_up_its_generic_part() -> None:
    text = "Firmó la Agencia de las Naciones Unidas para Refugiados (Acnur) el acuerdo."
    assert _orgs(text) == ["unhcr"]


def test_many_bracketed_acronyms_stay_linear() -> None:
    one = "la Comisión Económica para América Latina y el Caribe (Cepal), el Fondo (Unicef), "
    text = one * 3000  # about 250 KB in one sentence
    started = time.process_time()
    found = gazetteer().find(text)
    assert time.process_time() - started < 5
    assert sum(m.key == "eclac" for m in found) == 6000


def test_a_title_case_acronym_defined_in_brackets_names_it_again_later() -> None:
    text = (
        "La Comisión Económica para América Latina y el Caribe (Cepal) asistió a la reunión.\n\n"
        "Más tarde, la Cepal presentó su estudio sobre remesas.\n\n"
        "Una cepal no es nada."
    )
    ctx = _context(text)
    later = [(m.key, m.name) for s in ctx.sentences[1:] for m in s.mentions]
    assert later == [("eclac", "Cepal")]
