"""The build: read → extract → map → reason → validate → store → publish.

Each document is processed on its own (map, OWL 2 RL closure, SHACL validation) and the result
is cached under the data directory, keyed by the document's bytes, its file name and a
fingerprint of everything else that shapes the result (ontology, shapes, reference graph,
curation files, base IRI, the package's own code). A rebuild after one document changed
re-processes only that document; a change to the ontology, shapes or reference data changes
the fingerprint and so re-processes all; ``--full`` ignores the cache. The cross-document
passes (reasoning over the chain/transitive properties of the union, validation of nodes that
several documents describe) are cheap and always run.

The new build is written into a fresh ``builds/<id>/`` directory and published by an atomic
symlink switch (:mod:`rcm_graph.dataset`), only when it conforms to the shapes (or with
``--allow-invalid``): a failed or killed build never touches the dataset being served.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph
from rdflib import Graph

import rcm_graph
from rcm_graph import dataset as ds
from rcm_graph import dumps
from rcm_graph.describe import BuildInfo, collect_stats, describe_dataset, triples_per_graph_names
from rcm_graph.errors import DatasetError, InputError, NotBuiltError, RcmGraphError
from rcm_graph.facts import DocumentFacts
from rcm_graph.iris import Iris
from rcm_graph.mapping import map_document
from rcm_graph.ontology import load_ontology, load_shapes, ontology_path, shapes_paths
from rcm_graph.reasoning import Inference, Reasoner, Triple
from rcm_graph.reference import reference_graph
from rcm_graph.resources import bundled_corpus_dir
from rcm_graph.settings import Settings
from rcm_graph.validation import (
    Evidence,
    ValidationReport,
    ValidationResult,
    Validator,
    combine,
    format_report,
)

Progress = Callable[[str], None]
CACHE_FORMAT = 1
STAGES = ("load", "extract", "map", "reason", "validate", "cross-document", "store", "dumps")


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
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"error: {e}" for e in self.errors]
        return "\n".join(lines)


@dataclass
class _Processed:
    """One document's results, fresh or from the cache."""

    doc_id: str
    source: str
    sha256: str
    facts: int
    graph: Graph
    inferred: Graph
    report: ValidationReport
    problems: list[str]
    cached: bool


