"""Reasoning and validation outcomes on the fixture documents, with a tiny ontology and shapes
that exercise each axiom and constraint kind the pipeline depends on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from build_fixtures import doc_a, doc_b
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV

from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import RCM
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.reasoning import Reasoner
from rcm_graph.stages.validation import Validator, combine, unguarded_sparql_constraints

DATA = Path(__file__).parent / "data"
IRIS = Iris()
MEETING = IRIS.meeting("plenary-meeting", ordinal=4, start=date(2030, 5, 10))


def ontology() -> Graph:
    return Graph().parse(DATA / "mini-ontology.ttl")


def reference() -> Graph:
    g = Graph()
    for iso3 in ("PAN", "BLZ"):
        g.add((IRIS.state(iso3), RDF.type, RCM.State))
    g.add((IRIS.org("iom"), RDF.type, RCM.Actor))
    return g


def test_document_reasoning_adds_only_new_triples() -> None:
    reasoner = Reasoner(ontology(), reference())
    doc = map_document(doc_a(), IRIS)
    inferred = reasoner.reason_document(doc).triples
    assert len(inferred) > 0
    assert not any((t in doc) for t in inferred)
    assert (MEETING, RDF.type, RCM.Event) in inferred
    assert (MEETING, RDF.type, PROV.Activity) in inferred
    # the property chain: a participant participated in the meeting
    assert (IRIS.state("PAN"), RCM.participatedIn, MEETING) in inferred
    assert (IRIS.org("iom"), RCM.participatedIn, MEETING) in inferred
    # reference facts are background, not inferred for the document
    assert (IRIS.state("PAN"), RDF.type, RCM.Actor) not in inferred
    assert (IRIS.state("PAN"), RDF.type, RCM.Actor) in reasoner.reference_inferred


def test_no_literal_subjects_reflexive_sameas_or_tautologies() -> None:
    reasoner = Reasoner(ontology(), reference())
    inferred = reasoner.reason_document(map_document(doc_a(), IRIS)).triples
    for s, p, o in inferred:
        assert not isinstance(s, Literal)
        assert not (p == OWL.sameAs and s == o)
        assert not (p == RDF.type and o == OWL.Thing)


def test_inconsistency_is_reported() -> None:
    reasoner = Reasoner(ontology(), reference())
    doc = map_document(doc_a(), IRIS)
    doc.add((MEETING, RDF.type, RCM.Document))  # disjoint with rcm:Meeting
    problems = reasoner.reason_document(doc).problems
    assert problems and any("isjoint" in p for p in problems)


def test_cross_document_transitivity_needs_the_second_pass() -> None:
    reasoner = Reasoner(ontology(), reference())
    a, b, c = (URIRef(f"https://example.org/body/{x}") for x in "abc")
    one, two = Graph(), Graph()
    one.add((a, RCM.bodyOf, b))
    two.add((b, RCM.bodyOf, c))
    per_doc = [reasoner.reason_document(g).triples for g in (one, two)]
    assert all((a, RCM.bodyOf, c) not in g for g in per_doc)
    union = [t for g in (one, two, *per_doc) for t in g]
    across = reasoner.reason_across(union).triples
    assert (a, RCM.bodyOf, c) in across
    assert not any(t in union for t in across)


def test_cross_document_property_chain() -> None:
    """The participation node in one document, the participant edge in another."""
    reasoner = Reasoner(ontology(), reference())
    p = URIRef("https://example.org/participation/x")
    one, two = Graph(), Graph()
    one.add((MEETING, RCM.hasParticipation, p))
    two.add((p, RCM.participant, IRIS.state("PAN")))
    per_doc = [reasoner.reason_document(g).triples for g in (one, two)]
    union = [t for g in (one, two, *per_doc) for t in g]
    across = reasoner.reason_across(union).triples
    assert (IRIS.state("PAN"), RCM.participatedIn, MEETING) in across


def validator(reasoner: Reasoner) -> Validator:
    shapes = Graph().parse(DATA / "mini-shapes.ttl")
    return Validator(shapes, reasoner.ontology, reference(), reasoner.reference_inferred)


def test_valid_document_conforms() -> None:
    reasoner = Reasoner(ontology(), reference())
    doc = map_document(doc_a(), IRIS)
    report = validator(reasoner).validate_document(doc, reasoner.reason_document(doc).triples)
    assert report.conforms, report.format()
    assert report.results == []


def test_violation_names_focus_path_message_document_and_span() -> None:
    reasoner = Reasoner(ontology(), reference())
    doc = map_document(doc_a(), IRIS)
    doc.add((MEETING, RCM.startDate, Literal("10 May 2030")))  # not an xsd:date
    report = validator(reasoner).validate_document(doc, reasoner.reason_document(doc).triples)
    assert not report.conforms
    # a second start date: both sh:datatype and sh:maxCount fail
    on_date = [r for r in report.results if r.path == str(RCM.startDate)]
    assert {r.constraint for r in on_date} == {
        "sh:DatatypeConstraintComponent",
        "sh:MaxCountConstraintComponent",
    }
    result = on_date[0]
    assert result.focus == str(MEETING)
    assert "at most one start date" in result.message
    assert result.evidence and result.evidence[0].source == "doc-a.txt"
    text = report.format()
    assert "DOES NOT CONFORM" in text and "rcm:startDate" in text
    assert "doc-a.txt [" in text and "Fourth Plenary Meeting" in text


def test_shared_nodes_are_validated_against_the_union() -> None:
    """Each document gives the meeting a different English label: only the union breaks
    sh:uniqueLang, so per-document validation passes and the shared pass does not."""
    reasoner = Reasoner(ontology(), reference())
    v = validator(reasoner)
    a, b = map_document(doc_a(), IRIS), map_document(doc_b(), IRIS)
    b.set(
        (
            MEETING,
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("IV Plenary", lang="en"),
        )
    )
    for g in (a, b):
        assert v.validate_document(g, reasoner.reason_document(g).triples).conforms
    shared = v.validate_shared({"doc-a": a, "doc-b": b})
    assert not shared.conforms
    assert {r.focus for r in shared.results} == {str(MEETING)}
    combined = combine([shared, v.validate_document(a, Graph())])
    assert not combined.conforms
    assert (
        len(
            list(
                combined.graph.subjects(
                    RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationReport")
                )
            )
        )
        == 1
    )


def test_unguarded_sparql_comparison_is_flagged() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:Bad sh:select "SELECT $this { $this ex:due ?d ; ex:held ?h FILTER(?d < ?h) }" .
        ex:Good sh:select \'\'\'SELECT $this { $this ex:due ?d ; ex:held ?h
            FILTER(datatype(?d) = <http://www.w3.org/2001/XMLSchema#date> && ?d < ?h) }\'\'\' .
        """,
        format="turtle",
    )
    warnings = unguarded_sparql_constraints(shapes)
    assert len(warnings) == 1 and "Bad" in warnings[0]


