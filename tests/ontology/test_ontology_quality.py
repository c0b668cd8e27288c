"""Ontology quality checks in the style of OOPS!, FOOPS! and ROBOT report, as SPARQL.

Each query returns the offending terms; the test names the pitfall it guards against. Checks
that need a reasoner or the OWL API live in test_reasoning.py and test_owl_profiles.py.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from rcm_graph.model import vocab
from rcm_graph.reference.ontology import load_ontology, ontology_path

PREFIXES = """
PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# Properties deliberately without a domain: they apply to several unrelated classes (a union
# domain is outside OWL 2 RL) and a domain would type everything they touch.
NO_DOMAIN = {
    "ordinal", "dateText", "dateUncertain", "inCity", "inCountry", "locationText",
    "concernsObjective", "invokesPrinciple", "concernsTopic", "evidence", "extractionMethod",
    "extractedBy", "hasSubEvent", "wikidataItem",
}  # fmt: skip
# Datatype properties whose values are xsd:date (checked by SHACL: an OWL range would break
# both profiles) or language-tagged text (no OWL 2 datatype covers "string or langString").
NO_RANGE = {
    "memberFrom", "memberUntil", "heldFrom", "heldUntil", "startDate", "endDate", "dueDate",
    "acronym", "statementText", "commitmentText", "wikidataItem",
}  # fmt: skip

