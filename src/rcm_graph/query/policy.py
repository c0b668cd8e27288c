"""What a query may do on this endpoint: read the served dataset and nothing else.

pyoxigraph executes ``SERVICE`` by fetching over HTTP, and rdflib would even load unknown
``FROM`` graphs from the web: on a public endpoint both are server-side request forgery. This
module looks at the query *lexically* (with the package's one SPARQL lexer,
:mod:`rcm_graph.model.sparql_text`: linear time, escapes decoded, prefixes and BASE resolved) and
refuses, before anything runs:

- updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` … ) sent as queries; updates themselves
  are judged by :func:`check_update` (only with the write token): never ``LOAD``, never
  ``SERVICE`` (a write must not depend on another server, or replaying it could not
  reproduce it), never a ``file:`` IRI;
- ``SERVICE`` in any spelling unless its IRI is allow-listed (a variable service IRI is always
  refused; with no allow-list, the word itself is);
- text the lexer cannot classify (a keyword run together with other text, an unterminated
  string, something other than an IRI after SERVICE/FROM/LOAD/USING/WITH), and text nested
  deeper than the engine's stack allows (400, where the engine would crash);
- ``FROM`` / ``FROM NAMED`` and protocol ``default-graph-uri`` / ``named-graph-uri`` naming a
  graph that is not a graph of the dataset;
- any ``file:`` IRI.

It also reports the query form, which content negotiation needs before the query runs. A
malformed query is not judged here: the engine's parser reports it with its position.

This check is the first line only: the processes that evaluate queries and updates cannot open
an inet socket at all unless SERVICE is allow-listed (:mod:`rcm_graph.sandbox.netguard`), so a
difference between this lexer and the engine's parser cannot reopen server-side requests.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence

from rcm_graph.errors import QueryError, QueryRefused, QueryTimeout, QueryUnjudgeable
from rcm_graph.model.sparql_text import Analysis as QueryAnalysis
from rcm_graph.model.sparql_text import Token, TooSlow, tokens
from rcm_graph.model.sparql_text import analyse as _analyse

# Queries up to this length have their analysis remembered (a cache of 1,024 entries holds
# at most 8 MiB of query text).
ANALYSIS_CACHED_CHARS = 8 * 1024


def analyse(
    sparql: str, *, base_iri: str | None = None, timeout_s: float | None = None
) -> QueryAnalysis:
    """:func:`rcm_graph.model.sparql_text.analyse`, remembered for short texts.

    The result is shared between callers asking about the same text: treat it as read-only.
    WHY remembered: the policy check and the query worker both need it on every request, and
    tokenizing a catalogue query costs 0.2-1 ms, as much as answering a cheap query. A long
    text is analysed within ``timeout_s`` (the request's time limit): :class:`QueryTimeout`
    past it, so the check of a hostile megabyte counts against its own request's limit.
    """
    if len(sparql) <= ANALYSIS_CACHED_CHARS:
        return _analyse_cached(sparql, base_iri)
    key = (sparql, base_iri)
    with _LONG_LOCK:
        found = _LONG_ANALYSES.get(key)
    if found is not None:  # the worker's call after the policy check: not tokenized twice
        return found
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    # One long text at a time: they compete with each other, not with short queries for the
    # server's interpreter (five 120 KB texts at once pushed a cheap ASK to 0.7 s).
    if not _LONG_TEXTS.acquire(timeout=timeout_s):
        raise _too_slow(timeout_s)
    try:
        analysis = _analyse(sparql, base_iri, deadline=deadline)
    except TooSlow:
        raise _too_slow(timeout_s) from None
    finally:
        _LONG_TEXTS.release()
    with _LONG_LOCK:
        _LONG_ANALYSES[key] = analysis
        while len(_LONG_ANALYSES) > LONG_ANALYSES_KEPT:
            _LONG_ANALYSES.popitem(last=False)
    return analysis


# The analyses of the last few long texts (each up to the request size limit) are kept too.
LONG_ANALYSES_KEPT = 8
_LONG_ANALYSES: OrderedDict[tuple[str, str | None], QueryAnalysis] = OrderedDict()
_LONG_LOCK = threading.Lock()
_LONG_TEXTS = threading.BoundedSemaphore(1)


def _too_slow(timeout_s: float | None) -> QueryTimeout:
    return QueryTimeout(
        f"checking the query took longer than its time limit of {timeout_s or 0:g} s",
        where="query",
        hint="send a shorter query",
    )


@functools.lru_cache(maxsize=1024)
def _analyse_cached(sparql: str, base_iri: str | None) -> QueryAnalysis:
    return _analyse(sparql, base_iri)


def _judgeable(analysis: QueryAnalysis, where: str) -> None:
    """Refuse a text the lexer could not classify or that would overflow the engine (400)."""
    if analysis.too_complex is not None:
        raise QueryUnjudgeable(
            f"the {where} is too deeply nested or too long a chain: {analysis.too_complex}",
            where=where,
            hint="split it into simpler queries, or move long lists of values into VALUES",
        )
    if analysis.unclassified:
        raise QueryUnjudgeable(
            f"the {where} cannot be checked: {analysis.unclassified[0]} (expected an IRI, "
            "written as <...> or prefix:name with a declared prefix)",
            where=where,
            hint="separate keywords with spaces and write IRIs in full",
        )


def check(
    sparql: str,
    *,
    dataset_graphs: Collection[str] | Callable[[], Collection[str]] | None = None,
    service_allowlist: Collection[str] = (),
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    base_iri: str | None = None,
    timeout_s: float | None = None,
) -> QueryAnalysis:
    """Refuse what this endpoint must never do; return the analysis for what it may.

    ``dataset_graphs`` is the set of graph IRIs of the served dataset (None: do not check
    dataset IRIs, e.g. for a remote backend whose graphs are unknown), or a function giving
    it, called only when the query or the protocol names a graph (most queries do not, and a
    dataset can have thousands of graphs). Raises
    :class:`QueryRefused` (HTTP 403) for SERVICE and ``file:`` IRIs, and
    :class:`QueryError` (HTTP 400) for an update sent as a query, a dataset IRI that names no
    graph of the dataset or a text that cannot be judged, :class:`QueryTimeout` when judging it
    exceeds ``timeout_s``.
    """
    analysis = analyse(sparql, base_iri=base_iri, timeout_s=timeout_s)
    if analysis.service and not service_allowlist:
        spelled = analysis.service_spellings
        raise QueryRefused(
            "SERVICE is not allowed: this endpoint makes no outbound requests"
            + (f" ({spelled[0]} reads as the keyword SERVICE)" if spelled else ""),
            where="query",
            hint="federate from your own engine: query this endpoint with SERVICE instead",
        )
    _judgeable(analysis, "query")
    if analysis.is_update:
        # 400, not 403: for the SPARQL 1.1 Protocol an update in the query operation is a
        # malformed query (its failure responses); writes have their own operation.
        raise QueryError(
            "an update was sent as a query (the query operation takes SELECT, ASK, CONSTRUCT "
            "or DESCRIBE)",
            where="query",
            hint="send updates with POST as update=... or an application/sparql-update body "
            "(they need the write token: docs/writing.md)",
        )
    if analysis.variable_service:
        raise QueryRefused(
            "SERVICE with a variable endpoint is not allowed (queries may not reach the network)",
            hint="federate from your own engine: query this endpoint with SERVICE instead",
        )
    for iri in analysis.service_iris:
        if iri not in service_allowlist:
            raise QueryRefused(
                f"SERVICE <{iri}> is not allowed: this endpoint makes no outbound requests",
                hint="federate from your own engine: query this endpoint with SERVICE instead",
            )
    for iri in [*analysis.file_iris, *default_graph_uris, *named_graph_uris]:
        if iri[:5].lower() == "file:":
            raise QueryRefused(f"<{iri}>: file: IRIs are not allowed", hint="use graph IRIs")
    named = analysis.from_iris or analysis.from_named_iris or default_graph_uris or named_graph_uris
    if dataset_graphs is not None and named:
        known = set(dataset_graphs() if callable(dataset_graphs) else dataset_graphs)
        for where, iris in (
            ("FROM", analysis.from_iris),
            ("FROM NAMED", analysis.from_named_iris),
            ("default-graph-uri", default_graph_uris),
            ("named-graph-uri", named_graph_uris),
        ):
            for iri in iris:
                if iri not in known:
                    raise QueryError(
                        f"{where} <{iri}> is not a graph of this dataset (graphs are never "
                        "fetched from the web)",
                        where=where,
                        hint="list the graphs with SELECT DISTINCT ?g { GRAPH ?g {} }",
                    )
    return analysis


def check_update(
    sparql: str, *, base_iri: str | None = None, timeout_s: float | None = None
) -> QueryAnalysis:
    """Refuse what an update may never do here, even with the write token.

    ``LOAD`` fetches from the network (and ``LOAD <file:…>`` would read the server's disk);
    ``SERVICE`` in an update's ``WHERE`` would make the write depend on another server, which a
    replay of the journal could not reproduce; ``file:`` IRIs are refused everywhere. Raises
    :class:`QueryRefused` (HTTP 403), or :class:`QueryError` (400) for a query sent as update.
    """
    analysis = analyse(sparql, base_iri=base_iri, timeout_s=timeout_s)
    if analysis.service:
        raise QueryRefused(
            "SERVICE is not allowed in an update (a write may not depend on another server)",
            where="update",
            hint="query the other server first and INSERT DATA what you need",
        )
    if analysis.load:
        raise QueryRefused(
            "LOAD is not allowed: this endpoint makes no outbound requests",
            where="update",
            hint="send the data itself: INSERT DATA, or PUT/POST it to the graph store",
        )
    _judgeable(analysis, "update")
    if analysis.form is not None and not analysis.is_update:
        raise QueryError(
            f"a {analysis.form} query was sent as an update",
            where="update",
            hint="send queries as query=... or with Content-Type application/sparql-query",
        )
    if analysis.file_iris:
        raise QueryRefused(f"<{analysis.file_iris[0]}>: file: IRIs are not allowed", where="update")
    return analysis


def with_using(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """The update with the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` written
    into it as ``USING`` / ``USING NAMED`` clauses before every ``WHERE`` of an operation.

    WHY a rewrite: pyoxigraph's update has no dataset argument, and the protocol defines the
    parameters as exactly these clauses. As the protocol requires, an update that names its own
    dataset (``USING``, ``USING NAMED``, ``WITH``) together with the parameters is an error
    (:class:`QueryError`, 400), and so is ``DELETE WHERE`` (its short form takes no ``USING``).
    """
    if not default_graphs and not named_graphs:
        return update
    for iri in [*default_graphs, *named_graphs]:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*", iri):
            raise QueryError(f"{iri!r} is not an absolute IRI", where="using-graph-uri")
    clause = "".join(f" USING <{g}>" for g in default_graphs) + "".join(
        f" USING NAMED <{g}>" for g in named_graphs
    )
    toks = list(tokens(update))
    insert_at: list[int] = []
    depth = 0
    previous: Token | None = None
    for tok in toks:
        word = tok.text.upper() if tok.kind == "word" else ""
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif word in ("USING", "WITH"):
            raise QueryError(
                f"the update has {word} and the request has using-graph-uri/"
                "using-named-graph-uri: name the dataset in one place only",
                where="using-graph-uri",
            )
        elif word == "WHERE" and depth == 0:
            if (
                previous is not None
                and previous.kind == "word"
                and previous.text.upper()
                in (
                    "DELETE",
                    "INSERT",
                )
            ):
                raise QueryError(
                    "DELETE WHERE takes no USING: write DELETE { … } WHERE { … }",
                    where="using-graph-uri",
                )
            insert_at.append(tok.offset)
        previous = tok
    for offset in reversed(insert_at):
        update = update[:offset] + clause.lstrip() + " " + update[offset:]
    return update
