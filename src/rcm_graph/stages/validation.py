"""SHACL validation (pyshacl), per document, with results that point back into the text.

WHY per document: pyshacl over a whole graph grows super-linearly (about 6 s at 10k triples,
90 s at 100k on the project's machine); one document validated against its shapes, with the
ontology, reference data and the document's inferred triples as context, takes a fraction of a
second and can be cached with the document.

What per-document validation cannot see are constraints whose violation needs triples from two
document graphs: a node that several documents describe (a meeting, a person) may break a
``sh:maxCount`` or ``sh:uniqueLang`` only in the union. :meth:`Validator.validate_shared`
closes that gap: it validates exactly the nodes described in more than one document, against
the union of those documents' descriptions of them.

Results are data (a report graph for the ``validation`` named graph) and text: each result
names the focus node, the path, the message, and — through the node's ``rcm:evidence`` — the
source document and the span of text it came from.

SPARQL-based constraints need a guard on rdflib: its SPARQL evaluator orders literals of
incompatible datatypes instead of raising a type error, so ``?date < ?other`` between an
``xsd:date`` and a plain string is *true* and produces false violations (notes: 68 false
results in a benchmark). :func:`unguarded_sparql_constraints` finds ordering comparisons in
``sh:select`` queries that lack a ``datatype(...)`` test, and the report lists them as warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pyshacl import validate as pyshacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from rcm_graph.errors import ShapeError
from rcm_graph.model.vocab import OA, PREFIXES, RCM


@dataclass(frozen=True)
class Evidence:
    """Where a focus node came from: the source file and the text span."""

    source: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class ValidationResult:
    focus: str
    path: str | None
    message: str
    severity: str  # Violation, Warning, Info
    constraint: str
    value: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass
class ValidationReport:
    """The outcome of validating one or several graphs; ``graph`` is the SHACL report."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)
    warnings: list[str] = field(default_factory=list)

    def format(self) -> str:
        return format_report(self)


