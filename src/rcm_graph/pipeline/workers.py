"""The pool of build worker processes that run the per-document stages.

WHY processes: extraction, reasoning and validation are pure Python, so threads would share
one core; ``build_workers`` processes use several. The output does not depend on their number:
results are consumed in the corpus order whatever finishes first. Workers are forked where the
platform allows (they inherit the loaded context) and spawned elsewhere (they load it again);
each lets go of the build lock it inherited and dies with the build process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rcm_graph.errors import DatasetError
from rcm_graph.pipeline.cache import Cache, Processed
from rcm_graph.pipeline.convert import parse_nt
from rcm_graph.pipeline.document import DocumentProcessor, Failed, Limits
from rcm_graph.pipeline.fingerprint import fingerprint
from rcm_graph.pipeline.inputs import curation_files, load_context
from rcm_graph.sandbox.parent_death import die_with_parent
from rcm_graph.settings import Settings
from rcm_graph.stages.reasoning import Inference, Reasoner
from rcm_graph.stages.validation import Validator

# The processor of a pool process: set in the parent before the pool forks (inherited), or
# built by :func:`_pool_init` where processes are spawned.
_PROCESSOR: DocumentProcessor | None = None


def _pool_init(
    lock_fd: int | None,
    settings: Settings,
    curation: Path | None,
    background: bytes,
    problems: list[str],
    announce: bool,
    build_pid: int,
) -> None:
    """Start a worker process: let go of the build lock it inherited, die with the build
    process, and (when spawned rather than forked) load what processing needs.

    WHY: a forked worker inherits the build lock's file descriptor, and the lock is held
    until every copy is closed; a worker outliving a killed build would keep the next build
    out ("another build is running")."""
    global _PROCESSOR
    if lock_fd is not None:
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    die_with_parent(build_pid)  # no orphan keeps computing (or holding files) for a dead build
    if _PROCESSOR is not None:  # forked: inherited from the parent
        return
    ctx = load_context(settings, curation)
    inference = Inference(parse_nt(background), problems)
    reasoner = Reasoner(ctx.ontology, ctx.reference, inference, engine=settings.reasoner)
    validator = Validator(
        ctx.shapes,
        ctx.ontology,
        ctx.reference,
        reasoner.reference_inferred,
        engine=settings.validator,
    )
    cache = Cache(settings.data_dir / "cache", fingerprint(ctx.hashes), enabled=False)
    _PROCESSOR = DocumentProcessor(
        ctx.iris,
        reasoner,
        validator,
        cache,
        curation_files(curation),
        Limits.of(settings, announce=announce),
    )


def _pool_process(path: Path) -> Processed | Failed:
    if _PROCESSOR is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("build worker not initialised")
    return _PROCESSOR.process(path)


@contextmanager
def processed_documents(
    processor: DocumentProcessor, paths: Sequence[Path], workers: int, init: tuple[Any, ...]
) -> Iterator[Iterator[Processed | Failed]]:
    """Each document's result, in the order of ``paths``, computed in this process or in a
    pool of ``workers`` processes (``init``: the arguments of a worker's initialiser).

    WHY in order: the build's output must not depend on the number of workers; results are
    consumed in the corpus order whatever finishes first. The workers are forked here, before
    the build opens its store, so no worker ever holds a handle on it. WHY a
    ``ProcessPoolExecutor``: a worker that dies (killed, out of memory) breaks the pool with an
    error instead of leaving the build waiting forever for its document.
    """
    global _PROCESSOR
    if workers <= 1 or len(paths) < 2:
        yield (processor.process(p) for p in paths)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    _PROCESSOR = processor if context.get_start_method() == "fork" else None
    executor = ProcessPoolExecutor(
        min(workers, len(paths)), mp_context=context, initializer=_pool_init, initargs=init
    )
    try:
        pending = executor.map(_pool_process, paths)  # submitted (and forked) now

        def results() -> Iterator[Processed | Failed]:
            try:
                yield from pending
            except BrokenProcessPool:
                raise DatasetError(
                    "a build worker process died (killed, or out of memory)",
                    where="build workers",
                    hint="rebuild (RCM_GRAPH_BUILD_WORKERS=1 uses one process); "
                    "the current dataset is unchanged",
                ) from None
            executor.shutdown()  # every document done: the workers' memory is given back
            # before the global steps run

        yield results()
    finally:
        executor.shutdown(cancel_futures=True)
        _PROCESSOR = None
