"""What shapes a document's results, as hashes: the key of the per-document cache.

A document's cached results stay valid while its bytes, its file name and everything else that
goes into them are unchanged: the ontology, the shapes, the reference graph, the curation files,
the base IRI and the package's own code. :func:`fingerprint` folds the hashes of all but the
document into one key (see :mod:`rcm_graph.pipeline.cache`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

import rcm_graph


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def graph_hash(graph: Graph) -> str:
    """A hash of ``graph``'s triples, independent of their order."""
    lines = sorted(graph.serialize(format="nt").splitlines())
    return sha("\n".join(lines).encode("utf-8"))


def files_hash(paths: Sequence[Path], root: Path | None = None) -> str:
    """A hash of the files' names (relative to ``root``, else base names) and bytes."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root else path.name
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# Parts of the package that cannot change what a document's cached results contain.
_NOT_IN_CODE_HASH = {
    "web",
    "cli.py",
    "clidoc.py",
    "backend.py",
    "executor.py",
    "remote.py",
    "query_policy.py",
    "sparql_text.py",
    "netguard.py",
    "catalogue.py",
    "querying.py",
    "dumps.py",
    "describe.py",
    "dataset.py",
    "settings.py",
    "__main__.py",
    "__pycache__",
}


def code_hash() -> str:
    """The package's own files that shape extraction, mapping, reasoning and validation: a
    change there can change every document's results."""
    package = Path(rcm_graph.__file__).parent
    files = [
        p
        for p in package.rglob("*")
        if p.is_file()
        and p.suffix != ".pyc"
        and not _NOT_IN_CODE_HASH.intersection(p.relative_to(package).parts)
    ]
    return files_hash(files, package)


def fingerprint(hashes: dict[str, str]) -> str:
    """One key for the named hashes (see :func:`rcm_graph.pipeline.inputs.load_context`)."""
    return sha(json.dumps(hashes, sort_keys=True).encode("utf-8"))[:32]
