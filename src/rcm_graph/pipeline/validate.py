"""Re-validating a published dataset as stored: what ``rcm-graph validate`` checks.

WHY from the store rather than from the cache or the corpus: the point is to check what is
served, after any write the endpoint journalled, with today's shapes; it validates as the
build does (each document with the inferred triples about its nodes, then the nodes several
documents describe), one document at a time, so memory does not grow with the corpus.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.term import Node

import rcm_graph.store.dataset as ds
from rcm_graph.model.iris import Iris
from rcm_graph.pipeline.convert import parse_nt, to_rdflib
from rcm_graph.pipeline.shared_validation import SubjectIndex, validate_shared
from rcm_graph.reference.ontology import load_shapes
from rcm_graph.settings import Settings
from rcm_graph.stages.validation import ValidationReport, Validator, combine


def validate_dataset(settings: Settings) -> ValidationReport:
    """Re-validate the current dataset: every document graph as stored, against the shapes,
    one document at a time (with the inferred triples about its nodes), then the nodes that
    several documents describe (as the build does, see
    :func:`rcm_graph.pipeline.shared_validation.validate_shared`).

    WHY the mapper writes span offsets as ``xsd:integer``: pyoxigraph (0.5) stores integer
    subtypes as ``xsd:integer`` (``"7"^^xsd:nonNegativeInteger`` comes back as
    ``"7"^^xsd:integer``), so data validated at build time and data re-validated here must use
    the datatype the store keeps, or a conformant build would fail this check.
    """
    dataset = ds.load_dataset(settings.data_dir)
    iris = Iris(str(dataset.manifest.get("base_iri", settings.base_iri)))
    store = dataset.open_store()

    def dump(iri: str) -> bytes:
        data = store.dump(
            format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(iri)
        )
        return data or b""

    inferred_iri = pyoxigraph.NamedNode(str(iris.graph("inferred")))

    def inferred_about(nodes: Iterable[Node]) -> Graph:
        found = Graph()
        for node in nodes:
            if isinstance(node, URIRef):
                for q in store.quads_for_pattern(
                    pyoxigraph.NamedNode(str(node)), None, None, inferred_iri
                ):
                    found.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return found

    ontology = parse_nt(dump(str(iris.graph("ontology"))))
    reference = parse_nt(dump(str(iris.graph("reference"))))
    reference_inferred = inferred_about(set(reference.subjects()) | set(ontology.subjects()))
    shapes = load_shapes()
    validator = Validator(
        shapes, ontology, reference, reference_inferred, engine=settings.validator
    )
    reports = [validator.validate_reference()]
    graphs: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="rcm-graph-validate-") as tmp:
        subjects = SubjectIndex(Path(tmp) / "subjects.sqlite")
        for n, entry in enumerate(dataset.manifest.get("documents", [])):
            data = dump(entry["graph"])
            graph = parse_nt(data)
            nodes = {x for t in graph for x in (t[0], t[2]) if isinstance(x, URIRef)}
            reports.append(validator.validate_document(graph, inferred_about(nodes)))
            subjects.add(n, data)
            graphs[entry["graph"]] = entry["doc_id"]
        reports += validate_shared(store, validator, shapes, iris, graphs, subjects.shared())
        subjects.close()
    return combine(reports, warnings=validator.shape_warnings)
