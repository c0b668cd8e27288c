"""The build: the stream of documents, then the global steps, then publication.

Per document (in this process or a pool of ``settings.build_workers``,
:mod:`rcm_graph.pipeline.workers`): extract, map, reason, validate, cache
(:mod:`rcm_graph.pipeline.document`). The build process writes each document's triples and its
inferred triples into the new store as soon as it is done (each also into the default graph,
so that it holds the union) and keeps only a summary: the build's memory does not grow with
the corpus the way it did when every document's graphs were kept until the end (about 7 MiB
per document). The global steps then read what they need back from the store, each linear in
the corpus:

- ``background``: closing and validating ontology + reference (constant, cached);
- ``store``: writing every document's triples (named graph + default graph) in bulk batches;
- ``shared-validation``: the IRIs several documents describe, validated against their
  neighbourhood read back from the store (:mod:`rcm_graph.pipeline.shared_validation`);
- ``cross-reasoning``: OWL 2 RL over the projection on the cross-document properties
  (:mod:`rcm_graph.pipeline.cross_reasoning`);
- ``edits``: replaying the journal of the endpoint's writes;
- ``stats``: the VoID statistics (queries over the store) and the meta graph;
- ``dumps``: every file, written by the store.

The new build is written into a fresh ``builds/<id>/`` directory and published by an atomic
symlink switch (:mod:`rcm_graph.store.dataset`), only when it conforms to the shapes (or with
``--allow-invalid``): a failed or killed build never touches the dataset being served.
"""

from __future__ import annotations

import gc
import itertools
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
from rdflib import Graph

import rcm_graph
import rcm_graph.store.dataset as ds
import rcm_graph.store.dumps as dumps
from rcm_graph.errors import DatasetError, InputError
from rcm_graph.model.iris import Iris
from rcm_graph.model.slugs import slugify
from rcm_graph.pipeline.cache import Cache, Processed
from rcm_graph.pipeline.convert import ntriples
from rcm_graph.pipeline.cross_reasoning import Projection, in_store
from rcm_graph.pipeline.document import DocumentProcessor, Failed, Limits
from rcm_graph.pipeline.figures import PER_DOCUMENT_STAGES, Timer
from rcm_graph.pipeline.fingerprint import fingerprint
from rcm_graph.pipeline.inputs import (
    Context,
    check_curation_targets,
    corpus_dir,
    curation_dir,
    curation_files,
    load_context,
)
from rcm_graph.pipeline.manifest import DocumentSummary, manifest
from rcm_graph.pipeline.progress import QUIET, BuildEvents
from rcm_graph.pipeline.shared_validation import SubjectIndex, validate_shared
from rcm_graph.pipeline.summary import BuildSummary
from rcm_graph.pipeline.workers import processed_documents
from rcm_graph.settings import Settings
from rcm_graph.stages.reading import list_documents
from rcm_graph.stages.reading.loading import document_problem
from rcm_graph.stages.reasoning import Inference, Reasoner, cross_document_properties
from rcm_graph.stages.validation import ValidationReport, Validator, combine
from rcm_graph.store.void import BuildInfo, collect_stats, describe_dataset, stated_triples
from rcm_graph.writes.journal import replay_journal


