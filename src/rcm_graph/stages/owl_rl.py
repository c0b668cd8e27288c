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


class _Index:
    """Triples of term ids with (subject, predicate) and (predicate, object) indexes,
    optionally layered over a read-only base index (the closed TBox), so a document's closure
    never copies it."""

    def __init__(self, base: _Index | None = None) -> None:
        self.base = base
        self.triples: set[IdTriple] = set()
        self.sp: dict[tuple[int, int], set[int]] = {}
        self.po: dict[tuple[int, int], set[int]] = {}

    def __contains__(self, triple: IdTriple) -> bool:
        return triple in self.triples or (self.base is not None and triple in self.base.triples)

    def add(self, triple: IdTriple) -> bool:
        if triple in self.triples or (self.base is not None and triple in self.base.triples):
            return False
        s, p, o = triple
        self.triples.add(triple)
        sp = self.sp.get((s, p))
        if sp is None:
            self.sp[(s, p)] = {o}
        else:
            sp.add(o)
        po = self.po.get((p, o))
        if po is None:
            self.po[(p, o)] = {s}
        else:
            po.add(s)
        return True

    def objects(self, s: int, p: int) -> set[int]:
        local = self.sp.get((s, p))
        if self.base is None:
            return local or _EMPTY
        below = self.base.sp.get((s, p))
        if not local:
            return below or _EMPTY
        return local | below if below else local

    def subjects(self, p: int, o: int) -> set[int]:
        local = self.po.get((p, o))
        if self.base is None:
            return local or _EMPTY
        below = self.base.po.get((p, o))
        if not local:
            return below or _EMPTY
        return local | below if below else local


IdTriple = tuple[int, int, int]
_EMPTY: set[int] = set()


@dataclass
class Closure:
    """The triples a closure added to its input (beyond the TBox's closure and the excluded
    triples; not yet filtered) and the error messages of the inconsistencies it found, in
    owlrl's wording; or, when the engine cannot close the input exactly, why (``refusal``)."""

    added: list[Triple] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    refusal: str | None = None


def _adds(table: dict[Node, set[Node]], key: Node, value: Node) -> None:
    table.setdefault(key, set()).add(value)


