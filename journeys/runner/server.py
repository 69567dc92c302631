"""Starting and stopping a company's local server (the sandbox) for a run.

The harness never imports the server's code: it runs the profile's
``[server] command`` as a process, waits for the line that gives its address,
and reaches it by URL like any company. Under pytest-xdist one server serves all
workers: the first worker that needs it starts it (an exclusive lock file decides
which) and records its address in a folder every worker shares; the process that
created the folder stops the server at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from journeys.company.profile import ServerSpec
from journeys.errors import CompanyServerError


@dataclass(frozen=True)
class RunningServer:
    """A started server: its address, its process id, and what else its ready line said.

    ``said`` holds the ready pattern's other named groups that matched (``imap``, ``smtp``:
    where the demo company's mail servers listen), for ``{server.NAME}`` in the profile.
    """

    url: str
    pid: int
    said: Mapping[str, str] = field(default_factory=dict)


def server_command(
    spec: ServerSpec, *, profile: str | None, seed: int, time_scale: float, parent_pid: int
) -> list[str]:
    """The command with its ``{placeholders}`` filled in."""
    values = {
        "python": sys.executable,
        "profile": profile or spec.default_profile or "",
        "seed": str(seed),
        "time_scale": repr(time_scale),
        "parent_pid": str(parent_pid),
    }
    command = []
    for part in spec.command:
        for key, value in values.items():
            part = part.replace("{" + key + "}", value)
        command.append(part)
    return command


def start_server(
    spec: ServerSpec, command: list[str], cwd: Path, log_path: Path, *, exit_path: Path | None = None
) -> tuple[RunningServer, subprocess.Popen[str]]:
    """Run the server and wait for the line that says where it listens.

    The server's standard error goes to ``log_path``; its standard output is read
    for the ready line and then drained, so a talkative server never blocks. Should it
    exit while this process lives, its exit code and the time are written to ``exit_path``
    (JSON), for the run to tell why its journeys broke.

    Raises:
        CompanyServerError: the server exited, or said nothing usable in time; the
            message carries the server's own last line (for example an unknown
            service profile, or a port in use).
    """
    try:
        with log_path.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                command,
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )
    except OSError as error:
        where = f"{spec.written_at}: server.command: " if spec.written_at else ""
        raise CompanyServerError(
            f"{where}cannot start the company server {command[0]!r}: {error.strerror}"
        ) from error
    assert process.stdout is not None
    deadline = time.monotonic() + spec.startup_timeout
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    seen: list[str] = []
    exited = False
    while time.monotonic() < deadline:
        if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
            break
        line = process.stdout.readline()
        if not line:  # end of output: the server is exiting
            exited = True
            break
        seen.append(line.rstrip())
        match = spec.ready_pattern.search(line)
        if match:
            selector.close()
            threading.Thread(target=_drain, args=(process, exit_path), daemon=True).start()
            told = {name: value for name, value in match.groupdict().items() if value and name != "url"}
            return RunningServer(match.group("url"), process.pid, told), process
    selector.close()
    try:
        code = process.wait(timeout=5) if exited else None
    except subprocess.TimeoutExpired:
        code = None
    if code is None:  # still running, but useless: stop it (Popen reaps it)
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    error_lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    said = (error_lines or seen or [""])[-1].strip()
    if code not in (None, 0) and said:
        raise CompanyServerError(said)
    raise CompanyServerError(
        f"the company server did not say where it listens within {spec.startup_timeout:.0f} s"
        + (f" (last line: {said})" if said else "")
        + f"; command: {' '.join(command)}"
    )


def _drain(process: subprocess.Popen[str], exit_path: Path | None) -> None:
    assert process.stdout is not None
    for _line in process.stdout:
        pass
    code = process.wait()
    if exit_path is not None:
        exit_path.write_text(json.dumps({"code": code, "at": time.time()}), encoding="utf-8")


def exit_sentence(code: int) -> str:
    """How a process ended, in words: "with code 1", "killed by SIGSEGV"."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"with code {code}"


def stop_process(pid: int, grace: float = 5.0) -> None:
    """Stop a server and everything it started, politely first."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:  # reap it if it is our child
            if os.waitpid(pid, os.WNOHANG) != (0, 0):
                return
        except ChildProcessError:
            pass
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


class SharedServer:
    """One server shared by every process of a run, through a folder they all see."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state = folder / "server.json"
        self.failure = folder / "server.error"
        self.lock = folder / "server.lock"
        self.log = folder / "server.log"
        self.exit = folder / "server.exit"

    def get(self, spec: ServerSpec, command: list[str], cwd: Path) -> RunningServer:
        """The running server, starting it if no other process has."""
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(self.lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return self._wait_for_other(spec.startup_timeout + 10)
        os.close(descriptor)
        try:
            running, _process = start_server(spec, command, cwd, self.log, exit_path=self.exit)
        except CompanyServerError as error:
            self.failure.write_text(str(error), encoding="utf-8")
            raise
        temporary = self.state.with_suffix(".part")
        state = {"url": running.url, "pid": running.pid, "said": dict(running.said)}
        temporary.write_text(json.dumps(state), encoding="utf-8")
        temporary.replace(self.state)
        return running

    def _wait_for_other(self, timeout: float) -> RunningServer:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.state.is_file():
                data = json.loads(self.state.read_text(encoding="utf-8"))
                return RunningServer(str(data["url"]), int(data["pid"]), dict(data.get("said", {})))
            if self.failure.is_file():
                raise CompanyServerError(self.failure.read_text(encoding="utf-8"))
            time.sleep(0.05)
        raise CompanyServerError(f"another worker did not start the company server within {timeout:.0f} s")

    def ended_early(self) -> str | None:
        """A sentence if the server exited while the run went on ("the company's server
        exited at 12:21:47, killed by SIGSEGV"), else None."""
        try:
            ended = json.loads(self.exit.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        at = time.strftime("%H:%M:%S", time.localtime(float(ended["at"])))
        return f"the company's server exited at {at}, {exit_sentence(int(ended['code']))}, while journeys ran"

    def keep_log(self, into: Path, scrub: Callable[[str], str]) -> Path | None:
        """Copy the server's log into ``into`` (the run's folder), its secrets scrubbed; where it went."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
            if not into.is_dir():
                return None
            kept = into / "server.log"
            kept.write_text(scrub(text), encoding="utf-8")
        except OSError:
            return None
        return kept

    def stop(self) -> None:
        """Stop the server if one was started through this folder."""
        if self.state.is_file():
            data = json.loads(self.state.read_text(encoding="utf-8"))
            stop_process(int(data["pid"]))
            self.state.unlink(missing_ok=True)
