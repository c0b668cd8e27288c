"""The dumps a build writes: made in threads from one read of the store, they are byte for byte
what pyoxigraph's own dump of the store writes in each format, the same whether the steps run
in parallel or one after another; a step that fails is named in the error, leaves no temporary
file, and a build whose dumps fail publishes nothing."""

from __future__ import annotations

import errno
import gzip
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from build_fixtures import doc_a, doc_b

from rcm_graph.errors import DatasetError
from rcm_graph.model.iris import Iris
from rcm_graph.pipeline import build
from rcm_graph.settings import Settings
from rcm_graph.stages.mapping import map_document
from rcm_graph.store import dataset as ds
from rcm_graph.store import dumps

IRIS = Iris()
META = "https://example.org/g/meta"
CORPUS = Path(__file__).parent / "corpus"

# Terms whose serialisation differs most between writers: blank nodes, language tags,
# datatypes, escapes, non-ASCII text, a triple only in the default graph.
_EXTRA = """
<https://example.org/s> <https://example.org/p> _:b1 <https://example.org/g/a> .
_:b1 <https://example.org/p> "línea 1\\nlínea \\"2\\"\\t\\\\"@es <https://example.org/g/a> .
<https://example.org/s> <https://example.org/q> "3"^^<https://example.org/dt> <urn:x:g:b> .
<https://example.org/s> <https://example.org/q> "Ünïcödé ✓ 𝄞" <https://example.org/g/b> .
<https://example.org/only-default> <https://example.org/p> "x"@en-GB .
<https://example.org/m> <http://rdfs.org/ns/void#triples> "7" <https://example.org/g/meta> .
"""


