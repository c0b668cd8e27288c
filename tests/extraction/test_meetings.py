"""The reported meeting in the shapes real documents use, on sentences written for these tests
(other cities, years and ordinals than any document of the corpus or the dev set)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rcm_graph.model.facts import DocumentFacts, Meeting
from rcm_graph.stages.extraction import extract_text
from rcm_graph.stages.extraction.meetings import english_name, readable
from rcm_graph.stages.extraction.ordinals import ordinal_value
from rcm_graph.stages.reading.loading import RawDocument


def _extract(text: str) -> DocumentFacts:
    return extract_text(RawDocument(Path("t.txt"), "t", "t.txt", "0" * 64, text))


def _reported(text: str) -> list[Meeting]:
    return [m for m in _extract(text).meetings if m.reported]


@pytest.mark.parametrize(
    ("text", "name", "start", "end", "city"),
    [
        (
            "JOINT STATEMENT\n\nThe Thirty-Seventh Regional Conference on Migration was "
            "convened in Roatán, Honduras, August 4-5, 2032, with the participation of Belize, "
            "Canada and Panama.\n\nThe delegations agreed to meet again.",
            "XXXVII Regional Conference on Migration (RCM)",
            date(2032, 8, 4),
            date(2032, 8, 5),
            "Roatán",
        ),
        (
            "XXXVIII RCM\n\nSTATEMENT\n\nDelegates of the member countries met at the XXXVIII "
            "Vice-Ministerial Meeting held in the cities of Tijuana and Monterrey, "
            "Mexico, on March 9-10, 2033, and adopted this statement:\n\nWe value the "
            "work done.",
            "XXXVIII Regional Conference on Migration (RCM)",
            date(2033, 3, 9),
            date(2033, 3, 10),
            "Tijuana",
        ),
        (
            "XIX CONFERENCIA SURAMERICANA SOBRE MIGRACIONES\n\nPARAMARIBO, SURINAME, 6 Y 7 DE "
            "MAYO DE 2033\n\nDECLARACIÓN FINAL\n\nLos delegados de Bolivia, Ecuador y Uruguay, "
            "reunidos en la Decimonovena Conferencia Suramericana sobre Migraciones, realizada "
            "los días 6 y 7 de mayo de 2033, adoptan esta declaración.",
            "XIX South American Conference on Migration (SACM)",
            date(2033, 5, 6),
            date(2033, 5, 7),
            "Paramaribo",
        ),
        (
            "Noticias\n\nSe celebró en Guayaquil la Trigésima Tercera Reunión "
            "Viceministerial de la Conferencia Regional sobre Migración, los días 9 y 10 de "
            "julio del año 2031, con delegaciones de Canadá y Panamá.",
            "XXXIII Vice-Ministerial Meeting of the Regional Conference on Migration (RCM)",
            date(2031, 7, 9),
            date(2031, 7, 10),
            "Guayaquil",
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
            "Background\n\nThe SACM grew out of a regional workshop that took place in Quito in "
            "1997. The XX South American Conference on Migration was held in Santa Cruz de la "
            "Sierra, Bolivia, on April 7-8, 2034, with delegations of Chile and Uruguay.",
            "XX South American Conference on Migration (SACM)",
            date(2034, 4, 7),
            date(2034, 4, 8),
            "Santa Cruz de la Sierra",
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
            "Pro Tempore Presidency\n\nWith delegations from Colombia and Guyana, the XXI South "
            "American Conference on Migration was convened in Montevideo, Uruguay, from the 8 th "
            "to the 9 th of September 2035.",
            "XXI South American Conference on Migration (SACM)",
            date(2035, 9, 8),
            date(2035, 9, 9),
            "Montevideo",
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
        "Por Marta Ibarra\nLa XXXIX Conferencia Regional de Migración (CRM), foro de cooperación, "
        "se realizó la semana pasada en Panamá."
    )
    (m,) = _reported(text)
    assert m.name == "XXXIX Regional Conference on Migration (RCM)"
    assert m.ordinal == 39
    assert m.method == "rule:series-meeting"


def test_news_without_a_year_keeps_the_date_open_and_the_city() -> None:
    text = (
        "Comunicado\n\nLa Conferencia Regional sobre Migración celebró en Oaxaca su XXIII "
        "Reunión Viceministerial los días 5 y 6 de diciembre, con la participación de los países "
        "miembros."
    )
    (m,) = _reported(text)
    assert m.ordinal == 23 and m.kind == "vice-ministerial-meeting"
    assert m.start is not None and m.start.value is None and m.start.year is None
    assert (m.start.month, m.start.day) == (12, 5)
    assert m.place is not None and m.place.city == "Oaxaca"


def test_history_in_the_same_sentence_does_not_place_the_meeting() -> None:
    text = (
        "JOINT STATEMENT\n\nAfter the V Forum held in Sucre in 2029, the countries of the "
        "Regional Conference on Migration held the VI Forum of Champion Countries in Kingston, "
        "Jamaica, on May 6 and 7, 2030."
    )
    (m,) = _reported(text)
    assert m.ordinal == 6
    assert m.start is not None and m.start.value == date(2030, 5, 6)
    assert m.place is not None and m.place.city == "Kingston"


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
        "Officers Network\n\nOBJECTIVES\n\nTo exchange good practices.\n\nCusco, "
        "Peru\nWorkshop on Consular Assistance for Migrants Workshop on Consular Assistance "
        "for Migrants\n\nGENERAL OBJECTIVE\n\nTo train officials."
    )
    meetings = _reported(text)
    assert [(m.name, m.place.city if m.place else None) for m in meetings] == [
        ("Seminar on Labour Mobility in the Region", "San Salvador"),
        ("II Meeting of the Liaison Officers Network", "Cusco"),
        ("Workshop on Consular Assistance for Migrants", None),
    ]
    assert meetings[1].ordinal == 2
    assert all(m.method == "rule:listed-activity" for m in meetings)


def test_a_listed_activity_is_held_by_the_processes_its_title_names() -> None:
    """Its holders identify an undated joint meeting across documents (the mapping's key)."""
    title = "III Joint Meeting of the SACM and the RCM"
    page = _extract(f"Activities\n{title} {title}\nQuito, Ecuador\n\nTo share progress.")
    meeting = next(m for m in page.meetings if m.name == title)
    assert [(p.key, p.method) for p in meeting.processes] == [
        ("sacm", "rule:meeting-process"),
        ("rcm", "rule:meeting-process"),
    ]
    assert all(page.text[p.span.start : p.span.end] == p.span.text for p in meeting.processes)


def test_earlier_meeting_of_the_series_takes_the_series_kind() -> None:
    text = (
        "JOINT STATEMENT\n\nSEVENTH REGIONAL FORUM OF CHAMPION COUNTRIES\n\nFollowing up on "
        "the VI Forum held in Sucre in 2029, the countries met in Quito, Ecuador, on 3 March 2030."
    )
    doc = _extract(text)
    reported = [m for m in doc.meetings if m.reported]
    earlier = [m for m in doc.meetings if not m.reported and m.ordinal == 6]
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
        "COMUNICADO DE PRENSA\nLa Ceiba, 14 de agosto de 2034. La Conferencia Regional sobre "
        "Migración abrió hoy su XXXIX Reunión Viceministerial, que se celebra en La Ceiba "
        "los días 14 y 15 de agosto, con delegaciones de Costa Rica y Canadá."
    )
    doc = _extract(text)
    (m,) = [x for x in doc.meetings if x.reported]
    assert doc.date is not None and doc.date.value == date(2034, 8, 14)
    assert m.ordinal == 39
    assert m.start is not None and m.start.value == date(2034, 8, 14)
    assert m.end is not None and m.end.value == date(2034, 8, 15)
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
        "Noticias\n\nSe celebra en Quito la tercera Reunión Plenaria entre la Conferencia "
        "Regional sobre Migración (CRM) y la Conferencia Suramericana sobre Migraciones (CSM), "
        "durante los días 21 y 22 de octubre."
    )
    (m,) = _reported(text)
    assert m.ordinal == 3 and m.kind == "plenary-meeting"
    assert m.name.endswith("y la Conferencia Suramericana sobre Migraciones (CSM)")
    assert m.place is not None and m.place.city == "Quito"


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
        "DECLARATION OF ROATÁN\n\nThe delegates of the governments of the Regional "
        "Conference on Migration, meeting in Roatán on February 2-3, 2033, declare:\n\n"
        "1. To share data."
    )
    (m,) = _reported(text)
    assert m.start is not None and m.start.value == date(2033, 2, 2)
    assert m.place is not None and m.place.city == "Roatán"
    assert "meeting" not in m.name.lower().split(",")[-1:]  # the verb is not the name


