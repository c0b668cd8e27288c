"""What every write route shares: the bearer-token check and the answer to a published write.

WHY one place: SPARQL Update on ``/sparql`` and the write side of ``/graph-store`` must refuse
in exactly the same way. Writes are off unless ``write_token`` is set (403); with it set, a
request must carry ``Authorization: Bearer <token>``, compared in constant time on bytes
(``hmac.compare_digest``), or it gets 401 with a ``WWW-Authenticate: Bearer`` challenge. With a
remote backend writes are refused (403): the remote store is loaded from builds
(``rcm-graph build --target``), and a write forwarded past the journal would be lost at the
next load.
"""

from __future__ import annotations

import hmac
import json

from fastapi import Request
from starlette.responses import Response

from rcm_graph.settings import Settings
from rcm_graph.web.context import AppContext
from rcm_graph.web.errors import HTTPProblem
from rcm_graph.writes.writer import WriteOutcome, Writer

REALM = 'Bearer realm="rcm-graph"'


def writes_enabled(settings: Settings) -> bool:
    """Whether this server accepts writes at all (a token is set, no remote store)."""
    return settings.write_token is not None and not settings.remote_endpoint


def authorise(context: AppContext, request: Request) -> None:
    """Raise 403 when writes are off, 401 when the bearer token is missing or wrong."""
    settings = context.settings
    expected = settings.write_token
    if expected is None:
        raise HTTPProblem(
            403,
            "writes are not allowed: this endpoint is read-only",
            hint="the server enables writes only when RCM_GRAPH_WRITE_TOKEN is set; otherwise "
            "rebuild the dataset with `rcm-graph build` to change it",
        )
    if settings.remote_endpoint:
        raise HTTPProblem(
            403,
            "writes are not accepted in front of a remote SPARQL store",
            hint="change the data with `rcm-graph build --target` (docs/writing.md)",
        )
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    given = credentials.strip().encode("utf-8")
    if scheme.lower() != "bearer" or not given:
        raise HTTPProblem(
            401,
            "this write needs the write token",
            where="Authorization",
            hint="send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": REALM},
        )
    if not hmac.compare_digest(given, expected.encode("utf-8")):
        raise HTTPProblem(
            401,
            "the write token is not valid",
            where="Authorization",
            hint="send Authorization: Bearer <token> with the server's write token",
            headers={"WWW-Authenticate": REALM + ', error="invalid_token"'},
        )


def written(context: AppContext, outcome: WriteOutcome, *, status: int = 200) -> Response:
    """The answer to a published write: what changed and which build now serves it."""
    context.forget_graphs()
    body = {
        "seq": outcome.seq,
        "build_id": outcome.build_id,
        "derived_from": outcome.derived_from,
        "added": outcome.added,
        "removed": outcome.removed,
        "elapsed_ms": round(outcome.elapsed_s * 1000, 1),
    }
    if status == 204:
        return Response(status_code=204, headers={"X-RCM-Build": outcome.build_id})
    return Response(
        json.dumps(body),
        status_code=status,
        media_type="application/json",
        headers={"X-RCM-Build": outcome.build_id},
    )


def writer_for(context: AppContext) -> Writer:
    return Writer(context.settings.data_dir, context.settings.base_iri)


__all__ = ["authorise", "writer_for", "writes_enabled", "written"]
