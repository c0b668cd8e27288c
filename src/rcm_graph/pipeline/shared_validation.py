"""Validating the nodes that several documents describe, against what each document says.

The per-document validation sees one document at a time; a node several documents describe
(a meeting, a state, an organisation) may break a shape only in their union (two different
meeting types, where ``sh:maxCount 1``). :class:`SubjectIndex` finds those nodes on disk while
the documents stream past, and :func:`validate_shared` validates them in chunks against their
neighbourhood read back from the store. The build and ``rcm-graph validate`` both use it.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import OA, RCM
from rcm_graph.pipeline.convert import to_rdflib
from rcm_graph.stages.validation import ValidationReport, Validator


class SubjectIndex:
    """Which documents describe which IRI (as a subject), on disk.

    WHY on disk: the shared-node validation needs the IRIs that several documents describe;
    a dictionary of every subject of every document grows with the corpus (millions of IRIs
    at 10,000 documents). SQLite sorts them on disk with a bounded cache instead.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA cache_size = -16000")  # KiB
        self.db.execute("CREATE TABLE subject (iri TEXT NOT NULL, doc INTEGER NOT NULL)")

    _SUBJECT = re.compile(rb"^<([^>]*)> ", re.MULTILINE)

    def add(self, doc: int, ntriples: bytes) -> None:
        subjects = {s.decode("utf-8") for s in self._SUBJECT.findall(ntriples)}
        self.db.executemany("INSERT INTO subject VALUES (?, ?)", ((s, doc) for s in subjects))

    def shared(self) -> Iterator[str]:
        """IRIs that more than one document describes, sorted."""
        self.db.commit()
        rows = self.db.execute(
            "SELECT iri FROM subject GROUP BY iri HAVING COUNT(*) > 1 ORDER BY iri"
        )
        for (iri,) in rows:
            yield str(iri)

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)


# What of a shared node's surroundings its validation needs: the node's triples, and the types
# of every node one hop away (forwards, and backwards along the properties that shapes follow
# with sh:inversePath): the shapes ask nothing else of a shared node's values (sh:class; a
# concept's scheme is in the reference data). The report's evidence goes further along the
# provenance path (span -> its selectors and source document), which is followed in full.
_SHARED_DEPTH = 1
_EVIDENCE_HOPS = (
    pyoxigraph.NamedNode(str(OA.hasSelector)),
    pyoxigraph.NamedNode(str(OA.hasSource)),
)


SHARED_CHUNK = 16  # shared nodes validated per run


def validate_shared(
    store: pyoxigraph.Store,
    validator: Validator,
    shapes: Graph,
    iris: Iris,
    graphs: dict[str, str],
    shared: Iterator[str],
) -> list[ValidationReport]:
    """Validate the IRIs several documents describe against what the documents say around
    them, read back from the store, :data:`SHARED_CHUNK` nodes at a time:
    :meth:`Validator.validate_shared` gets, per document that mentions a node of the chunk,
    that document's triples about the chunk's nodes, the types of the nodes one hop away
    (forwards, and backwards along the shapes' inverse paths) and their evidence (span,
    selectors, source), and the inferred triples about the same nodes as one context graph.

    WHY not the documents themselves: at thousands of documents nearly every document names a
    shared state or organisation, and passing whole documents would hold the corpus in memory
    again. The projection keeps every triple a shape (or the report's evidence) can reach
    from a node of the chunk. A node that is a subject in two projected documents is a subject
    in two documents, i.e. shared; when it belongs to another chunk, it is not validated in
    this run (made against a partial neighbourhood): the validator is given the chunk as
    ``focus``, and :func:`_only_focus` keeps only results about it. Memory: the neighbourhood
    of one chunk, not the corpus.
    """
    inverse = sorted(
        {
            pyoxigraph.NamedNode(str(o))
            for o in shapes.objects(None, SH.inversePath)
            if isinstance(o, URIRef)
        },
        key=str,
    )
    inferred_iri = str(iris.graph("inferred"))
    reports: list[ValidationReport] = []
    while chunk := list(itertools.islice(shared, SHARED_CHUNK)):
        documents, inferred = _neighbourhood(store, chunk, graphs, inferred_iri, inverse)
        focus = [URIRef(iri) for iri in chunk]
        report = validator.validate_shared(documents, [inferred], focus=focus)
        reports.append(_only_focus(report, set(chunk)))
    return reports


