"""Serving the app: binding the socket ourselves, watching the parent, stopping cleanly.

The sandbox binds its listening socket before uvicorn starts, so ``--port 0`` gets a free
port whose number can be announced (the harness waits for the ``listening on`` line), and a
port in use is reported as one clear line rather than a uvicorn traceback.

Event streams (the contact centre's chat, DMs and calls) never end on their own, and uvicorn
waits for open responses before it stops; ``before_shutdown`` ends them as shutdown begins, so
a stop takes a moment rather than the whole graceful timeout.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from sandbox.errors import PortInUseError, SandboxError

PARENT_POLL_SECONDS = 0.5


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind and listen on ``host:port`` (0: any free port).

    Raises:
        PortInUseError: another process listens there.
        SandboxError: the host cannot be resolved or bound.
    """
    try:
        candidates = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise SandboxError(f"cannot listen on {host!r}: {error.strerror}") from error
    # "localhost" may resolve to ::1 first; prefer IPv4, which every client tries.
    candidates.sort(key=lambda candidate: candidate[0] != socket.AF_INET)
    family, kind, proto, _, address = candidates[0]
    listener = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":  # on Windows this option would let two servers share a port
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as error:
        listener.close()
        if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise PortInUseError(
                f"port {port} on {host} is already in use; choose another --port, or --port 0 for a free one"
            ) from error
        raise SandboxError(f"cannot listen on {host} port {port}: {error.strerror}") from error
    listener.set_inheritable(True)
    return listener


def listening_url(listener: socket.socket) -> str:
    """The base URL a client on this machine uses, e.g. ``http://127.0.0.1:8123``.

    A wildcard address (``0.0.0.0``, ``::``) is announced as the loopback address, which is
    where the harness that started the sandbox reaches it.
    """
    host, port = listener.getsockname()[:2]
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def serve(
    app: Starlette,
    listener: socket.socket,
    *,
    parent_pid: int | None,
    stop_requested: threading.Event,
    before_shutdown: Callable[[], None] | None = None,
) -> None:
    """Serve until stopped: by SIGINT/SIGTERM, by ``stop_requested``, or by the parent's end.

    uvicorn handles SIGINT and SIGTERM itself while it runs; ``stop_requested`` covers a
    signal that arrives just before uvicorn has installed its handlers. ``before_shutdown``
    runs on the server's loop as shutdown begins (the app ends its event streams there).
    """
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5
    )
    server = _Server(config, before_shutdown)
    watch_for_stop(server, parent_pid=parent_pid, stop_requested=stop_requested)
    server.run(sockets=[listener])


class _Server(uvicorn.Server):
    """uvicorn's server, with a hook at the start of its shutdown."""

    def __init__(self, config: uvicorn.Config, before_shutdown: Callable[[], None] | None) -> None:
        super().__init__(config)
        self._before_shutdown = before_shutdown

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self._before_shutdown is not None:
            self._before_shutdown()
        await super().shutdown(sockets=sockets)


def watch_for_stop(
    server: uvicorn.Server, *, parent_pid: int | None, stop_requested: threading.Event
) -> threading.Thread:
    """Stop the server once asked to, or once ``parent_pid`` has gone.

    Checking the parent every half second is what keeps a crashed harness from leaving a
    sandbox running.
    """
    started_as_child = parent_pid is not None and os.getppid() == parent_pid

    def parent_is_gone() -> bool:
        if parent_pid is None:
            return False
        if started_as_child and os.getppid() != parent_pid:
            return True  # we were handed to another parent: ours has exited
        return not process_exists(parent_pid)

    def watch() -> None:
        while not stop_requested.wait(PARENT_POLL_SECONDS):
            if parent_is_gone():
                break
        server.should_exit = True

    watcher = threading.Thread(target=watch, name="sandbox-stop-watch", daemon=True)
    watcher.start()
    return watcher


def process_exists(pid: int) -> bool:
    """Whether a process is alive; one that exited but was not yet reaped counts as gone."""
    if sys.platform == "win32":
        import ctypes

        synchronize = 0x00100000
        handle = ctypes.windll.kernel32.OpenProcess(synchronize, False, pid)
        if not handle:
            return False
        still_running = ctypes.windll.kernel32.WaitForSingleObject(handle, 0) == 0x102
        ctypes.windll.kernel32.CloseHandle(handle)
        return bool(still_running)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is just not ours
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): trust the signal check
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state != "Z"
