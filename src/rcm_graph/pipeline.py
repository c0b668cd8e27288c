"""The build: read → extract → map → reason → validate → store → publish.

Each document is processed on its own (map, OWL 2 RL closure, SHACL validation) and the result
is cached under the data directory, keyed by the document's bytes, its file name and a
fingerprint of everything else that shapes the result (ontology, shapes, reference graph,
curation files, base IRI, the package's own code). A rebuild after one document changed
re-processes only that document; a change to the ontology, shapes or reference data changes
the fingerprint and so re-processes all; ``--full`` ignores the cache. The cross-document
passes (reasoning over the chain/transitive properties of the union, validation of nodes that
several documents describe) always run.

The build streams: documents are processed one at a time (in this process or in a pool of
``build_workers`` processes, with the same output either way), and each one's triples go into
the new store as soon as it is done; the build keeps only a small summary per document. The
global steps read what they need back from the store (see :func:`_build_locked`), so the
build's memory does not grow with the corpus the way it did when every document's graphs
were kept until the end (about 7 MiB per document).

The new build is written into a fresh ``builds/<id>/`` directory and published by an atomic
symlink switch (:mod:`rcm_graph.store.dataset`), only when it conforms to the shapes (or with
``--allow-invalid``): a failed or killed build never touches the dataset being served.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import inspect
import itertools
import json
import multiprocessing
import os
import re
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph
from rdflib import RDF, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

import rcm_graph
from rcm_graph.errors import (
    DatasetError,
    DocumentError,
    InputError,
    NotBuiltError,
    RcmGraphError,
)
from rcm_graph.model.facts import DocumentFacts
from rcm_graph.model.iris import Iris
from rcm_graph.model.slugs import slugify
from rcm_graph.model.vocab import OA, RCM
from rcm_graph.reference.graph import reference_graph
from rcm_graph.reference.ontology import load_ontology, load_shapes, ontology_path, shapes_paths
from rcm_graph.resources import bundled_corpus_dir
from rcm_graph.sandbox.parent_death import die_with_parent
from rcm_graph.sandbox.time_limit import TimeLimitExceeded, time_limit
from rcm_graph.settings import Settings
from rcm_graph.stages.mapping import map_document
from rcm_graph.stages.reasoning import Inference, Reasoner, Triple, cross_document_properties
from rcm_graph.stages.validation import (
    Evidence,
    ValidationReport,
    ValidationResult,
    Validator,
    combine,
    format_report,
)
from rcm_graph.store import dataset as ds
from rcm_graph.store import dumps
from rcm_graph.store.void import BuildInfo, collect_stats, describe_dataset, triples_per_graph_names
from rcm_graph.writes import edits

Progress = Callable[[str], None]
CACHE_FORMAT = 1
# Per-document stages (summed over documents, whichever process ran them) and the global steps
# (see :func:`_build_locked`), as they appear in ``stage_seconds``.
PER_DOCUMENT_STAGES = ("extract", "map", "reason", "validate")
GLOBAL_STAGES = (
    "load",
    "background",
    "store",
    "shared-validation",
    "cross-reasoning",
    "edits",
    "stats",
    "dumps",
)
STAGES = PER_DOCUMENT_STAGES + GLOBAL_STAGES


@dataclass
class BuildSummary:
    """What a build did; ``published`` says whether ``current`` now points to it."""

    build_id: str
    build_dir: Path
    documents: list[str]  # doc ids built
    reused: list[str]  # doc ids taken from the cache
    errors: list[str]  # one line per unreadable document
    facts: int
    triples_per_graph: dict[str, int]
    conforms: bool
    published: bool
    report: ValidationReport
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stage_cpu_seconds: dict[str, float] = field(default_factory=dict)
    stage_peak_rss_raise_mib: dict[str, float] = field(default_factory=dict)

    def format(self, iris: Iris) -> str:
        names = triples_per_graph_names(iris, self.triples_per_graph)
        width = max((len(n) for n in names), default=10)
        lines = [
            f"build {self.build_id}: {len(self.documents)} documents "
            f"({len(self.reused)} from cache), {self.facts} facts",
            f"  {'graph'.ljust(width)}  triples",
        ]
        lines += [f"  {n.ljust(width)}  {c:>7}" for n, c in sorted(names.items())]
        lines.append(f"  {'total'.ljust(width)}  {sum(names.values()):>7}")
        verdict = "conforms" if self.conforms else "DOES NOT CONFORM"
        lines.append(f"validation: {verdict} ({len(self.report.results)} results)")
        times = " · ".join(f"{k} {v:.2f}s" for k, v in self.stage_seconds.items())
        lines.append(f"time: {times} · total {sum(self.stage_seconds.values()):.2f}s")
        if self.stage_cpu_seconds:
            cpu = " · ".join(f"{k} {v:.2f}s" for k, v in self.stage_cpu_seconds.items())
            lines.append(f"build process CPU: {cpu}")
        if self.stage_peak_rss_raise_mib:
            raised = " · ".join(
                f"{k} +{v:.0f}" for k, v in self.stage_peak_rss_raise_mib.items() if v >= 0.5
            )
            lines.append(f"build process peak RSS raised (MiB) by: {raised}")
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"error: {e}" for e in self.errors]
        return "\n".join(lines)


@dataclass
class _Processed:
    """One document's results as the build keeps them: N-Triples bytes (handed on to the store
    at once, then dropped) and a small summary (ids, counts, the validation report only when it
    has results)."""

    doc_id: str
    source: str
    sha256: str
    facts: int
    graph_nt: bytes
    inferred_nt: bytes
    conforms: bool
    results: list[ValidationResult]
    report_nt: bytes
    problems: list[str]
    cached: bool
    seconds: dict[str, float] = field(default_factory=dict)
    curation: list[str] = field(default_factory=list)  # what curation changed (fresh only)

    def report(self) -> ValidationReport | None:
        """The document's validation report, or None when it conforms with nothing to say."""
        if self.conforms and not self.results:
            return None
        return ValidationReport(self.conforms, self.results, _parse_nt(self.report_nt))


@dataclass
class _Failed:
    """A document that could not be read or extracted: one line each."""

    errors: list[str]
    curation: list[str] = field(default_factory=list)


