"""Content negotiation for the UI routes: representations, file extensions, Accept.

The Accept parsing itself is the endpoint's (:mod:`rcm_graph.web.conneg`); this module adds the
representations a resource has (HTML and four RDF syntaxes) and their file extensions, so that
``/id/state/PAN.ttl`` and ``Accept: text/turtle`` give the same document.
"""

from __future__ import annotations

from dataclasses import dataclass

from rcm_graph.model import formats
from rcm_graph.web import conneg as web_conneg


@dataclass(frozen=True)
class RdfFormat:
    """One representation of a resource."""

    key: str
    media_type: str
    extension: str
    rdflib_format: str
    label: str


def _rdf(key: str, media_type: str) -> RdfFormat:
    fmt = formats.BY_MEDIA_TYPE[media_type]
    assert fmt.rdflib is not None
    return RdfFormat(key, media_type, fmt.extension, fmt.rdflib, fmt.label)


HTML = RdfFormat("html", "text/html", ".html", "", "HTML")
TURTLE = _rdf("turtle", formats.TURTLE)
JSON_LD = _rdf("jsonld", formats.JSON_LD)
N_TRIPLES = _rdf("nt", formats.N_TRIPLES)
RDF_XML = _rdf("rdfxml", formats.RDF_XML)
# The description as the default graph of a TriG document, for clients that load datasets.
# Written by the Turtle serialiser: a Turtle document is a TriG document whose triples are all
# in the default graph (rdflib's TriG writer would put them in a graph named by a blank node).
TRIG = RdfFormat("trig", "application/trig", ".trig", "turtle", "TriG")

RDF_FORMATS: tuple[RdfFormat, ...] = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML, TRIG)
ALL_FORMATS: tuple[RdfFormat, ...] = (HTML, *RDF_FORMATS)

# ``.html`` too, so that every representation has a URL of its own (``Content-Location``).
# ``text/n3`` needs no entry: the endpoint's negotiation reads it as Turtle (Turtle is N3).
_BY_EXTENSION = {f.extension: f for f in ALL_FORMATS} | {".json": JSON_LD}


def split_extension(path: str) -> tuple[str, RdfFormat | None]:
    """``"state/PAN.ttl"`` -> ``("state/PAN", TURTLE)``; no known extension -> ``(path, None)``."""
    dot = path.rfind(".")
    if dot <= path.rfind("/"):
        return path, None
    fmt = _BY_EXTENSION.get(path[dot:].lower())
    return (path[:dot], fmt) if fmt else (path, None)


def negotiate(accept: str | None, offered: tuple[RdfFormat, ...] = ALL_FORMATS) -> RdfFormat | None:
    """The best offered format for an Accept header; None when nothing acceptable is offered.

    Delegates to the endpoint's RFC 9110 negotiation (q-values, specificity, aliases such as
    ``application/json`` -> JSON-LD), so pages and the SPARQL endpoint read Accept alike. No
    header (or ``*/*``) means the first offered format: HTML for pages and resources.
    """
    by_type = {f.media_type: f for f in offered}
    graph = any(f in RDF_FORMATS for f in offered)
    chosen = web_conneg.negotiate(accept, list(by_type), graph=graph)
    return by_type.get(chosen) if chosen else None


def prefers_html(accept: str | None) -> bool:
    """Whether a client (a browser) ranks HTML above the JSON error body."""
    return web_conneg.prefers_html(accept, ["application/json"])
