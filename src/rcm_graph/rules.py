"""A fast OWL 2 RL engine for instance data under a fixed, already closed TBox.

WHY: owlrl re-reads the whole ontology on every cycle of every closure (seconds per document);
the ontology does not change during a build. This module compiles the closed TBox once into
instance-level rules (the OWL 2 RL Profile, section 4.3, tables 4-9: ``cax-sco``,
``cax-eqc1/2``, ``prp-dom``, ``prp-rng``, ``prp-spo1``, ``prp-spo2``, ``prp-eqp1/2``,
``prp-inv1/2``, ``prp-symp``, ``prp-trp``, and the consistency rules ``cax-dw``, ``cax-adc``,
``cls-nothing2``, ``prp-irp``, ``prp-asyp``, ``prp-pdw``, ``dt-not-type``) and runs them to a
fixpoint, semi-naively, over plain Python sets with subject and object indexes.

It reproduces what owlrl (7.x, ``OWLRL_Semantics`` without axiomatic triples) derives, including
its datatype one-time rules (``dt-type2`` typing of literals with their datatype and its
supertypes, the disjointness of the datatypes in use) and its error message texts, so that the
two engines can be compared triple for triple (``tests/build/test_build_rules_equivalence.py``).

WHAT it refuses (``RuleEngine.unsupported`` / :meth:`RuleEngine.refusal`): a TBox using
constructs not compiled here (class restrictions, functional and inverse-functional properties,
keys, cardinalities, ``owl:sameAs`` between distinct individuals, ...) and input that is not
plain instance data (schema triples, blank nodes, individuals typed with OWL/RDFS
meta-classes or datatypes). The caller then falls back to owlrl, which handles all of OWL 2 RL.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import Graph
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

_TYPE = RDF.type
_META_NAMESPACES = (str(OWL), str(RDFS), str(RDF))
# classes in the OWL/RDF(S) namespaces an individual may carry without becoming schema
_INSTANCE_CLASSES = {
    OWL.Thing,
    OWL.Nothing,
    OWL.NamedIndividual,
    RDFS.Resource,
    RDFS.Literal,
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    RDF.langString,
    RDF.HTML,
}
# predicates in the OWL/RDF(S) namespaces that are not schema (annotations)
_INSTANCE_PREDICATES = {
    RDF.type,
    RDF.value,
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    OWL.versionInfo,
}
# TBox vocabulary whose rules this engine does not compile: owlrl handles these
_UNSUPPORTED_PREDICATES: dict[Node, str] = {
    OWL.onProperty: "class restrictions (owl:onProperty)",
    OWL.someValuesFrom: "owl:someValuesFrom",
    OWL.allValuesFrom: "owl:allValuesFrom",
    OWL.hasValue: "owl:hasValue",
    OWL.intersectionOf: "owl:intersectionOf",
    OWL.unionOf: "owl:unionOf",
    OWL.complementOf: "owl:complementOf",
    OWL.oneOf: "owl:oneOf",
    OWL.hasKey: "owl:hasKey",
    OWL.maxCardinality: "owl:maxCardinality",
    OWL.maxQualifiedCardinality: "owl:maxQualifiedCardinality",
    OWL.sourceIndividual: "negative property assertions",
    OWL.differentFrom: "owl:differentFrom",
    OWL.distinctMembers: "owl:AllDifferent",
}
_UNSUPPORTED_TYPES: dict[Node, str] = {
    OWL.FunctionalProperty: "owl:FunctionalProperty",
    OWL.InverseFunctionalProperty: "owl:InverseFunctionalProperty",
    OWL.AllDifferent: "owl:AllDifferent",
    OWL.AllDisjointProperties: "owl:AllDisjointProperties",
}


def _identity(value: str) -> str:
    return value


def _is_meta(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(_META_NAMESPACES)


def _ill_typed(literal: Literal) -> bool:
    """owlrl's ``dt-not-type`` test: the datatype's lexical-to-value conversion raises."""
    converter: Callable[[str], object] = AltXSDToPYTHON.get(literal.datatype, _identity)
    try:
        converter(str(literal))
    except ValueError:
        return True
    return False


def _datatype_typing(literal: Literal) -> list[Triple]:
    """``dt-type2`` as owlrl applies it: a literal of an OWL 2 RL datatype is typed with it and
    with each of its supertypes."""
    dt = literal.datatype
    assert dt is not None
    out: list[Triple] = [(literal, _TYPE, dt)]
    for sup in OWL_Datatype_Subsumptions.get(dt, ()):
        out.append((literal, _TYPE, sup))
        out.append((sup, _TYPE, RDFS.Datatype))
    return out


class _Index:
    """Triples with (subject, predicate) and (predicate, object) indexes, optionally layered
    over a read-only base index (the closed TBox), so a document's closure never copies it."""

    def __init__(self, base: _Index | None = None) -> None:
        self.base = base
        self.triples: set[Triple] = set()
        self.sp: dict[tuple[Node, Node], set[Node]] = {}
        self.po: dict[tuple[Node, Node], set[Node]] = {}

    def __contains__(self, triple: Triple) -> bool:
        return triple in self.triples or (self.base is not None and triple in self.base)

    def add(self, triple: Triple) -> bool:
        if triple in self:
            return False
        s, p, o = triple
        self.triples.add(triple)
        self.sp.setdefault((s, p), set()).add(o)
        self.po.setdefault((p, o), set()).add(s)
        return True

    def objects(self, s: Node, p: Node) -> set[Node]:
        local = self.sp.get((s, p))
        if self.base is None:
            return local or set()
        below = self.base.objects(s, p)
        if not local:
            return below
        return local | below if below else local

    def subjects(self, p: Node, o: Node) -> set[Node]:
        local = self.po.get((p, o))
        if self.base is None:
            return local or set()
        below = self.base.subjects(p, o)
        if not local:
            return below
        return local | below if below else local


