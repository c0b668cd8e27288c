"""``rcm-graph serve``: claim the address first, build if needed, then serve.

WHY the socket is bound here, before anything else: uvicorn binds only after the application
has started (query workers up), so a taken port used to be announced as "serving data on
http://127.0.0.1:8000/sparql", then fail with uvicorn's ``[Errno 98]`` and its own exit 3,
after a whole build when the data directory was empty. Binding first turns each way an address
can be unusable into one line that names the flag to change, exit
:data:`~rcm_graph.errors.EXIT_UNAVAILABLE`, before any work; the bound socket is then handed to
uvicorn, so nothing can take the port between the check and the serving, and the "serving"
line is logged only once the server accepts connections (:func:`rcm_graph.web.server.run_server`).
"""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path

from rcm_graph.errors import EXIT_BAD_INPUT, ConfigError, ListenError
from rcm_graph.settings import Settings, env_name
from rcm_graph.store.dataset import current_build_dir, load_dataset

BACKLOG = 2048  # uvicorn's default


def run_serve_command(settings: Settings, *, no_build: bool) -> int:
    """Bind, build when there is no dataset (unless ``no_build``), then serve until stopped."""
    sock = bind_listener(settings.host, settings.port)  # before the web stack's imports: fast
    try:
        if current_build_dir(settings.data_dir) is None:
            if no_build or settings.data_dir.is_file():
                load_dataset(settings.data_dir)  # raises: no dataset (how to build), or a file
            print(
                f"rcm-graph: no dataset in {settings.data_dir}: building it first", file=sys.stderr
            )
            from rcm_graph.cli.progress import build_progress
            from rcm_graph.pipeline import run_build

            code = run_build(
                settings,
                allow_invalid=False,
                full=False,
                target=None,
                progress=build_progress(sys.stderr),
            )
            if current_build_dir(settings.data_dir) is None:
                return code or EXIT_BAD_INPUT
        load_dataset(settings.data_dir, verify=False)  # a broken dataset: say so, do not serve
        from rcm_graph.cli.logs import access_formatter
        from rcm_graph.web.server import run_server

        listen(sock, settings.host, settings.port)
        return run_server(
            settings, sockets=[sock], access_formatter=access_formatter(settings.log_format)
        )
    finally:
        sock.close()


def bind_listener(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (not yet listening), or a one-line error.

    Bound but not listening, the port is ours while a build runs, and a client that connects
    meanwhile is refused at once instead of waiting in a queue nobody reads.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # as uvicorn does: a port left in TIME_WAIT by a server just stopped can be bound again
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise listen_error(exc, host, port) from None
    return sock


def listen(sock: socket.socket, host: str, port: int) -> None:
    """Start listening; a program that bound the same port meanwhile makes this fail."""
    try:
        sock.listen(BACKLOG)
    except OSError as exc:
        raise listen_error(exc, host, port) from None


def listen_error(exc: OSError, host: str, port: int) -> ConfigError | ListenError:
    """The error a user can act on for a failed bind or listen: what, and which setting."""
    port_hint = f"choose another with --port N or {env_name('port')}"
    host_hint = (
        f"use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface), "
        f"or set {env_name('host')}"
    )
    if isinstance(exc, socket.gaierror):
        return ConfigError(f"host {host!r} is not an address or a known name", hint=host_hint)
    if exc.errno == errno.EADDRINUSE:
        return ListenError(
            f"port {port} on {host} is in use (by another rcm-graph or another program)",
            hint=port_hint,
        )
    if exc.errno == errno.EACCES:
        first = first_unprivileged_port()
        return ListenError(
            f"permission denied to listen on port {port} of {host} "
            f"(ports below {first} need administrator rights)",
            hint=f"choose a port from {first} up with --port N or {env_name('port')}",
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return ListenError(f"{host} is not an address of this machine", hint=host_hint)
    if exc.errno == errno.EAFNOSUPPORT:
        return ListenError(
            f"this machine has no {'IPv6' if ':' in host else 'IPv4'}", hint=host_hint
        )
    reason = exc.strerror or str(exc)
    return ListenError(f"cannot listen on {host} port {port}: {reason}", hint=port_hint)


def first_unprivileged_port() -> int:
    """The lowest port anyone may listen on: 1024, unless Linux was told otherwise."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_unprivileged_port_start").read_text())
    except (OSError, ValueError):
        return 1024
