"""The query page at ``/query``; the endpoint sends browsers that open ``/sparql`` here.

The editor is the vendored YASGUI (installed by ``scripts/install-ui-assets``, never a CDN). Its
configuration (endpoint, prefixes, the catalogue's queries as examples) is embedded as a JSON
data block that ``static/query.js`` reads, so no inline script is needed under the CSP.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.errors import RcmGraphError
from rcm_graph.model.vocab import ONTOLOGY_IRI, PREFIXES
from rcm_graph.web.ui.rendering import STATIC_DIR, render
from rcm_graph.web.ui.state import UiState

DEFAULT_QUERY = """PREFIX rcm: <https://w3id.org/rcm-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?meeting ?label ?start WHERE {
  ?meeting a rcm:Meeting .
  OPTIONAL { ?meeting rdfs:label ?label }
  OPTIONAL { ?meeting rcm:startDate ?start }
}
ORDER BY ?start
LIMIT 100
"""


def assets_installed() -> bool:
    vendor = STATIC_DIR / "vendor" / "yasgui"
    return (vendor / "yasgui.min.js").is_file() and (vendor / "yasgui.min.css").is_file()


def examples(ui: UiState) -> tuple[list[dict[str, object]], str | None]:
    """The catalogue's queries with their defaults bound, for the example buttons; with their
    parameters (the page's form) and unbound body (to recognise a pasted catalogue query)."""
    try:
        catalogue = ui.context.catalogue()
    except (RcmGraphError, ImportError) as exc:
        return [], str(exc)
    out: list[dict[str, object]] = []
    for named in catalogue:
        try:
            text = named.bind({})
        except RcmGraphError:
            text = named.text
        out.append(
            {
                "name": named.name,
                "title": named.title or named.name,
                "description": named.description,
                "query": text,
                "body": named.body,
                "parameters": [p.as_json() for p in named.parameters],
            }
        )
    return out, None


def install_query_page(app: FastAPI, ui: UiState) -> None:
    @app.get("/query", include_in_schema=False)
    def query_page(request: Request) -> Response:
        """The SPARQL editor with the example queries."""
        found, problem = examples(ui)
        config = {
            "endpoint": "/sparql",
            "base": ui.base,
            "ontology": ONTOLOGY_IRI,
            "prefixes": {name: str(ns) for name, ns in PREFIXES.items()},
            # shown in result tables only: data IRIs as id:state/PAN rather than the full IRI
            "displayPrefixes": {"id": ui.base + "id/"},
            "examples": found,
            "defaultQuery": DEFAULT_QUERY,
        }
        return render(
            request,
            "query.html",
            {
                "examples": found,
                "catalogue_error": problem,
                "config": config,
                "assets_ok": assets_installed(),
                "endpoint": str(request.base_url).rstrip("/") + "/sparql",
                "max_rows": ui.context.settings.max_result_rows,
            },
            links=ui.links,
        )
