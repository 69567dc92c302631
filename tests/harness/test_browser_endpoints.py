"""Browsers a run does not launch per worker: a browser server given by address
(``--browser-endpoint``), or one Chromium for the whole run (``--one-browser``), and
``--repeat`` and ``--calls-at-once`` that a run of many journeys at once uses with them.

Which browser the journeys used is read from outside: a Chromium wrapper that writes down every
launch, and the log of Playwright's own browser server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeys.channels.voice.lines import CallSlots
from journeys.errors import SetupError
from journeys.runner.browser import BROWSER_ENV, find_chromium
from journeys.runner.pacing import StartPacing
from journeys.runner.remote import SharedChromium, endpoint_kind, shown_endpoint

ROOT = Path(__file__).resolve().parents[2]
RETURN_BY_CHAT = (ROOT / "features" / "returns" / "chat.feature").read_text()
ORDER_ON_THE_WEB = """\
Feature: Order on the web
  Scenario: Order a kettle
    Given I am a new customer
    When I order "Kettle Pro" through the web with Standard shipping
    Then I am given an order number
"""


def records(project: pytest.Pytester) -> list[dict[str, object]]:
    return [json.loads(path.read_text()) for path in sorted(project.path.glob("results/*/journeys/*.json"))]


@pytest.fixture
def launches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Chromium that writes down how it was launched, then is the real one; the log's path."""
    real = find_chromium().executable
    if real is None:
        pytest.skip("Playwright's own Chromium: no executable path to wrap")
    log = tmp_path / "launches.log"
    wrapper = tmp_path / "chromium"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv(BROWSER_ENV, str(wrapper))
    return log


def browser_launches(log: Path) -> list[str]:
    """The launches that started a browser (not ``--version``, not a child process)."""
    lines = log.read_text().splitlines() if log.exists() else []
    return [line for line in lines if "--remote-debugging" in line and "--type=" not in line]


def test_one_browser_serves_every_worker_and_is_gone_when_the_run_ends(
    project: pytest.Pytester, launches: Path
) -> None:
    (project.path / "features" / "journey.feature").write_text(ORDER_ON_THE_WEB)
    result = project.runpytest_subprocess(
        "features", "--one-browser", "--repeat", "3", "-n", "2", "--time-scale", "0.002",
        "-p", "no:cacheprovider",
    )  # fmt: skip

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    found = records(project)
    assert len(found) == 3 and {record["status"] for record in found} == {"passed"}
    started = browser_launches(launches)
    assert len(started) == 1 and "--remote-debugging-port=0" in started[0], started
    profile = next(part for part in started[0].split() if part.startswith("--user-data-dir="))
    assert not Path(profile.split("=", 1)[1]).exists()  # its profile went with it
    running = subprocess.run(["pgrep", "-f", profile], capture_output=True, text=True, check=False)
    assert running.stdout == "", f"the run's Chromium is still running: {running.stdout}"


def test_without_it_each_worker_launches_its_own(project: pytest.Pytester, launches: Path) -> None:
    (project.path / "features" / "journey.feature").write_text(ORDER_ON_THE_WEB)
    result = project.runpytest_subprocess(
        "features", "--repeat", "2", "-n", "2", "--time-scale", "0.002", "-p", "no:cacheprovider"
    )

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert len(browser_launches(launches)) == 2


@pytest.fixture
def playwright_server() -> Iterator[tuple[str, list[str]]]:
    """Playwright's own browser server on loopback (as ``npx playwright run-server`` starts it),
    its address, and its log as it grows."""
    server = subprocess.Popen(
        [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", "0", "--unsafe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DEBUG": "pw:server"},
        start_new_session=True,
    )
    assert server.stdout is not None and server.stderr is not None
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(server.stderr or ()), daemon=True).start()
    try:
        first = server.stdout.readline()  # "Listening on ws://127.0.0.1:PORT/"
        assert first.startswith("Listening on ws://"), first
        yield first.split()[-1], log
    finally:  # the whole group: `python -m playwright` runs the server in a Node child of its own
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_a_journey_runs_in_a_browser_of_playwrights_own_browser_server(
    project: pytest.Pytester, playwright_server: tuple[str, list[str]]
) -> None:
    endpoint, log = playwright_server
    (project.path / "features" / "journey.feature").write_text(RETURN_BY_CHAT)
    result = project.runpytest_subprocess(
        "features", f"--browser-endpoint={endpoint}", "--time-scale", "0.002", "-p", "no:cacheprovider"
    )

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert [record["status"] for record in records(project)] == ["passed"]
    assert any('engaged launch mode for "chromium"' in line for line in log), log


