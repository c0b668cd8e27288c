"""Writing a build's store and dumps, and ``rcm-graph dump``.

WHY the store is written first and the dumps are made from it: pyoxigraph loads N-Triples in
bulk about 15 times faster than rdflib parses them and serialises 50-180 times faster, so
rdflib graphs are handed over once, as N-Triples bytes, and every later step (statistics, dumps)
reads the store. The dumps are: ``dataset.nq.gz`` (all graphs), ``dataset.trig`` (all graphs),
``default.ttl`` (the default graph = the union of all graphs, as queries see it),
``dataset.jsonld`` (all graphs), plus ``void.ttl`` (the meta graph) and ``SHA256SUMS``.

WHY the default graph is materialised: the data model promises that the default graph is the
union of all graphs, i.e. an RDF merge, a SET of triples. Oxigraph's union default graph
(``use_default_graph_as_union``) is a bag: a triple that two document graphs both state (the
label of a meeting both documents name) matches twice, and ``COUNT`` and plain ``SELECT`` give
duplicates. So the build writes the distinct union into the store's default graph (and into
the N-Quads, TriG and JSON-LD dumps, so that any SPARQL server loaded from them answers the
same way); queries then use the store's default graph as it is, WITHOUT the union flag.
"""

from __future__ import annotations

import gzip
import shutil
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph

from rcm_graph.errors import ConfigError
from rcm_graph.model.formats import BY_NAME, RDF_FORMATS
from rcm_graph.model.vocab import PREFIXES
from rcm_graph.settings import Settings
from rcm_graph.store.dataset import NQUADS, STORE, load_dataset, sha256_file

TRIG = "dataset.trig"
DEFAULT_TTL = "default.ttl"
JSONLD = "dataset.jsonld"
VOID_TTL = "void.ttl"
SHA256SUMS = "SHA256SUMS"
DUMP_FILES = (NQUADS, TRIG, DEFAULT_TTL, JSONLD, VOID_TTL)

DUMP_PREFIXES = {name: str(ns) for name, ns in PREFIXES.items()}


def open_new_store(build_dir: Path) -> pyoxigraph.Store:
    return pyoxigraph.Store(str(build_dir / STORE))


def materialise_default_graph(store: pyoxigraph.Store, *, batch: int = 100_000) -> None:
    """Put the distinct union of all named graphs into the default graph.

    Streams the store's quads and writes them back in batches, so that memory stays bounded
    whatever the size of the store (the build itself writes the default graph as it loads each
    document, see :class:`QuadWriter`; this is for stores filled some other way).
    """
    pending: list[pyoxigraph.Quad] = []
    for q in store.quads_for_pattern(None, None, None):
        if isinstance(q.graph_name, pyoxigraph.DefaultGraph):
            continue
        pending.append(pyoxigraph.Quad(q.subject, q.predicate, q.object))
        if len(pending) >= batch:
            store.extend(pending)
            pending = []
    if pending:
        store.extend(pending)


def ntriples_lines(ntriples: bytes) -> list[bytes]:
    """The statements of an N-Triples document, one per line, without blank or comment lines."""
    return [line for line in ntriples.splitlines() if line.strip() and not line.startswith(b"#")]