class _Timer:
    """Wall seconds per stage, CPU seconds of this process (all its threads) per stage, and
    how much each stage raised the process's peak RSS.

    CPU is what says whether a global step grows linearly on a machine shared with other
    jobs, where wall time also measures the neighbours. Per-document stages run in workers,
    whose wall seconds are added as reported; they have no CPU entry here. The peak is the
    process's high-water mark (it cannot be reset without falsifying what ``wait4`` reports
    to a benchmark), so a stage is charged what the mark rose since the previous window
    ended: in the streaming loop, the document handling between two ``store`` windows is
    charged to ``store``."""

    def __init__(self, progress: Progress | None) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self.peak_rss_raise_mib: dict[str, float] = {}
        self.progress = progress
        self._peak = _peak_rss_mib()

    @contextmanager
    def stage(self, name: str, what: str = "") -> Iterator[None]:
        if self.progress:
            self.progress(f"[{name}] {what}".rstrip())
        with self.window(name):
            yield

    @contextmanager
    def window(self, name: str) -> Iterator[None]:
        """Add the wall and process CPU time of the enclosed block to stage ``name``."""
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            spent = time.process_time() - cpu
            self.cpu_seconds[name] = self.cpu_seconds.get(name, 0.0) + spent
            peak = _peak_rss_mib()
            raised = self.peak_rss_raise_mib.get(name, 0.0) + peak - self._peak
            self.peak_rss_raise_mib[name], self._peak = raised, peak