def _short(node: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if node.startswith(str(namespace)):
            return f"{prefix}:{node[len(str(namespace)) :]}"
    return f"<{node}>" if node.startswith(("http://", "https://")) else node


def format_report(report: ValidationReport) -> str:
    """The report as text for a terminal: one block per result."""
    if report.conforms and not report.results:
        lines = ["validation: conforms (0 results)"]
    else:
        verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
        lines = [f"validation: {verdict} ({len(report.results)} results)"]
    for r in sorted(report.results, key=lambda r: (r.severity, r.focus, r.path or "")):
        where = f"  path {_short(r.path)}" if r.path else ""
        lines.append(f"- {r.severity}: {_short(r.focus)}{where}")
        lines.append(f"    {r.message}")
        if r.value is not None:
            lines.append(f"    value: {r.value}")
        for ev in r.evidence[:3]:
            quote = ev.quote if len(ev.quote) <= 80 else ev.quote[:77] + "..."
            lines.append(f'    source: {ev.source} [{ev.start}-{ev.end}] "{quote}"')
    lines.extend(f"warning: {w}" for w in report.warnings)
    return "\n".join(lines)


def _evidence(data: Graph, focus: Node) -> tuple[Evidence, ...]:
    found = []
    for span in data.objects(focus, RCM.evidence):
        doc = data.value(span, OA.hasSource)
        source = data.value(doc, RCM.sourceFile) if doc is not None else None
        start = end = None
        quote = ""
        for selector in data.objects(span, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in data:
                start, end = data.value(selector, OA.start), data.value(selector, OA.end)
            elif (selector, RDF.type, OA.TextQuoteSelector) in data:
                quote = str(data.value(selector, OA.exact) or "")
        if start is not None and end is not None:
            label = str(source) if source is not None else str(doc)
            found.append(Evidence(label, int(str(start)), int(str(end)), quote))
    return tuple(sorted(found, key=lambda e: (e.source, e.start)))


def _node_text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return "(path expression)"
    return str(node)


def _results(report: Graph, data: Graph) -> list[ValidationResult]:
    results = []
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(top, SH.result):
            focus = report.value(r, SH.focusNode)
            severity = report.value(r, SH.resultSeverity)
            component = report.value(r, SH.sourceConstraintComponent)
            messages = sorted(str(m) for m in report.objects(r, SH.resultMessage))
            results.append(
                ValidationResult(
                    focus=str(focus),
                    path=_node_text(report.value(r, SH.resultPath)),
                    message="; ".join(messages) or _short(str(component)),
                    severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                    constraint=_short(str(component)),
                    value=_node_text(report.value(r, SH.value)),
                    evidence=_evidence(data, focus) if focus is not None else (),
                )
            )
    return results


_ORDERING = re.compile(r"(?<![<>!=])(<=|>=|<|>)(?![<>=])")
_IRI_REF = re.compile(r"<[^<>\s]*>")


def unguarded_sparql_constraints(shapes: Graph) -> list[str]:
    """``sh:select`` queries that compare with < > <= >= but never test ``datatype(...)``."""
    found = []
    for shape, select in shapes.subject_objects(SH.select):
        text = _IRI_REF.sub("", str(select))
        if _ORDERING.search(text) and "datatype(" not in text.lower():
            found.append(
                f"SPARQL constraint of {_short(str(shape))} compares values without a "
                "datatype(...) guard; rdflib orders mismatched datatypes and may report "
                "false violations"
            )
    return sorted(set(found))


_PREPARED: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Query] = {}
_PREPARED_MAX = 4096


@contextmanager
def _sparql_parsed_once() -> Iterator[None]:
    """While validating, parse each SPARQL text once instead of once per evaluation.

    WHY: pyshacl hands rdflib the *text* of a SPARQL-based constraint for every focus node it
    checks, and rdflib parses it again every time (pyparsing: ~0.1 s per query). Profiled on a
    document of the bundled corpus, parsing was over half of validation time. A translated
    rdflib ``Query`` is reusable (that is what ``prepareQuery`` returns), so it is cached by
    (text, base, namespaces); evaluation and results are unchanged.
    """
    original = SPARQLProcessor.query

    def query(
        self: SPARQLProcessor,
        query_or_text: str | Query,
        init_bindings: Mapping[str, Any] | None = None,
        init_ns: Mapping[str, Any] | None = None,
        base: str | None = None,
        **kwargs: Any,
    ) -> Mapping[str, Any]:
        if isinstance(query_or_text, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (init_ns or {}).items()))
            key = (query_or_text, base, namespaces)
            prepared = _PREPARED.get(key)
            if prepared is None:
                prepared = translateQuery(parseQuery(query_or_text), base, init_ns)
                if len(_PREPARED) < _PREPARED_MAX:
                    _PREPARED[key] = prepared
            query_or_text = prepared
        result: Mapping[str, Any] = original(
            self, query_or_text, init_bindings, init_ns, base, **kwargs
        )
        return result

    SPARQLProcessor.query = query  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


def _merge(*graphs: Graph) -> Graph:
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


VALIDATORS = ("turbo", "pyshacl")
#: the engine :class:`Validator` uses unless told otherwise (setting ``validator``)
DEFAULT_VALIDATOR = "turbo"
#: shared nodes validated per SHACL run by :meth:`Validator.validate_shared`
SHARED_BATCH = 500


def _unusable_shapes(exc: BaseException) -> ShapeError:
    """One message for shapes an engine cannot load or run, whichever engine said so."""
    message = " ".join(str(getattr(exc, "message", exc)).split())
    return ShapeError(
        f"the SHACL shapes cannot be used: {message}",
        where="shapes/",
        hint="fix the shape (run pyshacl on the shapes alone to locate it)",
    )


def _compile_turbo(shapes: Graph) -> Any:
    """The shapes compiled once by pyshacl-turbo (pyshacl's API and results, constraints
    evaluated in Rust: tests/test_shacl_engine_equivalence.py), or None when pyshacl-turbo
    is not installed (pyshacl is then used)."""
    try:
        from pyshacl_turbo import compile_shapes
    except ImportError:  # pragma: no cover - a runtime dependency; pyshacl is the fallback
        return None
    try:
        return compile_shapes(shapes, advanced=True)  # type: ignore[no-untyped-call]
    except Exception as exc:  # the engine's own error types: a shape it cannot load
        raise _unusable_shapes(exc) from None


