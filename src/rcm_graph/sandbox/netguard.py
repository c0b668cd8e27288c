"""The network guarantee under the policy check: SPARQL evaluation cannot open an inet socket.

WHY: the policy (:mod:`rcm_graph.query.policy`) reads the query with a lexer of its own, and
pyoxigraph fetches ``SERVICE`` and ``LOAD`` IRIs over HTTP. Any difference between the two
readings was a server-side request forgery (issue 17: 13 of 17 spellings reached a listener).
So the processes that evaluate queries and updates are made unable to reach the network at
all, whatever the text says: a seccomp filter makes ``socket()`` fail with ``EPERM`` for every
address family except ``AF_UNIX`` (the pipes and socket pairs of ``multiprocessing`` to the
parent keep working), and ``io_uring_setup`` fail too (io_uring could open sockets without the
``socket`` system call). The filter is inherited by every thread and process created after it
and cannot be removed; it needs no privilege (``PR_SET_NO_NEW_PRIVS`` first) and no package.

With a SERVICE allow-list, evaluation must reach the listed endpoints, so the filter is not
installed: instead Landlock (Linux 6.7 and later, unprivileged) lets the processes open TCP
connections only to the listed endpoints' ports, and the policy's check of the decoded,
resolved IRI admits only the listed endpoints. Where Landlock is missing, one error line says
so and the policy is the only guard.

Where it applies: the query zygote (its forked workers inherit it; ``rcm_graph.query.local``),
the write child (``rcm_graph.writes.writer``), and the build's replay of the journal and the query
command's syntax check (:func:`run_guarded`: a thread of its own, so that a process that
must keep its network, such as a test runner building in-process, keeps it).

Architectures: x86_64 and aarch64 (the system call numbers and ``AUDIT_ARCH`` values are
below). A system call made under another ABI (x86_64's 32-bit or x32 calls) is refused. On
any other platform, or a kernel without seccomp, the guard logs one error line naming why and
the policy check remains the only guard.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import platform
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar
from urllib.parse import urlsplit

log = logging.getLogger("rcm_graph.sandbox.netguard")

T = TypeVar("T")

# <linux/audit.h>, and the numbers of socket, io_uring_setup and seccomp per architecture.
_ARCHES: dict[str, tuple[int, int, int, int]] = {
    #          AUDIT_ARCH   socket io_uring_setup seccomp
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}
_X32_SYSCALL_BIT = 0x40000000
_AF_UNIX = 1

# <linux/filter.h> classic BPF, <linux/seccomp.h>, <linux/prctl.h>
_BPF_LD_W_ABS = 0x20
_BPF_JEQ_K = 0x15
_BPF_JGE_K = 0x35
_BPF_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_EPERM = 0x00050000 | errno.EPERM
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0 = 0, 4, 16
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1

_GUARDED = threading.local()  # whether this thread already carries the filter
_logged: set[str] = set()


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _program(arch: int, nr_socket: int, nr_io_uring_setup: int) -> list[tuple[int, int, int, int]]:
    """The filter: allow everything but non-``AF_UNIX`` sockets, io_uring and foreign ABIs.

    Jump offsets count instructions after the jump: ``ALLOW`` is instruction 9, ``DENY`` 10.
    """
    return [
        (_BPF_LD_W_ABS, 0, 0, _OFFSET_ARCH),  # 0
        (_BPF_JEQ_K, 0, 8, arch),  # 1: another ABI -> DENY
        (_BPF_LD_W_ABS, 0, 0, _OFFSET_NR),  # 2
        (_BPF_JGE_K, 6, 0, _X32_SYSCALL_BIT),  # 3: x32 numbering -> DENY
        (_BPF_JEQ_K, 2, 0, nr_socket),  # 4: socket -> 7
        (_BPF_JEQ_K, 4, 0, nr_io_uring_setup),  # 5: io_uring -> DENY
        (_BPF_RET_K, 0, 0, _RET_ALLOW),  # 6
        (_BPF_LD_W_ABS, 0, 0, _OFFSET_ARG0),  # 7: the address family
        (_BPF_JEQ_K, 0, 1, _AF_UNIX),  # 8: AF_UNIX -> ALLOW, else DENY
        (_BPF_RET_K, 0, 0, _RET_ALLOW),  # 9: ALLOW
        (_BPF_RET_K, 0, 0, _RET_EPERM),  # 10: DENY
    ]


def _warn_once(message: str) -> None:
    if message not in _logged:
        _logged.add(message)
        log.error("%s", message)


def _install(*, whole_process: bool) -> str | None:
    """Install the filter; ``None`` when done, else why it could not be."""
    if not sys.platform.startswith("linux"):
        return f"no seccomp on {sys.platform}"
    machine = platform.machine()
    if machine not in _ARCHES or struct.pack("=I", 1) != struct.pack("<I", 1):
        return f"no seccomp filter for the {machine} architecture"
    arch, nr_socket, nr_io_uring, nr_seccomp = _ARCHES[machine]
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS) failed: errno {ctypes.get_errno()}"
    instructions = _program(arch, nr_socket, nr_io_uring)
    filters = (_SockFilter * len(instructions))(*(_SockFilter(*i) for i in instructions))
    prog = _SockFprog(len(instructions), filters)
    flags = _SECCOMP_FILTER_FLAG_TSYNC if whole_process else 0
    libc.syscall.restype = ctypes.c_long
    done = libc.syscall(
        ctypes.c_long(nr_seccomp),
        ctypes.c_uint(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_uint(flags),
        ctypes.byref(prog),
    )
    if done != 0:
        return f"seccomp(SECCOMP_SET_MODE_FILTER) failed: errno {ctypes.get_errno()}"
    return None


def deny_network(*, whole_process: bool = True) -> bool:
    """Make this process (or only this thread and what it starts) unable to open any socket
    but ``AF_UNIX``. Returns whether the filter is in place; logs one error line if not."""
    if getattr(_GUARDED, "on", False):
        return True
    problem = _install(whole_process=whole_process)
    if problem is not None:
        _warn_once(
            f"network guard not installed ({problem}): SPARQL evaluation is limited by the "
            "query policy only"
        )
        return False
    _GUARDED.on = True
    return True


def guard_evaluation(service_allowlist: Sequence[str]) -> bool:
    """At the start of a process that evaluates SPARQL: no network unless SERVICE is
    allow-listed; with a list, TCP connections only to the listed endpoints' ports (Landlock,
    where the kernel has it), the policy admitting only the listed IRIs. Returns whether an
    OS-level guard is in place."""
    if not service_allowlist:
        return deny_network(whole_process=True)
    ports = sorted({port for port in map(_port_of, service_allowlist) if port is not None})
    problem = _connect_only_to(ports)
    if problem is not None:
        _warn_once(
            f"network guard for the SERVICE allow-list not installed ({problem}): query "
            "processes may connect anywhere; the query policy admits only "
            + ", ".join(service_allowlist)
        )
        return False
    return True


def _port_of(iri: str) -> int | None:
    parts = urlsplit(iri)
    try:
        return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None


# <linux/landlock.h>: the system calls (the same numbers on every architecture since 5.13),
# the net rule type and access right (ABI 4, Linux 6.7).
_LANDLOCK_CREATE_RULESET, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_NET_PORT = 2
_LANDLOCK_ACCESS_NET_CONNECT_TCP = 1 << 1


def landlock_network_abi() -> int:
    """The kernel's Landlock ABI version (0: none); 4 and later can restrict TCP ports."""
    if not sys.platform.startswith("linux") or platform.machine() not in _ARCHES:
        return 0
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(
        ctypes.c_long(_LANDLOCK_CREATE_RULESET),
        None,
        ctypes.c_size_t(0),
        ctypes.c_uint(_LANDLOCK_CREATE_RULESET_VERSION),
    )
    return max(int(abi), 0)