def _peak_rss_mib() -> float:
    """This process's peak RSS so far.

    WHY ``VmHWM`` first: ``ru_maxrss`` survives ``execve``, so a build started by a larger
    process (a benchmark, a test runner) would report its parent's peak until it exceeded
    it. Where there is no ``/proc``, ``ru_maxrss`` (KiB on Linux, bytes on macOS)."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- fingerprints and cache ------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _graph_hash(graph: Graph) -> str:
    lines = sorted(graph.serialize(format="nt").splitlines())
    return _sha("\n".join(lines).encode("utf-8"))


def _files_hash(paths: Sequence[Path], root: Path | None = None) -> str:
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


def _code_hash() -> str:
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
    return _files_hash(files, package)


def _ntriples(graph: Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def _parse_nt(data: bytes) -> Graph:
    graph = Graph()
    if data:
        graph.parse(data=data, format="nt")
    return graph


class _Cache:
    """Per-document results under ``data_dir/cache/``, each entry written atomically."""

    def __init__(self, root: Path, fingerprint: str, enabled: bool) -> None:
        self.root = root
        self.fingerprint = fingerprint
        self.enabled = enabled

    def key(self, source: str, sha256: str) -> str:
        return _sha(f"{CACHE_FORMAT}\0{self.fingerprint}\0{source}\0{sha256}".encode())[:32]

    def _dir(self, key: str) -> Path:
        return self.root / "documents" / key

    def has(self, source: str, sha256: str) -> bool:
        return self.enabled and (self._dir(self.key(source, sha256)) / "entry.json").is_file()

    def get(self, source: str, sha256: str) -> _Processed | None:
        entry = self._dir(self.key(source, sha256))
        if not self.enabled or not (entry / "entry.json").is_file():
            return None
        try:
            meta = json.loads((entry / "entry.json").read_text(encoding="utf-8"))
            return _Processed(
                doc_id=meta["doc_id"],
                source=meta["source"],
                sha256=meta["sha256"],
                facts=meta["facts"],
                graph_nt=(entry / "document.nt").read_bytes(),
                inferred_nt=(entry / "inferred.nt").read_bytes(),
                conforms=meta["conforms"],
                results=[_result_from_json(r) for r in meta["results"]],
                report_nt=(entry / "validation.nt").read_bytes(),
                problems=meta["problems"],
                cached=True,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is simply recomputed

    def put(self, item: _Processed) -> None:
        final = self._dir(self.key(item.source, item.sha256))
        tmp = final.with_name(final.name + f".tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "document.nt").write_bytes(item.graph_nt)
        (tmp / "inferred.nt").write_bytes(item.inferred_nt)
        (tmp / "validation.nt").write_bytes(item.report_nt)
        meta = {
            "doc_id": item.doc_id,
            "source": item.source,
            "sha256": item.sha256,
            "facts": item.facts,
            "conforms": item.conforms,
            "results": [asdict(r) for r in item.results],
            "problems": item.problems,
        }
        (tmp / "entry.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        try:
            tmp.rename(final)
        except OSError:  # another worker wrote the same entry (two identical files) first
            shutil.rmtree(tmp, ignore_errors=True)

    def get_background(self) -> tuple[Inference, ValidationReport] | None:
        entry = self.root / "background" / self.fingerprint
        if not self.enabled or not (entry / "entry.json").is_file():
            return None
        try:
            meta = json.loads((entry / "entry.json").read_text(encoding="utf-8"))
            inference = Inference(_parse_nt((entry / "inferred.nt").read_bytes()), meta["problems"])
            report = ValidationReport(
                meta["conforms"],
                [_result_from_json(r) for r in meta["results"]],
                _parse_nt((entry / "validation.nt").read_bytes()),
            )
            return inference, report
        except (OSError, ValueError, KeyError, SyntaxError):
            return None

    def put_background(self, inference: Inference, report: ValidationReport) -> None:
        final = self.root / "background" / self.fingerprint
        tmp = final.with_name(final.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "inferred.nt").write_bytes(_ntriples(inference.triples))
        (tmp / "validation.nt").write_bytes(_ntriples(report.graph))
        meta = {
            "problems": inference.problems,
            "conforms": report.conforms,
            "results": [asdict(r) for r in report.results],
        }
        (tmp / "entry.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)

    def prune(self, used: set[str]) -> None:
        """Drop entries no build uses any more (old versions of changed documents)."""
        for parent, keep in (
            (self.root / "documents", used),
            (self.root / "background", {self.fingerprint}),
        ):
            for child in parent.iterdir() if parent.is_dir() else []:
                if child.name not in keep:
                    shutil.rmtree(child, ignore_errors=True)


def _result_from_json(data: dict[str, Any]) -> ValidationResult:
    evidence = tuple(Evidence(**e) for e in data.get("evidence", ()))
    return ValidationResult(**{**data, "evidence": evidence})


# -- stages ----------------------------------------------------------------------------------


def _count_facts(f: DocumentFacts) -> int:
    lists: Sequence[Sequence[object]] = (
        f.meetings,
        f.participations,
        f.persons,
        f.statements,
        f.commitments,
        f.objectives,
        f.principles,
        f.topics,
        f.stances,
        f.provisions,
    )
    return sum(len(x) for x in lists) + sum(len(m.counts) for m in f.meetings)


def _corpus(settings: Settings) -> Path:
    corpus = settings.corpus or bundled_corpus_dir()
    if not corpus.is_dir():
        raise InputError(
            "the corpus folder does not exist",
            where=str(corpus),
            hint="pass an existing folder with --corpus (or RCM_GRAPH_CORPUS_DIR)",
        )
    return corpus


def _curation_dir(settings: Settings, corpus: Path) -> Path | None:
    if settings.curation is not None:
        return settings.curation
    default = corpus / "curation"
    return default if default.is_dir() else None


def _list_documents(corpus: Path) -> list[Path]:
    from rcm_graph.stages.reading import list_documents

    return list_documents(corpus)


class _ExtractionResult(Protocol):
    documents: list[DocumentFacts]
    errors: Sequence[Exception]
    curation_report: list[str]


def _extract_corpus() -> Callable[..., _ExtractionResult]:
    """``rcm_graph.stages.extraction.extract_corpus``, imported by name at run time so that the
    build reports a missing extraction stage as a one-line error instead of failing at import."""
    try:
        module = importlib.import_module("rcm_graph.stages.extraction")
        extract_corpus: Callable[..., _ExtractionResult] = module.extract_corpus
    except (ImportError, AttributeError):
        raise NotBuiltError(
            "extraction is not available in this version"
            " (rcm_graph.stages.extraction.extract_corpus)",
            hint="see the README for the stages built so far",
        ) from None
    return extract_corpus


def _curation_files(curation: Path | None) -> dict[str, list[Path]]:
    """Curation files by the document id they apply to (in the order ``apply_curation`` uses).

    WHY per document: the streaming build extracts one document at a time (in any worker), so
    each document gets exactly the curation files that name it, as ``apply_curation`` would
    give it over the whole corpus.
    """
    from rcm_graph.stages.curation import _File

    if curation is None:
        return {}
    if not curation.is_dir():
        from rcm_graph.errors import CurationError

        raise CurationError(
            "the curation folder does not exist",
            where=str(curation),
            hint="create it or do not pass a curation folder",
        )
    found: dict[str, list[Path]] = {}
    for path in sorted(curation.glob("*.toml")):
        doc_id = _File(path).data.get("doc_id", path.stem)
        found.setdefault(doc_id if isinstance(doc_id, str) else repr(doc_id), []).append(path)
    return found


def _check_curation_targets(files: dict[str, list[Path]], doc_ids: set[str]) -> None:
    """Every curation file must name a document of the corpus (as ``apply_curation`` checks)."""
    from rcm_graph.errors import CurationError

    for doc_id, paths in sorted(files.items()):
        if doc_id not in doc_ids:
            raise CurationError(
                f"no document with id {doc_id!r} in the corpus",
                where=f"{paths[0]}:1",
                hint=f"name the file after a document id: {', '.join(sorted(doc_ids)) or '(none)'}",
            )


@dataclass(frozen=True)
class _Limits:
    """Per-document limits (settings ``document_max_bytes``, ``document_timeout_s``) and
    whether to say on stderr which document starts (the build was given a progress line)."""

    max_bytes: int
    timeout_s: float
    announce: bool = False

    @classmethod
    def of(cls, settings: Settings, *, announce: bool) -> _Limits:
        return cls(settings.document_max_bytes, settings.document_timeout_s, announce)


def _document_problem(path: Path, max_bytes: int) -> RcmGraphError | None:
    from rcm_graph.stages.reading.loading import document_problem

    return document_problem(path, max_bytes=max_bytes)


@dataclass
class _Worker:
    """What processing one document needs; one per process (the build's or a pool worker's)."""

    iris: Iris
    reasoner: Reasoner
    validator: Validator
    cache: _Cache
    curation: dict[str, list[Path]]
    limits: _Limits

    def process(self, path: Path) -> _Processed | _Failed:
        """Extract, map, reason and validate one document (or take it from the cache)."""
        problem = _document_problem(path, self.limits.max_bytes)
        if problem is not None:  # a link out of the corpus, a FIFO, too large: never opened
            return _Failed([problem.one_line()])
        hit = self.cache.get(path.name, ds.sha256_file(path))
        if hit is not None:
            return hit
        if self.limits.announce:  # which document is running, from the process running it
            print(f"[document] {path.name} ...", file=sys.stderr, flush=True)
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        try:
            with time_limit(self.limits.timeout_s):
                result = _extract_corpus()([path], curation_dir=None)
        except TimeLimitExceeded:
            return _Failed(
                [
                    DocumentError(
                        f"extraction took longer than the per-document limit "
                        f"({self.limits.timeout_s:g} s); the document is skipped",
                        where=str(path),
                        hint="split it, or raise RCM_GRAPH_DOCUMENT_TIMEOUT_S",
                    ).one_line()
                ]
            )
        errors = [e.one_line() if isinstance(e, RcmGraphError) else str(e) for e in result.errors]
        if not result.documents:
            return _Failed(errors)
        facts = result.documents[0]
        notes = self._curate(facts)
        seconds["extract"] = time.perf_counter() - started
        started = time.perf_counter()
        graph = map_document(facts, self.iris)
        seconds["map"] = time.perf_counter() - started
        started = time.perf_counter()
        inference = self.reasoner.reason_document(graph)
        seconds["reason"] = time.perf_counter() - started
        started = time.perf_counter()
        report = self.validator.validate_document(graph, inference.triples)
        seconds["validate"] = time.perf_counter() - started
        item = _Processed(
            doc_id=facts.doc_id,
            source=facts.source,
            sha256=facts.sha256,
            facts=_count_facts(facts),
            graph_nt=_ntriples(graph),
            inferred_nt=_ntriples(inference.triples),
            conforms=report.conforms,
            results=list(report.results),
            report_nt=_ntriples(report.graph),
            problems=[f"{facts.source}: {p}" for p in inference.problems],
            cached=False,
            seconds=seconds,
        )
        self.cache.put(item)
        item.curation = [f"curation: {line}" for line in notes]
        return item

    def _curate(self, facts: DocumentFacts) -> list[str]:
        from rcm_graph.stages.curation import _apply, _File

        notes: list[str] = []
        for path in self.curation.get(facts.doc_id, []):
            notes.extend(_apply(_File(path), facts))
        return notes


# The worker state of a pool process: set in the parent before the pool forks (inherited), or
# built by :func:`_pool_init` where processes are spawned.
_WORKER: _Worker | None = None


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
    global _WORKER
    if lock_fd is not None:
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    die_with_parent(build_pid)  # no orphan keeps computing (or holding files) for a dead build
    if _WORKER is not None:  # forked: inherited from the parent
        return
    ctx = _load_context(settings, curation)
    inference = Inference(_parse_nt(background), problems)
    reasoner = Reasoner(ctx.ontology, ctx.reference, inference, engine=settings.reasoner)
    validator = Validator(
        ctx.shapes,
        ctx.ontology,
        ctx.reference,
        reasoner.reference_inferred,
        engine=settings.validator,
    )
    cache = _Cache(settings.data_dir / "cache", _fingerprint(ctx.hashes), enabled=False)
    _WORKER = _Worker(
        ctx.iris,
        reasoner,
        validator,
        cache,
        _curation_files(curation),
        _Limits.of(settings, announce=announce),
    )


def _pool_process(path: Path) -> _Processed | _Failed:
    if _WORKER is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("build worker not initialised")
    return _WORKER.process(path)


@contextmanager
def _documents(
    worker: _Worker, paths: Sequence[Path], workers: int, init: tuple[Any, ...]
) -> Iterator[Iterator[_Processed | _Failed]]:
    """Each document's result, in the order of ``paths``, computed in this process or in a
    pool of ``workers`` processes.

    WHY in order: the build's output must not depend on the number of workers; results are
    consumed in the corpus order whatever finishes first. The workers are forked here, before
    the build opens its store, so no worker ever holds a handle on it. WHY a
    ``ProcessPoolExecutor``: a worker that dies (killed, out of memory) breaks the pool with an
    error instead of leaving the build waiting forever for its document.
    """
    global _WORKER
    if workers <= 1 or len(paths) < 2:
        yield (worker.process(p) for p in paths)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    _WORKER = worker if context.get_start_method() == "fork" else None
    executor = ProcessPoolExecutor(
        min(workers, len(paths)), mp_context=context, initializer=_pool_init, initargs=init
    )
    try:
        pending = executor.map(_pool_process, paths)  # submitted (and forked) now

        def results() -> Iterator[_Processed | _Failed]:
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
        _WORKER = None


@dataclass
class _Context:
    settings: Settings
    iris: Iris
    ontology: Graph
    shapes: Graph
    reference: Graph
    hashes: dict[str, str]


def _load_context(settings: Settings, curation: Path | None) -> _Context:
    iris = Iris(settings.base_iri)
    ontology, shapes = load_ontology(), load_shapes()
    reference = reference_graph(iris)
    curation_files = [p for p in curation.rglob("*") if p.is_file()] if curation else []
    hashes = {
        "ontology": _files_hash([ontology_path()]),
        "shapes": _files_hash(shapes_paths()),
        "reference": _graph_hash(reference),
        "curation": _files_hash(curation_files, curation) if curation else "",
        "code": _code_hash(),
        "base_iri": _sha(settings.base_iri.encode("utf-8")),
    }
    return _Context(settings, iris, ontology, shapes, reference, hashes)


def _fingerprint(hashes: dict[str, str]) -> str:
    return _sha(json.dumps(hashes, sort_keys=True).encode("utf-8"))[:32]


def _background(
    ctx: _Context, cache: _Cache, timer: _Timer
) -> tuple[Reasoner, Validator, ValidationReport]:
    cached = cache.get_background()
    with timer.stage("background", "ontology + reference"):
        reasoner = Reasoner(
            ctx.ontology,
            ctx.reference,
            cached[0] if cached else None,
            engine=ctx.settings.reasoner,
        )
        validator = Validator(
            ctx.shapes,
            ctx.ontology,
            ctx.reference,
            reasoner.reference_inferred,
            engine=ctx.settings.validator,
        )
        if cached:
            return reasoner, validator, cached[1]
        report = validator.validate_reference()
    cache.put_background(reasoner.background_inference, report)
    return reasoner, validator, report


def build(
    settings: Settings,
    *,
    allow_invalid: bool = False,
    full: bool = False,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build the dataset from the corpus and publish it when it conforms (public API).

    Raises :class:`InputError` when no document can be read at all; unreadable documents
    among readable ones are reported in ``BuildSummary.errors`` and the rest is built.
    """
    data_dir = settings.data_dir
    with ds.build_lock(data_dir) as lock_fd:
        before = _build_names(data_dir)
        try:
            return _build_locked(
                settings, allow_invalid=allow_invalid, full=full, progress=progress, lock_fd=lock_fd
            )
        except OSError as exc:  # no space left, read-only, permissions: nothing half-written
            for name in _build_names(data_dir) - before:
                shutil.rmtree(data_dir / ds.BUILDS / name, ignore_errors=True)
            raise DatasetError(
                f"the build could not be written ({exc.strerror or exc})",
                where=str(exc.filename or data_dir),
                hint="free space in the data directory or make it writable, then rebuild; "
                "the current dataset is unchanged",
            ) from None


