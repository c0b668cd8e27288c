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
import logging
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph

from rcm_graph.errors import ConfigError, InputError, QueryError, UnknownQueryName
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
from rcm_graph.model.sparql_text import strip_noncode
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
    """A ``.rq`` path, a catalogue name (``queries/NAME.rq``), or the SPARQL text itself.

    An argument that is none of these is bad input (exit 2) with a line that says which of the
    three it was taken for: a mistyped name gets the nearest names, a missing file its path, and
    text with neither a SPARQL keyword nor a ``{`` is not sent to the parser (whose "expected
    CONSTRUCT" would be all a user learnt about ``rcm-graph query 'hello world'``); text with a
    group but a misspelt keyword still gets the parser's line and column.
    """
    text = query.strip()
    if not text:
        raise ConfigError("the query argument is empty", hint=_GIVE)
    single_line = "\n" not in text
    if single_line and text.endswith(".rq"):
        return _from_file(Path(text), params, queries_dir, shown=text)
    is_name = _NAME.fullmatch(text) and not _SPARQL_KEYWORD.fullmatch(text)
    catalogue = load_catalogue(queries_dir) if is_name else None
    if catalogue is not None and text in catalogue:
        named = catalogue.get(text)
        return ResolvedQuery(named.bind(params), str(named.path))
    if single_line and "{" not in text and Path(text).is_file():
        return _from_file(Path(text), params, queries_dir, shown=text)
    if catalogue is not None:
        near = catalogue.nearest(text)
        raise UnknownQueryName(
            f"no named query {text!r}",
            hint=(f"did you mean {' or '.join(near)}? " if near else "") + _LIST,
        )
    if single_line and _PATH_LIKE.fullmatch(text):
        return _from_file(Path(text), params, queries_dir, shown=text)  # raises: not a file
    if "{" not in text and not _SPARQL_KEYWORD.search(strip_noncode(text)):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise ConfigError(
            f"{shown!r} is neither a named query, a .rq file nor SPARQL text",
            hint=_GIVE,
        )
    if params:
        raise ConfigError("--param applies only to named queries", where="--param")
    return ResolvedQuery(text, "inline query")


_LIST = "rcm-graph query --list shows the named queries"
_GIVE = f"give a query NAME, a FILE.rq or SPARQL text in quotes; {_LIST}"
# one token with a path separator or a query-file extension (and no SPARQL punctuation)
_PATH_LIKE = re.compile(r"[^\s{}<>]*(/|\\)[^\s{}<>]*|[^\s{}<>/]+\.(rq|sparql|txt)")
_SPARQL_KEYWORD = re.compile(
    r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD"
    r"|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


def _from_file(
    path: Path, params: Mapping[str, str], queries_dir: Path | None, *, shown: str
) -> ResolvedQuery:
    if not path.is_file():
        near = load_catalogue(queries_dir).nearest(path.stem) if not path.parent.name else []
        raise InputError(
            "is a folder, not a query file" if path.is_dir() else "no such query file",
            where=shown,
            hint=(f"did you mean the named query {near[0]}? " if near else "check the path; ")
            + _LIST,
        )
    if params:
        raise ConfigError(
            "--param applies only to named queries",
            where="--param",
            hint="bind values in the file",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(f"cannot read the query file: {reason}", where=shown) from None
    if not strip_noncode(text).strip():
        raise InputError("the query file is empty", where=shown, hint="write a SPARQL query in it")
    return ResolvedQuery(text, str(path))


def list_queries(out: BinaryIO, queries_dir: Path | None = None) -> int:
    """``rcm-graph query --list``: one line per named query (name, title, parameters)."""
    catalogue = load_catalogue(queries_dir)
    width = max((len(name) for name in catalogue.names()), default=0)
    for named in catalogue:
        params = ", ".join(
            f"{p.name}={p.default}" if p.default is not None else f"{p.name} (required)"
            for p in named.parameters
        )
        line = f"{named.name.ljust(width)}  {named.title}"
        out.write((line + (f"  [--param {params}]" if params else "") + "\n").encode("utf-8"))
    out.flush()
    return 0


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
    query: str | None,
    *,
    output_format: str | None,
    params: Sequence[str],
    out: BinaryIO,
    list_names: bool = False,
) -> int:
    """Run the query on the current dataset and write the serialised result to ``out``
    (or, with ``list_names``, list the catalogue)."""
    if list_names:
        if query is not None:
            raise ConfigError("--list takes no query", hint="give either --list or a query")
        return list_queries(out)
    if query is None:
        raise ConfigError("no query given", hint=_GIVE)
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
    with _results_only(debug=settings.debug):
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


@contextlib.contextmanager
def _results_only(*, debug: bool) -> Iterator[None]:
    """Hold back the worker machinery's INFO lines ("serving build … with 1 query workers"):
    they tell a server's operator what runs, but a one-shot query prints its results and, on
    stderr, only warnings and errors. ``--debug`` keeps everything."""
    logger = logging.getLogger("rcm_graph")
    before = logger.level
    if not debug and logger.getEffectiveLevel() < logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(before)