@dataclass
class Closure:
    """The triples a closure added to its input (not yet filtered) and the error messages of
    the inconsistencies it found, in owlrl's wording."""

    added: set[Triple] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _adds(table: dict[Node, set[Node]], key: Node, value: Node) -> None:
    table.setdefault(key, set()).add(value)


class RuleEngine:
    """OWL 2 RL instance rules compiled from a TBox; see the module text."""

    def __init__(self, schema: Graph, *, skip: Callable[[Triple], bool] | None = None) -> None:
        """``schema``: the TBox, ideally already closed by owlrl (the engine closes it again,
        cheaply). ``skip``: input triples owlrl is not given (inert annotations)."""
        self._skip = skip or (lambda _t: False)
        self.unsupported: list[str] = []
        self.sub_class: dict[Node, set[Node]] = {}
        self.domain: dict[Node, set[Node]] = {}
        self.range: dict[Node, set[Node]] = {}
        self.sub_property: dict[Node, set[Node]] = {}
        self.inverse: dict[Node, set[Node]] = {}
        self.symmetric: set[Node] = set()
        self.transitive: set[Node] = set()
        self.irreflexive: set[Node] = set()
        self.asymmetric: set[Node] = set()
        self.disjoint_properties: list[tuple[Node, Node]] = []
        self.disjoint_classes: list[tuple[Node, Node]] = []
        # property -> (chain's property, chain, position of the property in the chain)
        self.chain_links: dict[Node, list[tuple[Node, tuple[Node, ...], int]]] = {}
        self._compile(schema)
        self._check_derivations()
        self._disjoint_by_class: dict[Node, list[tuple[Node, Node]]] = {}
        for pair in self.disjoint_classes:
            for c in pair:
                self._disjoint_by_class.setdefault(c, []).append(pair)
        # the TBox closed by these rules: the base every closure is layered over
        self._base = _Index()
        self._base_datatypes: set[Node] = set()
        self._base_problems: list[str] = []
        if not self.unsupported:
            base = self._run(
                [t for t in schema if not self._skip(t)], _Index(), self._base_datatypes
            )
            self._base = base.index
            self._base_problems = base.problems

    # -- compilation ---------------------------------------------------------------------

    def _compile(self, schema: Graph) -> None:
        seen_unsupported: set[str] = set()
        for s, p, o in schema:
            if p in _UNSUPPORTED_PREDICATES:
                seen_unsupported.add(_UNSUPPORTED_PREDICATES[p])
            elif p == _TYPE and o in _UNSUPPORTED_TYPES:
                seen_unsupported.add(_UNSUPPORTED_TYPES[o])
            elif p == OWL.sameAs and s != o:
                seen_unsupported.add("owl:sameAs between distinct terms")
            elif p == RDFS.subClassOf and s != o:
                _adds(self.sub_class, s, o)
            elif p == OWL.equivalentClass and s != o:
                _adds(self.sub_class, s, o)
                _adds(self.sub_class, o, s)
            elif p == RDFS.domain:
                _adds(self.domain, s, o)
            elif p == RDFS.range:
                _adds(self.range, s, o)
            elif p == RDFS.subPropertyOf:
                _adds(self.sub_property, s, o)
            elif p == OWL.equivalentProperty and s != o:
                _adds(self.sub_property, s, o)
                _adds(self.sub_property, o, s)
            elif p == OWL.inverseOf:
                _adds(self.inverse, s, o)
                _adds(self.inverse, o, s)
            elif p == OWL.propertyChainAxiom:
                chain = tuple(Collection(schema, o)) if isinstance(o, BNode | URIRef) else ()
                for i, link in enumerate(chain):
                    self.chain_links.setdefault(link, []).append((s, chain, i))
            elif p == OWL.disjointWith:
                self.disjoint_classes.append((s, o))
            elif p == OWL.propertyDisjointWith:
                self.disjoint_properties.append((s, o))
            elif p == _TYPE and o == OWL.SymmetricProperty:
                self.symmetric.add(s)
            elif p == _TYPE and o == OWL.TransitiveProperty:
                self.transitive.add(s)
            elif p == _TYPE and o == OWL.IrreflexiveProperty:
                self.irreflexive.add(s)
            elif p == _TYPE and o == OWL.AsymmetricProperty:
                self.asymmetric.add(s)
            elif p == _TYPE and o == OWL.AllDisjointClasses:
                for members in schema.objects(s, OWL.members):
                    classes = list(Collection(schema, members))
                    for i, c1 in enumerate(classes[:-1]):
                        for c2 in classes[i + 1 :]:
                            self.disjoint_classes.append((c1, c2))
        # scm-cls, with cls-thing and cls-nothing1: every class is a subclass of owl:Thing
        # and a superclass of owl:Nothing (tautologies the caller's closed TBox may omit)
        for c in {*schema.subjects(_TYPE, OWL.Class), OWL.Thing, OWL.Nothing}:
            if c != OWL.Nothing:
                _adds(self.sub_class, OWL.Nothing, c)
            if c != OWL.Thing:
                _adds(self.sub_class, c, OWL.Thing)
        self.unsupported = sorted(seen_unsupported)

    def _check_derivations(self) -> None:
        """Refuse a TBox whose instance rules would derive schema triples (a property declared
        a sub-property of ``rdfs:subClassOf``, a domain of ``owl:Class``): owlrl would then
        reason about the derived schema too."""
        targets = [c for cs in (*self.domain.values(), *self.range.values()) for c in cs]
        targets += [c for cs in self.sub_class.values() for c in cs]
        if any(_is_meta(c) and c not in _INSTANCE_CLASSES for c in targets):
            self.unsupported.append("a class axiom that derives OWL/RDFS meta-classes")
        props = [q for qs in (*self.sub_property.values(), *self.inverse.values()) for q in qs]
        props += [link[0] for links in self.chain_links.values() for link in links]
        props += [*self.symmetric, *self.transitive]
        if any(_is_meta(q) and q not in _INSTANCE_PREDICATES for q in props):
            self.unsupported.append("a property axiom that derives OWL/RDFS vocabulary")

    # -- input checks --------------------------------------------------------------------

    def refusal(self, triples: Iterable[Triple]) -> str | None:
        """Why these triples cannot be closed exactly by this engine (None: they can)."""
        if self.unsupported:
            return "the ontology uses " + ", ".join(self.unsupported)
        for s, p, o in triples:
            if isinstance(s, BNode) or isinstance(o, BNode) or not isinstance(p, URIRef):
                return "blank nodes"
            if p == OWL.sameAs:
                if s != o:
                    return "owl:sameAs between distinct individuals"
            elif _is_meta(p) and p not in _INSTANCE_PREDICATES:
                return f"schema triples ({p})"
            elif p == _TYPE and (
                (_is_meta(o) and o not in _INSTANCE_CLASSES) or o in OWL_RL_Datatypes
            ):
                return f"individuals typed {o}"
        return None

    # -- closure -------------------------------------------------------------------------

    def close(self, triples: Iterable[Triple]) -> Closure:
        """Close ``triples`` (instance data; check :meth:`refusal` first) with the TBox.
        Returns what was added to the input beyond the TBox's own closure, and problems."""
        run = self._run(
            [t for t in triples if not self._skip(t)], _Index(self._base), set(self._base_datatypes)
        )
        return Closure(run.added, run.problems)

    @dataclass
    class _Run:
        index: _Index
        added: set[Triple]
        problems: list[str]

    def _run(self, triples: list[Triple], index: _Index, used: set[Node]) -> RuleEngine._Run:
        problems: set[str] = set()
        queue: deque[Triple] = deque()
        inputs: set[Triple] = set()
        literals: set[Literal] = set()
        for t in triples:
            inputs.add(t)
            if index.add(t):
                queue.append(t)
            o = t[2]
            if isinstance(o, Literal) and o.datatype in OWL_RL_Datatypes:
                literals.add(o)
        # owlrl's one-time datatype rules (dt-type1/2, dt-not-type, datatype disjointness)
        seeds: list[Triple] = []
        for lit in literals:
            assert lit.datatype is not None
            used.add(lit.datatype)
            used.update(OWL_Datatype_Subsumptions.get(lit.datatype, ()))
            seeds.extend(_datatype_typing(lit))
            if _ill_typed(lit):
                problems.add(
                    f"Lexical value of the literal '{lit}' does not match its datatype "
                    f"({lit.datatype})"
                )
        seeds.extend((dt, _TYPE, RDFS.Datatype) for dt in OWL_RL_Datatypes)
        dt_disjoint = [
            (a, b) for a, _, b in OWLRL_Datatypes_Disjointness if a in used and b in used
        ]
        seeds.extend((a, OWL.disjointWith, b) for a, b in dt_disjoint)
        for t in seeds:
            if index.add(t):
                queue.append(t)
        derive = self._rules(index)
        while queue:
            for new in derive(queue.popleft()):
                if index.add(new):
                    queue.append(new)
        added = index.triples - inputs
        problems.update(self._problems(index, dt_disjoint))
        return RuleEngine._Run(index, added, sorted(problems))

    def _rules(self, index: _Index) -> Callable[[Triple], Iterator[Triple]]:
        sub_class, domain, rng = self.sub_class, self.domain, self.range
        sub_property, inverse = self.sub_property, self.inverse
        symmetric, transitive, chain_links = self.symmetric, self.transitive, self.chain_links

        def derive(t: Triple) -> Iterator[Triple]:
            s, p, o = t
            if p == _TYPE:
                for c in sub_class.get(o, ()):  # cax-sco, cax-eqc1/2
                    yield (s, _TYPE, c)
            for c in domain.get(p, ()):  # prp-dom
                yield (s, _TYPE, c)
            for c in rng.get(p, ()):  # prp-rng
                yield (o, _TYPE, c)
            for q in sub_property.get(p, ()):  # prp-spo1, prp-eqp1/2
                yield (s, q, o)
            for q in inverse.get(p, ()):  # prp-inv1/2
                yield (o, q, s)
            if p in symmetric:  # prp-symp
                yield (o, p, s)
            if p in transitive:  # prp-trp, both ways round
                for z in list(index.objects(o, p)):
                    yield (s, p, z)
                for w in list(index.subjects(p, s)):
                    yield (w, p, o)
            for prop, chain, i in chain_links.get(p, ()):  # prp-spo2
                lefts = {s}
                for link in reversed(chain[:i]):
                    lefts = {w for x in lefts for w in index.subjects(link, x)}
                rights = {o}
                for link in chain[i + 1 :]:
                    rights = {z for x in rights for z in index.objects(x, link)}
                for left in lefts:
                    for right in rights:
                        yield (left, prop, right)

        return derive

    def _problems(self, index: _Index, dt_disjoint: list[tuple[Node, Node]]) -> set[str]:
        """The consistency rules, checked once at the fixpoint (the graph only grows, so what
        owlrl reports during its cycles holds at the end)."""
        out: set[str] = set()
        pairs = self.disjoint_classes + dt_disjoint
        disjoint_by_class = self._disjoint_by_class
        if dt_disjoint:
            disjoint_by_class = {k: list(v) for k, v in disjoint_by_class.items()}
            for pair in dt_disjoint:
                for c in pair:
                    disjoint_by_class.setdefault(c, []).append(pair)
        del pairs
        for s, p, o in index.triples:
            if p == _TYPE:
                if o == OWL.Nothing:  # cls-nothing2
                    out.add(f"{s} is defined of type 'Nothing'")
                for c1, c2 in disjoint_by_class.get(o, ()):  # cax-dw, cax-adc
                    if (s, _TYPE, c1) in index and (s, _TYPE, c2) in index:
                        out.add(f"Disjoint classes {c1} and {c2} have a common individual {s}")
            if p in self.irreflexive and s == o:  # prp-irp
                out.add(f"Irreflexive property used on {s} with {p}")
            if p in self.asymmetric and (o, p, s) in index:  # prp-asyp
                out.add(f"Erroneous usage of asymmetric property {p} on {s} and {o}")
                out.add(f"Erroneous usage of asymmetric property {p} on {o} and {s}")
        for p1, p2 in self.disjoint_properties:  # prp-pdw
            for s, p, o in index.triples:
                if (p == p1 and (s, p2, o) in index) or (p == p2 and (s, p1, o) in index):
                    out.add(f"Erroneous usage of disjoint properties {p1} and {p2} on {s} and {o}")
        return out
