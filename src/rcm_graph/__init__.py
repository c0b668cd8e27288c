"""rcm-graph: the Regional Conference on Migration documents as a linked-data knowledge graph.

The public API is deliberately small and pinned by a test: the version, the settings object and
its loader, and (once the stages exist) ``build`` and ``load_dataset``. Everything else is internal.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from rcm_graph.settings import Settings, load_settings

if TYPE_CHECKING:
    from rcm_graph.dataset import load_dataset
    from rcm_graph.pipeline.run import build

__all__ = ["Settings", "__version__", "build", "load_dataset", "load_settings"]

# Imported on first use so that ``import rcm_graph`` stays cheap (no pyoxigraph, rdflib, owlrl).
_LAZY = {"load_dataset": "rcm_graph.dataset", "build": "rcm_graph.pipeline.run"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rcm_graph' has no attribute {name!r}")