def _only_focus(report: ValidationReport, focus: set[str]) -> ValidationReport:
    """``report`` without the results about nodes outside ``focus`` (and their nodes in the
    report graph: the result, and blank nodes only it refers to, e.g. a path expression)."""
    kept = [r for r in report.results if r.focus in focus]
    if len(kept) == len(report.results):
        return report
    graph = report.graph
    results = set(graph.subjects(RDF.type, SH.ValidationResult))
    dropped = {n for n in results if str(graph.value(n, SH.focusNode)) not in focus}
    keep_nodes = results - dropped
    reachable_kept: set[Node] = set()
    todo = list(keep_nodes)
    while todo:
        node = todo.pop()
        for o in graph.objects(node):
            if isinstance(o, BNode) and o not in reachable_kept:
                reachable_kept.add(o)
                todo.append(o)
    remove: set[Node] = set(dropped)
    todo = list(dropped)
    while todo:
        node = todo.pop()
        for o in graph.objects(node):
            if isinstance(o, BNode) and o not in remove and o not in reachable_kept:
                remove.add(o)
                todo.append(o)
    out = Graph()
    for s_, p_, o_ in graph:
        if s_ not in remove and o_ not in remove:
            out.add((s_, p_, o_))
    conforms = not any(r.severity == "Violation" for r in kept)
    for top in out.subjects(RDF.type, SH.ValidationReport):
        out.set((top, SH.conforms, Literal(conforms)))
    return ValidationReport(conforms, kept, out, list(report.warnings))


class _Kept:
    """What a neighbourhood keeps: per document, its triples; and the inferred triples."""

    def __init__(self, graphs: dict[str, str], inferred_iri: str) -> None:
        self.graphs = graphs
        self.inferred_iri = inferred_iri
        self.documents: dict[str, Graph] = {}
        self.inferred = Graph()

    def keep(self, q: Any) -> bool:
        """Keep the quad ``q`` when it is in a document graph or the inferred graph."""
        if not isinstance(q.graph_name, pyoxigraph.NamedNode):
            return False
        triple = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        name = q.graph_name.value
        if name == self.inferred_iri:
            self.inferred.add(triple)
        elif name in self.graphs:
            self.documents.setdefault(self.graphs[name], Graph()).add(triple)
        else:
            return False
        return True


_RDF_TYPE = pyoxigraph.NamedNode(str(RDF.type))
_EVIDENCE = pyoxigraph.NamedNode(str(RCM.evidence))


def _neighbourhood(
    store: pyoxigraph.Store,
    seeds: Sequence[str],
    graphs: dict[str, str],
    inferred_iri: str,
    inverse: Sequence[Any],
) -> tuple[dict[str, Graph], Graph]:
    """Per document graph, its triples around ``seeds`` (see :func:`validate_shared`), and
    the inferred triples about the same nodes."""
    kept = _Kept(graphs, inferred_iri)
    seen: set[str] = set()
    frontier = [pyoxigraph.NamedNode(s) for s in seeds]
    spans: set[str] = set()  # evidence spans of the seeds
    full: set[str] = set()  # nodes on the evidence path: every triple about them
    typed: set[str] = set()  # nodes whose types are already kept
    for depth in range(_SHARED_DEPTH + 2):
        reached: list[Any] = []
        for node in frontier:
            # a neighbour's types only (what sh:class asks of a value), except along the
            # evidence path, which the report follows to the selectors and the source
            whole = depth == 0 or node.value in spans or node.value in full
            if node.value in seen or (not whole and node.value in typed):
                continue
            (seen if whole else typed).add(node.value)
            for q in store.quads_for_pattern(node, None if whole else _RDF_TYPE, None):
                if not kept.keep(q) or not isinstance(q.object, pyoxigraph.NamedNode):
                    continue
                if depth < _SHARED_DEPTH:
                    reached.append(q.object)
                    if q.predicate == _EVIDENCE:
                        spans.add(q.object.value)
                elif (
                    depth == _SHARED_DEPTH and node.value in spans and q.predicate in _EVIDENCE_HOPS
                ):
                    reached.append(q.object)
                    full.add(q.object.value)
            if depth == 0:  # backwards only from the shared nodes themselves
                reached += _backwards(store, node, inverse, kept, reach=depth < _SHARED_DEPTH)
        frontier = reached
    return kept.documents, kept.inferred


def _backwards(
    store: pyoxigraph.Store, node: Any, inverse: Sequence[Any], kept: _Kept, *, reach: bool
) -> list[Any]:
    """Keep the triples pointing at ``node`` along the shapes' inverse paths, and their
    subjects' types; return those subjects when the walk goes on (``reach``)."""
    reached: list[Any] = []
    for predicate in inverse:
        for q in store.quads_for_pattern(None, predicate, node):
            if not kept.keep(q) or not isinstance(q.subject, pyoxigraph.NamedNode):
                continue
            for t in store.quads_for_pattern(q.subject, _RDF_TYPE, None, q.graph_name):
                kept.keep(t)
            if reach:
                reached.append(q.subject)
    return reached
