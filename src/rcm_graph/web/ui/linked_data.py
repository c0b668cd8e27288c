"""Dereferenceable IRIs: every ``{base}id/...`` answers at ``/id/...`` on this server.

Pattern (docs/linked-data.md): the IRI itself answers **200** with the representation chosen by
``Accept`` (HTML for browsers; Turtle, JSON-LD, N-Triples, RDF/XML for programs), ``Vary:
Accept``, ``Content-Location`` naming the format-specific document, and ``Link`` headers to the
alternates, the canonical IRI and the describing document. ``/id/....ttl`` (``.jsonld``, ``.nt``,
``.rdf``) is that document, fixed to one format. WHY 200 rather than a 303 to a document URL:
one round trip instead of two (w3id.org already adds one redirect), and the same answer for
clients that do not follow redirects; the IRI/document distinction is kept by the
``describedby`` and ``canonical`` links (the approach of the W3C "Cool URIs" note's hash-less
variant with content negotiation).
"""

from __future__ import annotations

from fastapi import FastAPI
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.model.vocab import PREFIXES, RCM
from rcm_graph.web.ui import page_queries as q
from rcm_graph.web.ui.conneg import (
    ALL_FORMATS,
    HTML,
    RDF_FORMATS,
    RdfFormat,
    negotiate,
    split_extension,
)
from rcm_graph.web.ui.document_view import fact_spans, parse_highlight, segments
from rcm_graph.web.ui.rendering import render
from rcm_graph.web.ui.resource_view import build_resource_view
from rcm_graph.web.ui.state import UiState, ui_error
from rcm_graph.web.ui.summary import build_sections


def link_header(path: str, iri: str, alternates: tuple[RdfFormat, ...] = ALL_FORMATS) -> str:
    """``Link`` header: each format's document, the canonical IRI, the describing document."""
    parts = [
        f'<{path}{"" if fmt is HTML else fmt.extension}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in alternates
    ]
    parts.append(f'<{iri}>; rel="canonical"')
    parts.append(f'<{path}.ttl>; rel="describedby"; type="text/turtle"')
    return ", ".join(parts)


def serialize(graph: Graph, fmt: RdfFormat) -> bytes:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    if fmt.rdflib_format == "json-ld":
        context = {p: str(ns) for p, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, encoding="utf-8")
    return graph.serialize(format=fmt.rdflib_format, encoding="utf-8")


def rdf_response(graph: Graph, fmt: RdfFormat, headers: dict[str, str]) -> Response:
    media = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    return Response(serialize(graph, fmt), media_type=media, headers=headers)


def negotiated(request: Request, offered: tuple[RdfFormat, ...]) -> RdfFormat | None:
    return negotiate(request.headers.get("accept"), offered)


def not_acceptable(request: Request, ui: UiState, offered: tuple[RdfFormat, ...]) -> Response:
    types = ", ".join(f.media_type for f in offered)
    return ui_error(
        request,
        ui,
        406,
        f"none of the accepted media types can be served here; available: {types}",
        hint="send Accept: text/turtle (or another listed type), or add .ttl/.jsonld/.nt/.rdf",
        html=False,
        headers={"Vary": "Accept"},
    )


def install_linked_data(app: FastAPI, ui: UiState) -> None:
    @app.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def resource(request: Request, path: str) -> Response:
        """A data resource of the graph, in the representation the client asks for."""
        return _resource(request, ui, path)


def _resource(request: Request, ui: UiState, path: str) -> Response:
    bare, fixed = split_extension(path)
    fmt = fixed or negotiated(request, ALL_FORMATS)
    if fmt is None:
        return not_acceptable(request, ui, ALL_FORMATS)
    iri = ui.base + "id/" + bare
    local = "/id/" + bare
    if not q.is_iri(iri) or not ui.store.ask(q.bind_iri(q.RESOURCE_EXISTS, iri)):
        return ui_error(
            request,
            ui,
            404,
            f"the graph has no resource <{iri}>",
            hint="browse from the home page, or look the IRI up with SPARQL at /query",
            html=fmt is HTML,
            headers={"Vary": "Accept"},
        )
    headers = {"Vary": "Accept", "Link": link_header(local, iri)}
    if fixed is None:
        headers["Content-Location"] = local + ("" if fmt is HTML else fmt.extension)
    if fmt is HTML:
        return _resource_page(request, ui, iri, headers)
    return rdf_response(ui.store.construct(q.bind_iri(q.RESOURCE_DESCRIPTION, iri)), fmt, headers)


def _resource_page(request: Request, ui: UiState, iri: str, headers: dict[str, str]) -> Response:
    view = build_resource_view(
        iri,
        ui.store.select(q.bind_iri(q.RESOURCE_OUTGOING, iri)),
        ui.store.select(q.bind_iri(q.RESOURCE_INCOMING, iri)),
        ui.store.select(q.bind_iri(q.RESOURCE_EVIDENCE, iri)),
        inferred_graph=ui.inferred_graph(),
    )
    context: dict[str, object] = {
        "view": view,
        "formats": RDF_FORMATS,
        "local_path": ui.links.local(iri),
        "describe_query": q.bind_iri(q.RESOURCE_OUTGOING, iri),
        "document": None,
        "sections": build_sections(
            iri, (t.term.value for t in view.types), ui.store.select, ui.links
        ),
    }
    if view.has_full_text:
        context["document"] = _document(request, ui, iri)
    template = "document.html" if context["document"] else "resource.html"
    return render(request, template, context, links=ui.links, headers=headers)


def _document(request: Request, ui: UiState, iri: str) -> dict[str, object] | None:
    rows = ui.store.select(q.bind_iri(q.DOCUMENT_TEXT, iri))
    if not rows or "text" not in rows[0]:
        return None
    text = rows[0]["text"].value
    spans = fact_spans(ui.store.select(q.bind_iri(q.DOCUMENT_FACTS, iri)), len(text))
    highlight = parse_highlight(request.query_params.get("highlight"))
    return {
        "spans": spans,
        "segments": segments(text, spans, highlight),
        "highlight": highlight,
        "length": len(text),
        "facts_query": q.bind_iri(q.DOCUMENT_FACTS, iri),
        "rcm": str(RCM),
    }
