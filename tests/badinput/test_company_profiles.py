"""Company profiles: each mistake is one ``companies/acme.toml:line: key: message``, and the
environment's part in them (``${NAME}``) names the variable.

The profile is read the same way by every command; ``check --company`` reads it in
this process, and ``run --company`` is held to the same line once (a usage error,
exit 4, before any server or browser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from bad_input import A_JOURNEY, Project


@dataclass(frozen=True)
class Case:
    """One change to the demo company's profile, the text on the line to blame, and the message."""

    old: str
    new: str
    blamed: str | None
    """Text on the line the message names (None: the message names no line)."""
    message: str
    """A regular expression for the message after ``companies/acme.toml:line: ``."""
    environment: dict[str, str] = field(default_factory=dict)


CASES = {
    "variable-not-set": Case(
        'test_card = "4242 4242 4242 4242"',
        'test_card = "${ACME_TEST_CARD}"',
        "test_card =",
        r"web\.test_card: uses \$\{ACME_TEST_CARD\}, which is not set; export ACME_TEST_CARD before running",
    ),
    "variable-empty": Case(
        'test_card = "4242 4242 4242 4242"',
        'test_card = "${ACME_TEST_CARD}"',
        "test_card =",
        r"web\.test_card: uses \$\{ACME_TEST_CARD\}, which is set but empty; give ACME_TEST_CARD a value",
        {"ACME_TEST_CARD": ""},
    ),
    "host-not-allowed": Case(
        'base_url = "{server_url}"',
        'base_url = "https://shop.acme.example"',
        "allowed_hosts =",
        r"allowed_hosts: the host of base_url https://shop\.acme\.example \(shop\.acme\.example\) is not in "
        r"allowed_hosts \(now: 127\.0\.0\.1, localhost\); add 'shop\.acme\.example' to allowed_hosts, "
        r"or fix base_url",
    ),
    "no-host-allowed": Case(
        'allowed_hosts = ["127.0.0.1", "localhost"]',
        "allowed_hosts = []",
        "allowed_hosts =",
        r"allowed_hosts: lists no host, so a journey could reach nothing; list the site's, "
        r"e\.g\. \[\"shop\.example\.com\"\]",
    ),
    "base-url-without-scheme": Case(
        'base_url = "{server_url}"',
        'base_url = "127.0.0.1:8000"',
        "base_url =",
        r"base_url: must start with http:// or https://, not '127\.0\.0\.1:8000'",
    ),
    "page-not-a-path": Case(
        'cart = "/cart"',
        'cart = "cart"',
        'cart = "cart"',
        r"web\.pages\.cart: must be a path on the company's site starting with '/', not 'cart'",
    ),
    "chat-page-a-url": Case(
        'start = "/social"',
        'start = "https://social.example/acme"',
        'start = "https://',
        r"social\.pages\.start: must be a path on the company's site starting with '/', not .*",
    ),
    "not-toml": Case(
        'name = "Brightline Appliances (demo)"',
        'name = "Brightline Appliances (demo)',
        "name =",
        r"not valid TOML: .*\(at line \d+, column \d+\)",
    ),
    "not-utf-8": Case(
        'name = "Brightline Appliances (demo)"',
        'name = "Brightline Electrodomésticos"',
        None,
        r"the company profile is not UTF-8 text \(invalid continuation byte at byte \d+\); save it as UTF-8",
    ),
    "misspelt-key": Case(
        'add_to_cart = { role = "button"',
        'add_to_cart = { rol = "button"',
        "add_to_cart =",
        r"web\.locators\.add_to_cart\.rol: unknown key 'rol' \(did you mean 'role'\?\)",
    ),
    "missing-locator": Case(
        'checkout = { role = "link", name = "Checkout" }\n',
        "",
        '{ click = "checkout" }',
        r"web\.flows\.place_order\.5\.click: names the locator 'checkout', which \[web\.locators\] does not"
        r" have \(or write the locator here: \{ role = \.\.\., name = \.\.\. \}\)",
    ),
    "two-strategies": Case(
        'quantity = { label = "Quantity" }',
        'quantity = { label = "Quantity", css = "#quantity" }',
        "quantity =",
        r"web\.locators\.quantity: needs exactly one of role, label, text, placeholder, test_id, css "
        r"\(found 2\)",
    ),
    "bad-regular-expression": Case(
        "order_number = 'BL-\\d{6}'",
        "order_number = 'BL-(\\d{6}'",
        "order_number = 'BL-(",
        r"web\.patterns\.order_number: not a valid regular expression "
        r"\(missing \), unterminated subpattern.*",
    ),
    "bad-order-number-in-conversation": Case(
        "Without it, the first.\norder_number = 'BL-\\d{6}'",
        "Without it, the first.\norder_number = 'BL-[0-9'",
        "order_number = 'BL-[",
        r"conversation\.order_number: not a valid regular expression.*",
    ),
    "no-shipping-methods": Case(
        'shipping_methods = ["Standard", "Express", "Next-day", "Store pickup"]',
        "shipping_methods = []",
        "shipping_methods =",
        r"web\.shipping_methods: must list the method names, e\.g\. \[\"Standard\", \"Express\"\]",
    ),
    "negative-purchase-age": Case(
        "days_ago = 400 }",
        "days_ago = -400 }",
        "days_ago = -400",
        r"returning_customers\.morgan\.purchases\.0\.days_ago: must be a whole number of days, not -400",
    ),
    "timeout-not-a-number": Case(
        "timeout = 10",
        'timeout = "10 s"',
        'timeout = "10 s"',
        r"web\.timeout: must be a positive number, not '10 s'",
    ),
    "mail-password-written-out": Case(
        'password = "${SANDBOX_MAILBOX_PASSWORD:-brightline-demo}"',
        'password = "hunter2"',
        "password =",
        r"mail\.password: must come from the environment, e\.g\. password = \"\$\{MAILBOX_PASSWORD\}\", "
        r"never be written here",
    ),
    "mail-password-in-clear": Case(
        'imap = "{server.imap}"',
        'imap = "imap://imap.acme.example"',
        "imap =",
        r"mail\.imap: would send the password in clear over the network to imap\.acme\.example: "
        r"use imaps://imap\.acme\.example",
    ),
    "mail-server-not-smtp": Case(
        'smtp = "{server.smtp}"',
        'smtp = "https://smtp.acme.example"',
        "smtp =",
        r"mail\.smtp: must start with smtp://, smtp\+starttls://, smtps://, e\.g\. "
        r"smtp\+starttls://smtp\.example\.com:587; not 'https://smtp\.acme\.example'",
    ),
    "mail-company-not-an-address": Case(
        'company = "support@brightline.example"',
        'company = "support"',
        "company =",
        r"mail\.company: must be an e-mail address, not 'support'",
    ),
    "ready-pattern-without-url": Case(
        "ready_pattern = 'listening on (?P<url>http://\\S+)",
        "ready_pattern = 'listening on (http://\\S+)",
        "ready_pattern =",
        r"server\.ready_pattern: needs a named group \(\?P<url>\.\.\.\) for the address",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_check_names_the_profiles_file_line_and_key(
    project: Project, monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    project.feature(A_JOURNEY)
    path = project.company(case.old, case.new)
    monkeypatch.delenv("ACME_TEST_CARD", raising=False)
    for name, value in case.environment.items():
        monkeypatch.setenv(name, value)

    said = project.main("check", "--company", path)

    where = f"{path}:{project.line_of(path, case.blamed)}" if case.blamed else path
    said.one_line(2, rf"mystery-shopper: {re.escape(where)}: {case.message}")


def test_run_refuses_a_bad_profile_before_its_first_journey(project: Project) -> None:
    project.feature(A_JOURNEY)
    path = project.company('base_url = "{server_url}"', 'base_url = "https://shop.acme.example"')

    said = project.run("--company", path)

    line = project.line_of(path, "allowed_hosts =")
    said.one_line(4, rf"ERROR: {path}:{line}: allowed_hosts: the host of base_url .*")


KNOWN = "evershop, sandbox, sandbox-steps"  # the companies/ the project ships


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("acme", r"unknown company 'acme': no file companies/acme\.toml \(known: " + KNOWN + r"\); .*"),
        ("sandbx", r"unknown company 'sandbx': .*\(did you mean 'sandbox'\? known: " + KNOWN + r"\); .*"),
        ("companies/missing.toml", r"company profile 'companies/missing\.toml' not found at .*missing\.toml"),
        (
            "companies/folder.toml",
            r"company profile 'companies/folder\.toml' at .*folder\.toml is a folder, not a file",
        ),
    ],
)
def test_a_company_that_is_not_there_is_one_line(project: Project, given: str, message: str) -> None:
    project.feature(A_JOURNEY)
    (project.path / "companies" / "folder.toml").mkdir()

    said = project.main("check", "--company", given)

    said.one_line(2, rf"mystery-shopper: {message}")
