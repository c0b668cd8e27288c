"""Every SPARQL query the HTML pages run, in one place.

WHY one module: STYLE.md forbids SPARQL scattered through code, and a browse page must be able
to show the exact query that produced it ("see the query"), so each page's query is a named
constant here. Queries that need a resource IRI use the placeholder ``?this``; :func:`bind_iri`
replaces it with a validated IRI term (never raw string formatting of user input).

The default graph is the union of the named graphs, so a triple stated in several graphs (a
document graph, ``inferred`` …) matches once per graph, and each further pattern multiplies the
rows. Hence every SELECT is DISTINCT, counts are COUNT(DISTINCT) in sub-selects, and the
evidence query narrows step by step through DISTINCT sub-selects: on the bundled corpus that
took a document's evidence from 300 ms to 3 ms and the meetings page from 3.3 s to 60 ms
(pyoxigraph in memory; see benchmarks/bench_ui_pages.py).

Prefixes are those of :data:`rcm_graph.model.vocab.PREFIXES`, declared by :func:`with_prefixes`.
"""

from __future__ import annotations

import re

from rcm_graph.model.vocab import PREFIXES

# IRIREF of SPARQL 1.1 (production 139): no spaces, angle brackets, quotes, braces, pipes,
# carets, backticks or backslashes.
_IRIREF = re.compile(r'^[^\x00-\x20<>"{}|^`\\]+$')
_THIS = re.compile(r"\?this\b")


def with_prefixes(body: str, names: tuple[str, ...] | None = None) -> str:
    """The query with PREFIX lines for the project's prefixes (all, or only ``names``)."""
    chosen = names or tuple(PREFIXES)
    head = "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in chosen)
    return head + body.strip() + "\n"


def is_iri(value: str) -> bool:
    """Whether ``value`` can be written as a SPARQL IRIREF without escaping."""
    return bool(_IRIREF.match(value)) and ":" in value


def bind_iri(query: str, iri: str) -> str:
    """Bind ``?this`` to ``<iri>``; refuses anything that is not a plain IRI."""
    if not is_iri(iri):
        raise ValueError(f"not an IRI: {iri!r}")
    return _THIS.sub(f"<{iri}>", query)


# ---------------------------------------------------------------- resources (linked data)

RESOURCE_EXISTS = with_prefixes("ASK { { ?this ?p ?o } UNION { ?s ?p ?this } }", ())

# The RDF description served for a resource: its outgoing triples (from every graph) and the
# triples that point at it, so a consumer sees both directions, as LodView/Pubby do.
RESOURCE_DESCRIPTION = with_prefixes(
    """
CONSTRUCT { ?this ?p ?o . ?s ?q ?this . }
WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }
""",
    (),
)

# A value without a label of its own is named from what it says (issue 19: a meeting's
# participations were listed as IRIs): a participation by its participant and role, a stated
# count by its number, a mention by its concept, a commitment or statement by its text, an
# evidence span by the passage it quotes.
RESOURCE_OUTGOING = with_prefixes(
    """
SELECT DISTINCT ?p ?o ?g ?olabel ?plabel WHERE {
  GRAPH ?g { ?this ?p ?o }
  OPTIONAL { ?o rdfs:label|skos:prefLabel|dcterms:title|foaf:name ?named
             FILTER(isLiteral(?named) && (lang(?named) = "en" || lang(?named) = "")) }
  OPTIONAL { ?o rcm:participant/rdfs:label ?who FILTER(lang(?who) = "en")
             OPTIONAL { ?o rcm:participationRole/skos:prefLabel ?role FILTER(lang(?role) = "en") } }
  OPTIONAL { ?o rcm:countValue ?n ; rcm:countOf ?of }
  OPTIONAL { ?o rcm:mentionsConcept/skos:prefLabel ?concept FILTER(lang(?concept) = "en") }
  OPTIONAL { ?o rcm:commitmentText|rcm:statementText ?said
             FILTER(lang(?said) = "en" || lang(?said) = "") }
  OPTIONAL { ?o oa:hasSelector/oa:exact ?quoted }
  BIND(COALESCE(?named, CONCAT(?who, IF(BOUND(?role), CONCAT(" (", ?role, ")"), "")),
                CONCAT(STR(?n), " ", ?of), ?concept, ?said, CONCAT("“", ?quoted, "”"))
       AS ?olabel)
  OPTIONAL { ?p rdfs:label ?plabel FILTER(lang(?plabel) = "en" || lang(?plabel) = "") }
}
LIMIT 5000
""",
    ("rcm", "oa", "rdfs", "skos", "dcterms", "foaf"),
)

