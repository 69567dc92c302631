"""The command line as the harness uses it: a subprocess announcing its URL on stdout.

Every process started here is stopped by the ``run_sandbox`` fixture, even when a test fails.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"listening on (?P<url>http://\S+)")  # the harness's own pattern
STARTUP_TIMEOUT = 20.0


class Sandbox:
    """A running ``python -m sandbox`` and what it said."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.first_line = _read_line(process, STARTUP_TIMEOUT)

    @property
    def url(self) -> str:
        match = READY.search(self.first_line)
        assert match, f"no listening line, got {self.first_line!r}: {self.stderr()}"
        return match.group("url")

    def stderr(self) -> str:
        if self.process.poll() is None:
            return ""
        assert self.process.stderr is not None
        return self.process.stderr.read()


RunSandbox = Callable[..., Sandbox]
"""The ``run_sandbox`` fixture: ``run_sandbox("--profile", "advocate")``."""


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The first stdout line, or '' if the process ends (or says nothing) in time."""
    lines: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""


@pytest.fixture
def run_sandbox(tmp_path: Path) -> Iterator[RunSandbox]:
    """Start sandboxes (temporary files under ``tmp_path``) and stop them all afterwards."""
    started: list[subprocess.Popen[str]] = []

    def run(*arguments: str) -> Sandbox:
        env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--port", "0", *arguments],
            cwd=REPO_ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return Sandbox(process)

    yield run
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_it_announces_its_url_and_serves(run_sandbox: RunSandbox, tmp_path: Path) -> None:
    sandbox = run_sandbox("--profile", "advocate", "--parent-pid", str(os.getpid()))
    assert re.fullmatch(r"sandbox listening on http://127\.0\.0\.1:\d+\n", sandbox.first_line)
    assert httpx.get(f"{sandbox.url}/healthz").text == "ok"
    home = httpx.get(f"{sandbox.url}/")
    assert home.status_code == 200 and "Blender 3000" in home.text
    profile = httpx.get(f"{sandbox.url}/__sandbox__/profile").json()
    assert profile["name"] == "advocate"
    (scratch,) = tmp_path.iterdir()  # its temporary database's folder
    assert scratch.name.startswith("sandbox-")
    time.sleep(0.7)  # longer than one look at the parent: a living parent keeps it running
    assert sandbox.process.poll() is None


def test_sigterm_stops_it_cleanly_and_removes_the_temporary_database(
    run_sandbox: RunSandbox, tmp_path: Path
) -> None:
    sandbox = run_sandbox("--time-scale", "0.01")
    assert httpx.get(f"{sandbox.url}/healthz").status_code == 200
    sandbox.process.send_signal(signal.SIGTERM)
    assert sandbox.process.wait(10) == 0
    assert "Traceback" not in sandbox.stderr()
    assert list(tmp_path.iterdir()) == []


def test_a_db_file_is_kept_and_reused(run_sandbox: RunSandbox, tmp_path: Path) -> None:
    db_path = tmp_path / "kept.sqlite3"
    sandbox = run_sandbox("--db", str(db_path), "--seed", "3")
    assert httpx.get(f"{sandbox.url}/healthz").status_code == 200
    sandbox.process.terminate()
    assert sandbox.process.wait(10) == 0
    assert db_path.is_file()
    again = run_sandbox("--db", str(db_path))
    assert "Kettle Pro" in httpx.get(f"{again.url}/").text


def test_the_storefront_option_chooses_the_web_shops_style(run_sandbox: RunSandbox) -> None:
    steps = run_sandbox("--storefront", "steps")
    classic = run_sandbox()
    assert httpx.get(f"{steps.url}/basket/").status_code == 200
    assert httpx.get(f"{steps.url}/cart").status_code == 404
    assert httpx.get(f"{classic.url}/cart").status_code == 200
    assert httpx.get(f"{classic.url}/basket/").status_code == 404


def test_it_stops_by_itself_when_its_parent_is_gone(run_sandbox: RunSandbox) -> None:
    parent = subprocess.Popen([sys.executable, "-c", "pass"])
    parent.wait()
    sandbox = run_sandbox("--parent-pid", str(parent.pid))
    assert sandbox.url
    assert sandbox.process.wait(10) == 0


def test_an_unknown_profile_is_one_line_and_exit_code_2(run_sandbox: RunSandbox) -> None:
    sandbox = run_sandbox("--profile", "x")
    assert sandbox.process.wait(10) == 2
    assert sandbox.first_line == ""
    assert sandbox.stderr() == (
        "sandbox: unknown service profile 'x' (known: advocate, purgatory, typical)\n"
    )


def test_a_malformed_profile_file_names_the_file_and_key(run_sandbox: RunSandbox, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('description = "x"\n[shop]\ncancellation_window_seconds = "soon"\n')
    sandbox = run_sandbox("--profile", str(path))
    assert sandbox.process.wait(10) == 2
    (line,) = sandbox.stderr().splitlines()
    assert line.startswith(f"sandbox: {path}: key [shop] 'cancellation_window_seconds' must be")


def test_a_port_in_use_is_one_line_and_exit_code_2(run_sandbox: RunSandbox) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        sandbox = run_sandbox("--port", str(port))
        assert sandbox.process.wait(10) == 2
    assert sandbox.stderr() == (
        f"sandbox: port {port} on 127.0.0.1 is already in use; choose another --port,"
        " or --port 0 for a free one\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--time-scale", "0"], "argument --time-scale: invalid positive number value: '0'"),
        (["--port", "70000"], "argument --port: invalid port (0-65535) value: '70000'"),
        (["--colour", "blue"], "unrecognized arguments: --colour blue"),
        (
            ["--storefront", "fancy"],
            "argument --storefront: invalid choice: 'fancy' (choose from 'classic', 'steps')",
        ),
    ],
)
def test_bad_options_are_one_line_and_exit_code_2(
    run_sandbox: RunSandbox, arguments: list[str], message: str
) -> None:
    sandbox = run_sandbox(*arguments)
    assert sandbox.process.wait(10) == 2
    assert sandbox.stderr() == f"sandbox: {message} (see python -m sandbox --help)\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'department = "orders"',
            'department = "shipping"',
            "legs[0].department: unknown department 'shipping' (known: billing, orders, repairs,"
            " returns, sales, supervisors)",
        ),
        (
            "[contact_centre.routes.cancel]",
            "[contact_centre.routes.cancelation]",
            "cancelation: unknown intent, channel or route key 'cancelation' (did you mean 'cancel'?)",
        ),
    ],
    ids=["missing department", "unknown intent"],
)
def test_a_bad_contact_centre_table_is_one_line(
    run_sandbox: RunSandbox, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    shipped = Path(__file__).resolve().parents[2] / "sandbox" / "profiles" / "typical.toml"
    text = shipped.read_text()
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1))
    sandbox = run_sandbox("--profile", str(path))
    assert sandbox.process.wait(10) == 2
    (line,) = sandbox.stderr().splitlines()
    assert line.startswith(f"sandbox: {path}: [contact_centre.routes")
    assert line.endswith(expected)
