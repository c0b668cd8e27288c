"""Browse pages for readers who do not write SPARQL: meetings, states, objectives, commitments.

Each page runs one query of :mod:`page_queries`, shows the result as a table (and a chart where
it helps) and links to that query in the editor. Programs asking the same URL for
``application/sparql-results+json`` or ``text/csv`` get the query's results instead of HTML;
``?format=csv`` / ``?format=json`` (or ``/browse/meetings.csv``, ``.json``) give the same
results to a plain link, which is what the pages' "CSV · JSON" links use (issue 19: a
researcher clicking a link cannot set an Accept header).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.model.formats import SPARQL_CSV, SPARQL_JSON
from rcm_graph.query.contract import QueryRequest
from rcm_graph.web.ui import page_queries as q
from rcm_graph.web.ui.charts import bar_chart, timeline
from rcm_graph.web.ui.conneg import HTML, RdfFormat, negotiate
from rcm_graph.web.ui.i18n import merge_vary
from rcm_graph.web.ui.rendering import render
from rcm_graph.web.ui.sparql_client import Row
from rcm_graph.web.ui.state import UiState, ui_error

RESULTS_JSON = RdfFormat("json", SPARQL_JSON, ".srj", "", "SPARQL JSON")
RESULTS_CSV = RdfFormat("csv", SPARQL_CSV, ".csv", "", "CSV")
PAGE_FORMATS = (HTML, RESULTS_JSON, RESULTS_CSV)
# ``?format=`` values and file extensions of the browse pages' data.
DATA_FORMATS = {"json": RESULTS_JSON, "csv": RESULTS_CSV}


def _s(row: Row, name: str) -> str:
    term = row.get(name)
    return term.value if term is not None else ""


def _int(row: Row, name: str) -> int:
    try:
        return int(_s(row, name) or 0)
    except ValueError:
        return 0


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


def page_or_results(
    request: Request,
    ui: UiState,
    sparql: str,
    page: Callable[[list[Row]], Response],
    fixed: RdfFormat | None = None,
) -> Response:
    """HTML for browsers; the page query's own results for programs (JSON or CSV).

    ``fixed`` (from ``?format=`` or the extension) wins over ``Accept``."""
    fmt = fixed or negotiate(request.headers.get("accept"), PAGE_FORMATS)
    headers = {"Vary": "Accept"}
    if fmt is None:
        return ui_error(
            request,
            ui,
            406,
            f"this page is available as text/html, {SPARQL_JSON} or {SPARQL_CSV}",
            hint="or add ?format=csv or ?format=json to the URL",
            html=False,
            headers=headers,
        )
    if fmt is HTML:
        response = page(ui.store.select(sparql))
        response.headers["Vary"] = merge_vary(response.headers.get("Vary"), "Accept")
        return response
    outcome = ui.context.backend.query(
        QueryRequest(
            sparql,
            accept_format=fmt.media_type,
            timeout_s=ui.context.settings.query_timeout_s,
            max_rows=ui.context.settings.max_result_rows,
        ),
    )
    if fixed is not None:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1].split(".")[0]
        headers["Content-Disposition"] = f'inline; filename="rcm-{name}.{fmt.key}"'
    return Response(outcome.body, media_type=outcome.media_type, headers=headers)


def meetings_page(request: Request, ui: UiState, rows: list[Row]) -> Response:
    meetings = []
    dated = []
    for r in rows:
        start = _date(_s(r, "start"))
        label = _s(r, "label") or _s(r, "meeting").rsplit("/", 1)[-1]
        planned = _s(r, "planned") in ("true", "1")
        href = ui.links.local(_s(r, "meeting"))
        meetings.append(
            {
                "label": label,
                "href": href,
                "when": start.isoformat() if start else (_s(r, "dateText") or "undated"),
                "planned": planned,
                "type": _s(r, "typeLabel"),
                "type_iri": _s(r, "type"),
                "city": _s(r, "city"),
                "country": _s(r, "countryLabel"),
                "country_iri": _s(r, "country"),
                "documents": _int(r, "documents"),
                "participants": _int(r, "participants"),
            }
        )
        if start:
            dated.append((start, label, href, planned))
    meetings.sort(key=lambda m: (str(m["when"]) == "undated", str(m["when"]), str(m["label"])))
    return render(
        request,
        "browse_meetings.html",
        {"meetings": meetings, "chart": timeline(dated), "sparql": q.BROWSE_MEETINGS},
        links=ui.links,
    )


def states_page(request: Request, ui: UiState, rows: list[Row]) -> Response:
    states = [
        {
            "label": _s(r, "label") or _s(r, "state").rsplit("/", 1)[-1],
            "label_es": _s(r, "labelEs"),
            "iso3": _s(r, "iso3"),
            "href": ui.links.local(_s(r, "state")),
            "statuses": _s(r, "statuses"),
            "statuses_es": _s(r, "statusesEs"),
            "meetings": _int(r, "meetings"),
            "commitments": _int(r, "commitments"),
        }
        for r in rows
    ]
    active = [s for s in states if s["meetings"]]
    chart = bar_chart([(str(s["label"]), int(str(s["meetings"])), str(s["href"])) for s in active])
    return render(
        request,
        "browse_states.html",
        {"states": states, "chart": chart, "sparql": q.BROWSE_STATES},
        links=ui.links,
    )


def objectives_page(request: Request, ui: UiState, rows: list[Row]) -> Response:
    objectives = [
        {
            "number": _s(r, "number"),
            "label": _s(r, "label"),
            "href": ui.links.local(_s(r, "objective")),
            "documents": _int(r, "documents"),
            "commitments": _int(r, "commitments"),
        }
        for r in rows
    ]
    chart = bar_chart(
        [
            (f"{o['number']}. {o['label']}", int(str(o["documents"])), str(o["href"]))
            for o in objectives
        ],
        label_width=420,
    )
    return render(
        request,
        "browse_objectives.html",
        {"objectives": objectives, "chart": chart, "sparql": q.BROWSE_OBJECTIVES},
        links=ui.links,
    )


def commitments_page(request: Request, ui: UiState, rows: list[Row]) -> Response:
    by_iri: dict[str, dict[str, object]] = {}
    for r in rows:
        iri = _s(r, "commitment")
        entry = by_iri.setdefault(
            iri,
            {
                "href": ui.links.local(iri),
                "text": _s(r, "text"),
                "type": _s(r, "typeLabel"),
                "type_href": _s(r, "type"),
                "due": _s(r, "due"),
                "doc_href": ui.links.local(_s(r, "doc")) if _s(r, "doc") else "",
                "doc_title": _s(r, "docTitle") or _s(r, "doc").rsplit("/", 1)[-1],
                "actors": {},
                "objectives": {},
            },
        )
        if _s(r, "actor"):
            actors = entry["actors"]
            assert isinstance(actors, dict)
            actors[ui.links.local(_s(r, "actor"))] = _s(r, "actorLabel") or _s(r, "actor")
        if _s(r, "objective"):
            objectives = entry["objectives"]
            assert isinstance(objectives, dict)
            objectives[ui.links.local(_s(r, "objective"))] = _s(r, "objectiveNumber")
    return render(
        request,
        "browse_commitments.html",
        {"commitments": list(by_iri.values()), "sparql": q.BROWSE_COMMITMENTS},
        links=ui.links,
    )


PAGES: dict[str, tuple[str, Callable[[Request, UiState, list[Row]], Response]]] = {
    "meetings": (q.BROWSE_MEETINGS, meetings_page),
    "states": (q.BROWSE_STATES, states_page),
    "objectives": (q.BROWSE_OBJECTIVES, objectives_page),
    "commitments": (q.BROWSE_COMMITMENTS, commitments_page),
}


def install_browse(app: FastAPI, ui: UiState) -> None:
    @app.get("/browse/{page}", include_in_schema=False)
    def browse(request: Request, page: str) -> Response:
        """One of the browse pages (meetings, states, objectives, commitments)."""
        page, _, extension = page.partition(".")
        wanted = extension or request.query_params.get("format", "")
        fixed = DATA_FORMATS.get(wanted.lower()) if wanted else None
        if page not in PAGES:
            return ui_error(
                request,
                ui,
                404,
                f"there is no browse page {page!r}",
                hint="pages: " + ", ".join(f"/browse/{name}" for name in PAGES),
            )
        if wanted and fixed is None:
            return ui_error(
                request,
                ui,
                404 if extension else 400,
                f"the browse pages' data is not available as {wanted!r}",
                hint=f"use /browse/{page}?format=csv or /browse/{page}?format=json",
            )
        sparql, view = PAGES[page]
        return page_or_results(request, ui, sparql, lambda rows: view(request, ui, rows), fixed)
