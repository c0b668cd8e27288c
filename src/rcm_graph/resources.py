"""Where the project's shipped files are: ontology, shapes, queries, bundled corpus, reference data.

An installed wheel carries the top-level folders under ``rcm_graph/_data/``; an editable install
(or a plain checkout on ``PYTHONPATH``) reads them from the repository root. Callers ask for a
folder by name and never build these paths themselves.
"""

from __future__ import annotations

from pathlib import Path

from rcm_graph.errors import NotBuiltError

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent

SHIPPED_FOLDERS = ("ontology", "shapes", "queries", "corpus")


def shipped_dir(name: str) -> Path:
    """The directory of a shipped folder (``ontology``, ``shapes``, ``queries``, ``corpus``)."""
    if name not in SHIPPED_FOLDERS:
        raise ValueError(f"unknown shipped folder {name!r}")
    for candidate in (_PACKAGE_DIR / "_data" / name, _REPO_ROOT / name):
        if candidate.is_dir():
            return candidate
    raise NotBuiltError(
        f"the shipped folder {name!r} is missing from this installation",
        where=str(_PACKAGE_DIR),
        hint="reinstall the package (pip install .) from a complete checkout",
    )


def reference_data_dir() -> Path:
    """The reference TSV files (GCM objectives and principles, members, organizations)."""
    return _PACKAGE_DIR / "reference_data"


def bundled_corpus_dir() -> Path:
    """The five documents the project ships as its default corpus."""
    return shipped_dir("corpus")
