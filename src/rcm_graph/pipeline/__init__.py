"""The build: read → extract → map → reason → validate → store → publish.

Each document is processed on its own (:mod:`~rcm_graph.pipeline.document`: extract, curate,
map, OWL 2 RL closure, SHACL validation), in this process or a pool of worker processes
(:mod:`~rcm_graph.pipeline.workers`), and the result is cached under the data directory
(:mod:`~rcm_graph.pipeline.cache`), keyed by the document's bytes, its file name and a
fingerprint of everything else that shapes the result (:mod:`~rcm_graph.pipeline.fingerprint`).
The build (:mod:`~rcm_graph.pipeline.run`) streams each result into a new store, then runs the
global steps: validation of the nodes several documents describe
(:mod:`~rcm_graph.pipeline.shared_validation`), reasoning across documents
(:mod:`~rcm_graph.pipeline.cross_reasoning`), statistics, dumps, the manifest
(:mod:`~rcm_graph.pipeline.manifest`), and publishes the build by an atomic switch when it
conforms. :mod:`~rcm_graph.pipeline.figures` times the stages and
:mod:`~rcm_graph.pipeline.progress` reports them as they run; :mod:`~rcm_graph.pipeline.output`
holds the ``build`` and ``validate`` verbs; :mod:`~rcm_graph.pipeline.validate` re-validates a
published dataset.

The names below are the package's public API, re-exported for callers that want the build
without knowing its modules.
"""

from __future__ import annotations

from rcm_graph.pipeline.figures import GLOBAL_STAGES, PER_DOCUMENT_STAGES, STAGES
from rcm_graph.pipeline.output import run_build, run_validate
from rcm_graph.pipeline.progress import BuildEvents
from rcm_graph.pipeline.run import build
from rcm_graph.pipeline.summary import BuildSummary
from rcm_graph.pipeline.validate import validate_dataset

__all__ = [
    "GLOBAL_STAGES",
    "PER_DOCUMENT_STAGES",
    "STAGES",
    "BuildEvents",
    "BuildSummary",
    "build",
    "run_build",
    "run_validate",
    "validate_dataset",
]
