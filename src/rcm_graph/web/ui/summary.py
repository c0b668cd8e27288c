"""Readable sections of a resource page: who took part, what was agreed, who said what.

WHY (issue 19): a meeting page used to be its property table, where a participation is an IRI
like ``id/participation/…-1`` repeated for every participant. The reader wants the participants
by name with their role and the quote that says so; the commitments with who is responsible,
by when and of what kind; the statements; the persons; the stated counts; the documents that
report it. Each section is one query of :mod:`.page_queries` (shown with a link to the editor)
whose rows are grouped here by the thing they describe. The property table stays below.

Sections are chosen by the resource's ``rdf:type``: meetings, documents, actors (states,
organizations, persons) and commitments. Labels come from the data (English or untagged); a
thing without a label is named by the last segment of its IRI, never by the whole IRI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rcm_graph.model.vocab import RCM
from rcm_graph.web.ui import page_queries as q
from rcm_graph.web.ui.rendering import Links
from rcm_graph.web.ui.resource_view import local_name
from rcm_graph.web.ui.sparql_client import Row


@dataclass(frozen=True)
class Link:
    """One value in a cell: text, and where it leads (None for plain text)."""

    text: str
    href: str | None = None
    title: str | None = None
    kind: str = ""  # "role", "quote": how the template styles it
    number: int = 0  # a quote's number among several in one cell (0: the only one)
    span: tuple[str, str] = ("", "")  # a quote's character range


@dataclass(frozen=True)
class Column:
    """A column of a section: which variables give its text and its link.

    ``label`` is the variable with the text; ``iri`` the variable with the IRI to link (its
    last segment is the text when ``label`` is unbound); ``quote`` makes it the evidence
    column (variables ``doc``, ``start``, ``end``)."""

    header: str
    label: str = ""
    iri: str = ""
    css: str = ""
    quote: bool = False


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    query: str
    group: str  # the variable whose value is one row of the section
    columns: tuple[Column, ...]
    record: bool = False  # one thing shown as a definition list (the commitment itself)
    empty: str = ""


@dataclass
class Section:
    key: str
    title: str
    query: str
    headers: tuple[str, ...]
    css: tuple[str, ...]
    rows: list[list[list[Link]]] = field(default_factory=list)
    record: bool = False
    empty: str = ""


EVIDENCE = Column("col.evidence", quote=True, css="nowrap")
TEXT_COMMITMENT = Column("col.commitment", label="text", iri="fact", css="text")
TEXT_STATEMENT = Column("col.statement", label="text", iri="fact", css="text")
KIND = Column("col.kind", label="typeLabel", iri="type", css="nowrap")
RESPONSIBLE = Column("col.responsible", label="actorLabel", iri="actor")
DUE = Column("col.due", label="due", css="nowrap")
BY = Column("col.by", label="actorLabel", iri="actor")

_COMMITMENT_COLUMNS = (TEXT_COMMITMENT, RESPONSIBLE, DUE, KIND, EVIDENCE)
_STATEMENT_COLUMNS = (TEXT_STATEMENT, BY, KIND, EVIDENCE)
_PERSON_COLUMNS = (
    Column("col.person", label="personLabel", iri="person"),
    Column("col.title", label="title"),
    Column("col.affiliation", label="affiliationLabel", iri="affiliation"),
    EVIDENCE,
)

MEETING_SECTIONS = (
    SectionSpec(
        "participants",
        "section.participants",
        q.MEETING_PARTICIPANTS,
        "actor",
        (
            Column("col.participant", label="actorLabel", iri="actor"),
            Column("col.role", label="roleLabel", iri="role", css="role"),
            EVIDENCE,
        ),
        empty="section.empty.no_participant_is_recorded_for_this_meet",
    ),
    SectionSpec(
        "commitments",
        "section.commitments_adopted",
        q.MEETING_COMMITMENTS,
        "fact",
        _COMMITMENT_COLUMNS,
        empty="section.empty.no_commitment_is_recorded_as_adopted_at",
    ),
    SectionSpec(
        "statements", "section.statements", q.MEETING_STATEMENTS, "fact", _STATEMENT_COLUMNS
    ),
    SectionSpec(
        "persons", "section.persons_who_spoke", q.MEETING_PERSONS, "person", _PERSON_COLUMNS
    ),
    SectionSpec(
        "counts",
        "section.stated_counts",
        q.MEETING_COUNTS,
        "fact",
        (
            Column("col.count", label="value", css="num"),
            Column("col.of", label="of"),
            Column("col.qualifier", label="qualifier"),
            EVIDENCE,
        ),
    ),
    SectionSpec(
        "documents",
        "section.documents",
        q.MEETING_DOCUMENTS,
        "doc",
        (
            Column("col.document", label="docLabel", iri="doc", css="text"),
            Column("col.date", label="date", css="nowrap"),
            Column("col.relation", label="relation"),
        ),
        empty="section.empty.no_document_reports_on_this_meeting",
    ),
)

DOCUMENT_SECTIONS = (
    SectionSpec(
        "meetings",
        "section.meetings",
        q.DOCUMENT_MEETINGS,
        "meeting",
        (
            Column("col.meeting", label="meetingLabel", iri="meeting", css="text"),
            Column("col.date", label="date", css="nowrap"),
            Column("col.in_this_document", label="relation"),
        ),
    ),
    SectionSpec(
        "participants",
        "section.participants_named",
        q.DOCUMENT_PARTICIPANTS,
        "actor",
        (
            Column("col.participant", label="actorLabel", iri="actor"),
            Column("col.meeting", label="meetingLabel", iri="meeting"),
            Column("col.role", label="roleLabel", iri="role", css="role"),
            EVIDENCE,
        ),
    ),
    SectionSpec(
        "commitments", "section.commitments", q.DOCUMENT_COMMITMENTS, "fact", _COMMITMENT_COLUMNS
    ),
    SectionSpec(
        "statements", "section.statements", q.DOCUMENT_STATEMENTS, "fact", _STATEMENT_COLUMNS
    ),
    SectionSpec("persons", "section.persons", q.DOCUMENT_PERSONS, "person", _PERSON_COLUMNS),
)

ACTOR_SECTIONS = (
    SectionSpec(
        "meetings",
        "section.meetings_taken_part_in",
        q.ACTOR_MEETINGS,
        "meeting",
        (
            Column("col.meeting", label="meetingLabel", iri="meeting", css="text"),
            Column("col.date", label="date", css="nowrap"),
            Column("col.role", label="roleLabel", iri="role", css="role"),
            EVIDENCE,
        ),
    ),
    SectionSpec(
        "commitments",
        "section.commitments_it_is_responsible_for",
        q.ACTOR_COMMITMENTS,
        "fact",
        (TEXT_COMMITMENT, DUE, KIND, EVIDENCE),
    ),
    SectionSpec(
        "statements",
        "section.statements_it_made",
        q.ACTOR_STATEMENTS,
        "fact",
        (TEXT_STATEMENT, KIND, EVIDENCE),
    ),
)

COMMITMENT_SECTIONS = (
    SectionSpec(
        "commitment",
        "section.the_commitment",
        q.COMMITMENT_SUMMARY,
        "",
        (
            Column("col.text", label="text"),
            Column("col.kind", label="typeLabel", iri="type"),
            Column("col.responsible", label="actorLabel", iri="actor"),
            Column("col.due", label="due"),
            Column("col.adopted_at", label="meetingLabel", iri="meeting"),
            Column("col.gcm_objectives", label="objectiveLabel", iri="objective"),
            Column("col.document", label="docLabel", iri="doc"),
            EVIDENCE,
        ),
        record=True,
    ),
)

_ACTOR_TYPES = {
    str(RCM.Actor),
    str(RCM.State),
    str(RCM.Person),
    str(RCM.InternationalOrganization),
    str(RCM.IntergovernmentalOrganization),
    str(RCM.GovernmentAgency),
    str(RCM.CivilSocietyOrganization),
    str(RCM.CivilSocietyNetwork),
    str(RCM.RegionalConsultativeProcess),
    str(RCM.ProcessBody),
    str(RCM.Secretariat),
}


def specs_for(types: Iterable[str]) -> tuple[SectionSpec, ...]:
    """The sections a resource of these ``rdf:type`` values gets (none for other kinds)."""
    kinds = set(types)
    if str(RCM.Meeting) in kinds:
        return MEETING_SECTIONS
    if str(RCM.Document) in kinds:
        return DOCUMENT_SECTIONS
    if str(RCM.Commitment) in kinds:
        return COMMITMENT_SECTIONS
    if kinds & _ACTOR_TYPES:
        return ACTOR_SECTIONS
    return ()


def _value(row: Row, name: str) -> str:
    term = row.get(name) if name else None
    return term.value if term is not None else ""


def _cell_link(row: Row, column: Column, links: Links) -> Link | None:
    if column.quote:
        doc, start, end = _value(row, "doc"), _value(row, "start"), _value(row, "end")
        if not (doc and start.isdigit() and end.isdigit()):
            return None
        href = f"{links.local(doc)}?highlight={start}-{end}#span-{start}-{end}"
        title = f"characters {start}–{end} of the document"
        return Link("quote", href, title, "quote", span=(start, end))
    iri = _value(row, column.iri)
    text = _value(row, column.label) or (local_name(iri) if iri else "")
    if not text:
        return None
    return Link(text, links.local(iri) if iri else None, iri or None, column.css)


def build_section(spec: SectionSpec, rows: list[Row], links: Links) -> Section:
    """Group ``rows`` by ``spec.group``: one row per thing, each cell its distinct values."""
    grouped: dict[str, list[dict[tuple[str, str | None], Link]]] = {}
    for row in rows:
        key = _value(row, spec.group) if spec.group else ""
        cells = grouped.setdefault(key, [{} for _ in spec.columns])
        for cell, column in zip(cells, spec.columns, strict=True):
            link = _cell_link(row, column, links)
            if link is None:
                continue
            # one value per target: a second label of the same IRI is not a second value
            cell.setdefault((link.href or "", None if link.href else link.text), link)
    section = Section(
        spec.key,
        spec.title,
        spec.query,
        tuple(c.header for c in spec.columns),
        tuple(c.css for c in spec.columns),
        record=spec.record,
        empty=spec.empty,
    )
    for cells in grouped.values():
        section.rows.append([_numbered(list(cell.values())) for cell in cells])
    return section


def _numbered(values: list[Link]) -> list[Link]:
    """Several quotes in one cell read "quote 1", "quote 2"…"""
    quotes = [v for v in values if v.kind == "quote"]
    if len(quotes) < 2:
        return values
    return [
        Link(f"quote {i}", v.href, v.title, v.kind, i, v.span) if v.kind == "quote" else v
        for i, v in enumerate(values, start=1)
    ]


def build_sections(
    iri: str,
    types: Iterable[str],
    select: Callable[[str], list[Row]],
    links: Links,
) -> list[Section]:
    """The readable sections of resource ``iri``; sections with no rows and no ``empty``
    sentence are left out (a meeting without stated counts shows no empty "Stated counts")."""
    sections = []
    for spec in specs_for(types):
        query = q.bind_iri(spec.query, iri)
        section = build_section(spec, select(query), links)
        section.query = query
        if section.rows or section.empty:
            sections.append(section)
    return sections
