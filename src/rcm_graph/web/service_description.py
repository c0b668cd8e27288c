"""The SPARQL 1.1 Service Description, answered on ``GET /sparql`` without a query.

WHY: clients such as Comunica introspect an endpoint before querying it; Fuseki and QLever
answer 404 here. The description names the endpoint as the client reached it (so it is right
behind a proxy), the result formats, the features, and the default dataset with its named
graphs and their sizes from the build manifest. A browser (Accept: text/html) gets the UI.

When writes are on (a write token, no remote store) the service also names
``sd:SPARQL11Update``. The Graph Store Protocol endpoint (``/graph-store``) has no term of its
own in the Service Description vocabulary; it is announced as ``rdfs:seeAlso`` of the service,
a resource that ``dcterms:conformsTo`` the Graph Store Protocol recommendation.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import Request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from starlette.responses import HTMLResponse, RedirectResponse, Response

from rcm_graph.errors import DatasetError
from rcm_graph.model.formats import JSON_LD, N_QUADS, N_TRIPLES, RDF_XML, TRIG, TURTLE
from rcm_graph.web import conneg
from rcm_graph.web.context import AppContext
from rcm_graph.web.errors import HTTPProblem
from rcm_graph.web.writes import writes_enabled

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
GRAPH_STORE_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-http-rdf-update/")

# Offered description formats, first = default for */*.
OFFERED = (TURTLE, RDF_XML, N_TRIPLES, JSON_LD, TRIG, N_QUADS)
_RDFLIB_FORMAT = {
    TURTLE: "turtle",
    RDF_XML: "xml",
    N_TRIPLES: "nt",
    JSON_LD: "json-ld",
    TRIG: "trig",
    N_QUADS: "nquads",
}
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "TriG",
    "N-Quads",
)

# Served only when the UI package is not installed: a plain form, so a browser is never stuck.
_FALLBACK_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rcm-graph SPARQL endpoint</title></head>
<body><h1>rcm-graph SPARQL endpoint</h1>
<form method="get" action="/sparql">
<p><label for="query">SPARQL query</label></p>
<p><textarea id="query" name="query" rows="12" cols="80">
SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea></p>
<p><label for="format">Format</label> <select id="format" name="format">
<option value="json">JSON</option><option value="xml">XML</option>
<option value="csv">CSV</option><option value="tsv">TSV</option></select>
<button type="submit">Run</button></p></form></body></html>
"""

_cache: dict[tuple[str, str, str, bool, tuple[str, ...]], bytes] = {}
_cache_lock = threading.Lock()


def _graph_size(manifest: dict[str, Any], iri: str) -> int | None:
    entry = manifest.get("graphs", {}).get(iri)
    if isinstance(entry, dict):
        for key in ("triples", "quads", "size"):
            if isinstance(entry.get(key), int):
                return int(entry[key])
    if isinstance(entry, int):
        return entry
    return None


def describe(
    endpoint: str,
    graph_iris: list[str],
    manifest: dict[str, Any],
    base_iri: str,
    *,
    max_rows: int = 0,
    timeout_s: float = 0.0,
    writable: bool = False,
    graph_store: str | None = None,
    service_allowlist: tuple[str, ...] = (),
) -> Graph:
    """The description as an RDF graph (one ``sd:Service`` node, named by the endpoint URL)."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if writable:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    if graph_store:
        store = URIRef(graph_store)
        g.add((service, RDFS.seeAlso, store))
        g.add((store, DCTERMS.conformsTo, GRAPH_STORE_PROTOCOL))
        g.add(
            (
                store,
                DCTERMS.description,
                Literal(
                    "SPARQL 1.1 Graph Store HTTP Protocol (?graph=<iri> or ?default): GET and "
                    "HEAD for everyone"
                    + (
                        "; PUT, POST and DELETE with the write token (Authorization: Bearer)."
                        if writable
                        else "; writes are off."
                    ),
                    lang="en",
                ),
            )
        )
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    g.add(
        (service, DCTERMS.title, Literal("rcm-graph: Regional Conference on Migration", lang="en"))
    )
    g.add(
        (
            service,
            DCTERMS.description,
            Literal(
                (
                    "SPARQL 1.1 endpoint; updates need the write token (Authorization: Bearer) "
                    "and each one publishes a new build. "
                    if writable
                    else "Read-only SPARQL 1.1 endpoint. "
                )
                + "The default graph is the union of all named graphs. "
                f"Relative IRIs in queries resolve against {base_iri}. "
                + (
                    "SERVICE is allowed only to " + ", ".join(service_allowlist) + "; LOAD and "
                    if service_allowlist
                    else "SERVICE, LOAD, "
                )
                + ("" if writable else "updates and ")
                + "graphs outside the dataset are refused. "
                f"Queries stop after {timeout_s:g} s (a `timeout` "
                f"parameter may ask for less); results stop at {max_rows} rows, announced by the "
                "X-RCM-Truncated header and, in SPARQL JSON, a top-level `warnings` member.",
                lang="en",
            ),
        )
    )
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode("defaultGraph")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    total = 0
    for iri in graph_iris:
        named = BNode()
        graph = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        size = _graph_size(manifest, iri)
        if size is not None:
            total += size
            g.add((graph, VOID.triples, Literal(size, datatype=XSD.integer)))
    if total:
        g.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    if "build_id" in manifest:
        g.add((dataset, DCTERMS.identifier, Literal(str(manifest["build_id"]))))
    return g


def respond(context: AppContext, request: Request) -> Response:
    """The description in the negotiated RDF format, or the UI for a browser."""
    accept = request.headers.get("accept")
    fmt = request.query_params.get("format")
    if not fmt and conneg.prefers_html(accept, OFFERED):
        for route in request.app.routes:
            if getattr(route, "path", None) == "/query":
                return RedirectResponse("/query", status_code=303)
        return HTMLResponse(_FALLBACK_FORM)
    if fmt:
        media_type = conneg.from_format_param(fmt, graph=True)
        if media_type not in OFFERED:
            raise HTTPProblem(
                400,
                f"format {fmt!r} is not available for the service description",
                where="format",
                hint="available: " + ", ".join(OFFERED),
            )
    else:
        media_type = conneg.negotiate(accept, OFFERED, graph=True)
    if media_type is None:
        raise HTTPProblem(
            406,
            f"no acceptable format for the service description (Accept: {accept})",
            hint="acceptable: " + ", ".join(OFFERED),
        )
    endpoint = str(request.url.replace(query="", fragment=""))
    try:
        dataset = context.dataset()
        manifest, graphs = dataset.manifest, dataset.graph_iris()
        build = dataset.build_id
    except DatasetError:
        manifest, graphs, build = {}, [], ""
    settings = context.settings
    writable = writes_enabled(settings)
    graph_store = endpoint.rsplit("/", 1)[0] + "/graph-store"
    key = (endpoint, build, media_type, writable, settings.service_allowlist)
    with _cache_lock:
        body = _cache.get(key)
    if body is None:
        graph = describe(
            endpoint,
            graphs,
            manifest,
            settings.base_iri,
            max_rows=settings.max_result_rows,
            timeout_s=settings.query_timeout_s,
            writable=writable,
            graph_store=graph_store,
            service_allowlist=settings.service_allowlist,
        )
        body = graph.serialize(format=_RDFLIB_FORMAT[media_type], encoding="utf-8")
        with _cache_lock:
            if len(_cache) > 64:
                _cache.clear()
            _cache[key] = body
    return Response(body, media_type=f"{media_type}; charset=utf-8", headers={"Vary": "Accept"})
