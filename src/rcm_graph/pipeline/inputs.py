"""What a build reads before any document: the corpus folder, its documents, the curation
files by document, and the context every document is processed against (IRIs, ontology,
shapes, reference graph) with the hashes that key the cache.

WHY together: these are the build's inputs, checked once at the start (a missing corpus or a
curation file naming no document is a one-line error before any work), and the same context
is loaded again in a spawned build worker (:mod:`rcm_graph.pipeline.workers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from rcm_graph.errors import CurationError, InputError
from rcm_graph.model.iris import Iris
from rcm_graph.pipeline.fingerprint import code_hash, files_hash, graph_hash, sha
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology, load_shapes, ontology_path, shapes_paths
from rcm_graph.resources import bundled_corpus_dir
from rcm_graph.settings import Settings
from rcm_graph.stages.curation import files_by_document


def corpus_dir(settings: Settings) -> Path:
    """The corpus folder of ``settings`` (default: the bundled corpus); it must exist."""
    corpus = settings.corpus or bundled_corpus_dir()
    if not corpus.is_dir():
        raise InputError(
            "is a file, not a corpus folder"
            if corpus.exists()
            else "the corpus folder does not exist",
            where=str(corpus),
            hint="pass an existing folder with --corpus (or RCM_GRAPH_CORPUS_DIR)",
        )
    return corpus


def curation_dir(settings: Settings, corpus: Path) -> Path | None:
    """The curation folder: the one given, else ``<corpus>/curation`` when it exists."""
    if settings.curation is not None:
        return settings.curation
    default = corpus / "curation"
    return default if default.is_dir() else None


def curation_files(curation: Path | None) -> dict[str, list[Path]]:
    """Curation files by the document id they apply to (none without a curation folder)."""
    return {} if curation is None else files_by_document(curation)


def check_curation_targets(files: dict[str, list[Path]], doc_ids: set[str]) -> None:
    """Every curation file must name a document of the corpus (as ``apply_curation`` checks)."""
    for doc_id, paths in sorted(files.items()):
        if doc_id not in doc_ids:
            raise CurationError(
                f"no document with id {doc_id!r} in the corpus",
                where=f"{paths[0]}:1",
                hint=f"name the file after a document id: {', '.join(sorted(doc_ids)) or '(none)'}",
            )


@dataclass
class Context:
    """What every document is processed against, and the hashes of what shapes its results."""

    settings: Settings
    iris: Iris
    ontology: Graph
    shapes: Graph
    reference: Graph
    hashes: dict[str, str]


def load_context(settings: Settings, curation: Path | None) -> Context:
    iris = Iris(settings.base_iri)
    ontology, shapes = load_ontology(), load_shapes()
    reference = reference_graph(iris)
    curation_paths = [p for p in curation.rglob("*") if p.is_file()] if curation else []
    hashes = {
        "ontology": files_hash([ontology_path()]),
        "shapes": files_hash(shapes_paths()),
        "reference": graph_hash(reference),
        "curation": files_hash(curation_paths, curation) if curation else "",
        "code": code_hash(),
        "base_iri": sha(settings.base_iri.encode("utf-8")),
    }
    return Context(settings, iris, ontology, shapes, reference, hashes)
