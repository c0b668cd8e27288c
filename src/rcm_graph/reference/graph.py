"""The reference graph: what is known before any document is read.

Built from package data only (:mod:`rcm_graph.reference.tables` and
:mod:`rcm_graph.reference.schemes`), so every build produces the same graph for the same base IRI:
the SKOS concept schemes (GCM objectives and guiding principles, topics, roles, meeting,
document, statement and commitment types, membership statuses, stances), the states with their
ISO 3166 codes and Wikidata items, the organizations with English and Spanish names and
acronyms, the RCM and the SACM as processes with their bodies, and their memberships.

Every row of a reference table keeps its sources (``dcterms:source``), so reference facts have
provenance like extracted ones. A member row that names an organization the organizations table
does not know fails with the row, rather than minting an IRI nobody describes.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from rcm_graph.errors import InputError
from rcm_graph.model.iris import Iris
from rcm_graph.model.slugs import slugify
from rcm_graph.model.vocab import PREFIXES, RCM, WD
from rcm_graph.reference.schemes import (
    FULL_MEMBER_STATUSES,
    OBSERVER_STATUSES,
    SCHEMES,
    TOPIC_OBJECTIVES,
    Scheme,
)
from rcm_graph.reference.tables import (
    Organization,
    ProcessMember,
    ReferenceData,
    reference_data,
)

OBJECTIVES_SCHEME = "gcm-objectives"
PRINCIPLES_SCHEME = "gcm-guiding-principles"


@dataclass(frozen=True)
class Body:
    """A standing body of a process (the reference tables list processes, not their bodies)."""

    process: str
    key: str
    label_en: str
    label_es: str
    is_secretariat: bool = False
    is_post: bool = False
    acronym_en: str | None = None  # as the documents write it ("TS", "PPT"): what rcm:acronym
    acronym_es: str | None = None  # carries, so a body is found by its acronym like an org


BODIES: tuple[Body, ...] = (
    Body(
        "rcm",
        "technical-secretariat",
        "Technical Secretariat",
        "Secretaría Técnica",
        True,
        acronym_en="TS",
        acronym_es="ST",
    ),
    Body(
        "rcm",
        "presidency-pro-tempore",
        "Presidency Pro-Tempore",
        "Presidencia Pro Tempore",
        is_post=True,
        acronym_en="PPT",
        acronym_es="PPT",
    ),
    Body("rcm", "troika", "Troika", "Troika"),
    Body(
        "rcm",
        "regional-consultation-group-on-migration",
        "Regional Consultation Group on Migration",
        "Grupo Regional de Consulta sobre Migración",
        acronym_en="RCGM",
        acronym_es="GRCM",
    ),
    Body(
        "rcm",
        "ad-hoc-group-extra-regional-migrants",
        "Ad Hoc Group on Extra-Regional Migrants",
        "Grupo Ad Hoc sobre Migrantes Extrarregionales",
    ),
    Body(
        "sacm",
        "technical-secretariat",
        "Technical Secretariat",
        "Secretaría Técnica",
        True,
        acronym_en="TS",
        acronym_es="ST",
    ),
    Body(
        "sacm",
        "presidency-pro-tempore",
        "Presidency Pro-Tempore",
        "Presidencia Pro Tempore",
        is_post=True,
        acronym_en="PPT",
        acronym_es="PPT",
    ),
)

HOST_STATUSES = frozenset({"technical-secretariat-host", "technical-secretariat"})
"""Member-table statuses that name the organization hosting a process's Technical Secretariat."""

ISO_CODES_SOURCE = "https://salsa.debian.org/iso-codes-team/iso-codes"
"""Where pycountry's ISO 3166-1 names and their Spanish translations come from."""


@dataclass(frozen=True)
class IsoCountry:
    iso3: str
    iso2: str
    name_en: str
    name_es: str | None
    official_en: str | None


@cache
def _iso_countries() -> tuple[IsoCountry, ...]:
    """ISO 3166-1 from pycountry, with the Spanish names its gettext catalogue ships."""
    import pycountry

    try:
        es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
        translate = es.gettext
    except OSError:  # a pycountry without locales: English names only
        translate = None
    found = []
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        name_es = translate(c.name) if translate else None
        found.append(
            IsoCountry(
                iso3=c.alpha_3,
                iso2=c.alpha_2,
                name_en=name,
                name_es=name_es,
                official_en=getattr(c, "official_name", None),
            )
        )
    return tuple(found)