def test_the_meeting_named_before_its_held_sentence() -> None:
    text = (
        "COMUNICADO\n\nEn el marco de la XVII Reunión Viceministerial de la CRM, los países "
        "miembros aprobaron el plan de trabajo. La reunión tuvo lugar en Oaxaca, México, el "
        "20 de junio de 2012."
    )
    (m,) = _reported(text)
    assert m.name == ("XVII Vice-Ministerial Meeting of the Regional Conference on Migration (RCM)")
    assert m.ordinal == 17
    assert m.start is not None and m.start.value == date(2012, 6, 20)
    assert m.place is not None and m.place.city == "Oaxaca"


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
        "JOINT STATEMENT\n\nSEVENTH REGIONAL FORUM OF CHAMPION COUNTRIES\n\nFollowing up on "
        "the VI Forum held in Sucre in 2029, the countries met in Quito, Ecuador, on 3 March 2030."
    )
    doc = _extract(text)
    series = {(m.ordinal, m.series) for m in doc.meetings}
    forum = "regional-forum-of-champion-countries"
    assert series == {(7, forum), (6, forum)}


def test_news_of_a_country_hosting_a_numbered_reunion() -> None:
    text = (
        "News\n\nOn the 11 of May, Jamaica hosted the XXXIV reunion of Vice Ministers of the "
        "Regional Conference on Migration in Kingston, with eleven delegations present."
    )
    (m,) = _reported(text)
    assert m.ordinal == 34 and m.kind == "vice-ministerial-meeting"
    assert m.start is not None and (m.start.month, m.start.day, m.start.year) == (5, 11, None)
    assert m.place is not None and m.place.city == "Kingston"


