"""A remote SPARQL 1.1 server as the query backend, and loading a build into such a server.

WHY: past one machine the dataset lives in a shared SPARQL server (Oxigraph server, Virtuoso,
Fuseki, GraphDB, QLever) and any number of stateless API processes sit in front of it
(docs/deployment.md). :class:`RemoteBackend` speaks the SPARQL 1.1 Protocol to that server and
hands the server's serialised bytes straight to the response: no Python object per row unless
the result has to be cut at ``max_rows`` or converted to a format the server cannot produce.
:func:`load_into` copies a finished build into the server with the Graph Store Protocol, one
``PUT`` per named graph, so loading the same build twice replaces rather than duplicates.

Only the standard library talks HTTP here (``http.client``), with one keep-alive connection per
thread, so the web layer's thread pool reuses connections and the package needs no HTTP client
dependency at run time.
"""

from __future__ import annotations

import gzip
import http.client
import io
import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph

from rcm_graph.errors import ConfigError, DatasetError, QueryError, QueryTimeout
from rcm_graph.model.formats import (
    GRAPH_MEDIA_TYPES,
    N_TRIPLES,
    RDF_FORMATS,
    RESULT_FORMATS,
    SOLUTION_MEDIA_TYPES,
    SPARQL_CSV,
    SPARQL_JSON,
)
from rcm_graph.model.sparql_text import query_form as text_query_form
from rcm_graph.query.contract import QueryForm, QueryOutcome, QueryRequest, media_types_for
from rcm_graph.settings import Settings, env_name
from rcm_graph.store import internal_sparql as sparql

# The one SPARQL text this module sends on its own behalf: the named graphs of the remote store.


def query_form(sparql: str) -> QueryForm:
    """The form of a query, as the package's one SPARQL lexer reads it.

    WHY not a full parse: the remote server parses the query anyway and reports syntax errors
    with positions; here only the kind of result to expect matters.
    """
    form = text_query_form(sparql)
    if form is None:
        raise QueryError(
            "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the prologue",
            hint="updates are not accepted by this read-only endpoint",
        )
    return form


@dataclass(frozen=True)
class _Response:
    status: int
    media_type: str
    body: bytes


