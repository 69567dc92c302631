"""``mystery-shopper run``: bad options, places it cannot write, a browser that is not one and a
site that does not answer are each one line (pytest's usage error, exit 4) before any journey.

All of these are known before the first journey, so none of them may cost one: the
company's server of this suite never starts (see ``conftest.py``), and no results
folder is made.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from collections.abc import Iterator

import pytest
from bad_input import A_JOURNEY, NOT_STARTED, Project


@pytest.fixture
def journey(project: Project) -> Project:
    """The project with one clean journey to run."""
    project.feature(A_JOURNEY)
    return project


@pytest.fixture
def listening() -> Iterator[int]:
    """A loopback port that accepts connections (nobody answers them: enough to be reached)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--fail-under", "150"], r"--fail-under 150: a score is 0 to 100; give e\.g\. --fail-under 70"),
        (["--fail-under", "-5"], r"--fail-under -5: a score is 0 to 100; .*"),
        (["--fail-under", "seventy"], r"--fail-under seventy: a score is 0 to 100; .*"),
        (["--fail-under", "nan"], r"--fail-under nan: a score is 0 to 100; .*"),
        (
            ["--time-scale", "0"],
            r"--time-scale 0: must be a positive number \(1: real time; 0\.05: 20 times faster\)",
        ),
        (["--time-scale", "-0.5"], r"--time-scale -0\.5: must be a positive number .*"),
        (["--seed", "lucky"], r"--seed lucky: not a whole number; give e\.g\. --seed 7"),
        (["--shard", "3/2"], r"--shard 3/2: say which part of how many, e\.g\. --shard 1/3"),
        (["--shard", "half"], r"--shard half: say which part of how many, e\.g\. --shard 1/3"),
        (
            ["--run-name", "../outside"],
            r"--run-name '\.\./outside': must be a plain folder name inside --results-dir .*",
        ),
        (["--run-name", "nightly/42"], r"--run-name 'nightly/42': must be a plain folder name .*"),
        (["--run-name", ".."], r"--run-name '\.\.': must be a plain folder name .*"),
        (
            ["--company", "acme"],
            r"unknown company 'acme': no file companies/acme\.toml"
            r" \(known: evershop, sandbox, sandbox-steps\); .*",
        ),
        (["--rubric", "strict"], r"unknown rubric 'strict': no file rubrics/strict\.toml.*"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_a_bad_option_is_one_line(journey: Project, arguments: list[str], message: str) -> None:
    said = journey.run(*arguments)

    said.one_line(4, rf"ERROR: {message}")
    assert not (journey.path / "results").exists()
    assert not (journey.path / "outside").exists()


def test_a_feature_file_that_is_not_there_is_one_line(journey: Project) -> None:
    said = journey.run("features/missing.feature")

    said.one_line(4, r"ERROR: file or directory not found: features/missing\.feature")


def test_outside_a_project_folder_run_says_where_to_run_it(journey: Project) -> None:
    shutil.rmtree(journey.path / "features")

    said = journey.run()

    said.one_line(
        2,
        r"mystery-shopper: run mystery-shopper from a project folder \(one with features/; "
        r"mystery-shopper init makes one\), or name the feature files; .* has no features/",
    )


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_read_only_results_folder(journey: Project) -> None:
    results = journey.path / "results"
    results.mkdir()
    results.chmod(0o555)
    try:
        said = journey.run()
    finally:
        results.chmod(0o755)

    said.one_line(4, r"ERROR: --results-dir results: cannot write in .*results \(Permission denied\); .*")


def test_a_run_folder_that_is_a_file(journey: Project) -> None:
    (journey.path / "results").mkdir()
    (journey.path / "results" / "nightly").write_text("not a folder")

    said = journey.run("--run-name", "nightly")

    said.one_line(4, r"ERROR: the run folder .*/results/nightly: is a file, not a folder; give a folder")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--results-dir", "notes.txt"], r"--results-dir notes\.txt: is a file, not a folder; give a folder"),
        (
            ["--results-dir", "notes.txt/nightly"],
            r"--results-dir notes\.txt/nightly: .*/notes\.txt is a file, so no folder can be made under it; "
            r"give a folder",
        ),
        (
            ["--results-dir", "/sys/mystery-shopper-results"],
            r"--results-dir /sys/mystery-shopper-results: cannot write in /sys \(.+\); "
            r"give a folder you can write to",
        ),
        (
            ["--history", "kept"],
            r"--history kept: is a folder, not a run history; give a file such as history\.sqlite3",
        ),
        (
            ["--history", "notes.txt"],
            r"--history notes\.txt: not a run history \(not a SQLite database\); "
            r"move it away, or give another path",
        ),
        (
            ["--history", "notes.txt/history.sqlite3"],
            r"--history notes\.txt/history\.sqlite3: its folder notes\.txt: is a file, not a folder; "
            r"give a folder",
        ),
        (
            ["--junitxml", "notes.txt/junit.xml"],
            r"--junitxml notes\.txt/junit\.xml: its folder notes\.txt: is a file, not a folder; "
            r"give a folder",
        ),
    ],
    ids=[
        "results-dir-a-file",
        "results-dir-under-a-file",
        "results-dir-not-writable",
        "history-a-folder",
        "history-not-sqlite",
        "history-under-a-file",
        "junitxml-under-a-file",
    ],
)
def test_a_place_to_write_that_cannot_be_one(journey: Project, arguments: list[str], message: str) -> None:
    (journey.path / "kept").mkdir()
    (journey.path / "notes.txt").write_text("minutes of the nightly run meeting")

    said = journey.run(*arguments)

    said.one_line(4, rf"ERROR: {message}")
    assert not (journey.path / "results").exists()


