"""Answering one job against a store: the engine's own serialised bytes, with exact row caps.

WHY bytes: the engine serialises the answer in Rust and the worker sends those bytes back, so
no Python object is built per row. Result caps are enforced while serialising: rows are
streamed into a sink that stops the engine after ``max_rows + 1`` rows, so memory stays
bounded and truncation is detected exactly. Nothing here knows about processes: the worker
(:mod:`rcm_graph.query.local.worker`) calls :func:`execute` for each job it receives, and
tests and benchmarks call it directly on a store.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

import pyoxigraph

from rcm_graph.model.formats import (
    GRAPH_MEDIA_TYPES,
    N_QUADS,
    N_TRIPLES,
    RDF_FORMATS,
    RESULT_FORMATS,
    SOLUTION_MEDIA_TYPES,
    SPARQL_JSON,
    SPARQL_TSV,
    TRIG,
)
from rcm_graph.query.contract import QueryForm


@dataclass(frozen=True)
class Job:
    """A query as a worker receives it (sent over the pipe as a tuple of these fields)."""

    sparql: str
    media_type: str
    max_rows: int
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]
    base_iri: str | None
    # From the parent's analysis (query_policy.analyse), so the worker need not tokenize again.
    form: str | None
    prefixes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Result:
    """What a worker reports about an answer besides its bytes."""

    media_type: str
    form: QueryForm
    row_count: int
    truncated: bool
    elapsed_s: float


class _Enough(Exception):
    """Raised by the capped sink to stop the engine once enough rows were written."""


class _CappedLines:
    """A binary sink keeping at most ``limit`` lines (after ``skip`` header lines)."""

    def __init__(self, limit: int, skip: int) -> None:
        self.limit = limit + skip
        self.lines = 0
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        room = self.limit - self.lines
        count = data.count(b"\n")
        if count < room:
            self.chunks.append(bytes(data))
            self.lines += count
            return len(data)
        cut = -1
        for _ in range(room):
            cut = data.index(b"\n", cut + 1)
        self.chunks.append(bytes(data[: cut + 1]))
        self.lines = self.limit
        raise _Enough

    def flush(self) -> None:
        return None

    def value(self) -> bytes:
        return b"".join(self.chunks)


def _capped(serialize_into: object, max_rows: int, *, header_lines: int) -> tuple[bytes, int, bool]:
    """Serialise up to ``max_rows`` line-per-row records; return bytes, rows, truncated."""
    sink = _CappedLines(max_rows + 1, header_lines)
    truncated = False
    try:
        serialize_into(sink)  # type: ignore[operator]
    except (_Enough, OSError) as exc:
        stopped_by_sink = isinstance(exc, _Enough) or isinstance(exc.__context__, _Enough)
        if not stopped_by_sink and sink.lines < sink.limit:
            raise
    data = sink.value()
    rows = max(sink.lines - header_lines, 0)
    if rows > max_rows:
        truncated = True
        keep = data.split(b"\n")[: header_lines + max_rows]
        data = b"\n".join(keep) + b"\n"
        rows = max_rows
    return data, rows, truncated


class _RowSeparators:
    """A binary sink counting ``},{"`` (which every row separator of oxigraph's SPARQL JSON
    contains) and stopping the engine once there may be more than ``limit`` rows."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen = 0
        self.chunks: list[bytes] = []
        self._tail = b""

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.seen += (self._tail + chunk[:3]).count(b'},{"') + chunk.count(b'},{"')
        self._tail = chunk[-3:]
        if self.seen >= self.limit:
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        return None


def json_solutions(solutions: pyoxigraph.QuerySolutions, max_rows: int) -> tuple[bytes, int] | None:
    """SPARQL JSON written by the engine itself, with its exact row count; ``None`` when the
    answer may exceed ``max_rows`` or cannot be counted this way (then the caller takes the
    line-per-row TSV path, which truncates exactly).

    WHY: going through TSV (to count and cap rows) and converting to JSON cost about a fifth
    of the worker's time for a 170-row answer. Counting rows in JSON is exact here because
    inside a JSON string every ``"`` is escaped: a row separator ``},{"`` followed by one of
    the head's variables and ``":{`` cannot occur inside a value, and a string ending in
    ``},{`` is followed by ``}`` or ``,``, never by a variable name. Rows that bind nothing
    (``{}``) cannot be told apart from text that way, so an answer containing ``},{}`` or
    ``[{}`` takes the TSV path.
    """
    sink = _RowSeparators(max_rows)
    try:
        solutions.serialize(sink, format=pyoxigraph.QueryResultsFormat.JSON)  # type: ignore[arg-type]
    except (_Enough, OSError) as exc:
        if isinstance(exc, _Enough) or isinstance(exc.__context__, _Enough):
            return None
        raise
    body = b"".join(sink.chunks)
    prefix = b'{"head":'
    results_at = body.find(b',"results":{"bindings":[')
    if not body.startswith(prefix) or results_at < 0 or b"},{}" in body or b"[{}" in body:
        return None
    variables = json.loads(body[len(prefix) : results_at])["vars"]
    if body.endswith(b'"bindings":[]}}'):
        return body, 0
    if not variables or not all(v.isascii() for v in variables):
        return None  # (a name the writer might escape would not match the pattern below)
    separator = re.compile(
        rb'\},\{"(?:' + b"|".join(re.escape(v.encode()) for v in variables) + rb')":\{'
    )
    return body, 1 + sum(1 for _ in separator.finditer(body))