RESOURCE_INCOMING = with_prefixes(
    """
SELECT DISTINCT ?s ?p ?slabel ?plabel WHERE {
  ?s ?p ?this .
  FILTER(?p != rcm:partOfDocument && ?p != oa:hasSource)
  OPTIONAL { ?s rdfs:label|skos:prefLabel|dcterms:title|foaf:name|rcm:commitmentText
                |rcm:statementText ?slabel
             FILTER(isLiteral(?slabel) && (lang(?slabel) = "en" || lang(?slabel) = "")) }
  OPTIONAL { ?p rdfs:label ?plabel FILTER(lang(?plabel) = "en" || lang(?plabel) = "") }
}
LIMIT 1000
""",
    ("rcm", "oa", "rdfs", "skos", "dcterms", "foaf"),
)

# Evidence of the resource itself and of every fact node that points at it (a participation
# naming a state, a commitment naming its responsible actor …), with the quoted text.
RESOURCE_EVIDENCE = with_prefixes(
    """
SELECT DISTINCT ?fact ?factType ?span ?doc ?docTitle ?start ?end ?exact ?method WHERE {
  { SELECT DISTINCT ?fact ?span ?doc ?start ?end ?exact ?factType WHERE {
    { SELECT DISTINCT ?fact ?span ?doc ?start ?end ?exact WHERE {
      { SELECT DISTINCT ?fact ?span ?doc ?start ?end WHERE {
        { SELECT DISTINCT ?fact ?span WHERE {
            { BIND(?this AS ?fact) ?this rcm:evidence ?span }
            UNION
            { ?fact ?link ?this . FILTER(?link NOT IN (rcm:evidence, oa:hasSource))
              ?fact rcm:evidence ?span }
        } }
        ?span oa:hasSource ?doc ; oa:hasSelector ?pos .
        ?pos oa:start ?start ; oa:end ?end .
      } }
      OPTIONAL { ?span oa:hasSelector ?quote . ?quote oa:exact ?exact }
    } }
    OPTIONAL { ?fact a ?factType FILTER(STRSTARTS(STR(?factType), STR(rcm:))) }
  } }
  OPTIONAL { ?fact rcm:extractionMethod ?method }
  OPTIONAL { ?doc dcterms:title ?docTitle }
}
ORDER BY ?doc ?start
LIMIT 500
""",
    ("rcm", "oa", "dcterms"),
)

# --------------------------------------------------------------------------- documents

DOCUMENT_TEXT = with_prefixes(
    """
SELECT DISTINCT ?text ?title WHERE {
  ?this rcm:fullText ?text .
  OPTIONAL { ?this dcterms:title ?title }
} LIMIT 1
""",
    ("rcm", "dcterms"),
)

DOCUMENT_FACTS = with_prefixes(
    """
SELECT DISTINCT ?fact ?factType ?label ?start ?end WHERE {
  { SELECT DISTINCT ?fact ?start ?end WHERE {
      ?span oa:hasSource ?this ; oa:hasSelector ?pos .
      ?pos oa:start ?start ; oa:end ?end .
      ?fact rcm:evidence ?span .
  } }
  OPTIONAL { ?fact a ?factType FILTER(STRSTARTS(STR(?factType), STR(rcm:))) }
  OPTIONAL { ?fact rdfs:label|rcm:commitmentText|rcm:statementText ?label
             FILTER(lang(?label) = "en" || lang(?label) = "") }
}
ORDER BY ?start ?end
LIMIT 5000
""",
    ("rcm", "oa", "rdfs"),
)

# ------------------------------------------------------------------------ browse pages

