"""Browsers a run does not launch per worker: a browser server given by address, or one Chromium
the run shares between its workers.

``--browser-endpoint`` names a browser that is already running: Playwright's own browser server
(``playwright run-server``, ``launchServer``, or a grid that speaks its protocol, at a
``ws://`` address) or a Chrome DevTools endpoint (``http://host:port``, or a
``ws://…/devtools/browser/…`` address, as browserless and Chromium's ``--remote-debugging-port``
give). Each journey still gets a browser context of its own there.

``--one-browser`` starts one Chromium for the whole run, with its DevTools endpoint on loopback,
and hands its address to every worker as if it had been given with ``--browser-endpoint``. A
journey at the company's real pace is almost all waiting, so a run holds many of them at once,
and a Chromium per worker is most of what each one costs (docs/benchmarks.md, "Journeys in
flight").
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from journeys.errors import BrowserNotFound, SetupError
from journeys.runner.browser import BrowserChoice, bundled_chromium

EndpointKind = Literal["playwright", "cdp"]
LISTENING = "DevTools listening on "
"""What Chromium writes on its standard error once its DevTools endpoint takes connections."""
START_TIMEOUT = 60.0
REACH_TIMEOUT = 10.0
# Flags Playwright gives a Chromium it launches, for pages that keep their pace while no
# window shows them; one Chromium holds every journey's pages at once here.
SHARED_FLAGS: tuple[str, ...] = (
    "--headless",
    "--remote-debugging-port=0",
    "--remote-debugging-address=127.0.0.1",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--mute-audio",
    "--hide-scrollbars",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-breakpad",
    "--password-store=basic",
    "--use-mock-keychain",
    "--disable-extensions",
    "--disable-component-extensions-with-background-pages",
    "--disable-back-forward-cache",
    "--disable-field-trial-config",
    "--no-startup-window",
)


def shown_endpoint(endpoint: str) -> str:
    """The address without what may be a credential (a query's token, a user's password)."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def endpoint_kind(endpoint: str) -> EndpointKind:
    """Which protocol an endpoint speaks, from its address.

    Raises:
        SetupError: not an address a browser server has (one line, with the forms it takes).
    """
    parts = urlsplit(endpoint)
    if parts.scheme in ("http", "https") and parts.hostname:
        return "cdp"
    if parts.scheme in ("ws", "wss") and parts.hostname:
        return "cdp" if parts.path.startswith("/devtools/") else "playwright"
    raise SetupError(
        f"--browser-endpoint {shown_endpoint(endpoint) or endpoint!r}: not a browser server's address; "
        "give ws://HOST:PORT/ (Playwright's browser server) or http://HOST:PORT "
        "(a Chrome DevTools endpoint)"
    )


def refuse_unreachable_endpoint(endpoint: str) -> None:
    """Refuse a browser server that does not take connections, before any journey tries it.

    Raises:
        SetupError: nothing listens at the endpoint's host and port.
    """
    endpoint_kind(endpoint)
    parts = urlsplit(endpoint)
    port = parts.port or (443 if parts.scheme in ("https", "wss") else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=REACH_TIMEOUT):
            pass
    except OSError as error:
        raise SetupError(
            f"--browser-endpoint {shown_endpoint(endpoint)}: no browser server answers there "
            f"({error.strerror or error}); start it first, or leave the option out to launch Chromium"
        ) from error


@dataclass
class SharedChromium:
    """One headless Chromium for a whole run, reached over DevTools on loopback.

    Started by the run's first process, stopped when the run ends; its profile lives in a
    temporary folder removed with it.
    """

    choice: BrowserChoice
    process: subprocess.Popen[str] | None = None
    endpoint: str = ""
    profile_dir: Path | None = None

    def start(self) -> str:
        """Launch it and wait for its DevTools address.

        Raises:
            BrowserNotFound: no Chromium to launch.
            SetupError: it exited, or gave no address in time (its last line is said).
        """
        executable = self.choice.executable or bundled_chromium()
        if not executable:
            raise BrowserNotFound("--one-browser: no Chromium executable to launch")
        self.profile_dir = Path(tempfile.mkdtemp(prefix="mystery-shopper-chromium-"))
        given = self.choice.launch_args().get("args")
        flags = [str(flag) for flag in given] if isinstance(given, list) else []
        command = [executable, *flags, *SHARED_FLAGS, f"--user-data-dir={self.profile_dir}"]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        found: list[str] = []
        said: list[str] = []
        ready = threading.Event()

        def read_errors() -> None:
            assert self.process is not None and self.process.stderr is not None
            for line in self.process.stderr:
                if not ready.is_set():
                    said.append(line.strip())
                    if line.startswith(LISTENING):
                        found.append(line[len(LISTENING) :].strip())
                        ready.set()
            ready.set()  # it closed its standard error: it has exited

        threading.Thread(target=read_errors, name="shared-chromium-stderr", daemon=True).start()
        if not ready.wait(START_TIMEOUT) or not found:
            last = next((line for line in reversed(said) if line), "nothing")
            self.stop()
            raise SetupError(f"--one-browser: Chromium did not start ({executable} said: {last[:200]})")
        self.endpoint = found[0]
        return self.endpoint

    def stop(self) -> None:
        """Stop the browser and everything it started; remove its profile."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if self.profile_dir is not None:
            shutil.rmtree(self.profile_dir, ignore_errors=True)
            self.profile_dir = None
