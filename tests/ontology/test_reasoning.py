"""OWL 2 RL reasoning (owlrl) gives the intended entailments, and only those.

Small fixture graphs, closed together with the ontology's axioms: specific inferred triples are
asserted (subclasses, inverses, property-chain shortcuts, part-of) and unintended ones are
asserted absent (an observer is never a member; taking part in a meeting is not membership).
Consistency: one individual of every project class, closed with the ontology, raises no
inconsistency, while an individual of two disjoint classes does.
"""

from __future__ import annotations

import owlrl
import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, OWL, PROV, RDF, SKOS

from rcm_graph.model import vocab
from rcm_graph.reference.ontology import load_ontology, reasoning_ontology

RCM = vocab.RCM
EX = Namespace("http://example.org/fixture/")
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

FIXTURE = """
@prefix rcm: <https://w3id.org/rcm-graph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix ex: <http://example.org/fixture/> .

ex:rcm a rcm:RegionalConsultativeProcess .
ex:ts a rcm:Secretariat ; rcm:bodyOf ex:rcm ; rcm:hostedBy ex:iom .
ex:m1 a rcm:Membership ; org:member ex:gtm ; rcm:fullMember ex:gtm ; org:organization ex:rcm .
ex:m2 a rcm:Membership ; org:member ex:jam ; rcm:observer ex:jam ; org:organization ex:rcm .
ex:m3 a rcm:Membership ; org:member ex:rncom ; org:organization ex:rcm .
ex:meeting a rcm:Meeting ; rcm:hasParticipation ex:p1 , ex:p2 .
ex:p1 rcm:participant ex:gtm ; rcm:participationRole ex:host .
ex:p2 rcm:participant ex:jam .
ex:jam rcm:observed ex:meeting2 .
ex:doc rcm:hasProvision ex:provision ; rcm:issuedBy ex:rcm .
ex:holding a rcm:PostHolding ; rcm:postHolder ex:slv ; rcm:post ex:ppt .
ex:session rcm:partOfEvent ex:meeting .
ex:meeting rcm:partOfEvent ex:conference .
ex:commitment rcm:addressesObjective ex:objective9 .
ex:topic rcm:relatedObjective ex:objective9 .
ex:agency a rcm:GovernmentAgency ; org:subOrganizationOf ex:can .
"""


def close(*graphs: Graph) -> Graph:
    graph = Graph()
    for g in graphs:
        graph += g
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return graph


def errors(graph: Graph) -> list[str]:
    return [str(graph.value(m, ERR.error)) for m in graph.subjects(RDF.type, ERR.ErrorMessage)]


@pytest.fixture(scope="module")
def axioms() -> Graph:
    return reasoning_ontology()


@pytest.fixture(scope="module")
def closed(axioms: Graph) -> Graph:
    return close(axioms, Graph().parse(data=FIXTURE, format="turtle"))


ENTAILED = [
    # sub-classes
    (EX.ts, RDF.type, RCM.ProcessBody),
    (EX.ts, RDF.type, RCM.Actor),
    (EX.ts, RDF.type, ORG.OrganizationalUnit),
    (EX.ts, RDF.type, FOAF.Agent),
    (EX.ts, RDF.type, PROV.Agent),
    (EX.meeting, RDF.type, RCM.Event),
    (EX.meeting, RDF.type, PROV.Activity),
    (EX.m1, RDF.type, ORG.Membership),
    # domains and ranges
    (EX.p1, RDF.type, RCM.Participation),
    (EX.p1, RDF.type, PROV.Association),
    (EX.host, RDF.type, RCM.Role),
    (EX.gtm, RDF.type, RCM.Actor),
    # inverses
    (EX.gtm, ORG.hasMembership, EX.m1),
    (EX.gtm, RCM.hasFullMembership, EX.m1),
    (EX.jam, RCM.hasObserverStatus, EX.m2),
    (EX.provision, RCM.partOfDocument, EX.doc),
    # chain shortcuts
    (EX.gtm, RCM.memberOfProcess, EX.rcm),
    (EX.gtm, ORG.memberOf, EX.rcm),
    (EX.rcm, ORG.hasMember, EX.gtm),
    (EX.jam, RCM.observerOf, EX.rcm),
    (EX.meeting, RCM.hadParticipant, EX.gtm),
    (EX.gtm, RCM.participatedIn, EX.meeting),
    (EX.jam, RCM.participatedIn, EX.meeting),
    (EX.meeting, PROV.wasAssociatedWith, EX.gtm),
    (EX.jam, RCM.participatedIn, EX.meeting2),  # role shortcut under participatedIn
    (EX.slv, RCM.holdsPost, EX.ppt),
    (EX.slv, ORG.holds, EX.ppt),
    (EX.ppt, ORG.heldBy, EX.slv),
    # part-of
    (EX.ts, ORG.unitOf, EX.rcm),
    (EX.rcm, ORG.hasUnit, EX.ts),
    (EX.session, RCM.partOfEvent, EX.conference),
    (EX.conference, RCM.hasSubEvent, EX.session),
    (EX.can, ORG.hasSubOrganization, EX.agency),
    # sub-properties
    (EX.commitment, RCM.concernsObjective, EX.objective9),
    (EX.topic, SKOS.related, EX.objective9),
    (EX.doc, PROV.wasAttributedTo, EX.rcm),
]