def _build_names(data_dir: Path) -> set[str]:
    builds = data_dir / ds.BUILDS
    return {p.name for p in builds.iterdir()} if builds.is_dir() else set()


@dataclass
class _Summary:
    """What the build keeps of one document until the end (a few hundred bytes)."""

    doc_id: str
    source: str
    sha256: str
    facts: int
    cached: bool
    problems: list[str]
    report: ValidationReport | None


class _Projection:
    """The triples the cross-document reasoning needs: those whose predicate can join premises
    from two documents (:func:`rcm_graph.stages.reasoning.cross_document_properties`), gathered as
    N-Triples lines while the documents stream past, in a temporary file (tens of lines per
    document: kept out of memory until the reasoning reads them).

    WHY it is read back as a stream, not as an rdflib graph: an rdflib graph of the projection
    costs about a kilobyte a triple (hundreds of MiB at 10,000 documents) and rdflib parses
    N-Triples slowly; the reasoning only iterates (the rules engine interns what it keeps), so
    the file is parsed chunk by chunk by pyoxigraph each time it is iterated.
    """

    _CHUNK = 8 << 20

    def __init__(self, properties: set[Node], spill_dir: Path | None = None) -> None:
        self._predicates = {f"<{p}>".encode() for p in properties}
        self._spill = tempfile.TemporaryFile(dir=spill_dir)  # noqa: SIM115 - closed in close()
        self._background: tuple[Graph, ...] = ()
        self.count = 0

    def collect(self, ntriples: bytes) -> None:
        if self._predicates:
            # a statement's predicate is its second term (a subject holds no space): three
            # times faster than a regular expression over the lines
            predicates = self._predicates
            found = [
                line
                for line in ntriples.split(b"\n")
                if (parts := line.split(b" ", 2))[1:2] and parts[1] in predicates
            ]
            if found:
                self._spill.write(b"\n".join(found) + b"\n")
                self.count += len(found)

    def with_background(self, *background: Graph) -> _Projection:
        """Add to the projection the triples of ``background`` on the same properties."""
        self._background = background
        return self

    def __iter__(self) -> Iterator[Triple]:
        """The projection's triples (a triple several documents state comes once per
        document: the reasoning keeps sets). May be iterated more than once."""
        self._spill.flush()
        self._spill.seek(0)
        terms: dict[Any, Node] = {}

        def term(t: Any) -> Node:
            node = terms.get(t)
            if node is None:
                node = terms[t] = _to_rdflib(t)
            return node

        rest = b""
        while True:
            chunk = self._spill.read(self._CHUNK)
            data = rest + chunk
            end = data.rfind(b"\n") + 1 if chunk else len(data)
            if end:
                for t in pyoxigraph.parse(data[:end], pyoxigraph.RdfFormat.N_TRIPLES):
                    yield term(t.subject), term(t.predicate), term(t.object)
                terms.clear()  # bounded: interning only saves conversions within a chunk
            rest = data[end:]
            if not chunk:
                break
        for source in self._background:
            for triple in source:
                if f"<{triple[1]}>".encode() in self._predicates:
                    yield triple

    def close(self) -> None:
        self._spill.close()