class QuadWriter:
    """Buffers N-Triples statements for named graphs and bulk-loads them in large batches.

    WHY: a streaming build hands each document's triples to the store as soon as the document
    is done; one bulk load per document would write thousands of tiny sorted files, so
    statements are gathered as N-Quads up to ``flush_bytes`` and loaded together. Every
    statement is written twice: into its named graph and into the default graph, which thus
    holds the distinct union of all named graphs (the store keeps sets) without a second pass
    over the store at the end.

    WHY in the background: a bulk load is Rust that releases the GIL (about 15 µs a statement
    at 1,000 documents, most of the ``store`` stage), so with ``background=True`` each batch is
    loaded in a thread while the caller goes on gathering the next one. One load runs at a
    time, in order (memory: two batches at most). The store holds everything added only once
    :meth:`flush` has returned; a load's error is raised by the next :meth:`add` that fills a
    batch or by :meth:`flush`.
    """

    def __init__(
        self, store: pyoxigraph.Store, *, flush_bytes: int = 8 << 20, background: bool = True
    ) -> None:
        self.store = store
        self.flush_bytes = flush_bytes
        self.background = background
        self._parts: list[bytes] = []
        self._size = 0
        self._loading: tuple[threading.Thread, list[BaseException]] | None = None
        self.statements = 0

    def add(self, graph_iri: str, ntriples: bytes) -> None:
        """Queue N-Triples (one statement per line, as rdflib and pyoxigraph write them)."""
        suffix = f" <{graph_iri}> .".encode()
        data = ntriples if not ntriples or ntriples.endswith(b"\n") else ntriples + b"\n"
        statements = data.count(b" .\n")
        if statements == data.count(b"\n"):  # the usual case: one whole statement per line
            named = data.replace(b" .\n", suffix + b"\n")  # (a literal holds no raw newline)
        else:  # blank or comment lines, other spacing: statement by statement
            bodies = []
            for line in ntriples_lines(data):
                statement = line.rstrip()
                if not statement.endswith(b"."):
                    raise ValueError(f"not an N-Triples statement: {statement[:200]!r}")
                bodies.append(statement[:-1].rstrip())
            named = b"".join(body + suffix + b"\n" for body in bodies)
            data = b"".join(body + b" .\n" for body in bodies)
            statements = len(bodies)
        self._parts += (named, data)  # the named graph, then the default graph
        self._size += len(named) + len(data)
        self.statements += statements
        if self._size >= self.flush_bytes:
            self._send()

    def flush(self) -> None:
        """Load everything added so far; returns when it is in the store."""
        self._send()
        self._wait()

    def _send(self) -> None:
        if not self._parts:
            return
        data = b"".join(self._parts)
        self._parts = []
        self._size = 0
        self._wait()
        if not self.background:
            self.store.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)
            return
        errors: list[BaseException] = []

        def load() -> None:
            try:
                self.store.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)
            except BaseException as exc:  # handed to the caller by _wait
                errors.append(exc)

        thread = threading.Thread(target=load, name="bulk-load", daemon=True)
        thread.start()
        self._loading = (thread, errors)

    def _wait(self) -> None:
        if self._loading is not None:
            thread, errors = self._loading
            self._loading = None
            thread.join()
            if errors:
                raise errors[0]


# The uncompressed N-Quads the other dumps are made from (removed once they are written).
RAW_NQUADS = ".dataset.nq.tmp"
_GZIP_CHUNK = 4 << 20


@dataclass(frozen=True)
class DumpStep:
    """One part of :func:`write_dumps`: what it writes (for error messages) and how."""

    writes: str
    run: Callable[[pyoxigraph.Store, Path, str], list[str]]


def _dump_nquads(store: pyoxigraph.Store, build_dir: Path, meta_graph: str) -> list[str]:
    store.dump(str(build_dir / RAW_NQUADS), pyoxigraph.RdfFormat.N_QUADS)
    return []


def _dump_turtle(store: pyoxigraph.Store, build_dir: Path, meta_graph: str) -> list[str]:
    store.dump(
        str(build_dir / DEFAULT_TTL),
        pyoxigraph.RdfFormat.TURTLE,
        from_graph=pyoxigraph.DefaultGraph(),
        prefixes=DUMP_PREFIXES,
    )
    store.dump(
        str(build_dir / VOID_TTL),
        pyoxigraph.RdfFormat.TURTLE,
        from_graph=pyoxigraph.NamedNode(meta_graph),
        prefixes=DUMP_PREFIXES,
    )
    return [DEFAULT_TTL, VOID_TTL]


def _gzip_nquads(store: pyoxigraph.Store, build_dir: Path, meta_graph: str) -> list[str]:
    with (
        (build_dir / RAW_NQUADS).open("rb") as src,
        gzip.open(build_dir / NQUADS, "wb", compresslevel=6) as dst,
    ):
        while chunk := src.read(_GZIP_CHUNK):  # zlib and file reads release the GIL
            dst.write(chunk)
    return [NQUADS]


def _reserialise(
    fmt: pyoxigraph.RdfFormat, name: str, prefixes: dict[str, str] | None = None
) -> Callable[[pyoxigraph.Store, Path, str], list[str]]:
    def write(store: pyoxigraph.Store, build_dir: Path, meta_graph: str) -> list[str]:
        quads = pyoxigraph.parse(
            path=str(build_dir / RAW_NQUADS), format=pyoxigraph.RdfFormat.N_QUADS
        )
        pyoxigraph.serialize(quads, str(build_dir / name), fmt, prefixes=prefixes)
        return [name]

    return write


# What :func:`write_dumps` runs: first what reads the store, then what reads the N-Quads.
_NQUADS_STEP = DumpStep(NQUADS, _dump_nquads)
_FROM_STORE = (_NQUADS_STEP, DumpStep(f"{DEFAULT_TTL}, {VOID_TTL}", _dump_turtle))
FROM_NQUADS = (
    DumpStep(NQUADS, _gzip_nquads),
    DumpStep(TRIG, _reserialise(pyoxigraph.RdfFormat.TRIG, TRIG, DUMP_PREFIXES)),
    DumpStep(JSONLD, _reserialise(pyoxigraph.RdfFormat.JSON_LD, JSONLD)),
)


