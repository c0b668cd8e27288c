"""What every route needs, built once by ``create_app`` and handed to the route factories.

WHY one object instead of module globals: tests build several apps with different settings in
one process, and nothing below the CLI may read the environment or keep global state.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rcm_graph.query.cache import ByteLRU
from rcm_graph.query.contract import QueryBackend
from rcm_graph.settings import Settings

# How long a remote backend's list of graphs may be reused before asking it again.
GRAPH_LIST_TTL_S = 5.0

if TYPE_CHECKING:
    from rcm_graph.query.catalogue import Catalogue
    from rcm_graph.store.dataset import Dataset


@dataclass
class AppContext:
    """Settings, the query backend, and accessors for the current dataset and the catalogue.

    ``dataset()`` follows the data directory's ``current`` link, so a rebuild published while
    the server runs is picked up on the next request (the manifest is read once per build).
    """

    settings: Settings
    backend: QueryBackend
    # Whole /sparql responses for repeated queries (rcm_graph.web.response_cache); empty = off.
    response_cache: ByteLRU[Any] = field(default_factory=lambda: ByteLRU(0))
    _dataset: Dataset | None = field(default=None, init=False, repr=False)
    _catalogue: Catalogue | None = field(default=None, init=False, repr=False)
    _graphs: tuple[float, str | None, list[str]] | None = field(
        default=None, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def dataset(self) -> Dataset:
        """The dataset being served; raises ``DatasetError`` (503) when there is none."""
        from rcm_graph.store.dataset import current_build_dir, load_dataset

        with self._lock:
            current = current_build_dir(self.settings.data_dir)
            if self._dataset is None or current != self._dataset.build_dir:
                self._dataset = load_dataset(self.settings.data_dir, verify=False)
            return self._dataset

    def catalogue(self) -> Catalogue:
        """The named queries (``queries/*.rq``), loaded once."""
        from rcm_graph.query.catalogue import load_catalogue

        with self._lock:
            if self._catalogue is None:
                self._catalogue = load_catalogue()
            return self._catalogue

    def graph_iris(self) -> list[str]:
        """The dataset's graph IRIs: per build with the local backend (its ``answer_token``
        names the build being served, so a rebuild's new graph is known at once); cached for
        a few seconds with a remote backend, which must query for them."""
        token_of = getattr(self.backend, "answer_token", None)
        token = token_of() if callable(token_of) else None
        now = time.monotonic()
        with self._lock:
            if self._graphs is not None:
                seen_at, seen_token, graphs = self._graphs
                if token is not None and token == seen_token:
                    return graphs
                if token is None and not callable(token_of) and now - seen_at < GRAPH_LIST_TTL_S:
                    return graphs
        graphs = self.backend.graph_iris()
        with self._lock:
            self._graphs = (now, token, graphs)
        return graphs

    def forget_graphs(self) -> None:
        """Drop the cached graph list, so the next request sees graphs a write just created
        (read-your-write must hold for ``FROM <new graph>`` too)."""
        with self._lock:
            self._graphs = None

    @property
    def base_url_path(self) -> str:
        """Path of the SPARQL endpoint, relative to the server root."""
        return "/sparql"