@pytest.mark.parametrize("which", ["mini", "project"])
def test_span_templates_give_the_same_closure_as_full_reasoning(which: str) -> None:
    """Reasoning spans by template must entail exactly what reasoning every span does,
    with the mini ontology (plus span axioms) and with the project's ontology."""
    from rcm_graph.reference.ontology import load_ontology
    from rcm_graph.stages import reasoning

    ont = Graph().parse(DATA / "mini-ontology.ttl") if which == "mini" else load_ontology()
    ont.parse(
        data="""
        @prefix rcm: <https://w3id.org/rcm-graph/ontology#> .
        @prefix oa: <http://www.w3.org/ns/oa#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        rcm:TextSpan rdfs:subClassOf oa:SpecificResource .
        oa:hasSelector rdfs:range oa:Selector .
        oa:TextQuoteSelector rdfs:subClassOf oa:Selector .
        rcm:evidence rdfs:range rcm:TextSpan ; owl:inverseOf rcm:evidenceOf .
        oa:hasSource owl:inverseOf rcm:sourceOf .
        """,
        format="turtle",
    )
    reasoner = Reasoner(ont, reference())
    doc = map_document(doc_a(), IRIS)
    templated = reasoner.reason_document(doc).triples
    original = reasoning.span_templates
    try:
        reasoning.span_templates = lambda d: (d, [])  # type: ignore[assignment]
        full = reasoner.reason_document(doc).triples
    finally:
        reasoning.span_templates = original  # type: ignore[assignment]
    assert len(full) > 50
    assert set(templated) == set(full)


def test_shared_nodes_may_have_one_provenance_per_document() -> None:
    """Evidence and method are per document: a node two documents describe has two of each
    in the union, which a per-document maxCount must not turn into a violation."""
    reasoner = Reasoner(ontology(), reference())
    shapes = Graph().parse(DATA / "mini-shapes.ttl")
    shapes.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rcm: <https://w3id.org/rcm-graph/ontology#> .
        <urn:x:Prov> a sh:NodeShape ; sh:targetClass rcm:Meeting ;
            sh:property [ sh:path rcm:extractionMethod ; sh:minCount 1 ; sh:maxCount 1 ] .
        """,
        format="turtle",
    )
    v = Validator(shapes, reasoner.ontology, reference(), reasoner.reference_inferred)
    a, b = map_document(doc_a(), IRIS), map_document(doc_b(), IRIS)
    b.set((MEETING, RCM.extractionMethod, Literal("rule:other")))
    assert v.validate_document(a, Graph()).conforms and v.validate_document(b, Graph()).conforms
    shared = v.validate_shared({"doc-a": a, "doc-b": b})
    assert shared.conforms, shared.format()