BROWSE_MEETINGS = with_prefixes(
    """
SELECT ?meeting (SAMPLE(?l) AS ?label) (MIN(?s) AS ?start) (MIN(?e) AS ?end)
       (SAMPLE(?dt) AS ?dateText) (SAMPLE(?t) AS ?type) (SAMPLE(?tl) AS ?typeLabel)
       (SAMPLE(?c) AS ?city) (SAMPLE(?co) AS ?country) (SAMPLE(?cl) AS ?countryLabel)
       (MAX(?p) AS ?planned)
       (COALESCE(MAX(?nd), 0) AS ?documents) (COALESCE(MAX(?np), 0) AS ?participants)
WHERE {
  { SELECT DISTINCT ?meeting WHERE { ?meeting a rcm:Meeting } }
  OPTIONAL { ?meeting rdfs:label ?l FILTER(lang(?l) = "en" || lang(?l) = "") }
  OPTIONAL { ?meeting rcm:startDate ?s }
  OPTIONAL { ?meeting rcm:endDate ?e }
  OPTIONAL { ?meeting rcm:dateText ?dt }
  OPTIONAL { ?meeting rcm:meetingType ?t
             OPTIONAL { ?t skos:prefLabel ?tl FILTER(lang(?tl) = "en") } }
  OPTIONAL { ?meeting rcm:inCity ?c }
  OPTIONAL { ?meeting rcm:inCountry ?co OPTIONAL { ?co rdfs:label ?cl FILTER(lang(?cl) = "en") } }
  OPTIONAL { ?meeting rcm:isPlanned ?p }
  OPTIONAL { SELECT ?meeting (COUNT(DISTINCT ?doc) AS ?nd)
             WHERE { ?doc rcm:reportsOn ?meeting } GROUP BY ?meeting }
  OPTIONAL { SELECT ?meeting (COUNT(DISTINCT ?who) AS ?np)
             WHERE { ?meeting rcm:hasParticipation/rcm:participant ?who } GROUP BY ?meeting }
}
GROUP BY ?meeting
ORDER BY ?start ?label
""",
    ("rcm", "rdfs", "skos"),
)

BROWSE_STATES = with_prefixes(
    """
SELECT ?state (SAMPLE(?l) AS ?label) (SAMPLE(?les) AS ?labelEs) (SAMPLE(?code) AS ?iso3)
       (GROUP_CONCAT(DISTINCT ?statusLabel; separator=", ") AS ?statuses)
       (GROUP_CONCAT(DISTINCT ?statusLabelEs; separator=", ") AS ?statusesEs)
       (COALESCE(MAX(?nm), 0) AS ?meetings) (COALESCE(MAX(?nc), 0) AS ?commitments)
WHERE {
  { SELECT DISTINCT ?state WHERE {
      ?state a rcm:State .
      FILTER EXISTS { { ?x org:member ?state } UNION { ?y rcm:participant ?state }
                      UNION { ?z rcm:responsibleActor ?state } } } }
  OPTIONAL { ?state rdfs:label ?l FILTER(lang(?l) = "en") }
  OPTIONAL { ?state rdfs:label ?les FILTER(lang(?les) = "es") }
  OPTIONAL { ?state rcm:iso3166Alpha3 ?code }
  OPTIONAL { ?membership org:member ?state ; rcm:membershipStatus ?status .
             ?status skos:prefLabel ?statusLabel FILTER(lang(?statusLabel) = "en")
             OPTIONAL { ?status skos:prefLabel ?statusLabelEs
                        FILTER(lang(?statusLabelEs) = "es") } }
  OPTIONAL { SELECT ?state (COUNT(DISTINCT ?meeting) AS ?nm)
             WHERE { ?meeting rcm:hasParticipation/rcm:participant ?state } GROUP BY ?state }
  OPTIONAL { SELECT ?state (COUNT(DISTINCT ?commitment) AS ?nc)
             WHERE { ?commitment rcm:responsibleActor ?state } GROUP BY ?state }
}
GROUP BY ?state
ORDER BY DESC(?meetings) ?label
""",
    ("rcm", "org", "rdfs", "skos"),
)

