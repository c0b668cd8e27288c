"""Names for IRIs: ``/labels`` (the labels of given IRIs) and ``/search`` (find a thing by name).

WHY: result tables show IRIs such as ``id/state/MEX``; researchers expect the name beside them
(as the Wikidata Query Service's label service gives) and a box that finds a state, an
organization, a meeting, a person or a GCM objective by its English or Spanish name.

Both answer from the data through the app's query backend, with the endpoint's time limit and a
row cap, exactly like any page query (read-only; the IRIs a caller sends are checked and written
as IRI terms, never pasted as text). What they find is kept per build: the backend's
``answer_token()`` names the build being served, so a rebuild is seen at once; a backend without
one (a remote store) keeps answers for :data:`REMOTE_TTL_S`.

Search folds case and accents ("mexico" finds "México", "EST" finds "Estados Unidos"), finds an
organization by its acronym as well as its name ("OIM"), and ranks a match at the start of a name
before one at the start of a word before one inside a word.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from rcm_graph.model.formats import SPARQL_JSON
from rcm_graph.query.contract import QueryBackend, QueryRequest
from rcm_graph.web.errors import HTTPProblem
from rcm_graph.web.ui.conneg import prefers_html
from rcm_graph.web.ui.page_queries import is_iri, with_prefixes
from rcm_graph.web.ui.rendering import render
from rcm_graph.web.ui.sparql_client import parse_select
from rcm_graph.web.ui.state import UiState

log = logging.getLogger("rcm_graph.web")

SEARCH_KINDS = {
    "state": "state",
    "org": "organization",
    "meeting": "meeting",
    "person": "person",
    "objective": "GCM objective",
    "series": "meeting series",
}
"""First path segment after ``id/`` → what the thing is; only these kinds are searched."""

MAX_IRIS = 500
"""IRIs per ``/labels`` request: a result page of the query editor has at most this many."""
MAX_QUERY_CHARS = 100
SEARCH_LIMIT = 10
MAX_SEARCH_LIMIT = 50
INDEX_MAX_ROWS = 50_000
"""Row cap of the query that reads every searchable label (the bundled corpus has a few
thousand), lowered to the server's ``max_result_rows``; a dataset with more is searched over
the first rows, and the log says so."""
REMOTE_TTL_S = 300.0
LABEL_CACHE_SIZE = 20_000

LABELS_OF = """
SELECT ?s ?l WHERE {
  VALUES ?s { %s }
  ?s rdfs:label|skos:prefLabel|dcterms:title ?l .
  FILTER(isLiteral(?l))
}
"""

# An organization is found by its acronym too ("OIM", "IOM"), shown as its name followed by the
# acronym in that language: "Organización Internacional para las Migraciones (OIM)". Reasoning
# makes each rcm:acronym an skos:altLabel as well; that bare "OIM" is left out, or it would be
# the best match and the suggestion would read "OIM" alone.
SEARCHABLE_LABELS = """
SELECT DISTINCT ?s ?l WHERE {
  { ?s rdfs:label|skos:prefLabel|skos:altLabel ?l FILTER NOT EXISTS { ?s rcm:acronym ?l } }
  UNION
  { ?s rcm:acronym ?acronym ; rdfs:label ?name
    FILTER(isLiteral(?acronym) && isLiteral(?name) && lang(?name) = lang(?acronym))
    BIND(CONCAT(?name, " (", ?acronym, ")") AS ?both)
    BIND(IF(lang(?name) = "", ?both, STRLANG(?both, lang(?name))) AS ?l) }
  FILTER(isIRI(?s) && isLiteral(?l) && (%s))
}
"""


def _valid_iri(value: str) -> bool:
    """Whether ``value`` is an IRI the engine accepts (others are skipped, not an error)."""
    if not is_iri(value):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def fold(text: str) -> str:
    """Lower case without accents: what search compares (``"Méx"`` → ``"mex"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Hit:
    """One search result: the thing, the name that matched and how well."""

    iri: str
    kind: str
    label: str
    lang: str
    rank: tuple[int, int, str]


@dataclass(frozen=True)
class _Entry:
    iri: str
    kind: str
    label: str
    lang: str
    folded: str


def _rank(entry: _Entry, needle: str) -> tuple[int, int, str] | None:
    at = entry.folded.find(needle)
    if at < 0:
        return None
    if at == 0:
        score = 0
    elif not entry.folded[at - 1].isalnum():
        score = 1
    else:
        score = 2
    return (score, len(entry.label), entry.folded)


class LabelService:
    """Labels of IRIs and search over names, read from the data through the query backend."""

    def __init__(
        self, backend: QueryBackend, base: str, *, timeout_s: float, max_rows: int, index_cap: int
    ) -> None:
        self._backend = backend
        self._base = base
        self._timeout_s = timeout_s
        self._max_rows = max_rows
        self._index_cap = index_cap
        token_of = getattr(backend, "answer_token", None)
        self._token_of: Callable[[], str | None] | None = token_of if callable(token_of) else None
        self._lock = threading.Lock()
        self._labels: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._index: list[_Entry] | None = None
        self._seen: tuple[str | None, float] = (None, 0.0)

    # -- the cache follows the build being served --------------------------------------------

    def _fresh(self) -> None:
        token = self._token_of() if self._token_of else None
        now = time.monotonic()
        with self._lock:
            seen_token, seen_at = self._seen
            stale = (
                token != seen_token
                if self._token_of
                else now - seen_at > REMOTE_TTL_S or seen_token is None
            )
            if stale:
                self._labels.clear()
                self._index = None
                self._seen = (token if self._token_of else "remote", now)

    def _select(self, sparql: str, max_rows: int) -> list[dict[str, str]]:
        outcome = self._backend.query(
            QueryRequest(
                with_prefixes(sparql, ("rdfs", "skos", "dcterms", "rcm")),
                accept_format=SPARQL_JSON,
                timeout_s=self._timeout_s,
                max_rows=max_rows,
            )
        )
        if outcome.truncated:
            log.warning(
                "names: a label query was cut at %d rows (max_result_rows); search and labels "
                "see only the first ones",
                max_rows,
            )
        return [
            {name: term.value for name, term in row.items()} | {"lang": row["l"].lang or ""}
            for row in parse_select(outcome.body)
            if "l" in row
        ]

    # -- labels --------------------------------------------------------------------------------

    def labels(self, iris: Iterable[str]) -> dict[str, dict[str, str]]:
        """IRI → {language tag (``""`` for none) → label}; IRIs without a label are left out."""
        wanted = list(dict.fromkeys(i for i in iris if _valid_iri(i)))
        self._fresh()
        out: dict[str, dict[str, str]] = {}
        missing = []
        with self._lock:
            for iri in wanted:
                if iri in self._labels:
                    self._labels.move_to_end(iri)
                    if self._labels[iri]:
                        out[iri] = self._labels[iri]
                else:
                    missing.append(iri)
        if not missing:
            return out
        found: dict[str, dict[str, str]] = {iri: {} for iri in missing}
        values = " ".join(f"<{iri}>" for iri in missing)
        for row in self._select(LABELS_OF % values, self._max_rows):
            by_lang = found.setdefault(row["s"], {})
            lang = row["lang"].lower()
            # the shortest, then first in code-point order: the same answer on every request
            if lang not in by_lang or (len(row["l"]), row["l"]) < (
                len(by_lang[lang]),
                by_lang[lang],
            ):
                by_lang[lang] = row["l"]
        with self._lock:
            for iri, by_lang in found.items():
                self._labels[iri] = by_lang
                if by_lang:
                    out[iri] = by_lang
            while len(self._labels) > LABEL_CACHE_SIZE:
                self._labels.popitem(last=False)
        return out

    # -- search --------------------------------------------------------------------------------

    def _entries(self) -> list[_Entry]:
        self._fresh()
        with self._lock:
            if self._index is not None:
                return self._index
        ids = self._base + "id/"
        tests = " || ".join(
            f"STRSTARTS(STR(?s), {json.dumps(ids + kind + '/')})" for kind in SEARCH_KINDS
        )
        entries = []
        for row in self._select(SEARCHABLE_LABELS % tests, min(INDEX_MAX_ROWS, self._index_cap)):
            kind = row["s"][len(ids) :].split("/", 1)[0]
            entries.append(_Entry(row["s"], kind, row["l"], row["lang"], fold(row["l"])))
        with self._lock:
            self._index = entries
        return entries

    def search(self, text: str, *, limit: int = SEARCH_LIMIT, kind: str | None = None) -> list[Hit]:
        """Things whose name contains ``text`` (folded), best first, one hit per thing."""
        needle = fold(text)
        if not needle:
            return []
        best: dict[str, Hit] = {}
        for entry in self._entries():
            if kind is not None and entry.kind != kind:
                continue
            rank = _rank(entry, needle)
            if rank is None:
                continue
            seen = best.get(entry.iri)
            if seen is None or rank < seen.rank:
                best[entry.iri] = Hit(entry.iri, entry.kind, entry.label, entry.lang, rank)
        return sorted(best.values(), key=lambda h: (h.rank, h.iri))[:limit]


def _query_parameter(name: str, schema: dict[str, object], description: str) -> dict[str, object]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


_IRI_LIST = {"type": "array", "items": {"type": "string"}, "maxItems": MAX_IRIS}
LABELS_GET_OPENAPI: dict[str, object] = {
    "parameters": [_query_parameter("iri", _IRI_LIST, "an IRI whose labels are wanted; repeat it")]
}
LABELS_POST_OPENAPI: dict[str, object] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["iris"],
                    "properties": {"iris": _IRI_LIST},
                }
            }
        },
    }
}
SEARCH_OPENAPI: dict[str, object] = {
    "parameters": [
        _query_parameter(
            "q", {"type": "string", "maxLength": MAX_QUERY_CHARS}, "part of a name, any case"
        ),
        _query_parameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_SEARCH_LIMIT, "default": SEARCH_LIMIT},
            "at most this many results",
        ),
        _query_parameter("kind", {"type": "string", "enum": list(SEARCH_KINDS)}, "only this kind"),
        _query_parameter("format", {"type": "string", "enum": ["json"]}, "JSON even for a browser"),
    ]
}
"""OpenAPI descriptions of the parameters the handlers read themselves (for clients and fuzzers)."""


