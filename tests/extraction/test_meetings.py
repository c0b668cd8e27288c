"""The reported meeting in the shapes real documents use, on sentences written for these tests
(other cities, years and ordinals than any document of the corpus or the dev set)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rcm_graph.extraction import extract_text
from rcm_graph.extraction.ordinals import ordinal_value
from rcm_graph.facts import DocumentFacts, Meeting
from rcm_graph.reading.loading import RawDocument


def _extract(text: str) -> DocumentFacts:
    return extract_text(RawDocument(Path("t.txt"), "t", "t.txt", "0" * 64, text))


def _reported(text: str) -> list[Meeting]:
    return [m for m in _extract(text).meetings if m.reported]


@pytest.mark.parametrize(
    ("text", "name", "start", "end", "city"),
    [
        (
            "JOINT COMMUNIQUE\n\nThe Ninth Regional Conference on Migration took place in "
            "Tegucigalpa, Honduras, June 12-13, 2004, with the participation of Canada, Mexico "
            "and Panama.\n\nThe Vice-Ministers agreed to meet again.",
            "IX Regional Conference on Migration (RCM)",
            date(2004, 6, 12),
            date(2004, 6, 13),
            "Tegucigalpa",
        ),
        (
            "XXV RCM\n\nDECLARATION\n\nThe Vice-Ministers of the Member Countries of the "
            "Regional Conference on Migration gathered at the XXV Vice-Ministerial Meeting held "
            "in the cities of Puebla and Mexico City, Mexico, on October 3-4, 2020, and approved "
            "the following declaration:\n\nWe recognize the work done.",
            "XXV Regional Conference on Migration (RCM)",
            date(2020, 10, 3),
            date(2020, 10, 4),
            "Puebla",
        ),
        (
            "XI CONFERENCIA SURAMERICANA SOBRE MIGRACIONES\n\nBRASILIA, BRASIL, 19 Y 20 DE "
            "OCTUBRE DE 2011\n\nDECLARACIÓN DE BRASILIA\n\nLos Representantes de los Gobiernos de "
            "Argentina, Brasil y Chile, reunidos en la Undécima Conferencia Suramericana sobre "
            "Migraciones, realizada los días 19 y 20 de octubre de 2011, adoptan la siguiente "
            "declaración.",
            "XI South American Conference on Migration (SACM)",
            date(2011, 10, 19),
            date(2011, 10, 20),
            "Brasília",
        ),
        (
            "Noticias\n\nSe celebró en San Pedro Sula la Trigésima Tercera Reunión "
            "Viceministerial de la Conferencia Regional sobre Migración, los días 9 y 10 de "
            "julio del año 2031, con delegaciones de Canadá y Panamá.",
            "XXXIII Vice-Ministerial Meeting of the Regional Conference on Migration (RCM)",
            date(2031, 7, 9),
            date(2031, 7, 10),
            "San Pedro Sula",
        ),
        (
            "CONCLUSIONES\n\nLa Segunda Reunión del Grupo Regional de Consulta sobre Migración se "
            "llevó a cabo en Ciudad de Guatemala, del 21 al 23 de marzo de 2012.\n\n"
            "1. Aprobar el informe.",
            "Segunda Reunión del Grupo Regional de Consulta sobre Migración",
            date(2012, 3, 21),
            date(2012, 3, 23),
            "Guatemala City",
        ),
        (
            "Background\n\nThe SACM began in Lima with a regional encounter that took place in "
            "1999. The X South American Conference on Migration was held in Cochabamba, Bolivia, "
            "on October 25-26, 2010, with the participation of Argentina and Peru.",
            "X South American Conference on Migration (SACM)",
            date(2010, 10, 25),
            date(2010, 10, 26),
            "Cochabamba",
        ),
        (
            "Report of the Workshop on Labour Migration, Skills and Recruitment\n\nThe workshop "
            "was held in Lima, Peru, on 3 May 2018.",
            "Workshop on Labour Migration, Skills and Recruitment",
            date(2018, 5, 3),
            date(2018, 5, 3),
            "Lima",
        ),
        (
            "Pro Tempore Presidency\n\nWith delegations from Chile and Peru, the VI South "
            "American Conference on Migration took place in Asunción, Paraguay, from the 3 rd "
            "to the 5 th of May 2006.",
            "VI South American Conference on Migration (SACM)",
            date(2006, 5, 3),
            date(2006, 5, 5),
            "Asunción",
        ),
    ],
)
def test_reported_meeting_shapes(text: str, name: str, start: date, end: date, city: str) -> None:
    meetings = _reported(text)
    assert len(meetings) == 1
    m = meetings[0]
    assert m.name == name
    assert m.start is not None and m.start.value == start
    assert m.end is not None and m.end.value == end
    assert m.place is not None and m.place.city == city


def test_numbered_conference_in_spanish_gets_the_english_label() -> None:
    text = (
        "Por Ana Pérez\nLa XXX Conferencia Regional de Migración (CRM), espacio de diálogo, se "
        "llevó a cabo recientemente en Belice."
    )
    (m,) = _reported(text)
    assert m.name == "XXX Regional Conference on Migration (RCM)"
    assert m.ordinal == 30
    assert m.method == "rule:series-meeting"


def test_news_without_a_year_keeps_the_date_open_and_the_city() -> None:
    text = (
        "Comunicado\n\nLa Conferencia Regional sobre Migración celebró en Managua su XXIII "
        "Reunión Viceministerial los días 5 y 6 de diciembre, con la participación de los países "
        "miembros."
    )
    (m,) = _reported(text)
    assert m.ordinal == 23 and m.kind == "vice-ministerial-meeting"
    assert m.start is not None and m.start.value is None and m.start.year is None
    assert (m.start.month, m.start.day) == (12, 5)
    assert m.place is not None and m.place.city == "Managua"


def test_history_in_the_same_sentence_does_not_place_the_meeting() -> None:
    text = (
        "JOINT COMMUNIQUE\n\nFollowing the III Forum held in Quito in 2021, the Regional "
        "Conference on Migration held the IV Forum of Champion Countries in Lima, Peru, on "
        "May 6 and 7, 2022."
    )
    (m,) = _reported(text)
    assert m.ordinal == 4
    assert m.start is not None and m.start.value == date(2022, 5, 6)
    assert m.place is not None and m.place.city == "Lima"


def test_year_from_the_same_sentence_and_a_second_meeting_held_with_it() -> None:
    text = (
        "EXTRAORDINARY DECLARATION\n\nThe Vice-Ministers, gathering in Santo Domingo on the "
        "occasion of the field visit to the border the 9th of June and the plenary session held "
        "the 10th of June, 2021, approved the following declaration:\n\nWe agree to cooperate."
    )
    first, second = _reported(text)
    assert first.start is not None and first.start.value == date(2021, 6, 9)
    assert "date.year-from-sentence" in first.method
    assert second.start is not None and second.start.value == date(2021, 6, 10)
    assert second.method == "rule:held-together"
    assert second.place is not None and second.place.city == "Santo Domingo"


def test_a_future_meeting_in_the_same_sentence_is_not_reported() -> None:
    text = (
        "MINUTES\n\nThe Troika met in Lima on 4 April 2019 and agreed that the next meeting "
        "will be held on 20 May 2019."
    )
    reported = _reported(text)
    assert [m.start.value for m in reported if m.start] == [date(2019, 4, 4)]


def test_listed_activities_of_a_web_page() -> None:
    text = (
        "Menu\nSeminar on Labour Mobility in the Region Seminar on Labour Mobility in the Region "
        "San Salvador\nII Meeting of the Liaison Officers Network II Meeting of the Liaison "
        "Officers Network\n\nOBJECTIVES\n\nTo exchange good practices.\n\nTegucigalpa, "
        "Honduras\nWorkshop on Consular Assistance for Migrants Workshop on Consular Assistance "
        "for Migrants\n\nGENERAL OBJECTIVE\n\nTo train officials."
    )
    meetings = _reported(text)
    assert [(m.name, m.place.city if m.place else None) for m in meetings] == [
        ("Seminar on Labour Mobility in the Region", "San Salvador"),
        ("II Meeting of the Liaison Officers Network", "Tegucigalpa"),
        ("Workshop on Consular Assistance for Migrants", None),
    ]
    assert meetings[1].ordinal == 2
    assert all(m.method == "rule:listed-activity" for m in meetings)


def test_earlier_meeting_of_the_series_takes_the_series_kind() -> None:
    text = (
        "JOINT COMMUNIQUE\n\nTHIRD REGIONAL FORUM OF CHAMPION COUNTRIES\n\nBuilding on the II "
        "Forum held in Lima in 2025, the countries met in Quito, Ecuador, on 3 March 2026."
    )
    doc = _extract(text)
    reported = [m for m in doc.meetings if m.reported]
    earlier = [m for m in doc.meetings if not m.reported and m.ordinal == 2]
    assert reported[0].kind == "forum-of-champion-countries"
    assert earlier and earlier[0].kind == "forum-of-champion-countries"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("XXVIII", 28),
        ("Twenty-Third", 23),
        ("vigésima primera", 21),
        ("Decimoséptima", 17),
        ("Sexta", 6),
        ("Eleventh", 11),
        ("14th", 14),
        ("3ª", 3),
        ("Octavo", 8),
    ],
)
def test_ordinals(written: str, value: int) -> None:
    assert ordinal_value(written) == value


def test_press_release_dateline_gives_the_year_of_a_meeting_held_these_days() -> None:
    text = (
        "COMUNICADO DE PRENSA\nSan Salvador, 8 de abril de 2013. La Conferencia Regional sobre "
        "Migración inauguró hoy su XVIII Reunión Viceministerial, que se celebra en San Salvador "
        "los días 8 y 9 de abril, con delegaciones de Panamá y Belice."
    )
    doc = _extract(text)
    (m,) = [x for x in doc.meetings if x.reported]
    assert doc.date is not None and doc.date.value == date(2013, 4, 8)
    assert m.ordinal == 18
    assert m.start is not None and m.start.value == date(2013, 4, 8)
    assert m.end is not None and m.end.value == date(2013, 4, 9)
    assert "date.year-from-dateline" in m.method
    assert len(doc.meetings) == 1  # the days written again are the same meeting


def test_a_dateline_far_from_the_meeting_days_leaves_the_year_open() -> None:
    text = (
        "NOTA INFORMATIVA\nLima, 2 de septiembre de 2016. La Conferencia Suramericana sobre "
        "Migraciones se reunió en Lima los días 3 y 4 de marzo, con delegaciones de Chile."
    )
    (m,) = _reported(text)
    assert m.start is not None and m.start.value is None and m.start.year is None


def test_both_conferences_of_a_joint_meeting_stay_in_its_name() -> None:
    text = (
        "Noticias\n\nSe inauguró en Lima la segunda Reunión Plenaria entre la Conferencia "
        "Regional sobre Migración (CRM) y la Conferencia Suramericana sobre Migraciones (CSM), "
        "que se desarrolla los días 10 y 11 de julio."
    )
    (m,) = _reported(text)
    assert m.ordinal == 2 and m.kind == "plenary-meeting"
    assert m.name.endswith("y la Conferencia Suramericana sobre Migraciones (CSM)")
    assert m.place is not None and m.place.city == "Lima"


def test_the_date_nearest_the_numbered_meeting_in_its_sentence() -> None:
    text = (
        "DECLARATION\n\nAfter the preparatory meeting held in Lima on 3 May 2015, the delegations "
        "met in Quito, Ecuador, on 4 and 5 June 2015 for the XV South American Conference on "
        "Migration, and declare:"
    )
    (m,) = _reported(text)
    assert m.ordinal == 15
    assert m.start is not None and m.start.value == date(2015, 6, 4)
    assert m.place is not None and m.place.city == "Quito"


def test_declaration_of_ministers_meeting_in_a_city() -> None:
    text = (
        "DECLARATION OF BELMOPAN\n\nThe Vice-Ministers of the member countries of the Regional "
        "Conference on Migration, meeting in Belmopan on July 7-8, 2011, declare:\n\n"
        "1. To strengthen cooperation."
    )
    (m,) = _reported(text)
    assert m.start is not None and m.start.value == date(2011, 7, 7)
    assert m.place is not None and m.place.city == "Belmopan"
    assert "meeting" not in m.name.lower().split(",")[-1:]  # the verb is not the name


def test_the_meeting_named_before_its_held_sentence() -> None:
    text = (
        "COMUNICADO\n\nEn el marco de la XVII Reunión Viceministerial de la CRM, los países "
        "miembros aprobaron el plan de trabajo. La reunión tuvo lugar en Managua, Nicaragua, el "
        "20 de junio de 2012."
    )
    (m,) = _reported(text)
    assert m.name == ("XVII Vice-Ministerial Meeting of the Regional Conference on Migration (RCM)")
    assert m.ordinal == 17
    assert m.start is not None and m.start.value == date(2012, 6, 20)
    assert m.place is not None and m.place.city == "Managua"


def test_unaccented_heading_names_a_numbered_conference() -> None:
    text = (
        "XIV CONFERENCIA REGIONAL SOBRE MIGRACION\n\nCIUDAD DE GUATEMALA, 9 Y 10 DE JULIO DE 2009"
        "\n\nDECLARACION\n\nLos Viceministros acuerdan fortalecer la cooperación."
    )
    (m,) = _reported(text)
    assert m.name == "XIV Regional Conference on Migration (RCM)"
    assert m.series == "regional-conference-on-migration"
    assert m.start is not None and m.start.value == date(2009, 7, 9)
    assert m.place is not None and m.place.city == "Guatemala City"


def test_forum_of_the_series_recalled_by_number_shares_the_series() -> None:
    text = (
        "JOINT COMMUNIQUE\n\nTHIRD REGIONAL FORUM OF CHAMPION COUNTRIES\n\nBuilding on the II "
        "Forum held in Lima in 2025, the countries met in Quito, Ecuador, on 3 March 2026."
    )
    doc = _extract(text)
    series = {(m.ordinal, m.series) for m in doc.meetings}
    assert series == {
        (3, "regional-forum-of-champion-countries"),
        (2, "regional-forum-of-champion-countries"),
    }


def test_news_of_a_country_hosting_a_numbered_reunion() -> None:
    text = (
        "News\n\nOn the 5 of July, Belize hosted the XXII reunion of Vice Ministers of the "
        "Regional Conference on Migration in Belize City, with delegations from ten countries."
    )
    (m,) = _reported(text)
    assert m.ordinal == 22 and m.kind == "vice-ministerial-meeting"
    assert m.start is not None and (m.start.month, m.start.day, m.start.year) == (7, 5, None)
    assert m.place is not None and m.place.city == "Belize City"


def test_a_dateline_above_the_title_dates_the_document_not_the_meeting() -> None:
    text = (
        "Ottawa, Canada, June 2, 2005\n\nDECLARATION OF THE VICE-MINISTERS\n\nOn the occasion "
        "of the tenth meeting of the Regional Conference on Migration, the member governments "
        "reaffirm their commitment to dialogue."
    )
    doc = _extract(text)
    (m,) = [x for x in doc.meetings if x.reported]
    assert doc.date is not None and doc.date.value == date(2005, 6, 2)
    assert m.ordinal == 10 and m.start is None
    assert m.place is not None and m.place.city == "Ottawa"


def test_a_pronoun_is_not_a_roman_numeral() -> None:
    text = (
        "Statement\n\nAs Technical Secretary, I attended the meeting held in Lima, Peru, on "
        "12 August 2014, with delegations from Chile and Peru."
    )
    (m,) = _reported(text)
    assert m.ordinal is None
    assert m.start is not None and m.start.value == date(2014, 8, 12)


@pytest.mark.parametrize(
    "text",
    [
        "Clausura la XXXII Reunión Viceministerial de la Conferencia Regional sobre Migración\n\n"
        "La XXXII Reunión Viceministerial se realizó en Managua, Nicaragua, los días 3 y 4 de "
        "julio del año 2029.",
        "Ramírez inaugura la XXXII Reunión Viceministerial de la CRM\n\nLa reunión se realizó en "
        "Managua, Nicaragua, los días 3 y 4 de julio de 2029.",
        "XXXII REUNIÓN VICEMINISTERIAL DE LA CONFERENCIA REGIONAL SOBRE MIGRACIÓN\n\nManagua, "
        "Nicaragua, 3 y 4 de julio de 2029\n\nLos Viceministros acordaron lo siguiente.",
    ],
)
def test_a_headline_is_not_the_meeting_name(text: str) -> None:
    """The name is the numbered meeting's own noun phrase, one label in either language."""
    (m,) = _reported(text)
    assert m.name == "XXXII Vice-Ministerial Meeting of the Regional Conference on Migration (RCM)"
    assert m.start is not None and m.start.value == date(2029, 7, 3)
    assert m.place is not None and m.place.city == "Managua"