BROWSE_OBJECTIVES = with_prefixes(
    """
SELECT ?objective ?number ?label
       (COUNT(DISTINCT ?doc) AS ?documents) (COUNT(DISTINCT ?commitment) AS ?commitments)
WHERE {
  ?objective a rcm:GCMObjective .
  OPTIONAL { ?objective rcm:ordinal ?number }
  OPTIONAL { ?objective skos:prefLabel ?label FILTER(lang(?label) = "en") }
  OPTIONAL { ?doc rcm:concernsObjective ?objective . ?doc a rcm:Document }
  OPTIONAL { ?commitment rcm:addressesObjective ?objective }
}
GROUP BY ?objective ?number ?label
ORDER BY ?number
""",
    ("rcm", "skos"),
)

BROWSE_COMMITMENTS = with_prefixes(
    """
SELECT DISTINCT ?commitment ?text ?type ?typeLabel ?due ?actor ?actorLabel ?doc ?docTitle
       ?objective ?objectiveNumber
WHERE {
  { SELECT DISTINCT ?commitment ?text ?type ?typeLabel ?due ?doc ?docTitle WHERE {
    { SELECT DISTINCT ?commitment ?text ?type ?due ?doc WHERE {
      ?commitment a rcm:Commitment .
      OPTIONAL { ?commitment rcm:commitmentText ?text }
      OPTIONAL { ?commitment rcm:commitmentType ?type }
      OPTIONAL { ?commitment rcm:dueDate ?due }
      OPTIONAL { ?commitment rcm:evidence ?span . ?span oa:hasSource ?doc }
    } }
    OPTIONAL { ?type skos:prefLabel ?typeLabel FILTER(lang(?typeLabel) = "en") }
    OPTIONAL { ?doc dcterms:title ?docTitle }
  } }
  OPTIONAL { ?commitment rcm:responsibleActor ?actor .
             OPTIONAL { ?actor rdfs:label ?actorLabel FILTER(lang(?actorLabel) = "en") } }
  OPTIONAL { ?commitment rcm:addressesObjective ?objective .
             OPTIONAL { ?objective rcm:ordinal ?objectiveNumber } }
}
ORDER BY ?doc ?commitment
LIMIT 5000
""",
    ("rcm", "oa", "rdfs", "skos", "dcterms"),
)

# ----------------------------------------------------------------------- home and VoID

HOME_COUNTS = with_prefixes(
    """
SELECT
  (COUNT(DISTINCT ?doc) AS ?documents) (COUNT(DISTINCT ?meeting) AS ?meetings)
  (COUNT(DISTINCT ?commitment) AS ?commitments) (COUNT(DISTINCT ?state) AS ?states)
WHERE {
  { ?doc a rcm:Document } UNION { ?meeting a rcm:Meeting }
  UNION { ?commitment a rcm:Commitment }
  UNION { ?state a rcm:State .
          FILTER EXISTS { { ?m org:member ?state } UNION { ?p rcm:participant ?state } } }
}
""",
    ("rcm", "org"),
)

HOME_DOCUMENTS = with_prefixes(
    """
SELECT DISTINCT ?doc ?title ?date WHERE {
  ?doc a rcm:Document .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:date ?date }
}
ORDER BY DESC(?date) ?title
LIMIT 200
""",
    ("rcm", "dcterms"),
)

# The dataset's size as rcm_graph.store.void.union_triples defines it: the default graph (the union
# of the published graphs, each triple once), for a build that wrote no void:triples.
TRIPLE_COUNT = with_prefixes("SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }", ())

CLASS_PARTITIONS = with_prefixes(
    """
SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?entities) LIMIT 200
""",
    (),
)

META_GRAPH = with_prefixes("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?this { ?s ?p ?o } }", ())

# ------------------------------------------------------- readable sections of resource pages
# What a reader looks for on a meeting, document, actor or commitment page, by name, above the
# property table (issue 19). Each query yields one row per (thing, label, link, evidence span);
# :mod:`.summary` groups the rows by the thing. Labels are English or untagged, from the data.

# The quoted span of ?fact (optional): the document and the character range.
_EVIDENCE_OF_FACT = """
  OPTIONAL { ?fact rcm:evidence ?span . ?span oa:hasSource ?doc ; oa:hasSelector ?pos .
             ?pos oa:start ?start ; oa:end ?end . }"""


