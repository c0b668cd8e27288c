# ruff: noqa: E501  (vocabulary tables: long names and sentences read better unbroken)
"""Synthetic RCM-like corpora for measuring how the build grows with size.

The real corpus has five documents; scaling claims need 100, 1,000 and 10,000. This generator
writes plain-text documents in the styles of the real ones (joint communiqués, final minutes
with numbered agreements, long Technical Secretariat reports with speakers and footnotes, and
Spanish versions), so that the real extractor runs its real code paths: states and
organizations by name and acronym, persons with titles, dates in English and Spanish forms,
numbered agreements with responsible actors and deadlines, places, stated counts, running
headers and page-break debris.

Deterministic: document ``i`` depends only on ``(seed, i)``, so the 100-document corpus is the
first 100 documents of the 1,000-document one and every run writes byte-identical files.
Nothing here is read by the pipeline except the files it writes.

Usage: ``python -m benchmarks.synthetic --docs 1000 --out DIR [--seed 42]``.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# --- vocabularies -------------------------------------------------------------------------

STATES: tuple[tuple[str, str], ...] = (
    ("Belize", "Belice"),
    ("Canada", "Canadá"),
    ("Costa Rica", "Costa Rica"),
    ("Dominican Republic", "República Dominicana"),
    ("El Salvador", "El Salvador"),
    ("Guatemala", "Guatemala"),
    ("Honduras", "Honduras"),
    ("Mexico", "México"),
    ("Nicaragua", "Nicaragua"),
    ("Panama", "Panamá"),
    ("United States", "Estados Unidos"),
    ("Argentina", "Argentina"),
    ("Colombia", "Colombia"),
    ("Ecuador", "Ecuador"),
    ("Jamaica", "Jamaica"),
    ("Peru", "Perú"),
    ("Chile", "Chile"),
    ("Brazil", "Brasil"),
    ("Bolivia", "Bolivia"),
    ("Paraguay", "Paraguay"),
    ("Uruguay", "Uruguay"),
    ("Guyana", "Guyana"),
    ("Suriname", "Surinam"),
    ("Venezuela", "Venezuela"),
)

# Capital or usual meeting city of each state above (same order).
CITIES: tuple[str, ...] = (
    "Belmopan",
    "Ottawa",
    "San José",
    "Santo Domingo",
    "San Salvador",
    "Guatemala City",
    "Tegucigalpa",
    "Mexico City",
    "Managua",
    "Panama City",
    "Washington, DC",
    "Buenos Aires",
    "Bogotá",
    "Quito",
    "Kingston",
    "Lima",
    "Santiago",
    "Brasília",
    "La Paz",
    "Asunción",
    "Montevideo",
    "Georgetown",
    "Paramaribo",
    "Caracas",
)

# (English name, acronym, Spanish name, Spanish acronym); the last three are unknown to the
# reference data on purpose, so the extractor's fallback for unknown organizations runs too.
ORGANIZATIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "International Organization for Migration",
        "IOM",
        "Organización Internacional para las Migraciones",
        "OIM",
    ),
    (
        "United Nations High Commissioner for Refugees",
        "UNHCR",
        "Alto Comisionado de las Naciones Unidas para los Refugiados",
        "ACNUR",
    ),
    ("International Labour Organization", "ILO", "Organización Internacional del Trabajo", "OIT"),
    (
        "United Nations Children's Fund",
        "UNICEF",
        "Fondo de las Naciones Unidas para la Infancia",
        "UNICEF",
    ),
    (
        "United Nations Office on Drugs and Crime",
        "UNODC",
        "Oficina de las Naciones Unidas contra la Droga y el Delito",
        "UNODC",
    ),
    (
        "Economic Commission for Latin America and the Caribbean",
        "ECLAC",
        "Comisión Económica para América Latina y el Caribe",
        "CEPAL",
    ),
    (
        "International Committee of the Red Cross",
        "ICRC",
        "Comité Internacional de la Cruz Roja",
        "CICR",
    ),
    ("Organization of American States", "OAS", "Organización de los Estados Americanos", "OEA"),
    (
        "Central American Integration System",
        "SICA",
        "Sistema de la Integración Centroamericana",
        "SICA",
    ),
    (
        "United Nations Population Fund",
        "UNFPA",
        "Fondo de Población de las Naciones Unidas",
        "UNFPA",
    ),
    (
        "Inter-American Commission on Human Rights",
        "IACHR",
        "Comisión Interamericana de Derechos Humanos",
        "CIDH",
    ),
    (
        "Regional Network for Civil Organizations on Migration",
        "RNCOM",
        "Red Regional de Organizaciones Civiles para las Migraciones",
        "RROCM",
    ),
    ("Caribbean Migration Consultations", "CMC", "Consultas sobre Migración del Caribe", "CMC"),
    (
        "Mesoamerican Observatory on Human Mobility",
        "MOHM",
        "Observatorio Mesoamericano de Movilidad Humana",
        "OMMH",
    ),
    (
        "Andean Network of Migrant Associations",
        "ANMA",
        "Red Andina de Asociaciones de Migrantes",
        "RAAM",
    ),
)

FIRST_NAMES = (
    "Liduvina",
    "Margaret",
    "Renata",
    "Carlos",
    "María",
    "José",
    "Ana",
    "Luis",
    "Patricia",
    "Jorge",
    "Gabriela",
    "Ricardo",
    "Sofía",
    "Andrés",
    "Claudia",
    "Fernando",
    "Lucía",
    "Daniel",
    "Elena",
    "Roberto",
    "Isabel",
    "Miguel",
    "Carmen",
    "David",
    "Laura",
    "Héctor",
    "Paula",
)
LAST_NAMES = (
    "Magarín",
    "Pollack",
    "Dubini",
    "Gómez",
    "Hernández",
    "Rodríguez",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Torres",
    "Flores",
    "Rivera",
    "Castillo",
    "Morales",
    "Ortiz",
    "Vargas",
    "Mendoza",
    "Herrera",
    "Campbell",
    "Thompson",
    "Klein",
    "Solano",
    "Quesada",
    "Barrios",
)
TITLES_EN = (
    "Vice-Minister",
    "Ambassador",
    "Minister",
    "Director General",
    "Regional Director",
    "Ms",
    "Mr",
)
TITLES_ES = (
    "Viceministra",
    "Embajador",
    "Ministro",
    "Directora General",
    "Director Regional",
    "Sra.",
    "Sr.",
)

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
ROMAN = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
    "XXI",
    "XXII",
    "XXIII",
    "XXIV",
    "XXV",
    "XXVI",
    "XXVII",
    "XXVIII",
    "XXIX",
    "XXX",
)
ORDINAL_WORDS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth")

MEETINGS_EN = (
    "Plenary Meeting",
    "Vice-Ministerial Meeting",
    "Regional Forum of Champion Countries",
    "Working Meeting",
    "Troika Meeting",
    "Thematic Consultation",
    "Technical Meeting",
    "Workshop",
    "Meeting of the Regional Consultation Group on Migration",
)
MEETINGS_ES = (
    "Reunión Plenaria",
    "Reunión Viceministerial",
    "Foro Regional de Países Campeones",
    "Reunión de Trabajo",
    "Reunión de la Troika",
    "Consulta Temática",
    "Reunión Técnica",
    "Taller",
    "Reunión del Grupo Regional de Consulta sobre Migración",
)

# Topic sentences (English, Spanish): each names a subject the extractor's topic and GCM
# objective rules look for, in the phrasing the real communiqués use.
TOPICS: tuple[tuple[str, str], ...] = (
    (
        "warning about the actions of trafficking in persons and migrant smuggling networks",
        "advirtiendo sobre las acciones de las redes de trata de personas y tráfico ilícito de migrantes",
    ),
    (
        "promoting safe and dignified return for sustainable reintegration",
        "promoviendo el retorno seguro y digno para una reintegración sostenible",
    ),
    (
        "the effects of disasters and climate change on human mobility",
        "los efectos de los desastres y el cambio climático en la movilidad humana",
    ),
    (
        "the situation of extra-regional migrants transiting through the region",
        "la situación de los migrantes extrarregionales en tránsito por la región",
    ),
    (
        "labour migration and the protection of migrant workers",
        "la migración laboral y la protección de las personas trabajadoras migrantes",
    ),
    (
        "the contribution of remittances and diasporas to sustainable development",
        "la contribución de las remesas y las diásporas al desarrollo sostenible",
    ),
    (
        "strengthening consular protection and assistance",
        "el fortalecimiento de la protección y asistencia consular",
    ),
    (
        "promoting regular channels for the admission and stay of migrants",
        "la promoción de vías regulares para la admisión y estancia de personas migrantes",
    ),
    (
        "the protection of unaccompanied migrant children and adolescents",
        "la protección de niñas, niños y adolescentes migrantes no acompañados",
    ),
    (
        "the needs of migrant women and a gender perspective in migration policy",
        "las necesidades de las mujeres migrantes y la perspectiva de género en la política migratoria",
    ),
    (
        "the collection and use of accurate data for public policy formulation",
        "la recopilación y el uso de datos precisos para la formulación de políticas públicas",
    ),
    (
        "full respect for the human rights of migrants, regardless of their migratory status",
        "el pleno respeto de los derechos humanos de las personas migrantes, independientemente de su condición migratoria",
    ),
    (
        "the integration and full socioeconomic insertion of migrants in host communities",
        "la integración e inserción socioeconómica plena de las personas migrantes en las comunidades de acogida",
    ),
    (
        "integrated border management and cooperation between law enforcement agencies",
        "la gestión integrada de fronteras y la cooperación entre las fuerzas del orden",
    ),
    (
        "access to legal identity and proper documentation",
        "el acceso a la identidad jurídica y a la documentación adecuada",
    ),
    (
        "saving lives and coordinating efforts on missing migrants",
        "salvar vidas y coordinar esfuerzos sobre migrantes desaparecidos",
    ),
    (
        "refugees and persons in need of international protection",
        "las personas refugiadas y las que necesitan protección internacional",
    ),
    (
        "the implementation of the Global Compact for Safe, Orderly and Regular Migration (GCM)",
        "la implementación del Pacto Mundial para una Migración Segura, Ordenada y Regular (PMM)",
    ),
)

VERBS_EN = (
    "Ensure that",
    "Exchange",
    "Follow up on",
    "Hold",
    "Invite",
    "Propose",
    "Prepare",
    "Submit",
    "Share",
    "Develop",
    "Organize",
    "Strengthen",
    "Promote",
    "Request",
)
VERBS_ES = (
    "Asegurar que",
    "Intercambiar",
    "Dar seguimiento a",
    "Realizar",
    "Invitar a",
    "Proponer",
    "Preparar",
    "Presentar",
    "Compartir",
    "Elaborar",
    "Organizar",
    "Fortalecer",
    "Promover",
    "Solicitar",
)
OBJECTS_EN = (
    "a regional guide on the protection of migrants in vulnerable situations",
    "the calendar of meetings related to the GCM",
    "a consensus proposal recommending experts for the next thematic session",
    "the questionnaire on essential concepts for the region",
    "a regional communication campaign on the risks of irregular migration",
    "the technical design and feasibility study of a regional observatory",
    "the work plan of the Ad Hoc Group on Extra-Regional Migrants",
    "a compilation of good practices on labour mobility",
    "the mechanism for the exchange of information on migratory flows",
    "the report on the implementation of the regional guidelines",
)
OBJECTS_ES = (
    "una guía regional sobre la protección de personas migrantes en situación de vulnerabilidad",
    "el calendario de reuniones relacionadas con el PMM",
    "una propuesta de consenso con expertos para la próxima sesión temática",
    "el cuestionario sobre conceptos esenciales para la región",
    "una campaña regional de comunicación sobre los riesgos de la migración irregular",
    "el diseño técnico y la factibilidad de un observatorio regional",
    "el plan de trabajo del Grupo Ad Hoc sobre Migrantes Extrarregionales",
    "una compilación de buenas prácticas en movilidad laboral",
    "el mecanismo de intercambio de información sobre flujos migratorios",
    "el informe sobre la implementación de los lineamientos regionales",
)
GENERIC_EN = (
    "The Member States recognized the achievements of the RCM, the longest-running consultative "
    "process on migration in the region, through dialogue between governments, observer "
    "organizations, civil society, and special guests.\n\n",
    "During the meeting, the representatives of the participating countries exchanged views on "
    "the intraregional and extra-regional migration trends in the Americas and on the "
    "socioeconomic vulnerabilities, among other factors, that drive them.\n\n",
    "The States present shared views to continue addressing migration from a regional "
    "perspective, and identified the need to institutionalize the meetings between the most "
    "consolidated migration forums in the Americas on an annual basis.\n\n",
    "Country representatives reflected on the contribution of migrants to the achievement of the "
    "goals of the 2030 Agenda, recognizing the need to achieve their full inclusion and social "
    "cohesion.\n\n",
    "The main objective of the meeting was to promote greater collaboration, sharing policies, "
    "practices, tools, and experiences in the area of migration governance.\n\n",
)
GENERIC_TAIL_EN = (
    "They also underscored the value of cooperation between law enforcement and judicial agencies.",
    "They recognized the need to strengthen the capacities of local governments and host communities.",
    "The countries agreed on the implementation of regional communication campaigns.",
    "They considered it positive to continue the dialogue on the exchange of information.",
    "",
)
SPEECH_VERBS = (
    "stated",
    "proposed",
    "requested",
    "suggested",
    "expressed concern about",
    "recommended",
    "highlighted",
    "mentioned",
)


@dataclass(frozen=True)
class Scene:
    """The facts one synthetic document is written around."""

    index: int
    when: date
    days: int
    host: int  # index into STATES/CITIES
    kind: int  # index into MEETINGS_EN/ES
    ordinal: int
    states: tuple[int, ...]
    orgs: tuple[int, ...]
    topics: tuple[int, ...]


def _scene(rng: random.Random, index: int) -> Scene:
    start = date(1996, 1, 1) + timedelta(days=rng.randrange(365 * 30))
    return Scene(
        index=index,
        when=start,
        days=rng.choice((1, 1, 1, 2, 2, 3)),
        host=rng.randrange(len(STATES)),
        kind=rng.randrange(len(MEETINGS_EN)),
        ordinal=rng.randrange(1, len(ROMAN) + 1),
        states=tuple(sorted(rng.sample(range(len(STATES)), rng.randint(3, 14)))),
        orgs=tuple(sorted(rng.sample(range(len(ORGANIZATIONS)), rng.randint(1, 6)))),
        topics=tuple(rng.sample(range(len(TOPICS)), rng.randint(2, 6))),
    )


def _en_date(d: date) -> str:
    return f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}"


def _es_date(d: date) -> str:
    return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"


def _en_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _es_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " y " + items[-1]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _org_en(rng: random.Random, i: int) -> str:
    name, acronym, _, _ = ORGANIZATIONS[i]
    return rng.choice((f"the {name} ({acronym})", acronym, f"the {name}"))


def _org_es(rng: random.Random, i: int) -> str:
    _, _, name, acronym = ORGANIZATIONS[i]
    return rng.choice((f"la {name} ({acronym})", acronym))


def _header(rng: random.Random) -> str:
    return rng.choice(
        (
            "\n\n\n\nConferencia Regional sobre Migración\nRegional Conference on Migration\n\n\n",
            "\n\n\n",
            "\n\n\n\nRegional Conference on Migration\n\n",
        )
    )


def _page_break(rng: random.Random) -> str:
    """The debris that PDF extraction leaves between pages (logos, repeated headers)."""
    return rng.choice(
        (
            "\n\n\n\nRed de las Naciones Unidas\nsobre la migración\nTrabajando mejor en conjunto\n\n\n\n",
            "\n\n\n\n\n\n\n\n",
            "\n\n\nConferencia Regional sobre Migración\nRegional Conference on Migration\n\n\n",
        )
    )


def _due(rng: random.Random, after: date, spanish: bool) -> str:
    d = after + timedelta(days=rng.randint(7, 200))
    if spanish:
        return f"a más tardar el {d.day} de {MONTHS_ES[d.month - 1]}"
    return rng.choice((f"no later than {d.day} {MONTHS_EN[d.month - 1]}", f"by {_en_date(d)}"))


# --- document styles ----------------------------------------------------------------------


def communique_en(rng: random.Random, s: Scene) -> str:
    city, country = CITIES[s.host], STATES[s.host][0]
    name = f"{ROMAN[s.ordinal - 1]} {MEETINGS_EN[s.kind]}"
    end = s.when + timedelta(days=s.days - 1)
    when = (
        _en_date(s.when)
        if s.days == 1
        else f"{MONTHS_EN[s.when.month - 1]} {s.when.day} and {end.day}, {s.when.year}"
        if end.month == s.when.month
        else f"{_en_date(s.when)} to {_en_date(end)}"
    )
    states = [STATES[i][0] for i in s.states]
    parts = [
        _header(rng),
        "Joint Communiqué\n\n",
        "Regional Conference on Migration (RCM)\n\n",
        f"{name}\n{city} - {country}\n{when}\n\n",
        f"In {city}, {country}, on {_en_date(s.when)}, the Regional Conference on Migration (RCM) "
        f"held its {name}, with the participation of representatives from {len(states)} "
        f"countries: {_en_list(states)}.\n\n",
    ]
    if rng.random() < 0.5:
        parts.append(
            f"The Government of {country}, in the framework of its Presidency Pro-Tempore of the "
            f"Regional Conference on Migration (RCM) during the year {s.when.year}, and with the "
            f"support of {_org_en(rng, s.orgs[0])}, convened the meeting, with more than "
            f"{rng.randint(20, 140)} representatives from {len(states)} countries.\n\n"
        )
    parts.extend(rng.sample(GENERIC_EN, rng.randint(1, 3)))
    for t in s.topics:
        verb = rng.choice(
            (
                "discussed",
                "exchanged views on",
                "recognized the importance of",
                "agreed on the need to address",
            )
        )
        parts.append(
            f"The {rng.choice(('Member States', 'participating countries', 'representatives of the participating countries'))} "
            f"{verb} {TOPICS[t][0]}, and agreed on the need to generate coordinated actions "
            f"in this regard, in line with the principle of shared responsibility. "
            f"{rng.choice(GENERIC_TAIL_EN)}\n\n"
        )
        if rng.random() < 0.25:
            parts.append(_page_break(rng))
    if rng.random() < 0.6:
        director = _person(rng)
        parts.append(
            f'"Regional cooperation is key and I congratulate the countries for their leadership," '
            f"added {ORGANIZATIONS[s.orgs[0]][1]} Regional Director {director}.\n\n"
        )
    supporters = [_org_en(rng, i) for i in s.orgs]
    parts.append(
        f"The participating countries thank the people and Government of "
        f"{country} for their hospitality and for their efforts to hold the {name}, as well as "
        f"{_en_list(supporters)} and the Observer Organizations that supported the development "
        f"of this meeting.\n\n"
    )
    return "".join(parts)


def minutes_en(rng: random.Random, s: Scene) -> str:
    city, country = CITIES[s.host], STATES[s.host][0]
    members = [STATES[i][0] for i in s.states[: max(2, len(s.states) // 2)]]
    parts = [
        _header(rng),
        "FINAL MINUTES\n\n",
        f"{MEETINGS_EN[s.kind]} of the Regional Conference on Migration (RCM) for purposes of "
        f"following up on {TOPICS[s.topics[0]][0]}.\n\n",
        f"Member Countries of the Regional Conference on Migration ({_en_list(members)}), in an "
        f"encounter held on {s.when.day:02d} {MONTHS_EN[s.when.month - 1]} {s.when.year} in "
        f"{city}, {country}, have agreed as set forth below.\n\n",
    ]
    n = 0
    for t in s.topics:
        parts.append(f"{TOPICS[t][0][0].upper()}{TOPICS[t][0][1:]}\n\n")
        for _ in range(rng.randint(1, 4)):
            n += 1
            actor = rng.choice(
                (
                    "the Technical Secretariat (TS) of the RCM",
                    STATES[rng.choice(s.states)][0],
                    ORGANIZATIONS[rng.choice(s.orgs)][1],
                    "the Presidency Pro-Tempore",
                )
            )
            text = f"{rng.choice(VERBS_EN)} {rng.choice(OBJECTS_EN)}"
            if rng.random() < 0.6:
                text += f"; {actor} shall submit it {_due(rng, s.when, False)}"
            if rng.random() < 0.3:
                later = s.when + timedelta(days=rng.randint(20, 300))
                text += (
                    f", in order to present it at the meeting to be held on "
                    f"{later.day:02d}-{later.day + 1:02d} {MONTHS_EN[later.month - 1]} in "
                    f"{CITIES[rng.randrange(len(CITIES))]}"
                )
            parts.append(f"- {n}.** {text}.\n")
        parts.append("\n")
        if rng.random() < 0.2:
            parts.append(_page_break(rng))
    return "".join(parts)


def report_en(rng: random.Random, s: Scene) -> str:
    city = CITIES[s.host]
    speakers = [(rng.choice(TITLES_EN), _person(rng)) for _ in range(rng.randint(4, 16))]
    parts = [
        "\n\n\n\nConferencia Regional sobre Migración\nRegional Conference on Migration\n\n",
        "REPORT OF THE TECHNICAL SECRETARIAT OF THE REGIONAL CONFERENCE ON MIGRATION¹\n\n",
        f"Report from the {MEETINGS_EN[s.kind]} on {TOPICS[s.topics[0]][0]}, held in {city} "
        f"on {s.when.day} {MONTHS_EN[s.when.month - 1]} {s.when.year}\n\n",
    ]
    section = 0
    for title, name in speakers:
        section += 1
        last = name.split()[-1]
        who = rng.choice((STATES[rng.choice(s.states)][0], ORGANIZATIONS[rng.choice(s.orgs)][1]))
        parts.append(f"{section}. *Presentation by {title} {name} ({who})*\n\n")
        for _ in range(rng.randint(3, 10)):
            t = rng.choice(s.topics)
            parts.append(
                f"{title} {last} {rng.choice(SPEECH_VERBS)} {TOPICS[t][0]}. In addition, "
                f"{who} {rng.choice(SPEECH_VERBS)} that {rng.choice(OBJECTS_EN)} would help the "
                f"Member Countries of the RCM to address {TOPICS[rng.choice(s.topics)][0]}.\n\n"
            )
        if rng.random() < 0.3:
            parts.append(
                "¹ This document presents a non-comprehensive summary of the topics discussed at "
                "the meeting, as understood and interpreted by the Technical Secretariat (TS) of "
                "the RCM.\n"
            )
            parts.append(_page_break(rng))
    parts.append(f"{section + 1}. Agreements\n\n")
    for k in range(rng.randint(2, 8)):
        parts.append(
            f"- {k + 1}. The {rng.choice(('Member Countries', 'TS', 'Troika'))} agreed to "
            f"{rng.choice(VERBS_EN).lower()} {rng.choice(OBJECTS_EN)} {_due(rng, s.when, False)}.\n"
        )
    return "".join(parts)


def communique_es(rng: random.Random, s: Scene) -> str:
    city, country = CITIES[s.host], STATES[s.host][1]
    name = f"{ROMAN[s.ordinal - 1]} {MEETINGS_ES[s.kind]}"
    states = [STATES[i][1] for i in s.states]
    parts = [
        "\n\n\nConferencia Regional sobre Migración\n\n",
        "Comunicado Conjunto\n\n",
        f"{name}\n{city}, {country}\n{_es_date(s.when)}\n\n",
        f"En {city}, {country}, el {_es_date(s.when)}, la Conferencia Regional sobre Migración "
        f"(CRM) celebró su {name}, con la participación de representantes de {len(states)} "
        f"países: {_es_list(states)}.\n\n",
    ]
    for t in s.topics:
        parts.append(
            f"Los Países Miembros {rng.choice(('analizaron', 'intercambiaron opiniones sobre', 'reconocieron la importancia de'))} "
            f"{TOPICS[t][1]}, y acordaron la necesidad de generar acciones coordinadas en este "
            f"ámbito, bajo el principio de responsabilidad compartida.\n\n"
        )
    for k in range(rng.randint(1, 5)):
        parts.append(
            f"{k + 1}. {rng.choice(VERBS_ES)} {rng.choice(OBJECTS_ES)}, "
            f"{_due(rng, s.when, True)}.\n"
        )
    supporters = [_org_es(rng, i) for i in s.orgs]
    parts.append(
        f"\nLos países participantes agradecen al pueblo y Gobierno de {country} por su "
        f"hospitalidad, así como a {_es_list(supporters)} por su apoyo en el desarrollo de "
        f"esta reunión.\n"
    )
    return "".join(parts)


def minutes_es(rng: random.Random, s: Scene) -> str:
    city, country = CITIES[s.host], STATES[s.host][1]
    members = [STATES[i][1] for i in s.states[: max(2, len(s.states) // 2)]]
    parts = [
        "\n\nACTA FINAL\n\n",
        f"{MEETINGS_ES[s.kind]} de la Conferencia Regional sobre Migración (CRM)\n\n",
        f"Los Países Miembros de la Conferencia Regional sobre Migración ({_es_list(members)}), "
        f"reunidos el {_es_date(s.when)} en {city}, {country}, acuerdan lo siguiente.\n\n",
    ]
    n = 0
    for t in s.topics:
        parts.append(f"{TOPICS[t][1][0].upper()}{TOPICS[t][1][1:]}\n\n")
        for _ in range(rng.randint(1, 3)):
            n += 1
            who = rng.choice(
                (
                    STATES[rng.choice(s.states)][1],
                    ORGANIZATIONS[rng.choice(s.orgs)][3],
                    "la Secretaría Técnica",
                )
            )
            parts.append(
                f"- {n}.** {rng.choice(VERBS_ES)} {rng.choice(OBJECTS_ES)}; {who} lo presentará "
                f"{_due(rng, s.when, True)}.\n"
            )
        parts.append("\n")
    return "".join(parts)


STYLES = (
    ("joint-communique", communique_en, 40),
    ("final-minutes", minutes_en, 25),
    ("ts-report", report_en, 15),
    ("comunicado-conjunto", communique_es, 12),
    ("acta-final", minutes_es, 8),
)


def document(seed: int, index: int) -> tuple[str, str]:
    """(file name, text) of synthetic document ``index``; depends only on (seed, index)."""
    rng = random.Random(f"{seed}:{index}")
    scene = _scene(rng, index)
    names = [name for name, _, _ in STYLES]
    weights = [w for _, _, w in STYLES]
    style = rng.choices(range(len(STYLES)), weights=weights)[0]
    text = STYLES[style][1](rng, scene)
    file_name = f"{scene.when:%Y-%m}-{names[style]}-{index:05d}.txt"
    return file_name, text


def generate_corpus(out_dir: Path, n_docs: int, *, seed: int = 42) -> list[Path]:
    """Write ``n_docs`` documents into ``out_dir`` (created) and return their paths, sorted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_docs):
        name, text = document(seed, i)
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    paths = generate_corpus(args.out, args.docs, seed=args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents, {total:,} bytes, to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
