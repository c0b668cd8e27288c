"""What shapes a document's results, as hashes: the key of the per-document cache.

A document's cached results stay valid while its bytes, its file name and everything else that
goes into them are unchanged: the ontology, the shapes, the reference graph, the curation files,
the base IRI and the package's own code. :func:`fingerprint` folds the hashes of all but the
document into one key (see :mod:`rcm_graph.pipeline.cache`).
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

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


# The modules whose code decides what a document's cached results contain: the processing of
# one document (extraction, curation, mapping, reasoning, validation, the cache entry) and the
# context it runs against (ontology, shapes, reference graph). The code hash covers them and
# every module they import, transitively.
RESULT_MODULES = ("rcm_graph.pipeline.document", "rcm_graph.pipeline.inputs")


def code_hash() -> str:
    """A hash of the package's files that shape a document's results (:func:`code_files`):
    a change there can change every document's results."""
    package = Path(rcm_graph.__file__).parent
    return files_hash(code_files(), package)


def code_files() -> list[Path]:
    """The source files of :data:`RESULT_MODULES` and of every project module they import,
    transitively, plus the data files of the packages among them.

    WHY from the import graph: a hand-kept list of what to leave out went stale with every new
    serve-side module, and one left out of the hash by mistake would serve stale cached
    results. Following the imports cannot miss code the build runs (the project imports its
    modules statically, which the architecture test enforces), and leaves out by itself what
    the build never imports: the web layer, the query backends, the CLI, the store's writers.
    Data files (lexicons, reference tables) belong to the nearest package folder above them.
    A package's ``__init__`` counts when it is imported itself (``from rcm_graph.extraction
    import ...``), not for holding an imported module: ``rcm_graph.pipeline`` re-exports the
    whole build, which does not make the dumps part of a document's results. Likewise the root
    package is hashed but its imports are not followed: ``rcm_graph.build`` and friends are
    imported inside ``__getattr__`` on first use, so that ``import rcm_graph`` stays cheap.
    """
    package = Path(rcm_graph.__file__).parent
    sources = _module_files(package)
    seen: set[str] = set()
    todo = list(RESULT_MODULES)
    while todo:
        name = todo.pop()
        if name in seen or name not in sources:
            continue
        seen.add(name)
        if name != package.name:  # the root's imports load the build lazily, on first use
            todo += sorted(_imported(sources[name], sources))
    files = [sources[n] for n in seen]
    packages = {sources[n].parent for n in seen if sources[n].name == "__init__.py"}
    for path in package.rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc") and _owner(path) in packages:
            files.append(path)
    return sorted(files)


def _module_files(package: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__.py``)."""
    found: dict[str, Path] = {}
    for path in package.rglob("*.py"):
        parts = [package.name, *path.relative_to(package).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(path: Path, sources: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports (at any depth, outside ``if TYPE_CHECKING``)."""
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)  # submodules
    return {n for n in found if n in sources}


def _imports(statements: list[Any]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements among ``statements`` and in their blocks (functions, classes,
    ``try``, ...), except in the body of ``if TYPE_CHECKING:``, which never runs."""
    for statement in statements:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            yield statement
            continue
        if isinstance(statement, ast.If) and _is_type_checking(statement.test):
            yield from _imports(statement.orelse)
            continue
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            yield from _imports(getattr(statement, block, []))


def _is_type_checking(test: ast.expr) -> bool:
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", None)
    return name == "TYPE_CHECKING"


def _owner(path: Path) -> Path:
    """The nearest folder above ``path`` that is a package (holds an ``__init__.py``)."""
    folder = path.parent
    while not (folder / "__init__.py").is_file():
        folder = folder.parent
    return folder


def fingerprint(hashes: dict[str, str]) -> str:
    """One key for the named hashes (see :func:`rcm_graph.pipeline.inputs.load_context`)."""
    return sha(json.dumps(hashes, sort_keys=True).encode("utf-8"))[:32]
