"""What a query may do on this endpoint: read the served dataset and nothing else.

pyoxigraph executes ``SERVICE`` by fetching over HTTP, and rdflib would even load unknown
``FROM`` graphs from the web: on a public endpoint both are server-side request forgery. This
module looks at the query *lexically* (a SPARQL tokenizer, well under a millisecond, so it can
sit on every request) and refuses, before anything runs:

- updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR`` … ) sent as queries; updates themselves
  are judged by :func:`check_update` (only with the write token): never ``LOAD``, never
  ``SERVICE`` (a write must not depend on another server, or replaying it could not
  reproduce it), never a ``file:`` IRI;
- ``SERVICE`` unless its IRI is allow-listed (a variable service IRI is always refused);
- ``FROM`` / ``FROM NAMED`` and protocol ``default-graph-uri`` / ``named-graph-uri`` naming a
  graph that is not a graph of the dataset;
- any ``file:`` IRI.

It also reports the query form, which content negotiation needs before the query runs. A
malformed query is not judged here: the engine's parser reports it with its position.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

from rcm_graph.backend import QueryForm
from rcm_graph.errors import QueryError, QueryRefused

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\U000effff]+)
  | (?P<bnode>_:[^\s.;,(){}\[\]]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\U000effff][\w\-.\u00b7\u00c0-\U000effff]*)?:
               (?:[\w\-\u00b7\u00c0-\U000effff:%]|\\.|\.(?=[\w\-:%\\\u00c0-\U000effff]))*)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS: frozenset[str] = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS: frozenset[str] = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass
class QueryAnalysis:
    """What the tokenizer found: the form, and every IRI that could make the engine reach out."""

    form: QueryForm | None = None
    is_update: bool = False
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    service_iris: list[str] = field(default_factory=list)
    variable_service: bool = False
    from_iris: list[str] = field(default_factory=list)
    from_named_iris: list[str] = field(default_factory=list)
    file_iris: list[str] = field(default_factory=list)
    load: bool = False


def tokens(sparql: str) -> Iterator[Token]:
    """Significant tokens of a SPARQL text (whitespace and comments dropped)."""
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group(), match.start())


def _unescape_local(local: str) -> str:
    return re.sub(r"\\(.)", r"\1", local)


class _Resolver:
    def __init__(self, base: str | None) -> None:
        self.base = base
        self.prefixes: dict[str, str] = {}

    def iri(self, token: Token) -> str | None:
        if token.kind == "iri":
            raw = token.text[1:-1]
            return urljoin(self.base, raw) if self.base else raw
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + _unescape_local(local)
        return None


# Queries up to this length have their analysis remembered (a cache of 1,024 entries holds
# at most 8 MiB of query text).
ANALYSIS_CACHED_CHARS = 8 * 1024


def analyse(sparql: str, *, base_iri: str | None = None) -> QueryAnalysis:
    """Tokenize ``sparql`` and collect its form, prologue, SERVICE/FROM and ``file:`` IRIs.

    The result is shared between callers asking about the same text: treat it as read-only.
    WHY remembered: the policy check and the query worker both need it on every request, and
    tokenizing a catalogue query costs 0.2-1 ms, as much as answering a cheap query.
    """
    if len(sparql) <= ANALYSIS_CACHED_CHARS:
        return _analyse_cached(sparql, base_iri)
    return _analyse(sparql, base_iri)


@functools.lru_cache(maxsize=1024)
def _analyse_cached(sparql: str, base_iri: str | None) -> QueryAnalysis:
    return _analyse(sparql, base_iri)


def _analyse(sparql: str, base_iri: str | None) -> QueryAnalysis:
    toks = list(tokens(sparql))
    result = QueryAnalysis()
    resolver = _Resolver(base_iri)
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.upper() if tok.kind == "word" else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if word == "BASE" and nxt is not None and nxt.kind == "iri":
            resolver.base = resolver.iri(nxt)
            result.base = resolver.base
        elif word == "PREFIX" and nxt is not None and i + 2 < len(toks):
            namespace = resolver.iri(toks[i + 2])
            if nxt.kind == "pname" and namespace is not None:
                resolver.prefixes[nxt.text.rstrip(":")] = namespace
        elif word in QUERY_FORMS and result.form is None and not result.is_update:
            result.form = word  # type: ignore[assignment]
        elif word in UPDATE_KEYWORDS and result.form is None:
            result.is_update = True
        if word == "LOAD":
            result.load = True
        elif word == "SERVICE":
            _service(toks, i + 1, resolver, result)
        elif word == "FROM" and nxt is not None:
            named = nxt.kind == "word" and nxt.text.upper() == "NAMED"
            target = toks[i + 2] if named and i + 2 < len(toks) else nxt
            iri = resolver.iri(target)
            if iri is not None:
                (result.from_named_iris if named else result.from_iris).append(iri)
        if tok.kind in ("iri", "pname"):
            iri = resolver.iri(tok)
            if iri is not None and iri[:5].lower() == "file:":
                result.file_iris.append(iri)
        i += 1
    result.prefixes = resolver.prefixes
    return result


def _service(toks: Sequence[Token], i: int, resolver: _Resolver, result: QueryAnalysis) -> None:
    if i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() == "SILENT":
        i += 1
    if i >= len(toks):
        return
    if toks[i].kind == "var":
        result.variable_service = True
        return
    iri = resolver.iri(toks[i])
    if iri is not None:
        result.service_iris.append(iri)


def check(
    sparql: str,
    *,
    dataset_graphs: Collection[str] | Callable[[], Collection[str]] | None = None,
    service_allowlist: Collection[str] = (),
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    base_iri: str | None = None,
) -> QueryAnalysis:
    """Refuse what this endpoint must never do; return the analysis for what it may.

    ``dataset_graphs`` is the set of graph IRIs of the served dataset (None: do not check
    dataset IRIs, e.g. for a remote backend whose graphs are unknown), or a function giving
    it, called only when the query or the protocol names a graph (most queries do not, and a
    dataset can have thousands of graphs). Raises
    :class:`QueryRefused` (HTTP 403) for updates, SERVICE and ``file:`` IRIs, and
    :class:`QueryError` (HTTP 400) for a dataset IRI that names no graph of the dataset.
    """
    analysis = analyse(sparql, base_iri=base_iri)
    if analysis.is_update:
        raise QueryRefused(
            "SPARQL Update is not allowed: this endpoint is read-only",
            hint="send a SELECT, ASK, CONSTRUCT or DESCRIBE query",
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


def check_update(sparql: str, *, base_iri: str | None = None) -> QueryAnalysis:
    """Refuse what an update may never do here, even with the write token.

    ``LOAD`` fetches from the network (and ``LOAD <file:…>`` would read the server's disk);
    ``SERVICE`` in an update's ``WHERE`` would make the write depend on another server, which a
    replay of the journal could not reproduce; ``file:`` IRIs are refused everywhere. Raises
    :class:`QueryRefused` (HTTP 403), or :class:`QueryError` (400) for a query sent as update.
    """
    analysis = analyse(sparql, base_iri=base_iri)
    if analysis.form is not None and not analysis.is_update:
        raise QueryError(
            f"a {analysis.form} query was sent as an update",
            where="update",
            hint="send queries as query=... or with Content-Type application/sparql-query",
        )
    if analysis.load:
        raise QueryRefused(
            "LOAD is not allowed: this endpoint makes no outbound requests",
            where="update",
            hint="send the data itself: INSERT DATA, or PUT/POST it to the graph store",
        )
    if analysis.variable_service or analysis.service_iris:
        raise QueryRefused(
            "SERVICE is not allowed in an update (a write may not depend on another server)",
            where="update",
            hint="query the other server first and INSERT DATA what you need",
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
