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


def declared_terms(g: Graph) -> set[URIRef]:
    """Every IRI the ontology declares as a class or property, its own and the reused ones."""
    return {s for kind in KINDS for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def undefined_terms(g: Graph) -> list[str]:
    """Declared terms without an English skos:definition: an editor (Protégé) shows them bare."""
    return sorted(str(t) for t in declared_terms(g) if "en" not in _langs(g, t, SKOS.definition))


def test_every_declared_term_has_an_english_definition(onto: Graph) -> None:
    """The reused ORG, PROV, FOAF, SKOS, Web Annotation, DC Terms and VANN terms too: the
    ontology declares them instead of importing their vocabularies, so it must say what they
    mean here."""
    assert len(declared_terms(onto)) > len(project_terms(onto))  # the reused terms are counted
    assert undefined_terms(onto) == []


def test_a_removed_definition_is_found(onto: Graph) -> None:
    """The check above is not vacuous: drop one reused term's definition and it is reported."""
    copy = Graph()
    for triple in onto:
        copy.add(triple)
    term = URIRef("http://www.w3.org/ns/oa#TextQuoteSelector")
    assert (term, SKOS.definition, None) in copy
    copy.remove((term, SKOS.definition, None))
    assert undefined_terms(copy) == [str(term)]


def test_every_reused_term_is_defined_by_its_own_vocabulary(onto: Graph) -> None:
    """rdfs:isDefinedBy of a reused term names the vocabulary whose namespace holds it, never
    this ontology (the definitions are ours, the terms are not)."""
    wrong = {}
    for term in declared_terms(onto) - project_terms(onto):
        by = [str(o) for o in onto.objects(term, RDFS.isDefinedBy)]
        if (
            len(by) != 1
            or not str(term).startswith(by[0].rstrip("#/"))
            or by[0].startswith(vocab.ONTOLOGY_IRI)
        ):
            wrong[str(term)] = by
    assert wrong == {}
