"""Secrets from the environment reach nothing a run writes: a real run, searched file by file.

The demo company's profile is copied with two values taken from the environment, as a
real company's would be: the test card (typed at checkout) and a returning customer's
login e-mail (typed into the order lookup form, and the customer's identity in the
record); a third, the test mailbox's password, is given to the profile's own
``${SANDBOX_MAILBOX_PASSWORD}`` (the demo company's mail servers take it too) and used
to log in over IMAP and SMTP. The project also has a helper that says what it types, in a log line and on
standard output, and a test that fails quoting the card: the ways a value reaches the
terminal, JUnit XML and logs without the harness writing it. Then every output is
searched for the values, in every form they take in a file: nothing may be found.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

ROOT = Path(__file__).resolve().parents[2]

CARD = "4242 4242 4242 4242"
EMAIL = "priya.castellanos@example.test"
MAILBOX_PASSWORD = "mailbox-pass-5150"
SECRETS = {"MS_TEST_CARD": CARD, "MS_PRIYA_EMAIL": EMAIL, "SANDBOX_MAILBOX_PASSWORD": MAILBOX_PASSWORD}

JOURNEYS = """\
Feature: Journeys with secrets in play
  Scenario: Order and cancel on the web
    Given I am a new customer
    And I have ordered "Kettle Pro" through the web with Standard shipping
    When I cancel it right away through the web
    Then my order is cancelled

  Scenario: Return something bought long ago
    Given I am a returning customer who bought "Air Fryer XL" 200 days ago
    When I ask to return it through the web
    Then I am given a reference number

  Scenario: Return by e-mail from the test mailbox
    Given I am a new customer
    And I have ordered "Kettle Pro" through the web with Standard shipping
    When I ask to return it through email
    Then I am given a reference number
"""

CHATTY_HELPERS = '''\
import logging

import pytest


@pytest.fixture(autouse=True)
def says_what_it_types(company):
    """A project's own helper that logs and prints what it is about to type."""
    logging.getLogger("acme.helpers").warning("paying with %s", company.web.test_card)
    print(f"paying with {company.web.test_card}")


def test_a_helper_that_fails_quoting_the_card(company):
    assert company.web.test_card.startswith("5555"), f"{company.web.test_card} is not a Mastercard"
'''


def forms(value: str) -> set[bytes]:
    """The value as a file may hold it: as typed, in a URL or a form post, JSON-escaped."""
    return {
        text.encode() for text in (value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1])
    }


def files_in(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every file below the folder, and every member of every archive (a trace) as its own file."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield str(path.relative_to(folder)), data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path.relative_to(folder)}!{member}", archive.read(member)


def leaks(named: Iterator[tuple[str, bytes]]) -> list[str]:
    return [
        f"{name}: {secret}"
        for name, data in named
        for secret, value in SECRETS.items()
        if any(form in data for form in forms(value))
    ]


@pytest.fixture
def run_with_secrets(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    company = project.path / "companies" / "sandbox.toml"
    text = company.read_text()
    for old, new in (
        (f'test_card = "{CARD}"', 'test_card = "${MS_TEST_CARD}"'),
        (f'email = "{EMAIL}"', 'email = "${MS_PRIYA_EMAIL}"'),
    ):
        assert old in text, f"companies/sandbox.toml no longer has {old!r}"
        text = text.replace(old, new)
    company.write_text(text)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    (project.path / "features" / "secrets.feature").write_text(JOURNEYS)
    (project.path / "test_helpers.py").write_text(CHATTY_HELPERS)
    return project.runpytest_subprocess(
        "features",
        "test_helpers.py",
        "--run-name=secret",
        "--profile=typical",
        "--time-scale=0.002",  # the e-mail's answers in a second, not five minutes
        "--tracing=on",
        "--junitxml=junit.xml",
        "-o",
        "junit_logging=all",
        "--log-file=run.log",
        "--log-file-level=INFO",
        "--showlocals",
        "-rA",
        "-p",
        "no:cacheprovider",
    )


@pytest.mark.long
def test_no_output_of_a_run_holds_a_secret(
    project: pytest.Pytester, run_with_secrets: pytest.RunResult
) -> None:
    result = run_with_secrets
    output = f"{result.stdout.str()}\n{result.stderr.str()}"
    run = project.path / "results" / "secret"
    [trace] = run.glob("artifacts/test-order-and-cancel-on-the-web-*/trace.zip")
    [customer] = run.glob("journeys/test-return-something-bought-long-ago-*.json")

    # Records, pages, report, exports, history, trace, JUnit XML, log file: none holds a value.
    assert leaks(files_in(project.path)) == []
    assert leaks(iter([("the terminal", output.encode())])) == []
    assert "Return something bought long ago · started" in output  # the live view's lines were searched

    # And the run did meet them: each shows as its ${NAME} where its value would have been.
    assert "${MS_TEST_CARD}" in zipfile.ZipFile(trace).read("trace.trace").decode(), "the card was not typed"
    assert not [name for name in zipfile.ZipFile(trace).namelist() if name.startswith("screencast/")]
    assert json.loads(customer.read_text())["shopper"]["email"] == "${MS_PRIYA_EMAIL}"
    assert "paying with ${MS_TEST_CARD}" in output
    assert "paying with ${MS_TEST_CARD}" in (project.path / "run.log").read_text()
    assert "${MS_TEST_CARD} is not a Mastercard" in (project.path / "junit.xml").read_text()
    assert {"report.html", "summary.md", "export.json"} <= {path.name for path in run.iterdir()}
    assert (project.path / "results" / "history.sqlite3").is_file()
    [by_mail] = run.glob("journeys/test-return-by-email-from-the-test-mailbox-*.json")
    mailed = json.loads(by_mail.read_text())
    assert mailed["status"] == "passed", mailed.get("breakage")  # it logged in to the mailbox and read
    assert [contact["channel"] for contact in mailed["contacts"]] == ["web", "email"]


def test_a_bad_value_from_the_environment_is_named_not_shown(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    company = project.path / "companies" / "sandbox.toml"
    text = company.read_text()
    company.write_text(text.replace('base_url = "{server_url}"', 'base_url = "${MS_SHOP_URL}"'))
    monkeypatch.setenv("MS_SHOP_URL", "ftp://shopper:hunter2@shop.example.com")
    (project.path / "features" / "secrets.feature").write_text(JOURNEYS)
    result = project.runpytest_subprocess("features", "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: companies/sandbox.toml:*: base_url: must start with http:// or https://, "
            "not '${MS_SHOP_URL}'"
        ]
    )
    assert "hunter2" not in result.stdout.str() + result.stderr.str()
