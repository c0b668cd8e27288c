"""Helpers of the endpoint tests: a small dataset whose answers are known exactly, a real
server on a free port, and parsers that read every response body as its Content-Type declares.

The dataset is published with :func:`rcm_graph.store.publish.publish_quads`, the layout a build
writes. Imported by name (``from endpoint_support import ...``), never as ``conftest``: with
several conftest files, ``import conftest`` gets whichever pytest loaded last.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pyoxigraph
import rdflib

from live_server import LiveServer, publish_trig
from rcm_graph.settings import Settings

EX = "https://w3id.org/rcm-graph/"
G_DOC = EX + "graph/document/declaration"
G_REF = EX + "graph/reference"

TRIG = f"""
@prefix rcm: <{EX}ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{G_REF}> {{
  <{EX}id/state/PAN> a rcm:State ; rdfs:label "Panama"@en, "Panamá"@es ; rcm:iso3166Alpha3 "PAN" .
  <{EX}id/state/MEX> a rcm:State ; rdfs:label "Mexico"@en, "México"@es ; rcm:iso3166Alpha3 "MEX" .
  <{EX}id/state/CRI> a rcm:State ; rdfs:label "Costa Rica"@en ; rcm:iso3166Alpha3 "CRI" .
}}

<{G_DOC}> {{
  <{EX}id/document/declaration> a rcm:Document ;
      dct:title "Declaración de la Conferencia Regional sobre Migración"@es ;
      rcm:reportsOn <{EX}id/meeting/2019-11-07-vice-ministerial-24> .
  <{EX}id/meeting/2019-11-07-vice-ministerial-24> a rcm:Meeting ;
      rdfs:label "XXIV Vice-Ministerial Meeting"@en ;
      rcm:startDate "2019-11-07"^^xsd:date ;
      rcm:inCountry <{EX}id/state/PAN> ; rcm:inCity "Panama City" ;
      rcm:hasParticipation <{EX}id/participation/declaration-1>,
                           <{EX}id/participation/declaration-2> .
  <{EX}id/participation/declaration-1> rcm:participant <{EX}id/state/PAN> .
  <{EX}id/participation/declaration-2> rcm:participant <{EX}id/state/MEX> .
  <{EX}id/state/PAN> a rcm:State .
}}
"""


def write_dataset(data_dir: Path, trig: str = TRIG) -> Path:
    """Publish a dataset from TriG text, in the layout a build writes."""
    return publish_trig(data_dir, trig)


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


Row = dict[str, str]


def _term_text(term: object) -> str:
    value = getattr(term, "value", None)
    return str(value if value is not None else term)


def parse_solutions(response: httpx.Response) -> tuple[list[str], list[Row]] | bool:
    """Parse a SELECT/ASK body in the format its Content-Type declares.

    Returns (variables, rows of lexical values) or the boolean of an ASK.
    """
    kind = media_type(response)
    body = response.content
    if kind == "application/sparql-results+json":
        data = json.loads(body)
        if "boolean" in data:
            return bool(data["boolean"])
        variables = data["head"]["vars"]
        return variables, [
            {k: v["value"] for k, v in binding.items()} for binding in data["results"]["bindings"]
        ]
    if kind in ("application/sparql-results+xml", "text/tab-separated-values"):
        fmt = (
            pyoxigraph.QueryResultsFormat.XML
            if kind.endswith("xml")
            else pyoxigraph.QueryResultsFormat.TSV
        )
        parsed = pyoxigraph.parse_query_results(body, format=fmt)
        if isinstance(parsed, pyoxigraph.QueryBoolean):
            return bool(parsed)
        variables = [v.value for v in parsed.variables]
        rows = []
        for solution in parsed:
            row = {}
            for var in variables:
                term = solution[var]
                if term is not None:
                    row[var] = _term_text(term)
            rows.append(row)
        return variables, rows
    if kind == "text/csv":
        text = body.decode("utf-8")
        if text.strip() in ("true", "false"):
            return text.strip() == "true"
        reader = list(csv.reader(io.StringIO(text)))
        variables = reader[0]
        return variables, [
            {k: v for k, v in zip(variables, line, strict=True) if v != ""} for line in reader[1:]
        ]
    raise AssertionError(f"not a SPARQL results type: {kind!r}")


RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}


def parse_graph(response: httpx.Response) -> rdflib.Graph:
    """Parse an RDF body as its Content-Type declares; quads must all be in the default graph."""
    kind = media_type(response)
    fmt = RDF_FORMATS.get(kind)
    assert fmt is not None, f"not an RDF type: {kind!r}"
    if fmt in ("trig", "nquads"):
        ds = rdflib.Dataset()
        ds.parse(data=response.content, format=fmt)
        named = [c for c in ds.contexts() if c.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID]
        assert all(len(c) == 0 for c in named), "CONSTRUCT results belong in the default graph"
        graph = rdflib.Graph()
        for triple in ds.default_context:
            graph.add(triple)
        return graph
    graph = rdflib.Graph()
    graph.parse(data=response.content, format=fmt)
    return graph


def error_of(response: httpx.Response) -> dict[str, object]:
    """The project's one error body shape, checked field by field."""
    assert media_type(response) == "application/json", response.text
    body = json.loads(response.content)
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "title", "detail", "where", "hint"}
    assert error["status"] == response.status_code
    assert isinstance(error["title"], str) and error["title"]
    assert isinstance(error["detail"], str) and error["detail"]
    return dict(error)


def start_server(data_dir: Path, **overrides: object) -> LiveServer:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "query_timeout_s": 4.0,
        "max_result_rows": 50,
        "max_request_bytes": 200_000,
        "query_workers": 2,
    }
    values.update(overrides)
    return LiveServer(Settings(**values)).start()  # type: ignore[arg-type]