class _SubjectIndex:
    """Which documents describe which IRI (as a subject), on disk.

    WHY on disk: the shared-node validation needs the IRIs that several documents describe;
    a dictionary of every subject of every document grows with the corpus (millions of IRIs
    at 10,000 documents). SQLite sorts them on disk with a bounded cache instead.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA cache_size = -16000")  # KiB
        self.db.execute("CREATE TABLE subject (iri TEXT NOT NULL, doc INTEGER NOT NULL)")

    _SUBJECT = re.compile(rb"^<([^>]*)> ", re.MULTILINE)

    def add(self, doc: int, ntriples: bytes) -> None:
        subjects = {s.decode("utf-8") for s in self._SUBJECT.findall(ntriples)}
        self.db.executemany("INSERT INTO subject VALUES (?, ?)", ((s, doc) for s in subjects))

    def shared(self) -> Iterator[str]:
        """IRIs that more than one document describes, sorted."""
        self.db.commit()
        rows = self.db.execute(
            "SELECT iri FROM subject GROUP BY iri HAVING COUNT(*) > 1 ORDER BY iri"
        )
        for (iri,) in rows:
            yield str(iri)

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)


def _build_locked(
    settings: Settings,
    *,
    allow_invalid: bool,
    full: bool,
    progress: Progress | None,
    lock_fd: int | None = None,
) -> BuildSummary:
    """The streaming build.

    Per document (in this process or a pool of ``settings.build_workers``): extract, map,
    reason, validate, cache. The build process then writes the document's triples and its
    inferred triples into the new store at once (each also into the default graph, so that it
    holds the union) and keeps only a summary. The global steps, each linear in the corpus:

    - ``background``: closing and validating ontology + reference (constant, cached);
    - ``store``: writing every document's triples (named graph + default graph) in bulk batches;
    - ``shared-validation``: the IRIs several documents describe (found on disk by
      :class:`_SubjectIndex`), validated in chunks against their neighbourhood read back from
      the store (:func:`_validate_shared`);
    - ``cross-reasoning``: OWL 2 RL over the projection on the cross-document properties;
    - ``stats``: the VoID statistics (queries over the store) and the meta graph;
    - ``dumps``: every file, written by the store.
    """
    started = datetime.now(UTC)
    timer = _Timer(progress)
    with timer.stage("load", "ontology, shapes, reference"):
        corpus = _corpus(settings)
        curation = _curation_dir(settings, corpus)
        paths = _list_documents(corpus)
        ctx = _load_context(settings, curation)
        curation_files = _curation_files(curation)
        _check_curation_targets(curation_files, {slugify(p.stem) for p in paths})
    cache = _Cache(settings.data_dir / "cache", _fingerprint(ctx.hashes), enabled=not full)
    reasoner, validator, reference_report = _background(ctx, cache, timer)
    limits = _Limits.of(settings, announce=progress is not None)
    worker = _Worker(ctx.iris, reasoner, validator, cache, curation_files, limits)
    for stage in ("extract", "map", "reason", "validate"):
        timer.seconds.setdefault(stage, 0.0)
    hits: list[Path] = []
    misses: list[Path] = []
    for path in paths:
        if _document_problem(path, limits.max_bytes) is not None:
            misses.append(path)  # refused by ``process``, which reports why; never hashed
        elif cache.has(path.name, ds.sha256_file(path)):
            hits.append(path)
        else:
            misses.append(path)
    init = (
        lock_fd,
        settings,
        curation,
        _ntriples(reasoner.background_inference.triples),
        reasoner.background_inference.problems,
        limits.announce,
        os.getpid(),
    )
    with _documents(worker, misses, settings.build_workers, init) as fresh:
        build_dir = ds.create_build_dir(settings.data_dir)
        try:
            return _stream(
                ctx,
                settings,
                timer,
                worker,
                reference_report,
                build_dir,
                items=itertools.chain((worker.process(p) for p in hits), fresh),
                corpus=corpus,
                curation_files=curation_files,
                started=started,
                allow_invalid=allow_invalid,
            )
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            raise


def _stream(
    ctx: _Context,
    settings: Settings,
    timer: _Timer,
    worker: _Worker,
    reference_report: ValidationReport,
    build_dir: Path,
    *,
    items: Iterator[_Processed | _Failed],
    corpus: Path,
    curation_files: dict[str, list[Path]],
    started: datetime,
    allow_invalid: bool,
) -> BuildSummary:
    iris, reasoner, validator, cache = ctx.iris, worker.reasoner, worker.validator, worker.cache
    store = dumps.open_new_store(build_dir)
    writer = dumps.QuadWriter(store)
    inferred_iri = str(iris.graph("inferred"))
    with timer.stage("store", "ontology, reference"):
        writer.add(str(iris.graph("reference")), _ntriples(ctx.reference))
        writer.add(str(iris.graph("ontology")), _ntriples(ctx.ontology))
        writer.add(inferred_iri, _ntriples(reasoner.reference_inferred))
    projection = _Projection(cross_document_properties(ctx.ontology), build_dir)
    subjects = _SubjectIndex(build_dir / ".subjects.sqlite")
    summaries: dict[str, _Summary] = {}
    graphs: dict[str, str] = {}  # document graph IRI -> doc id
    errors: list[str] = []
    curation_notes: list[str] = []
    for item in items:
        if isinstance(item, _Failed):
            errors.extend(item.errors)
            continue
        if item.doc_id in summaries:
            raise InputError(
                f"two documents have the same identifier {item.doc_id!r}",
                where=f"{summaries[item.doc_id].source}, {item.source}",
                hint="rename one of the files (the identifier is a slug of the file name)",
            )
        if progress := timer.progress:
            progress(f"[document] {item.source}{' (cache)' if item.cached else ''}")
        for stage, seconds in item.seconds.items():
            timer.seconds[stage] = timer.seconds.get(stage, 0.0) + seconds
        graph_iri = str(iris.document_graph(item.doc_id))
        with timer.window("store"):
            writer.add(graph_iri, item.graph_nt)
            writer.add(inferred_iri, item.inferred_nt)
            projection.collect(item.graph_nt)
            projection.collect(item.inferred_nt)
            subjects.add(len(graphs), item.graph_nt)
        graphs[graph_iri] = item.doc_id
        curation_notes += item.curation
        summaries[item.doc_id] = _Summary(
            item.doc_id,
            item.source,
            item.sha256,
            item.facts,
            item.cached,
            item.problems,
            item.report(),
        )
    if not summaries:
        subjects.close()
        raise InputError(
            "no document could be read",
            where=str(corpus),
            hint="; ".join(errors) or "add .txt, .md or .pdf documents to the corpus",
        )
    _check_curation_targets(curation_files, set(summaries))
    processed = [summaries[k] for k in sorted(summaries)]
    with timer.stage("store", "flush"):
        writer.flush()
    with timer.stage("shared-validation", "nodes that several documents describe"):
        shared = iter(subjects.shared())
        shared_reports = _validate_shared(store, validator, ctx.shapes, iris, graphs, shared)
        subjects.close()
    with timer.stage("cross-reasoning", "reasoning across documents"):
        union = projection.with_background(ctx.reference, reasoner.reference_inferred)
        across = reasoner.reason_across(union)
        projection.close()
        fresh = Graph()
        for triple in across.triples:
            if not _in_store(store, triple):
                fresh.add(triple)
        writer.add(inferred_iri, _ntriples(fresh))
        del union, fresh
    warnings = list(validator.shape_warnings) + [w for p in processed for w in p.problems]
    warnings += [f"across documents: {p}" for p in across.problems]
    warnings += curation_notes
    reports = [p.report for p in processed if p.report is not None]
    report = combine([reference_report, *reports, *shared_reports], warnings=warnings)
    with timer.stage("store", "validation report"):
        writer.add(str(iris.graph("validation")), _ntriples(report.graph))
        writer.flush()
    with timer.stage("edits", "replaying the journal of endpoint writes"):
        replayed = edits.replay_journal(store, settings.data_dir, settings.base_iri)
        warnings += replayed.problems
    with timer.stage("stats", "VoID statistics, meta graph"):
        stats = collect_stats(store)
        info = BuildInfo(
            build_id=build_dir.name,
            version=rcm_graph.__version__,
            started=started,
            ended=datetime.now(UTC),
            documents=[(p.doc_id, p.source) for p in processed],
        )
        meta_iri = str(iris.graph("meta"))
        meta_graph = describe_dataset(iris, stats, info)
        writer.add(meta_iri, _ntriples(meta_graph))  # named graph and default graph
        writer.flush()
        triples = dict(stats.triples_per_graph)
        triples[meta_iri] = len(meta_graph)
    with timer.stage("dumps", "nq.gz, trig, ttl, jsonld, void"):
        digests: dict[str, str] = {}
        names = dumps.write_dumps(store, build_dir, meta_iri, digests=digests)
        store.flush()
        del store, writer
        gc.collect()
        names.append(dumps.write_checksums(build_dir, names, digests))
    conforms = report.conforms
    summary = BuildSummary(
        build_id=build_dir.name,
        build_dir=build_dir,
        documents=[p.doc_id for p in processed],
        reused=[p.doc_id for p in processed if p.cached],
        errors=errors,
        facts=sum(p.facts for p in processed),
        triples_per_graph=triples,
        conforms=conforms,
        published=False,
        report=report,
        stage_seconds=dict(timer.seconds),
        warnings=warnings,
        stage_cpu_seconds=dict(timer.cpu_seconds),
        stage_peak_rss_raise_mib=dict(timer.peak_rss_raise_mib),
    )
    manifest = _manifest(ctx, summary, processed, build_dir, names, started, digests)
    if replayed.applied:
        manifest["edits_applied"] = replayed.applied
    ds.finish_build(build_dir, manifest)
    if conforms or allow_invalid:
        ds.publish(settings.data_dir, build_dir)
        summary.published = True
        cache.prune({cache.key(p.source, p.sha256) for p in processed})
    return summary


# -- cross-document steps over the store -----------------------------------------------------

# What of a shared node's surroundings its validation needs: the node's triples, and the types
# of every node one hop away (forwards, and backwards along the properties that shapes follow
# with sh:inversePath): the shapes ask nothing else of a shared node's values (sh:class; a
# concept's scheme is in the reference data). The report's evidence goes further along the
# provenance path (span -> its selectors and source document), which is followed in full.
_SHARED_DEPTH = 1
_EVIDENCE_HOPS = (
    pyoxigraph.NamedNode(str(OA.hasSelector)),
    pyoxigraph.NamedNode(str(OA.hasSource)),
)


def _to_rdflib(term: Any) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else datatype)
    raise TypeError(f"unexpected RDF term {term!r}")


def _to_oxigraph(term: Node) -> Any:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = pyoxigraph.NamedNode(str(term.datatype or XSD.string))
        return pyoxigraph.Literal(str(term), datatype=datatype)
    raise TypeError(f"unexpected RDF term {term!r}")


def _in_store(store: pyoxigraph.Store, triple: Triple) -> bool:
    """Whether any graph of the store states ``triple``."""
    try:
        pattern = tuple(_to_oxigraph(t) for t in triple)
    except (TypeError, ValueError):
        return False
    return next(iter(store.quads_for_pattern(*pattern)), None) is not None


_SHARED_CHUNK = 16  # shared nodes validated per run


def _validate_shared(
    store: pyoxigraph.Store,
    validator: Validator,
    shapes: Graph,
    iris: Iris,
    graphs: dict[str, str],
    shared: Iterator[str],
) -> list[ValidationReport]:
    """Validate the IRIs several documents describe against what the documents say around
    them, read back from the store, :data:`_SHARED_CHUNK` nodes at a time:
    :meth:`Validator.validate_shared` gets, per document that mentions a node of the chunk,
    that document's triples about the chunk's nodes, the types of the nodes one hop away
    (forwards, and backwards along the shapes' inverse paths) and their evidence (span,
    selectors, source), and the inferred triples about the same nodes as one context graph.

    WHY not the documents themselves: at thousands of documents nearly every document names a
    shared state or organisation, and passing whole documents would hold the corpus in memory
    again. The projection keeps every triple a shape (or the report's evidence) can reach
    from a node of the chunk. A node that is a subject in two projected documents is a subject
    in two documents, i.e. shared; when it belongs to another chunk, its results from this run
    (made against a partial neighbourhood) are dropped, or never computed when the validator
    accepts ``focus``. Memory: the neighbourhood of one chunk, not the corpus.
    """
    inverse = sorted(
        {
            pyoxigraph.NamedNode(str(o))
            for o in shapes.objects(None, SH.inversePath)
            if isinstance(o, URIRef)
        },
        key=str,
    )
    takes_focus = "focus" in inspect.signature(validator.validate_shared).parameters
    inferred_iri = str(iris.graph("inferred"))
    reports: list[ValidationReport] = []
    while chunk := list(itertools.islice(shared, _SHARED_CHUNK)):
        documents, inferred = _neighbourhood(store, chunk, graphs, inferred_iri, inverse)
        if takes_focus:  # the proposed contract: validate only these nodes
            validate: Callable[..., ValidationReport] = validator.validate_shared
            report = validate(documents, [inferred], focus=[URIRef(iri) for iri in chunk])
        else:
            report = validator.validate_shared(documents, [inferred])
        reports.append(_only_focus(report, set(chunk)))
    return reports


def _only_focus(report: ValidationReport, focus: set[str]) -> ValidationReport:
    """``report`` without the results about nodes outside ``focus`` (and their nodes in the
    report graph: the result, and blank nodes only it refers to, e.g. a path expression)."""
    kept = [r for r in report.results if r.focus in focus]
    if len(kept) == len(report.results):
        return report
    graph = report.graph
    results = set(graph.subjects(RDF.type, SH.ValidationResult))
    dropped = {n for n in results if str(graph.value(n, SH.focusNode)) not in focus}
    keep_nodes = results - dropped
    reachable_kept: set[Node] = set()
    todo = list(keep_nodes)
    while todo:
        node = todo.pop()
        for o in graph.objects(node):
            if isinstance(o, BNode) and o not in reachable_kept:
                reachable_kept.add(o)
                todo.append(o)
    remove: set[Node] = set(dropped)
    todo = list(dropped)
    while todo:
        node = todo.pop()
        for o in graph.objects(node):
            if isinstance(o, BNode) and o not in remove and o not in reachable_kept:
                remove.add(o)
                todo.append(o)
    out = Graph()
    for s_, p_, o_ in graph:
        if s_ not in remove and o_ not in remove:
            out.add((s_, p_, o_))
    conforms = not any(r.severity == "Violation" for r in kept)
    for top in out.subjects(RDF.type, SH.ValidationReport):
        out.set((top, SH.conforms, Literal(conforms)))
    return ValidationReport(conforms, kept, out, list(report.warnings))


def _neighbourhood(
    store: pyoxigraph.Store,
    seeds: Sequence[str],
    graphs: dict[str, str],
    inferred_iri: str,
    inverse: Sequence[Any],
) -> tuple[dict[str, Graph], Graph]:
    """Per document graph, its triples around ``seeds`` (see :func:`_validate_shared`), and
    the inferred triples about the same nodes."""
    documents: dict[str, Graph] = {}
    inferred = Graph()
    seen: set[str] = set()

    def keep(q: Any) -> bool:
        if not isinstance(q.graph_name, pyoxigraph.NamedNode):
            return False
        triple = (_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object))
        name = q.graph_name.value
        if name == inferred_iri:
            inferred.add(triple)
        elif name in graphs:
            documents.setdefault(graphs[name], Graph()).add(triple)
        else:
            return False
        return True

    rdf_type = pyoxigraph.NamedNode(str(RDF.type))
    evidence = pyoxigraph.NamedNode(str(RCM.evidence))
    frontier = [pyoxigraph.NamedNode(s) for s in seeds]
    spans: set[str] = set()  # evidence spans of the seeds
    full: set[str] = set()  # nodes on the evidence path: every triple about them
    typed: set[str] = set()  # nodes whose types are already kept
    for depth in range(_SHARED_DEPTH + 2):
        reached: list[Any] = []
        for node in frontier:
            # a neighbour's types only (what sh:class asks of a value), except along the
            # evidence path, which the report follows to the selectors and the source
            whole = depth == 0 or node.value in spans or node.value in full
            if node.value in seen or (not whole and node.value in typed):
                continue
            (seen if whole else typed).add(node.value)
            for q in store.quads_for_pattern(node, None if whole else rdf_type, None):
                if not keep(q) or not isinstance(q.object, pyoxigraph.NamedNode):
                    continue
                if depth < _SHARED_DEPTH:
                    reached.append(q.object)
                    if q.predicate == evidence:
                        spans.add(q.object.value)
                elif (
                    depth == _SHARED_DEPTH and node.value in spans and q.predicate in _EVIDENCE_HOPS
                ):
                    reached.append(q.object)
                    full.add(q.object.value)
            if depth > 0:  # backwards only from the shared nodes themselves
                continue
            for predicate in inverse:
                for q in store.quads_for_pattern(None, predicate, node):
                    if not keep(q) or not isinstance(q.subject, pyoxigraph.NamedNode):
                        continue
                    for t in store.quads_for_pattern(q.subject, rdf_type, None, q.graph_name):
                        keep(t)
                    if depth < _SHARED_DEPTH:
                        reached.append(q.subject)
        frontier = reached
    return documents, inferred


def _manifest(
    ctx: _Context,
    summary: BuildSummary,
    processed: Sequence[_Summary],
    build_dir: Path,
    names: list[str],
    started: datetime,
    digests: Mapping[str, str],
) -> dict[str, Any]:
    return {
        "build_id": summary.build_id,
        "created": started.isoformat(),
        "package_version": rcm_graph.__version__,
        "base_iri": ctx.settings.base_iri,
        "documents": [
            {
                "doc_id": p.doc_id,
                "source": p.source,
                "sha256": p.sha256,
                "graph": str(ctx.iris.document_graph(p.doc_id)),
                "facts": p.facts,
                "cached": p.cached,
            }
            for p in processed
        ],
        "errors": summary.errors,
        "graphs": summary.triples_per_graph,
        "conformant": summary.conforms,
        "validation_results": len(summary.report.results),
        "hashes": ctx.hashes,
        "stage_seconds": {k: round(v, 3) for k, v in summary.stage_seconds.items()},
        "stage_cpu_seconds": {k: round(v, 3) for k, v in summary.stage_cpu_seconds.items()},
        "stage_peak_rss_raise_mib": {
            k: round(v, 1) for k, v in summary.stage_peak_rss_raise_mib.items()
        },
        "peak_rss_mib": round(_peak_rss_mib(), 1),
        "files": ds.file_entries(build_dir, names, digests),
    }


# -- CLI entry points ------------------------------------------------------------------------


def _stderr_progress() -> Progress | None:
    """Progress lines on stderr, a terminal or not (a log shows which document is running)."""

    def show(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    return show


def run_build(settings: Settings, *, allow_invalid: bool, full: bool, target: str | None) -> int:
    """``rcm-graph build``: exit 0 when published, 1 when not conformant (not published),
    2 when some documents could not be read (the others were built and published)."""
    summary = build(settings, allow_invalid=allow_invalid, full=full, progress=_stderr_progress())
    iris = Iris(settings.base_iri)
    if not summary.report.conforms:
        print(format_report(summary.report), file=sys.stderr)
    print(summary.format(iris), file=sys.stderr)
    if not summary.published:
        print(
            f"not published: the data does not conform; the current dataset is unchanged "
            f"(new build kept in {summary.build_dir}; use --allow-invalid to publish anyway)",
            file=sys.stderr,
        )
        return 1
    print(f"published: {summary.build_dir}", file=sys.stderr)
    if target:
        _load_into_target(target, summary.build_dir)
    return 2 if summary.errors else 0


def _load_into_target(target: str, build_dir: Path) -> None:
    try:
        from rcm_graph.query import remote
    except ImportError:
        raise NotBuiltError(
            "loading into a remote store is not available in this version",
            where="--target",
            hint="see the README for the stages built so far",
        ) from None
    report = remote.load_into(target, build_dir)
    print(
        f"loaded {report.triples} triples in {report.graphs} graphs into {target} "
        f"({report.seconds:.1f}s)",
        file=sys.stderr,
    )


def validate_dataset(settings: Settings) -> ValidationReport:
    """Re-validate the current dataset: every document graph as stored, against the shapes,
    one document at a time (with the inferred triples about its nodes), then the nodes that
    several documents describe (as the build does, see :func:`_validate_shared`).

    WHY the mapper writes span offsets as ``xsd:integer``: pyoxigraph (0.5) stores integer
    subtypes as ``xsd:integer`` (``"7"^^xsd:nonNegativeInteger`` comes back as
    ``"7"^^xsd:integer``), so data validated at build time and data re-validated here must use
    the datatype the store keeps, or a conformant build would fail this check.
    """
    dataset = ds.load_dataset(settings.data_dir)
    iris = Iris(str(dataset.manifest.get("base_iri", settings.base_iri)))
    store = dataset.open_store()

    def dump(iri: str) -> bytes:
        data = store.dump(
            format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(iri)
        )
        return data or b""

    inferred_iri = pyoxigraph.NamedNode(str(iris.graph("inferred")))

    def inferred_about(nodes: Iterable[Node]) -> Graph:
        found = Graph()
        for node in nodes:
            if isinstance(node, URIRef):
                for q in store.quads_for_pattern(
                    pyoxigraph.NamedNode(str(node)), None, None, inferred_iri
                ):
                    found.add(
                        (_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object))
                    )
        return found

    ontology = _parse_nt(dump(str(iris.graph("ontology"))))
    reference = _parse_nt(dump(str(iris.graph("reference"))))
    reference_inferred = inferred_about(set(reference.subjects()) | set(ontology.subjects()))
    shapes = load_shapes()
    validator = Validator(
        shapes, ontology, reference, reference_inferred, engine=settings.validator
    )
    reports = [validator.validate_reference()]
    graphs: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="rcm-graph-validate-") as tmp:
        subjects = _SubjectIndex(Path(tmp) / "subjects.sqlite")
        for n, entry in enumerate(dataset.manifest.get("documents", [])):
            data = dump(entry["graph"])
            graph = _parse_nt(data)
            nodes = {x for t in graph for x in (t[0], t[2]) if isinstance(x, URIRef)}
            reports.append(validator.validate_document(graph, inferred_about(nodes)))
            subjects.add(n, data)
            graphs[entry["graph"]] = entry["doc_id"]
        reports += _validate_shared(store, validator, shapes, iris, graphs, subjects.shared())
        subjects.close()
    return combine(reports, warnings=validator.shape_warnings)


def run_validate(settings: Settings) -> int:
    """``rcm-graph validate``: print the report; exit 1 when the dataset does not conform."""
    report = validate_dataset(settings)
    print(format_report(report))
    return 0 if report.conforms else 1
