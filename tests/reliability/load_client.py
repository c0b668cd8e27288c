"""A bounded asyncio load client for the SPARQL endpoint: N concurrent clients, a fixed mix of
cheap, medium and expensive queries, for a bounded time and a bounded number of requests.

It only talks to loopback addresses (it refuses any other host) and stops by itself. Used by
``tests/reliability/test_load.py`` (short, in CI) and ``scripts/load-test`` (minutes):

    python tests/reliability/load_client.py --url http://127.0.0.1:8000 --clients 48 \\
        --duration 180 --json load.json

Every answer is classified by the query's kind and the status it got; latencies are wall-clock
from send to last byte. The JSON report holds counts, statuses, transport errors and latency
percentiles per kind.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

# Cheap: answered from indexes in milliseconds. Medium: a scan with a group-by. Expensive: a
# three-way cross product of the whole dataset, which no time limit of a few seconds survives.
QUERIES: dict[str, list[str]] = {
    "cheap": [
        "ASK { ?s ?p ?o }",
        "SELECT ?s ?t WHERE { ?s a ?t } LIMIT 10",
        "SELECT ?g WHERE { GRAPH ?g { ?s a ?t } } LIMIT 5",
    ],
    "medium": [
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
        "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t",
    ],
    "expensive": [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) } ORDER BY ?a",
    ],
}
DEFAULT_WEIGHTS = {"cheap": 0.75, "medium": 0.2, "expensive": 0.05}
ACCEPT = "application/sparql-results+json"


@dataclass
class KindStats:
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    # The server's own time for the query (X-RCM-Elapsed-Ms: waiting for a worker + running),
    # which excludes the HTTP layer and the client's own scheduling delays.
    backend_ms: list[float] = field(default_factory=list)
    bad_bodies: int = 0

    def summary(self) -> dict[str, object]:
        lat = sorted(self.latencies_ms)
        return {
            "requests": sum(self.statuses.values()) + sum(self.errors.values()),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "transport_errors": dict(self.errors),
            "bad_bodies": self.bad_bodies,
            "p50_ms": percentile(lat, 50),
            "p95_ms": percentile(lat, 95),
            "p99_ms": percentile(lat, 99),
            "max_ms": lat[-1] if lat else None,
            "backend_p50_ms": percentile(sorted(self.backend_ms), 50),
            "backend_p99_ms": percentile(sorted(self.backend_ms), 99),
        }


@dataclass
class LoadReport:
    clients: int
    duration_s: float
    kinds: dict[str, KindStats] = field(default_factory=dict)
    timeline: list[tuple[float, str, int | str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(k.statuses.values()) + sum(k.errors.values()) for k in self.kinds.values())

    def as_json(self) -> dict[str, object]:
        return {
            "clients": self.clients,
            "duration_s": round(self.duration_s, 2),
            "requests": self.total,
            "requests_per_s": round(self.total / self.duration_s, 1) if self.duration_s else 0,
            "kinds": {name: stats.summary() for name, stats in self.kinds.items()},
        }


def percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    rank = max(0, math.ceil(q / 100 * len(sorted_values)) - 1)
    return round(sorted_values[rank], 1)


def check_loopback(url: str) -> None:
    """Refuse any target that is not on this machine's loopback."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"load_client: refusing non-loopback target {host!r}")


def _valid_json_results(body: bytes) -> bool:
    try:
        parsed = json.loads(body)
    except ValueError:
        return False
    return isinstance(parsed, dict) and ("results" in parsed or "boolean" in parsed)


async def _client(
    client: httpx.AsyncClient,
    url: str,
    report: LoadReport,
    rng: random.Random,
    weights: dict[str, float],
    stop_at: float,
    budget: list[int],
    started: float,
    record_timeline: bool,
) -> None:
    kinds = list(weights)
    cumulative = list(weights.values())
    while time.monotonic() < stop_at and budget[0] > 0:
        budget[0] -= 1
        kind = rng.choices(kinds, weights=cumulative)[0]
        query = rng.choice(QUERIES[kind])
        stats = report.kinds.setdefault(kind, KindStats())
        t0 = time.monotonic()
        try:
            response = await client.post(
                url,
                content=query.encode(),
                headers={"Content-Type": "application/sparql-query", "Accept": ACCEPT},
            )
        except httpx.HTTPError as exc:
            stats.errors[type(exc).__name__] += 1
            if record_timeline:  # when the answer (or the failure) came, not when it was sent
                report.timeline.append((time.monotonic() - started, kind, type(exc).__name__))
            await asyncio.sleep(0.05)  # do not spin on a refused connection
            continue
        stats.latencies_ms.append((time.monotonic() - t0) * 1000)
        stats.statuses[response.status_code] += 1
        elapsed = response.headers.get("x-rcm-elapsed-ms")
        if elapsed:
            stats.backend_ms.append(float(elapsed))
        if record_timeline:
            report.timeline.append((time.monotonic() - started, kind, response.status_code))
        if response.status_code == 200 and not _valid_json_results(response.content):
            stats.bad_bodies += 1


async def run_load(
    base_url: str,
    *,
    clients: int = 32,
    duration_s: float = 20.0,
    max_requests: int = 200_000,
    weights: dict[str, float] | None = None,
    request_timeout_s: float = 60.0,
    seed: int = 1,
    record_timeline: bool = False,
) -> LoadReport:
    """Run ``clients`` concurrent loops until ``duration_s`` or ``max_requests`` runs out."""
    check_loopback(base_url)
    if not 1 <= clients <= 256 or not 0 < duration_s <= 3600:
        raise ValueError("clients must be 1..256 and duration 0..3600 s")
    weights = weights or DEFAULT_WEIGHTS
    report = LoadReport(clients=clients, duration_s=0.0)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    timeout = httpx.Timeout(request_timeout_s)
    started = time.monotonic()
    stop_at = started + duration_s
    budget = [max_requests]
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        await asyncio.gather(
            *(
                _client(
                    client,
                    base_url.rstrip("/") + "/sparql",
                    report,
                    random.Random(seed * 1000 + i),
                    weights,
                    stop_at,
                    budget,
                    started,
                    record_timeline,
                )
                for i in range(clients)
            )
        )
    report.duration_s = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="server root on loopback")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds (max 3600)")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--expensive", type=float, default=DEFAULT_WEIGHTS["expensive"])
    parser.add_argument("--json", metavar="FILE", help="write the report here")
    args = parser.parse_args(argv)
    weights = dict(DEFAULT_WEIGHTS, expensive=args.expensive)
    report = asyncio.run(
        run_load(
            args.url,
            clients=args.clients,
            duration_s=args.duration,
            max_requests=args.max_requests,
            weights=weights,
        )
    )
    text = json.dumps(report.as_json(), indent=2)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:  # noqa: PTH123
            fh.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