_ACRONYM_IN_PARENS = re.compile(r"\(([A-Z][A-Za-z]*(?:/[A-Z][A-Za-z]*)*)\)")


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _es(text: str) -> Literal:
    return Literal(text, lang="es")


def _sources(graph: Graph, node: URIRef, source: str) -> None:
    for part in source.split(";"):
        url = part.strip()
        if url.startswith(("http://", "https://")):
            graph.add((node, DCTERMS.source, URIRef(url)))


def _labels(graph: Graph, node: URIRef, en: str, es: str | None) -> None:
    """rdfs:label and skos:prefLabel in both languages: generic RDF tools read the first, SKOS
    tools the second."""
    for prop in (RDFS.label, SKOS.prefLabel):
        graph.add((node, prop, _en(en)))
        if es:
            graph.add((node, prop, _es(es)))


def _org_class(org: Organization) -> URIRef:
    """The ontology class for an organizations.tsv ``type`` (free text written by curators)."""
    kind = org.type.lower()
    if "consultative process" in kind:
        return RCM.RegionalConsultativeProcess
    if "civil-society" in kind or "civil society" in kind:
        return RCM.CivilSocietyNetwork if "network" in kind else RCM.CivilSocietyOrganization
    if "government department" in kind or "government agency" in kind:
        return RCM.GovernmentAgency
    if "humanitarian" in kind:
        return RCM.InternationalOrganization
    if "mandate" in kind:
        return RCM.Actor
    return RCM.IntergovernmentalOrganization


def _resolve_org(row: ProcessMember, ref: ReferenceData, where: str) -> Organization:
    """The organizations.tsv row a member row names: by the acronym in parentheses, by an
    acronym written as a word, or by the organization's English name contained in the row."""
    by_acronym = {o.acronym_en: o for o in ref.organizations if o.acronym_en}
    match = _ACRONYM_IN_PARENS.search(row.name_en)
    if match:
        for acronym in match.group(1).split("/"):
            if acronym in by_acronym:
                return by_acronym[acronym]
    words = set(re.findall(r"[A-Za-z]+", row.name_en))
    for acronym, org in by_acronym.items():
        if acronym.isupper() and len(acronym) > 1 and acronym in words:
            return org
    named = [o for o in ref.organizations if o.name_en.lower() in row.name_en.lower()]
    if named:
        return max(named, key=lambda o: len(o.name_en))
    raise InputError(
        f"member {row.name_en!r} of {row.process} matches no organization",
        where=where,
        hint="add the organization to organizations.tsv or put its acronym in parentheses",
    )


