"""The build's code hash covers the code that shapes a document's cached results, found from
the import graph, and leaves out what the build never imports (so a serve-side change does
not re-process every document, and no hand-kept list can go stale)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import rcm_graph.cli
import rcm_graph.pipeline.cache
import rcm_graph.pipeline.document
import rcm_graph.pipeline.fingerprint
import rcm_graph.pipeline.output
import rcm_graph.pipeline.run
import rcm_graph.query.local.backend
import rcm_graph.query.remote
import rcm_graph.reference.graph
import rcm_graph.reference.ontology
import rcm_graph.stages.curation
import rcm_graph.stages.extraction
import rcm_graph.stages.mapping
import rcm_graph.stages.owl_rl
import rcm_graph.stages.reading.loading
import rcm_graph.stages.reasoning
import rcm_graph.stages.validation
import rcm_graph.store.dumps
import rcm_graph.web.app
from rcm_graph.pipeline.fingerprint import code_files


def _file(module: ModuleType) -> Path:
    return Path(str(module.__file__))


def test_the_code_hash_covers_every_per_document_stage_and_its_data() -> None:
    hashed = set(code_files())
    stages = {
        rcm_graph.stages.extraction,
        rcm_graph.stages.reading.loading,
        rcm_graph.stages.curation,
        rcm_graph.stages.mapping,
        rcm_graph.stages.reasoning,
        rcm_graph.stages.owl_rl,
        rcm_graph.stages.validation,
        rcm_graph.reference.graph,
        rcm_graph.reference.ontology,
        rcm_graph.pipeline.document,
        rcm_graph.pipeline.cache,
        rcm_graph.pipeline.fingerprint,
    }
    missing = sorted(m.__name__ for m in stages if _file(m) not in hashed)
    assert not missing, missing
    lexicons = set(_file(rcm_graph.stages.extraction).parent.rglob("*.tsv"))
    assert lexicons and lexicons <= hashed


def test_the_code_hash_leaves_out_what_the_build_never_imports() -> None:
    hashed = set(code_files())
    web = _file(rcm_graph.web.app).parent
    query = _file(rcm_graph.query.local.backend).parent.parent
    assert not [p for p in hashed if p.is_relative_to(web) or p.is_relative_to(query)]
    serve_side = {
        rcm_graph.cli,
        rcm_graph.query.remote,
        rcm_graph.store.dumps,
        rcm_graph.pipeline.run,
        rcm_graph.pipeline.output,
    }
    assert not sorted(m.__name__ for m in serve_side if _file(m) in hashed)