def _int_param(raw: str | None, name: str, default: int, top: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= top:
        raise HTTPProblem(400, f"{name} must be a whole number from 1 to {top}", where=name)
    return int(raw)


def _json(payload: object) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False),
        media_type="application/json",
        headers={"Cache-Control": "no-cache"},
    )


def install_labels(app: FastAPI, ui: UiState) -> LabelService:
    """Add ``GET/POST /labels`` and ``GET /search``; return the service (the pages use it)."""
    settings = ui.context.settings
    service = LabelService(
        ui.context.backend,
        ui.base,
        timeout_s=settings.query_timeout_s,
        max_rows=min(settings.max_result_rows, MAX_IRIS * 20),
        index_cap=settings.max_result_rows,
    )

    @app.get("/labels", tags=["labels"], openapi_extra=LABELS_GET_OPENAPI)
    def labels_get(request: Request) -> Response:
        """Labels (``rdfs:label``, ``skos:prefLabel``, a document's ``dcterms:title``; every
        language) of the ``iri`` parameters.

        Answers ``{"labels": {IRI: {"en": …, "es": …}}}``; at most 500 IRIs per request."""
        return _labels_response(service, request.query_params.getlist("iri"))

    @app.post("/labels", tags=["labels"], openapi_extra=LABELS_POST_OPENAPI)
    async def labels_post(request: Request) -> Response:
        """The same for a JSON body ``{"iris": [IRI, …]}`` (a page of results)."""
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise HTTPProblem(
                400, "the body is not JSON", hint='send {"iris": ["https://…", …]}'
            ) from None
        iris = body.get("iris") if isinstance(body, dict) else None
        if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
            raise HTTPProblem(400, "the body needs an 'iris' list of strings", where="iris")
        return _labels_response(service, iris)

    @app.get("/search", tags=["labels"], openapi_extra=SEARCH_OPENAPI)
    def search(request: Request) -> Response:
        """Things (states, organizations, meetings, persons, objectives) by English or Spanish
        name: case- and accent-insensitive, best match first, at most ``limit`` (≤ 50)."""
        params = request.query_params
        text = params.get("q", "")
        if len(text) > MAX_QUERY_CHARS:
            raise HTTPProblem(400, f"q has more than {MAX_QUERY_CHARS} characters", where="q")
        kind = params.get("kind") or None
        if kind is not None and kind not in SEARCH_KINDS:
            raise HTTPProblem(
                400,
                f"unknown kind {kind!r}",
                where="kind",
                hint="one of " + ", ".join(SEARCH_KINDS),
            )
        limit = _int_param(params.get("limit"), "limit", SEARCH_LIMIT, MAX_SEARCH_LIMIT)
        hits = service.search(text, limit=limit, kind=kind)
        results = [
            {
                "iri": h.iri,
                "href": ui.links.local(h.iri),
                "kind": h.kind,
                "kindLabel": SEARCH_KINDS[h.kind],
                "label": h.label,
                "lang": h.lang,
            }
            for h in hits
        ]
        if prefers_html(request.headers.get("accept")) and params.get("format") != "json":
            return render(request, "search.html", {"q": text, "results": results}, links=ui.links)
        return _json({"query": text, "results": results})

    return service


def _labels_response(service: LabelService, iris: list[str]) -> Response:
    if len(iris) > MAX_IRIS:
        raise HTTPProblem(
            400,
            f"{len(iris)} IRIs asked; at most {MAX_IRIS} per request",
            where="iri",
            hint="ask for one page of results at a time",
        )
    return _json({"labels": service.labels(iris)})