class _ReferenceBuilder:
    """Accumulates the reference graph; one method per kind of resource."""

    def __init__(self, iris: Iris, ref: ReferenceData) -> None:
        self.iris = iris
        self.ref = ref
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.graph.add((s, p, o))

    # -- concept schemes ----------------------------------------------------------------------
    def scheme(self, key: str, en: str, es: str) -> URIRef:
        node = self.iris.scheme(key)
        self.add(node, RDF.type, SKOS.ConceptScheme)
        _labels(self.graph, node, en, es)
        return node

    def concept(self, scheme: URIRef, node: URIRef, cls: URIRef, notation: str) -> None:
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, RDF.type, cls)
        self.add(node, SKOS.inScheme, scheme)
        self.add(node, SKOS.topConceptOf, scheme)
        self.add(scheme, SKOS.hasTopConcept, node)
        self.add(node, SKOS.notation, Literal(notation))

    def project_scheme(self, s: Scheme) -> None:
        scheme = self.scheme(s.scheme_key, s.label_en, s.label_es)
        for notation, text in s.concepts.items():
            node = self.iris.concept(s.key, notation)
            self.concept(scheme, node, RCM[s.concept_class], notation)
            _labels(self.graph, node, text.label_en, text.label_es)
            self.add(node, SKOS.definition, _en(text.definition))

    def objectives(self) -> None:
        scheme = self.scheme(
            OBJECTIVES_SCHEME,
            "Objectives of the Global Compact for Safe, Orderly and Regular Migration",
            "Objetivos del Pacto Mundial para la Migración Segura, Ordenada y Regular",
        )
        for o in self.ref.objectives:
            node = self.iris.objective(o.number)
            self.concept(scheme, node, RCM.GCMObjective, str(o.number))
            self.add(node, RCM.ordinal, Literal(o.number, datatype=XSD.integer))
            # The official Spanish title where verified, else the UN Network's short label.
            _labels(self.graph, node, o.title_en, o.title_es or o.short_label_es)
            self.add(node, SKOS.altLabel, _en(o.short_label_en))
            if o.title_es and o.short_label_es:
                self.add(node, SKOS.altLabel, _es(o.short_label_es))
            if o.gcm_paragraph:
                self.add(node, SKOS.scopeNote, _en(f"A/RES/73/195, paragraph {o.gcm_paragraph}"))
            _sources(self.graph, node, o.source)

    def principles(self) -> None:
        scheme = self.scheme(
            PRINCIPLES_SCHEME,
            "Guiding principles of the Global Compact for Migration",
            "Principios rectores del Pacto Mundial para la Migración",
        )
        for p in self.ref.principles:
            node = self.iris.principle(p.letter)
            self.concept(scheme, node, RCM.GuidingPrinciple, p.letter)
            _labels(self.graph, node, p.label_en, p.label_es)
            self.add(node, SKOS.definition, _en(p.text_en))
            if p.gcm_paragraph:
                self.add(node, SKOS.scopeNote, _en(f"A/RES/73/195, paragraph {p.gcm_paragraph}"))
            _sources(self.graph, node, p.source)

    def topic_objectives(self) -> None:
        for topic, numbers in TOPIC_OBJECTIVES.items():
            for number in numbers:
                self.add(
                    self.iris.concept("topic", topic),
                    RCM.relatedObjective,
                    self.iris.objective(number),
                )

    # -- actors -------------------------------------------------------------------------------
    def organizations(self) -> None:
        for o in self.ref.organizations:
            node = self.iris.org(o.key)
            self.add(node, RDF.type, _org_class(o))
            _labels(self.graph, node, o.name_en, o.name_es)
            if o.acronym_en:
                self.add(node, RCM.acronym, _en(o.acronym_en))
            if o.acronym_es:
                self.add(node, RCM.acronym, _es(o.acronym_es))
            if o.wikidata_qid:
                self.add(node, RCM.wikidataItem, WD[o.wikidata_qid])
            _sources(self.graph, node, o.source)

    def states(self) -> None:
        """Every ISO 3166-1 country, so that any state a document names is described; the
        member table's names (as the processes write them) and Wikidata items win."""
        rows: dict[str, ProcessMember] = {}
        for member in self.ref.members:
            if member.iso3:
                rows.setdefault(member.iso3.upper(), member)
        for country in _iso_countries():
            row = rows.pop(country.iso3) if country.iso3 in rows else None
            node = self.iris.state(country.iso3)
            self.add(node, RDF.type, RCM.State)
            self.add(node, RCM.iso3166Alpha3, Literal(country.iso3))
            self.add(node, RCM.iso3166Alpha2, Literal(country.iso2))
            if row is None:
                _labels(self.graph, node, country.name_en, country.name_es)
                self.add(node, DCTERMS.source, URIRef(ISO_CODES_SOURCE))
                continue
            _labels(self.graph, node, row.name_en, row.name_es)
            if country.official_en not in (row.name_en, None):
                self.add(node, SKOS.altLabel, _en(country.official_en))
            if row.wikidata_qid:
                self.add(node, RCM.wikidataItem, WD[row.wikidata_qid])
        for iso3, left in rows.items():  # a code ISO 3166 does not know: keep the table's word
            node = self.iris.state(iso3)
            self.add(node, RDF.type, RCM.State)
            self.add(node, RCM.iso3166Alpha3, Literal(iso3))
            _labels(self.graph, node, left.name_en, left.name_es)
        for member in self.ref.members:
            if member.iso3:
                _sources(self.graph, self.iris.state(member.iso3), member.source)

    def process_key(self, row: ProcessMember, where: str) -> str:
        key = slugify(row.process)
        if self.ref.organization(key) is None:
            raise InputError(
                f"process {row.process!r} is not in organizations.tsv",
                where=where,
                hint="add the process to organizations.tsv with its names and acronyms",
            )
        return key

    def memberships(self) -> dict[str, URIRef]:
        """One membership per member row; returns the secretariat host per process key."""
        hosts: dict[str, URIRef] = {}
        known = {s.key: s for s in SCHEMES}["membership-status"].concepts
        table = self.ref.directory / "rcm-members.tsv"
        for n, row in enumerate(self.ref.members, start=1):
            where = f"{table}: data row {n}"
            process = self.process_key(row, where)
            status = slugify(row.status)
            if status not in known:
                raise InputError(
                    f"unknown membership status {row.status!r}",
                    where=where,
                    hint=f"use one of {', '.join(sorted(known))} or add it to concept_schemes",
                )
            if row.iso3:
                member_key, actor = row.iso3.upper(), self.iris.state(row.iso3)
            else:
                org = _resolve_org(row, self.ref, where)
                member_key, actor = org.key, self.iris.org(org.key)
            node = self.iris.membership(process, member_key, status)
            self.add(node, RDF.type, RCM.Membership)
            self.add(node, RDF.type, ORG.Membership)
            self.add(node, ORG.organization, self.iris.org(process))
            self.add(node, ORG.member, actor)
            if status in FULL_MEMBER_STATUSES:
                self.add(node, RCM.fullMember, actor)
            elif status in OBSERVER_STATUSES:
                self.add(node, RCM.observer, actor)
            self.add(node, RCM.membershipStatus, self.iris.concept("membership-status", status))
            label = f"{row.name_en}: {known[status].label_en} of {row.process}"
            self.add(node, RDFS.label, _en(label))
            _sources(self.graph, node, row.source)
            if status in HOST_STATUSES:
                hosts[process] = actor
        return hosts

    def bodies(self, hosts: dict[str, URIRef]) -> None:
        for b in BODIES:
            process = self.ref.organization(b.process)
            if process is None:
                continue
            node = self.iris.body(b.process, b.key)
            acronym_en = process.acronym_en or process.name_en
            acronym_es = process.acronym_es or acronym_en
            self.add(node, RDF.type, RCM.Secretariat if b.is_secretariat else RCM.ProcessBody)
            if b.is_post:
                self.add(node, RDF.type, RCM.Post)
                self.add(node, ORG.postIn, self.iris.org(b.process))
            self.add(node, RCM.bodyOf, self.iris.org(b.process))
            if b.acronym_en:
                self.add(node, RCM.acronym, _en(b.acronym_en))
            if b.acronym_es:
                self.add(node, RCM.acronym, _es(b.acronym_es))
            _labels(
                self.graph,
                node,
                f"{b.label_en} of the {acronym_en}",
                f"{b.label_es} de la {acronym_es}",
            )
            if b.is_secretariat and b.process in hosts:
                self.add(node, RCM.hostedBy, hosts[b.process])


def reference_graph(iris: Iris, ref: ReferenceData | None = None) -> Graph:
    """The reference graph for ``iris`` (default tables: the package's own)."""
    builder = _ReferenceBuilder(iris, ref or reference_data())
    for scheme in SCHEMES:
        builder.project_scheme(scheme)
    builder.objectives()
    builder.principles()
    builder.topic_objectives()
    builder.organizations()
    builder.states()
    hosts = builder.memberships()
    builder.bodies(hosts)
    return builder.graph


def scheme_iris(iris: Iris) -> dict[str, URIRef]:
    """The IRI of every scheme, by the scheme key of its concepts (``role``, ``topic`` …) plus
    ``objective`` and ``principle``: what shapes and queries check ``skos:inScheme`` against."""
    found = {s.key: iris.scheme(s.scheme_key) for s in SCHEMES}
    found["objective"] = iris.scheme(OBJECTIVES_SCHEME)
    found["principle"] = iris.scheme(PRINCIPLES_SCHEME)
    return found
