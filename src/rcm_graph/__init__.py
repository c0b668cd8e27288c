"""rcm-graph: the Regional Conference on Migration documents as a linked-data knowledge graph.

The public API is deliberately small and pinned by a test: the version, the settings object and
its loader, and (once the stages exist) ``build`` and ``load_dataset``. Everything else is internal.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from rcm_graph.settings import Settings, load_settings

if TYPE_CHECKING:
    from rcm_graph.pipeline import build
    from rcm_graph.store.dataset import load_dataset

__all__ = ["Settings", "__version__", "build", "load_dataset", "load_settings"]


def __getattr__(name: str) -> object:
    """``build`` and ``load_dataset`` on first use, so that ``import rcm_graph`` stays cheap (no
    pyoxigraph, rdflib, owlrl). Plain imports, so that the architecture test sees the edges."""
    if name == "load_dataset":
        from rcm_graph.store.dataset import load_dataset

        return load_dataset
    if name == "build":
        from rcm_graph.pipeline import build

        return build
    raise AttributeError(f"module 'rcm_graph' has no attribute {name!r}")