def _store(path: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store(str(path))
    writer = dumps.QuadWriter(store)
    for name, facts in (("a", doc_a()), ("b", doc_b())):
        graph = map_document(facts, IRIS)
        writer.add(f"https://example.org/g/{name}", graph.serialize(format="nt", encoding="utf-8"))
    writer.flush()
    store.bulk_load(_EXTRA.encode(), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _direct(store: pyoxigraph.Store, out: Path) -> None:
    """Every dump written straight from the store, one after another (the reference)."""
    prefixes = dumps.DUMP_PREFIXES
    fmt = pyoxigraph.RdfFormat
    store.dump(str(out / "nq"), fmt.N_QUADS)
    store.dump(str(out / dumps.TRIG), fmt.TRIG, prefixes=prefixes)
    store.dump(str(out / dumps.JSONLD), fmt.JSON_LD)
    default = pyoxigraph.DefaultGraph()
    store.dump(str(out / dumps.DEFAULT_TTL), fmt.TURTLE, from_graph=default, prefixes=prefixes)
    meta = pyoxigraph.NamedNode(META)
    store.dump(str(out / dumps.VOID_TTL), fmt.TURTLE, from_graph=meta, prefixes=prefixes)


def test_parallel_dumps_are_the_serial_ones_and_the_store_dumps(tmp_path: Path) -> None:
    store = _store(tmp_path / "store")
    runs = {}
    for mode in ("parallel", "serial"):
        out = tmp_path / mode
        out.mkdir()
        digests: dict[str, str] = {}
        names = dumps.write_dumps(store, out, META, parallel=mode == "parallel", digests=digests)
        assert sorted(names) == sorted(dumps.DUMP_FILES)
        assert sorted(p.name for p in out.iterdir()) == sorted(names), "no temporary file left"
        assert digests == {name: ds.sha256_file(out / name) for name in names}
        runs[mode] = out
    reference = tmp_path / "reference"
    reference.mkdir()
    _direct(store, reference)
    for name in dumps.DUMP_FILES:
        parallel = (runs["parallel"] / name).read_bytes()
        serial = (runs["serial"] / name).read_bytes()
        if name == ds.NQUADS:  # the gzip header holds a time: compare what it holds
            parallel, serial = gzip.decompress(parallel), gzip.decompress(serial)
            expected = (reference / "nq").read_bytes()
        else:
            expected = (reference / name).read_bytes()
        assert parallel == serial == expected, name
    nquads = gzip.decompress((runs["parallel"] / ds.NQUADS).read_bytes()).decode()
    assert "_:" in nquads and '"@es' in nquads and "𝄞" in nquads
    again = pyoxigraph.Store()
    again.load(nquads.encode(), format=pyoxigraph.RdfFormat.N_QUADS)
    assert len(again) == len(store)


def test_checksums_use_the_digests_and_match_the_files(tmp_path: Path) -> None:
    store = _store(tmp_path / "store")
    digests: dict[str, str] = {}
    names = dumps.write_dumps(store, tmp_path, META, digests=digests)
    names.append(dumps.write_checksums(tmp_path, names, digests))
    sums = (tmp_path / dumps.SHA256SUMS).read_text().splitlines()
    listed = {name: digest for digest, name in (line.split("  ") for line in sums)}
    assert listed == {name: ds.sha256_file(tmp_path / name) for name in names[:-1]}
    entries = ds.file_entries(tmp_path, names, digests)
    assert entries == ds.file_entries(tmp_path, names)  # the same as hashing every file again


def _failing_step(store: pyoxigraph.Store, build_dir: Path, meta_graph: str) -> list[str]:
    (build_dir / dumps.JSONLD).write_bytes(b"{ half")
    raise OSError(errno.ENOSPC, "No space left on device", str(build_dir / dumps.JSONLD))


@pytest.mark.parametrize("parallel", [True, False])
def test_a_failing_dump_is_named_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    store = _store(tmp_path / "store")
    steps = (*dumps.FROM_NQUADS[:-1], dumps.DumpStep(dumps.JSONLD, _failing_step))
    monkeypatch.setattr(dumps, "FROM_NQUADS", steps)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OSError) as caught:
        dumps.write_dumps(store, out, META, parallel=parallel)
    assert caught.value.errno == errno.ENOSPC
    assert f"while writing the dump {dumps.JSONLD}" in "\n".join(caught.value.__notes__)
    assert not (out / dumps.RAW_NQUADS).exists()
    assert (out / dumps.TRIG).is_file(), "the other steps ran to their end"


@pytest.mark.slow
def test_a_build_whose_dumps_fail_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(data_dir=data, corpus=corpus)
    first = build(settings)
    assert first.published
    builds = sorted(p.name for p in (data / ds.BUILDS).iterdir())
    steps = (*dumps.FROM_NQUADS[:-1], dumps.DumpStep(dumps.JSONLD, _failing_step))
    monkeypatch.setattr(dumps, "FROM_NQUADS", steps)
    with pytest.raises(DatasetError) as caught:
        build(settings)
    assert "could not be written" in str(caught.value)
    assert "current dataset is unchanged" in (caught.value.hint or "")
    assert ds.load_dataset(data).build_id == first.build_id
    assert sorted(p.name for p in (data / ds.BUILDS).iterdir()) == builds


def test_background_loads_fill_the_store_as_foreground_loads(tmp_path: Path) -> None:
    stores = {}
    for background in (True, False):
        store = pyoxigraph.Store(str(tmp_path / f"store-{background}"))
        writer = dumps.QuadWriter(store, flush_bytes=2048, background=background)
        for name, facts in (("a", doc_a()), ("b", doc_b())):
            graph = map_document(facts, IRIS)
            writer.add(
                f"https://example.org/g/{name}", graph.serialize(format="nt", encoding="utf-8")
            )
        writer.flush()
        stores[background] = {str(q) for q in store}
    assert stores[True] == stores[False] and len(stores[True]) > 100


def test_a_failing_background_load_is_raised(tmp_path: Path) -> None:
    store = pyoxigraph.Store(str(tmp_path / "store"))
    writer = dumps.QuadWriter(store, flush_bytes=1)  # every add sends a batch
    writer.add("https://example.org/g", b'<https://example.org/a> <https://example.org/p> "x" .\n')
    writer.add("https://example.org/g", b'<not an iri> <https://example.org/p> "y" .\n')
    with pytest.raises(SyntaxError):
        writer.flush()
    writer.flush()  # raised once; the writer is usable again
    assert len(store) >= 2
