"""Pieces of the OpenAPI description that several routes share (the one error body shape).

WHY: routes that read the raw request (the SPARQL protocol, the graph store) declare their
parameters, bodies and responses by hand; the error responses must be described the same way
everywhere, as :mod:`rcm_graph.web.errors` produces them.
"""

from __future__ import annotations

from typing import Any

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "title", "detail", "where", "hint"],
            "properties": {
                "status": {"type": "integer"},
                "title": {"type": "string"},
                "detail": {"type": "string"},
                "where": {"type": ["string", "null"]},
                "hint": {"type": ["string", "null"]},
            },
        }
    },
}
ERROR_CONTENT: dict[str, Any] = {"application/json": {"schema": _ERROR_SCHEMA}}


def errors(*codes: int) -> dict[str, Any]:
    """OpenAPI ``responses`` entries for these error statuses, in the one error shape."""
    text = {
        400: "Malformed request, query, update or body (the detail names the position)",
        401: "Missing or invalid write token (WWW-Authenticate: Bearer)",
        403: "Refused by policy (writes off, SERVICE/LOAD/file: IRIs)",
        404: "No such graph",
        406: "No acceptable result format",
        413: "Request body too large",
        415: "Unsupported Content-Type",
        503: "Time limit reached, or no dataset to serve",
    }
    return {str(c): {"description": text[c], "content": ERROR_CONTENT} for c in codes}


__all__ = ["ERROR_CONTENT", "errors"]