def build(
    settings: Settings,
    *,
    allow_invalid: bool = False,
    full: bool = False,
    progress: BuildEvents | None = None,
) -> BuildSummary:
    """Build the dataset from the corpus and publish it when it conforms (public API).

    ``progress`` is told what happens as it happens (:class:`BuildEvents`; nothing by
    default); it is not closed here, the caller decides when its display ends.

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


def _background(
    ctx: Context, cache: Cache, timer: Timer
) -> tuple[Reasoner, Validator, ValidationReport]:
    """The reasoner and validator with ontology + reference closed (cached per fingerprint),
    and the validation report of the reference data."""
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


@dataclass(frozen=True)
class _Inputs:
    """What the build read before any document."""

    corpus: Path
    curation: Path | None
    paths: list[Path]
    curation_files: dict[str, list[Path]]


def _read_inputs(settings: Settings, timer: Timer) -> tuple[_Inputs, Context]:
    with timer.stage("load", "ontology, shapes, reference"):
        corpus = corpus_dir(settings)
        curation = curation_dir(settings, corpus)
        paths = list_documents(corpus)
        ctx = load_context(settings, curation)
        files = curation_files(curation)
        check_curation_targets(files, {slugify(p.stem) for p in paths})
    return _Inputs(corpus, curation, paths, files), ctx


def _by_cache(paths: Sequence[Path], cache: Cache, limits: Limits) -> tuple[list[Path], list[Path]]:
    """The documents the cache holds, and the others (to compute, maybe in the pool)."""
    hits: list[Path] = []
    misses: list[Path] = []
    for path in paths:
        if document_problem(path, max_bytes=limits.max_bytes) is not None:
            misses.append(path)  # refused by ``process``, which reports why; never hashed
        elif cache.has(path.name, ds.sha256_file(path)):
            hits.append(path)
        else:
            misses.append(path)
    return hits, misses


def _build_locked(
    settings: Settings,
    *,
    allow_invalid: bool,
    full: bool,
    progress: BuildEvents | None,
    lock_fd: int | None = None,
) -> BuildSummary:
    """The streaming build (see the module documentation), with the build lock held."""
    started = datetime.now(UTC)
    events = progress or QUIET
    timer = Timer(events)
    inputs, ctx = _read_inputs(settings, timer)
    cache = Cache(settings.data_dir / "cache", fingerprint(ctx.hashes), enabled=not full)
    reasoner, validator, reference_report = _background(ctx, cache, timer)
    limits = Limits.of(settings, announce=events.announce_documents)
    processor = DocumentProcessor(
        ctx.iris, reasoner, validator, cache, inputs.curation_files, limits
    )
    for stage in PER_DOCUMENT_STAGES:
        timer.seconds.setdefault(stage, 0.0)
    hits, misses = _by_cache(inputs.paths, cache, limits)
    events.documents_found(len(inputs.paths), len(hits))
    init = (
        lock_fd,
        settings,
        inputs.curation,
        ntriples(reasoner.background_inference.triples),
        reasoner.background_inference.problems,
        limits.announce,
        os.getpid(),
    )
    with processed_documents(processor, misses, settings.build_workers, init) as fresh:
        build_dir = ds.create_build_dir(settings.data_dir)
        try:
            return _write_build(
                ctx,
                timer,
                processor,
                reference_report,
                build_dir,
                items=itertools.chain((processor.process(p) for p in hits), fresh),
                inputs=inputs,
                started=started,
                allow_invalid=allow_invalid,
            )
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            raise


@dataclass
class _Streamed:
    """What the stream of documents leaves for the global steps."""

    projection: Projection
    subjects: SubjectIndex
    summaries: dict[str, DocumentSummary] = field(default_factory=dict)
    graphs: dict[str, str] = field(default_factory=dict)  # document graph IRI -> doc id
    errors: list[str] = field(default_factory=list)
    curation_notes: list[str] = field(default_factory=list)


def _write_build(
    ctx: Context,
    timer: Timer,
    processor: DocumentProcessor,
    reference_report: ValidationReport,
    build_dir: Path,
    *,
    items: Iterator[Processed | Failed],
    inputs: _Inputs,
    started: datetime,
    allow_invalid: bool,
) -> BuildSummary:
    """Stream the documents into a new store in ``build_dir``, run the global steps, write
    the dumps and the manifest, and publish the build when it conforms."""
    settings = ctx.settings
    store = dumps.open_new_store(build_dir)
    writer = dumps.QuadWriter(store)
    streamed = _stream_documents(ctx, timer, processor.reasoner, writer, build_dir, items)
    if not streamed.summaries:
        streamed.subjects.close()
        raise InputError(
            "no document could be read",
            where=str(inputs.corpus),
            hint="; ".join(streamed.errors) or "add .txt, .md or .pdf documents to the corpus",
        )
    check_curation_targets(inputs.curation_files, set(streamed.summaries))
    processed = [streamed.summaries[k] for k in sorted(streamed.summaries)]
    with timer.stage("store", "flush"):
        writer.flush()
    report, warnings = _cross_document_steps(
        ctx, timer, processor, reference_report, store, writer, streamed, processed
    )
    with timer.stage("edits", "replaying the journal of endpoint writes"):
        replayed = replay_journal(store, settings.data_dir, settings.base_iri)
        warnings += replayed.problems
    with timer.stage("stats", "VoID statistics, meta graph"):
        triples, meta_iri, union = _describe(ctx.iris, store, writer, build_dir, started, processed)
    with timer.stage("dumps", "nq.gz, trig, ttl, jsonld, void"):
        digests: dict[str, str] = {}
        names = dumps.write_dumps(store, build_dir, meta_iri, digests=digests)
        store.flush()
        del store, writer
        gc.collect()
        names.append(dumps.write_checksums(build_dir, names, digests))
    summary = _summary(
        build_dir, timer, processed, streamed.errors, (triples, union), report, warnings
    )
    record = manifest(ctx, summary, processed, build_dir, names, started, digests)
    if replayed.applied:
        record["edits_applied"] = replayed.applied
    ds.finish_build(build_dir, record)
    if summary.conforms or allow_invalid:
        timer.events.step_started("publish", "switching current to the new build")
        switched = time.perf_counter()
        _publish(settings, summary, processor.cache, processed)
        timer.events.step_finished("publish", time.perf_counter() - switched)
    return summary


def _summary(
    build_dir: Path,
    timer: Timer,
    processed: Sequence[DocumentSummary],
    errors: list[str],
    triples: tuple[dict[str, int], int],
    report: ValidationReport,
    warnings: list[str],
) -> BuildSummary:
    """What the build did, before it is published. ``triples``: per graph, and the distinct
    triples of the union (the one count the summary, the manifest and VoID state)."""
    return BuildSummary(
        build_id=build_dir.name,
        build_dir=build_dir,
        documents=[p.doc_id for p in processed],
        reused=[p.doc_id for p in processed if p.cached],
        errors=errors,
        facts=sum(p.facts for p in processed),
        triples_per_graph=triples[0],
        conforms=report.conforms,
        published=False,
        report=report,
        stage_seconds=dict(timer.seconds),
        warnings=warnings,
        stage_cpu_seconds=dict(timer.cpu_seconds),
        stage_peak_rss_raise_mib=dict(timer.peak_rss_raise_mib),
        triples=triples[1],
    )


def _publish(
    settings: Settings, summary: BuildSummary, cache: Cache, processed: Sequence[DocumentSummary]
) -> None:
    """Switch ``current`` to the finished build; drop the cache entries it no longer uses."""
    ds.publish(settings.data_dir, summary.build_dir)
    summary.published = True
    cache.prune({cache.key(p.source, p.sha256) for p in processed})


def _stream_documents(
    ctx: Context,
    timer: Timer,
    reasoner: Reasoner,
    writer: dumps.QuadWriter,
    build_dir: Path,
    items: Iterator[Processed | Failed],
) -> _Streamed:
    """Write ontology, reference and each document's triples into the store as they come,
    gathering the cross-document projection and the subject index on the way."""
    iris = ctx.iris
    inferred_iri = str(iris.graph("inferred"))
    with timer.stage("store", "ontology, reference"):
        writer.add(str(iris.graph("reference")), ntriples(ctx.reference))
        writer.add(str(iris.graph("ontology")), ntriples(ctx.ontology))
        writer.add(inferred_iri, ntriples(reasoner.reference_inferred))
    streamed = _Streamed(
        Projection(cross_document_properties(ctx.ontology), build_dir),
        SubjectIndex(build_dir / ".subjects.sqlite"),
    )
    for item in items:
        if isinstance(item, Failed):
            streamed.errors.extend(item.errors)
            timer.events.document_skipped(item.errors)
            continue
        _take_document(streamed, item, iris, timer, writer, inferred_iri)
    return streamed


def _take_document(
    streamed: _Streamed,
    item: Processed,
    iris: Iris,
    timer: Timer,
    writer: dumps.QuadWriter,
    inferred_iri: str,
) -> None:
    """Store one document's triples and keep its summary."""
    summaries = streamed.summaries
    if item.doc_id in summaries:
        raise InputError(
            f"two documents have the same identifier {item.doc_id!r}",
            where=f"{summaries[item.doc_id].source}, {item.source}",
            hint="rename one of the files (the identifier is a slug of the file name)",
        )
    for stage, seconds in item.seconds.items():
        timer.seconds[stage] = timer.seconds.get(stage, 0.0) + seconds
    graph_iri = str(iris.document_graph(item.doc_id))
    with timer.window("store"):
        writer.add(graph_iri, item.graph_nt)
        writer.add(inferred_iri, item.inferred_nt)
        streamed.projection.collect(item.graph_nt)
        streamed.projection.collect(item.inferred_nt)
        streamed.subjects.add(len(streamed.graphs), item.graph_nt)
    streamed.graphs[graph_iri] = item.doc_id
    streamed.curation_notes += item.curation
    timer.events.document_done(item.source, cached=item.cached)
    summaries[item.doc_id] = DocumentSummary(
        item.doc_id,
        item.source,
        item.sha256,
        item.facts,
        item.cached,
        item.problems,
        item.report(),
    )


