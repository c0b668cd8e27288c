"""A query's keys, and the answers kept per build.

WHY exact: a build is immutable once published, so an answer keyed by (build, query, media
type, row cap, dataset parameters) stays right for as long as that build is served; an answer
that hit its time limit is never kept, and the whole cache is dropped when another build
becomes the served one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rcm_graph.query.cache import ByteLRU
from rcm_graph.query.local.execute import Result
from rcm_graph.query.policy import analyse


class Call:
    """One query as the pool handles it: the job a worker gets, and its keys."""

    __slots__ = ("job", "long_key", "max_rows", "sparql")

    def __init__(
        self,
        sparql: str,
        accept_format: str,
        max_rows: int,
        default_graph_uris: Sequence[str],
        named_graph_uris: Sequence[str],
        base_iri: str | None,
    ) -> None:
        analysis = analyse(sparql, base_iri=base_iri)  # remembered from the policy check
        defaults, named = tuple(default_graph_uris), tuple(named_graph_uris)
        self.sparql = sparql
        self.max_rows = max_rows
        # The fields of :class:`rcm_graph.query.local.execute.Job`, as sent over the pipe.
        self.job = (
            sparql,
            accept_format,
            max_rows,
            defaults,
            named,
            base_iri,
            analysis.form,
            tuple(analysis.prefixes.items()),
        )
        # The long-query lane remembers queries by text and dataset, whatever the format.
        self.long_key = hash((sparql, defaults, named, base_iri))


class AnswerCache:
    """Answers by (build, job), up to ``max_bytes`` (0: off)."""

    def __init__(self, max_bytes: int) -> None:
        self._lru: ByteLRU[tuple[bytes, Result]] = ByteLRU(max_bytes)

    @property
    def max_bytes(self) -> int:
        return self._lru.max_bytes

    def get(self, build_dir: Path, call: Call) -> tuple[bytes, Result] | None:
        if not self._lru.max_bytes:
            return None
        return self._lru.get((build_dir, *call.job))

    def put(self, build_dir: Path, call: Call, body: bytes, meta: Result) -> None:
        if self._lru.max_bytes:
            self._lru.put((build_dir, *call.job), (body, meta), len(body) + len(call.sparql))

    def clear(self) -> None:
        self._lru.clear()

    def stats(self) -> dict[str, int]:
        return self._lru.stats()
