"""Namespaces and the names of the ontology's terms, for Python code that writes or reads RDF.

The ontology file (``ontology/rcm.ttl``) is the source of truth; a test checks that every term
named here is declared there, so a typo fails CI instead of minting an undeclared IRI.
The ontology namespace is fixed (it names the model, not the data); data IRIs are minted from
the configurable base by :mod:`rcm_graph.model.iris`.

This module is a leaf: it imports nothing from the package.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

ONTOLOGY_IRI = "https://w3id.org/rcm-graph/ontology"
RCM = Namespace(ONTOLOGY_IRI + "#")
OA = Namespace("http://www.w3.org/ns/oa#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES: dict[str, Namespace] = {
    "rcm": RCM,
    "org": Namespace(str(ORG)),
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "oa": OA,
    "time": TIME,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "sh": Namespace(str(SH)),
    "void": Namespace(str(VOID)),
    "dcat": Namespace(str(DCAT)),
    "schema": SCHEMA,
    "vann": VANN,
    "wd": WD,
}

# Classes of the project namespace (rcm:). Reused classes (org:Membership, foaf:Person,
# prov:Activity, skos:Concept, oa:TextQuoteSelector …) are used under their own IRIs.
CLASSES = (
    "Actor",
    "State",
    "IntergovernmentalOrganization",
    "GovernmentAgency",
    "CivilSocietyOrganization",
    "CivilSocietyNetwork",
    "RegionalConsultativeProcess",
    "ProcessBody",
    "Secretariat",
    "Person",
    "Membership",
    "Post",
    "PostHolding",
    "Role",
    "Event",
    "Meeting",
    "MeetingSeries",
    "Participation",
    "Document",
    "Provision",
    "Statement",
    "Commitment",
    "Agreement",
    "GCMObjective",
    "GuidingPrinciple",
    "Topic",
    "MeetingType",
    "DocumentType",
    "StatementType",
    "CommitmentType",
    "Stance",
    "StanceType",
    "Place",
    "StatedCount",
    "SubjectMention",
    "TextSpan",
    "ExtractionRun",
    # added with the ontology (issue 3)
    "InternationalOrganization",
    "MembershipStatus",
)

# Object and datatype properties of the project namespace.
PROPERTIES = (
    # actors and memberships
    "iso3166Alpha3",
    "iso3166Alpha2",
    "acronym",
    "wikidataItem",
    "membershipStatus",
    "memberFrom",
    "memberUntil",
    "memberOfProcess",
    "observerOf",
    "hostedBy",
    "bodyOf",
    "holdsPost",
    "postHolder",
    "post",
    "heldFrom",
    "heldUntil",
    "affiliation",
    "personTitle",
    # meetings and events
    "meetingType",
    "ordinal",
    "inSeries",
    "startDate",
    "endDate",
    "dateText",
    "dateUncertain",
    "inCity",
    "inCountry",
    "locationText",
    "isVirtual",
    "isPlanned",
    "heldBy",
    "hasParticipation",
    "participant",
    "participationRole",
    "participatedIn",
    "hostedMeeting",
    "convened",
    "supported",
    "observed",
    "hasStatedCount",
    "countOf",
    "countValue",
    "countQualifier",
    # documents
    "documentType",
    "reportsOn",
    "mentionsEvent",
    "issuedBy",
    "sourceFile",
    "sha256",
    "fullText",
    "hasProvision",
    "provisionNumber",
    "partOfDocument",
    # statements, commitments, subjects
    "statementBy",
    "statementType",
    "statementAt",
    "statementText",
    "commitmentType",
    "responsibleActor",
    "commitmentText",
    "dueDate",
    "adoptedAt",
    "expressedIn",
    "addressesObjective",
    "invokesPrinciple",
    "concernsTopic",
    "concernsObjective",
    "stanceOf",
    "stanceType",
    "relatedObjective",
    "mentionsConcept",
    "mentionedIn",
    # provenance (span nodes use oa:hasSource, oa:hasSelector, oa:start, oa:end, oa:exact)
    "evidence",
    "extractionMethod",
    "extractedBy",
    # added with the ontology (issue 3): the membership split that keeps observers from being
    # members, named inverses the property chains need, event structure and places
    "fullMember",
    "hasFullMembership",
    "observer",
    "hasObserverStatus",
    "hasPostHolding",
    "hadParticipant",
    "partOfEvent",
    "hasSubEvent",
    "atPlace",
)


def term(name: str) -> str:
    """The full IRI of a project term, checked against the declared lists."""
    if name not in CLASSES and name not in PROPERTIES:
        raise KeyError(f"rcm:{name} is not a term of the ontology")
    return str(RCM[name])
