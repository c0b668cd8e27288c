"""``die_with_parent(parent)``: have the kernel SIGKILL this process when its parent dies.

WHY: a process that runs work for a parent (a query worker, the query zygote, a build worker)
must not outlive it. Killed by SIGKILL, the parent cannot clean up; before this, a query worker
of a killed server went on running its query with no time limit (issue 17: 47 s and more
against a 5 s limit, up to 7 processes, 972 MiB).

Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere a no-op. Two caveats the callers handle:

- the parent may die before the request takes effect: the caller passes the parent's pid it
  expects, and the process exits at once if ``getppid()`` is already another one;
- "parent" is the *thread* that forked the process: when that thread ends, the signal is sent
  even though the parent process lives on. A caller that starts the process from a thread
  keeps that thread alive for as long as the process (see ``rcm_graph.query.local.builds``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Ask for SIGKILL when the parent (pid ``parent``) dies; exit now if it already has."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
