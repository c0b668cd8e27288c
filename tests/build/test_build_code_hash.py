"""The build's code hash covers the code that shapes a document's cached results, found from
the import graph, and leaves out what the build never imports (so a serve-side change does
not re-process every document, and no hand-kept list can go stale)."""

from __future__ import annotations

from pathlib import Path

import rcm_graph
from rcm_graph.pipeline.fingerprint import code_files

PACKAGE = Path(rcm_graph.__file__).parent


def _hashed() -> set[str]:
    return {str(p.relative_to(PACKAGE)) for p in code_files()}


def test_the_code_hash_covers_every_per_document_stage_and_its_data() -> None:
    hashed = _hashed()
    stages = {
        "extraction/__init__.py",
        "reading/loading.py",
        "curation.py",
        "mapping.py",
        "reasoning.py",
        "rules.py",
        "validation.py",
        "reference.py",
        "ontology.py",
        "pipeline/document.py",
        "pipeline/cache.py",
        "pipeline/fingerprint.py",
    }
    assert stages <= hashed, sorted(stages - hashed)
    lexicons = {str(p.relative_to(PACKAGE)) for p in (PACKAGE / "extraction").rglob("*.tsv")}
    assert lexicons and lexicons <= hashed


def test_the_code_hash_leaves_out_what_the_build_never_imports() -> None:
    hashed = _hashed()
    assert not [f for f in hashed if f.startswith(("web/", "query/"))]
    assert not {"cli.py", "remote.py", "dumps.py", "pipeline/run.py", "pipeline/output.py"} & hashed
