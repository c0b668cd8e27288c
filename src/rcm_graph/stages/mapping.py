"""Map one document's facts to RDF, following docs/data-model.md.

WHY one graph per document, built from nothing but that document's facts: the graph can be
cached by the document's content hash, reasoned and validated on its own, and replaced when the
document changes. Cross-document identity comes from the IRIs alone (one module mints them):
the same state (ISO code), organization (reference key or acronym slug), person (name slug) or
meeting (kind + ordinal + date) gets the same IRI in every document graph, so the union graph
holds one resource however many documents name it.

Every fact node carries ``rcm:evidence`` (a text span with Web Annotation selectors) and
``rcm:extractionMethod``, so every triple about it can be traced to a document and its text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF

from rcm_graph.model.facts import (
    ActorRef,
    Commitment,
    Count,
    DateValue,
    DocumentFacts,
    Meeting,
    Participation,
    Person,
    Span,
    Statement,
)
from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import OA, PREFIXES, RCM
from rcm_graph.reference.graph import BODIES
from rcm_graph.reference.tables import reference_data
from rcm_graph.stages.extraction.gazetteer import group_label
from rcm_graph.stages.extraction.meetings import names_only_its_kind

# Roles whose shortcut edge the mapper asserts next to the n-ary participation node: OWL 2 RL
# cannot condition a property chain on the role's value (data-model.md, Participation).
_ROLE_SHORTCUTS = {
    "host": RCM.hostedMeeting,
    "convener": RCM.convened,
    "supporter": RCM.supported,
    "observer": RCM.observed,
}

PROVISION_METHOD = "rule:provisions"


def _known_org_keys() -> frozenset[str]:
    return frozenset(o.key for o in reference_data().organizations)


def _acronym_of_key(key: str) -> str | None:
    """An organization the reference data does not know is keyed by its acronym's slug when the
    text defines one ("the Inter-American Development Bank (IDB)" -> ``idb``): that acronym, so
    that every organization carries one (queries and scorers find organizations by it)."""
    return key.upper() if key.isalpha() and key.isascii() and 2 <= len(key) <= 10 else None


def _date_literal(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


class _DocumentMapper:
    """The state of mapping one document: its graph, its IRI and its local meeting IRIs."""

    def __init__(self, facts: DocumentFacts, iris: Iris) -> None:
        self.facts = facts
        self.iris = iris
        self.graph = bind_prefixes(Graph())
        self.doc = iris.document(facts.doc_id)
        self.meetings: dict[str, URIRef] = {}
        self.known_orgs = _known_org_keys()
        self.known_bodies = {(b.process, b.key) for b in BODIES}

    # -- helpers ---------------------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.graph.add((s, p, o))

    def text(self, value: str) -> Literal:
        return Literal(value, lang=self.facts.language) if self.facts.language else Literal(value)

    def evidence(self, node: URIRef, span: Span, method: str) -> None:
        """Attach provenance: the span (position + quote selectors) and the method."""
        doc_id = self.facts.doc_id
        span_iri = self.iris.span(doc_id, span.start, span.end)
        position = self.iris.selector(doc_id, span.start, span.end, "position")
        quote = self.iris.selector(doc_id, span.start, span.end, "quote")
        self.add(node, RCM.evidence, span_iri)
        self.add(node, RCM.extractionMethod, Literal(method))
        self.add(span_iri, RDF.type, RCM.TextSpan)
        self.add(span_iri, OA.hasSource, self.doc)
        self.add(span_iri, OA.hasSelector, position)
        self.add(span_iri, OA.hasSelector, quote)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(span.start, datatype=XSD.integer))
        self.add(position, OA.end, Literal(span.end, datatype=XSD.integer))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(span.text))

    def actor(self, ref: ActorRef) -> URIRef:
        """The actor's global IRI; actors the reference graph does not describe are typed and
        labelled here so that the document graph stays meaningful on its own."""
        iris = self.iris
        if ref.kind == "state":
            return iris.state(ref.key)
        if ref.kind in ("organization", "process"):
            node = iris.org(ref.key)
            if ref.key not in self.known_orgs:
                self.add(node, RDF.type, RCM.Actor)
                self.add(node, RDFS.label, Literal(ref.name))
                acronym = _acronym_of_key(ref.key)
                if acronym:
                    self.add(node, RCM.acronym, self.text(acronym))
            return node
        if ref.kind == "body":
            process, _, body = ref.key.partition(":")
            node = iris.body(process, body) if body else iris.org(ref.key)
            self.add(node, RDF.type, RCM.ProcessBody)
            if body:
                self.add(node, RCM.bodyOf, iris.org(process))
            if (process, body) not in self.known_bodies:
                self.add(node, RDFS.label, self.text(ref.name))
            return node
        if ref.kind == "person":
            node = iris.person(ref.key)
            self.add(node, RDF.type, RCM.Person)
            self.add(node, FOAF.name, Literal(ref.name))
            return node
        node = iris.fact(self.facts.doc_id, "group", ref.key)
        self.add(node, RDF.type, RCM.Actor)
        self.add(node, RDFS.label, self.text(group_label(ref.key, self.facts.language) or ref.name))
        return node

    def date_props(self, node: URIRef, prop: URIRef, value: DateValue | None) -> None:
        if value is None:
            return
        if value.value is not None:
            self.add(node, prop, _date_literal(value.value))
        if prop == RCM.startDate:
            self.add(node, RCM.dateText, Literal(value.span.text))
            if value.uncertain:
                self.add(node, RCM.dateUncertain, Literal(True))

    # -- facts -----------------------------------------------------------------------------
    def document(self) -> None:
        f, doc = self.facts, self.doc
        self.add(doc, RDF.type, RCM.Document)
        if f.title:
            self.add(doc, DCTERMS.title, self.text(f.title))
        if f.doc_type:
            self.add(doc, RCM.documentType, self.iris.concept("document-type", f.doc_type))
        if f.date is not None and f.date.value is not None:
            self.add(doc, DCTERMS.date, _date_literal(f.date.value))
        if f.language:
            self.add(doc, DCTERMS.language, Literal(f.language))
        if f.issuing_body is not None:
            self.add(doc, RCM.issuedBy, self.actor(f.issuing_body))
        self.add(doc, RCM.sourceFile, Literal(f.source))
        self.add(doc, RCM.sha256, Literal(f.sha256))
        self.add(doc, RCM.fullText, Literal(f.text))

    def meeting_iri(self, m: Meeting) -> URIRef:
        start = m.start.value if m.start else None
        year = m.start.year if m.start else None
        if year is None and start is not None:
            year = start.year
        # whose meeting it is, in words that do not depend on the document's language
        within = m.series or "-".join(sorted({p.key for p in m.processes})) or None
        if year is None and not within and (not m.name or names_only_its_kind(m.name)):
            # only the kind (and perhaps an ordinal) is left ("the meeting", "the first
            # plenary", undated): keyed on it, every document's undated meeting of that kind
            # would become one node across the corpus
            return self.iris.meeting_in(self.facts.doc_id, m.local_id)
        return self.iris.meeting(
            m.kind, ordinal=m.ordinal, start=start, year=year, name=m.name, within=within
        )

    def meeting(self, m: Meeting) -> None:
        node = self.meetings[m.local_id]
        self.add(node, RDF.type, RCM.Meeting)
        self.add(node, RDFS.label, self.text(m.name))
        self.add(node, RCM.meetingType, self.iris.concept("meeting-type", m.kind))
        if m.ordinal is not None:
            self.add(node, RCM.ordinal, Literal(m.ordinal, datatype=XSD.integer))
        if m.series:
            series = self.iris.series(m.series)
            self.add(node, RCM.inSeries, series)
            self.add(series, RDF.type, RCM.MeetingSeries)
        self.date_props(node, RCM.startDate, m.start)
        self.date_props(node, RCM.endDate, m.end)
        if m.place is not None:
            if m.place.city:
                self.add(node, RCM.inCity, Literal(m.place.city))
            if m.place.country:
                self.add(node, RCM.inCountry, self.iris.state(m.place.country))
        if m.virtual:
            self.add(node, RCM.isVirtual, Literal(True))
        if m.planned:
            self.add(node, RCM.isPlanned, Literal(True))
        for process in m.processes:
            self.add(node, RCM.heldBy, self.actor(process))
        for n, count in enumerate(m.counts, start=1):
            self.count(node, f"{m.local_id}-{n}", count, m.method)
        self.add(self.doc, RCM.reportsOn if m.reported else RCM.mentionsEvent, node)
        self.evidence(node, m.span, m.method)

    def count(self, meeting: URIRef, local_id: str, c: Count, method: str) -> None:
        node = self.iris.fact(self.facts.doc_id, "count", local_id)
        self.add(meeting, RCM.hasStatedCount, node)
        self.add(node, RDF.type, RCM.StatedCount)
        self.add(node, RCM.countOf, Literal(c.what))
        self.add(node, RCM.countValue, Literal(c.value, datatype=XSD.integer))
        self.add(node, RCM.countQualifier, Literal(c.qualifier))
        self.evidence(node, c.span, method)

    def participation(self, n: int, p: Participation) -> None:
        meeting = self.meetings.get(p.meeting)
        if meeting is None:
            return
        node = self.iris.fact(self.facts.doc_id, "participation", str(n))
        actor = self.actor(p.actor)
        self.add(meeting, RCM.hasParticipation, node)
        self.add(node, RDF.type, RCM.Participation)
        self.add(node, RCM.participant, actor)
        self.add(node, RCM.participationRole, self.iris.concept("role", p.role))
        shortcut = _ROLE_SHORTCUTS.get(p.role)
        if shortcut is not None:
            self.add(actor, shortcut, meeting)
        self.evidence(node, p.span, p.method)

    def person(self, p: Person) -> None:
        node = self.iris.person(p.name)
        self.add(node, RDF.type, RCM.Person)
        self.add(node, FOAF.name, Literal(p.name))
        self.add(node, RDFS.label, Literal(p.name))
        if p.title:
            self.add(node, RCM.personTitle, Literal(p.title))
        if p.affiliation is not None:
            self.add(node, RCM.affiliation, self.actor(p.affiliation))
        self.evidence(node, p.span, p.method)

    def subjects(
        self, node: URIRef, prop: URIRef, objectives: Iterable[int], topics: Iterable[str]
    ) -> None:
        """Objectives under ``prop`` (statements: concernsObjective, commitments:
        addressesObjective) and topics under concernsTopic."""
        for number in objectives:
            self.add(node, prop, self.iris.objective(number))
        for topic in topics:
            self.add(node, RCM.concernsTopic, self.iris.concept("topic", topic))

    def statement(self, s: Statement) -> None:
        node = self.iris.fact(self.facts.doc_id, "statement", s.local_id)
        self.add(node, RDF.type, RCM.Statement)
        self.add(node, RCM.statementBy, self.actor(s.speaker))
        self.add(node, RCM.statementType, self.iris.concept("statement-type", s.kind))
        if s.meeting and s.meeting in self.meetings:
            self.add(node, RCM.statementAt, self.meetings[s.meeting])
        self.add(node, RCM.statementText, self.text(s.span.text))
        self.subjects(node, RCM.concernsObjective, s.objectives, s.topics)
        self.evidence(node, s.span, s.method)

    def commitment(self, c: Commitment) -> None:
        node = self.iris.commitment(self.facts.doc_id, c.local_id)
        self.add(node, RDF.type, RCM.Commitment)
        if c.kind == "agreement":
            self.add(node, RDF.type, RCM.Agreement)
        self.add(node, RCM.commitmentType, self.iris.concept("commitment-type", c.kind))
        self.add(node, RCM.commitmentText, self.text(c.text))
        for actor in c.responsible:
            self.add(node, RCM.responsibleActor, self.actor(actor))
        if c.due is not None and c.due.value is not None:
            self.add(node, RCM.dueDate, _date_literal(c.due.value))
        if c.meeting and c.meeting in self.meetings:
            self.add(node, RCM.adoptedAt, self.meetings[c.meeting])
        if c.provision:
            self.add(node, RCM.expressedIn, self.iris.provision(self.facts.doc_id, c.provision))
        self.subjects(node, RCM.addressesObjective, c.objectives, c.topics)
        self.evidence(node, c.span, c.method)

    def mentions(self) -> None:
        """Subject mentions, numbered in one sequence: objectives, principles, then topics."""
        f, iris = self.facts, self.iris
        items: list[tuple[URIRef, URIRef, Span, str]] = [
            (iris.objective(o.number), RCM.concernsObjective, o.evidence, o.method)
            for o in f.objectives
        ]
        items += [
            (iris.principle(p.letter), RCM.invokesPrinciple, p.evidence, p.method)
            for p in f.principles
        ]
        items += [
            (iris.concept("topic", t.topic), RCM.concernsTopic, t.evidence, t.method)
            for t in f.topics
        ]
        for n, (concept, shortcut, span, method) in enumerate(items, start=1):
            node = iris.fact(f.doc_id, "mention", str(n))
            self.add(node, RDF.type, RCM.SubjectMention)
            self.add(node, RCM.mentionedIn, self.doc)
            self.add(node, RCM.mentionsConcept, concept)
            self.add(self.doc, shortcut, concept)
            self.evidence(node, span, method)

    def stances(self) -> None:
        for n, s in enumerate(self.facts.stances, start=1):
            node = self.iris.fact(self.facts.doc_id, "stance", str(n))
            self.add(node, RDF.type, RCM.Stance)
            self.add(node, RCM.stanceOf, self.actor(s.state))
            self.add(node, RCM.stanceType, self.iris.concept("stance", s.stance))
            self.evidence(node, s.span, s.method)

    def provisions(self) -> None:
        for p in self.facts.provisions:
            node = self.iris.provision(self.facts.doc_id, p.number)
            self.add(self.doc, RCM.hasProvision, node)
            self.add(node, RDF.type, RCM.Provision)
            self.add(node, RCM.provisionNumber, Literal(p.number))
            self.add(node, RCM.partOfDocument, self.doc)
            if p.heading:
                self.add(node, RDFS.label, self.text(p.heading))
            self.evidence(node, p.span, PROVISION_METHOD)

    def run(self) -> Graph:
        f = self.facts
        self.document()
        self.meetings = {m.local_id: self.meeting_iri(m) for m in f.meetings}
        for m in f.meetings:
            self.meeting(m)
        for n, p in enumerate(f.participations, start=1):
            self.participation(n, p)
        for person in f.persons:
            self.person(person)
        for s in f.statements:
            self.statement(s)
        for c in f.commitments:
            self.commitment(c)
        self.mentions()
        self.stances()
        self.provisions()
        for ref in f.actors:
            self.actor(ref)
        return self.graph


def map_document(facts: DocumentFacts, iris: Iris) -> Graph:
    """The RDF graph of one document: its metadata, facts and their provenance spans."""
    return _DocumentMapper(facts, iris).run()
