"""Conversions between rdflib graphs and terms, N-Triples bytes and pyoxigraph terms.

WHY here: the build hands rdflib graphs to the store as N-Triples bytes (pyoxigraph loads them
in bulk far faster than rdflib writes triples one by one), and reads triples back from the
store for the cross-document steps and ``rcm-graph validate``; every such crossing goes
through these few functions.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node


def ntriples(graph: Graph) -> bytes:
    """``graph`` as N-Triples bytes."""
    return graph.serialize(format="nt", encoding="utf-8")


def parse_nt(data: bytes) -> Graph:
    """A graph of the N-Triples ``data`` (empty bytes: an empty graph)."""
    graph = Graph()
    if data:
        graph.parse(data=data, format="nt")
    return graph


def to_rdflib(term: Any) -> Node:
    """The rdflib term of a pyoxigraph term (``xsd:string`` literals become plain literals)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else datatype)
    raise TypeError(f"unexpected RDF term {term!r}")


def to_oxigraph(term: Node) -> Any:
    """The pyoxigraph term of an rdflib term."""
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = pyoxigraph.NamedNode(str(term.datatype or XSD.string))
        return pyoxigraph.Literal(str(term), datatype=datatype)
    raise TypeError(f"unexpected RDF term {term!r}")
