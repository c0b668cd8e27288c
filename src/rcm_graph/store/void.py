"""The dataset describes itself: VoID and DCAT in the ``meta`` graph and in ``void.ttl``.

Statistics (triples per graph, class and property partitions) are counted by the store that
serves the data, with the SPARQL below — the one place in the build that holds SPARQL text — so
they describe exactly what queries will see. The meta graph does not count itself (it cannot
contain its own size); its triples are listed in the manifest instead.

Partition nodes get IRIs derived from the class or property IRI (a short hash), never blank
nodes, so two builds of the same data describe it with the same triples apart from the dates.

THE triple count of a build (``void:triples`` of the dataset, the manifest's ``triples``, the
build's printed summary and the UI) is :func:`union_triples`: the number of distinct triples in
the union of every published graph, the meta graph included, which is the store's default graph
and what ``SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`` answers at the endpoint. WHY this one:
it is the size a consumer can check with one query and gets by loading ``default.ttl``; the
per-graph counts (``void:subset`` ... ``void:triples``, the manifest's ``graphs``) add up to
more, because a triple that two graphs state (a document restating a reference fact, an
inference also asserted) counts once in the union and once in each graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV

from rcm_graph.model.iris import Iris
from rcm_graph.model.vocab import ONTOLOGY_IRI, PREFIXES
from rcm_graph.store import internal_sparql as sparql

# Plain namespaces: rdflib's closed DCAT namespace lacks DCAT 3 terms such as dcat:version.
DCAT = PREFIXES["dcat"]
VOID = PREFIXES["void"]

DATA_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
TITLE = "RCM knowledge graph"
DESCRIPTION = (
    "Facts extracted with provenance from documents of the Regional Conference on Migration "
    "(Puebla Process), with reference data, the rcm-graph ontology, OWL 2 RL inferences and the "
    "SHACL validation report of the build."
)

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

# Files of a build that are distributions of the dataset, with their media types.
DISTRIBUTIONS = {
    "dataset.nq.gz": "application/n-quads",
    "dataset.trig": "application/trig",
    "default.ttl": "text/turtle",
    "dataset.jsonld": "application/ld+json",
}


@dataclass(frozen=True)
class DatasetStats:
    triples_per_graph: dict[str, int]
    classes: dict[str, int]  # class IRI -> distinct instances
    properties: dict[str, int]  # property IRI -> triples
    entities: int


def _count_rows(store: pyoxigraph.Store, query: str, key: str) -> dict[str, int]:
    rows = store.query(query)
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    return {str(row[key].value): int(row["n"].value) for row in rows}


def collect_stats(store: pyoxigraph.Store) -> DatasetStats:
    """Count what the store holds: triples per named graph, partitions of the default graph
    (which must already hold the union)."""
    entity_rows = store.query(sparql.DISTINCT_SUBJECTS)
    assert isinstance(entity_rows, pyoxigraph.QuerySolutions)
    entities = next(int(row["n"].value) for row in entity_rows)
    return DatasetStats(
        triples_per_graph=_count_rows(store, sparql.TRIPLES_PER_GRAPH, "g"),
        classes=_count_rows(store, sparql.CLASS_PARTITIONS, "c"),
        properties=_count_rows(store, sparql.PROPERTY_PARTITIONS, "p"),
        entities=entities,
    )


def media_type_iri(media_type: str) -> URIRef:
    """The IANA register's IRI of a media type: DCAT 2 and 3 give ``dcat:mediaType`` the range
    ``dct:MediaType`` and recommend these IRIs over a literal such as ``"text/turtle"``."""
    return URIRef(IANA_MEDIA_TYPES + media_type.split(";", 1)[0].strip())


def union_triples(store: pyoxigraph.Store, meta: Graph) -> int:
    """Distinct triples in the store's default graph (the union of the published graphs) once
    the meta graph ``meta`` is written into it too: the one triple count of a build.

    Counted before ``meta`` is written, because ``meta`` states the count itself: the triple
    stating it is counted like the others (its presence does not depend on its value)."""
    rows = store.query(sparql.DEFAULT_GRAPH_SIZE)
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    present = next(int(row["n"].value) for row in rows)
    added = 0
    for triple in pyoxigraph.parse(
        meta.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
    ):
        quad = pyoxigraph.Quad(
            triple.subject, triple.predicate, triple.object, pyoxigraph.DefaultGraph()
        )
        added += quad not in store
    return present + added


def stated_triples(meta: Graph) -> int:
    """The triple count the meta graph states for the dataset (see :func:`union_triples`)."""
    counts = [
        int(o.toPython())
        for s, o in meta.subject_objects(VOID.triples)
        if isinstance(o, Literal)
        and (None, VOID.subset, s) not in meta
        and (None, VOID.propertyPartition, s) not in meta
    ]
    assert len(counts) == 1, counts
    return counts[0]


def _partition(dataset: URIRef, kind: str, iri: str) -> URIRef:
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:12]
    return URIRef(f"{dataset}/partition/{kind}-{digest}")


@dataclass(frozen=True)
class BuildInfo:
    build_id: str
    version: str
    started: datetime
    ended: datetime
    documents: Sequence[tuple[str, str]]  # (doc_id, source file name)


def describe_dataset(
    iris: Iris, stats: DatasetStats, info: BuildInfo, store: pyoxigraph.Store
) -> Graph:
    """The meta graph: VoID + DCAT description of the dataset, and the build activity.

    ``store`` holds every published graph but this one (its default graph their union): the
    dataset's ``void:triples`` is counted on it (:func:`union_triples`)."""
    g = Graph()
    for prefix in ("void", "dcat", "dcterms", "prov", "xsd", "rcm", "owl"):
        g.bind(prefix, PREFIXES[prefix])
    ds = iris.dataset()
    run = iris.extraction_run(info.build_id)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((ds, DCTERMS.license, DATA_LICENCE))
    g.add((ds, DCTERMS.modified, Literal(info.ended.isoformat(), datatype=XSD.dateTime)))
    g.add((ds, DCAT.version, Literal(info.version)))
    g.add((ds, OWL.versionInfo, Literal(info.version)))
    g.add((ds, VOID.uriSpace, Literal(iris.base + "id/")))
    g.add((ds, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    g.add((ds, PROV.wasGeneratedBy, run))
    content = {k: v for k, v in stats.triples_per_graph.items() if k != str(iris.graph("meta"))}
    g.add((ds, VOID.entities, Literal(stats.entities, datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(stats.classes), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(stats.properties), datatype=XSD.integer)))
    for graph_iri, count in sorted(content.items()):
        node = URIRef(graph_iri)
        g.add((ds, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))
    for cls, count in sorted(stats.classes.items()):
        node = _partition(ds, "class", cls)
        g.add((ds, VOID.classPartition, node))
        g.add((node, VOID["class"], URIRef(cls)))
        g.add((node, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(stats.properties.items()):
        node = _partition(ds, "property", prop)
        g.add((ds, VOID.propertyPartition, node))
        g.add((node, VOID.property, URIRef(prop)))
        g.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))
    for name, media in DISTRIBUTIONS.items():
        dist = URIRef(f"{ds}/distribution/{name}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(name)))
        g.add((dist, DCAT.mediaType, media_type_iri(media)))
        g.add((dist, DCTERMS.license, DATA_LICENCE))
    _describe_run(g, iris, run, info)
    g.add((ds, VOID.triples, Literal(0, datatype=XSD.integer)))  # counted next, with itself
    g.set((ds, VOID.triples, Literal(union_triples(store, g), datatype=XSD.integer)))
    return g


def _describe_run(g: Graph, iris: Iris, run: URIRef, info: BuildInfo) -> None:
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, PROV.startedAtTime, Literal(info.started.isoformat(), datatype=XSD.dateTime)))
    g.add((run, PROV.endedAtTime, Literal(info.ended.isoformat(), datatype=XSD.dateTime)))
    ds = iris.dataset()
    for doc_id, source in info.documents:
        doc, graph = iris.document(doc_id), iris.document_graph(doc_id)
        g.add((ds, DCTERMS.source, doc))
        g.add((run, PROV.used, doc))
        g.add((graph, RDF.type, PROV.Entity))
        g.add((graph, PROV.wasDerivedFrom, doc))
        g.add((graph, PROV.wasGeneratedBy, run))
        g.add((graph, DCTERMS.source, Literal(source)))


def triples_per_graph_names(iris: Iris, counts: Mapping[str, int]) -> dict[str, int]:
    """Counts keyed by a short name (``reference``, ``document/<id>`` …) for summaries."""
    prefix = iris.base + "graph/"
    return {(k[len(prefix) :] if k.startswith(prefix) else k): v for k, v in counts.items()}
