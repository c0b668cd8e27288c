"""Who took part, read from sentences written for these tests in the general shapes of the
family's communiqués, declarations and news (English and Spanish, other cities and years).

The meeting is given by hand, so that these rules are tested apart from meeting detection.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rcm_graph.model.facts import ActorRef, DateValue, Meeting, Participation, Person, Span
from rcm_graph.stages.extraction.context import build_context
from rcm_graph.stages.extraction.gazetteer import gazetteer, group_label
from rcm_graph.stages.extraction.participation import find_participations
from rcm_graph.stages.extraction.persons import find_persons
from rcm_graph.stages.reading import RawDocument, read_text


def _participations(
    text: str,
    name: str = "the meeting",
    processes: tuple[str, ...] = (),
    *,
    named_as: str | None = None,
    start: date | None = None,
) -> list[Participation]:
    """What ``text`` says of the participants of a meeting called ``name``; ``named_as``: the
    words of the text that name it (its span), ``start``: its first day."""
    raw = RawDocument(Path("test.txt"), "test", "test.txt", "0" * 64, text)
    ctx = build_context(read_text(raw), gazetteer())
    at = text.index(named_as) if named_as else 0
    span = Span(at, at + len(named_as or name), named_as or name)
    meeting = Meeting("m1", name, "meeting", span, reported=True)
    meeting.processes = [ActorRef("process", p, p.upper(), span) for p in processes]
    if start is not None:
        meeting.start = DateValue(start, span)
    return find_participations(ctx, meeting, speeches=True)


def _with_persons(text: str) -> tuple[list[Person], list[Participation]]:
    """The persons of ``text`` and the participations found with them (rule person-speaks)."""
    raw = RawDocument(Path("test.txt"), "test", "test.txt", "0" * 64, text)
    ctx = build_context(read_text(raw), gazetteer())
    persons = find_persons(ctx)
    meeting = Meeting("m1", "the meeting", "meeting", Span(0, 11, "the meeting"), reported=True)
    return persons, find_participations(ctx, meeting, speeches=False, persons=persons)


def _roles(parts: list[Participation]) -> set[tuple[str, str]]:
    return {(p.actor.key, p.role) for p in parts}


def _participants(parts: list[Participation]) -> set[str]:
    """Who attended by what the sentences say (the meeting's own process left aside)."""
    return {
        p.actor.key
        for p in parts
        if p.role in ("participant", "observer", "presenter") and p.method != "rule:own-meeting"
    }


def test_list_after_with_the_participation_of_leaves_out_the_place() -> None:
    parts = _participations(
        "The Fourteenth Regional Conference on Migration was held in Cartago, Costa Rica, on "
        "9-10 October 2019, with the participation of the member countries of Belize, "
        "Jamaica, Mexico, Panama and the Dominican Republic."
    )
    assert _participants(parts) == {"BLZ", "JAM", "MEX", "PAN", "DOM"}
    assert {p.method for p in parts if p.actor.kind == "state"} == {"rule:attendance"}


def test_spanish_representatives_of_governments_reunidos() -> None:
    parts = _participations(
        "Los Representantes de los Gobiernos de Colombia, Ecuador, Guyana, Perú y Uruguay, "
        "reunidos en la Octava Conferencia Sudamericana sobre Migraciones, realizada en la "
        "ciudad de Tarija, Estado Plurinacional de Bolivia, suscriben la presente "
        "declaración."
    )
    assert _participants(parts) == {"COL", "ECU", "GUY", "PER", "URY"}


def test_formal_state_names_in_a_list() -> None:
    parts = _participations(
        "Los Delegados de la República Bolivariana de Venezuela, de los Estados Unidos "
        "Mexicanos, de la República Cooperativa de Guyana, del Estado Plurinacional de Bolivia "
        "y de la República del Paraguay, reunidos en Montevideo, declaran lo siguiente."
    )
    assert _participants(parts) == {"BOL", "GUY", "MEX", "PRY", "VEN"}


def test_list_before_the_cue() -> None:
    parts = _participations(
        "Delegations of Chile, Ecuador and Peru gathered in Encarnación on 3 June 2015. "
        "Colombia, Guyana and Suriname also participated in the meeting."
    )
    assert _participants(parts) == {"CHL", "ECU", "PER", "COL", "GUY", "SUR"}


def test_spanish_member_countries_colon_list() -> None:
    parts = _participations(
        "Participaron los Viceministros de los países miembros: Costa Rica, Guatemala, "
        "Honduras y República Dominicana. La reunión analizó la movilidad laboral."
    )
    assert _participants(parts) == {"CRI", "GTM", "HND", "DOM"}


def test_observers_named_before_or_after_the_cue() -> None:
    parts = _participations(
        "UNHCR and the ICRC participated as observers. Asistieron en calidad de observadores "
        "la Organización Internacional para las Migraciones y la Comisión Económica para "
        "América Latina y el Caribe (CEPAL)."
    )
    assert _roles(parts) >= {
        ("unhcr", "observer"),
        ("icrc", "observer"),
        ("iom", "observer"),
        ("eclac", "observer"),
    }


def test_thanked_or_funding_states_are_not_participants() -> None:
    parts = _participations(
        "With the support of the Government of Spain, the workshop was attended by Chile and "
        "Peru. The participants thanked Finland for its financial contribution."
    )
    assert _participants(parts) == {"CHL", "PER"}
    assert ("ESP", "supporter") in _roles(parts)
    assert ("FIN", "supporter") in _roles(parts)


def test_an_aim_or_an_expectation_is_not_attendance() -> None:
    parts = _participations(
        "The aim of the seminar was to bring together Brazil, Colombia and Peru. The "
        "participation of the representatives of Argentina and Chile is expected."
    )
    assert _participants(parts) == set()


def test_opening_and_special_guests() -> None:
    parts = _participations(
        "The meeting was opened on Monday by the IOM Regional Director and the Minister of "
        "Foreign Affairs. Como invitados especiales asistieron Canadá y el ACNUR."
    )
    assert {"iom", "CAN", "unhcr"} <= _participants(parts)


def test_presented_by_makes_a_presenter() -> None:
    parts = _participations(
        "The delegates endorsed the budget submitted by the Technical Secretariat and the "
        "roadmap presented by Costa Rica."
    )
    roles = _roles(parts)
    assert ("rcm:technical-secretariat", "presenter") in roles
    assert ("CRI", "presenter") in roles and ("CRI", "participant") in roles


def test_the_process_of_its_own_meeting_takes_part() -> None:
    parts = _participations(
        "The Vice-Ministers met in Belmopan.",
        name="XXXIII Vice-Ministerial Meeting of the Regional Conference on Migration",
    )
    assert ("rcm", "participant") in _roles(parts)
    parts = _participations(
        "Los delegados se reunieron en San José.",
        name="Reunión del Grupo Regional de Consulta sobre Migración (GRCM)",
        processes=("rcm",),
    )
    roles = _roles(parts)
    assert ("rcm:regional-consultation-group-on-migration", "participant") in roles
    assert ("rcm", "participant") in roles
    assert {p.method for p in parts if p.actor.kind != "state"} == {"rule:own-meeting"}


def test_a_state_name_glued_to_the_next_word() -> None:
    parts = _participations(
        "The Vice-Ministers of Guatemala and the Dominican Republicconvened in Flores on "
        "4 March 2019."
    )
    assert _participants(parts) == {"GTM", "DOM"}


def test_groups_are_labelled_by_what_they_are_not_by_the_pronoun() -> None:
    assert group_label("participating-countries", "en") == "Participating countries"
    assert group_label("civil-society", "es") == "Sociedad civil"
    assert group_label("civil-society", "fr") == "Civil society"
    assert group_label("no-such-group", "en") is None


def test_a_support_list_ends_where_a_new_clause_begins() -> None:
    parts = _participations(
        "Con el apoyo logístico de la OIM, Honduras preparó su informe anual. "
        "With the support of UNICEF and UNHCR, Belize presented its results."
    )
    roles = _roles(parts)
    assert {("iom", "supporter"), ("unicef", "supporter"), ("unhcr", "supporter")} <= roles
    assert not {k for k, r in roles if r == "supporter"} & {"HND", "BLZ"}


def test_hosts_stated_before_or_after_the_cue() -> None:
    roles = _roles(
        _participations(
            "Costa Rica fue sede de la Reunión Viceministerial. The workshop, hosted by the "
            "Government of Chile and organized by IOM, addressed labour migration. Guatemala, "
            "the host country, opened the session."
        )
    )
    assert {("CRI", "host"), ("CHL", "host"), ("iom", "organizer"), ("GTM", "host")} <= roles


def test_names_laid_out_line_by_line_under_a_heading() -> None:
    roles = _roles(
        _participations(
            "Minutes of the meeting\n\nParticipating countries:\n\nBelize\nCosta Rica\nHonduras"
            "\n\nObserver organizations: IOM, UNHCR and UNICEF.\n\nThe meeting opened at 9:00.\n"
        )
    )
    assert roles == {
        ("BLZ", "participant"),
        ("CRI", "participant"),
        ("HND", "participant"),
        ("iom", "observer"),
        ("unhcr", "observer"),
        ("unicef", "observer"),
    }


def test_the_process_named_in_the_meeting_sentence_takes_part() -> None:
    text = "The Vice-Ministers of the RCM met in Belmopan on 2 May 2019."
    raw = RawDocument(Path("test.txt"), "test", "test.txt", "0" * 64, text)
    ctx = build_context(read_text(raw), gazetteer())
    meeting = Meeting("m1", "the meeting", "meeting", Span(0, 20, text[:20]), reported=True)
    parts = find_participations(ctx, meeting, speeches=False)
    assert ("rcm", "participant") in _roles(parts)


def test_people_present_through_their_affiliation() -> None:
    parts = _participations(
        "El Canciller de Paraguay inauguró la reunión, acompañado por la Directora de la OIM, "
        "Ana Pérez; el Embajador de Chile, Luis Soto y la Representante del ACNUR, Eva Ruiz, "
        "quien destacó la cooperación con Brasil."
    )
    assert {"iom", "CHL", "unhcr"} <= _participants(parts)
    assert "BRA" not in _participants(parts)  # named in a relative clause, not present


def test_thanking_the_participation_of_someone_says_they_took_part() -> None:
    parts = _participations(
        "The Forum thanked the presence of the Vice-Minister of the Interior of Paraguay "
        "and the Government of Norway for its financial support."
    )
    roles = _roles(parts)
    assert ("PRY", "participant") in roles and ("PRY", "supporter") not in roles
    assert ("NOR", "supporter") in roles and ("NOR", "participant") not in roles


def test_the_subjects_of_a_decision_not_its_objects() -> None:
    parts = _participations(
        "Belize, Canada and Mexico agreed to support Guatemala and Honduras in their efforts. "
        "Los países han acordado apoyar a Nicaragua."
    )
    assert _participants(parts) == {"BLZ", "CAN", "MEX"}


def test_observer_states_and_a_delegation() -> None:
    roles = _roles(
        _participations(
            "Also participating as observers were Argentina, Colombia and Jamaica, and the IOM. "
            "The delegation of Panama proposed a new agenda."
        )
    )
    assert {("ARG", "observer"), ("COL", "observer"), ("JAM", "observer")} <= roles
    assert {("iom", "observer"), ("PAN", "participant")} <= roles


def test_an_observer_cue_qualifies_only_its_own_list() -> None:
    roles = _roles(
        _participations(
            "Los Viceministros de Belice, Honduras y Panamá se reunieron en San José, con la "
            "participación de la OIM y el ACNUR en calidad de organizaciones observadoras."
        )
    )
    assert {("BLZ", "participant"), ("HND", "participant"), ("PAN", "participant")} <= roles
    assert {("iom", "observer"), ("unhcr", "observer")} <= roles
    assert not {k for k, r in roles if r == "observer"} & {"BLZ", "HND", "PAN"}
    assert ("unhcr", "observer") in _roles(
        _participations("IOM and UNHCR participated as observers.")
    )


def test_a_pro_tempore_chairmanship_is_the_presidency() -> None:
    roles = _roles(
        _participations(
            "The meeting was held under the Pro-Tempore Chairmanship of Chile. Peru, as the "
            "Pro Tempore Chairmanship of the next meeting, spoke last."
        )
    )
    assert {("CHL", "presidency"), ("PER", "presidency")} <= roles


def test_a_thanked_pronoun_stands_for_the_last_actor_named() -> None:
    roles = _roles(
        _participations(
            "To take note of the annual summary of the RNCOM working group and to thank it "
            "for its input."
        )
    )
    assert roles == {("rncom", "supporter")}


def test_organizations_listed_after_state_observers_take_part() -> None:
    parts = _participations(
        "The Conference welcomed the participation, as observers, of Norway and Japan, as well "
        "as the following international organizations: UNICEF, ILO and OAS."
    )
    assert _participants(parts) == {"NOR", "JPN", "unicef", "ilo", "oas"}
    assert ("NOR", "observer") in _roles(parts)


def test_spanish_observer_bodies_heading_list() -> None:
    parts = _participations("Los organismos observadores: OEA, UNFPA y CICR, asistieron al foro.")
    assert {("oas", "observer"), ("unfpa", "observer"), ("icrc", "observer")} <= _roles(parts)


def test_slash_and_dash_joined_presenters() -> None:
    parts = _participations(
        "Se tomó nota de la exposición sobre remesas y desarrollo local por parte de "
        "OIT–CEPAL/CELADE."
    )
    assert {("ilo", "presenter"), ("eclac", "presenter"), ("celade", "presenter")} <= _roles(parts)


def test_presenter_inside_a_thanks_item() -> None:
    parts = _participations(
        "Agradecer el informe sobre trata presentado por el ACNUR en la sesión."
    )
    assert ("unhcr", "presenter") in _roles(parts)


def test_presenter_named_by_an_unknown_name_and_its_acronym() -> None:
    parts = _participations(
        "Se conoció la propuesta presentada por la Red Regional de Organizaciones Civiles sobre "
        "Migración (RROCM) para el plan de trabajo."
    )
    assert ("rncom", "presenter") in _roles(parts)


def test_english_presentation_given_by() -> None:
    parts = _participations("The delegates discussed the presentation on return given by UNFPA.")
    assert ("unfpa", "presenter") in _roles(parts)


def test_the_organization_serving_as_technical_secretariat_supports() -> None:
    for text in (
        "The Regional Conference on Migration, whose Technical Secretariat is held by UNHCR, "
        "met in Belmopan.",
        "La Secretaría Técnica de la CSM, a cargo de la OIT, preparó el informe.",
        "La OEA, que ejerce la Secretaría Técnica, preparó el informe.",
    ):
        assert {p.method for p in _participations(text) if p.role == "supporter"} == {
            "rule:secretariat"
        }, text


def test_a_body_that_met_within_the_meeting_takes_part() -> None:
    parts = _participations(
        "La reunión del GRCM tuvo lugar el 8 de octubre, antes de la reunión de viceministros."
    )
    assert ("rcm:regional-consultation-group-on-migration", "participant") in _roles(parts)
    later = _participations("La próxima reunión del GRCM se realizará en marzo en la reunión.")
    assert not [p for p in later if p.actor.kind == "body"]


def test_a_series_meeting_belongs_to_the_only_process_the_document_names() -> None:
    parts = _participations(
        "The XXXI Vice-Ministerial Meeting closed on Friday in Belmopan. The countries of the "
        "RCM adopted a work plan.",
        name="XXXI Vice-Ministerial Meeting",
    )
    assert ("rcm", "participant") in _roles(parts)
    two = _participations(
        "The XXXI Vice-Ministerial Meeting closed on Friday. The RCM and the SACM exchanged views.",
        name="XXXI Vice-Ministerial Meeting",
    )
    assert not [p for p in two if p.method == "rule:own-meeting"]


def test_a_state_currently_holding_the_presidency() -> None:
    parts = _participations(
        "The session was chaired by the Government of Uruguay, currently holding the Presidency "
        "Pro Tempore."
    )
    assert {("URY", "participant"), ("URY", "presidency")} <= _roles(parts)
    es = _participations("Participó Ecuador, que ejerce actualmente la Presidencia Pro Tempore.")
    assert ("ECU", "presidency") in _roles(es)


def test_a_participants_list_goes_on_in_the_next_block() -> None:
    parts = _participations(
        "Additional participants: delegations from Jamaica and Cuba.\n\n"
        "United Nations Population Fund (UNFPA) represented by its Regional Adviser, Ms. Rosa "
        "Vega; Oficina del Alto Comisionado para los Derechos Humanos (OACNUDH); OAS, SICA\n\n"
        "The Inter-American Development Bank reported on Haiti."
    )
    listed = {"JAM", "CUB", "unfpa", "ohchr", "oas", "sica"}
    assert listed <= _participants(parts)
    assert {p.method for p in parts if p.actor.key in listed - {"JAM", "CUB"}} == {
        "rule:list-entries"
    }
    # the block after the list is a sentence of its own: the bank that reports in it speaks,
    # it is no entry of the list
    assert "rule:list-entries" not in {p.method for p in parts if p.actor.key == "idb"}


def test_a_participants_list_goes_on_in_a_later_sentence_of_its_block() -> None:
    parts = _participations(
        "Participants: delegations of Jamaica and Cuba, with their ambassadors in Lima. Haiti, "
        "which chairs the working group, and the OAS. Canada funded the meeting."
    )
    assert _participants(parts) == {"JAM", "CUB", "HTI"}
    assert {p.method for p in parts if p.actor.key == "HTI"} == {"rule:list-entries"}
    # outside a "Participants:" block a sentence that opens with a state lists nobody
    plain = _participations("Delegations of Jamaica attended. Haiti, which chairs the group.")
    assert _participants(plain) == {"JAM"}


def test_the_state_that_welcomes_the_delegations_hosts_the_meeting() -> None:
    spanish = _participations(
        "AGENCIA / LIMA.-El Gobierno del Perú, a través de su Cancillería y de la Oficina de "
        "Migraciones, da la bienvenida a los delegados de los países que integran el foro, "
        "que celebra su reunión técnica en Arequipa."
    )
    assert ("PER", "host") in _roles(spanish)
    assert {p.method for p in spanish if p.role == "host"} == {"rule:welcome-host"}
    english = _participations("Jamaica welcomes the delegations to the meeting in Kingston.")
    assert ("JAM", "host") in _roles(english)


def test_a_state_that_did_something_else_before_the_welcome_is_no_host() -> None:
    parts = _participations(
        "Canada thanked Guatemala, which welcomed the delegations to the meeting in Antigua."
    )
    assert ("CAN", "host") not in _roles(parts)
    parts = _participations("The delegates of Chile welcomed the participants of the meeting.")
    assert ("CHL", "host") not in _roles(parts)


def test_a_count_of_member_countries_resolves_to_the_list_that_names_them() -> None:
    news = (
        "Officials from the seven countries that make up the forum are meeting this week in "
        "Kingston. Since its creation, the forum's members are Jamaica, Cuba, Haiti, Barbados, "
        "Grenada, Bahamas and Dominica. Canada funded the event."
    )
    parts = _participations(news)
    assert _participants(parts) == {"JAM", "CUB", "HTI", "BRB", "GRD", "BHS", "DMA"}
    assert {p.method for p in parts} == {"rule:counted-members"}
    spanish = _participations(
        "Los once países miembros de la conferencia se reunieron en Lima. Son miembros Perú y "
        "Chile."
    )
    assert not _participants(spanish)  # eleven counted, two named: not resolved
    # a count of the membership alone, with no meeting of them, reports no attendance
    plain = _participations(
        "The forum is made up of the three countries of the region: Jamaica, Cuba and Haiti."
    )
    assert not _participants(plain)


def test_delegates_and_officials_list_their_states_but_not_the_place_of_the_meeting() -> None:
    parts = _participations(
        "During the conference held last week in Lima, delegates from Jamaica, Cuba and Haiti "
        "called for a comprehensive approach."
    )
    assert _participants(parts) == {"JAM", "CUB", "HTI"}
    place = _participations(
        "Officials from the member countries of the forum are this week holding their annual "
        "meeting in the Dominican Republic."
    )
    assert "DOM" not in _participants(place)


def test_names_written_without_their_accents() -> None:
    parts = _participations(
        "Con la participación de viceministros de Republica Dominicana, Haiti y Peru, se "
        "realizó la reunión."
    )
    assert _participants(parts) == {"DOM", "HTI", "PER"}


def test_thanked_for_a_presentation_or_a_report_presented_it() -> None:
    parts = _participations(
        "2) Thank the Presidency Pro-Tempore for the presentation of its Progress Report, and "
        "thank the Technical Secretariat for its Operations and Financial Report. 3) Thank "
        "Jamaica for its financial contribution and Haiti por la presentación de su informe.",
        processes=("rcm",),
    )
    roles = _roles(parts)
    assert {
        ("rcm:presidency-pro-tempore", "presenter"),
        ("rcm:technical-secretariat", "presenter"),
        ("JAM", "supporter"),
        ("HTI", "presenter"),
        ("HTI", "participant"),
    } <= roles
    assert ("JAM", "participant") not in roles


def test_an_organization_holds_the_meeting_its_name_says_is_its_own() -> None:
    parts = _participations("The forum met in Kingston.", name="Annual Meeting of the OAS")
    assert ("oas", "participant") in _roles(parts)
    assert {p.method for p in parts if p.actor.key == "oas"} == {"rule:own-meeting"}
    named = _participations("The forum met in Kingston.", name="Workshop on IOM data")
    assert "iom" not in {p.actor.key for p in named}


def test_a_relative_clause_that_names_the_members_goes_on_with_the_list() -> None:
    parts = _participations(
        "En la reunión participaron los miembros de la Troika del foro, que conforman Jamaica, "
        "Haití y Cuba, además de observadores."
    )
    assert {"JAM", "HTI", "CUB"} <= _participants(parts)
    clause = _participations(
        "Con la participación de Jamaica, que presentó su informe sobre Haití, se cerró la sesión."
    )
    assert _participants(clause) == {"JAM"}


def test_a_person_of_a_state_who_speaks_gives_the_state_a_voice() -> None:
    text = (
        "La reunión del foro concluyó hoy en Kingston. El ministro de Relaciones Exteriores de "
        "Jamaica, Ricardo Pérez Soto, reiteró la importancia del diálogo. La directora de "
        "Migración de Haití, Ana Gómez Ruiz, recibió la presidencia."
    )
    persons, parts = _with_persons(text)
    assert {p.name for p in persons} >= {"Ricardo Pérez Soto", "Ana Gómez Ruiz"}
    speakers = {p.actor.key for p in parts if p.method == "rule:person-speaks"}
    assert speakers == {"JAM"}  # Haiti's director received the presidency: she did not speak


def test_a_person_of_an_organization_who_speaks_gives_it_a_voice() -> None:
    text = (
        "The annual meeting of the forum ended today in Kingston. IOM's Director General, Ana "
        "Ruiz Soto, expressed her gratitude in the opening session."
    )
    persons, parts = _with_persons(text)
    assert [(p.name, p.affiliation and p.affiliation.key) for p in persons] == [
        ("Ana Ruiz Soto", "iom")
    ]
    assert ("iom", "participant") in _roles(parts)


def test_observers_after_as_well_as_leave_the_states_before_as_participants() -> None:
    parts = _participations(
        "Participaron delegaciones de Jamaica, Haití y Cuba, así como la OIM y el ACNUR en "
        "calidad de observadores."
    )
    roles = _roles(parts)
    assert {("JAM", "participant"), ("HTI", "participant"), ("CUB", "participant")} <= roles
    assert {("iom", "observer"), ("unhcr", "observer")} <= roles
    assert not {key for key, role in roles if role == "observer"} & {"JAM", "HTI", "CUB"}


def test_a_state_that_takes_over_the_presidency_at_the_meeting_is_there() -> None:
    parts = _participations(
        "Jamaica asumió este lunes la Presidencia Pro Tempore del foro durante la reunión."
    )
    assert {p.method for p in parts if p.actor.key == "JAM"} == {"rule:takes-presidency"}
    assert ("JAM", "presidency") not in _roles(parts)


def test_an_adjective_of_nationality_with_an_institution_names_the_state() -> None:
    parts = _participations(
        "I am grateful to the Jamaican Chair for the invitation. The Cuban and Haitian "
        "delegations presented their reports. Venezuelan migrants were discussed."
    )
    roles = _roles(parts)
    assert ("JAM", "host") in roles  # thanked for the invitation: the host
    assert "VEN" not in {key for key, _role in roles}
    spanish = _participations(
        "Con la participación de la delegación peruana y de la chilena, el canciller "
        "ecuatoriano, Juan Pérez Soto, inauguró la reunión."
    )
    assert "PER" in _participants(spanish)


def test_a_state_that_hosted_last_years_meeting_is_no_convener() -> None:
    parts = _participations(
        "We applaud the progress under the outgoing Chair, the Government of Haiti, which "
        "hosted the excellent annual meeting last year in Kingston, Jamaica."
    )
    assert ("HTI", "host") not in _roles(parts)


def test_signatories_presence_and_a_state_that_has_participated() -> None:
    parts = _participations(
        "The meeting concluded today with the signing of the plan. The countries that signed "
        "are Jamaica, Cuba and Haiti. The attendees welcomed the presence of Barbados. The same "
        "approach was made with Grenada, that has participated in the two meetings."
    )
    assert _participants(parts) == {"JAM", "CUB", "HTI", "BRB", "GRD"}
    generic = _participations(
        "Regularization follows the legislation of each host country, with the support of IOM."
    )
    assert ("iom", "host") not in _roles(generic)


def test_the_states_a_declaration_commits_adopted_it() -> None:
    parts = _participations(
        "Esta declaración compromete a Jamaica, Haití y Cuba a impulsar una respuesta coordinada."
    )
    assert _participants(parts) == {"JAM", "HTI", "CUB"}


def test_the_member_countries_of_an_organization_are_the_list_not_the_organization() -> None:
    parts = _participations(
        "The member countries of the Caribbean Community (CARICOM) -Jamaica, Haiti and "
        "Barbados- agreed today to coordinate their responses."
    )
    assert {"JAM", "HTI", "BRB"} <= _participants(parts)


def test_a_list_cut_off_by_the_page_keeps_its_last_name() -> None:
    text = (
        "Se presentaron las delegaciones participantes: República de Chile, República del "
        "Perú, República de Honduras y República de Nicar"
    )
    parts = _participations(text)
    assert {"CHL", "PER", "HND", "NIC"} <= _participants(parts)
    [cut] = [p for p in parts if p.actor.key == "NIC"]
    assert cut.span.text == "República de Nicar"


def test_a_name_cut_off_inside_a_text_is_not_completed() -> None:
    # only the document's last word may be cut by the page: here the text goes on
    text = "Participaron las delegaciones de Chile y de Nicar.\n\nEl encuentro concluyó."
    assert "NIC" not in _participants(_participations(text))


def test_states_named_in_the_items_after_agree_are_not_participants() -> None:
    text = (
        "The representatives of the Governments of Jamaica and the Republic of Haiti, meeting "
        "in Kingston, agree:\n\n1. To support the people of Venezuela.\n"
        "2. To recognise the efforts of Guyana in the reception of migrants."
    )
    assert _participants(_participations(text)) == {"JAM", "HTI"}


def test_an_organization_whose_official_spoke_after_an_apposition_took_part() -> None:
    _persons, parts = _with_persons(
        "At the meeting, Laura Pinto, UNICEF’s Regional Director for South America said that "
        "returns weigh on children."
    )
    assert ("unicef", "participant") in _roles(parts)
    _persons, parts = _with_persons(
        "In his opening speech at the meeting, Carlos Ruiz, the IOM Chief of Mission, recalled "
        "the data."
    )
    assert ("iom", "participant") in _roles(parts)


def test_a_sentence_set_in_another_year_reports_no_attendance() -> None:
    text = (
        "On 3 May 2031, Chile received the presidency at the meeting in Lima.\n\n"
        "In 2025, Chile, along with Peru and Bolivia, agreed to adopt the framework."
    )
    parts = _participations(text, start=date(2031, 5, 3))
    assert not {"PER", "BOL"} & _participants(parts)


def test_the_states_an_envoy_is_sent_to_are_not_represented() -> None:
    parts = _participations(
        "The minister was accompanied by Ana Ruiz, Director of Migration; and H.E. Tom Baker, "
        "Ambassador of Jamaica to Haiti and Cuba."
    )
    assert _participants(parts) == {"JAM"}


def test_who_handed_over_the_presidency_took_part() -> None:
    parts = _participations(
        "The presidency was handed over by Mr. Luis Vega, Minister of Government of Panama, to "
        "Hon. Ruth Keller, Attorney General of Jamaica."
    )
    assert {"PAN", "JAM"} <= _participants(parts)


def test_a_forum_named_in_its_meeting_holds_it() -> None:
    for name in ("Ninth MIRPS Annual Meeting", "II Technical Meeting on Mobility - Quito Process"):
        parts = _participations(f"The {name} closed today.", name=name)
        assert {p.actor.key for p in parts if p.method == "rule:own-meeting"} & {
            "mirps",
            "quito-process",
        }, name


def test_the_officials_alongside_a_head_of_delegation_took_part() -> None:
    parts = _participations(
        "The Secretary of State led the U.S. delegation, alongside USAID Administrator Ana "
        "Ruiz and Department of Homeland Security official Tom Lee."
    )
    assert {"usaid", "us-dhs"} <= _participants(parts)


def test_a_list_of_observers_with_names_the_gazetteer_does_not_know() -> None:
    parts = _participations(
        "Chile, Peru, the Pacific Islands Forum Secretariat, World Bank, Regional Bank of "
        "Development, INTERPOLX, Committee of Red Cross Societies, United Nations Office of "
        "Drug Control attended as observers."
    )
    roles = _roles(parts)
    assert {("CHL", "observer"), ("PER", "observer"), ("world-bank", "observer")} <= roles
    # "United Nations" glued to the front of a longer unknown name is not the UN
    assert not any(key == "un" for key, _role in roles)


def test_the_co_chairs_named_as_the_subject() -> None:
    parts = _participations(
        "We, the Foreign Ministers of Jamaica and Chile, had the honour to co-chair the "
        "Ministerial Conference in Kingston."
    )
    assert {("JAM", "chair"), ("CHL", "chair")} <= _roles(parts)


def test_a_speaker_named_after_the_verb_of_speech() -> None:
    _persons, parts = _with_persons(
        "“Debemos coordinar”, dijo Ana Pérez, Directora General del Instituto Guatemalteco de "
        "Migración, en la reunión."
    )
    assert ("igm-guatemala", "participant") in _roles(parts)


def test_the_organization_whose_premises_host_the_meeting_is_a_venue() -> None:
    parts = _participations(
        "Se inauguró, en la sede de la Organización de los Estados Americanos en Washington, la "
        "reunión con la participación de Chile y Perú."
    )
    assert "oas" not in _participants(parts)
    assert {"CHL", "PER"} <= _participants(parts)


def test_the_dignitaries_a_speech_greets_took_part() -> None:
    parts = _participations(
        "Palabras de apertura\n\n"
        "Excelentísimo Señor Ministro de Relaciones Exteriores del\n\n"
        "Estado Plurinacional de Bolivia, D. Juan Mamani\n\n"
        "Distinguido Viceministro del Paraguay y ex Presidente Pro Tempore de la Conferencia "
        "celebrada en Chile, Don Luis Ortiz\n\n"
        "Permítanme iniciar estas palabras."
    )
    assert {("BOL", "participant"), ("PRY", "participant")} <= _roles(parts)
    assert "CHL" not in _participants(parts)


def test_thanked_for_organizing_the_meeting_is_its_organizer() -> None:
    parts = _participations(
        "Agradezco al Señor Canciller y por su intermedio al Gobierno de Bolivia por la "
        "excelente organización de la X Conferencia."
    )
    assert ("BOL", "organizer") in _roles(parts)


def test_an_organization_s_offer_is_support() -> None:
    parts = _participations("2. To positively consider UNICEF’s offer to organize a workshop.")
    assert ("unicef", "supporter") in _roles(parts)
    parts = _participations("Acoger la oferta de la OIM de organizar un taller regional.")
    assert ("iom", "supporter") in _roles(parts)


def test_the_forum_named_right_after_the_meeting_s_name_holds_it() -> None:
    text = (
        "Los representantes, que participaron en la IX Reunión – Capítulo de Lima del Proceso de "
        "Quito – los días 2 y 3 de mayo de 2031, acuerdan:"
    )
    parts = _participations(text, "IX Meeting", named_as="IX Reunión")
    assert ("quito-process", "participant") in _roles(parts)


def test_a_presentation_scheduled_for_a_later_meeting_has_not_happened() -> None:
    parts = _participations(
        "Exposiciones\n\n- Presentación a cargo de Chile y Perú, de un documento conjunto sobre "
        "fronteras. Se acordó presentarlo en la reunión siguiente."
    )
    assert not {"CHL", "PER"} & _participants(parts)


def test_presenters_named_with_their_acronyms_and_a_misspelt_name() -> None:
    parts = _participations(
        "Los proyectos presentados por la Organización Internacional para las Migraciones (OIM); "
        "Comisión Económica para América Latina y el Caribe (CEPAL)/Centro Lationamericano de "
        "Demografia Regional (CELADE), se aprobaron."
    )
    assert {("iom", "presenter"), ("eclac", "presenter"), ("celade", "presenter")} <= _roles(parts)


def test_a_dateline_state_is_where_the_news_was_filed() -> None:
    parts = _participations("Chile - Officials from Peru and Bolivia took part in the meeting.")
    assert _participants(parts) == {"PER", "BOL"}


def test_the_greeting_lines_of_a_speech_name_who_is_present() -> None:
    parts = _participations(
        "Assistant Secretary General Speech\n\n"
        "Hon. Ana Ruiz, Prime Minister of Jamaica\n\n"
        "H.E. Tom Lee, United Nations High Commissioner for Refugees (UNHCR)\n\n"
        "It is my honor to address you at this meeting."
    )
    assert {("JAM", "participant"), ("unhcr", "participant")} <= _roles(parts)