def test_the_history_variable_is_named_when_it_points_at_a_folder(journey: Project) -> None:
    (journey.path / "kept").mkdir()

    said = journey.run(env={"MYSTERY_SHOPPER_HISTORY": str(journey.path / "kept")})

    said.one_line(4, rf"ERROR: MYSTERY_SHOPPER_HISTORY={re.escape(str(journey.path))}/kept: is a folder, .*")


@pytest.mark.parametrize(
    ("browser", "message"),
    [
        ("/bin/true", r"not a Chromium \(`--version` said 'true \(GNU coreutils\) .*'\); install one: .*"),
        ("silent", r"not a Chromium \(`--version` said nothing\); install one: .*"),
        ("/no/such/chromium", r"is not an executable file; install one: .*"),
        ("notes.txt", r"is not an executable file; install one: .*"),
    ],
)
def test_a_browser_that_is_not_one(journey: Project, browser: str, message: str) -> None:
    silent = journey.path / "silent"
    silent.write_text("#!/bin/sh\nexit 0\n")
    silent.chmod(0o755)
    (journey.path / "notes.txt").write_text("not a browser")
    path = browser if browser.startswith("/") else str(journey.path / browser)

    said = journey.run(env={"MYSTERY_SHOPPER_CHROMIUM": path})

    said.one_line(4, rf"ERROR: MYSTERY_SHOPPER_CHROMIUM={re.escape(path)}:? {message}")


def test_a_site_that_does_not_answer(journey: Project) -> None:
    port = a_closed_port()
    company = journey.company_without_server(f"http://127.0.0.1:{port}")

    said = journey.run("--company", company)

    line = journey.line_of(company, "base_url =")
    said.one_line(
        4,
        rf"ERROR: {company}:{line}: base_url http://127\.0\.0\.1:{port}: "
        rf"nothing answers at 127\.0\.0\.1:{port} "
        r"\(Connection refused\); start the company's site, or fix base_url",
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "smok",
            r"-m 'smok' selects no journey: "
            r"no journey of this run is tagged @smok \(did you mean @smoke\?\); "
            r"tags in use: @cancellation, @smoke, @web",
        ),
        ("phone", r"-m 'phone' selects no journey: no journey of this run is tagged @phone; tags in use: .*"),
        ("smoke and not web", r"-m 'smoke and not web' selects no journey: no journey's tags satisfy it; .*"),
        (
            "smoke and (",
            r"-m 'smoke and \(': not a tag expression \(at column 12: .*\); write tags with and, .*",
        ),
    ],
)
def test_a_tag_expression_that_selects_nothing(journey: Project, expression: str, message: str) -> None:
    said = journey.run("-m", expression)

    said.one_line(4, rf"ERROR: {message}")


def test_a_tag_no_journey_carries_is_a_warning_and_the_run_goes_on(journey: Project, listening: int) -> None:
    company = journey.company_without_server(f"http://127.0.0.1:{listening}")

    said = journey.run("--company", company, "--collect-only", "-q", "-m", "smoke or nightlly")

    said.one_line(
        0,
        r"mystery-shopper: warning: -m 'smoke or nightlly': no journey of this run is tagged @nightlly "
        r"\(did you mean @nightly\?\)",
    )
    assert "1 test collected" in said.out


