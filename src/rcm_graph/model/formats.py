"""The one table of serialisation formats: media type, short name, file extension, label, and
the identifiers pyoxigraph and rdflib know them by.

WHY one table: the query backends, the remote client, the write path, the dumps, the CLI and the
UI each need some of these facts, and seven copies of them had started to disagree in small ways
(which media types a format accepts, which extension a download gets). Negotiation (Accept,
aliases clients send, ``format=``) is HTTP's and stays in :mod:`rcm_graph.web.conneg`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

# SPARQL results (SELECT, ASK)
SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
SPARQL_CSV = "text/csv"
SPARQL_TSV = "text/tab-separated-values"
# RDF graphs and datasets (CONSTRUCT, DESCRIBE, linked data, dumps, Graph Store bodies)
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
RDF_XML = "application/rdf+xml"
JSON_LD = "application/ld+json"
TRIG = "application/trig"
N_QUADS = "application/n-quads"

SOLUTION_MEDIA_TYPES: tuple[str, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
GRAPH_MEDIA_TYPES: tuple[str, ...] = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD, TRIG, N_QUADS)


@dataclass(frozen=True)
class Format:
    """One serialisation. ``name`` is the short name of ``--format`` and file names."""

    name: str
    media_type: str
    extension: str
    label: str
    rdflib: str | None = None  # rdflib's serializer name, for graphs rdflib writes


FORMATS: tuple[Format, ...] = (
    Format("json", SPARQL_JSON, ".srj", "SPARQL JSON"),
    Format("xml", SPARQL_XML, ".srx", "SPARQL XML"),
    Format("csv", SPARQL_CSV, ".csv", "CSV"),
    Format("tsv", SPARQL_TSV, ".tsv", "TSV"),
    Format("ttl", TURTLE, ".ttl", "Turtle", "turtle"),
    Format("nt", N_TRIPLES, ".nt", "N-Triples", "nt"),
    Format("rdfxml", RDF_XML, ".rdf", "RDF/XML", "xml"),
    Format("jsonld", JSON_LD, ".jsonld", "JSON-LD", "json-ld"),
    Format("trig", TRIG, ".trig", "TriG", "trig"),
    Format("nq", N_QUADS, ".nq", "N-Quads", "nquads"),
)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in FORMATS}

# The engine's identifiers, by media type.
RDF_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    TURTLE: pyoxigraph.RdfFormat.TURTLE,
    N_TRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
    RDF_XML: pyoxigraph.RdfFormat.RDF_XML,
    JSON_LD: pyoxigraph.RdfFormat.JSON_LD,
    TRIG: pyoxigraph.RdfFormat.TRIG,
    N_QUADS: pyoxigraph.RdfFormat.N_QUADS,
}
RESULT_FORMATS: dict[str, pyoxigraph.QueryResultsFormat] = {
    SPARQL_JSON: pyoxigraph.QueryResultsFormat.JSON,
    SPARQL_XML: pyoxigraph.QueryResultsFormat.XML,
    SPARQL_CSV: pyoxigraph.QueryResultsFormat.CSV,
    SPARQL_TSV: pyoxigraph.QueryResultsFormat.TSV,
}


def names(media_types: tuple[str, ...]) -> dict[str, str]:
    """Short name -> media type, for the given media types (the CLI's ``--format`` choices)."""
    return {BY_MEDIA_TYPE[m].name: m for m in media_types}
