"""rcm-graph: the Regional Conference on Migration documents as a linked-data knowledge graph.

The public API is deliberately small and pinned by a test: the version, the settings object and
its loader, and (once the stages exist) ``build`` and ``load_dataset``. Everything else is internal.
"""

from __future__ import annotations

__version__ = "0.1.0"

from rcm_graph.settings import Settings, load_settings

__all__ = ["Settings", "__version__", "load_settings"]
