"""Issue 17, point 2: a Graph Store Protocol RDF/XML body cannot make the server expand DTD
entities without bound. Before the fix a 604-byte body grew the server to 3 GB and a 1.8 KB one
to 23.9 GB (the kernel killed it); here the server runs under an address-space cap, so before
the fix it dies on the first body instead of starving the machine."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from hardening_server import AUTH, EX, serve

pytestmark = pytest.mark.slow

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
GSP_TARGET = {"graph": EX + "graph/entity-test"}
CAP = 2560 * 1024 * 1024  # the server maps about 600 MiB at rest


def _laughs(levels: int) -> str:
    """ "Billion laughs": each level ten references to the one below; 10**levels characters."""
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(entities)}\n]>\n'
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/">\n'
        f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&l{levels};</ex:p>'
        "</rdf:Description>\n</rdf:RDF>\n"
    )


def _wide(references: int) -> str:
    """No nesting, but a 1000-character entity referenced many times."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY w "{"w" * 1000}"> ]>\n'
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/">\n'
        f'<rdf:Description rdf:about="http://example.org/s"><ex:p>{"&w;" * references}'
        "</ex:p></rdf:Description>\n</rdf:RDF>\n"
    )


PLAIN_ENTITIES = (  # the common, harmless use: namespaces as entities
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ex "http://example.org/"> ]>\n'
    f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="&ex;">\n'
    '<rdf:Description rdf:about="&ex;s"><ex:p>x</ex:p></rdf:Description>\n</rdf:RDF>\n'
)


def test_entity_bodies_get_400_fast_and_the_server_memory_does_not_grow(tmp_path: Path) -> None:
    with serve(tmp_path / "data", address_space_bytes=CAP) as server:
        before = server.status("VmHWM")
        for body, says in [
            (_laughs(9), "refers to other entities"),  # 1 GB once expanded, 570 bytes sent
            (_laughs(30), "refers to other entities"),
            (_wide(5_000), "would add 5000000 characters"),
            (
                _laughs(3).replace('"1.0"?>', '"1.0" encoding="UTF-16"?>'),
                "declares the encoding 'UTF-16'",
            ),
            (
                '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                f'<rdf:RDF xmlns:rdf="{RDF}"/>',
                "parameter or external entities",
            ),
        ]:
            started = time.monotonic()
            response = httpx.put(
                server.url + "/graph-store",
                params=GSP_TARGET,
                content=body.encode(),
                headers={**AUTH, "Content-Type": "application/rdf+xml"},
                timeout=30,
            )
            elapsed = time.monotonic() - started
            assert response.status_code == 400, response.text
            error = response.json()["error"]
            assert error["status"] == 400 and says in error["detail"], error
            assert error["where"] == "request body"
            assert elapsed < 2.0, elapsed
        assert server.proc.poll() is None  # alive, under its cap
        grown = server.status("VmHWM") - before
        assert grown < 64 * 1024 * 1024, f"peak RSS grew by {grown >> 20} MiB"
        # Plain entities still work, and within the bound a body is accepted.
        for body in (PLAIN_ENTITIES, _wide(100)):
            response = httpx.put(
                server.url + "/graph-store",
                params=GSP_TARGET,
                content=body.encode(),
                headers={**AUTH, "Content-Type": "application/rdf+xml"},
                timeout=60,
            )
            assert response.status_code in (201, 204), response.text
