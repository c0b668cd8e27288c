"""The adversarial probes of issue 17, and a loopback listener that counts who reaches it.

Imported by name (``from security_support import ...``). Every probe names the listener's
endpoint in a different spelling the engine (pyoxigraph) would decode to the same place: escapes
in every position of the IRI, escaped prefixes and BASE, relative references, keywords run
together with their IRI, other host forms, ``file:`` IRIs. The suite asserts that the listener
sees no connection and the answer is a 4xx in the one error shape (never 500).

WHY a plain socket server: it counts TCP connections, whatever arrives on them (an HTTP POST
of pyoxigraph, a TLS hello after an ``https:`` resolution), so "no connection" means no
connection, not "no well-formed request".
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TOKEN = "s3cret-write-token"


class Listener:
    """TCP listeners on 127.0.0.1 and (when the host has IPv6) ::1, on one port, counting
    accepted connections."""

    def __init__(self) -> None:
        self.count = 0
        self.sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.port = self._bind()
        for sock in self.sockets:
            threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def _bind(self) -> int:
        for _ in range(20):
            v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            v4.bind(("127.0.0.1", 0))
            port = int(v4.getsockname()[1])
            try:
                v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                v6.bind(("::1", port))
            except OSError:
                with contextlib.suppress(Exception):
                    v6.close()
                if not socket.has_ipv6:
                    self.sockets = [v4]
                    break
                v4.close()
                continue
            self.sockets = [v4, v6]
            break
        else:  # no IPv6 loopback on this host: IPv4 only
            v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            v4.bind(("127.0.0.1", 0))
            self.sockets = [v4]
        for sock in self.sockets:
            sock.listen(64)
        return int(self.sockets[0].getsockname()[1])

    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with self._lock:
                self.count += 1
            conn.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def settled_count(self, wait_s: float = 0.2) -> int:
        """The count after a short wait (an accept may still be in flight)."""
        time.sleep(wait_s)
        with self._lock:
            return self.count

    def close(self) -> None:
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()


@dataclass(frozen=True)
class Probe:
    """One hostile request: a query (``query=``), an update (``update=``, with the token), and
    protocol parameters."""

    name: str
    kind: str  # "query" | "update"
    text: str
    params: tuple[tuple[str, str], ...] = field(default=())


def _escape(char: str, *, long: bool = False, upper: bool = False) -> str:
    code = f"{ord(char):08X}" if long else f"{ord(char):04X}"
    code = code if upper else code.lower()
    return ("\\U" if long else "\\u") + code


def escaped(
    iri: str, positions: range | list[int], *, long: bool = False, upper: bool = False
) -> str:
    """``iri`` with the characters at ``positions`` written as SPARQL codepoint escapes."""
    chosen = set(positions)
    return "".join(
        _escape(c, long=long, upper=upper) if i in chosen else c for i, c in enumerate(iri)
    )


def probes(port: int) -> list[Probe]:
    """Every spelling of issue 17, aimed at ``port`` on the loopback."""
    url = f"http://127.0.0.1:{port}/sparql"
    host_at = url.index("127")
    port_at = url.index(str(port))
    path_at = url.index("/sparql") + 1
    group = "{ ?s ?p ?o }"

    def svc(iri_text: str, prologue: str = "", silent: str = "") -> str:
        return f"{prologue}SELECT * WHERE {{ SERVICE {silent}{iri_text} {group} }}"

    out = [
        Probe("plain", "query", svc(f"<{url}>")),
        Probe("path \\u lower", "query", svc(f"<{escaped(url, [path_at])}>")),
        Probe(
            "path \\U upper", "query", svc(f"<{escaped(url, [path_at], long=True, upper=True)}>")
        ),
        Probe("path \\U lower", "query", svc(f"<{escaped(url, [path_at], long=True)}>")),
        Probe("scheme \\u", "query", svc(f"<{escaped(url, [0])}>")),
        Probe("colon \\u003A", "query", svc(f"<{escaped(url, [4], upper=True)}>")),
        Probe("slashes \\u002f", "query", svc(f"<{escaped(url, [5, 6])}>")),
        Probe("host \\u", "query", svc(f"<{escaped(url, range(host_at, host_at + 3))}>")),
        Probe("port \\U", "query", svc(f"<{escaped(url, [port_at], long=True)}>")),
        Probe("every char \\u", "query", svc(f"<{escaped(url, range(len(url)))}>")),
        Probe(
            "escaped PREFIX",
            "query",
            svc("e:sparql", f"PREFIX e: <{escaped(url[:path_at], [2, host_at])}>\n"),
        ),
        Probe(
            "empty PREFIX, run together",
            "query",
            f"PREFIX : <{url[:path_at]}> ASK {{ SERVICE:sparql {{}} }}",
        ),
        Probe("BASE + relative", "query", svc("<sparql>", f"BASE <{url[:path_at]}>\n")),
        Probe(
            "escaped BASE + ../",
            "query",
            svc("<../\\u0073parql>", f"BASE <{escaped(url[:path_at], [0])}x/>\n"),
        ),
        Probe("network-path relative", "query", svc(f"<//127.0.0.1:{port}/sparql>")),
        Probe("SERVICE SILENT", "query", svc(f"<{escaped(url, [path_at])}>", silent="SILENT ")),
        Probe(
            "service silent, lower case",
            "query",
            f"select * {{ service silent <{escaped(url, [path_at])}> {group} }}",
        ),
        Probe("SERVICE<iri> no spaces", "query", f"ASK{{SERVICE<{url}>{{}}}}"),
        Probe("SERVICESILENT run together", "query", f"ASK {{ SERVICESILENT<{url}> {{}} }}"),
        Probe("trueSERVICE run together", "query", f"ASK {{ ?s ?p trueSERVICE <{url}> {{}} }}"),
        Probe("comment between", "query", f"ASK {{ SERVICE # x\n <{url}> {{}} }}"),
        Probe(
            "IRI-or-comparison",
            "query",
            f"ASK {{ FILTER(?a<'x>') SERVICE <{url}> {{}} FILTER('a' = 'b') }}",
        ),
        Probe(
            "SERVICE ?var VALUES",
            "query",
            f"SELECT * {{ VALUES ?e {{ <{escaped(url, [path_at])}> }} SERVICE ?e {group} }}",
        ),
        Probe(
            "SERVICE ?var BIND",
            "query",
            f'SELECT * {{ BIND(IRI("{url}") AS ?e) SERVICE ?e {group} }}',
        ),
        Probe(
            "FILTER EXISTS",
            "query",
            f"ASK {{ FILTER EXISTS {{ SERVICE <{escaped(url, [path_at])}> {group} }} }}",
        ),
        Probe(
            "FILTER NOT EXISTS",
            "query",
            f"ASK {{ FILTER NOT EXISTS {{ SERVICE SILENT <{url}> {group} }} }}",
        ),
        Probe(
            "subquery",
            "query",
            f"SELECT * {{ {{ SELECT * {{ SERVICE <{escaped(url, [path_at])}> {group} }} }} }}",
        ),
        Probe("OPTIONAL", "query", f"SELECT * {{ OPTIONAL {{ SERVICE <{url}> {group} }} }}"),
        Probe("hex host", "query", svc(f"<http://0x7f000001:{port}/sparql>")),
        Probe("decimal host", "query", svc(f"<http://2130706433:{port}/sparql>")),
        Probe("IPv6 host", "query", svc(f"<http://[::1]:{port}/sparql>")),
        Probe("IPv4-mapped IPv6", "query", svc(f"<http://[::ffff:127.0.0.1]:{port}/sparql>")),
        Probe("localhost", "query", svc(f"<http://localhost:{port}/sparql>")),
        Probe("FROM escaped", "query", f"SELECT * FROM <{escaped(url, [path_at])}> {group}"),
        Probe(
            "FROM NAMED escaped",
            "query",
            f"SELECT * FROM NAMED <{escaped(url, [path_at], long=True)}> {{ GRAPH ?g {group} }}",
        ),
        Probe("default-graph-uri", "query", "ASK {}", (("default-graph-uri", url),)),
        Probe(
            "default-graph-uri escaped",
            "query",
            "ASK {}",
            (("default-graph-uri", escaped(url, [path_at])),),
        ),
        Probe(
            "named-graph-uri escaped",
            "query",
            "ASK {}",
            (("named-graph-uri", escaped(url, [path_at], long=True)),),
        ),
        Probe("file: SERVICE", "query", svc("<file:///etc/passwd>")),
        Probe("file: escaped", "query", "ASK { <\\u0066ile:///etc/passwd> ?p ?o }"),
        Probe("file: FROM", "query", "SELECT * FROM <FILE:///etc/passwd> { ?s ?p ?o }"),
        Probe("file: BASE", "query", "BASE <file:///etc/> SELECT * FROM <passwd> { ?s ?p ?o }"),
        Probe(
            "file: default-graph-uri",
            "query",
            "ASK {}",
            (("default-graph-uri", "fIlE:///etc/passwd"),),
        ),
        Probe("update LOAD", "update", f"LOAD <{url}>"),
        Probe("update LOAD escaped", "update", f"LOAD SILENT <{escaped(url, [path_at])}>"),
        Probe("update LOAD run together", "update", f"LOADSILENT<{url}>"),
        Probe(
            "update SERVICE escaped",
            "update",
            "INSERT { ?s ?p ?o } WHERE "
            f"{{ SERVICE <{escaped(url, [path_at], long=True)}> {group} }}",
        ),
        Probe(
            "update SERVICE:x",
            "update",
            f"PREFIX : <{url[:path_at]}> INSERT {{ <urn:x:a> <urn:x:b> ?o }} "
            "WHERE { SERVICE:sparql { ?s ?p ?o } }",
        ),
        Probe(
            "update USING escaped",
            "update",
            f"INSERT {{ <urn:x:a> <urn:x:b> ?o }} USING <{escaped(url, [path_at])}> "
            f"WHERE {{ SERVICE <{url}> {group} }}",
        ),
        Probe(
            "update WITH escaped",
            "update",
            f"WITH <{escaped(url, [path_at])}> DELETE {{ ?s ?p ?o }} "
            f"WHERE {{ SERVICE SILENT <{escaped(url, [0])}> {group} }}",
        ),
        Probe("update file: LOAD", "update", "LOAD <file:///etc/passwd>"),
    ]
    return out


__all__ = ["TOKEN", "Listener", "Probe", "escaped", "probes"]


def cli_build(corpus: Path, data: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """``rcm-graph build`` in a child process, with the machine's ``RCM_GRAPH_*`` variables
    removed and ``settings`` (``RCM_GRAPH_…`` names) set: what a person's build would do, with
    a bound on its time (a blocking read of a FIFO would otherwise hang the suite)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCM_GRAPH_")} | settings
    argv = [sys.executable, "-m", "rcm_graph", "build", "--corpus", str(corpus)]
    return subprocess.run(
        [*argv, "--data-dir", str(data)], capture_output=True, text=True, timeout=300, env=env
    )
