"""The shipped ontology and SHACL shapes, located and parsed.

The ontology (``ontology/rcm.ttl``) and the shapes (``shapes/*.ttl``) are package data, found
through :mod:`rcm_graph.resources` so that an installed wheel and a checkout behave the same.
Every call returns a fresh graph: callers (reasoning, validation, the store) add triples to what
they get, and a shared graph would leak one build's data into the next.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from rcm_graph.errors import ShapeError
from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import PREFIXES
from rcm_graph.resources import shipped_dir

ONTOLOGY_FILE = "rcm.ttl"
DEFAULT_BASE = Iris().base
_BUILT_IN_ANNOTATIONS = frozenset(
    {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo, OWL.deprecated}
)


def ontology_path() -> Path:
    """The Turtle file of the ontology (the source of truth for every ``rcm:`` term)."""
    return shipped_dir("ontology") / ONTOLOGY_FILE


def reasoning_ontology(ontology: Graph | None = None) -> Graph:
    """The ontology without its annotation assertions (labels, definitions, metadata).

    OWL 2 RL entails nothing from annotations, but owlrl scans every triple on every round:
    the labels and definitions make up half the ontology and about three quarters of the
    closure time of the ontology alone. Axioms about annotation properties themselves
    (``rdfs:subPropertyOf``) are kept.
    """
    source = ontology if ontology is not None else load_ontology()
    annotation = set(source.subjects(RDF.type, OWL.AnnotationProperty)) | _BUILT_IN_ANNOTATIONS
    axioms = Graph(namespace_manager=source.namespace_manager)
    for s, p, o in source:
        if p not in annotation:
            axioms.add((s, p, o))
    return axioms


def shapes_paths() -> list[Path]:
    """The SHACL shapes files, sorted by name so that every build reads them in one order."""
    return sorted(shipped_dir("shapes").glob("*.ttl"))


def _parse(paths: list[Path], what: str) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except (OSError, SyntaxError, ValueError) as exc:  # rdflib raises BadSyntax(SyntaxError)
            raise ShapeError(
                f"cannot parse the {what} ({exc})",
                where=str(path),
                hint=f"fix the Turtle syntax of the {what} file or restore it from the repository",
            ) from None
    return graph


def load_ontology() -> Graph:
    """The ontology as a new rdflib graph."""
    return _parse([ontology_path()], "ontology")


def load_shapes(iris: Iris | None = None) -> Graph:
    """All SHACL shapes as one new rdflib graph.

    The shapes name a few data IRIs (the concept schemes a value must belong to) under the
    default base; with ``iris`` for another base those IRIs are rewritten to it, so that a
    deployment under its own host validates against its own schemes.
    """
    shapes = _parse(shapes_paths(), "SHACL shapes")
    if iris is None or iris.base == DEFAULT_BASE:
        return shapes
    rebased = Graph(namespace_manager=shapes.namespace_manager)
    for triple in shapes:
        rebased.add(tuple(_rebase(term, iris.base) for term in triple))  # type: ignore[arg-type]
    return rebased


def _rebase(term: Node, base: str) -> Node:
    if isinstance(term, URIRef) and str(term).startswith(DEFAULT_BASE + "id/"):
        return URIRef(base + str(term)[len(DEFAULT_BASE) :])
    return term
