"""The home page: what the graph holds, where to start, and links for programs."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from rcm_graph.web.ui import page_queries as q
from rcm_graph.web.ui.conneg import HTML, RDF_FORMATS, negotiate
from rcm_graph.web.ui.rendering import render
from rcm_graph.web.ui.state import UiState


def install_home(app: FastAPI, ui: UiState) -> None:
    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        """HTML for browsers; RDF clients are sent to the dataset description (VoID)."""
        fmt = negotiate(request.headers.get("accept"), (HTML, *RDF_FORMATS))
        if fmt is not None and fmt is not HTML:
            return RedirectResponse(
                "/.well-known/void" + fmt.extension, status_code=303, headers={"Vary": "Accept"}
            )
        counts = ui.store.select(q.HOME_COUNTS)
        row = counts[0] if counts else {}
        stats = {
            name: int(row[name].value) if name in row else 0
            for name in ("documents", "meetings", "commitments", "states")
        }
        documents = [
            {
                "href": ui.links.local(r["doc"].value),
                "title": r["title"].value if "title" in r else r["doc"].value.rsplit("/", 1)[-1],
                "date": r["date"].value if "date" in r else "",
            }
            for r in ui.store.select(q.HOME_DOCUMENTS)
        ]
        return render(
            request,
            "home.html",
            {"stats": stats, "documents": documents, "sparql": q.HOME_DOCUMENTS},
            links=ui.links,
            headers={"Vary": "Accept"},
        )
