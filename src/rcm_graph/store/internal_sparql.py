"""The SPARQL the code itself runs, in one place (the queries for users are `queries/*.rq`;
the UI's page queries are `rcm_graph.web.ui.page_queries`).

WHY one module: these texts are part of the data contract (the default graph is the distinct
union of the named graphs; statistics count what VoID promises), so a reviewer changing that
contract should find every query that depends on it here. Templates take graph IRIs through
``%(name)s`` placeholders: only IRIs the code makes itself are put there, never request input.
"""

from __future__ import annotations

# --- VoID statistics of a build (rcm_graph.store.void) -----------------------------------------
# Named graphs are counted with GRAPH; partitions over the default graph, which the build
# fills with the distinct union of all graphs (see rcm_graph.store.dumps).
TRIPLES_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
CLASS_PARTITIONS = (
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c"
)
PROPERTY_PARTITIONS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
DEFAULT_GRAPH_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DISTINCT_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"

# --- A remote store's graphs (rcm_graph.query.remote) -----------------------------------------
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"

# --- The Graph Store Protocol's read side (rcm_graph.web.graph_store) ------------------------
NAMED_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%(g)s> { ?s ?p ?o } }"
DEFAULT_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

# --- The write side (rcm_graph.writes.writer) -----------------------------------------------------
# <B> is a snapshot of the default graph taken before the edit, <E> the edits graph. They run
# in Rust on the in-memory copy: on 200k quads they take a fraction of what building Python
# sets of triples did.
ADDED_TO_EDITS = (
    "INSERT { GRAPH <%(E)s> { ?s ?p ?o } } "
    "WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH <%(B)s> { ?s ?p ?o } } }"
)
REMOVED_EVERYWHERE = (
    "DELETE { GRAPH ?g { ?s ?p ?o } } "
    "WHERE { GRAPH <%(B)s> { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } "
    "GRAPH ?g { ?s ?p ?o } FILTER(?g != <%(B)s>) }"
)
UNION_EXTRA = (
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o "
    "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } FILTER(?g != <%(B)s>) } }"
)
UNION_MISSING = (
    "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <%(B)s>) "
    "FILTER NOT EXISTS { ?s ?p ?o } }"
)
COUNT_ADDED = (
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o FILTER NOT EXISTS { GRAPH <%(B)s> { ?s ?p ?o } } }"
)
COUNT_REMOVED = (
    "SELECT (COUNT(*) AS ?n) { GRAPH <%(B)s> { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"
)