def execute(store: pyoxigraph.Store, job: Job) -> tuple[bytes, Result]:
    """Run ``job`` on ``store``: the answer's bytes in the job's media type (or the first
    media type of the answer's kind when the job's does not fit it), and what it holds."""
    start = time.perf_counter()
    kwargs: dict[str, object] = {"base_iri": job.base_iri}
    if job.default_graph_uris or job.named_graph_uris:
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graph_uris]
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graph_uris]
    result = store.query(job.sparql, **kwargs)  # type: ignore[arg-type]
    if isinstance(result, pyoxigraph.QueryBoolean):
        media_type = (
            job.media_type if job.media_type in SOLUTION_MEDIA_TYPES else SOLUTION_MEDIA_TYPES[0]
        )
        body = result.serialize(format=RESULT_FORMATS[media_type]) or b""
        elapsed = time.perf_counter() - start
        return body, Result(media_type, "ASK", 1, False, elapsed)
    if isinstance(result, pyoxigraph.QuerySolutions):
        return _solutions(store, job, kwargs, result, start)
    return _triples(job, result, start)


def _solutions(
    store: pyoxigraph.Store,
    job: Job,
    kwargs: dict[str, object],
    result: pyoxigraph.QuerySolutions,
    start: float,
) -> tuple[bytes, Result]:
    """A SELECT answer: SPARQL JSON straight from the engine when its rows can be counted
    there, else through TSV (one line per row: capped exactly) converted to the media type."""
    media_type = (
        job.media_type if job.media_type in SOLUTION_MEDIA_TYPES else SOLUTION_MEDIA_TYPES[0]
    )
    if media_type == SPARQL_JSON:
        direct = json_solutions(result, job.max_rows)
        if direct is not None:
            elapsed = time.perf_counter() - start
            return direct[0], Result(media_type, "SELECT", direct[1], False, elapsed)
        again = store.query(job.sparql, **kwargs)  # type: ignore[arg-type]
        assert isinstance(again, pyoxigraph.QuerySolutions)
        result = again
    tsv, rows, truncated = _capped(
        lambda sink: result.serialize(sink, format=pyoxigraph.QueryResultsFormat.TSV),
        job.max_rows,
        header_lines=1,
    )
    if media_type == SPARQL_TSV:
        body = tsv
    else:
        parsed = pyoxigraph.parse_query_results(tsv, format=pyoxigraph.QueryResultsFormat.TSV)
        assert isinstance(parsed, pyoxigraph.QuerySolutions)
        body = parsed.serialize(format=RESULT_FORMATS[media_type]) or b""
    elapsed = time.perf_counter() - start
    return body, Result(media_type, "SELECT", rows, truncated, elapsed)


def _triples(job: Job, triples: pyoxigraph.QueryTriples, start: float) -> tuple[bytes, Result]:
    """A CONSTRUCT or DESCRIBE answer: N-Triples (one line per triple: capped exactly),
    converted to the media type."""
    form: QueryForm = "DESCRIBE" if job.form == "DESCRIBE" else "CONSTRUCT"
    media_type = job.media_type if job.media_type in GRAPH_MEDIA_TYPES else GRAPH_MEDIA_TYPES[0]
    nt, rows, truncated = _capped(
        lambda sink: triples.serialize(sink, format=pyoxigraph.RdfFormat.N_TRIPLES),
        job.max_rows,
        header_lines=0,
    )
    if media_type == N_TRIPLES:
        body = nt
    else:
        # N-Triples is N-Quads in the default graph: TriG/N-Quads get every triple there.
        parse_as = (
            pyoxigraph.RdfFormat.N_QUADS
            if media_type in (TRIG, N_QUADS)
            else pyoxigraph.RdfFormat.N_TRIPLES
        )
        serialized = pyoxigraph.serialize(
            pyoxigraph.parse(nt, format=parse_as),
            format=RDF_FORMATS[media_type],
            prefixes=dict(job.prefixes) or None,
        )
        body = serialized or b""
    elapsed = time.perf_counter() - start
    return body, Result(media_type, form, rows, truncated, elapsed)