class _Timer:
    def __init__(self, progress: Progress | None) -> None:
        self.seconds: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str, what: str = "") -> Iterator[None]:
        if self.progress:
            self.progress(f"[{name}] {what}".rstrip())
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


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

    def get(self, source: str, sha256: str) -> _Processed | None:
        entry = self._dir(self.key(source, sha256))
        if not self.enabled or not (entry / "entry.json").is_file():
            return None
        try:
            meta = json.loads((entry / "entry.json").read_text(encoding="utf-8"))
            report = ValidationReport(
                conforms=meta["conforms"],
                results=[_result_from_json(r) for r in meta["results"]],
                graph=_parse_nt((entry / "validation.nt").read_bytes()),
            )
            return _Processed(
                doc_id=meta["doc_id"],
                source=meta["source"],
                sha256=meta["sha256"],
                facts=meta["facts"],
                graph=_parse_nt((entry / "document.nt").read_bytes()),
                inferred=_parse_nt((entry / "inferred.nt").read_bytes()),
                report=report,
                problems=meta["problems"],
                cached=True,
            )
        except (OSError, ValueError, KeyError, SyntaxError):
            return None  # a damaged entry is simply recomputed

    def put(self, item: _Processed) -> None:
        final = self._dir(self.key(item.source, item.sha256))
        tmp = final.with_name(final.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "document.nt").write_bytes(_ntriples(item.graph))
        (tmp / "inferred.nt").write_bytes(_ntriples(item.inferred))
        (tmp / "validation.nt").write_bytes(_ntriples(item.report.graph))
        meta = {
            "doc_id": item.doc_id,
            "source": item.source,
            "sha256": item.sha256,
            "facts": item.facts,
            "conforms": item.report.conforms,
            "results": [asdict(r) for r in item.report.results],
            "problems": item.problems,
        }
        (tmp / "entry.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)

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
    from rcm_graph.reading import list_documents

    return list_documents(corpus)


class _ExtractionResult(Protocol):
    documents: list[DocumentFacts]
    errors: Sequence[Exception]
    curation_report: list[str]


def _extract(paths: Sequence[Path], curation: Path | None) -> tuple[list[DocumentFacts], list[str]]:
    """Run extraction; returns the facts and one line per unreadable document / curation note.

    Imported by name at run time so that the build reports a missing extraction stage as a
    one-line error instead of failing at import.
    """
    try:
        module = importlib.import_module("rcm_graph.extraction")
        extract_corpus: Callable[..., _ExtractionResult] = module.extract_corpus
    except (ImportError, AttributeError):
        raise NotBuiltError(
            "extraction is not available in this version (rcm_graph.extraction.extract_corpus)",
            hint="see the README for the stages built so far",
        ) from None
    if not paths:
        return [], []
    result = extract_corpus(list(paths), curation_dir=curation)
    errors = [e.one_line() if isinstance(e, RcmGraphError) else str(e) for e in result.errors]
    return list(result.documents), errors + [f"curation: {line}" for line in result.curation_report]


def _process(
    facts: DocumentFacts, iris: Iris, reasoner: Reasoner, validator: Validator, timer: _Timer
) -> _Processed:
    with timer.stage("map", facts.source):
        graph = map_document(facts, iris)
    with timer.stage("reason", facts.source):
        inference = reasoner.reason_document(graph)
    with timer.stage("validate", facts.source):
        report = validator.validate_document(graph, inference.triples)
    return _Processed(
        doc_id=facts.doc_id,
        source=facts.source,
        sha256=facts.sha256,
        facts=_count_facts(facts),
        graph=graph,
        inferred=inference.triples,
        report=report,
        problems=[f"{facts.source}: {p}" for p in inference.problems],
        cached=False,
    )


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
    with timer.stage("reason", "ontology + reference"):
        reasoner = Reasoner(ctx.ontology, ctx.reference, cached[0] if cached else None)
    validator = Validator(ctx.shapes, ctx.ontology, ctx.reference, reasoner.reference_inferred)
    if cached:
        return reasoner, validator, cached[1]
    with timer.stage("validate", "reference"):
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
    with ds.build_lock(data_dir):
        before = _build_names(data_dir)
        try:
            return _build_locked(
                settings, allow_invalid=allow_invalid, full=full, progress=progress
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


def _build_locked(
    settings: Settings, *, allow_invalid: bool, full: bool, progress: Progress | None
) -> BuildSummary:
    started = datetime.now(UTC)
    timer = _Timer(progress)
    with timer.stage("load", "ontology, shapes, reference"):
        corpus = _corpus(settings)
        curation = _curation_dir(settings, corpus)
        paths = _list_documents(corpus)
        ctx = _load_context(settings, curation)
    cache = _Cache(settings.data_dir / "cache", _fingerprint(ctx.hashes), enabled=not full)
    reasoner, validator, reference_report = _background(ctx, cache, timer)

    processed: list[_Processed] = []
    misses: list[Path] = []
    for path in paths:
        hit = cache.get(path.name, ds.sha256_file(path))
        if hit is not None:
            processed.append(hit)
        else:
            misses.append(path)
    with timer.stage("extract", f"{len(misses)} documents"):
        extracted, errors = _extract(misses, curation)
    extraction_errors = [e for e in errors if not e.startswith("curation: ")]
    for facts in extracted:
        item = _process(facts, ctx.iris, reasoner, validator, timer)
        cache.put(item)
        processed.append(item)
    if not processed:
        raise InputError(
            "no document could be read",
            where=str(corpus),
            hint="; ".join(extraction_errors) or "add .txt, .md or .pdf documents to the corpus",
        )
    processed.sort(key=lambda p: p.doc_id)
    _check_unique_ids(processed)

    with timer.stage("cross-document", "reasoning and validation across documents"):
        across = reasoner.reason_across(_union(ctx, reasoner, processed))
        shared = validator.validate_shared(
            {p.doc_id: p.graph for p in processed}, [p.inferred for p in processed]
        )
    warnings = list(validator.shape_warnings) + [w for p in processed for w in p.problems]
    warnings += [f"across documents: {p}" for p in across.problems]
    warnings += [e for e in errors if e.startswith("curation: ")]
    report = combine([reference_report, *(p.report for p in processed), shared], warnings=warnings)
    inferred = Graph()
    for g in (reasoner.reference_inferred, *(p.inferred for p in processed), across.triples):
        for triple in g:
            inferred.add(triple)

    build_dir = ds.create_build_dir(settings.data_dir)
    graphs = {
        **{str(ctx.iris.document_graph(p.doc_id)): _ntriples(p.graph) for p in processed},
        str(ctx.iris.graph("reference")): _ntriples(ctx.reference),
        str(ctx.iris.graph("ontology")): _ntriples(ctx.ontology),
        str(ctx.iris.graph("inferred")): _ntriples(inferred),
        str(ctx.iris.graph("validation")): _ntriples(report.graph),
    }
    with timer.stage("store", "bulk load"):
        store = dumps.open_new_store(build_dir)
        dumps.load_graphs(store, graphs)
        dumps.materialise_default_graph(store)
        stats = collect_stats(store)
        info = BuildInfo(
            build_id=build_dir.name,
            version=rcm_graph.__version__,
            started=started,
            ended=datetime.now(UTC),
            documents=[(p.doc_id, p.source) for p in processed],
        )
        meta_iri = str(ctx.iris.graph("meta"))
        meta = _ntriples(describe_dataset(ctx.iris, stats, info))
        dumps.load_graphs(store, {meta_iri: meta})
        store.bulk_load(meta, format=pyoxigraph.RdfFormat.N_TRIPLES)  # into the default graph
        triples = collect_stats(store).triples_per_graph
    with timer.stage("dumps", "nq.gz, trig, ttl, jsonld, void"):
        names = dumps.write_dumps(store, build_dir, meta_iri)
        store.flush()
        del store
        gc.collect()
        names.append(dumps.write_checksums(build_dir, names))
    conforms = report.conforms
    summary = BuildSummary(
        build_id=build_dir.name,
        build_dir=build_dir,
        documents=[p.doc_id for p in processed],
        reused=[p.doc_id for p in processed if p.cached],
        errors=extraction_errors,
        facts=sum(p.facts for p in processed),
        triples_per_graph=triples,
        conforms=conforms,
        published=False,
        report=report,
        stage_seconds=dict(timer.seconds),
        warnings=warnings,
    )
    ds.finish_build(build_dir, _manifest(ctx, summary, processed, build_dir, names, started))
    if conforms or allow_invalid:
        ds.publish(settings.data_dir, build_dir)
        summary.published = True
        cache.prune({cache.key(p.source, p.sha256) for p in processed})
    return summary


def _union(ctx: _Context, reasoner: Reasoner, processed: Sequence[_Processed]) -> Iterator[Triple]:
    yield from ctx.reference
    yield from reasoner.reference_inferred
    for p in processed:
        yield from p.graph
        yield from p.inferred


def _check_unique_ids(processed: Sequence[_Processed]) -> None:
    seen: dict[str, str] = {}
    for p in processed:
        if p.doc_id in seen:
            raise InputError(
                f"two documents have the same identifier {p.doc_id!r}",
                where=f"{seen[p.doc_id]}, {p.source}",
                hint="rename one of the files (the identifier is a slug of the file name)",
            )
        seen[p.doc_id] = p.source


def _manifest(
    ctx: _Context,
    summary: BuildSummary,
    processed: Sequence[_Processed],
    build_dir: Path,
    names: list[str],
    started: datetime,
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
        "files": ds.file_entries(build_dir, names),
    }


# -- CLI entry points ------------------------------------------------------------------------


def _stderr_progress() -> Progress | None:
    if not sys.stderr.isatty():
        return None

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
        from rcm_graph import remote
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
    """Re-validate the current dataset: every document graph as stored, against the shapes.

    WHY the mapper writes span offsets as ``xsd:integer``: pyoxigraph (0.5) stores integer
    subtypes as ``xsd:integer`` (``"7"^^xsd:nonNegativeInteger`` comes back as
    ``"7"^^xsd:integer``), so data validated at build time and data re-validated here must use
    the datatype the store keeps, or a conformant build would fail this check.
    """
    dataset = ds.load_dataset(settings.data_dir)
    iris = Iris(str(dataset.manifest.get("base_iri", settings.base_iri)))
    store = dataset.open_store()

    def graph_of(iri: str) -> Graph:
        import pyoxigraph

        data = store.dump(
            format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.NamedNode(iri)
        )
        return _parse_nt(data or b"")

    ontology = graph_of(str(iris.graph("ontology")))
    reference = graph_of(str(iris.graph("reference")))
    inferred_all = graph_of(str(iris.graph("inferred")))
    background_nodes = set(reference.subjects()) | set(ontology.subjects())
    reference_inferred = Graph()
    for triple in inferred_all:
        if triple[0] in background_nodes:
            reference_inferred.add(triple)
    validator = Validator(load_shapes(), ontology, reference, reference_inferred)
    documents = {d["doc_id"]: graph_of(d["graph"]) for d in dataset.manifest.get("documents", [])}
    reports = [validator.validate_reference()]
    reports += [validator.validate_document(g, inferred_all) for g in documents.values()]
    reports.append(validator.validate_shared(documents))
    return combine(reports, warnings=validator.shape_warnings)


def run_validate(settings: Settings) -> int:
    """``rcm-graph validate``: print the report; exit 1 when the dataset does not conform."""
    report = validate_dataset(settings)
    print(format_report(report))
    return 0 if report.conforms else 1
