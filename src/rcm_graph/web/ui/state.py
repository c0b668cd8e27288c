"""What the UI routes share: the app context, the page store, the IRI-to-path links.

Also the two ways a UI route answers an error: the project's one JSON error shape for programs,
and the same fields as an HTML page for browsers.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.web.context import AppContext
from rcm_graph.web.errors import error_response
from rcm_graph.web.ui.conneg import prefers_html
from rcm_graph.web.ui.rendering import Links, render
from rcm_graph.web.ui.sparql_client import PageStore


@dataclass(frozen=True)
class UiState:
    context: AppContext
    store: PageStore
    links: Links

    @property
    def base(self) -> str:
        return self.links.base

    def inferred_graph(self) -> str:
        return self.base + "graph/inferred"


def ui_error(
    request: Request,
    ui: UiState,
    status: int,
    detail: str,
    *,
    hint: str | None = None,
    html: bool | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An error in the one shape: HTML for browsers, the JSON body for everyone else."""
    wants_html = prefers_html(request.headers.get("accept")) if html is None else html
    if not wants_html:
        return error_response(status, detail, where=request.url.path, hint=hint, headers=headers)
    return render(
        request,
        "error.html",
        {"status": status, "detail": detail, "hint": hint, "where": request.url.path},
        links=ui.links,
        status_code=status,
        headers=headers,
    )
