"""No spelling of a SERVICE, LOAD, FROM or ``file:`` IRI makes the real server connect out.

Every probe of :func:`security_support.probes` (issue 17: 13 of 17 spellings reached a
listener before the fix) is sent to the server; the listener on a second loopback port must see
no connection, and the answer must be a 4xx in the one error shape, never a 500. A hypothesis
test then generates further spellings of the listener's IRI: escapes of any character in
either form and case, keyword case, SILENT, comments, and the IRI split between a PREFIX or a
BASE and the reference that uses it.
"""

from __future__ import annotations

import contextlib
import json

import httpx
import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_support import TOKEN, Listener, Probe, escaped, probes

from live_server import LiveServer

# The probes are built for a placeholder port, then re-aimed at the listener's.
_PLACEHOLDER = 1


def _send(http: httpx.Client, server: LiveServer, probe: Probe) -> httpx.Response:
    if probe.kind == "query":
        return http.get(server.endpoint, params=[("query", probe.text), *probe.params])
    return http.post(
        server.endpoint,
        data={"update": probe.text},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


def _assert_refused(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, response.text
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "detail", "where", "hint"}


@pytest.mark.parametrize("name", [p.name for p in probes(_PLACEHOLDER)])
def test_no_probe_reaches_the_listener(
    name: str, server: LiveServer, listener: Listener, http: httpx.Client
) -> None:
    probe = next(p for p in probes(listener.port) if p.name == name)
    before = listener.settled_count(0)
    response = _send(http, server, probe)
    _assert_refused(response)
    assert listener.settled_count(0.05) == before, f"{name} reached the listener"


_ESCAPE_FORMS = st.sampled_from(["plain", "u", "U", "u-upper", "U-upper"])


def _forms(length: int) -> st.SearchStrategy[list[str]]:
    return st.lists(_ESCAPE_FORMS, min_size=length, max_size=length)


def _spell(iri: str, forms: list[str]) -> str:
    out = []
    for char, form in zip(iri, forms, strict=True):
        if form == "plain":
            out.append(char)
        else:
            out.append(escaped(char, [0], long=form[0] == "U", upper=form.endswith("upper")))
    return "".join(out)


@st.composite
def service_spellings(draw: st.DrawFn, url: str) -> str:
    """A query whose SERVICE names ``url``, spelled one of many ways the engine accepts."""
    keyword = draw(st.sampled_from(["SERVICE", "service", "SeRvIcE"]))
    silent = draw(st.sampled_from(["", "SILENT ", "silent "]))
    gap = draw(st.sampled_from([" ", "\n", "\t", " # comment\n", ""]))
    split = draw(st.integers(min_value=len("http://") + 1, max_value=len(url) - 1))
    forms = draw(_forms(len(url)))
    spelled = _spell(url, forms)
    # Where a character boundary falls in the spelled text.
    cut = len(_spell(url[:split], forms[:split]))
    how = draw(st.sampled_from(["iri", "prefix", "base"]))
    if how == "iri":
        prologue, target = "", f"<{spelled}>"
    elif how == "prefix":
        local = url[split:]
        if local.isalnum():  # a local name may not hold '/' or ':'
            prologue, target = f"PREFIX p: <{spelled[:cut]}>\n", f"p:{local}"
        else:
            prologue, target = f"PREFIX p: <{spelled}>\n", "p:"
    else:
        path_at = url.index("/", len("http://"))
        base, reference = draw(
            st.sampled_from(
                [
                    (url[: path_at + 1], url[path_at + 1 :]),
                    (url[: path_at + 1] + "a/b", "../" + url[path_at + 1 :]),
                    ("http://example.org/", "//" + url[len("http://") :]),
                ]
            )
        )
        spelled_base = _spell(base, draw(_forms(len(base))))
        spelled_ref = _spell(reference, draw(_forms(len(reference))))
        prologue, target = f"BASE <{spelled_base}>\n", f"<{spelled_ref}>"
    where = draw(
        st.sampled_from(
            [
                "{ %s }",
                "{ FILTER EXISTS { %s } }",
                "{ { SELECT * { %s } } }",
                "{ OPTIONAL { %s } }",
            ]
        )
    )
    pattern = f"{keyword}{gap if gap else ' '}{silent}{target} {{ ?s ?p ?o }}"
    return f"{prologue}SELECT * WHERE " + where % pattern


def _evaluate_unguarded(query: str) -> None:
    """The spelling is real: the engine itself, with no policy and no guard (in this test
    process), connects to the listener. (An error inside FILTER EXISTS or under SILENT is
    swallowed by the engine; the listener's count is what tells.)"""
    with contextlib.suppress(OSError):
        result = pyoxigraph.Store().query(query)
        if not isinstance(result, pyoxigraph.QueryBoolean):
            list(result)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_generated_spellings_never_connect(
    data: st.DataObject, server: LiveServer, listener: Listener, http: httpx.Client
) -> None:
    query = data.draw(service_spellings(listener.url))
    before = listener.settled_count(0)
    _evaluate_unguarded(query)
    reached = listener.settled_count(0.01)
    assert reached > before, f"not a spelling the engine follows: {query}"
    before = reached
    response = http.get(server.endpoint, params={"query": query})
    _assert_refused(response)
    assert listener.settled_count(0.01) == before, query


def test_the_listener_counts_connections(listener: Listener) -> None:
    """The suite's instrument works: a direct connection is counted."""
    import socket

    before = listener.settled_count(0)
    socket.create_connection(("127.0.0.1", listener.port), timeout=5).close()
    assert listener.settled_count() == before + 1