def _cross_document_steps(
    ctx: Context,
    timer: Timer,
    processor: DocumentProcessor,
    reference_report: ValidationReport,
    store: pyoxigraph.Store,
    writer: dumps.QuadWriter,
    streamed: _Streamed,
    processed: Sequence[DocumentSummary],
) -> tuple[ValidationReport, list[str]]:
    """Shared-node validation and cross-document reasoning over the store; the combined
    validation report (written to the store) and the build's warnings."""
    iris, reasoner, validator = ctx.iris, processor.reasoner, processor.validator
    with timer.stage("shared-validation", "nodes that several documents describe"):
        shared = iter(streamed.subjects.shared())
        shared_reports = validate_shared(
            store, validator, ctx.shapes, iris, streamed.graphs, shared
        )
        streamed.subjects.close()
    with timer.stage("cross-reasoning", "reasoning across documents"):
        across = _reason_across(ctx, reasoner, store, writer, streamed.projection)
    warnings = list(validator.shape_warnings) + [w for p in processed for w in p.problems]
    warnings += [f"across documents: {p}" for p in across.problems]
    warnings += streamed.curation_notes
    reports = [p.report for p in processed if p.report is not None]
    report = combine([reference_report, *reports, *shared_reports], warnings=warnings)
    with timer.stage("store", "validation report"):
        writer.add(str(iris.graph("validation")), ntriples(report.graph))
        writer.flush()
    return report, warnings


