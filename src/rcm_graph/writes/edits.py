"""Writes: SPARQL Update and the Graph Store Protocol, each one a new published build.

WHY a new build per write and not an in-place change: the served dataset is an immutable build
directory behind an atomically switched ``current`` link (:mod:`rcm_graph.store.dataset`). A write
copies the current dataset into a fresh ``builds/<id>/``, applies the change there, writes the
same files a build writes (store, dumps, manifest) and publishes it, all under the data
directory's ``build_lock``: builds and writes serialise, a second writer sees the first one's
result (no lost update), and a write that fails or is killed half-way leaves the served dataset
exactly as it was. The caller gets its answer only after the publish, so a following query
sees the write.

WHY in a child process: pyoxigraph cannot cancel a running update, so a pathological
``DELETE/INSERT … WHERE`` is stopped the only way that works, by killing the process running
it (as :mod:`rcm_graph.query.local` does for queries). The half-written build is then
removed.

The union invariant (``docs/data-model.md``): the stored default graph is the distinct union of
the named graphs. After an edit, triples it added to the default graph go into the named graph
``<base>graph/edits`` (:meth:`Iris.edits_graph`), triples it removed from the default graph are
removed from every named graph (a removal from the union wins over an insertion into a named
graph in the same request), and the default graph is materialised again as the union.

Every accepted write is journalled under ``data_dir/edits/`` (one JSON file per write: sequence
number, UTC time, operation, payload, its SHA-256) before it is published, so a rebuild from
the corpus can apply the journal again with :func:`replay` and nothing written is lost.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pyoxigraph

import rcm_graph
from rcm_graph.errors import DatasetError, QueryError, QueryTimeout
from rcm_graph.model.formats import JSON_LD, N_TRIPLES, RDF_FORMATS, RDF_XML, TURTLE
from rcm_graph.model.iris import Iris
from rcm_graph.query.policy import check_update
from rcm_graph.sandbox import netguard
from rcm_graph.store import dataset as ds
from rcm_graph.store import dumps
from rcm_graph.store import internal_sparql as sparql
from rcm_graph.store.void import BuildInfo, collect_stats, describe_dataset

EDITS_DIR = "edits"
JOURNAL_FORMAT = 1
# How long a write waits for a running build or another write before giving up (503).
LOCK_WAIT_S = 120.0
# Loading the current dataset and writing the new build's files are not the update itself:
# they get their own, generous limit (the update gets the request's query timeout).
IO_TIMEOUT_S = 600.0

Operation = Literal["update", "put", "post", "delete"]

# RDF bodies the Graph Store Protocol accepts (one graph each), by media type.
# (one graph each: no TriG or N-Quads; application/x-turtle is the older name of Turtle)
BODY_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    TURTLE: RDF_FORMATS[TURTLE],
    "application/x-turtle": RDF_FORMATS[TURTLE],
    N_TRIPLES: RDF_FORMATS[N_TRIPLES],
    RDF_XML: RDF_FORMATS[RDF_XML],
    JSON_LD: RDF_FORMATS[JSON_LD],
}


@dataclass(frozen=True)
class Edit:
    """One write: a SPARQL Update (``operation="update"``) or a Graph Store Protocol request.

    For the Graph Store Protocol, ``graph`` is the target graph IRI (None: the default graph),
    ``payload`` the RDF body as text and ``media_type`` one of :data:`BODY_FORMATS`.
    """

    operation: Operation
    payload: str
    graph: str | None = None
    media_type: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Applied:
    """How many triples an edit added to and removed from the union (the default graph)."""

    added: int
    removed: int


@dataclass(frozen=True)
class WriteOutcome:
    """A published write."""

    seq: int
    build_id: str
    derived_from: str
    added: int
    removed: int
    graph_existed: bool
    elapsed_s: float


# ---------------------------------------------------------------------------------------------
# Applying an edit to a store (also used by replay)


def parse_body(edit: Edit, base_iri: str) -> list[pyoxigraph.Quad]:
    """The triples of a Graph Store Protocol body, in the target graph.

    Raises :class:`QueryError` (400) with the parser's line and column, or when the body names
    graphs of its own (a Graph Store Protocol body is one graph).
    """
    fmt = BODY_FORMATS.get(edit.media_type or "")
    if fmt is None:
        raise QueryError(f"unsupported RDF media type {edit.media_type!r}", where="Content-Type")
    target: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph = (
        pyoxigraph.NamedNode(edit.graph) if edit.graph else pyoxigraph.DefaultGraph()
    )
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        check_xml_entities(edit.payload)
    try:
        quads = list(
            pyoxigraph.parse(
                edit.payload.encode("utf-8"), format=fmt, base_iri=edit.graph or base_iri
            )
        )
    except (SyntaxError, ValueError) as exc:
        raise QueryError(
            f"the request body is not valid {edit.media_type}: {exc}",
            where="request body",
            hint="positions are line and column of the body",
        ) from None
    if any(isinstance(q.object, pyoxigraph.Triple) for q in quads):
        raise QueryError(TRIPLE_TERMS_REFUSED, where="request body", hint=TRIPLE_TERMS_HINT)
    if any(not isinstance(q.graph_name, pyoxigraph.DefaultGraph) for q in quads):
        raise QueryError(
            "the request body names graphs; a Graph Store Protocol body is one graph",
            where="request body",
            hint="send the triples of one graph, and name the graph with ?graph=",
        )
    return [pyoxigraph.Quad(q.subject, q.predicate, q.object, target) for q in quads]


# WHY refused, and as bad input (it was a 503): every build is also published as JSON-LD,
# which has no triple terms, so a dataset holding one could not be written.
TRIPLE_TERMS_REFUSED = (
    "RDF 1.2 triple terms (<<( s p o )>>, or the reifier syntax << s p o >>) cannot be "
    "stored: the dataset is also published as JSON-LD, which cannot hold them"
)
TRIPLE_TERMS_HINT = "describe the statement with plain triples (e.g. rdf:Statement)"
_HOLDS_TRIPLE_TERMS = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(isTRIPLE(?o)) }"

# A text made only of whitespace, comments and PREFIX/BASE declarations: an update that does
# nothing. Possessive quantifiers (no backtracking): linear in the text whatever it holds. It
# only recognises; anything else (an operation, an error) goes on to the engine.
_IRIREF = r"""<[^<>"{}|^`\\\x00-\x20]*+>"""
_NO_OPERATION = re.compile(
    rf"(?:\s|#[^\n\r]*+|(?i:PREFIX)\s*+[^\s:<>#]*+:\s*+{_IRIREF}|(?i:BASE)\s*+{_IRIREF})*+"
)


def has_operation(update: str) -> bool:
    """Whether a SPARQL Update text may hold an operation (False: only comments, prefixes)."""
    return _NO_OPERATION.fullmatch(update) is None


# What the entities of an RDF/XML body may add to it, in characters, once expanded.
MAX_ENTITY_EXPANSION = 1_000_000
_ENTITY_DECLARATION = re.compile(r"<!ENTITY\b")
_SIMPLE_ENTITY = re.compile(r"""<!ENTITY\s+([^\s%"'<>&;]+)\s+(?:"([^"]*)"|'([^']*)')\s*>""")
_XML_ENCODING = re.compile(r"""\ufeff?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_PARAMETER_REFERENCE = re.compile(r"%[^\s%;]+;")


def check_xml_entities(body: str) -> None:
    """Refuse an RDF/XML body whose DTD entities could expand beyond a small bound (400).

    WHY (issue 17): the RDF/XML parser expands DTD entities, so a 604-byte "billion laughs"
    body grew to 3 GB in the server process and a 1.8 KB one to 23.9 GB (the kernel killed the
    server). Simple internal entities (``<!ENTITY xsd "http://...#">``, common in RDF/XML) stay
    accepted: a value that references another entity (nesting is what multiplies), parameter
    and external entities are refused, and the references of the body may add at most
    :data:`MAX_ENTITY_EXPANSION` characters. Checked on the text, before any parsing."""
    where, hint = "request body", "declare only plain-text entities, or write the IRIs out"
    encoding = _XML_ENCODING.match(body)
    if encoding and encoding.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise QueryError(  # the parser would read the bytes otherwise than this check
            f"the RDF/XML body declares the encoding {encoding.group(1)!r}; send UTF-8",
            where=where,
            hint='declare encoding="UTF-8" or no encoding',
        )
    declared = len(_ENTITY_DECLARATION.findall(body))
    if not declared:
        return
    simple = _SIMPLE_ENTITY.findall(body)
    if len(simple) != declared:
        raise QueryError(
            "the RDF/XML body declares parameter or external entities, which are refused",
            where=where,
            hint=hint,
        )
    values: dict[str, str] = {}
    for name, double, single in simple:
        value = double or single
        if "&" in value or _PARAMETER_REFERENCE.search(value):
            raise QueryError(
                f"the RDF/XML entity {name!r} refers to other entities, which is refused "
                "(nested entities can expand a small body to gigabytes)",
                where=where,
                hint=hint,
            )
        values[name] = max(values.get(name, ""), value, key=len)  # declared twice: the longer
    added = sum(body.count(f"&{name};") * len(value) for name, value in values.items())
    if added > MAX_ENTITY_EXPANSION:
        raise QueryError(
            f"the RDF/XML entities of the body would add {added} characters "
            f"(at most {MAX_ENTITY_EXPANSION})",
            where=where,
            hint=hint,
        )


# Names no graph of the data can have (the snapshot lives only during one edit).
_SNAPSHOT_PREFIX = "urn:x-rcm-graph:edit-snapshot:"


def _count(store: pyoxigraph.Store, query: str) -> int:
    rows = store.query(query)
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    return next(int(row["n"].value) for row in rows)


def fix_union(store: pyoxigraph.Store, *, ignore: str = _SNAPSHOT_PREFIX) -> None:
    """Make the default graph the distinct union of the named graphs (except ``ignore``)."""
    names = {"B": ignore}
    store.update(sparql.UNION_EXTRA % names)
    store.update(sparql.UNION_MISSING % names)


def _run(store: pyoxigraph.Store, edit: Edit, base_iri: str) -> None:
    if edit.operation == "update":
        store.update(edit.payload, base_iri=base_iri)
        return
    target: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph = (
        pyoxigraph.NamedNode(edit.graph) if edit.graph else pyoxigraph.DefaultGraph()
    )
    if edit.operation == "delete":
        if isinstance(target, pyoxigraph.NamedNode):
            store.remove_graph(target)
        else:
            store.clear_graph(target)
        return
    quads = parse_body(edit, base_iri)
    if edit.operation == "put":
        if isinstance(target, pyoxigraph.NamedNode):
            if store.contains_named_graph(target):
                store.remove_graph(target)
            store.add_graph(target)
        else:
            store.clear_graph(target)
    store.extend(quads)


def apply_edit(
    store: pyoxigraph.Store,
    edit: Edit,
    iris: Iris,
    *,
    after_run: Callable[[], None] | None = None,
) -> Applied:
    """Apply ``edit`` to ``store`` (default graph = union of named graphs) and keep that so.

    ``after_run`` is called once the edit itself has run, before the union bookkeeping (the
    writer's time limit covers the edit, not the bookkeeping, whose cost is the dataset's).
    Raises ``SyntaxError`` for a malformed update, :class:`QueryError` for a bad body.
    """
    snapshot = store.dump(
        format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()
    )
    _run(store, edit, iris.base)
    if after_run is not None:
        after_run()
    # Only now, so the edit never saw it: the default graph as it was, in a graph of its own.
    # Blank node labels are kept, so they name the same nodes as in the store.
    names = {"B": _SNAPSHOT_PREFIX + os.urandom(8).hex(), "E": str(iris.edits_graph())}
    before = pyoxigraph.NamedNode(names["B"])
    store.extend(
        pyoxigraph.Quad(t.subject, t.predicate, t.object, before)
        for t in pyoxigraph.parse(
            snapshot or b"", format=pyoxigraph.RdfFormat.N_TRIPLES, rename_blank_nodes=False
        )
    )
    store.update(sparql.ADDED_TO_EDITS % names)
    store.update(sparql.REMOVED_EVERYWHERE % names)
    fix_union(store, ignore=names["B"])
    applied = Applied(
        added=_count(store, sparql.COUNT_ADDED % names),
        removed=_count(store, sparql.COUNT_REMOVED % names),
    )
    store.remove_graph(before)
    return applied


# ---------------------------------------------------------------------------------------------
# The journal


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    time: str
    operation: Operation
    graph: str | None
    media_type: str | None
    payload: str
    sha256: str
    build_id: str
    derived_from: str

    @property
    def edit(self) -> Edit:
        return Edit(self.operation, self.payload, self.graph, self.media_type)


_ENTRY_NAME = re.compile(r"^(\d{8})\.json$")


def journal_dir(data_dir: Path) -> Path:
    return data_dir / EDITS_DIR


def journal_files(data_dir: Path) -> list[Path]:
    """The journal's entries in order (``edits/00000001.json`` …)."""
    folder = journal_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _ENTRY_NAME.match(p.name))


def _next_seq(data_dir: Path) -> int:
    files = journal_files(data_dir)
    return int(files[-1].name[:8]) + 1 if files else 1


def read_entry(path: Path) -> JournalEntry:
    """One journal entry, checked (raises ``ValueError`` naming what is wrong)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = JournalEntry(**{k: data[k] for k in JournalEntry.__dataclass_fields__})
    if entry.edit.sha256 != entry.sha256:
        raise ValueError("the payload does not match its SHA-256")
    return entry


def _write_entry(data_dir: Path, entry: JournalEntry) -> Path:
    folder = journal_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry.seq:08d}.json"
    ds.write_json_atomically(path, {"format": JOURNAL_FORMAT, **asdict(entry)})
    return path


@dataclass(frozen=True)
class Replayed:
    """What replaying the journal did: the sequence numbers applied, and one problem per entry
    that could not be read or applied (naming its file)."""

    applied: list[int]
    problems: list[str]


def replay_journal(store: pyoxigraph.Store, data_dir: Path, base_iri: str) -> Replayed:
    """Apply the journal of ``data_dir`` in order to a freshly built ``store``.

    WHY a build replays it: a write is a new version of the dataset, and a rebuild from the
    corpus must not silently drop what curators wrote through the endpoint. The store must
    already hold the named graphs and their union as its default graph (call it after the
    default graph is complete, before statistics and the meta graph). Entries that fail are
    reported and skipped; the others are applied.

    An update entry must pass the write policy again (a journal written before a policy fix, or
    edited by hand, must not make the build fetch), and the entries are applied in a thread
    that cannot open a network socket (:func:`rcm_graph.sandbox.netguard.run_guarded`).
    """
    return netguard.run_guarded(_replay, store, data_dir, base_iri)


def _replay(store: pyoxigraph.Store, data_dir: Path, base_iri: str) -> Replayed:
    iris = Iris(base_iri)
    applied: list[int] = []
    problems: list[str] = []
    for path in journal_files(data_dir):
        try:
            entry = read_entry(path)
            if entry.edit.operation == "update":
                check_update(entry.edit.payload, base_iri=base_iri)
            apply_edit(store, entry.edit, iris)
        except (OSError, ValueError, KeyError, TypeError, SyntaxError, QueryError) as exc:
            text = exc.what if isinstance(exc, QueryError) else f"{type(exc).__name__}: {exc}"
            problems.append(f"{path}: edit not applied ({text})")
            continue
        applied.append(entry.seq)
    return Replayed(applied, problems)


def replay(store: pyoxigraph.Store, data_dir: Path, base_iri: str) -> list[str]:
    """:func:`replay_journal`, returning only the problems."""
    return replay_journal(store, data_dir, base_iri).problems


# ---------------------------------------------------------------------------------------------
# The child process: copy the current dataset, apply the edit, write the new build


def _regenerate_meta(
    store: pyoxigraph.Store, iris: Iris, build_id: str, manifest: dict[str, Any], started: datetime
) -> dict[str, int]:
    """The meta graph describes what the build holds: count again and describe again."""
    meta = pyoxigraph.NamedNode(str(iris.graph("meta")))
    if store.contains_named_graph(meta):
        store.remove_graph(meta)
    fix_union(store)
    stats = collect_stats(store)
    documents = [
        (str(d.get("doc_id", "")), str(d.get("source", "")))
        for d in manifest.get("documents", [])
        if isinstance(d, dict)
    ]
    info = BuildInfo(build_id, rcm_graph.__version__, started, datetime.now(UTC), documents)
    ntriples = describe_dataset(iris, stats, info).serialize(format="nt", encoding="utf-8")
    store.bulk_load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=meta)
    store.bulk_load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {
        str(q.value): n
        for q, n in _count_graphs(store).items()  # after the meta graph, as the pipeline lists
    }


def _count_graphs(store: pyoxigraph.Store) -> dict[pyoxigraph.NamedNode, int]:
    counts: dict[pyoxigraph.NamedNode, int] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        graph = quad.graph_name
        if isinstance(graph, pyoxigraph.NamedNode):
            counts[graph] = counts.get(graph, 0) + 1
    return counts


def _child(
    conn: multiprocessing.connection.Connection,
    source_nquads: str,
    build_dir: str,
    edit: Edit,
    base_iri: str,
    manifest: dict[str, Any],
) -> None:
    """Load, apply, then write the build: in memory first, the on-disk store last.

    WHY in memory: on the bundled dataset the edit and the meta graph take 2.7 s on the
    RocksDB store and 0.3 s in memory; the on-disk store is then bulk-loaded once from the
    N-Quads dump just written.
    """
    netguard.deny_network()  # an update never reaches the network (LOAD, SERVICE: issue 17)
    started = datetime.now(UTC)
    target = Path(build_dir)
    try:
        store = pyoxigraph.Store()
        with gzip.open(source_nquads, "rb") as fh:
            store.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
    except Exception as exc:  # reported; the parent removes the build directory
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("loaded", None))
    iris = Iris(base_iri)
    try:
        applied = apply_edit(store, edit, iris, after_run=lambda: conn.send(("ran", None)))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
        return
    except QueryError as exc:
        conn.send(("error", exc.what))
        return
    except OSError as exc:
        conn.send(("error", str(exc)))
        return
    if store.query(_HOLDS_TRIPLE_TERMS):  # an update made one (a body is checked when parsed)
        conn.send(("error", TRIPLE_TERMS_REFUSED))
        return
    conn.send(("applied", applied))
    try:
        graphs = _regenerate_meta(store, iris, target.name, manifest, started)
        names = dumps.write_dumps(store, target, str(iris.graph("meta")))
        del store
        disk = dumps.open_new_store(target)
        with gzip.open(target / ds.NQUADS, "rb") as fh:
            disk.bulk_load(fh.read(), format=pyoxigraph.RdfFormat.N_QUADS)
        disk.flush()
        del disk
        names.append(dumps.write_checksums(target, names))
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("written", (graphs, names)))


# ---------------------------------------------------------------------------------------------
# The parent side


@contextlib.contextmanager
def _wait_for_lock(data_dir: Path, wait_s: float) -> Iterator[None]:
    """``dataset.build_lock``, retried until ``wait_s`` (it does not block by itself)."""
    deadline = time.monotonic() + wait_s
    try:  # an unwritable data directory is refused at once, not after waiting
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / ds.LOCK).open("a").close()
    except OSError as exc:
        raise DatasetError(
            f"cannot write to the data directory ({exc.strerror or exc})",
            where=str(data_dir),
            hint="check that the data directory is writable and has free space",
        ) from None
    with contextlib.ExitStack() as stack:
        while True:
            try:
                stack.enter_context(ds.build_lock(data_dir))
                break
            except DatasetError as exc:
                if time.monotonic() >= deadline:
                    raise DatasetError(
                        f"the write waited {wait_s:g} s for a build or another write ({exc.what})",
                        where=str(data_dir),
                        hint="try again when the running build has finished",
                    ) from None
                time.sleep(0.05)
        yield


class Writer:
    """Applies writes to the dataset of ``data_dir``, one at a time, each as a new build."""

    def __init__(self, data_dir: Path, base_iri: str, *, lock_wait_s: float = LOCK_WAIT_S) -> None:
        self.data_dir = data_dir
        self.iris = Iris(base_iri)
        self.lock_wait_s = lock_wait_s
        self._threads = threading.Lock()  # writers of this process queue here, not by polling
        self._ctx = multiprocessing.get_context("spawn")

    def write(self, edit: Edit, *, timeout_s: float) -> WriteOutcome:
        """Apply ``edit`` and publish the result; raises :class:`QueryError` (400) for a
        malformed edit, :class:`QueryTimeout` (503) when the update ran out of time,
        :class:`DatasetError` (503) when there is no dataset or it cannot be written."""
        start = time.monotonic()
        if edit.operation == "update" and not has_operation(edit.payload):
            # Valid SPARQL, but nothing to do: no build, no journal entry (it made both).
            raise QueryError(
                "the update has no operation (only comments or PREFIX/BASE declarations)",
                where="update",
                hint="send at least one operation, e.g. INSERT DATA { ... }",
            )
        with self._threads, _wait_for_lock(self.data_dir, self.lock_wait_s):
            current = ds.load_dataset(self.data_dir, verify=False)
            existed = edit.graph is None or edit.graph in current.graph_iris()
            build_dir = ds.create_build_dir(self.data_dir)
            try:
                graphs, names, applied = self._apply(current, build_dir, edit, timeout_s)
                seq = _next_seq(self.data_dir)
                entry = JournalEntry(
                    seq=seq,
                    time=datetime.now(UTC).isoformat(timespec="milliseconds"),
                    operation=edit.operation,
                    graph=edit.graph,
                    media_type=edit.media_type,
                    payload=edit.payload,
                    sha256=edit.sha256,
                    build_id=build_dir.name,
                    derived_from=current.build_id,
                )
                journalled = _write_entry(self.data_dir, entry)
                try:
                    ds.finish_build(
                        build_dir, _manifest(current, build_dir, graphs, names, entry, applied)
                    )
                    ds.publish(self.data_dir, build_dir)
                except BaseException:
                    journalled.unlink(missing_ok=True)
                    raise
            except BaseException:
                shutil.rmtree(build_dir, ignore_errors=True)
                raise
        return WriteOutcome(
            seq=seq,
            build_id=build_dir.name,
            derived_from=current.build_id,
            added=applied.added,
            removed=applied.removed,
            graph_existed=existed,
            elapsed_s=time.monotonic() - start,
        )

    def _apply(
        self, current: ds.Dataset, build_dir: Path, edit: Edit, timeout_s: float
    ) -> tuple[dict[str, int], list[str], Applied]:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_child,
            args=(
                child,
                str(current.nquads_path),
                str(build_dir),
                edit,
                self.iris.base,
                current.manifest,
            ),
            name="rcm-write",
            daemon=True,
        )
        process.start()
        child.close()
        try:
            status, payload = self._receive(parent, IO_TIMEOUT_S, "loading the dataset")
            if status == "loaded":
                status, payload = self._receive(parent, timeout_s, "the update", timeout=True)
            if status == "ran":
                status, payload = self._receive(parent, IO_TIMEOUT_S, "keeping the union")
            applied = payload
            if status == "applied":
                status, payload = self._receive(parent, IO_TIMEOUT_S, "writing the new build")
        finally:
            with contextlib.suppress(OSError):
                parent.close()
            if process.is_alive():
                process.kill()
            process.join(timeout=10)
        if status == "syntax":
            raise QueryError(
                f"malformed update: {payload}",
                where="update",
                hint="positions are line:column of the update text",
            )
        if status == "error":
            raise QueryError(f"the write failed: {payload}", where="update")
        if status != "written":
            raise DatasetError(f"the write could not be completed ({payload})")
        graphs, names = payload
        assert isinstance(applied, Applied)
        return graphs, names, applied

    @staticmethod
    def _receive(
        conn: multiprocessing.connection.Connection,
        limit_s: float,
        what: str,
        *,
        timeout: bool = False,
    ) -> tuple[str, Any]:
        try:
            if conn.poll(limit_s):
                status, payload = conn.recv()
                return str(status), payload
        except (EOFError, OSError):
            return "failed", f"the write process stopped during {what}"
        if timeout:
            raise QueryTimeout(
                f"the update ran longer than its time limit of {limit_s:g} s and was stopped; "
                "the dataset is unchanged",
                hint="narrow the WHERE patterns, or raise the `timeout` parameter "
                "(capped by the server's query_timeout_s)",
            )
        return "failed", f"{what} took longer than {limit_s:g} s"


def _manifest(
    current: ds.Dataset,
    build_dir: Path,
    graphs: dict[str, int],
    names: list[str],
    entry: JournalEntry,
    applied: Applied,
) -> dict[str, Any]:
    previous = dict(current.manifest)
    for stale in ("format", *ds.RUN_FIGURES):
        previous.pop(stale, None)
    applied_before = previous.get("edits_applied", [])
    return {
        **previous,
        "build_id": build_dir.name,
        "created": datetime.now(UTC).isoformat(),
        "package_version": rcm_graph.__version__,
        "graphs": graphs,
        "files": ds.file_entries(build_dir, names),
        "derived_from": current.build_id,
        "edits_applied": [*(applied_before if isinstance(applied_before, list) else []), entry.seq],
        "edit": {
            "seq": entry.seq,
            "time": entry.time,
            "operation": entry.operation,
            "graph": entry.graph,
            "sha256": entry.sha256,
            "added": applied.added,
            "removed": applied.removed,
        },
    }


__all__ = [
    "BODY_FORMATS",
    "Applied",
    "Edit",
    "JournalEntry",
    "Replayed",
    "WriteOutcome",
    "Writer",
    "apply_edit",
    "journal_files",
    "parse_body",
    "read_entry",
    "replay",
    "replay_journal",
]
