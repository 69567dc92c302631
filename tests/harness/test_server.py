"""Starting the demo company's server: its address, its errors in one line, nothing left behind."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest

from journeys.company.profile import CompanyProfile
from journeys.errors import CompanyServerError
from journeys.runner.server import SharedServer, server_command, start_server, stop_process

ROOT = Path(__file__).resolve().parents[2]


def command(company: CompanyProfile, profile: str, *extra: str) -> list[str]:
    assert company.server is not None
    base = server_command(company.server, profile=profile, seed=0, time_scale=1.0, parent_pid=os.getpid())
    return [*base, *extra]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return finished == 0


def test_it_starts_answers_and_stops(demo_company_file: CompanyProfile, tmp_path: Path) -> None:
    assert demo_company_file.server is not None
    running, _ = start_server(
        demo_company_file.server, command(demo_company_file, "typical"), ROOT, tmp_path / "log"
    )
    try:
        assert running.url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{running.url}/healthz", timeout=5).text.strip() == "ok"
    finally:
        stop_process(running.pid)
    assert not alive(running.pid)


def test_an_unknown_service_profile_is_one_line(demo_company_file: CompanyProfile, tmp_path: Path) -> None:
    assert demo_company_file.server is not None
    with pytest.raises(CompanyServerError) as caught:
        start_server(demo_company_file.server, command(demo_company_file, "heaven"), ROOT, tmp_path / "log")
    message = str(caught.value)
    assert "unknown service profile 'heaven'" in message and "purgatory" in message
    assert "\n" not in message


def test_a_port_in_use_is_one_line(demo_company_file: CompanyProfile, tmp_path: Path) -> None:
    assert demo_company_file.server is not None
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        base = command(demo_company_file, "typical")
        base[base.index("--port") + 1] = str(port)
        with pytest.raises(CompanyServerError) as caught:
            start_server(demo_company_file.server, base, ROOT, tmp_path / "log")
    assert f"port {port}" in str(caught.value) and "already in use" in str(caught.value)


def test_workers_share_one_server(demo_company_file: CompanyProfile, tmp_path: Path) -> None:
    assert demo_company_file.server is not None
    shared = tmp_path / "shared"
    first = SharedServer(shared).get(demo_company_file.server, command(demo_company_file, "typical"), ROOT)
    second = SharedServer(shared).get(demo_company_file.server, command(demo_company_file, "typical"), ROOT)
    assert first == second
    SharedServer(shared).stop()
    assert not alive(first.pid)


def test_a_server_that_dies_during_the_run_is_told_and_its_log_kept(
    demo_company_file: CompanyProfile, tmp_path: Path
) -> None:
    assert demo_company_file.server is not None
    shared = SharedServer(tmp_path / "shared")
    running = shared.get(demo_company_file.server, command(demo_company_file, "typical", "--phone"), ROOT)
    assert shared.ended_early() is None
    os.killpg(running.pid, signal.SIGKILL)  # as a crash would end it: no goodbye
    deadline = time.monotonic() + 30
    while shared.ended_early() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the process that started it writes the exit as soon as it sees it

    ended = shared.ended_early()
    assert ended is not None and ended.endswith("killed by SIGKILL, while journeys ran"), ended
    run = tmp_path / "run"
    run.mkdir()
    kept = shared.keep_log(run, lambda text: text.replace("PJSUA", "[hidden]"))
    assert kept == run / "server.log"
    text = kept.read_text(encoding="utf-8")
    assert "[hidden] state changed" in text and "PJSUA" not in text  # PJSIP starting, scrubbed
    shared.stop()