def test_the_year_given_later_in_the_text_dates_the_meeting() -> None:
    text = (
        "Regional Conference on Migration\n\nThe XXXI Regional Conference on Migration was held "
        "October 8-10 in San Pedro Sula, Honduras, under the theme of labour mobility.\n\n"
        "Delegations of eleven member countries reviewed the work plan for the next two years, "
        "including a new programme on assisted return and reintegration.\n\nThe 2027 "
        "conference closed with a declaration of the Vice-Ministers."
    )
    (m,) = _reported(text)
    assert m.start is not None and m.start.value == date(2027, 10, 8)
    assert m.end is not None and m.end.value == date(2027, 10, 10)
    assert "date.year-from-text" in m.method


def test_two_years_in_the_text_leave_the_meeting_undated() -> None:
    text = (
        "Regional Conference on Migration\n\nThe XXXI Regional Conference on Migration was held "
        "October 8-10 in San Pedro Sula, Honduras.\n\nDelegations compared the 2025 meeting "
        "with the 2026 meeting and reviewed the work plan for the coming years in detail."
    )
    (m,) = _reported(text)
    assert m.start is not None and m.start.year is None
    assert m.place is not None and m.place.city == "San Pedro Sula"


@pytest.mark.parametrize(
    "text",
    [
        "Informe\n\nThe XXXV Regional Conference on Migration was held in Belmopan, Belize, on "
        "May 4-6, 2032. The conference opened with a meeting of the Regional Consultation Group "
        "on Migration on May 4, followed by the Meeting of Vice-Ministers, held the 5th and 6th.",
        "Informe\n\nThe XXXV Regional Conference on Migration was held in Belmopan, Belize, on "
        "May 4-6, 2032. It opened with a meeting of the Regional Consultation Group on Migration "
        "on May 4.\n\nThe Meeting of Vice-Ministers was held the 5th and 6th.",
    ],
)
def test_parts_of_a_conference_with_their_own_days(text: str) -> None:
    meetings = _reported(text)
    dated = sorted((m.start.value, m.end.value) for m in meetings if m.start and m.end)
    assert dated == [
        (date(2032, 5, 4), date(2032, 5, 4)),
        (date(2032, 5, 4), date(2032, 5, 6)),
        (date(2032, 5, 5), date(2032, 5, 6)),
    ]
    parts = [m for m in meetings if m.method.startswith("rule:conference-part")]
    assert len(parts) == 2 and all(m.place and m.place.city == "Belmopan" for m in parts)
    assert any("Consultation Group on Migration" in m.name for m in parts)


def test_a_session_outside_the_conference_days_is_not_a_part() -> None:
    text = (
        "Informe\n\nThe XXXV Regional Conference on Migration was held in Belmopan, Belize, on "
        "May 4-6, 2032. A meeting of the Regional Consultation Group on Migration had met on "
        "April 20, 2032 to prepare it."
    )
    assert len(_reported(text)) == 1


def test_a_news_agency_dateline_gives_the_year() -> None:
    text = (
        "Peru hosts a regional meeting\n\nLima, 9 March 2028 (XYZ). On the 8 of March, Peru "
        "hosted the XXXIII reunion of Vice Ministers of the Regional Conference on Migration, "
        "with delegations from ten countries."
    )
    (m,) = _reported(text)
    assert m.start is not None and m.start.value == date(2028, 3, 8)
    assert "date.year-from-dateline" in m.method
    assert m.name == "XXXIII Vice-Ministerial Meeting of the Regional Conference on Migration (RCM)"
    issued = _extract(text).date
    assert issued is not None and issued.value == date(2028, 3, 9) and not issued.year_inferred
