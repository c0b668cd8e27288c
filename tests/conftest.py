"""Top-level conftest: its presence puts ``tests/`` on ``sys.path`` (pytest's prepend import
mode), so every test folder can import the shared helpers in :mod:`live_server` and
:mod:`browser_support` instead of keeping its own copy.

It also says how ``scripts/test`` spreads the suite over two pytest-xdist workers
(``-n 2 --dist loadfile``): WHY two workers, on a 2-core CI machine, is that most tests wait on
something else (a server, a build subprocess, Chromium), so the serial run left a core idle
much of its 15 minutes. Two rules keep that from costing coverage or time:

- *units*: a file's tests stay together in one worker (module-scoped servers and builds run
  once, as in a serial run), and the folders in :data:`SHARED_BUILD_FOLDERS` go whole to one
  worker, because their tests share one session-scoped build that two workers would each make;
- *order*: the units that hold ``slow`` or ``browser`` tests are handed out first, so that a
  long unit never starts last while the other worker sits idle.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

# Folders whose tests share one costly session-scoped build: tests/reliability's
# ``built_data_dir`` and tests/queries' ``bundled_build``.
SHARED_BUILD_FOLDERS = ("tests/reliability/", "tests/queries/")
# Marks of tests that take seconds each: their units start first.
HEAVY_MARKS = ("slow", "browser")


def unit_of(nodeid: str) -> str:
    """The xdist work unit of a test: its file, or its folder if that shares a build."""
    path = nodeid.split("::", 1)[0]
    for folder in SHARED_BUILD_FOLDERS:
        if path.startswith(folder):
            return folder
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In an xdist worker, put the units that hold ``slow`` or ``browser`` tests first (the
    shared-build folders before all, they are the largest), keeping every unit's tests in
    their own order; the scheduler hands units out in this order (``--no-loadscope-reorder``).
    A plain run keeps pytest's order."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    heavy = {unit_of(i.nodeid) for i in items if any(map(i.get_closest_marker, HEAVY_MARKS))}
    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        first_seen.setdefault(unit_of(item.nodeid), index)

    def rank(item: pytest.Item) -> tuple[int, int]:
        unit = unit_of(item.nodeid)
        return (0 if unit in SHARED_BUILD_FOLDERS else 1 if unit in heavy else 2), first_seen[unit]

    items.sort(key=rank)


try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # pytest-xdist comes with the test extra; a plain run needs no scheduler
    pass
else:

    class UnitScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """``--dist loadfile`` with the shared-build folders as one unit each."""

        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
        if config.getvalue("dist") == "loadfile":
            return UnitScheduling(config, log)
        return None
