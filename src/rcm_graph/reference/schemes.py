"""The project's own SKOS concept schemes: labels, definitions and the topic-to-objective map.

The notations of the roles, meeting, document, statement and commitment types and stances are
the ``Literal`` values of :mod:`rcm_graph.model.facts` (read with ``typing.get_args``), so that the
mapper's IRIs (``iris.concept(scheme, notation)``) always name a concept the reference graph
describes; a test fails when a value is added there without a label here. Membership statuses
are the slugs of the statuses in ``rcm-members.tsv``. Topic notations are the contract with
extraction (``TopicMention.topic``).

This module holds data only; :mod:`rcm_graph.reference.graph` turns it into RDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args, get_type_hints

from rcm_graph.model import facts


@dataclass(frozen=True)
class ConceptText:
    """English and Spanish preferred labels and an English definition of one concept."""

    label_en: str
    label_es: str
    definition: str


@dataclass(frozen=True)
class Scheme:
    """One concept scheme: ``key`` is the IRI segment of its concepts (``iris.concept(key, …)``),
    ``scheme_key`` the name of the scheme itself (``iris.scheme(scheme_key)``)."""

    key: str
    scheme_key: str
    label_en: str
    label_es: str
    concept_class: str  # an rcm: class name
    concepts: dict[str, ConceptText]


def _t(label_en: str, label_es: str, definition: str) -> ConceptText:
    return ConceptText(label_en, label_es, definition)


ROLES: dict[str, ConceptText] = {
    "participant": _t("participant", "participante", "Took part in the event."),
    "host": _t("host", "anfitrión", "Hosted the event in its territory or premises."),
    "convener": _t("convener", "convocante", "Called the event."),
    "organizer": _t("organizer", "organizador", "Organized the event."),
    "presidency": _t(
        "presidency", "presidencia", "Presided over the event, e.g. as Presidency Pro-Tempore."
    ),
    "observer": _t("observer", "observador", "Attended as an observer, without membership."),
    "listener": _t("listener", "oyente", "Attended to listen, without speaking."),
    "supporter": _t("supporter", "patrocinador", "Supported the event technically or financially."),
    "presenter": _t("presenter", "presentador", "Presented a report, study or initiative."),
    "speaker": _t("speaker", "orador", "Spoke at the event."),
    "chair": _t("chair", "moderador", "Chaired or moderated the event or one of its sessions."),
}

MEETING_TYPES: dict[str, ConceptText] = {
    "vice-ministerial-meeting": _t(
        "vice-ministerial meeting",
        "reunión viceministerial",
        "The annual meeting of vice-ministers, the highest decision-making meeting of the RCM.",
    ),
    "plenary-meeting": _t(
        "plenary meeting", "reunión plenaria", "A meeting of all members of a process."
    ),
    "forum-of-champion-countries": _t(
        "forum of champion countries",
        "foro de países campeones",
        "A regional forum of the states that champion the implementation of the GCM.",
    ),
    "working-meeting": _t(
        "working meeting", "reunión de trabajo", "A meeting held to work on a specific matter."
    ),
    "online-meeting": _t("online meeting", "reunión virtual", "A meeting held online."),
    "troika-meeting": _t(
        "troika meeting",
        "reunión de la troika",
        "A meeting of the past, current and next Presidencies Pro-Tempore.",
    ),
    "thematic-consultation": _t(
        "thematic consultation", "consulta temática", "A consultation devoted to one theme."
    ),
    "regional-review": _t(
        "regional review",
        "examen regional",
        "A regional review of the implementation of the GCM or of a plan.",
    ),
    "technical-meeting": _t(
        "technical meeting", "reunión técnica", "A meeting of technical officials or experts."
    ),
    "workshop": _t("workshop", "taller", "A training or working workshop."),
    "conference": _t("conference", "conferencia", "A conference."),
    "meeting": _t("meeting", "reunión", "A meeting of another or unstated kind."),
}

DOCUMENT_TYPES: dict[str, ConceptText] = {
    "joint-communique": _t(
        "joint communiqué",
        "comunicado conjunto",
        "The communiqué the participants of a meeting issue together.",
    ),
    "minutes": _t("minutes", "acta", "The record of a meeting's proceedings."),
    "report": _t("report", "informe", "A report, e.g. of the Technical Secretariat."),
    "declaration": _t("declaration", "declaración", "A declaration adopted at a meeting."),
    "conclusions": _t(
        "conclusions", "conclusiones", "The conclusions or recommendations of a meeting."
    ),
    "press-release": _t("press release", "comunicado de prensa", "A press release."),
    "agenda": _t("agenda", "agenda", "The agenda or programme of a meeting."),
    "news": _t("news article", "noticia", "A news article on a meeting, often with a byline."),
    "presentation": _t(
        "presentation", "presentación", "The slides or text of a presentation at a meeting."
    ),
    "web-page": _t(
        "web page", "página web", "A web page about a meeting or activity, with its navigation."
    ),
    "other": _t("other document", "otro documento", "A document of another kind."),
}

STATEMENT_TYPES: dict[str, ConceptText] = {
    "stated": _t("stated", "manifestó", "Said or reported something."),
    "proposed": _t("proposed", "propuso", "Proposed a course of action."),
    "requested": _t("requested", "solicitó", "Requested something of others."),
    "suggested": _t("suggested", "sugirió", "Suggested something."),
    "expressed-concern": _t(
        "expressed concern", "expresó preocupación", "Expressed concern about something."
    ),
    "agreed": _t("agreed", "acordó", "Agreed to something."),
    "recommended": _t("recommended", "recomendó", "Recommended something."),
    "asked": _t("asked", "preguntó", "Asked a question."),
    "thanked": _t("thanked", "agradeció", "Thanked someone."),
}

COMMITMENT_TYPES: dict[str, ConceptText] = {
    "agreement": _t(
        "agreement", "acuerdo", "A decision adopted jointly by the participants of a meeting."
    ),
    "commitment": _t("commitment", "compromiso", "An undertaking to act."),
    "request": _t("request", "solicitud", "A request that someone act."),
    "recommendation": _t("recommendation", "recomendación", "A recommendation to act."),
}

STANCES: dict[str, ConceptText] = {
    "voted-in-favour": _t(
        "voted in favour",
        "votó a favor",
        "Voted in favour of resolution A/RES/73/195 endorsing the GCM.",
    ),
    "voted-against": _t(
        "voted against", "votó en contra", "Voted against resolution A/RES/73/195."
    ),
    "abstained": _t("abstained", "se abstuvo", "Abstained in the vote on A/RES/73/195."),
    "did-not-vote": _t(
        "did not vote",
        "no participó en la votación",
        "Did not take part in the vote on A/RES/73/195.",
    ),
    "champion": _t(
        "champion country",
        "país campeón",
        "A state that volunteered as a champion of the implementation of the GCM.",
    ),
}

MEMBERSHIP_STATUSES: dict[str, ConceptText] = {
    "member-state": _t("member state", "Estado miembro", "A state that is a member."),
    "observer-country": _t(
        "observer country", "país observador", "A state that observes without membership."
    ),
    "observer-organization": _t(
        "observer organization",
        "organización observadora",
        "An organization that observes without membership.",
    ),
    "observer-organization-attending": _t(
        "observer organization (attending)",
        "organización observadora (asistente)",
        "An organization recorded as attending a meeting of the process as an observer.",
    ),
    "civil-society-network": _t(
        "civil-society network",
        "red de la sociedad civil",
        "The network through which civil society takes part in the process.",
    ),
    "technical-secretariat-host": _t(
        "technical secretariat host",
        "sede de la secretaría técnica",
        "The organization that hosts the process's Technical Secretariat.",
    ),
    "technical-secretariat": _t(
        "technical secretariat",
        "secretaría técnica",
        "The organization that acts as the process's Technical Secretariat.",
    ),
}

FULL_MEMBER_STATUSES = frozenset({"member-state"})
"""Statuses whose holder is a member (``rcm:fullMember``, hence ``rcm:memberOfProcess``)."""

OBSERVER_STATUSES = frozenset(
    {"observer-country", "observer-organization", "observer-organization-attending"}
)
"""Statuses whose holder is an observer (``rcm:observer``, hence ``rcm:observerOf``, never a
member). Other statuses (civil-society network, secretariat host) are plain ``org:member``."""

TOPICS: dict[str, ConceptText] = {
    "smuggling-of-migrants": _t(
        "smuggling of migrants",
        "tráfico ilícito de migrantes",
        "Procuring the irregular entry of migrants for a financial or material benefit.",
    ),
    "trafficking-in-persons": _t(
        "trafficking in persons",
        "trata de personas",
        "Recruiting, moving or holding persons by coercion or deceit in order to exploit them.",
    ),
    "return-and-reintegration": _t(
        "return and reintegration",
        "retorno y reintegración",
        "The return of migrants to their countries of origin and their reintegration there.",
    ),
    "climate-change-and-disasters": _t(
        "climate change and disasters",
        "cambio climático y desastres",
        "Migration and displacement in the context of disasters, climate change and "
        "environmental degradation.",
    ),
    "extra-regional-migrants": _t(
        "extra-regional migrants",
        "migrantes extrarregionales",
        "Migrants from outside the region, often in transit through it.",
    ),
    "labour-migration": _t(
        "labour migration",
        "migración laboral",
        "Movement of persons for employment, including temporary and seasonal work programmes.",
    ),
    "remittances": _t(
        "remittances", "remesas", "Money that migrants send to their countries of origin."
    ),
    "consular-protection": _t(
        "consular protection",
        "protección consular",
        "Protection and assistance of nationals abroad by their consulates.",
    ),
    "regular-pathways": _t(
        "regular pathways",
        "vías regulares de migración",
        "Legal channels for migration: visas, permits, regularization, family reunification.",
    ),
    "migrant-children": _t(
        "migrant children",
        "niñez migrante",
        "Children and adolescents who migrate, accompanied or not.",
    ),
    "migrant-women-and-gender": _t(
        "migrant women and gender",
        "mujeres migrantes y género",
        "The situation of migrant women and girls and gender-responsive migration policy.",
    ),
    "data-and-information": _t(
        "data and information",
        "datos e información",
        "Migration statistics, information systems and information for migrants.",
    ),
    "human-rights": _t(
        "human rights of migrants",
        "derechos humanos de las personas migrantes",
        "Respect, protection and fulfilment of the human rights of migrants.",
    ),
    "integration-and-inclusion": _t(
        "integration and inclusion",
        "integración e inclusión",
        "The social and economic integration of migrants in host communities.",
    ),
    "border-management": _t(
        "border management",
        "gestión de fronteras",
        "Management of borders and of the movement of persons across them.",
    ),
    "legal-identity": _t(
        "legal identity",
        "identidad jurídica",
        "Proof of legal identity and travel documents for migrants.",
    ),
    "missing-migrants-and-saving-lives": _t(
        "missing migrants and saving lives",
        "migrantes desaparecidos y salvamento de vidas",
        "Search and rescue, and the identification of missing and dead migrants.",
    ),
    "refugees-and-international-protection": _t(
        "refugees and international protection",
        "personas refugiadas y protección internacional",
        "Asylum, refugee status and other forms of international protection.",
    ),
    "labour-and-decent-work": _t(
        "labour rights and decent work",
        "derechos laborales y trabajo decente",
        "Fair recruitment, labour rights and decent working conditions for migrant workers.",
    ),
    "diaspora-and-development": _t(
        "diaspora and development",
        "diáspora y desarrollo",
        "The contribution of migrants and diasporas to the development of their countries.",
    ),
}

TOPIC_OBJECTIVES: dict[str, tuple[int, ...]] = {
    "smuggling-of-migrants": (9,),
    "trafficking-in-persons": (10,),
    "return-and-reintegration": (21,),
    "climate-change-and-disasters": (2, 5),
    "extra-regional-migrants": (7, 11, 23),
    "labour-migration": (5, 6, 18, 22),
    "remittances": (20,),
    "consular-protection": (14,),
    "regular-pathways": (5,),
    "migrant-children": (7, 13, 15),
    "migrant-women-and-gender": (6, 7),
    "data-and-information": (1, 3),
    "human-rights": (7, 13, 17),
    "integration-and-inclusion": (15, 16, 17),
    "border-management": (11, 12),
    "legal-identity": (4,),
    "missing-migrants-and-saving-lives": (8,),
    "refugees-and-international-protection": (7, 12),
    "labour-and-decent-work": (6, 18, 22),
    "diaspora-and-development": (19, 20),
}
"""Which GCM objectives bear on each topic (``rcm:relatedObjective``), read from the objective
titles of A/RES/73/195."""

SCHEMES: tuple[Scheme, ...] = (
    Scheme("role", "roles", "Participation roles", "Roles de participación", "Role", ROLES),
    Scheme(
        "meeting-type",
        "meeting-types",
        "Meeting types",
        "Tipos de reunión",
        "MeetingType",
        MEETING_TYPES,
    ),
    Scheme(
        "document-type",
        "document-types",
        "Document types",
        "Tipos de documento",
        "DocumentType",
        DOCUMENT_TYPES,
    ),
    Scheme(
        "statement-type",
        "statement-types",
        "Statement types",
        "Tipos de intervención",
        "StatementType",
        STATEMENT_TYPES,
    ),
    Scheme(
        "commitment-type",
        "commitment-types",
        "Commitment types",
        "Tipos de compromiso",
        "CommitmentType",
        COMMITMENT_TYPES,
    ),
    Scheme(
        "membership-status",
        "membership-statuses",
        "Membership statuses",
        "Condiciones de membresía",
        "MembershipStatus",
        MEMBERSHIP_STATUSES,
    ),
    Scheme(
        "stance",
        "stances",
        "Stances on the GCM",
        "Posiciones ante el Pacto Mundial",
        "StanceType",
        STANCES,
    ),
    Scheme("topic", "topics", "Migration topics", "Temas migratorios", "Topic", TOPICS),
)


def facts_literals() -> dict[str, tuple[str, ...]]:
    """The notations :mod:`rcm_graph.model.facts` can produce, per scheme key (its ``Literal``
    values)."""
    stance = get_type_hints(facts.StanceOnGCM)["stance"]
    return {
        "role": get_args(facts.Role),
        "meeting-type": get_args(facts.MeetingKind),
        "document-type": get_args(facts.DocumentType),
        "statement-type": get_args(facts.StatementKind),
        "commitment-type": get_args(facts.CommitmentKind),
        "stance": get_args(stance),
    }
