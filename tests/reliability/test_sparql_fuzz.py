"""Malformed SPARQL through ``/sparql``: always a 4xx in the one error shape, never a 500 or a hang.

Seeds are the catalogue queries (``queries/*.rq``) plus a few of every query form; each example
applies random mutations (deleted, duplicated and swapped tokens, unbalanced braces, huge
literals, invalid UTF-8, NUL bytes, truncation). The oracle is the engine's own parser on an
empty in-memory store: when it rejects the text, the server must answer 400 with the parser's
message; when it accepts it, the server may answer (200, parsed as JSON), refuse (403/400 by the
no-outbound policy), time out (503), but never fail.
"""

from __future__ import annotations

import json
import re

import httpx
import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import QUERIES, Server, assert_error_shape, assert_no_leak, examples

EXTRA_SEEDS = [
    "ASK { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY DESC(?n)",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = "es") } LIMIT 10',
    "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 5",
    "DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 1",
    'SELECT * WHERE { VALUES ?x { 1 2.5 "a"@en <urn:x> } OPTIONAL { ?x ?p ?o } } LIMIT 3',
]


def seeds() -> list[str]:
    catalogue = [p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))]
    return catalogue + EXTRA_SEEDS


SEEDS = seeds()
TOKEN = re.compile(r"<[^>\s]*>|\"[^\"\n]*\"|[?$]?\w[\w:.-]*|\s+|.", re.DOTALL)
PUNCTUATION = ["{", "}", "(", ")", "[", "]", ".", ";", ",", '"', "'", "<", ">", "#", "\\", "^^"]
MAX_REQUEST_BYTES = 1_000_000  # Settings default, which the server fixture keeps


@st.composite
def mutated_query(draw: st.DrawFn) -> bytes:
    """A seed query through one to five token- or byte-level mutations."""
    toks = TOKEN.findall(draw(st.sampled_from(SEEDS)))
    raw_suffix = b""
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        if not toks:
            toks = [""]
        at = draw(st.integers(min_value=0, max_value=len(toks) - 1))
        kind = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "brace", "literal", "junk", "truncate", "bytes"]
            )
        )
        if kind == "delete":
            del toks[at : at + draw(st.integers(min_value=1, max_value=8))]
        elif kind == "duplicate":
            span = toks[at : at + draw(st.integers(min_value=1, max_value=8))]
            toks[at:at] = span * draw(st.integers(min_value=1, max_value=50))
        elif kind == "swap":
            other = draw(st.integers(min_value=0, max_value=len(toks) - 1))
            toks[at], toks[other] = toks[other], toks[at]
        elif kind == "brace":
            toks.insert(at, draw(st.sampled_from(PUNCTUATION)) * draw(st.integers(1, 200)))
        elif kind == "literal":
            size = draw(st.sampled_from([1_000, 50_000, 400_000, 1_200_000]))
            quote = draw(st.sampled_from(['"', "'", '"""']))
            toks.insert(at, f" {quote}{'x' * size}{quote} ")
        elif kind == "junk":
            toks.insert(at, draw(st.text(min_size=1, max_size=30)))
        elif kind == "truncate":
            del toks[at:]
        elif kind == "bytes":
            raw_suffix += draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"]))
    return "".join(toks).encode("utf-8", errors="surrogatepass") + raw_suffix


def oracle_accepts(body: bytes) -> bool:
    """Does the engine's parser accept this text (on an empty store, so nothing runs long)?"""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if re.search(r"(?i)service", text):
        return True  # never run SERVICE here: it would reach out; the policy answers anyway
    try:
        pyoxigraph.Store().query(text)
    except SyntaxError:
        return False
    except Exception:  # an accepted query may still fail at evaluation: it parsed
        return True
    return True


def check_response(response: httpx.Response, body: bytes) -> None:
    assert response.status_code != 500, response.text[:500]
    assert response.status_code in {200, 400, 403, 413, 414, 503}, (
        response.status_code,
        response.text[:300],
    )
    if response.status_code >= 400:
        assert_error_shape(response)
        assert_no_leak(response.text)
    if len(body) > MAX_REQUEST_BYTES:
        assert response.status_code == 413, response.status_code
        return
    if not oracle_accepts(body):
        # The policy may refuse an update keyword before parsing; otherwise: the parser's 400.
        assert response.status_code in {400, 403}, (response.status_code, body[:200])
    elif response.status_code == 200:
        parsed = response.json() if "json" in response.headers["content-type"] else None
        assert parsed is None or "head" in parsed or "@context" in parsed or parsed is not None


@pytest.mark.slow
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(body=mutated_query())
def test_mutated_catalogue_queries_get_400_never_500(server: Server, body: bytes) -> None:
    response = httpx.post(
        server.base_url + "/sparql",
        content=body,
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json, application/ld+json;q=0.9",
        },
        timeout=30,  # the server's timeout is 2 s: 30 s without an answer is a hang
    )
    check_response(response, body)


@pytest.mark.slow
@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(body=mutated_query().filter(lambda b: len(b) < 4000))
def test_mutated_queries_by_get_and_form_post(server: Server, body: bytes) -> None:
    """The other two protocol bindings take the same path to the same answers."""
    text = body.decode("utf-8", errors="replace")
    get = httpx.get(
        server.base_url + "/sparql",
        params={"query": text},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    check_response(get, text.encode())
    form = httpx.post(
        server.base_url + "/sparql",
        data={"query": text},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    check_response(form, text.encode())


def test_a_syntax_error_names_its_position(server: Server) -> None:
    """Not only a 400: the body carries the parser's message with line and column."""
    response = httpx.post(
        server.base_url + "/sparql",
        content=b"SELECT * WHERE { ?s ?p ?o \n FILTER( }",
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    error = assert_error_shape(response, 400)
    message = json.dumps(error)
    assert re.search(r"\b2\b", message), f"no line/column in {message}"