def test_a_dateline_above_the_title_dates_the_document_not_the_meeting() -> None:
    text = (
        "Toronto, Canada, May 9, 2033\n\nSTATEMENT OF THE DELEGATIONS\n\nOn the occasion of "
        "the thirty-fifth meeting of the Regional Conference on Migration, the governments "
        "renew their support for dialogue."
    )
    doc = _extract(text)
    (m,) = [x for x in doc.meetings if x.reported]
    assert doc.date is not None and doc.date.value == date(2033, 5, 9)
    assert m.ordinal == 35 and m.start is None
    assert m.place is not None and m.place.city == "Toronto"


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
        "La XXXII Reunión Viceministerial se realizó en Oaxaca, México, los días 3 y 4 de "
        "julio del año 2029.",
        "Salcedo inaugura la XXXII Reunión Viceministerial de la CRM\n\nLa reunión se realizó en "
        "Oaxaca, México, los días 3 y 4 de julio de 2029.",
        "XXXII REUNIÓN VICEMINISTERIAL DE LA CONFERENCIA REGIONAL SOBRE MIGRACIÓN\n\nOaxaca, "
        "México, 3 y 4 de julio de 2029\n\nLos Viceministros acordaron lo siguiente.",
    ],
)
def test_a_headline_is_not_the_meeting_name(text: str) -> None:
    """The name is the numbered meeting's own noun phrase, one label in either language."""
    (m,) = _reported(text)
    assert m.name == "XXXII Vice-Ministerial Meeting of the Regional Conference on Migration (RCM)"
    assert m.start is not None and m.start.value == date(2029, 7, 3)
    assert m.place is not None and m.place.city == "Oaxaca"


