"""What the figures were measured on: machine, load, and the versions of everything involved."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "rcm-graph",
    "pyoxigraph",
    "oxigraph",
    "rdflib",
    "owlrl",
    "pyshacl",
    "reasonable",
    "pyshacl-turbo",
    "pyrudof",
    "fastapi",
    "starlette",
    "uvicorn",
    "uvloop",
    "httptools",
)


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def _git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        )
        return out.stdout.strip() or None
    except OSError:
        return None


def machine_info(root: Path, extra_versions: dict[str, str] | None = None) -> dict[str, object]:
    versions = {p: v for p in PACKAGES if (v := _version(p))}
    versions.update(extra_versions or {})
    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory_gib": _mem_total_gib(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "git_commit": _git_commit(root),
        "versions": versions,
    }
