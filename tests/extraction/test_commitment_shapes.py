"""Commitment shapes beyond the plain operative list, on short documents invented for these
tests (other cities, dates, ordinals and wording than any real document): lead-in lists,
numbered lists run into one paragraph, cut-off last sentences, exhortations and declarations
in running prose, news items, and what is not a commitment (an agenda, a sub-heading)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcm_graph.model.facts import Commitment, DocumentFacts
from rcm_graph.stages.extraction import extract_document


def _extract(tmp_path: Path, text: str) -> DocumentFacts:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return extract_document(path)


def _find(doc: DocumentFacts, start: str) -> Commitment:
    found = [c for c in doc.commitments if c.text.startswith(start)]
    assert found, f"no commitment starts with {start!r}: {[c.text for c in doc.commitments]}"
    return found[0]


def _texts(doc: DocumentFacts) -> list[str]:
    return [c.text for c in doc.commitments]


@pytest.mark.parametrize("bullet", ["- ", "a) ", "", "\uf0b7 "])
def test_items_under_a_thanking_lead_in(tmp_path: Path, bullet: str) -> None:
    doc = _extract(
        tmp_path,
        "ACTA DE LA REUNIÓN DEL GRUPO DE CONSULTA\nOrizaba, 14 de mayo de 2038\n\n"
        "ACUERDOS\n\n7. Agradecer a:\n\n"
        f"{bullet}Honduras, por el informe acerca del taller sobre retorno asistido en la\n"
        "región, a realizarse en agosto.\n\n"
        f"{bullet}Chile y Perú, por la propuesta de un seminario sobre movilidad laboral.\n\n"
        "8. Instar a los países miembros a remitir sus informes nacionales.\n",
    )
    thanks = _find(doc, "Honduras, por el informe")
    assert thanks.kind == "agreement" and not thanks.forward_looking
    assert thanks.method.startswith("rule:commitment-lead-in-item")
    assert not _find(doc, "Chile y Perú, por la propuesta").forward_looking
    urge = _find(doc, "Instar a los países miembros")
    assert urge.kind == "request" and urge.forward_looking
    assert not any(t.startswith("Agradecer a") for t in _texts(doc))


@pytest.mark.parametrize("bullet", ["-", "•"])
def test_thanked_items_under_bullets_on_lines_of_their_own(tmp_path: Path, bullet: str) -> None:
    doc = _extract(
        tmp_path,
        "ACTA DE LA REUNIÓN DEL GRUPO DE CONSULTA\nOrizaba, 14 de mayo de 2038\n\n"
        "CONCLUSIONES\n1. Tomar nota del informe de la ST.\n2. Agradecer a:\n"
        f"{bullet}\nHonduras, por el informe acerca del taller sobre retorno asistido en la\n"
        f"región, a realizarse en agosto.\n{bullet}\nChile y Perú, por la propuesta de un "
        "seminario\nsobre movilidad laboral.\n"
        "3. Instar a los países miembros a remitir sus informes nacionales.\n",
    )
    for start in ("Honduras, por el informe", "Chile y Perú, por la propuesta"):
        thanks = _find(doc, start)
        assert thanks.kind == "agreement" and not thanks.forward_looking
        assert thanks.method.startswith("rule:commitment-lead-in-item")
    assert _find(doc, "Instar a los países miembros").forward_looking


@pytest.mark.parametrize(
    "lead", ["Los Delegados acordaron agradecer a:", "Asimismo, agradecer a:", "To thank:"]
)
def test_lead_in_verb_after_agreeing_or_a_connective(tmp_path: Path, lead: str) -> None:
    doc = _extract(
        tmp_path,
        "MINUTES\nOrizaba, 2 May 2038\n\nThe delegations agreed:\n\n"
        "1. To take note of the Presidency's summary.\n\n"
        f"{lead}\n- Belize, for its offer to host the next workshop.\n",
    )
    assert not _find(doc, "Belize, for its offer").forward_looking


def test_collective_lead_in_with_third_person_items(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "DECLARACIÓN DE SALTA\nSalta, 9 de octubre de 2040\n\n"
        "Los Países Miembros de la CSM:\n"
        "- Reafirman la vigencia de los principios de la Conferencia en materia de derechos.\n"
        "- Acuerdan crear una red de puntos focales sobre trata de personas.\n"
        "- Instan a los organismos internacionales a apoyar los planes nacionales.\n",
    )
    assert _find(doc, "Reafirman la vigencia").forward_looking
    assert _find(doc, "Acuerdan crear una red").kind == "agreement"
    assert _find(doc, "Instan a los organismos").kind == "request"


def test_numbered_items_run_into_one_paragraph(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "IX CONFERENCIA REGIONAL SOBRE MIGRACIÓN\nLa Ceiba, 11 de marzo de 2041\n"
        "Los Viceministros ACORDARON: 1. Aprobar el informe de la Secretaría Técnica sobre "
        "sus actividades. 2. Reconocer la importancia del plan regional de protección "
        "consular. 3. Encomendar a la Presidencia Pro Tempore el diseño de un taller sobre "
        "retorno.\n",
    )
    texts = _texts(doc)
    assert not any(t.rstrip().endswith(("1.", ": 1")) for t in texts), texts
    assert not _find(doc, "Aprobar el informe").forward_looking
    assert _find(doc, "Reconocer la importancia").kind == "agreement"
    assert _find(doc, "Encomendar a la Presidencia").kind == "request"


def test_lettered_conclusions(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "REUNIÓN DEL GRUPO REGIONAL DE CONSULTA SOBRE MIGRACIÓN\n"
        "Ciudad de Belice, 7 de julio de 2037\n\nCONCLUSIONES\n\n"
        "1. Sobre la red de funcionarios de enlace:\n"
        "a) Solicitar a la Secretaría Técnica la actualización del directorio.\n"
        "b) Recomendar a los países la designación de un punto focal.\n"
        "2. Exhortar a los países miembros a compartir buenas prácticas.\n"
        "3. Impulsar el intercambio de información sobre flujos migratorios.\n",
    )
    assert _find(doc, "Solicitar a la Secretaría").kind == "request"
    assert _find(doc, "Recomendar a los países").kind == "recommendation"
    assert _find(doc, "Exhortar a los países").kind == "request"
    assert _find(doc, "Impulsar el intercambio").forward_looking
    assert not any(t.startswith("Sobre la red") for t in _texts(doc))


def test_cut_off_last_sentence_is_kept(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "XL REGIONAL CONFERENCE ON MIGRATION\nPress release\nLeón, 4 May 2033\n\n"
        "In closing, the RCM reiterates the commitment of its Member Countries, under the "
        "principle of joint effort, to strengthen and expand effective\n",
    )
    kept = _find(doc, "In closing, the RCM reiterates")
    assert kept.method == "rule:commitment-reaffirmed"


def test_spanish_exhortations_in_running_prose(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "XX CONFERENCIA SURAMERICANA SOBRE MIGRACIONES\nEncarnación, 8 de octubre de 2036\n\n"
        "Durante la sesión de clausura, los representantes instaron a los países a continuar "
        "los esfuerzos de regularización migratoria. Asimismo, las delegaciones exhortaron a "
        "los organismos internacionales a fortalecer la cooperación técnica.\n",
    )
    assert _find(doc, "Durante la sesión de clausura").kind == "request"
    assert _find(doc, "Asimismo, las delegaciones exhortaron").forward_looking


def test_news_commitments_of_a_state_and_of_the_collective(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "News\nVice Ministers meet in Mérida\n\n"
        "On 5 December, Panama hosted the meeting of Vice Ministers of the Regional "
        "Conference on Migration.\n"
        "The government of Panama endorses the commitment to follow up and promote "
        "cooperation on labour migration among the Member Countries.\n"
        "During the closing session, the Vice Ministers highlighted that the renewal of the "
        "Conference will be oriented to the consolidation of its working groups.\n"
        "Participants will also address issues such as regional integration and the "
        "protection of migrant children.\n"
        "Vice-Minister Ortiz thanked the audience for attending.\n",
    )
    endorsed = _find(doc, "The government of Panama endorses")
    assert [r.key for r in endorsed.responsible] == ["PAN"]
    declared = _find(doc, "During the closing session")
    assert declared.method.startswith("rule:commitment-collective-declared")
    texts = _texts(doc)
    assert not any(t.startswith("Participants will also address") for t in texts)
    assert not any(t.startswith("Vice-Minister Ortiz thanked") for t in texts)


def test_thanks_of_the_collective_are_decisions_without_future_action(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "COMUNICADO\nPuerto Montt, 3 de abril de 2039\n\n"
        "Agradecieron a las autoridades de Chile la acogida brindada y a Uruguay su oferta "
        "de sede.\n"
        "Chile agradeció a las delegaciones por su presencia.\n",
    )
    thanks = _find(doc, "Agradecieron a las autoridades de Chile")
    assert not thanks.forward_looking and "collective-thanks" in thanks.method
    assert not any(t.startswith("Chile agradeció") for t in _texts(doc))


def test_sub_heading_ending_in_a_colon_is_not_an_item(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "MEETING OF THE CONSULTATION GROUP\nSanta Ana, 3 June 2031\n\n"
        "CONCLUSIONS\n\nThe RCGM concluded:\n\n"
        "1. To approve the terms of reference of the network.\n"
        "2. Regarding the Ad hoc Group to Examine, Analyze and Define Guidelines on Assisted "
        "Returns of Migrants:\n"
        "a. To circulate the draft guidelines.\n",
    )
    texts = _texts(doc)
    assert not any(t.startswith("Regarding the Ad hoc Group") for t in texts), texts
    assert _find(doc, "To circulate the draft").forward_looking


def test_a_report_submitted_as_follows_lists_decisions(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "Report of the Working Group\n\nOrizaba, 4 May 2038\n\nThe Working Group on Return met "
        "on 4 May 2038 in Orizaba with the participation of Jamaica and Haiti and submits its "
        "report to the Consultation Group, as follows:\n\n"
        "  1. To thank Jamaica for its presentation on assisted return.\n"
        "  2. To gracefully recognize the support of IOM to the network.\n"
        "  3. To send the Technical Secretariat the updated contact list by 30 May.\n\n"
        "Thank you for your participation!",
    )
    assert not _find(doc, "To thank Jamaica").forward_looking
    assert _find(doc, "To gracefully recognize").kind == "agreement"
    send = _find(doc, "To send the Technical Secretariat")
    assert send.due is not None and send.due.value is not None
    assert str(send.due.value) == "2038-05-30"
    # an agenda announced "as follows" lists topics, not decisions
    agenda = _extract(
        tmp_path,
        "Minutes\n\nThe agenda of the meeting was as follows:\n\n  1. To review the work "
        "plan.\n  2. To hear the report of the Presidency.",
    )
    assert not agenda.commitments


def test_declaratory_items_and_an_agreement_made_today(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "Declaración de Orizaba\n\nLos Viceministros de Jamaica y Haití, reunidos en Orizaba "
        "el 4 de mayo de 2038, acuerdan:\n\n1. Destacar los esfuerzos de los gobiernos de la "
        "región.\n2. Manifestar preocupación ante el aumento de los flujos.\n",
    )
    assert not _find(doc, "Destacar los esfuerzos").forward_looking
    assert not _find(doc, "Manifestar preocupación").forward_looking
    news = _extract(
        tmp_path,
        "Press Release\n\nThe member countries of the forum agreed today to coordinate "
        "regional responses to displacement.",
    )
    assert _texts(news) == [
        "The member countries of the forum agreed today to coordinate regional responses to "
        "displacement."
    ]


def test_courtesies_and_chances_are_no_commitments(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "Survey\n\nThank you for your participation!\n\nLa reunión, a criterio de las "
        "autoridades, fue “una oportunidad de reafirmar el compromiso del país con la acogida "
        "de las personas migrantes”. Los viceministros reafirmaron su compromiso con la "
        "protección de las personas migrantes.",
    )
    assert _texts(doc) == [
        "Los viceministros reafirmaron su compromiso con la protección de las personas migrantes."
    ]


def test_agreements_stated_as_goals_and_listed_among_the_agreements(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "Press release\n\nThe meeting in Kingston concluded today. Among the agreements is to "
        "strengthen the actions that facilitate regular mobility. The countries reaffirmed "
        "their shared goal to promote stability. Los países participantes plantearon como "
        "objetivo profundizar las acciones relativas a la trata.",
    )
    texts = _texts(doc)
    assert any(t.startswith("Among the agreements is to strengthen") for t in texts)
    assert any(t.startswith("The countries reaffirmed their shared goal") for t in texts)
    assert any(t.startswith("Los países participantes plantearon como objetivo") for t in texts)


def test_an_item_that_goes_on_to_request_is_two_commitments(tmp_path: Path) -> None:
    doc = _extract(
        tmp_path,
        "Conclusions\n\nThe delegations agree:\n\n1. To analyze the proposal of the agencies on "
        "health care and request such agencies to submit it to the Presidency before the next "
        "meeting.\n",
    )
    first = _find(doc, "To analyze the proposal")
    second = _find(doc, "request such agencies")
    assert first.text.endswith("on health care")
    assert (first.kind, second.kind) == ("agreement", "request")


@pytest.mark.parametrize(
    "sentence",
    [
        "On behalf of Canada, the Minister announced $40 million in assistance to host "
        "communities.",
        "Canada also announced expanded resettlement partnerships with the region.",
        "El Gobierno de Chile anunció un aporte de 2 millones de dólares para el fondo.",
    ],
)
def test_an_announced_pledge_is_a_commitment(tmp_path: Path, sentence: str) -> None:
    doc = _extract(tmp_path, f"News\n\n{sentence}\n")
    [pledge] = doc.commitments
    assert (pledge.kind, pledge.forward_looking) == ("commitment", True)
    assert pledge.method == "rule:commitment-pledge"
    assert {r.key for r in pledge.responsible} & {"CAN", "CHL"}
