"""One edit and how it applies: parsing a Graph Store body, checking an update, applying either
to a store while keeping the default graph the union of the named graphs.

WHY its own module: the write path (:mod:`rcm_graph.writes.writer`) and the journal replay of a
rebuild (:mod:`rcm_graph.writes.journal`) apply edits the same way, and neither owns the other.
The union invariant is described in :mod:`rcm_graph.writes.writer` and docs/data-model.md.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pyoxigraph

from rcm_graph.errors import QueryError
from rcm_graph.model.formats import JSON_LD, N_TRIPLES, RDF_FORMATS, RDF_XML, TURTLE
from rcm_graph.model.iris import Iris
from rcm_graph.model.sparql_text import Unclassifiable
from rcm_graph.model.sparql_text import tokens as sparql_tokens
from rcm_graph.store import internal_sparql as sparql

Operation = Literal["update", "put", "post", "delete"]

# RDF bodies the Graph Store Protocol accepts (one graph each), by media type.
# (one graph each: no TriG or N-Quads; application/x-turtle is the older name of Turtle)
BODY_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    TURTLE: RDF_FORMATS[TURTLE],
    "application/x-turtle": RDF_FORMATS[TURTLE],
    N_TRIPLES: RDF_FORMATS[N_TRIPLES],
    RDF_XML: RDF_FORMATS[RDF_XML],
    JSON_LD: RDF_FORMATS[JSON_LD],
}


@dataclass(frozen=True)
class Edit:
    """One write: a SPARQL Update (``operation="update"``) or a Graph Store Protocol request.

    For the Graph Store Protocol, ``graph`` is the target graph IRI (None: the default graph),
    ``payload`` the RDF body as text and ``media_type`` one of :data:`BODY_FORMATS`.
    """

    operation: Operation
    payload: str
    graph: str | None = None
    media_type: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Applied:
    """How many triples an edit added to and removed from the union (the default graph)."""

    added: int
    removed: int


# ---------------------------------------------------------------------------------------------
# Applying an edit to a store (also used by replay)


def parse_body(edit: Edit, base_iri: str) -> list[pyoxigraph.Quad]:
    """The triples of a Graph Store Protocol body, in the target graph.

    Raises :class:`QueryError` (400) with the parser's line and column, or when the body names
    graphs of its own (a Graph Store Protocol body is one graph).
    """
    fmt = BODY_FORMATS.get(edit.media_type or "")
    if fmt is None:
        raise QueryError(f"unsupported RDF media type {edit.media_type!r}", where="Content-Type")
    target: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph = (
        pyoxigraph.NamedNode(edit.graph) if edit.graph else pyoxigraph.DefaultGraph()
    )
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        check_xml_entities(edit.payload)
    try:
        quads = list(
            pyoxigraph.parse(
                edit.payload.encode("utf-8"), format=fmt, base_iri=edit.graph or base_iri
            )
        )
    except (SyntaxError, ValueError) as exc:
        raise QueryError(
            f"the request body is not valid {edit.media_type}: {exc}",
            where="request body",
            hint="positions are line and column of the body",
        ) from None
    if any(isinstance(q.object, pyoxigraph.Triple) for q in quads):
        raise QueryError(TRIPLE_TERMS_REFUSED, where="request body", hint=TRIPLE_TERMS_HINT)
    if any(not isinstance(q.graph_name, pyoxigraph.DefaultGraph) for q in quads):
        raise QueryError(
            "the request body names graphs; a Graph Store Protocol body is one graph",
            where="request body",
            hint="send the triples of one graph, and name the graph with ?graph=",
        )
    return [pyoxigraph.Quad(q.subject, q.predicate, q.object, target) for q in quads]


# WHY refused, and as bad input (it was a 503): every build is also published as JSON-LD,
# which has no triple terms, so a dataset holding one could not be written.
TRIPLE_TERMS_REFUSED = (
    "RDF 1.2 triple terms (<<( s p o )>>, or the reifier syntax << s p o >>) cannot be "
    "stored: the dataset is also published as JSON-LD, which cannot hold them"
)
TRIPLE_TERMS_HINT = "describe the statement with plain triples (e.g. rdf:Statement)"
HOLDS_TRIPLE_TERMS = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(isTRIPLE(?o)) }"


def has_operation(update: str) -> bool:
    """Whether a SPARQL Update text may hold an operation (False: only whitespace, comments and
    ``PREFIX``/``BASE`` declarations: an update that does nothing). Read with the one lexer
    (:func:`rcm_graph.model.sparql_text.tokens`, linear, lazy: it stops at the first token
    that is not a declaration). It only recognises; anything else (an operation, an unfinished
    declaration, an error) goes on to the engine, which reports it."""
    expect = ""  # the next token a declaration needs: "pname", "iri", or "" between them
    try:
        for token in sparql_tokens(update):
            word = token.text.upper() if token.kind == "word" else ""
            if not expect and word in ("PREFIX", "BASE"):
                expect = "pname" if word == "PREFIX" else "iri"
            elif expect == "pname" and token.kind == "pname" and token.text.endswith(":"):
                expect = "iri"
            elif expect == "iri" and token.kind == "iri":
                expect = ""
            else:
                return True
    except Unclassifiable:
        return True
    return bool(expect)


# What the entities of an RDF/XML body may add to it, in characters, once expanded.
MAX_ENTITY_EXPANSION = 1_000_000
_ENTITY_DECLARATION = re.compile(r"<!ENTITY\b")
_SIMPLE_ENTITY = re.compile(r"""<!ENTITY\s+([^\s%"'<>&;]+)\s+(?:"([^"]*)"|'([^']*)')\s*>""")
_XML_ENCODING = re.compile(r"""\ufeff?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_PARAMETER_REFERENCE = re.compile(r"%[^\s%;]+;")


def check_xml_entities(body: str) -> None:
    """Refuse an RDF/XML body whose DTD entities could expand beyond a small bound (400).

    WHY (issue 17): the RDF/XML parser expands DTD entities, so a 604-byte "billion laughs"
    body grew to 3 GB in the server process and a 1.8 KB one to 23.9 GB (the kernel killed the
    server). Simple internal entities (``<!ENTITY xsd "http://...#">``, common in RDF/XML) stay
    accepted: a value that references another entity (nesting is what multiplies), parameter
    and external entities are refused, and the references of the body may add at most
    :data:`MAX_ENTITY_EXPANSION` characters. Checked on the text, before any parsing."""
    where, hint = "request body", "declare only plain-text entities, or write the IRIs out"
    encoding = _XML_ENCODING.match(body)
    if encoding and encoding.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise QueryError(  # the parser would read the bytes otherwise than this check
            f"the RDF/XML body declares the encoding {encoding.group(1)!r}; send UTF-8",
            where=where,
            hint='declare encoding="UTF-8" or no encoding',
        )
    declared = len(_ENTITY_DECLARATION.findall(body))
    if not declared:
        return
    simple = _SIMPLE_ENTITY.findall(body)
    if len(simple) != declared:
        raise QueryError(
            "the RDF/XML body declares parameter or external entities, which are refused",
            where=where,
            hint=hint,
        )
    values: dict[str, str] = {}
    for name, double, single in simple:
        value = double or single
        if "&" in value or _PARAMETER_REFERENCE.search(value):
            raise QueryError(
                f"the RDF/XML entity {name!r} refers to other entities, which is refused "
                "(nested entities can expand a small body to gigabytes)",
                where=where,
                hint=hint,
            )
        values[name] = max(values.get(name, ""), value, key=len)  # declared twice: the longer
    added = sum(body.count(f"&{name};") * len(value) for name, value in values.items())
    if added > MAX_ENTITY_EXPANSION:
        raise QueryError(
            f"the RDF/XML entities of the body would add {added} characters "
            f"(at most {MAX_ENTITY_EXPANSION})",
            where=where,
            hint=hint,
        )


# Names no graph of the data can have (the snapshot lives only during one edit).
_SNAPSHOT_PREFIX = "urn:x-rcm-graph:edit-snapshot:"


def _count(store: pyoxigraph.Store, query: str) -> int:
    rows = store.query(query)
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    return next(int(row["n"].value) for row in rows)


def fix_union(store: pyoxigraph.Store, *, ignore: str = _SNAPSHOT_PREFIX) -> None:
    """Make the default graph the distinct union of the named graphs (except ``ignore``)."""
    names = {"B": ignore}
    store.update(sparql.UNION_EXTRA % names)
    store.update(sparql.UNION_MISSING % names)


def _run(store: pyoxigraph.Store, edit: Edit, base_iri: str) -> None:
    if edit.operation == "update":
        store.update(edit.payload, base_iri=base_iri)
        return
    target: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph = (
        pyoxigraph.NamedNode(edit.graph) if edit.graph else pyoxigraph.DefaultGraph()
    )
    if edit.operation == "delete":
        if isinstance(target, pyoxigraph.NamedNode):
            store.remove_graph(target)
        else:
            store.clear_graph(target)
        return
    quads = parse_body(edit, base_iri)
    if edit.operation == "put":
        if isinstance(target, pyoxigraph.NamedNode):
            if store.contains_named_graph(target):
                store.remove_graph(target)
            store.add_graph(target)
        else:
            store.clear_graph(target)
    store.extend(quads)


def apply_edit(
    store: pyoxigraph.Store,
    edit: Edit,
    iris: Iris,
    *,
    after_run: Callable[[], None] | None = None,
) -> Applied:
    """Apply ``edit`` to ``store`` (default graph = union of named graphs) and keep that so.

    ``after_run`` is called once the edit itself has run, before the union bookkeeping (the
    writer's time limit covers the edit, not the bookkeeping, whose cost is the dataset's).
    Raises ``SyntaxError`` for a malformed update, :class:`QueryError` for a bad body.
    """
    snapshot = store.dump(
        format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()
    )
    _run(store, edit, iris.base)
    if after_run is not None:
        after_run()
    # Only now, so the edit never saw it: the default graph as it was, in a graph of its own.
    # Blank node labels are kept, so they name the same nodes as in the store.
    names = {"B": _SNAPSHOT_PREFIX + os.urandom(8).hex(), "E": str(iris.edits_graph())}
    before = pyoxigraph.NamedNode(names["B"])
    store.extend(
        pyoxigraph.Quad(t.subject, t.predicate, t.object, before)
        for t in pyoxigraph.parse(
            snapshot or b"", format=pyoxigraph.RdfFormat.N_TRIPLES, rename_blank_nodes=False
        )
    )
    store.update(sparql.ADDED_TO_EDITS % names)
    store.update(sparql.REMOVED_EVERYWHERE % names)
    fix_union(store, ignore=names["B"])
    applied = Applied(
        added=_count(store, sparql.COUNT_ADDED % names),
        removed=_count(store, sparql.COUNT_REMOVED % names),
    )
    store.remove_graph(before)
    return applied