class Validator:
    """Validates graphs against the shapes with the ontology and reference data as context."""

    def __init__(
        self,
        shapes: Graph,
        ontology: Graph,
        reference: Graph,
        reference_inferred: Graph,
        *,
        engine: str = DEFAULT_VALIDATOR,
    ) -> None:
        """``engine``: ``"turbo"`` (pyshacl-turbo) or ``"pyshacl"``."""
        if engine not in VALIDATORS:
            raise ValueError(
                f"unknown validator {engine!r}; expected one of {', '.join(VALIDATORS)}"
            )
        self.engine = engine
        self.shapes = shapes
        self._turbo: Any = _compile_turbo(shapes) if engine == "turbo" else None
        self._background = _merge(ontology, reference, reference_inferred)
        self.shape_warnings = unguarded_sparql_constraints(shapes)
        self._hierarchy = Graph()  # sh:class follows rdfs:subClassOf in the data graph
        for triple in ontology.triples((None, RDFS.subClassOf, None)):
            self._hierarchy.add(triple)
        self._about: dict[Node, list[tuple[Node, Node, Node]]] = {}
        for triple in self._background:
            self._about.setdefault(triple[0], []).append(triple)

    def _context(self, graphs: Sequence[Graph]) -> Graph:
        """The graphs to validate plus what the background says about the nodes they name,
        two hops out (a value's types and schemes, and their labels).

        WHY not the whole background: pyshacl runs SPARQL-based constraints with rdflib's
        evaluator, whose cost grows with the data graph; the ontology and the reference graph
        are several thousand triples that a document's constraints never reach beyond its
        own nodes' neighbourhood.
        """
        triples: set[tuple[Node, Node, Node]] = set(self._hierarchy)
        frontier: set[Node] = set()
        for g in graphs:
            for t in g:
                triples.add(t)
                for n in (t[0], t[2]):
                    if isinstance(n, URIRef):
                        frontier.add(n)
        seen: set[Node] = set()
        for _ in range(2):
            reached: set[Node] = set()
            for node in frontier - seen:
                seen.add(node)
                for triple in self._about.get(node, ()):
                    triples.add(triple)
                    if isinstance(triple[2], URIRef):
                        reached.add(triple[2])
            frontier = reached
        # pyshacl-turbo only reads the data graph once: the store without per-context
        # bookkeeping builds twice as fast; pyshacl queries it with SPARQL (default store)
        data = Graph(store=SimpleMemory()) if self._turbo is not None else Graph()
        store_add = data.store.add
        for triple in triples:
            store_add(triple, data)
        return data

    def _run(self, data: Graph, focus: Sequence[URIRef] | None) -> ValidationReport:
        if focus is not None and not focus:
            return ValidationReport(conforms=True)
        try:
            if self._turbo is not None:
                conforms, report_graph, _ = self._run_turbo(data, focus)
            else:
                with _sparql_parsed_once():
                    conforms, report_graph, _ = pyshacl_validate(
                        data,
                        shacl_graph=self.shapes,
                        inference="none",
                        advanced=True,
                        allow_warnings=True,
                        inplace=True,  # ``data`` is built for this run: no need to copy it
                        focus_nodes=list(focus) if focus is not None else None,
                    )
        except ReportableRuntimeError as exc:  # a shape pyshacl cannot load or run
            raise _unusable_shapes(exc) from None
        if not isinstance(report_graph, Graph):  # pyshacl's ValidationFailure: a shape failed
            raise ShapeError(
                f"the SHACL shapes cannot be used: {report_graph}",
                where="shapes/",
                hint="fix the shape (run pyshacl on the shapes alone to locate it)",
            )
        results = _results(report_graph, data)
        return ValidationReport(bool(conforms), results, report_graph)

    def _run_turbo(self, data: Graph, focus: Sequence[URIRef] | None) -> tuple[bool, Any, Any]:
        import pyshacl_turbo

        try:
            result: tuple[bool, Any, Any] = self._turbo.validate(
                data,
                allow_warnings=True,
                focus_nodes=list(focus) if focus is not None else None,
            )
        except (pyshacl_turbo.ValidationFailure, pyshacl_turbo.ReportableRuntimeError) as exc:
            message = " ".join(str(getattr(exc, "message", exc)).split())
            raise ShapeError(
                f"the SHACL shapes cannot be used: {message}",
                where="shapes/",
                hint="fix the shape (run pyshacl on the shapes alone to locate it)",
            ) from None
        return result

    def validate_reference(self) -> ValidationReport:
        """The ontology and reference graph on their own (every targeted node)."""
        return self._run(self._background, None)

    def validate_document(self, document: Graph, inferred: Graph) -> ValidationReport:
        """One document graph: its own nodes, with background and its inferred triples."""
        focus = sorted({s for s in document.subjects() if isinstance(s, URIRef)})
        return self._run(self._context([document, inferred]), focus)

    def validate_shared(
        self,
        documents: Mapping[str, Graph],
        inferred: Iterable[Graph] = (),
        *,
        focus: Iterable[URIRef] | None = None,
    ) -> ValidationReport:
        """Nodes described in more than one document, against all their descriptions.

        ``inferred``: the documents' inferred triples, in the order of ``documents`` (one graph
        per document); graphs beyond that count (or all of them, when there are fewer graphs
        than documents) are context for every shared node. ``focus``: validate exactly these
        nodes (the caller knows which are shared, e.g. from an index on disk) instead of the
        subjects of more than one of ``documents``.

        WHY not one run over the union of all documents: at thousands of documents nearly
        every state and organisation is described by several of them, and the union is the
        whole dataset. Each shared node is validated, in batches of :data:`SHARED_BATCH`,
        against a projection: from each document that mentions it, the triples within three
        hops of it (its evidence spans and their selectors), the triples pointing at it and
        their subjects' types, and the same document's inferred triples about those nodes.
        The mapper keeps a node's description, its values' types and its provenance in the
        document graph that states it, so constraints see what the union would show them
        about the node (tests/build/test_build_rules_validation.py compares both ways).
        """
        graphs = list(documents.values())
        extra = list(inferred)
        per_doc = extra[: len(graphs)] if len(extra) >= len(graphs) else []
        context = extra[len(graphs) :] if per_doc else extra
        if focus is not None:
            shared = sorted(set(focus))
        else:
            seen: dict[URIRef, int] = {}
            for graph in graphs:
                for s in {s for s in graph.subjects() if isinstance(s, URIRef)}:
                    seen[s] = seen.get(s, 0) + 1
            shared = sorted(s for s, n in seen.items() if n > 1)
        if not shared:
            return ValidationReport(conforms=True)
        shared_set = set(shared)
        # per document, the shared nodes it mentions (one pass over each graph)
        mentions: list[tuple[Graph, Graph | None, set[Node]]] = []
        for i, graph in enumerate(graphs):
            named = {n for t in graph for n in (t[0], t[2]) if n in shared_set}
            if named:
                mentions.append((graph, per_doc[i] if per_doc else None, named))
        reports = []
        for start in range(0, len(shared), SHARED_BATCH):
            batch = shared[start : start + SHARED_BATCH]
            wanted: set[Node] = set(batch)
            projection = Graph()
            for graph, inferred_graph, named in mentions:
                if not named.isdisjoint(wanted):
                    _project(projection, named & wanted, graph, inferred_graph)
            for graph in context:
                _project(projection, wanted, graph, None)
            reports.append(self._run(self._context([projection]), batch))
        report = reports[0] if len(reports) == 1 else combine(reports)
        return _without_provenance_paths(report)

    def validate_shared_union(
        self, documents: Mapping[str, Graph], inferred: Iterable[Graph] = ()
    ) -> ValidationReport:
        """The former :meth:`validate_shared`: shared nodes against the union of every
        document and inferred graph (for comparison in tests; does not scale)."""
        seen: dict[URIRef, int] = {}
        for graph in documents.values():
            for s in {s for s in graph.subjects() if isinstance(s, URIRef)}:
                seen[s] = seen.get(s, 0) + 1
        shared = sorted(s for s, n in seen.items() if n > 1)
        if not shared:
            return ValidationReport(conforms=True)
        report = self._run(self._context([*documents.values(), *inferred]), shared)
        return _without_provenance_paths(report)