def test_a_journey_runs_in_a_browser_reached_over_devtools(project: pytest.Pytester) -> None:
    browser = SharedChromium(find_chromium())
    address = browser.start()  # ws://127.0.0.1:PORT/devtools/browser/ID
    try:
        http = "http://" + address.removeprefix("ws://").split("/", 1)[0]
        (project.path / "features" / "journey.feature").write_text(ORDER_ON_THE_WEB)
        result = project.runpytest_subprocess(
            "features", f"--browser-endpoint={http}", "--time-scale", "0.002", "-p", "no:cacheprovider"
        )
    finally:
        browser.stop()

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert [record["status"] for record in records(project)] == ["passed"]


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--browser-endpoint=ftp://example.com"], "not a browser server's address"),
        (["--browser-endpoint=ws://127.0.0.1:1/"], "no browser server answers there"),
        (["--browser-endpoint=ws://127.0.0.1:1/", "--one-browser"], "give one"),
        (["--repeat=0"], "--repeat 0: must be a whole number of at least 1"),
        (["--calls-at-once=many"], "--calls-at-once many: must be a whole number"),
        (["--start-every=-1"], "--start-every -1: seconds between two journeys' starts"),
    ],
)
def test_a_bad_browser_or_count_is_one_line(
    project: pytest.Pytester, arguments: list[str], said: str
) -> None:
    (project.path / "features" / "journey.feature").write_text(ORDER_ON_THE_WEB)
    result = project.runpytest_subprocess("features", *arguments, "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.startswith("ERROR:")]
    assert len(errors) == 1 and said in errors[0], result.stderr.str()


def test_an_endpoints_credentials_are_never_shown() -> None:
    assert shown_endpoint("wss://user:secret@grid.example:3000/playwright?token=abc") == (
        "wss://grid.example:3000/playwright"
    )
    assert endpoint_kind("ws://127.0.0.1:9222/devtools/browser/x") == "cdp"
    assert endpoint_kind("wss://grid.example/playwright?token=abc") == "playwright"
    with pytest.raises(SetupError) as caught:
        endpoint_kind("grid.example:3000?token=abc")
    assert "abc" not in str(caught.value)


def test_calls_beyond_the_limit_wait_for_a_line_and_get_it_when_one_hangs_up(tmp_path: Path) -> None:
    slots = CallSlots(tmp_path / "lines", 2)
    first, second = slots.hold(), slots.hold()
    assert {first.index, second.index} == {0, 1}
    got: list[int] = []
    waiting = threading.Thread(target=lambda: got.append(slots.hold().index))
    waiting.start()
    waiting.join(timeout=1.0)
    assert waiting.is_alive() and got == []  # both lines are held: the third call waits
    second.release()
    second.release()  # a second release changes nothing
    waiting.join(timeout=60.0)
    assert got == [second.index]
    first.release()


def test_journeys_begin_at_least_the_interval_apart_across_processes(tmp_path: Path) -> None:
    pacing = StartPacing(tmp_path / "next-start", 2.0)
    starts = [pacing.next_start(now=100.0) for _ in range(3)]  # three workers asking at once
    assert starts == [100.0, 102.0, 104.0]
    assert pacing.next_start(now=200.0) == 200.0  # long after: at once
    assert StartPacing(tmp_path / "none", 0.0).wait_for_turn() == 0.0