def test_the_year_given_later_in_the_text_dates_the_meeting() -> None:
    text = (
        "Regional Conference on Migration\n\nThe XXXI Regional Conference on Migration was held "
        "October 8-10 in Guayaquil, Ecuador, under the theme of labour mobility.\n\n"
        "Delegations of eleven member countries reviewed the work plan for the next two years, "
        "including a new programme on assisted return and reintegration.\n\nThe 2027 "
        "conference ended with a joint statement."
    )
    (m,) = _reported(text)
    assert m.start is not None and m.start.value == date(2027, 10, 8)
    assert m.end is not None and m.end.value == date(2027, 10, 10)
    assert "date.year-from-text" in m.method


def test_two_years_in_the_text_leave_the_meeting_undated() -> None:
    text = (
        "Regional Conference on Migration\n\nThe XXXI Regional Conference on Migration was held "
        "October 8-10 in Guayaquil, Ecuador.\n\nDelegations compared the 2025 meeting "
        "with the 2026 meeting and reviewed the work plan for the coming years in detail."
    )
    (m,) = _reported(text)
    assert m.start is not None and m.start.year is None
    assert m.place is not None and m.place.city == "Guayaquil"


@pytest.mark.parametrize(
    "text",
    [
        "Informe\n\nThe XXXV Regional Conference on Migration was held in La Ceiba, Honduras, on "
        "May 4-6, 2032. Its first day was a session of the Regional Consultation Group on "
        "Migration on May 4, and then the session of Vice-Ministers, held the 5th and 6th.",
        "Informe\n\nThe XXXV Regional Conference on Migration was held in La Ceiba, Honduras, on "
        "May 4-6, 2032. Its first day was a session of the Regional Consultation Group on "
        "Migration on May 4.\n\nThe session of Vice-Ministers was held the 5th and 6th.",
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
    assert len(parts) == 2 and all(m.place and m.place.city == "La Ceiba" for m in parts)
    assert any("Consultation Group on Migration" in m.name for m in parts)


def test_a_session_outside_the_conference_days_is_not_a_part() -> None:
    text = (
        "Informe\n\nThe XXXV Regional Conference on Migration was held in La Ceiba, Honduras, on "
        "May 4-6, 2032. A session of the Regional Consultation Group on Migration had taken "
        "place on April 20, 2032 to prepare it."
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


def test_a_town_no_lexicon_holds_is_the_place_when_a_state_follows_it() -> None:
    text = (
        "Home\nAbout us\nAbout us\nNews\nNews\n"
        "Belize Hosts Ninth Regional Conference on Migration\n"
        "Delegations of the member countries are meeting this week in the coastal town of "
        "Punta Gorda, Belize to review the plan of action."
    )
    meeting = _reported(text)[0]
    assert (meeting.ordinal, meeting.kind) == (9, "conference")
    assert meeting.place is not None
    assert (meeting.place.city, meeting.place.country) == ("Punta Gorda", "BLZ")
    spanish = _reported(
        "La Reunión Técnica se realizó el 3 de marzo de 2031 en la ciudad de Ocotal, Nicaragua."
    )[0]
    assert spanish.place is not None
    assert (spanish.place.city, spanish.place.country) == ("Ocotal", "NIC")


def test_a_month_or_a_region_before_a_state_is_no_town() -> None:
    for text in (
        "The Vice-Ministerial Meeting was held in March, Honduras having offered to host it.",
        "The Vice-Ministerial Meeting was held in Central America, Honduras being the host.",
    ):
        meetings = _reported(text)
        assert all(m.place is None or m.place.city is None for m in meetings), text


@pytest.mark.parametrize(
    ("text", "name", "start", "city"),
    [
        (
            "Declaración de Arequipa\n\nLos Viceministros de Relaciones Exteriores de la "
            "República de Chile y de la República del Ecuador, reunidos en la ciudad de Cusco "
            "los días 12 y 13 de marzo de 2031, con el fin de intercambiar información, "
            "acuerdan:\n\n1. Fortalecer la cooperación regional.",
            "Meeting in Cusco",
            date(2031, 3, 12),
            "Cusco",
        ),
        (
            "Joint Declaration\n\nThe representatives of the Governments of Jamaica and the "
            "Republic of Haiti, meeting on 5 and 6 May 2034 in the city of Kingston to review "
            "progress, agree:\n\n1. To strengthen cooperation.",
            "Meeting in Kingston",
            date(2034, 5, 5),
            "Kingston",
        ),
    ],
)
def test_a_meeting_reported_only_by_its_gathering(
    text: str, name: str, start: date, city: str
) -> None:
    facts = _extract(text)
    [meeting] = [m for m in facts.meetings if m.reported]
    assert (meeting.name, meeting.start and meeting.start.value) == (name, start)
    assert meeting.place is not None and meeting.place.city == city
    assert meeting.method.startswith("rule:gathering")
    # the items after "acuerdan:" / "agree:" are agreements, not a list of participants
    assert {p.actor.kind for p in facts.participations if p.role == "participant"} <= {
        "state",
        "process",
    }


def test_a_meeting_that_gathered_nobody_named_is_not_reported() -> None:
    text = "Migration report\n\nThe data gathered in Lima on 3 May 2031 show a rise in returns."
    assert not _reported(text)


@pytest.mark.parametrize(
    ("text", "city"),
    [
        (
            "La Reunión del Grupo de Consulta, realizada desde ayer, concluyó hoy en la capital "
            "hondureña con un acuerdo sobre retorno.",
            "Tegucigalpa",
        ),
        (
            "The Consultation Group meeting held in the Peruvian capital closed today.",
            "Lima",
        ),
    ],
)
def test_a_capital_named_by_its_country_adjective_places_the_meeting(text: str, city: str) -> None:
    [meeting] = _reported(text)
    assert meeting.place is not None and meeting.place.city == city


def test_a_town_of_the_wider_gazetteer_places_the_meeting() -> None:
    [meeting] = _reported(
        "The XII Meeting of the Consultation Group took place in Puerto Vallarta on 3 and 4 May "
        "2036."
    )
    assert meeting.place is not None
    assert (meeting.place.city, meeting.place.country) == ("Puerto Vallarta", "MEX")


def test_here_in_a_city_places_a_speech_and_last_years_city_does_not() -> None:
    [meeting] = _reported(
        "Opening Remarks: XV South American Conference on Migration\n\nIt is a great honour to "
        "be here in Lima for this 15th South American Conference on Migration. I applaud the "
        "outgoing Chair, which hosted the excellent annual meeting last year in Quito, Ecuador."
    )
    assert meeting.place is not None and meeting.place.city == "Lima"


def test_a_city_after_of_belongs_to_the_meeting_name() -> None:
    [meeting] = _reported(
        "The III International Meeting of Lima concludes with the signing of a plan\n\n"
        "Lima, May 4, 2037\n\nThe III International Meeting of Lima concluded today."
    )
    assert meeting.name == "III International Meeting of Lima"


def test_a_city_inside_an_instrument_name_is_no_place() -> None:
    [meeting] = _reported(
        "On June 3, Jamaica hosted a Ministerial Meeting on the Lima Declaration on Migration. "
        "The endorsing countries convened in Kingston to take stock."
    )
    assert meeting.name == "Ministerial Meeting on the Lima Declaration on Migration"
    assert meeting.place is not None and meeting.place.city == "Kingston"
    spanish = _reported(
        "Los países adoptaron la Declaración Política de la Ciudad de México. En la II Reunión "
        "Anual del foro, previo al Foro Mundial en Ginebra, Suiza, revisaron sus compromisos."
    )
    assert [m.place for m in spanish] == [None]


def test_the_city_the_held_verb_governs() -> None:
    [meeting] = _reported(
        "Delegates who met in Lima for the XV South American Conference on Migration are this "
        "week presenting the Lima Declaration at the Global Forum in Brussels."
    )
    assert meeting.place is not None and meeting.place.city == "Lima"


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("II Reunión Anual del MIRPS", "II Annual Meeting of the MIRPS"),
        ("Taller Regional de la OIM", "Regional Workshop of the IOM"),
        ("Reunión en Lima", "Meeting in Lima"),
        ("XX Reunión de Expertos", None),  # a holder that is no known actor: kept as written
        ("Foro de Panamá", None),  # a state is no holder of a forum's name
    ],
)
def test_the_english_label_of_a_spanish_meeting_name(name: str, english: str | None) -> None:
    assert english_name(name) == english


def test_an_event_card_dates_and_places_its_workshop() -> None:
    [meeting] = _reported(
        "Follow-up Workshop: Return Plan of the Forum\n\nAbout the event:\n\nThe workshop aims "
        "to follow up the plan, with the following objectives:\n\n  • To share the advances of "
        "Jamaica and Haiti.\n\nMonday, May 4, 2037 to Tuesday, May 5, 2037\nLima\n"
    )
    assert (meeting.start and meeting.start.value, meeting.end and meeting.end.value) == (
        date(2037, 5, 4),
        date(2037, 5, 5),
    )
    assert meeting.place is not None and meeting.place.city == "Lima"
    facts = _extract(
        "Follow-up Workshop: Return Plan of the Forum\n\nThe workshop, for the member "
        "countries of the forum, has the following objectives:\n\n  • To share the advances "
        "of Jamaica and Haiti.\n\nMonday, May 4, 2037 to Tuesday, May 5, 2037\nLima\n"
    )
    assert not [p for p in facts.participations if p.actor.kind == "state"]  # aims, no attendees


@pytest.mark.parametrize(
    ("label", "readable_label"),
    [
        (
            "REUNIÓN DEL GRUPO REGIONAL DE CONSULTA SOBRE MIGRACIÓN (GRCM)",
            "Reunión del Grupo Regional de Consulta sobre Migración (GRCM)",
        ),
        ("XXXI MEETING OF THE FORUM (ABC)", "XXXI Meeting of the Forum (ABC)"),
        ("Meeting of the RCGM", "Meeting of the RCGM"),  # not in capitals: kept
    ],
)
def test_a_name_in_capitals_reads_as_a_label(label: str, readable_label: str) -> None:
    assert readable(label) == readable_label


def test_a_heading_names_the_meeting_its_held_sentence_only_calls_meeting() -> None:
    [meeting] = _reported(
        "Download the conclusions\n\nTranscript\nMEETING OF THE CONSULTATION GROUP ON RETURN\n"
        "Lima, Peru, May 4-5, 2037\nThe Consultation Group on Return, in its Meeting held on "
        "May 4-5, 2037, in Lima, Peru, adopted the following:"
    )
    assert meeting.name == "Meeting of the Consultation Group on Return"


def test_a_numbered_meeting_of_a_forum_named_by_its_acronym() -> None:
    [meeting] = _reported(
        "On March 3, 2031, Jamaica received the presidency of the MIRPS. The handing-over "
        "ceremony was conducted at the Ninth MIRPS Annual Meeting in Kingston, Jamaica."
    )
    assert meeting.name == "Ninth MIRPS Annual Meeting"
    assert meeting.ordinal == 9
    assert meeting.place is not None and meeting.place.city == "Kingston"


def test_a_date_of_another_act_in_the_sentence_gives_no_year() -> None:
    [meeting] = _reported(
        "Road Map\n\nOn the occasion of the II Technical Meeting held on 4-5 July in Lima, and "
        "within the framework of the Plan of Action, signed on 23 November 2030, the "
        "undersigned agree:\n\n1. To consider a working group."
    )
    assert meeting.start is not None and meeting.start.value is None
    assert (meeting.start.month, meeting.start.day) == (7, 4)


def test_a_ministerial_named_by_its_instrument_and_dated_by_its_sentence() -> None:
    text = (
        "Fact Sheet: Fourth Ministerial Meeting on the Kingston DeclarationOn Mobility\n\n"
        "July 30, 2031\n\n"
        "Two years ago, leaders launched the Kingston Declaration on Mobility with partners "
        "from across the region and many more observers than ever before.\n"
        "On June 2, 2031, Peru hosted the fourth Kingston Declaration Ministerial with foreign "
        "ministers from 20 endorsing countries."
    )
    facts = _extract(text)
    [meeting] = [m for m in facts.meetings if m.reported]
    assert meeting.ordinal == 4
    assert meeting.start is not None and meeting.start.value == date(2031, 6, 2)
    # the city in the instrument's name is not where the meeting was held
    assert meeting.place is None or meeting.place.city != "Kingston"
    assert ("PER", "host") in {(p.actor.key, p.role) for p in facts.participations}
    assert "Fact Sheet" not in {p.name for p in facts.persons}


def test_a_meeting_named_only_as_the_frame_of_the_news() -> None:
    text = (
        "Kingston, mayo 2031. Las autoridades de migración discutieron durante dos días sobre "
        "los flujos mixtos. La discusión se dio en el marco de la reunión semestral de la "
        "Organización Internacional para las Migraciones (OIM).\n\n"
        "Representantes de Jamaica y Haití intercambiaron experiencias."
    )
    facts = _extract(text)
    [meeting] = [m for m in facts.meetings if m.reported]
    assert meeting.name == "Semi-annual Meeting of the IOM"
    assert meeting.method == "rule:framed-meeting"
    assert {"JAM", "HTI"} <= {p.actor.key for p in facts.participations}


def test_the_next_meeting_is_no_frame() -> None:
    text = "News\n\nThe plan will be adopted during the next meeting of the OAS in Lima."
    assert not [m for m in _extract(text).meetings if m.method == "rule:framed-meeting"]


def test_a_name_ends_before_the_verb_it_is_the_subject_of() -> None:
    text = (
        "La IV Reunión Anual del MIRPS concluyó con la Declaración de Lima y el traspaso de la "
        "Presidencia Pro Témpore de Chile a Perú y de Perú a Bolivia en la ciudad.\n\n"
        "Los tres países que integran el mecanismo —Chile, Perú y Bolivia— cerraron este martes "
        "la IV Reunión Anual."
    )
    facts = _extract(text)
    [meeting] = [m for m in facts.meetings if m.reported]
    assert meeting.name == "IV Annual Meeting of the MIRPS"
    # the members counted and named, who closed the meeting, took part
    assert {"CHL", "PER", "BOL"} <= {
        p.actor.key for p in facts.participations if p.method == "rule:counted-members"
    }


def test_a_name_does_not_end_in_a_preposition() -> None:
    [meeting] = _reported("Reunión del Grupo en San Salvador, El Salvador, 3 de mayo de 2031.")
    assert not meeting.name.endswith(" en")


def test_taking_part_in_a_meeting_reports_it_held() -> None:
    text = (
        "News\n\nJamaica - Officials from the 11 countries of the Regional Conference on "
        "Migration took part in a meeting of the Regional Consultation Group on Migration this "
        "week in Kingston, Jamaica."
    )
    facts = _extract(text)
    [meeting] = [m for m in facts.meetings if m.reported]
    assert meeting.name == "Meeting of the Regional Consultation Group on Migration"
    assert meeting.place is not None and meeting.place.city == "Kingston"


def test_a_caption_names_the_numbered_meeting_inside_it() -> None:
    text = (
        "Officials Debate Migration Policies\n\n"
        "The First Lady of Panama, Ana Ruiz, closed the 47th meeting of the OCAM.\n\n"
        "Panama – Government authorities of nine countries gathered in the city of Panama for "
        "the 47th meeting of the Central American Commission of Migration Directors (OCAM) this "
        "week to analyze progress and challenges of human mobility in the region."
    )
    [meeting] = _reported(text)
    assert meeting.ordinal == 47 and "First Lady" not in meeting.name
    assert meeting.place is not None and meeting.place.city == "Panama City"


def test_a_state_that_was_the_venue_reports_the_meeting() -> None:
    facts = _extract(
        "Noticias\n\nPerú fue sede del foro de la Conferencia Regional sobre Migración (CRM), "
        "enfocado en la movilidad humana y los factores ambientales."
    )
    [meeting] = [m for m in facts.meetings if m.reported]
    assert meeting.name == "Forum of the RCM"
    assert ("PER", "host") in {(p.actor.key, p.role) for p in facts.participations}
