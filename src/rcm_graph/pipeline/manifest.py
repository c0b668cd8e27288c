"""The build's manifest: what ``builds/<id>/manifest.json`` says about a build.

WHY its own module: the manifest is the build's record for everyone after it (the server
verifies the files it lists, ``rcm-graph validate`` reads the documents and the base IRI, the
benchmarks read the figures); what goes into it is decided here, in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import rcm_graph
import rcm_graph.store.dataset as ds
from rcm_graph.pipeline.figures import peak_rss_mib
from rcm_graph.pipeline.inputs import Context
from rcm_graph.pipeline.summary import BuildSummary
from rcm_graph.stages.validation import ValidationReport


@dataclass
class DocumentSummary:
    """What the build keeps of one document until the end (a few hundred bytes)."""

    doc_id: str
    source: str
    sha256: str
    facts: int
    cached: bool
    problems: list[str]
    report: ValidationReport | None


def manifest(
    ctx: Context,
    summary: BuildSummary,
    processed: Sequence[DocumentSummary],
    build_dir: Path,
    names: list[str],
    started: datetime,
    digests: Mapping[str, str],
) -> dict[str, Any]:
    """The manifest of the build ``summary`` describes (``names``: its files)."""
    return {
        "build_id": summary.build_id,
        "created": started.isoformat(),
        "package_version": rcm_graph.__version__,
        "base_iri": ctx.settings.base_iri,
        "documents": [
            {
                "doc_id": p.doc_id,
                "source": p.source,
                "sha256": p.sha256,
                "graph": str(ctx.iris.document_graph(p.doc_id)),
                "facts": p.facts,
                "cached": p.cached,
            }
            for p in processed
        ],
        "errors": summary.errors,
        "graphs": summary.triples_per_graph,
        "triples": summary.triples,
        "conformant": summary.conforms,
        "validation_results": len(summary.report.results),
        "hashes": ctx.hashes,
        "stage_seconds": {k: round(v, 3) for k, v in summary.stage_seconds.items()},
        "stage_cpu_seconds": {k: round(v, 3) for k, v in summary.stage_cpu_seconds.items()},
        "stage_peak_rss_raise_mib": {
            k: round(v, 1) for k, v in summary.stage_peak_rss_raise_mib.items()
        },
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "files": ds.file_entries(build_dir, names, digests),
    }