class RuleEngine:
    """OWL 2 RL instance rules compiled from a TBox; see the module text."""

    def __init__(
        self,
        schema: Graph,
        *,
        skip_literals_of: Iterable[Node] = (),
        exclude: Iterable[Triple] = (),
    ) -> None:
        """``schema``: the TBox, ideally already closed by owlrl (the engine closes it again,
        cheaply). ``skip_literals_of``: predicates whose literal-valued triples owlrl is not
        given (inert annotations); they still count as input. ``exclude``: triples never
        reported as added (the background the caller already has)."""
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
        # every term the TBox, the excluded triples and the datatype rules name gets an id
        self._ids: dict[Node, int] = {}
        self._terms: list[Node] = []
        for term in (
            _TYPE,
            OWL.sameAs,
            OWL.Nothing,
            OWL.disjointWith,
            RDFS.Datatype,
            *OWL_RL_Datatypes,
        ):
            self._id(term)
        for sups in OWL_Datatype_Subsumptions.values():
            for term in sups:
                self._id(term)
        self._compile_ids()
        self._skip = {self._id(p) for p in skip_literals_of}
        self._exclude = {(self._id(s), self._id(p), self._id(o)) for s, p, o in exclude}
        self._verdicts: dict[Node, str | None] = {}
        self._pred_verdicts: dict[int, str | None] = {}  # by predicate id
        self._type_verdicts: dict[int, str | None] = {}  # rdf:type triples, by class id
        self._bnode_ids: set[int] = {i for i, n in enumerate(self._terms) if isinstance(n, BNode)}
        self._literal_ids: set[int] = {
            i for i, n in enumerate(self._terms) if isinstance(n, Literal)
        }
        # the TBox closed by these rules: the base every closure is layered over
        self._base = _Index()
        self._base_datatypes: set[int] = set()
        self._base_problems: list[str] = []
        self._base_literals: set[int] = set()  # typed by the TBox's own closure
        if not self.unsupported:
            run = _Run(self, None)
            run.load(schema)
            run._offset = len(self._terms)  # the TBox's terms were interned into the engine
            run.close()
            self._base = run.index
            self._base_datatypes = run.used
            self._base_problems = sorted(run.problems)
            self._base_literals = run._seen_literals

    def _id(self, term: Node) -> int:
        i = self._ids.get(term)
        if i is None:
            i = self._ids[term] = len(self._terms)
            self._terms.append(term)
        return i

    def _compile_ids(self) -> None:
        """The compiled tables over term ids (what the closure loop reads)."""
        i = self._id

        def table(t: dict[Node, set[Node]]) -> dict[int, tuple[int, ...]]:
            return {i(k): tuple(sorted(i(v) for v in vs)) for k, vs in t.items()}

        self.t_sub_class = table(self.sub_class)
        self.t_domain = table(self.domain)
        self.t_range = table(self.range)
        self.t_sub_property = table(self.sub_property)
        self.t_inverse = table(self.inverse)
        self.t_symmetric = {i(p) for p in self.symmetric}
        self.t_transitive = {i(p) for p in self.transitive}
        self.t_irreflexive = {i(p) for p in self.irreflexive}
        self.t_asymmetric = {i(p) for p in self.asymmetric}
        self.t_disjoint_properties = [(i(a), i(b)) for a, b in self.disjoint_properties]
        self.t_chain_links: dict[int, list[tuple[int, tuple[int, ...], int]]] = {}
        for link, uses in self.chain_links.items():
            self.t_chain_links[i(link)] = [
                (i(prop), tuple(i(x) for x in chain), pos) for prop, chain, pos in uses
            ]
        self.t_disjoint_by_class: dict[int, list[tuple[int, int]]] = {}
        for a, b in self.disjoint_classes:
            for c in (a, b):
                self.t_disjoint_by_class.setdefault(i(c), []).append((i(a), i(b)))
        self.t_type = i(_TYPE)
        self.t_same_as = i(OWL.sameAs)
        self.t_nothing = i(OWL.Nothing)
        self.t_disjoint_with = i(OWL.disjointWith)
        self.t_datatype = i(RDFS.Datatype)
        self.t_rl_datatypes = [i(dt) for dt in OWL_RL_Datatypes]
        self.t_dt_disjointness = [(i(a), i(b)) for a, _, b in OWLRL_Datatypes_Disjointness]

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

    def _verdict(self, p: Node, o: Node) -> str | None:
        """Why a triple with predicate ``p`` (and object ``o`` when ``p`` is rdf:type) is not
        plain instance data, or None; cached per term."""
        key = o if p == _TYPE else p
        if key in self._verdicts:
            return self._verdicts[key]
        verdict: str | None = None
        if p == _TYPE:
            if (_is_meta(o) and o not in _INSTANCE_CLASSES) or o in OWL_RL_Datatypes:
                verdict = f"individuals typed {o}"
        elif not isinstance(p, URIRef):
            verdict = "a predicate that is not an IRI"
        elif _is_meta(p) and p not in _INSTANCE_PREDICATES and p != OWL.sameAs:
            verdict = f"schema triples ({p})"
        self._verdicts[key] = verdict
        return verdict

    def refusal(self, triples: Iterable[Triple]) -> str | None:
        """Why these triples cannot be closed exactly by this engine (None: they can)."""
        if self.unsupported:
            return "the ontology uses " + ", ".join(self.unsupported)
        for s, p, o in triples:
            if isinstance(s, BNode) or isinstance(o, BNode):
                return "blank nodes"
            if p == OWL.sameAs and s != o:
                return "owl:sameAs between distinct individuals"
            verdict = self._verdict(p, o)
            if verdict is not None:
                return verdict
        return None

    # -- closure -------------------------------------------------------------------------

    def close(self, triples: Iterable[Triple]) -> Closure:
        """Close ``triples`` (instance data) with the TBox: what was added beyond the TBox's
        own closure and the excluded triples, and the problems; or a refusal (see
        :meth:`refusal`), in which case nothing was closed."""
        if self.unsupported:
            return Closure(refusal="the ontology uses " + ", ".join(self.unsupported))
        run = _Run(self, self._base)
        run.used = set(self._base_datatypes)
        refusal = run.load(triples)
        if refusal is not None:
            return Closure(refusal=refusal)
        run.close()
        term = run.term
        exclude = self._exclude
        added = [
            (term(s), term(p), term(o))
            for s, p, o in run.index.triples - run.inputs
            if (s, p, o) not in exclude
        ]
        return Closure(added, sorted(run.problems))


