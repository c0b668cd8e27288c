"""OWL 2 RL reasoning, per document, keeping only the triples reasoning adds.

Two engines give the same results (tests/build/test_build_rules_equivalence.py): the compiled
instance rules of :mod:`rcm_graph.stages.owl_rl` (the default, setting ``reasoner = rules``: about
15-20 ms per document) and owlrl (``reasoner = owlrl``: about 1.2 s per document), which the
rules fall back to for a document or an ontology they cannot close exactly. The ontology and
reference data are closed by owlrl once per build either way (cached).

WHY per document: owlrl's closure grows super-linearly with the graph (about 28-38 s for a
10k-triple graph on the project's machine, minutes at 100k), while the ontology + reference
data + one document closes in well under a second and can be cached with that document.

WHEN per-document reasoning is safe: an OWL 2 RL rule fires on a handful of premises that
share nodes. Every rule whose data premises all come from one document graph (subclass,
subproperty, domain and range, inverse, symmetric, the participation property chain — the
mapper puts the meeting, its participation node and the participant edge in the same graph —
and all schema rules) gives the same result per document as over the union, because each
document is reasoned together with the whole ontology and the whole reference graph (and the
reference graph's own closure). What per-document reasoning can MISS are rules whose data
premises come from two different document graphs:

- property chains and transitive properties whose links are asserted in different documents;
- functional / inverse-functional properties (``owl:sameAs`` between nodes of two documents);
- inconsistencies (disjoint classes, ``owl:Nothing``) whose premises are in two documents.

The second pass, :meth:`Reasoner.reason_across`, closes exactly those gaps: it projects the
union (asserted + already inferred) onto the properties that occur in property chains,
transitive, functional or inverse-functional axioms (with their sub-, super- and inverse
properties), closes that small projection together with the ontology, and keeps what is new.
Classification rules need no second pass: they have a single data premise.

Filtered out of every result: triples with a literal subject (generalised RDF that owlrl
produces, e.g. ``"2023-08-23"^^xsd:date a xsd:date``), reflexive ``owl:sameAs``, and the
schema tautologies owlrl adds (``C rdfs:subClassOf C``, ``owl:Nothing rdfs:subClassOf C``,
``C rdfs:subClassOf owl:Thing``, ``x a owl:Thing`` …) which say nothing a user can query for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import owlrl
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from rcm_graph.stages.owl_rl import RuleEngine

ENGINES = ("rules", "owlrl")
#: the engine :class:`Reasoner` uses unless told otherwise (setting ``reasoner``)
DEFAULT_ENGINE = "rules"

_ERRNS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
_REFLEXIVE_TAUTOLOGIES = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.sameAs,
}
_TOP_TYPES = {OWL.Thing, RDFS.Resource, OWL.Class, RDFS.Class, OWL.NamedIndividual}

Triple = tuple[Node, Node, Node]


@dataclass
class Inference:
    """What reasoning added (asserted triples excluded) and the inconsistencies it found."""

    triples: Graph
    problems: list[str] = field(default_factory=list)


_TYPE, _SUBCLASS, _SUBPROPERTY, _NOTHING = (
    RDF.type,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.Nothing,
)
_DROPPED_TYPES = frozenset(_TOP_TYPES | {RDF.Property, OWL.ObjectProperty})
_TOP_PROPERTIES = frozenset((OWL.topObjectProperty, OWL.topDataProperty))


def is_kept(triple: Triple) -> bool:
    s, p, o = triple
    if isinstance(s, Literal) or isinstance(p, Literal):
        return False
    if isinstance(s, BNode) or isinstance(o, BNode):
        return False  # owlrl's error nodes and literal proxies; our data has no blank nodes
    if p == _TYPE:
        return o not in _DROPPED_TYPES
    if p in _REFLEXIVE_TAUTOLOGIES and s == o:
        return False
    if p == _SUBCLASS and (s == _NOTHING or o in _TOP_TYPES):
        return False
    return not (p == _SUBPROPERTY and o in _TOP_PROPERTIES)


_ANNOTATIONS = {
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    OWL.versionInfo,
    *(
        SKOS[name]
        for name in (
            "prefLabel",
            "altLabel",
            "hiddenLabel",
            "definition",
            "scopeNote",
            "note",
            "example",
            "editorialNote",
            "changeNote",
            "historyNote",
        )
    ),
}


def inert_annotations(ontology: Graph) -> set[Node]:
    """Annotation properties that no axiom of the ontology mentions as a subject (no domain,
    range, sub-property, characteristic). A literal-valued triple with such a predicate can
    fire no OWL 2 RL rule except sameAs replication (``eq-rep-*``), and the data model never
    asserts ``owl:sameAs``; leaving these triples out of the reasoner's input changes no
    entailment and cuts its input by about 40 % (labels, definitions, notes)."""
    declared = set(ontology.subjects(RDF.type, OWL.AnnotationProperty)) | _ANNOTATIONS
    return {
        p
        for p in declared
        if all(q == RDF.type or isinstance(o, Literal) for q, o in ontology.predicate_objects(p))
    }


def _owlrl_additions(asserted: Graph, inert: set[Node] | None = None) -> Inference:
    """Close ``asserted`` with OWL 2 RL; return the filtered additions and error messages.

    Triples whose predicate is in ``inert`` and whose object is a literal are not given to the
    reasoner (see :func:`inert_annotations`); they are still part of ``asserted``.
    """
    work = Graph()
    skip = inert or set()
    for triple in asserted:
        if not (triple[1] in skip and isinstance(triple[2], Literal)):
            work.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    problems = sorted(
        str(message)
        for node in work.subjects(RDF.type, _ERRNS.ErrorMessage)
        for message in work.objects(node, _ERRNS.error)
    )
    added = Graph()
    for triple in work:
        if triple not in asserted and is_kept(triple):
            added.add(triple)
    return Inference(added, problems)


# (the representative's nodes, IRIs every member points to, renamings onto the other members)
_Replicas = list[tuple[set[Node], set[Node], list[dict[Node, Node]]]]


def _cluster_signature(
    document: Graph, nodes: Sequence[Node]
) -> tuple[tuple[object, ...], ...] | None:
    """The shape of a span cluster (span + selectors) with literal values abstracted away:
    equal signatures mean isomorphic clusters whose closure differs only by renaming."""
    role = {n: i for i, n in enumerate(nodes)}
    sig: list[tuple[object, ...]] = []
    for i, node in enumerate(nodes):
        for p, o in document.predicate_objects(node):
            if o in role:
                sig.append((i, p, "role", role[o]))
            elif isinstance(o, Literal):
                sig.append((i, p, "literal", o.datatype, o.language))
            elif isinstance(o, URIRef):
                sig.append((i, p, "iri", o))
            else:
                return None
        for s, p in document.subject_predicates(node):
            if s not in role:
                sig.append((i, "incoming", p))
    return tuple(sorted(sig, key=repr))


def span_templates(document: Graph) -> tuple[Graph, _Replicas]:
    """Split off provenance spans that are isomorphic to a representative one.

    WHY: a document's spans and selectors are two thirds of its triples, all of one shape
    (``rcm:TextSpan`` with a position and a quote selector). Their closure is the same up to
    renaming: it depends on their types and properties, not on offsets or quoted text. So only
    one span per shape is reasoned; the triples inferred about it (those that mention only its
    own nodes and nodes common to every span — classes, the document) are copied onto the
    others. Spans whose shape differs (or that hold blank nodes) are reasoned in full. The one
    thing not carried over is an inconsistency that depends on a literal's value (an ill-typed
    offset); SHACL checks offsets and their datatypes.
    """
    from rcm_graph.model.vocab import OA, RCM

    groups: dict[tuple[tuple[object, ...], ...], list[list[Node]]] = {}
    for span in sorted(document.subjects(RDF.type, RCM.TextSpan), key=str):
        selectors = sorted(
            document.objects(span, OA.hasSelector),
            key=lambda n: (sorted(str(t) for t in document.objects(n, RDF.type)), str(n)),
        )
        nodes = [span, *selectors]
        sig = _cluster_signature(document, nodes)
        if sig is not None and all(isinstance(n, URIRef) for n in nodes):
            groups.setdefault(sig, []).append(nodes)
    drop: set[Node] = set()
    replicas: _Replicas = []
    for members in groups.values():
        if len(members) < 2:
            continue
        rep, others = members[0], members[1:]
        shared: set[Node] = {o for n in rep for o in document.objects(n) if isinstance(o, URIRef)}
        shared -= set(rep)
        renamings = [dict(zip(rep, other, strict=True)) for other in others]
        replicas.append((set(rep), shared, renamings))
        drop.update(n for o in others for n in o)
    reduced = Graph()
    for triple in document:
        if triple[0] not in drop:
            reduced.add(triple)
    return reduced, replicas


def _schema_terms(schema: Graph) -> set[Node]:
    return {n for triple in schema for n in triple if isinstance(n, URIRef)}


def _merge(*graphs: Graph) -> Graph:
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


def _list_items(graph: Graph, head: Node) -> list[Node]:
    return list(Collection(graph, head)) if isinstance(head, BNode | URIRef) else []


def cross_document_properties(ontology: Graph) -> set[Node]:
    """Properties whose rules can join premises from two documents (see the module text)."""
    seeds: set[Node] = set()
    for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
        seeds.add(prop)
        seeds.update(_list_items(ontology, head))
    for kind in (OWL.TransitiveProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty):
        seeds.update(ontology.subjects(RDF.type, kind))
    related = set(seeds)
    changed = True
    while changed:  # sub-, super- and inverse properties feed or receive the same rules
        before = len(related)
        for p in list(related):
            related.update(ontology.subjects(RDFS.subPropertyOf, p))
            related.update(ontology.objects(p, RDFS.subPropertyOf))
            related.update(ontology.objects(p, OWL.inverseOf))
            related.update(ontology.subjects(OWL.inverseOf, p))
            related.update(ontology.objects(p, OWL.equivalentProperty))
            related.update(ontology.subjects(OWL.equivalentProperty, p))
        changed = len(related) != before
    return {p for p in related if isinstance(p, URIRef)}


class Reasoner:
    """OWL 2 RL over one document at a time, with the ontology and reference as background.

    The background (ontology + reference) is closed once. Each document is then closed
    together with the whole ontology (and its closure) and the part of the reference data
    (asserted and inferred) about the nodes the document names: the rules that join a
    document triple with a reference triple meet on such a node. Longer chains through the
    reference data are left to :meth:`reason_across`, which sees the whole union. Only what
    the document adds beyond the complete background is kept.
    """

    def __init__(
        self,
        ontology: Graph,
        reference: Graph,
        background_inference: Inference | None = None,
        *,
        engine: str = DEFAULT_ENGINE,
    ) -> None:
        """``background_inference``: a cached result of closing ontology + reference (the
        slowest single step: seconds), valid while neither changed. ``engine``: ``"rules"``
        (the compiled rules of :mod:`rcm_graph.stages.owl_rl`, falling back to owlrl for a document
        they cannot close exactly) or ``"owlrl"`` (owlrl for every document)."""
        if engine not in ENGINES:
            raise ValueError(f"unknown reasoner {engine!r}; expected one of {', '.join(ENGINES)}")
        self.engine = engine
        self.ontology = ontology
        self._inert = inert_annotations(ontology)
        background = _merge(ontology, reference)
        self.background_inference = background_inference or _owlrl_additions(
            background, self._inert
        )
        self._background = _merge(background, self.background_inference.triples)
        schema_terms = set(ontology.subjects())
        self._schema = _merge(ontology)
        self._about: dict[Node, list[Triple]] = {}
        for triple in self._background:
            if triple[0] in schema_terms:
                self._schema.add(triple)
            else:
                self._about.setdefault(triple[0], []).append(triple)
        self._cross_properties = cross_document_properties(ontology)
        self._schema_terms = _schema_terms(self._schema)
        self._background_set: set[Triple] = set(self._background)
        self._known_problems = set(self.background_inference.problems)
        self._rules: RuleEngine | None = None
        if engine == "rules":
            self._rules = RuleEngine(
                self._schema, skip_literals_of=self._inert, exclude=self._background_set
            )
        #: why documents were closed by owlrl although the rules engine was selected
        self.fallbacks: list[str] = []

    @property
    def reference_inferred(self) -> Graph:
        """What reasoning adds to the ontology and reference graph alone."""
        return self.background_inference.triples

    def reason_document(self, document: Graph) -> Inference:
        """The triples OWL 2 RL adds to ``document`` (given the background), and problems.

        With the rules engine, the whole document is closed (it takes milliseconds). With
        owlrl, provenance spans (two thirds of a document's triples) are reasoned by template:
        see :func:`span_templates`.
        """
        if self._rules is not None:
            facts: list[Triple] = list(document)
            nodes = {n for t in facts for n in (t[0], t[2]) if isinstance(n, URIRef)}
            for node in nodes:
                facts.extend(self._about.get(node, ()))
            closure = self._rules.close(facts)
            if closure.refusal is None:
                fresh = Graph()
                add = fresh.add
                for triple in closure.added:
                    if is_kept(triple):
                        add(triple)
                known = self._known_problems
                return Inference(fresh, [p for p in closure.problems if p not in known])
            self.fallbacks.append(closure.refusal)
        return self._owlrl_document(document)

    def _owlrl_document(self, document: Graph) -> Inference:
        reduced, replicas = span_templates(document)
        asserted = _merge(self._schema, reduced)
        nodes = {n for triple in reduced for n in (triple[0], triple[2]) if isinstance(n, URIRef)}
        for node in nodes:
            for triple in self._about.get(node, ()):
                asserted.add(triple)
        result = _owlrl_additions(asserted, self._inert)
        fresh = Graph()
        for triple in result.triples:
            if triple not in self._background and triple not in document:
                fresh.add(triple)
        for rep, shared, renamings in replicas:
            allowed = rep | shared | self._schema_terms
            own_literals = {o for n in rep for o in document.objects(n) if isinstance(o, Literal)}
            for triple in list(fresh):
                if not any(n in rep for n in triple) or not all(
                    n in own_literals if isinstance(n, Literal) else n in allowed for n in triple
                ):
                    continue
                if triple[2] in own_literals:
                    continue  # a value of this span only (offsets, quote): not a template
                for rename in renamings:
                    copy = (
                        rename.get(triple[0], triple[0]),
                        triple[1],
                        rename.get(triple[2], triple[2]),
                    )
                    if copy not in document:
                        fresh.add(copy)
        known = set(self.background_inference.problems)
        return Inference(fresh, [p for p in result.problems if p not in known])

    def reason_across(self, union: Iterable[Triple]) -> Inference:
        """The second, cross-document pass over the union of asserted and inferred triples
        (documents, reference and their inferred triples). ``union`` may hold a triple more
        than once; it is iterated a second time when the rules engine refuses the projection
        (so pass a collection or a re-iterable, not a one-shot iterator).

        With the rules engine this keeps only the projection onto the cross-document
        properties and the type triples the projection's rules could re-derive (memory grows
        with those, not with the union), and closes the projection in milliseconds per
        thousand triples."""
        if not self._cross_properties:
            return Inference(Graph())
        if self._rules is not None and not self._rules.unsupported:
            return self._rules_across(union)
        everything = Graph()
        projection = _merge(self._schema)
        for triple in union:
            everything.add(triple)
            if triple[1] in self._cross_properties:
                projection.add(triple)
        result = _owlrl_additions(projection, self._inert)
        fresh = Graph()
        for triple in result.triples:
            if triple not in everything and triple not in self._background:
                fresh.add(triple)
        known = set(self.background_inference.problems)
        return Inference(fresh, [p for p in result.problems if p not in known])

    def _rules_across(self, union: Iterable[Triple]) -> Inference:
        assert self._rules is not None
        rules = self._rules
        cross = self._cross_properties
        # classes a rule over the projection can type a node with (domains and ranges of the
        # cross-document properties and their superclasses): only such type triples of the
        # union need remembering, to tell a derived type from an asserted one
        targets: set[Node] = set()
        for p in cross:
            targets.update(rules.domain.get(p, ()))
            targets.update(rules.range.get(p, ()))
        frontier = list(targets)
        while frontier:
            for sup in rules.sub_class.get(frontier.pop(), ()):
                if sup not in targets:
                    targets.add(sup)
                    frontier.append(sup)
        typed: set[Triple] = set()

        def projection() -> Iterator[Triple]:
            typed.clear()
            for triple in union:
                if triple[1] in cross:
                    yield triple
                elif triple[1] == RDF.type and triple[2] in targets:
                    typed.add(triple)

        # the projection is streamed into the engine, which keeps it interned (a few ints a
        # triple), not as a list of rdflib triples; read again only if the engine refuses it
        closure = rules.close(projection())
        if closure.refusal is not None:
            listed = list(projection())
            return self._owlrl_projection(listed, typed)
        fresh = Graph()
        for triple in closure.added:
            if is_kept(triple) and triple not in typed:
                fresh.add(triple)
        known = self._known_problems
        return Inference(fresh, [p for p in closure.problems if p not in known])

    def _owlrl_projection(self, projection: list[Triple], typed: set[Triple]) -> Inference:
        graph = _merge(self._schema)
        for triple in projection:
            graph.add(triple)
        result = _owlrl_additions(graph, self._inert)
        asserted = set(projection) | typed
        fresh = Graph()
        for triple in result.triples:
            if triple not in asserted and triple not in self._background_set:
                fresh.add(triple)
        known = self._known_problems
        return Inference(fresh, [p for p in result.problems if p not in known])