QUERIES = {
    "ROBOT multiple_definitions": """
        SELECT ?t WHERE {
          ?t skos:definition ?a , ?b . FILTER (?a != ?b && LANG(?a) = LANG(?b))
        }""",
    "ROBOT label_whitespace": """
        SELECT ?t WHERE {
          ?t rdfs:label|skos:definition ?l . FILTER (STRSTARTS(STR(?t), STR(rcm:)))
          FILTER (REGEX(STR(?l), "^\\\\s|\\\\s$|\\\\s\\\\s"))
        }""",
    "P24 recursive definition": """
        SELECT ?c WHERE { ?c rdfs:subClassOf|owl:equivalentClass ?c }""",
    "P25 inverse of itself": """
        SELECT ?p WHERE { ?p owl:inverseOf ?p }""",
    "P27/P31 equivalences to third-party terms (use skos:closeMatch instead)": """
        SELECT ?a ?b WHERE { ?a owl:equivalentClass|owl:equivalentProperty|owl:sameAs ?b }""",
    "P40 namespace hijacking: project axioms on another namespace's terms": """
        SELECT ?t ?p WHERE {
          ?t ?p ?o . FILTER (isIRI(?t) && !STRSTARTS(STR(?t), STR(rcm:)))
          FILTER (?p IN (owl:propertyChainAxiom, owl:equivalentClass, owl:disjointWith))
        }""",
    "P34/P35 rcm term used but not declared": """
        SELECT DISTINCT ?t WHERE {
          { ?s ?t ?o } UNION { ?s ?p ?t }
          FILTER (isIRI(?t) && STRSTARTS(STR(?t), STR(rcm:)))
          FILTER NOT EXISTS { ?t a ?kind }
        }""",
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_no_pitfall(onto: Graph, name: str) -> None:
    rows = [tuple(str(x) for x in row) for row in onto.query(PREFIXES + QUERIES[name])]  # type: ignore[union-attr]
    assert rows == [], name


def test_the_pitfall_queries_can_fail(onto: Graph) -> None:
    """The pitfall queries are not vacuous: planted pitfalls are found."""
    planted = Graph()
    planted += onto
    planted.add((vocab.RCM.Topic, RDFS.subClassOf, vocab.RCM.Topic))
    planted.add((vocab.RCM.Topic, vocab.RCM.undeclaredTerm, Literal("x")))
    for name in ("P24 recursive definition", "P34/P35 rcm term used but not declared"):
        assert list(planted.query(PREFIXES + QUERIES[name])), name


def test_p32_no_two_project_terms_share_a_label_in_one_language(onto: Graph) -> None:
    """Labels and definitions themselves are checked in test_ontology_terms.py (P08)."""
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for term, label in onto.subject_objects(RDFS.label):
        if str(term).startswith(str(vocab.RCM)) and isinstance(label, Literal):
            seen[(str(label).lower(), str(label.language))].append(str(term))
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def _terms(onto: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(t for t in onto.subjects(RDF.type, kind) if str(t).startswith(str(vocab.RCM)))  # type: ignore[type-var]


def test_p11_properties_have_domain_and_range_where_meaningful(onto: Graph) -> None:
    missing = []
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for p in _terms(onto, kind):
            name = str(p).split("#")[1]
            has_domain = onto.value(p, RDFS.domain) is not None or (
                onto.value(p, OWL.inverseOf) is not None
                or onto.value(None, OWL.inverseOf, p) is not None
            )
            if not has_domain and name not in NO_DOMAIN:
                missing.append(f"{name}: domain")
            has_range = onto.value(p, RDFS.range) is not None or onto.value(p, OWL.inverseOf)
            if (
                not has_range
                and onto.value(None, OWL.inverseOf, p) is None
                and name not in NO_RANGE
            ):
                missing.append(f"{name}: range")
    assert missing == []


def test_p19_one_domain_and_one_range_at_most(onto: Graph) -> None:
    many = [
        str(p)
        for p in set(onto.subjects(RDFS.domain, None)) | set(onto.subjects(RDFS.range, None))
        if len(set(onto.objects(p, RDFS.domain))) > 1 or len(set(onto.objects(p, RDFS.range))) > 1
    ]
    assert many == []


def test_no_xsd_date_range_and_no_functional_data_properties(onto: Graph) -> None:
    """xsd:date ranges break both OWL 2 profiles; functional or inverse-functional properties
    make owlrl produce owl:sameAs (SHACL sh:maxCount does the closed-world check instead)."""
    assert list(onto.subjects(RDFS.range, XSD.date)) == []
    assert list(onto.subjects(RDF.type, OWL.FunctionalProperty)) == []
    assert list(onto.subjects(RDF.type, OWL.InverseFunctionalProperty)) == []


def test_p22_naming_conventions(onto: Graph) -> None:
    classes = [str(c).split("#")[1] for c in _terms(onto, OWL.Class)]
    properties = [
        str(p).split("#")[1]
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for p in _terms(onto, kind)
    ]
    assert [c for c in classes if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", c)] == []
    assert [p for p in properties if not re.fullmatch(r"[a-z][A-Za-z0-9]*", p)] == []


def test_ontology_metadata_om1_om2_ver1_find1_p38_p41(onto: Graph) -> None:
    ontology = URIRef(vocab.ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in onto  # P38
    version = onto.value(ontology, OWL.versionIRI)
    assert isinstance(version, URIRef) and version != ontology  # VER1
    assert str(version).startswith(vocab.ONTOLOGY_IRI + "/")
    assert onto.value(ontology, OWL.versionInfo) is not None
    DCT = "http://purl.org/dc/terms/"  # noqa: N806
    for term in ("title", "description", "creator", "created", "modified"):
        assert onto.value(ontology, URIRef(DCT + term)) is not None, term
    assert isinstance(onto.value(ontology, URIRef(DCT + "license")), URIRef)  # P41, OM4.1
    modified = onto.value(ontology, URIRef(DCT + "modified"))
    assert isinstance(modified, Literal) and modified.datatype == XSD.date
    assert str(onto.value(ontology, vocab.VANN.preferredNamespacePrefix)) == "rcm"  # FIND1
    assert str(onto.value(ontology, vocab.VANN.preferredNamespaceUri)) == str(vocab.RCM)
    titles = {t.language for t in onto.objects(ontology, URIRef(DCT + "title"))}  # type: ignore[attr-defined]
    assert titles == {"en", "es"}


def test_loads_offline_p36_p39(onto: Graph) -> None:
    """No owl:imports (nothing to resolve), a hash namespace without file extension."""
    assert list(onto.objects(None, OWL.imports)) == []
    assert not re.search(r"\.(owl|ttl|rdf)#?$", vocab.ONTOLOGY_IRI)
    assert str(vocab.RCM).endswith("#")
    text = ontology_path().read_text(encoding="utf-8")
    assert "owl:imports" not in text


def test_no_unconnected_class_p04(onto: Graph) -> None:
    """Every project class is related to something: a super-class, a domain or a range."""
    lonely = [
        str(c)
        for c in _terms(onto, OWL.Class)
        if onto.value(c, RDFS.subClassOf) is None
        and onto.value(None, RDFS.domain, c) is None
        and onto.value(None, RDFS.range, c) is None
        and onto.value(None, RDFS.subClassOf, c) is None
    ]
    assert lonely == []


def test_the_xml_catalog_resolves_the_ontology_and_version_iri(onto: Graph) -> None:
    """Protégé's catalog maps both IRIs to the local file (offline loading)."""
    import xml.etree.ElementTree as ET

    catalog = ontology_path().parent / "catalog-v001.xml"
    ns = {"c": "urn:oasis:names:tc:entity:xmlns:xml:catalog"}
    uris = {u.get("name"): u.get("uri") for u in ET.parse(catalog).getroot().findall("c:uri", ns)}
    version = str(onto.value(URIRef(vocab.ONTOLOGY_IRI), OWL.versionIRI))
    assert uris == {vocab.ONTOLOGY_IRI: ontology_path().name, version: ontology_path().name}