def write_dumps(
    store: pyoxigraph.Store,
    build_dir: Path,
    meta_graph: str,
    *,
    parallel: bool = True,
    digests: dict[str, str] | None = None,
) -> list[str]:
    """Write every dump file from the store; returns the file names written.

    WHY this shape: reading the store is the expensive part of a dump (every term of every
    quad is looked up and decoded; about 9 µs a quad at 1,000 documents, more as the store
    grows), and five dumps read it five times. So the store is read ONCE for the N-Quads
    (and once for the default graph, which ``default.ttl`` needs alone), and the TriG and
    JSON-LD are re-serialised from those N-Quads (the same quads in the same order: the files
    are byte for byte what a dump of the store writes, about 3 times cheaper). The steps run
    in threads: the store dumps, gzip and hashing release the GIL, so on two cores the
    default graph is written while the N-Quads are, and the gzip while TriG and JSON-LD are.
    ``parallel=False`` runs the same steps one after another. Cost: the uncompressed N-Quads
    sit in the build directory until the dumps are written (about 0.75 GB per 1,000
    documents, as much as ``dataset.jsonld``).

    ``digests`` (if given) receives the SHA-256 of each file, computed in the same threads,
    for :func:`write_checksums` and :func:`rcm_graph.store.dataset.file_entries`. If a step fails,
    the others are waited for and the first error is raised, naming the dump it was writing;
    the caller removes the build directory.
    """
    hashes: dict[str, str] = {}

    def run(step: DumpStep) -> None:
        for name in step.run(store, build_dir, meta_graph):
            hashes[name] = sha256_file(build_dir / name)

    try:
        with ThreadPoolExecutor(4 if parallel else 1, thread_name_prefix="dump") as pool:
            running = {pool.submit(run, step): step for step in _FROM_STORE}
            nquads = next(f for f, step in running.items() if step is _NQUADS_STEP)
            if nquads.exception() is None:  # waits for it
                running.update({pool.submit(run, step): step for step in FROM_NQUADS})
            wait(running)
        for future, step in running.items():
            if (error := future.exception()) is not None:
                error.add_note(f"while writing the dump {step.writes}")
                raise error
    finally:
        (build_dir / RAW_NQUADS).unlink(missing_ok=True)
    if digests is not None:
        digests.update(hashes)
    return list(DUMP_FILES)


def write_checksums(
    build_dir: Path, names: list[str], digests: Mapping[str, str] | None = None
) -> str:
    """``SHA256SUMS`` in the format ``sha256sum -c`` reads (``digests``: those already known)."""
    known = digests or {}
    lines = [
        f"{known.get(name) or sha256_file(build_dir / name)}  {name}\n" for name in sorted(names)
    ]
    (build_dir / SHA256SUMS).write_text("".join(lines), encoding="utf-8")
    return SHA256SUMS


_DUMP_FORMATS = {
    name: RDF_FORMATS[BY_NAME[name].media_type] for name in ("nq", "trig", "jsonld", "ttl", "nt")
}


_FILE_OF_FORMAT = {"trig": TRIG, "jsonld": JSONLD, "ttl": DEFAULT_TTL}


def run_dump(settings: Settings, fmt: str, out: BinaryIO) -> int:
    """Write the current dataset to ``out``: all graphs (nq, trig, jsonld) or the default
    graph as the union of all graphs (ttl, nt). The files the build wrote are copied as they
    are (their checksums were verified when the dataset was loaded)."""
    if fmt not in _DUMP_FORMATS:
        raise ConfigError(
            f"unknown dump format {fmt!r}",
            where="--format",
            hint=f"use one of {', '.join(sorted(_DUMP_FORMATS))}",
        )
    dataset = load_dataset(settings.data_dir)
    if fmt == "nq":
        with gzip.open(dataset.nquads_path, "rb") as fh:
            shutil.copyfileobj(fh, out)
    elif fmt in _FILE_OF_FORMAT:
        with dataset.file_path(_FILE_OF_FORMAT[fmt]).open("rb") as fh:
            shutil.copyfileobj(fh, out)
    else:
        dataset.open_store().dump(out, _DUMP_FORMATS[fmt], from_graph=pyoxigraph.DefaultGraph())
    out.flush()
    return 0
