"""``writes.edit.apply_edit`` keeps the default graph the distinct union of the named graphs, on a
real pyoxigraph store: blank nodes survive a write, shared triples are kept while one graph still
states them, and nothing of the edit's bookkeeping is left behind."""

from __future__ import annotations

import pyoxigraph
import pytest

from rcm_graph.model.iris import Iris
from rcm_graph.store.dumps import materialise_default_graph
from rcm_graph.writes.edit import Edit, apply_edit

IRIS = Iris("https://example.org/kg/")
EDITS = pyoxigraph.NamedNode(str(IRIS.edits_graph()))
DATA = b"""
<urn:x:g1> { _:a <urn:x:p> _:b . _:a <urn:x:name> "blank" . <urn:x:s> <urn:x:p> <urn:x:shared> . }
<urn:x:g2> { <urn:x:s> <urn:x:p> <urn:x:shared> . <urn:x:t> <urn:x:p> <urn:x:only-g2> . }
"""


def fresh() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(DATA, format=pyoxigraph.RdfFormat.TRIG)
    materialise_default_graph(store)
    return store


def default(store: pyoxigraph.Store) -> set[tuple[object, object, object]]:
    return {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
    }


def union(store: pyoxigraph.Store) -> set[tuple[object, object, object]]:
    return {
        (q.subject, q.predicate, q.object)
        for q in store
        if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)
    }


def graphs(store: pyoxigraph.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode)}


def test_blank_nodes_survive_a_write() -> None:
    store = fresh()
    before = set(store)
    applied = apply_edit(store, Edit("update", "INSERT DATA { <urn:x:new> <urn:x:p> 1 }"), IRIS)
    assert (applied.added, applied.removed) == (1, 0)
    new = pyoxigraph.Quad(
        pyoxigraph.NamedNode("urn:x:new"), pyoxigraph.NamedNode("urn:x:p"), pyoxigraph.Literal(1)
    )
    assert set(store) - before == {
        new,
        pyoxigraph.Quad(new.subject, new.predicate, new.object, EDITS),
    }
    assert before <= set(store)
    assert graphs(store) == {"urn:x:g1", "urn:x:g2", EDITS.value}


def test_dropping_a_graph_keeps_triples_another_graph_states() -> None:
    store = fresh()
    applied = apply_edit(store, Edit("delete", "", "urn:x:g2"), IRIS)
    assert applied.removed == 1  # only-g2; the shared triple is still stated by g1
    assert default(store) == union(store)
    assert (
        pyoxigraph.NamedNode("urn:x:s"),
        pyoxigraph.NamedNode("urn:x:p"),
        pyoxigraph.NamedNode("urn:x:shared"),
    ) in default(store)


@pytest.mark.parametrize(
    "text",
    [
        "DELETE DATA { <urn:x:s> <urn:x:p> <urn:x:shared> }",
        "DELETE WHERE { ?s <urn:x:name> ?o }",
        "INSERT { GRAPH <urn:x:g3> { ?s a <urn:x:T> } } WHERE { ?s <urn:x:p> ?o }",
        "DELETE { GRAPH <urn:x:g1> { ?s ?p ?o } } WHERE { GRAPH <urn:x:g1> { ?s ?p ?o } }",
        "CLEAR DEFAULT",
    ],
)
def test_every_edit_leaves_the_union_and_no_snapshot(text: str) -> None:
    store = fresh()
    apply_edit(store, Edit("update", text), IRIS)
    assert default(store) == union(store)
    assert not [g for g in graphs(store) if g.startswith("urn:x-rcm-graph:")]


def test_a_removal_from_the_default_graph_removes_it_from_every_graph() -> None:
    store = fresh()
    applied = apply_edit(
        store, Edit("update", "DELETE DATA { <urn:x:s> <urn:x:p> <urn:x:shared> }"), IRIS
    )
    assert (applied.added, applied.removed) == (0, 1)
    assert not list(store.quads_for_pattern(pyoxigraph.NamedNode("urn:x:s"), None, None, None))