def test_an_unknown_tag_in_a_feature_is_a_warning_and_the_run_goes_on(
    project: Project, listening: int
) -> None:
    path = project.feature(A_JOURNEY.replace("@smoke", "@smoke @nightlly"))
    company = project.company_without_server(f"http://127.0.0.1:{listening}")

    said = project.run("--company", company, "--collect-only", "-q")

    said.one_line(
        0,
        rf"mystery-shopper: warning: {path}:4: unknown tag @nightlly: did you mean @nightly\? known tags: .*",
    )


def test_the_suites_company_server_never_starts(journey: Project) -> None:
    """The guard of this suite: a run that gets as far as the server says so."""
    said = journey.run("--collect-only")

    said.one_line(4, rf"ERROR: {NOT_STARTED}")


def test_parallel_workers_are_not_started_for_a_broken_journey(project: Project) -> None:
    path = project.feature(A_JOURNEY.replace("through the web\n    Then", "through the wbe\n    Then"))

    said = project.run("-n", "2")

    said.one_line(4, rf"ERROR: {path}:8: unknown channel 'the wbe': did you mean 'the web'\? .*")


def test_a_server_command_that_is_not_there(journey: Project) -> None:
    path = journey.company('command = ["{python}"', 'command = ["no-such-server-program"')

    said = journey.run("--company", path)

    said.one_line(
        4,
        rf"ERROR: {path}:{journey.line_of(path, 'command =')}: server\.command: cannot start the company "
        r"server 'no-such-server-program': No such file or directory",
    )


def test_a_tag_expression_may_select_python_tests_beside_the_journeys(
    journey: Project, listening: int
) -> None:
    checks = journey.path / "checks"
    checks.mkdir()
    (checks / "test_prices.py").write_text(
        "import pytest\n\n\n@pytest.mark.prices\ndef test_prices():\n    pass\n"
    )
    company = journey.company_without_server(f"http://127.0.0.1:{listening}")

    said = journey.run("--company", company, "--collect-only", "-q", "-m", "prices", "features", "checks")

    said.one_line(
        0,
        r"mystery-shopper: warning: -m 'prices' selects no journey: "
        r"no journey of this run is tagged @prices; tags in use: @cancellation, @smoke, @web",
    )
    assert "checks/test_prices.py::test_prices" in said.out


def test_a_marker_the_project_registers_for_its_python_tests_is_no_mistyped_tag(
    journey: Project, listening: int
) -> None:
    """The harness's own suite selects its real calls with ``-m calls``: a marker of its Python
    tests, registered in its configuration. It was warned of as a tag no journey carries."""
    checks = journey.path / "checks"
    checks.mkdir()
    (checks / "test_prices.py").write_text(
        "import pytest\n\n\n@pytest.mark.prices\ndef test_prices():\n    pass\n"
    )
    (journey.path / "pytest.ini").write_text("[pytest]\nmarkers =\n    prices: the price checks\n")
    company = journey.company_without_server(f"http://127.0.0.1:{listening}")

    said = journey.run("--company", company, "--collect-only", "-q", "-m", "prices", "features", "checks")

    assert said.code == 0, said.out + said.err
    assert "warning" not in said.err, said.err
    assert "checks/test_prices.py::test_prices" in said.out
    mistyped = journey.run(
        "--company", company, "--collect-only", "-q", "-m", "prices or smok", "features", "checks"
    )
    assert "no journey of this run is tagged @smok (did you mean @smoke?)" in mistyped.err, mistyped.err


PROJECT_STEP = '''\
from pytest_bdd import then

from journeys.journey import expectations
from journeys.journey.actor import Journey


@then("I have an order number to quote")
def order_number_to_quote(journey: Journey) -> None:
    """Example: Then I have an order number to quote"""
    expectations.order_number_given(journey)
'''


def test_a_projects_own_steps_need_no_conftest(journey: Project) -> None:
    """A team's steps/ beside features/ is known to the run: the check passes, the run goes on."""
    (journey.path / "conftest.py").unlink()
    (journey.path / "steps").mkdir()
    (journey.path / "steps" / "quoting.py").write_text(PROJECT_STEP, encoding="utf-8")
    journey.feature(A_JOURNEY + "    And I have an order number to quote\n")

    said = journey.run("--collect-only")

    said.one_line(4, rf"ERROR: {NOT_STARTED}")  # past the check of every step, as far as the server


def test_a_projects_step_module_that_fails_to_import_is_one_line(journey: Project) -> None:
    (journey.path / "steps").mkdir()
    (journey.path / "steps" / "quoting.py").write_text("from journeys.nowhere import Journey\n")

    said = journey.run()

    said.one_line(
        4,
        r"ERROR: .*/steps/quoting\.py: the project's step module failed to import: "
        r"ModuleNotFoundError: No module named 'journeys\.nowhere'",
    )