_HOPS = 3


def _project(out: Graph, wanted: set[Node], graph: Graph, inferred: Graph | None) -> None:
    """Add to ``out`` what ``graph`` (and its ``inferred`` triples) say within ``_HOPS`` hops
    of the ``wanted`` nodes, plus the triples pointing at them and their subjects' types."""
    sources = [graph] if inferred is None else [graph, inferred]
    frontier: set[Node] = set()
    for g in sources:
        for node in wanted:
            if (node, None, None) in g:
                frontier.add(node)
            for subject, predicate in g.subject_predicates(node):
                out.add((subject, predicate, node))
                for t in g.objects(subject, RDF.type):
                    out.add((subject, RDF.type, t))
    seen: set[Node] = set()
    for _ in range(_HOPS):
        reached: set[Node] = set()
        for node in frontier - seen:
            seen.add(node)
            for g in sources:
                for p, o in g.predicate_objects(node):
                    out.add((node, p, o))
                    if not isinstance(o, Literal):
                        reached.add(o)
        frontier = reached


# Provenance is per document: each document graph gives a node it describes its own evidence
# and method, so in the union a shared node has one of each per document. Their cardinality is
# checked per document graph; in the union it is not a violation.
_PER_DOCUMENT_PATHS = {str(RCM.evidence), str(RCM.extractionMethod)}