def _label(var: str, out: str) -> str:
    """An OPTIONAL English (or untagged) label of ``?var`` into ``?out``.

    Only where ``?var`` is bound already: put it inside the OPTIONAL that binds an optional
    ``?var`` (an unbound ``?var`` would match every labelled resource of the graph)."""
    return (
        f"  OPTIONAL {{ ?{var} rdfs:label|skos:prefLabel|dcterms:title|foaf:name ?{out}\n"
        f'             FILTER(isLiteral(?{out}) && (lang(?{out}) = "en" || lang(?{out}) = "")) }}'
    )


_SECTION_PREFIXES = ("rcm", "oa", "rdfs", "skos", "dcterms", "foaf")


def _participations(where: str, order: str) -> str:
    return with_prefixes(
        f"""
SELECT DISTINCT ?meeting ?meetingLabel ?date ?actor ?actorLabel ?role ?roleLabel
                ?doc ?start ?end WHERE {{
{where}
  OPTIONAL {{ ?fact rcm:participationRole ?role .
{_label("role", "roleLabel")} }}
  OPTIONAL {{ ?meeting rcm:startDate ?date }}
{_label("meeting", "meetingLabel")}
{_label("actor", "actorLabel")}
{_EVIDENCE_OF_FACT}
}}
ORDER BY {order}
LIMIT 2000
""",
        _SECTION_PREFIXES,
    )


def _commitments(where: str) -> str:
    return with_prefixes(
        f"""
SELECT DISTINCT ?fact ?text ?type ?typeLabel ?due ?actor ?actorLabel ?doc ?start ?end WHERE {{
{where}
  ?fact a rcm:Commitment .
  OPTIONAL {{ ?fact rcm:commitmentText ?text }}
  OPTIONAL {{ ?fact rcm:commitmentType ?type .
{_label("type", "typeLabel")} }}
  OPTIONAL {{ ?fact rcm:dueDate ?due }}
  OPTIONAL {{ ?fact rcm:responsibleActor ?actor .
{_label("actor", "actorLabel")} }}
{_EVIDENCE_OF_FACT}
}}
ORDER BY ?doc ?start ?fact
LIMIT 2000
""",
        _SECTION_PREFIXES,
    )


def _statements(where: str) -> str:
    return with_prefixes(
        f"""
SELECT DISTINCT ?fact ?text ?type ?typeLabel ?actor ?actorLabel ?doc ?start ?end WHERE {{
{where}
  ?fact a rcm:Statement .
  OPTIONAL {{ ?fact rcm:statementText ?text FILTER(lang(?text) = "en" || lang(?text) = "") }}
  OPTIONAL {{ ?fact rcm:statementType ?type .
{_label("type", "typeLabel")} }}
  OPTIONAL {{ ?fact rcm:statementBy ?actor .
{_label("actor", "actorLabel")} }}
{_EVIDENCE_OF_FACT}
}}
ORDER BY ?doc ?start ?fact
LIMIT 2000
""",
        _SECTION_PREFIXES,
    )


def _persons(where: str) -> str:
    return with_prefixes(
        f"""
SELECT DISTINCT ?person ?personLabel ?title ?affiliation ?affiliationLabel
                ?doc ?start ?end WHERE {{
{where}
  ?person a rcm:Person .
  OPTIONAL {{ ?person rcm:personTitle ?title }}
  OPTIONAL {{ ?person rcm:affiliation ?affiliation .
{_label("affiliation", "affiliationLabel")} }}
{_label("person", "personLabel")}
  BIND(?person AS ?fact)
{_EVIDENCE_OF_FACT}
}}
ORDER BY ?personLabel ?person ?doc ?start
LIMIT 2000
""",
        _SECTION_PREFIXES,
    )


_IN_DOCUMENT = "  ?fact rcm:evidence/oa:hasSource ?this ."

