"""The dataset description (VoID + DCAT) at ``/.well-known/void``.

The build writes the description into the ``meta`` graph (counts, licence, modification date).
What only the running server knows is added here: where its SPARQL endpoint and its dump files
are. When the build wrote no description, a minimal one is made from live counts, so consumers
always find the licence, the endpoint and the dumps.
"""

from __future__ import annotations

from fastapi import FastAPI
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID, XSD
from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.errors import RcmGraphError
from rcm_graph.model.vocab import ONTOLOGY_IRI, PREFIXES
from rcm_graph.store.void import media_type_iri
from rcm_graph.web.ui import page_queries as q
from rcm_graph.web.ui.conneg import ALL_FORMATS, HTML, RDF_FORMATS, negotiate, split_extension
from rcm_graph.web.ui.downloads import media_type_of
from rcm_graph.web.ui.linked_data import link_header, not_acceptable, rdf_response, serialize
from rcm_graph.web.ui.rendering import DATA_LICENCE_URL, render
from rcm_graph.web.ui.state import UiState

SPDX_CHECKSUM = URIRef("http://spdx.org/rdf/terms#checksumValue")


def _distribution(graph: Graph, name: str) -> URIRef | None:
    """The distribution the build described for the file ``name`` (by its dcterms:title)."""
    for node in graph.subjects(DCTERMS.title, Literal(name)):
        if isinstance(node, URIRef) and (node, RDF.type, DCAT.Distribution) in graph:
            return node
    return None


def void_graph(request: Request, ui: UiState) -> Graph:
    """The meta graph of the build plus this server's endpoint and dump URLs."""
    graph = ui.store.construct(q.bind_iri(q.META_GRAPH, ui.base + "graph/meta"))
    dataset = URIRef(ui.base + "dataset")
    origin = str(request.base_url).rstrip("/")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(origin + "/sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(ui.base + "id/")))
    graph.add((dataset, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))  # as the build states it
    if (dataset, DCTERMS.license, None) not in graph:
        graph.add((dataset, DCTERMS.license, URIRef(DATA_LICENCE_URL)))
    if (dataset, DCTERMS.title, None) not in graph:
        graph.add((dataset, DCTERMS.title, Literal("RCM knowledge graph", lang="en")))
    if (dataset, VOID.triples, None) not in graph:
        rows = ui.store.select(q.TRIPLE_COUNT)
        if rows and "triples" in rows[0]:
            graph.add((dataset, VOID.triples, Literal(int(rows[0]["triples"].value))))
    try:
        files = ui.context.dataset().manifest.get("files", {})
    except RcmGraphError:
        files = {}
    for name, entry in sorted(files.items()):
        url = URIRef(f"{origin}/downloads/{name}")
        graph.add((dataset, VOID.dataDump, url))
        dist = _distribution(graph, name) or URIRef(f"{origin}/downloads/{name}#distribution")
        graph.add((dataset, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCAT.downloadURL, url))
        if (dist, DCAT.mediaType, None) not in graph:
            graph.add((dist, DCAT.mediaType, media_type_iri(media_type_of(name))))
        if "bytes" in entry and (dist, DCAT.byteSize, None) not in graph:
            graph.add(
                (dist, DCAT.byteSize, Literal(int(entry["bytes"]), datatype=XSD.nonNegativeInteger))
            )
        if "sha256" in entry and (dist, SPDX_CHECKSUM, None) not in graph:
            graph.add((dist, SPDX_CHECKSUM, Literal(entry["sha256"])))
        if (dist, DCTERMS.license, None) not in graph:
            graph.add((dist, DCTERMS.license, URIRef(DATA_LICENCE_URL)))
    return graph


def _stated(graph: Graph, dataset: URIRef) -> int | None:
    value = graph.value(dataset, VOID.triples)
    return int(value.toPython()) if isinstance(value, Literal) else None


def install_void(app: FastAPI, ui: UiState) -> None:
    @app.api_route(
        "/.well-known/void{suffix:path}", methods=["GET", "HEAD"], include_in_schema=False
    )
    def void(request: Request, suffix: str) -> Response:
        """VoID/DCAT description: Turtle by default for programs, HTML for browsers."""
        bare, fixed = split_extension("void" + suffix)
        if bare != "void":
            return not_acceptable(request, ui, ALL_FORMATS)
        accept = request.headers.get("accept")
        offered = (*RDF_FORMATS, HTML) if not accept or accept.strip() == "*/*" else ALL_FORMATS
        fmt = fixed or negotiate(accept, offered)
        if fmt is None:
            return not_acceptable(request, ui, ALL_FORMATS)
        headers = {"Vary": "Accept", "Link": link_header("/.well-known/void", ui.base + "dataset")}
        graph = void_graph(request, ui)
        if fmt is not HTML:
            return rdf_response(graph, fmt, headers)
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        return render(
            request,
            "void.html",
            {
                "turtle": serialize(graph, RDF_FORMATS[0]).decode("utf-8"),
                "formats": RDF_FORMATS,
                "triples": _stated(graph, URIRef(ui.base + "dataset")),
                "description_triples": len(graph),
            },
            links=ui.links,
            headers=headers,
        )