def _connect_only_to(ports: Sequence[int]) -> str | None:
    """Allow this process (and its children) TCP connections to ``ports`` only; ``None`` when
    done, else why not. WHY ports and not hosts: that is what the kernel can enforce without
    privileges; the host is the policy's to check."""
    abi = landlock_network_abi()
    if abi < 4:
        return f"Landlock network rules need ABI 4 (Linux 6.7), this kernel has {abi}"
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.syscall.restype = ctypes.c_long
    ruleset_attr = struct.pack("=QQ", 0, _LANDLOCK_ACCESS_NET_CONNECT_TCP)
    fd = libc.syscall(
        ctypes.c_long(_LANDLOCK_CREATE_RULESET),
        ctypes.c_char_p(ruleset_attr),
        ctypes.c_size_t(len(ruleset_attr)),
        ctypes.c_uint(0),
    )
    if fd < 0:
        return f"landlock_create_ruleset failed: errno {ctypes.get_errno()}"
    try:
        for port in ports:
            rule = struct.pack("=QQ", _LANDLOCK_ACCESS_NET_CONNECT_TCP, port)
            if (
                libc.syscall(
                    ctypes.c_long(_LANDLOCK_ADD_RULE),
                    ctypes.c_int(fd),
                    ctypes.c_uint(_LANDLOCK_RULE_NET_PORT),
                    ctypes.c_char_p(rule),
                    ctypes.c_uint(0),
                )
                != 0
            ):
                return f"landlock_add_rule failed: errno {ctypes.get_errno()}"
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return f"prctl(PR_SET_NO_NEW_PRIVS) failed: errno {ctypes.get_errno()}"
        if libc.syscall(ctypes.c_long(_LANDLOCK_RESTRICT_SELF), ctypes.c_int(fd), 0) != 0:
            return f"landlock_restrict_self failed: errno {ctypes.get_errno()}"
    finally:
        os.close(fd)
    return None


def run_guarded(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` in a thread of its own that cannot open a network socket.

    WHY a thread: a seccomp filter installed without ``TSYNC`` binds only the calling thread
    and the threads it creates, so a process that needs its network elsewhere (a test runner
    or an application calling the build in-process) keeps it while the journal's updates, or
    a query text being syntax-checked, are evaluated here.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def body() -> None:
        try:
            deny_network(whole_process=False)
            outcome.append(function(*args))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=body, name="rcm-netguard", daemon=True)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return outcome[0]


__all__ = ["deny_network", "guard_evaluation", "landlock_network_abi", "run_guarded"]