MEETING_PARTICIPANTS = _participations(
    "  BIND(?this AS ?meeting) ?this rcm:hasParticipation ?fact . ?fact rcm:participant ?actor .",
    "?actorLabel ?actor ?roleLabel",
)
MEETING_COMMITMENTS = _commitments("  ?fact rcm:adoptedAt ?this .")
MEETING_STATEMENTS = _statements("  ?fact rcm:statementAt ?this .")
MEETING_PERSONS = _persons(
    "  { SELECT DISTINCT ?person WHERE { ?s rcm:statementAt ?this ; rcm:statementBy ?person } }"
)
MEETING_COUNTS = with_prefixes(
    """
SELECT DISTINCT ?fact ?value ?of ?qualifier ?doc ?start ?end WHERE {
  ?this rcm:hasStatedCount ?fact .
  OPTIONAL { ?fact rcm:countValue ?value }
  OPTIONAL { ?fact rcm:countOf ?of }
  OPTIONAL { ?fact rcm:countQualifier ?qualifier }
"""
    + _EVIDENCE_OF_FACT
    + """
}
ORDER BY ?of ?fact
LIMIT 500
""",
    ("rcm", "oa"),
)
MEETING_DOCUMENTS = with_prefixes(
    """
SELECT DISTINCT ?doc ?docLabel ?date ?relation WHERE {
  { ?doc rcm:reportsOn ?this BIND("reports on it" AS ?relation) }
  UNION { ?doc rcm:mentionsEvent ?this BIND("mentions it" AS ?relation) }
  OPTIONAL { ?doc dcterms:date ?date }
"""
    + _label("doc", "docLabel")
    + """
}
ORDER BY ?relation DESC(?date) ?doc
LIMIT 500
""",
    _SECTION_PREFIXES,
)

DOCUMENT_MEETINGS = with_prefixes(
    """
SELECT DISTINCT ?meeting ?meetingLabel ?date ?relation WHERE {
  { ?this rcm:reportsOn ?meeting BIND("reported" AS ?relation) }
  UNION { ?this rcm:mentionsEvent ?meeting BIND("mentioned" AS ?relation) }
  OPTIONAL { ?meeting rcm:startDate ?date }
"""
    + _label("meeting", "meetingLabel")
    + """
}
ORDER BY DESC(?relation) ?date ?meeting
LIMIT 500
""",
    _SECTION_PREFIXES,
)
DOCUMENT_PARTICIPANTS = _participations(
    "  ?meeting rcm:hasParticipation ?fact . ?fact rcm:participant ?actor .\n" + _IN_DOCUMENT,
    "?meetingLabel ?actorLabel ?actor",
)
DOCUMENT_COMMITMENTS = _commitments(_IN_DOCUMENT)
DOCUMENT_STATEMENTS = _statements(_IN_DOCUMENT)
DOCUMENT_PERSONS = _persons("  ?person rcm:evidence/oa:hasSource ?this .")

ACTOR_MEETINGS = _participations(
    "  BIND(?this AS ?actor) ?meeting rcm:hasParticipation ?fact . ?fact rcm:participant ?this .",
    "?date ?meeting ?roleLabel",
)
ACTOR_COMMITMENTS = _commitments("  ?fact rcm:responsibleActor ?this .")
ACTOR_STATEMENTS = _statements("  ?fact rcm:statementBy ?this .")

COMMITMENT_SUMMARY = with_prefixes(
    f"""
SELECT DISTINCT ?text ?type ?typeLabel ?due ?actor ?actorLabel ?meeting ?meetingLabel
                ?objective ?objectiveLabel ?doc ?docLabel ?start ?end WHERE {{
  BIND(?this AS ?fact)
  ?this a rcm:Commitment .
  OPTIONAL {{ ?this rcm:commitmentText ?text }}
  OPTIONAL {{ ?this rcm:dueDate ?due }}
  OPTIONAL {{ ?this rcm:commitmentType ?type .
{_label("type", "typeLabel")} }}
  OPTIONAL {{ ?this rcm:responsibleActor ?actor .
{_label("actor", "actorLabel")} }}
  OPTIONAL {{ ?this rcm:adoptedAt ?meeting .
{_label("meeting", "meetingLabel")} }}
  OPTIONAL {{ ?this rcm:addressesObjective ?objective .
{_label("objective", "objectiveLabel")} }}
  OPTIONAL {{ ?this rcm:evidence ?span . ?span oa:hasSource ?doc ; oa:hasSelector ?pos .
             ?pos oa:start ?start ; oa:end ?end .
{_label("doc", "docLabel")} }}
}}
LIMIT 2000
""",
    _SECTION_PREFIXES,
)
