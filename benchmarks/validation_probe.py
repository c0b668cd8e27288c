"""Per-document CPU of the build's stages on a few documents, and of validation variants.

WHY: the end-to-end build at 10-100 documents is dominated by per-document validation; this
probe isolates it. It extracts, maps and reasons N documents as the pipeline does, then
validates each with the pipeline's Validator three ways: pyshacl with the shapes as committed,
pyshacl without the span-selector SPARQL constraint of shapes/provenance.ttl, and
pyshacl-turbo. CPU seconds (time.process_time), so a busy machine does not distort them.

Usage: ``python -m benchmarks.validation_probe CORPUS_DIR N``
"""

import sys
import time
from pathlib import Path

import pyshacl_turbo
from rdflib import Graph
from rdflib.namespace import SH

from rcm_graph.model.iris import Iris
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology, load_shapes
from rcm_graph.stages import validation
from rcm_graph.stages.extraction import extract_corpus
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.reading import list_documents
from rcm_graph.stages.reasoning import Reasoner

iris = Iris()
paths = list_documents(Path(sys.argv[1]))[: int(sys.argv[2])]
t = time.process_time()
facts = extract_corpus(paths).documents
print("extract cpu", round(time.process_time() - t, 2))
graphs = [map_document(f, iris) for f in facts]
print("triples per doc", [len(g) for g in graphs])
ont = load_ontology()
ref = reference_graph(iris)
t = time.process_time()
reasoner = Reasoner(ont, ref)
print("background reason cpu", round(time.process_time() - t, 2))
t = time.process_time()
inf = [reasoner.reason_document(g).triples for g in graphs]
print("reason cpu per doc", round((time.process_time() - t) / len(graphs), 2))
shapes = load_shapes()


def strip_span_sparql(shapes):
    g = Graph()
    for t in shapes:
        g.add(t)
    for s, c in list(g.subject_objects(SH.sparql)):
        sel = str(g.value(c, SH.select) or "")
        if "TextPositionSelector> AS ?kind" in sel:
            g.remove((s, SH.sparql, c))
    return g


variants = {
    "pyshacl, shapes as committed": (shapes, None),
    "pyshacl, without the span-selector SPARQL constraint": (strip_span_sparql(shapes), None),
    "pyshacl-turbo, shapes as committed": (shapes, pyshacl_turbo.validate),
}
orig = validation.pyshacl_validate
for name, (sh, engine) in variants.items():
    validation.pyshacl_validate = engine or orig
    v = validation.Validator(sh, ont, ref, reasoner.reference_inferred)
    t = time.process_time()
    res = [v.validate_document(g, i) for g, i in zip(graphs, inf, strict=True)]
    cpu = (time.process_time() - t) / len(graphs)
    kinds = sorted({r.constraint.split("#")[-1] for x in res for r in x.results})
    results = sum(len(r.results) for r in res)
    print(f"{name}: {cpu:.2f} s CPU per document; {results} results {kinds}")
