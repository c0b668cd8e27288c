"""Hostile query texts cost only their own request: a 120 KB text is answered within its time
limit while a cheap query stays fast, and nesting that crashed the engine is a 400.

Before issue 17, ``ASK { a.a.a… }`` of 120 KB took 71 s in the policy lexer (quadratic, in the
server process, outside the time limit), and 3,000 nested ``{}`` killed the query worker (503
"probably needed more memory").
"""

from __future__ import annotations

import concurrent.futures
import time

import httpx

from live_server import LiveServer

SIZE = 120 * 1024
PATHOLOGICAL = {
    "name run": "ASK { " + "a." * (SIZE // 2) + "a }",
    "unterminated strings": "ASK { ?s ?p " + "'\\'" * (SIZE // 3) + " }",
    "lone marks": "ASK { " + "?" * SIZE + " }",
    "angle runs": "ASK { " + "<a" * (SIZE // 2) + " }",
    "prefixed names": "ASK { " + "a:" * (SIZE // 2) + " }",
}


def _post(http: httpx.Client, server: LiveServer, text: str) -> tuple[int, float, str]:
    start = time.monotonic()
    response = http.post(
        server.endpoint,
        content=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query"},
    )
    return response.status_code, time.monotonic() - start, response.text[:200]


def test_pathological_texts_do_not_hold_up_a_cheap_query(
    server: LiveServer, http: httpx.Client
) -> None:
    limit = server.settings.query_timeout_s
    with concurrent.futures.ThreadPoolExecutor(len(PATHOLOGICAL) + 1) as pool:
        hostile = {
            name: pool.submit(_post, http, server, text) for name, text in PATHOLOGICAL.items()
        }
        time.sleep(0.05)
        cheap = pool.submit(_post, http, server, "ASK { ?s ?p ?o }")
        status, elapsed, body = cheap.result()
        assert status == 200 and "true" in body
        assert elapsed < 1.5, f"a cheap ASK took {elapsed:.2f} s"
        for name, future in hostile.items():
            status, elapsed, body = future.result()
            assert elapsed < limit, f"{name}: {elapsed:.1f} s against a {limit:g} s limit"
            assert 400 <= status < 500, f"{name}: {status} {body}"


def test_deep_nesting_is_a_400_with_a_message(server: LiveServer, http: httpx.Client) -> None:
    for text in (
        "ASK " + "{" * 3000 + "}" * 3000,
        "ASK { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
        "ASK { FILTER(" + "!" * 20000 + "true) }",
        "ASK { FILTER(" + " && ".join(["true"] * 20000) + ") }",
    ):
        status, _, body = _post(http, server, text)
        assert status == 400, body
        assert "nested" in body or "operators" in body, body
    # the server is fine afterwards
    status, _, body = _post(http, server, "ASK { ?s ?p ?o }")
    assert status == 200 and "true" in body
