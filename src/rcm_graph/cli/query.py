"""``rcm-graph query``: a named query, a ``.rq`` file or inline SPARQL against the dataset.

The query runs where the endpoint runs its queries
(:class:`rcm_graph.query.local.backend.LocalBackend`: a worker process that can be stopped at
the time limit), after the same read-only policy check, and the result is written as the
engine serialised it (no Python object per row). A syntax error is found before any worker
starts, by parsing against an empty store, and is reported with the line and column of the
query text.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph

from rcm_graph.errors import ConfigError, QueryError
from rcm_graph.model.formats import (
    JSON_LD,
    N_TRIPLES,
    SPARQL_CSV,
    SPARQL_JSON,
    SPARQL_TSV,
    SPARQL_XML,
    TURTLE,
    names,
)
from rcm_graph.query.catalogue import load_catalogue
from rcm_graph.query.contract import QueryRequest
from rcm_graph.query.local.backend import LocalBackend
from rcm_graph.query.policy import analyse, check
from rcm_graph.sandbox import netguard
from rcm_graph.settings import Settings
from rcm_graph.store.dataset import load_dataset

SOLUTION_FORMATS = names((SPARQL_CSV, SPARQL_TSV, SPARQL_JSON, SPARQL_XML))
GRAPH_FORMATS = names((TURTLE, N_TRIPLES, JSON_LD))
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)


@dataclass(frozen=True)
class ResolvedQuery:
    text: str
    where: str  # a file path, "query NAME" or "inline query"


def parse_params(params: Sequence[str]) -> dict[str, str]:
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(
                f"parameter {item!r} is not NAME=VALUE",
                where="--param",
                hint="e.g. --param year=2023",
            )
        values[name.strip()] = value
    return values


def resolve_query(
    query: str, params: Mapping[str, str], queries_dir: Path | None = None
) -> ResolvedQuery:
    """A ``.rq`` path, a catalogue name (``queries/NAME.rq``), or the SPARQL text itself."""
    if query.endswith(".rq") and "\n" not in query:
        path = Path(query)
        if not path.is_file():
            raise QueryError(
                "the query file does not exist", where=query, hint="give the path of a .rq file"
            )
        if params:
            raise ConfigError(
                "--param applies only to named queries",
                where="--param",
                hint="bind values in the file",
            )
        return ResolvedQuery(path.read_text(encoding="utf-8"), str(path))
    if _NAME.fullmatch(query):
        named = load_catalogue(queries_dir).get(query)
        return ResolvedQuery(named.bind(params), str(named.path))
    if params:
        raise ConfigError("--param applies only to named queries", where="--param")
    return ResolvedQuery(query, "inline query")


def check_syntax(resolved: ResolvedQuery) -> None:
    """Parse the query (against an empty store) and report a syntax error with its position.

    pyoxigraph has no parse-only call: ``query`` on an empty store also evaluates (an ``ASK``
    with ``SERVICE`` would fetch), so it runs where no socket can be opened
    (:func:`rcm_graph.sandbox.netguard.run_guarded`).
    """
    try:
        netguard.run_guarded(_parse, resolved.text)
    except SyntaxError as exc:
        message = str(exc)
        match = _POSITION.match(message)
        if match:
            line, column, what = match.groups()
            raise QueryError(
                f"syntax error: {what.strip()}",
                where=f"{resolved.where}:{line}:{column}",
                hint="line:column of the query text",
            ) from None
        raise QueryError(f"syntax error: {message}", where=resolved.where) from None


def _parse(text: str) -> None:
    """Parse (and, on an empty store, trivially evaluate) ``text``; raises ``SyntaxError``."""
    with contextlib.suppress(OSError, RuntimeError):  # a failed SERVICE: the syntax was fine
        pyoxigraph.Store().query(text)


def media_type_for(form: str, output_format: str | None) -> str:
    formats = SOLUTION_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS
    if output_format is None:
        return next(iter(formats.values()))
    if output_format not in formats:
        raise ConfigError(
            f"--format {output_format} does not apply to a {form} query",
            where="--format",
            hint=f"use one of {', '.join(formats)}",
        )
    return formats[output_format]


def run_query_command(
    settings: Settings,
    query: str,
    *,
    output_format: str | None,
    params: Sequence[str],
    out: BinaryIO,
) -> int:
    """Run the query on the current dataset and write the serialised result to ``out``."""
    resolved = resolve_query(query, parse_params(params))
    dataset = load_dataset(settings.data_dir)
    check(
        resolved.text,
        dataset_graphs=dataset.graph_iris(),
        service_allowlist=settings.service_allowlist,
        timeout_s=settings.query_timeout_s,
    )
    check_syntax(resolved)
    form = analyse(resolved.text).form
    if form is None:
        raise QueryError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query", where=resolved.where)
    media_type = media_type_for(form, output_format)
    # memory mode: the worker merges all graphs into a set-valued default graph
    backend = LocalBackend(
        settings.data_dir,
        workers=1,
        mode="memory",
        service_allowlist=settings.service_allowlist,
    )
    backend.start()
    try:
        outcome = backend.query(
            QueryRequest(
                resolved.text,
                accept_format=media_type,
                timeout_s=settings.query_timeout_s,
                max_rows=settings.max_result_rows,
            ),
        )
    finally:
        backend.close()
    out.write(outcome.body)
    out.flush()
    if outcome.truncated:
        print(
            f"rcm-graph: warning: result truncated to {outcome.max_rows} rows "
            f"(RCM_GRAPH_MAX_RESULT_ROWS)",
            file=sys.stderr,
        )
    return 0