def _reason_across(
    ctx: Context,
    reasoner: Reasoner,
    store: pyoxigraph.Store,
    writer: dumps.QuadWriter,
    projection: Projection,
) -> Inference:
    """OWL 2 RL over the projection; the triples no graph states yet go to ``inferred``."""
    union = projection.with_background(ctx.reference, reasoner.reference_inferred)
    across = reasoner.reason_across(union)
    projection.close()
    fresh = Graph()
    for triple in across.triples:
        if not in_store(store, triple):
            fresh.add(triple)
    writer.add(str(ctx.iris.graph("inferred")), ntriples(fresh))
    return across


def _describe(
    iris: Iris,
    store: pyoxigraph.Store,
    writer: dumps.QuadWriter,
    build_dir: Path,
    started: datetime,
    processed: Sequence[DocumentSummary],
) -> tuple[dict[str, int], str, int]:
    """The VoID statistics and the meta graph (written to the store); triples per graph, the
    meta graph's IRI and the distinct triples of the union (the one count, as VoID states it)."""
    stats = collect_stats(store)
    info = BuildInfo(
        build_id=build_dir.name,
        version=rcm_graph.__version__,
        started=started,
        ended=datetime.now(UTC),
        documents=[(p.doc_id, p.source) for p in processed],
    )
    meta_iri = str(iris.graph("meta"))
    meta_graph = describe_dataset(iris, stats, info, store)
    writer.add(meta_iri, ntriples(meta_graph))  # named graph and default graph
    writer.flush()
    triples = dict(stats.triples_per_graph)
    triples[meta_iri] = len(meta_graph)
    return triples, meta_iri, stated_triples(meta_graph)