NOT_ENTAILED = [
    # an observer is never a member
    (EX.jam, RCM.memberOfProcess, EX.rcm),
    (EX.jam, ORG.memberOf, EX.rcm),
    (EX.rcm, ORG.hasMember, EX.jam),
    (EX.jam, RCM.hasFullMembership, EX.m2),
    # a plain membership (neither member nor observer status) yields neither shortcut
    (EX.rncom, RCM.memberOfProcess, EX.rcm),
    (EX.rncom, RCM.observerOf, EX.rcm),
    # a member is not an observer
    (EX.gtm, RCM.observerOf, EX.rcm),
    # taking part in a meeting is not membership of it
    (EX.gtm, ORG.memberOf, EX.meeting),
    (EX.gtm, RCM.memberOfProcess, EX.meeting),
    # hosting a secretariat is not being part of the process
    (EX.iom, ORG.memberOf, EX.rcm),
]


@pytest.mark.parametrize(
    "triple", ENTAILED, ids=lambda t: " ".join(str(x).split("/")[-1] for x in t)
)
def test_intended_entailment(closed: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in closed


@pytest.mark.parametrize(
    "triple", NOT_ENTAILED, ids=lambda t: " ".join(str(x).split("/")[-1] for x in t)
)
def test_unintended_entailment_is_absent(
    closed: Graph, triple: tuple[URIRef, URIRef, URIRef]
) -> None:
    assert triple not in closed


def test_the_fixture_is_consistent_and_merges_nothing(closed: Graph) -> None:
    assert errors(closed) == []
    merged = [(s, o) for s, o in closed.subject_objects(OWL.sameAs) if s != o]
    assert merged == []


def _one_individual_per_class(onto: Graph) -> Graph:
    data = Graph()
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(str(RCM)):
            data.add((EX["an-" + str(cls).split("#")[1]], RDF.type, cls))
    return data


def test_every_class_is_satisfiable_and_the_ontology_consistent(axioms: Graph) -> None:
    data = _one_individual_per_class(load_ontology())
    assert len(data) == len(vocab.CLASSES)
    closed = close(axioms, data)
    assert errors(closed) == []
    # nothing was classified into owl:Nothing
    assert list(closed.subjects(RDF.type, OWL.Nothing)) == []


def test_disjointness_is_enforced(axioms: Graph) -> None:
    """The check above can fail: two disjoint kinds on one node are reported."""
    data = Graph()
    data.add((EX.confused, RDF.type, RCM.State))
    data.add((EX.confused, RDF.type, RCM.Meeting))
    assert errors(close(axioms, data))


def test_the_reasoning_ontology_keeps_every_axiom_and_drops_only_annotations() -> None:
    full = load_ontology()
    axioms = reasoning_ontology(full)
    dropped = {p for s, p, o in full if (s, p, o) not in axioms}
    annotation = set(full.subjects(RDF.type, OWL.AnnotationProperty))
    assert dropped and all(
        p in annotation or str(p).startswith(("http://www.w3.org/2000/01/rdf-schema#", str(OWL)))
        for p in dropped
    )
    for p in (RDF.type, OWL.inverseOf, OWL.propertyChainAxiom, OWL.members):
        assert set(full.triples((None, p, None))) == set(axioms.triples((None, p, None)))
    assert isinstance(next(iter(axioms.subjects(RDF.type, OWL.AllDisjointClasses))), BNode)