def check_target(url: str) -> None:
    """Refuse a ``build --target`` that cannot be a Graph Store URL, before the build starts.

    WHY up front: the load runs after a whole build and publish; a typo found only then costs
    the build's time and leaves the user unsure whether anything was published.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"not an http(s) URL: {url!r}",
            where="--target",
            hint="give the store's Graph Store endpoint, e.g. http://localhost:7878/store",
        )


class _Connections:
    """One keep-alive ``http.client`` connection per thread to one server."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.path = parts.path or "/"
        self.query = parts.query
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _connection(self, timeout_s: float) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            cls = (
                http.client.HTTPSConnection
                if self.scheme == "https"
                else http.client.HTTPConnection
            )
            conn = cls(self.host, self.port, timeout=timeout_s)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        conn.timeout = timeout_s
        if conn.sock is not None:
            conn.sock.settimeout(timeout_s)
        return conn

    def request(
        self,
        method: str,
        params: Sequence[tuple[str, str]],
        *,
        body: bytes | None,
        headers: dict[str, str],
        timeout_s: float,
    ) -> _Response:
        """Send one request; a connection the server closed meanwhile is reopened once."""
        query = "&".join(q for q in (self.query, urlencode(list(params))) if q)
        target = self.path + ("?" + query if query else "")
        deadline = time.monotonic() + timeout_s
        for attempt in (1, 2):
            conn = self._connection(max(0.001, deadline - time.monotonic()))
            try:
                conn.request(method, target, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except TimeoutError:
                self._drop(conn)
                raise
            except (http.client.HTTPException, ConnectionError, OSError):
                self._drop(conn)
                if attempt == 2 or time.monotonic() >= deadline:
                    raise
                continue
            if resp.getheader("connection", "").lower() == "close":
                self._drop(conn)
            media = (resp.getheader("content-type") or "").split(";")[0].strip().lower()
            return _Response(resp.status, media, data)
        raise AssertionError("unreachable")  # pragma: no cover

    def _drop(self, conn: http.client.HTTPConnection) -> None:
        conn.close()
        self._local.conn = None

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


class RemoteBackend:
    """:class:`rcm_graph.query.contract.QueryBackend` over the SPARQL 1.1 Protocol.

    ``endpoint_url`` is the server's query endpoint (``http://host:7878/query`` for Oxigraph,
    ``http://host:8890/sparql`` for Virtuoso). The server enforces nothing of this project's
    policy: the web layer still runs :mod:`rcm_graph.query.policy` before calling ``query``.
    """

    def __init__(self, endpoint: str | Settings) -> None:
        """``endpoint``: the query URL, or Settings whose ``remote_endpoint`` holds it."""
        url = endpoint.remote_endpoint if isinstance(endpoint, Settings) else endpoint
        try:
            self._conns = _Connections(url or "")
        except ValueError as exc:
            raise DatasetError(
                str(exc),
                where=env_name("remote_endpoint"),
                hint="set it to the server's SPARQL query URL, e.g. http://127.0.0.1:7878/query",
            ) from None
        self.endpoint_url = url or ""

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteBackend:
        return cls(settings)

    def start(self) -> None:
        """Nothing to spawn: connections open on first use, one per thread."""

    def close(self) -> None:
        self._conns.close()

    def graph_iris(self) -> list[str]:
        outcome = self.query(
            QueryRequest(sparql.GRAPHS, accept_format=SPARQL_JSON, timeout_s=30, max_rows=10**7)
        )
        data = json.loads(outcome.body)
        return sorted(b["g"]["value"] for b in data["results"]["bindings"] if "g" in b)

    def query(self, request: QueryRequest) -> QueryOutcome:
        sparql, accept_format, timeout_s = request.sparql, request.accept_format, request.timeout_s
        max_rows, base_iri, started = request.max_rows, request.base_iri, request.started
        default_graph_uris, named_graph_uris = request.default_graph_uris, request.named_graph_uris
        if started is not None:  # what is left of the request's limit
            timeout_s = max(timeout_s - (time.monotonic() - started), 0.001)
        started = time.perf_counter()
        form = query_form(sparql)
        allowed = media_types_for(form)
        media = accept_format if accept_format in allowed else allowed[0]
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        params = [("default-graph-uri", g) for g in default_graph_uris]
        params += [("named-graph-uri", g) for g in named_graph_uris]
        # CSV is lossy (pyoxigraph cannot parse it back to count or cut rows): fetch JSON then.
        fetch = (
            (SPARQL_JSON if media == SPARQL_CSV else media)
            if form in ("SELECT", "ASK")
            else N_TRIPLES
        )
        response = self._post(sparql, params, fetch, timeout_s)
        body, rows, truncated = _shape(form, response, media, max_rows)
        return QueryOutcome(
            body=body,
            media_type=media,
            query_form=form,
            row_count=rows,
            truncated=truncated,
            max_rows=max_rows,
            elapsed_s=time.perf_counter() - started,
        )

    def _post(
        self, sparql: str, params: list[tuple[str, str]], accept: str, timeout_s: float
    ) -> _Response:
        body = urlencode([("query", sparql)]).encode("utf-8")
        headers = {
            "Accept": accept,
            "Content-Type": "application/x-www-form-urlencoded",
            "Connection": "keep-alive",
        }
        try:
            response = self._conns.request(
                "POST", params, body=body, headers=headers, timeout_s=timeout_s
            )
        except TimeoutError:
            raise QueryTimeout(
                f"the remote SPARQL server did not answer within {timeout_s:g} s",
                where=self.endpoint_url,
                hint="simplify the query or raise RCM_GRAPH_QUERY_TIMEOUT_S",
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise DatasetError(
                f"the remote SPARQL server is unreachable ({exc})",
                where=self.endpoint_url,
                hint="check that the server runs and RCM_GRAPH_REMOTE_ENDPOINT points at it",
            ) from None
        if response.status >= 400:
            detail = response.body[:2000].decode("utf-8", "replace").strip()
            error = QueryError if 400 <= response.status < 500 else DatasetError
            raise error(
                f"the remote SPARQL server answered {response.status}: {detail}",
                where=self.endpoint_url,
            )
        return response


def _shape(
    form: QueryForm, response: _Response, media: str, max_rows: int
) -> tuple[bytes, int, bool]:
    """(body in ``media``, row count, truncated) from the server's response.

    The server's bytes pass through unchanged when they are already in ``media`` and within
    ``max_rows``; otherwise pyoxigraph converts them (in Rust) and cuts them at the cap.
    """
    if form == "ASK":
        return _convert_solutions(response, media), 1, False
    if form == "SELECT":
        return _select(response, media, max_rows)
    return _graph(response, media, max_rows)


def _results_format(media: str) -> pyoxigraph.QueryResultsFormat:
    fmt = RESULT_FORMATS.get(media)
    if fmt is None:
        raise DatasetError(
            f"the remote SPARQL server answered with an unexpected media type {media!r}",
            hint=f"a SPARQL result type was expected: {', '.join(SOLUTION_MEDIA_TYPES)}",
        )
    return fmt


def _convert_solutions(response: _Response, media: str) -> bytes:
    if response.media_type == media:
        return response.body
    parsed = pyoxigraph.parse_query_results(
        response.body, format=_results_format(response.media_type)
    )
    out = parsed.serialize(format=_results_format(media))
    return bytes(out) if out is not None else b""


def _select(response: _Response, media: str, max_rows: int) -> tuple[bytes, int, bool]:
    fmt = _results_format(response.media_type)
    parsed = pyoxigraph.parse_query_results(response.body, format=fmt)
    if not isinstance(parsed, pyoxigraph.QuerySolutions):
        raise DatasetError("the remote SPARQL server answered a SELECT query with a boolean")
    rows = sum(1 for _ in parsed)
    if rows <= max_rows:
        return _convert_solutions(response, media), rows, False
    # Rare path (the result exceeds the cap): cut it in SPARQL JSON, then convert.
    as_json = pyoxigraph.parse_query_results(response.body, format=fmt).serialize(
        format=pyoxigraph.QueryResultsFormat.JSON
    )
    data = json.loads(bytes(as_json) if as_json is not None else b"{}")
    data["results"]["bindings"] = data["results"]["bindings"][:max_rows]
    cut = _Response(200, SPARQL_JSON, json.dumps(data).encode("utf-8"))
    return _convert_solutions(cut, media), max_rows, True


def _graph(response: _Response, media: str, max_rows: int) -> tuple[bytes, int, bool]:
    """CONSTRUCT/DESCRIBE: fetched as N-Triples (one triple per line), cut, then converted."""
    fmt = RDF_FORMATS.get(response.media_type)
    if fmt is None:
        raise DatasetError(
            f"the remote SPARQL server answered with an unexpected media type "
            f"{response.media_type!r}",
            hint=f"an RDF type was expected: {', '.join(GRAPH_MEDIA_TYPES)}",
        )
    triples = list(pyoxigraph.parse(response.body, format=fmt))
    truncated = len(triples) > max_rows
    kept = triples[:max_rows]
    if media == N_TRIPLES and fmt == pyoxigraph.RdfFormat.N_TRIPLES and not truncated:
        return response.body, len(kept), False
    out = pyoxigraph.serialize(kept, format=RDF_FORMATS[media])
    return bytes(out) if out is not None else b"", len(kept), truncated


# --- loading a build into a remote store --------------------------------------------------


@dataclass(frozen=True)
class LoadReport:
    """What :func:`load_into` sent: graphs and triples, and how long it took."""

    target_url: str
    graphs: int
    triples: int
    seconds: float


def _graphs_of(nquads_gz: Path) -> Iterator[tuple[str, list[pyoxigraph.Quad]]]:
    """The quads of the dump grouped by named graph (in file order of first appearance)."""
    groups: dict[str, list[pyoxigraph.Quad]] = {}
    with gzip.open(nquads_gz, "rb") as fh:
        for quad in pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.N_QUADS):  # type: ignore[arg-type]
            graph = quad.graph_name
            key = graph.value if isinstance(graph, pyoxigraph.NamedNode) else ""
            groups.setdefault(key, []).append(quad)
    yield from groups.items()


def load_into(
    target_url: str, build_dir: Path, *, timeout_s: float = 300.0, default_graph: bool = True
) -> LoadReport:
    """Load the build in ``build_dir`` into the Graph Store at ``target_url``.

    ``target_url`` is the server's Graph Store Protocol endpoint (Oxigraph: ``…/store``,
    Fuseki: ``…/<dataset>/data``, Virtuoso: ``…/sparql-graph-crud``). Every named graph of the
    dump is replaced with ``PUT ?graph=<iri>`` (N-Triples); the default graph (the union of the
    named graphs, materialised by the build) with ``PUT ?default``. Pass
    ``default_graph=False`` for a server whose default graph already IS the union of its named
    graphs and that has no separate default graph to write (Virtuoso refuses ``?default``).
    Raises :class:`DatasetError` naming the graph the server refused.
    """
    from rcm_graph.store.dataset import NQUADS

    dump = build_dir / NQUADS
    if not dump.is_file():
        raise DatasetError(
            f"the build has no {NQUADS}", where=str(build_dir), hint="run `rcm-graph build` first"
        )
    try:
        conns = _Connections(target_url)
    except ValueError as exc:
        raise DatasetError(str(exc), where="--target") from None
    started = time.perf_counter()
    graphs = triples = 0
    try:
        for graph, quads in _graphs_of(dump):
            if not graph and not default_graph:
                continue
            buf = io.BytesIO()
            pyoxigraph.serialize(
                (q.triple for q in quads), buf, format=pyoxigraph.RdfFormat.N_TRIPLES
            )
            params = [("graph", graph)] if graph else [("default", "")]
            _put(conns, params, buf.getvalue(), timeout_s, graph or "the default graph")
            graphs += 1
            triples += len(quads)
    finally:
        conns.close()
    return LoadReport(target_url, graphs, triples, time.perf_counter() - started)


def _put(
    conns: _Connections, params: list[tuple[str, str]], body: bytes, timeout_s: float, what: str
) -> None:
    headers = {"Content-Type": N_TRIPLES + "; charset=utf-8", "Connection": "keep-alive"}
    try:
        response = conns.request("PUT", params, body=body, headers=headers, timeout_s=timeout_s)
    except (OSError, http.client.HTTPException) as exc:
        raise DatasetError(
            f"could not load {what} into the remote store ({exc})",
            where=f"{conns.scheme}://{conns.host}:{conns.port}{conns.path}",
            hint="check that the server runs and accepts Graph Store Protocol writes",
        ) from None
    if response.status >= 300:
        detail = response.body[:500].decode("utf-8", "replace").strip()
        raise DatasetError(
            f"the remote store refused {what}: {response.status} {detail}",
            where=f"{conns.scheme}://{conns.host}:{conns.port}{conns.path}",
            hint="the target must be the store's Graph Store Protocol URL (Oxigraph: /store)",
        )
