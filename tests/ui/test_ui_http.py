"""The UI routes over real HTTP (uvicorn on a free port): content negotiation, Link and Vary
headers, the one error shape, escaping, evidence links, browse pages, ontology, VoID, downloads.

Every RDF answer is parsed in the format its Content-Type declares and compared as a graph.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SH, VOID
from ui_fixtures import BASE, HOSTILE_TITLE, SCRIPT

from rcm_graph.model.vocab import ONTOLOGY_IRI
from rcm_graph.reference.ontology import load_ontology, load_shapes

RCM = Namespace("https://w3id.org/rcm-graph/ontology#")
PAN = URIRef(BASE + "id/state/PAN")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_TYPES = {
    "text/turtle": ("turtle", ".ttl"),
    "application/ld+json": ("json-ld", ".jsonld"),
    "application/n-triples": ("nt", ".nt"),
    "application/rdf+xml": ("xml", ".rdf"),
    "application/trig": ("trig", ".trig"),
}


def parse(response: httpx.Response) -> Graph:
    media = response.headers["content-type"].split(";")[0].strip()
    graph = Graph()
    if media == "application/trig":  # a dataset: the description is its default graph
        dataset = Dataset()
        dataset.parse(data=response.content, format="trig")
        for triple in dataset.default_graph:
            graph.add(triple)
        return graph
    graph.parse(data=response.content, format=RDF_TYPES[media][0])
    return graph


def links(response: httpx.Response) -> list[tuple[str, dict[str, str]]]:
    """The Link header as (target, params) pairs."""
    out = []
    for part in response.headers.get("link", "").split(", <"):
        target, _, rest = part.lstrip("<").partition(">")
        params = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        out.append((target, params))
    return out


def vary(response: httpx.Response) -> set[str]:
    return {v.strip() for v in response.headers.get("vary", "").split(",")}


def error_shape(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "detail", "where", "hint"}
    assert body["error"]["status"] == status
    return dict(body["error"])


# ------------------------------------------------------------------ dereferencing resources


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_resource_by_accept_and_by_extension_give_the_same_graph(
    client: httpx.Client, media_type: str
) -> None:
    by_accept = client.get("/id/state/PAN", headers={"Accept": media_type})
    assert by_accept.status_code == 200
    assert by_accept.headers["content-type"].startswith(media_type)
    assert "Accept" in vary(by_accept)
    ext = RDF_TYPES[media_type][1]
    assert by_accept.headers["content-location"] == "/id/state/PAN" + ext
    by_extension = client.get("/id/state/PAN" + ext)
    assert by_extension.headers["content-type"].startswith(media_type)
    graph = parse(by_accept)
    assert isomorphic(graph, parse(by_extension))
    assert (PAN, RDFS.label, Literal("Panama", lang="en")) in graph
    assert (PAN, RDFS.label, Literal("Panamá", lang="es")) in graph
    assert (PAN, RDF.type, RCM.State) in graph
    # incoming links are part of the description: the participations naming Panama
    assert any(p == RCM.participant for _, p, _ in graph.triples((None, None, PAN)))


def test_resource_link_header_names_every_format_the_canonical_iri_and_describedby(
    client: httpx.Client,
) -> None:
    response = client.get("/id/state/PAN", headers={"Accept": "text/turtle"})
    pairs = links(response)
    alternates = {p["type"]: t for t, p in pairs if p.get("rel") == "alternate"}
    assert alternates == {
        "text/html": "/id/state/PAN",
        "text/turtle": "/id/state/PAN.ttl",
        "application/ld+json": "/id/state/PAN.jsonld",
        "application/n-triples": "/id/state/PAN.nt",
        "application/rdf+xml": "/id/state/PAN.rdf",
        "application/trig": "/id/state/PAN.trig",
    }
    assert (str(PAN), {"rel": "canonical"}) in pairs
    assert ("/id/state/PAN.ttl", {"rel": "describedby", "type": "text/turtle"}) in pairs
    for target, _ in pairs:
        if target.startswith("/"):
            assert client.get(target).status_code == 200


def test_n3_clients_get_turtle_and_html_has_its_own_url(client: httpx.Client) -> None:
    """Issue 19: ``text/n3`` was refused (Turtle is valid N3) and ``/id/....html`` was 404."""
    for accept in ("text/n3", "text/rdf+n3", "application/n3"):
        response = client.get("/id/state/PAN", headers={"Accept": accept})
        assert response.status_code == 200, accept
        assert response.headers["content-type"].startswith("text/turtle")
        graph = Graph().parse(data=response.content, format="n3")
        assert (PAN, RDF.type, RCM.State) in graph
    page = client.get("/id/state/PAN.html", headers={"Accept": "application/ld+json"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Panama</h1>" in page.text


def test_accept_with_q_values_picks_the_preferred_format(client: httpx.Client) -> None:
    accept = "text/turtle;q=0.5, application/ld+json;q=0.9, text/html;q=0.1"
    response = client.get("/id/state/PAN", headers={"Accept": accept})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert (PAN, RDF.type, RCM.State) in parse(response)


def test_browser_gets_html_with_labels_types_and_security_headers(client: httpx.Client) -> None:
    response = client.get("/id/state/PAN", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in vary(response)
    html = response.text
    assert "<h1>Panama</h1>" in html
    assert "Panamá" in html
    assert 'href="/id/meeting/' in html  # linked values open on this server
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "inferred" in html  # rcm:participatedIn comes from the inferred graph


def test_unknown_iri_is_a_404_in_the_error_shape_and_html_for_browsers(
    client: httpx.Client,
) -> None:
    error = error_shape(client.get("/id/state/XXX", headers={"Accept": "text/turtle"}), 404)
    assert "https://w3id.org/rcm-graph/id/state/XXX" in str(error["detail"])
    error_shape(client.get("/id/state/XXX.jsonld"), 404)
    page = client.get("/id/state/XXX", headers={"Accept": BROWSER})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "id/state/XXX" in page.text


def test_unacceptable_media_type_is_a_406_listing_what_is_available(
    client: httpx.Client,
) -> None:
    error = error_shape(client.get("/id/state/PAN", headers={"Accept": "image/png"}), 406)
    assert "text/turtle" in str(error["detail"])


# ----------------------------------------------------------------- evidence and documents


def test_resource_page_quotes_evidence_and_links_to_the_highlighted_span(
    client: httpx.Client,
) -> None:
    html = client.get("/id/state/CRI", headers={"Accept": BROWSER}).text
    assert "Costa Rica hosted the meeting" in html
    found = re.findall(
        r'href="(/id/document/hostile-communique\?highlight=(\d+)-(\d+)#span-\2-\3)"', html
    )
    assert found, "no link to a highlighted span"
    highlighted = set()
    for href, start, end in found:
        doc = client.get(unescape(href), headers={"Accept": BROWSER}).text
        assert f'id="span-{start}-{end}"' in doc
        current = re.findall(r'<mark class="fact current"[^>]*>([^<]*)</mark>', doc)
        highlighted.add("".join(current))
    # the participation naming Costa Rica as host, and the meeting held in Costa Rica
    assert {"Costa Rica hosted the meeting", "Ninth Plenary Meeting"} <= highlighted


def test_document_page_shows_hostile_text_as_text(client: httpx.Client) -> None:
    response = client.get("/id/document/hostile-communique", headers={"Accept": BROWSER})
    html = response.text
    assert "&lt;script&gt;document.title=" in html
    assert SCRIPT not in html
    assert "<b>bold</b>" not in html
    assert "Communiqué &lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;" in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all(' src="/static/' in tag for tag in scripts)
    # every extracted fact's span is marked and anchored
    for anchor in ("span-35-56", "span-186-215", "span-220-236"):
        assert f'id="{anchor}"' in html
    marked = re.findall(r'<mark class="fact"[^>]*>([^<]*)</mark>', html)
    assert "Ninth Plenary Meeting" in marked and "Panama took part" in marked


def test_document_rdf_keeps_the_full_text_and_title_verbatim(client: httpx.Client) -> None:
    graph = parse(client.get("/id/document/hostile-communique.ttl"))
    doc = URIRef(BASE + "id/document/hostile-communique")
    texts = [str(o) for o in graph.objects(doc, RCM.fullText)]
    assert len(texts) == 1 and SCRIPT in texts[0]
    assert HOSTILE_TITLE in [str(o) for o in graph.objects(doc, DCTERMS.title)]


def test_commitment_page_shows_responsible_actor_due_date_and_quote(
    client: httpx.Client,
) -> None:
    commitments = client.get(
        "/browse/commitments", headers={"Accept": "application/sparql-results+json"}
    ).json()["results"]["bindings"]
    iri = commitments[0]["commitment"]["value"]
    html = client.get(iri.replace(BASE, "/"), headers={"Accept": BROWSER}).text
    assert "2032-06-30" in html
    assert 'href="/id/state/PAN"' in html
    assert "The States agreed that Panama will open a help desk for migrants" in html


# --------------------------------------------------------------------------- browse pages


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("meetings", ["Ninth Plenary Meeting", "Tenth Plenary Meeting"]),
        ("states", ["Panama", "Costa Rica"]),
        ("objectives", ["Provide access to basic services for migrants"]),
        ("commitments", ["Panama will open a help desk for migrants"]),
    ],
)
def test_browse_page_html_and_results_come_from_the_linked_query(
    client: httpx.Client, page: str, expected: list[str]
) -> None:
    html_response = client.get(f"/browse/{page}", headers={"Accept": BROWSER})
    assert html_response.status_code == 200
    html = html_response.text
    for text in expected:
        assert text in html
    assert "creativecommons.org/licenses/by/4.0" in html  # licence in the footer
    link = re.search(r'href="(/query\?query=[^"]+)"', html)
    assert link, "the page does not link to its query"
    sparql = parse_qs(urlsplit(unescape(link.group(1))).query)["query"][0]
    via_endpoint = client.post(
        "/sparql", data={"query": sparql}, headers={"Accept": "application/sparql-results+json"}
    ).json()
    via_page = client.get(
        f"/browse/{page}", headers={"Accept": "application/sparql-results+json"}
    ).json()
    assert via_page["results"]["bindings"] == via_endpoint["results"]["bindings"]
    assert via_page["results"]["bindings"], "the page query found nothing"
    csv = client.get(f"/browse/{page}", headers={"Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) == len(via_page["results"]["bindings"]) + 1
    # the page's own CSV and JSON links (plain links: a browser's Accept header)
    json_link = f"/browse/{page}?format=json"
    csv_link = f"/browse/{page}?format=csv"
    assert f'href="{json_link}"' in html and f'href="{csv_link}"' in html
    linked_json = client.get(json_link, headers={"Accept": BROWSER})
    assert linked_json.status_code == 200
    assert linked_json.headers["content-type"].startswith("application/sparql-results+json")
    assert linked_json.json()["results"]["bindings"] == via_endpoint["results"]["bindings"]
    for data_url in (csv_link, f"/browse/{page}.csv"):
        linked_csv = client.get(data_url, headers={"Accept": BROWSER})
        assert linked_csv.status_code == 200
        assert linked_csv.headers["content-type"].startswith("text/csv")
        assert linked_csv.text == csv.text
    assert client.get(f"/browse/{page}?format=pdf").status_code == 400


def test_states_page_counts_participation(client: httpx.Client) -> None:
    rows = client.get(
        "/browse/states", headers={"Accept": "application/sparql-results+json"}
    ).json()["results"]["bindings"]
    meetings = {r["iso3"]["value"]: int(r["meetings"]["value"]) for r in rows if "iso3" in r}
    assert meetings["PAN"] == 2 and meetings["CRI"] == 2


def test_objectives_page_draws_a_bar_per_objective(client: httpx.Client) -> None:
    html = client.get("/browse/objectives", headers={"Accept": BROWSER}).text
    assert html.count('class="bar"') == 23


# ---------------------------------------------------------------- ontology, shapes, VoID


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_ontology_by_conneg_is_the_owl_file(client: httpx.Client, media_type: str) -> None:
    response = client.get("/ontology", headers={"Accept": media_type})
    assert "Accept" in vary(response)
    assert isomorphic(parse(response), load_ontology())


def test_ontology_html_documents_every_class_with_labels(client: httpx.Client) -> None:
    html = client.get("/ontology", headers={"Accept": BROWSER}).text
    onto = load_ontology()
    classes = [
        str(c).split("#")[1]
        for c in onto.subjects(RDF.type, OWL.Class)
        if str(c).startswith(str(RCM))
    ]
    assert classes
    for name in classes:
        assert f'id="{name}"' in html
    assert "Reunión" in html or 'lang="es"' in html


def test_shapes_by_extension_are_the_shapes_files(client: httpx.Client) -> None:
    shapes = load_shapes()
    assert isomorphic(parse(client.get("/shapes.ttl")), shapes)
    html = client.get("/shapes", headers={"Accept": BROWSER}).text
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes
    assert html.count('<section class="panel">') == len(node_shapes)


def test_void_describes_endpoint_dumps_and_licence(client: httpx.Client) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = parse(response)
    dataset = URIRef(BASE + "dataset")
    origin = str(client.base_url).rstrip("/")
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert (dataset, VOID.sparqlEndpoint, URIRef(origin + "/sparql")) in graph
    assert (dataset, VOID.dataDump, URIRef(origin + "/downloads/dataset.nq.gz")) in graph
    assert (dataset, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in (
        graph
    )
    assert int(graph.value(dataset, VOID.triples)) > 1000  # type: ignore[arg-type]
    dump = URIRef(origin + "/downloads/dataset.nq.gz")
    distribution = graph.value(predicate=DCAT.downloadURL, object=dump)
    assert distribution is not None
    size = client.get("/downloads", headers={"Accept": "application/json"}).json()["files"]
    expected = {f["name"]: f for f in size}["dataset.nq.gz"]
    assert int(graph.value(distribution, DCAT.byteSize)) == expected["bytes"]  # type: ignore[arg-type]
    # one vocabulary IRI (the ontology's, as its owl:Ontology names it), and media types as the
    # IANA register's IRIs (DCAT 2/3: the range of dcat:mediaType is dct:MediaType), not literals
    assert list(graph.objects(dataset, VOID.vocabulary)) == [URIRef(ONTOLOGY_IRI)]
    media = [graph.value(d, DCAT.mediaType) for d in graph.objects(dataset, DCAT.distribution)]
    assert media and all(isinstance(m, URIRef) for m in media), media
    assert URIRef("https://www.iana.org/assignments/media-types/application/gzip") in media
    # programs that send */* get RDF, browsers get a page
    assert client.get("/.well-known/void").headers["content-type"].startswith("text/turtle")
    page = client.get("/.well-known/void", headers={"Accept": BROWSER})
    assert page.headers["content-type"].startswith("text/html")


def test_home_sends_rdf_clients_to_void(client: httpx.Client) -> None:
    response = client.get("/", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["location"] == "/.well-known/void.ttl"
    home = client.get("/", headers={"Accept": BROWSER})
    assert "Communiqué &lt;b&gt;bold" in home.text


# ------------------------------------------------------------------- downloads and query


def test_downloads_list_checksums_that_match_the_files(client: httpx.Client) -> None:
    listing = client.get("/downloads", headers={"Accept": "application/json"}).json()
    assert listing["license"] == "https://creativecommons.org/licenses/by/4.0/"
    names = {f["name"] for f in listing["files"]}
    assert {"dataset.nq.gz", "reference.ttl", "SHA256SUMS"} <= names
    sums = client.get("/downloads/SHA256SUMS").text
    assert len(sums.splitlines()) == len(listing["files"]) - 1  # every file but itself
    for entry in listing["files"]:
        body = client.get(entry["url"]).content
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert len(body) == entry["bytes"]
        if entry["name"] != "SHA256SUMS":
            assert f"{entry['sha256']}  {entry['name']}" in sums
    html = client.get("/downloads", headers={"Accept": BROWSER}).text
    assert "CC BY 4.0" in html
    error_shape(client.get("/downloads/..%2Fmanifest.json"), 404)
    error_shape(client.get("/downloads/manifest.json"), 404)


def test_query_page_embeds_the_catalogue_as_examples(client: httpx.Client) -> None:
    from rcm_graph.query.catalogue import load_catalogue

    response = client.get("/query", headers={"Accept": BROWSER})
    html = response.text
    block = re.search(
        r'<script type="application/json" id="rcm-query-config">(.*?)</script>', html, re.S
    )
    assert block
    config = json.loads(block.group(1))
    assert [e["name"] for e in config["examples"]] == load_catalogue().names()
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["rcm"] == str(RCM)
    assert html.count("data-example=") == len(config["examples"])
    for src in re.findall(r'<script src="([^"]+)"', html):
        assert src.startswith("/static/")
        assert client.get(src).status_code == 200  # vendored, no CDN


def test_browser_opening_the_endpoint_lands_on_the_query_page(client: httpx.Client) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D", headers={"Accept": BROWSER})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/query?")


def test_missing_vendored_file_says_how_to_install(client: httpx.Client) -> None:
    error = error_shape(client.get("/static/vendor/yasgui/nothing.js"), 404)
    assert "install-ui-assets" in str(error["hint"])
