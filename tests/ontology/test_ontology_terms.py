"""Every term the code uses is declared in the ontology, and every project term is documented.

``rcm_graph.model.vocab`` is what the mapper writes with; ``ontology/rcm.ttl`` is the source of
truth.
A name in one and not the other would mint undeclared IRIs or leave dead terms, so both
directions are checked, together with the English and Spanish labels and the definition that
every ``rcm:`` term must carry.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from rcm_graph.model import vocab
from rcm_graph.reference.ontology import load_ontology, ontology_path

RCM = vocab.RCM
KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


def project_terms(g: Graph) -> set[URIRef]:
    return {
        s
        for s in g.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(str(RCM))
    }


def test_the_ontology_file_is_shipped() -> None:
    assert ontology_path().name == "rcm.ttl"
    assert ontology_path().is_file()


@pytest.mark.parametrize("name", vocab.CLASSES)
def test_every_vocab_class_is_an_owl_class(onto: Graph, name: str) -> None:
    assert (RCM[name], RDF.type, OWL.Class) in onto


@pytest.mark.parametrize("name", vocab.PROPERTIES)
def test_every_vocab_property_is_a_declared_property(onto: Graph, name: str) -> None:
    kinds = set(onto.objects(RCM[name], RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}, kinds
    # one kind only: punning a term as two kinds of property is illegal in OWL 2 DL
    assert len(kinds & KINDS) == 1, kinds


def test_every_project_term_in_the_ontology_is_named_in_vocab(onto: Graph) -> None:
    named = {RCM[n] for n in (*vocab.CLASSES, *vocab.PROPERTIES)}
    assert project_terms(onto) - named == set()


def test_vocab_term_helper_rejects_unknown_names() -> None:
    assert vocab.term("State") == str(RCM.State)
    with pytest.raises(KeyError):
        vocab.term("Stat")


def _langs(g: Graph, s: URIRef, p: URIRef) -> list[str | None]:
    return [o.language for o in g.objects(s, p) if isinstance(o, Literal)]


def test_every_project_term_has_one_english_and_one_spanish_label(onto: Graph) -> None:
    bad = {
        str(t): sorted(str(x) for x in _langs(onto, t, RDFS.label))
        for t in project_terms(onto)
        if sorted(str(x) for x in _langs(onto, t, RDFS.label)) != ["en", "es"]
    }
    assert bad == {}


def test_every_project_term_has_an_english_definition(onto: Graph) -> None:
    missing = sorted(
        str(t) for t in project_terms(onto) if _langs(onto, t, SKOS.definition) != ["en"]
    )
    assert missing == []


def test_every_project_term_is_defined_by_the_ontology(onto: Graph) -> None:
    ontology = URIRef(vocab.ONTOLOGY_IRI)
    missing = sorted(
        str(t) for t in project_terms(onto) if (t, RDFS.isDefinedBy, ontology) not in onto
    )
    assert missing == []
