"""``GET /health``: is the dataset there and can a query be answered right now?

Load balancers and ``docker`` health checks poll it, so it runs the cheapest possible query
(``ASK {}``) through the same backend as ``/sparql`` with a short time limit. When the
backend cannot serve the dataset (a checksum mismatch, workers that cannot load it) the
answer is 503 with the reason and the command that fixes it.
"""

from __future__ import annotations

import json

from fastapi import APIRouter
from starlette.responses import Response

from rcm_graph.errors import RcmGraphError
from rcm_graph.model.formats import SPARQL_JSON
from rcm_graph.query.contract import QueryRequest
from rcm_graph.web.context import AppContext
from rcm_graph.web.errors import error_response

HEALTH_TIMEOUT_S = 5.0


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()

    def health() -> Response:
        report: dict[str, object] = {"status": "ok"}
        try:
            dataset = context.dataset()
            report["build_id"] = dataset.build_id
            report["graphs"] = len(dataset.graph_iris())
            outcome = context.backend.query(
                QueryRequest(
                    "ASK {}", accept_format=SPARQL_JSON, timeout_s=HEALTH_TIMEOUT_S, max_rows=1
                )
            )
            report["query_ms"] = round(outcome.elapsed_s * 1000, 2)
            status = getattr(context.backend, "status", None)
            if callable(status):  # the local pool: workers, long-query slots, result cache
                report["pool"] = status()
            if context.response_cache.max_bytes:
                report["response_cache"] = context.response_cache.stats()
        except RcmGraphError as exc:
            return error_response(503, f"not ready: {exc.what}", where=exc.where, hint=exc.hint)
        return Response(json.dumps(report), media_type="application/json")

    # GET and HEAD as two operations: one route with both methods gives both one operation id.
    for method in ("GET", "HEAD"):
        routes.add_api_route(
            "/health",
            health,
            methods=[method],
            name="health",
            operation_id=f"health_{method.lower()}",
            summary="Is the dataset there and can a query be answered now?",
        )
    return routes
