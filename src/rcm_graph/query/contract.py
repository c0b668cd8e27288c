"""The query backend contract: one SPARQL query in, serialised bytes out.

WHY a protocol: the HTTP layer must not care whether the dataset is queried in local worker
processes (:class:`rcm_graph.query.local.backend.LocalBackend`) or on a remote SPARQL server
(``rcm_graph.query.remote.RemoteBackend``). Both return the result already serialised, because
serialising in Rust and handing the bytes to the response is 15-170x cheaper than building
Python objects per row (docs/perf notes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from rcm_graph.model.formats import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]


def media_types_for(form: QueryForm) -> tuple[str, ...]:
    """The result media types a query form can be serialised to (first = default)."""
    return SOLUTION_MEDIA_TYPES if form in ("SELECT", "ASK") else GRAPH_MEDIA_TYPES


@dataclass(frozen=True)
class QueryRequest:
    """One read-only query and how to answer it: what every backend's ``query`` takes.

    ``accept_format`` is the media type to serialise to (one of :func:`media_types_for` of the
    query's form; a backend falls back to the form's default when it does not fit).
    ``started`` is the ``time.monotonic()`` at which the time limit began (None: at the call),
    so that the time a request spent before the call (reading and checking the query) counts
    against ``timeout_s``. WHY a type: the same eight values were a keyword list repeated by
    each backend and passed around as ``dict[str, Any]``.
    """

    sparql: str
    accept_format: str
    timeout_s: float
    max_rows: int
    default_graph_uris: Sequence[str] = ()
    named_graph_uris: Sequence[str] = ()
    base_iri: str | None = None
    started: float | None = None


@dataclass(frozen=True)
class QueryOutcome:
    """A finished query: the serialised body and what the HTTP layer must announce.

    ``row_count`` counts solutions (SELECT), triples (CONSTRUCT/DESCRIBE) or 1 (ASK), after the
    cap. ``truncated`` is True when the result had more than ``max_rows`` rows and only the first
    ``max_rows`` are in ``body``; the response must say so (never a silent truncation).
    """

    body: bytes
    media_type: str
    query_form: QueryForm
    row_count: int
    truncated: bool
    max_rows: int
    elapsed_s: float = 0.0


class QueryBackend(Protocol):
    """Runs read-only SPARQL queries against the served dataset.

    ``accept_format`` is the media type to serialise to (one of :func:`media_types_for` of the
    query's form; a backend falls back to the form's default when it does not fit). Raises
    :class:`rcm_graph.errors.QueryError` for a malformed query (message with position),
    :class:`rcm_graph.errors.QueryTimeout` when ``timeout_s`` ran out (the work is stopped),
    :class:`rcm_graph.errors.DatasetError` when the dataset cannot be served. ``started`` is
    the ``time.monotonic()`` at which the limit began (None: at the call), so that the time a
    request spent before the call (reading and checking the query) counts against it.
    """

    def query(self, request: QueryRequest) -> QueryOutcome: ...

    def start(self) -> None:
        """Prepare to answer (spawn workers, open connections); idempotent."""

    def close(self) -> None:
        """Release every resource (workers, connections); idempotent."""

    def graph_iris(self) -> list[str]:
        """The named graphs of the served dataset (for the service description and policy)."""
        ...