class _Run:
    """One closure: the input interned to ids (new terms numbered after the engine's), the
    layered index, the semi-naive queue, and the problems found."""

    def __init__(self, engine: RuleEngine, base: _Index | None) -> None:
        self.engine = engine
        self.index = _Index(base)
        self.inputs: set[IdTriple] = set()
        self.queue: deque[IdTriple] = deque()
        self.problems: set[str] = set()
        self.used: set[int] = set()
        self.literals: list[Literal] = []
        self._seen_literals: set[int] = set()
        self._local: dict[Node, int] = {}
        self._local_terms: list[Node] = []
        self._offset = len(engine._terms)

    def term(self, i: int) -> Node:
        offset = self._offset
        return self.engine._terms[i] if i < offset else self._local_terms[i - offset]

    def load(self, triples: Iterable[Triple]) -> str | None:
        """Intern and index the input; refuse what is not plain instance data (only when
        layered over the TBox: the TBox itself is loaded unchecked, into the engine's ids)."""
        engine = self.engine
        check = self.index.base is not None
        ids, local, local_terms = engine._ids, self._local, self._local_terms
        bnodes, literal_ids = engine._bnode_ids, engine._literal_ids
        offset = self._offset
        local_literals: set[int] = set()
        local_bnodes: set[int] = set()

        def intern(n: Node) -> int:
            i = ids.get(n)
            if i is not None:
                return i
            if not check:
                i = engine._id(n)
                if isinstance(n, BNode):
                    bnodes.add(i)
                elif isinstance(n, Literal):
                    literal_ids.add(i)
                return i
            i = local.get(n)
            if i is None:
                i = local[n] = offset + len(local_terms)
                local_terms.append(n)
                if isinstance(n, BNode):
                    local_bnodes.add(i)
                elif isinstance(n, Literal):
                    local_literals.add(i)
            return i

        skip, inputs, queue, index = engine._skip, self.inputs, self.queue, self.index
        typed, seen = engine._base_literals, self._seen_literals
        rdf_type, same_as = engine.t_type, engine.t_same_as
        pred_verdicts, type_verdicts = engine._pred_verdicts, engine._type_verdicts
        for s, p, o in triples:
            triple = (intern(s), intern(p), intern(o))
            si, pi, oi = triple
            if check:
                if si in bnodes or oi in bnodes or si in local_bnodes or oi in local_bnodes:
                    return "blank nodes"
                if pi == rdf_type:
                    if oi not in type_verdicts:
                        type_verdicts[oi] = engine._verdict(p, o)
                    verdict = type_verdicts[oi]
                elif pi == same_as:
                    verdict = None if si == oi else "owl:sameAs between distinct individuals"
                else:
                    if pi not in pred_verdicts:
                        pred_verdicts[pi] = engine._verdict(p, o)
                    verdict = pred_verdicts[pi]
                if verdict is not None:
                    return verdict
            inputs.add(triple)
            if oi in local_literals or oi in literal_ids:
                if pi in skip:
                    continue  # not given to owlrl either (inert annotations)
                if oi not in typed and oi not in seen:
                    seen.add(oi)
                    assert isinstance(o, Literal)
                    if o.datatype in OWL_RL_Datatypes:
                        self.literals.append(o)
            if index.add(triple):
                queue.append(triple)
        return None

    def close(self) -> None:
        engine = self.engine
        index, queue = self.index, self.queue
        rdf_type = engine.t_type
        # owlrl's one-time datatype rules (dt-type1/2, dt-not-type, datatype disjointness)
        seeds: list[IdTriple] = []
        for lit in self.literals:
            lit_id = self._id_of(lit)
            dt = engine._ids[lit.datatype]  # type: ignore[index]
            self.used.add(dt)
            seeds.append((lit_id, rdf_type, dt))
            for sup in OWL_Datatype_Subsumptions.get(lit.datatype, ()):
                sup_id = engine._ids[sup]
                self.used.add(sup_id)
                seeds.append((lit_id, rdf_type, sup_id))
                seeds.append((sup_id, rdf_type, engine.t_datatype))
            if _ill_typed(lit):
                self.problems.add(
                    f"Lexical value of the literal '{lit}' does not match its datatype "
                    f"({lit.datatype})"
                )
        seeds.extend((dt, rdf_type, engine.t_datatype) for dt in engine.t_rl_datatypes)
        used = self.used
        dt_disjoint = [(a, b) for a, b in engine.t_dt_disjointness if a in used and b in used]
        seeds.extend((a, engine.t_disjoint_with, b) for a, b in dt_disjoint)
        for t in seeds:
            if index.add(t):
                queue.append(t)
        derive = self._rules()
        while queue:
            for new in derive(queue.popleft()):
                if index.add(new):
                    queue.append(new)
        self._problems(dt_disjoint)

    def _id_of(self, n: Node) -> int:
        i = self.engine._ids.get(n)
        return i if i is not None else self._local[n]

    def _rules(self) -> Callable[[IdTriple], Iterator[IdTriple]]:
        e = self.engine
        index = self.index
        rdf_type = e.t_type
        sub_class, domain, rng = e.t_sub_class, e.t_domain, e.t_range
        sub_property, inverse = e.t_sub_property, e.t_inverse
        symmetric, transitive, chain_links = e.t_symmetric, e.t_transitive, e.t_chain_links
        empty: tuple[int, ...] = ()

        def derive(t: IdTriple) -> Iterator[IdTriple]:
            s, p, o = t
            if p == rdf_type:
                for c in sub_class.get(o, empty):  # cax-sco, cax-eqc1/2
                    yield (s, rdf_type, c)
            for c in domain.get(p, empty):  # prp-dom
                yield (s, rdf_type, c)
            for c in rng.get(p, empty):  # prp-rng
                yield (o, rdf_type, c)
            for q in sub_property.get(p, empty):  # prp-spo1, prp-eqp1/2
                yield (s, q, o)
            for q in inverse.get(p, empty):  # prp-inv1/2
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

    def _problems(self, dt_disjoint: list[tuple[int, int]]) -> None:
        """The consistency rules, checked once at the fixpoint (the graph only grows, so what
        owlrl reports during its cycles holds at the end). Only this run's own triples are
        visited: what the TBox alone implies is the caller's known background."""
        e, index, out, term = self.engine, self.index, self.problems, self.term
        by_class = e.t_disjoint_by_class
        if dt_disjoint:
            by_class = {k: list(v) for k, v in by_class.items()}
            for a, b in dt_disjoint:
                for c in (a, b):
                    by_class.setdefault(c, []).append((a, b))
        rdf_type, nothing = e.t_type, e.t_nothing
        irreflexive, asymmetric = e.t_irreflexive, e.t_asymmetric
        for s, p, o in index.triples:
            if p == rdf_type:
                if o == nothing:  # cls-nothing2
                    out.add(f"{term(s)} is defined of type 'Nothing'")
                for c1, c2 in by_class.get(o, ()):  # cax-dw, cax-adc
                    if (s, rdf_type, c1) in index and (s, rdf_type, c2) in index:
                        out.add(
                            f"Disjoint classes {term(c1)} and {term(c2)} have a common "
                            f"individual {term(s)}"
                        )
            if p in irreflexive and s == o:  # prp-irp
                out.add(f"Irreflexive property used on {term(s)} with {term(p)}")
            if p in asymmetric and (o, p, s) in index:  # prp-asyp
                for x, y in ((s, o), (o, s)):
                    out.add(
                        f"Erroneous usage of asymmetric property {term(p)} on {term(x)} and "
                        f"{term(y)}"
                    )
        for p1, p2 in e.t_disjoint_properties:  # prp-pdw
            for s, p, o in index.triples:
                if (p == p1 and (s, p2, o) in index) or (p == p2 and (s, p1, o) in index):
                    out.add(
                        f"Erroneous usage of disjoint properties {term(p1)} and {term(p2)} "
                        f"on {term(s)} and {term(o)}"
                    )