def _without_provenance_paths(report: ValidationReport) -> ValidationReport:
    kept = [r for r in report.results if r.path not in _PER_DOCUMENT_PATHS]
    if len(kept) == len(report.results):
        return report
    dropped = {
        node
        for node in report.graph.subjects(RDF.type, SH.ValidationResult)
        if str(report.graph.value(node, SH.resultPath)) in _PER_DOCUMENT_PATHS
    }
    graph = Graph()
    for s, p, o in report.graph:
        if s not in dropped and o not in dropped:
            graph.add((s, p, o))
    conforms = not any(r.severity == "Violation" for r in kept)
    for top in graph.subjects(RDF.type, SH.ValidationReport):
        graph.set((top, SH.conforms, Literal(conforms, datatype=XSD.boolean)))
    return ValidationReport(conforms, kept, graph)


def combine(
    reports: Iterable[ValidationReport], *, warnings: Sequence[str] = ()
) -> ValidationReport:
    """One report (and one ``sh:ValidationReport`` node) from several partial reports.

    A node validated twice (per document and again as a shared node) may yield the same
    result twice; results are de-duplicated by (focus, path, constraint, message, value).
    """
    report_graph = Graph()
    for prefix in ("sh", "rcm", "xsd"):
        report_graph.bind(prefix, PREFIXES[prefix])
    top = BNode()
    results: dict[tuple[str, str | None, str, str, str | None], ValidationResult] = {}
    conforms = True
    for report in reports:
        conforms = conforms and report.conforms
        for r in report.results:
            results.setdefault((r.focus, r.path, r.constraint, r.message, r.value), r)
        old_tops = set(report.graph.subjects(RDF.type, SH.ValidationReport))
        for old_top in old_tops:
            for result_node in report.graph.objects(old_top, SH.result):
                report_graph.add((top, SH.result, result_node))
        for s, p, o in report.graph:
            if s not in old_tops:
                report_graph.add((s, p, o))
    report_graph.add((top, RDF.type, SH.ValidationReport))
    report_graph.add((top, SH.conforms, Literal(conforms, datatype=XSD.boolean)))
    return ValidationReport(conforms, list(results.values()), report_graph, list(warnings))
