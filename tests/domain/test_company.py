"""Company profiles: the shipped one loads; every bad input is one clear line."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from journeys.company.flows import TASKS
from journeys.company.mail import MailLogin, MailServer, MailSpec, server_address
from journeys.company.profile import BUILTIN, load_company, load_company_file
from journeys.errors import CompanyProfileError

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ROOT / "companies" / "sandbox.toml"


def variant(tmp_path: Path, old: str, new: str, name: str = "acme.toml") -> Path:
    text = SANDBOX.read_text(encoding="utf-8")
    assert old in text, f"the test's anchor {old!r} is not in sandbox.toml"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_demo_company_profile_loads() -> None:
    company = load_company("sandbox", ROOT)
    assert company.key == "sandbox"
    assert company.server is not None and company.server.default_profile == "typical"
    assert company.web is not None and set(company.web.flows.by_task) == set(TASKS)  # every web task
    assert company.with_base_url("http://127.0.0.1:9/").base_url == "http://127.0.0.1:9"


def test_the_demo_company_ships_in_the_package_and_is_found_from_any_folder(tmp_path: Path) -> None:
    """A team's repository runs the demo company with no companies/ of its own; its own file wins."""
    builtin = Path(load_company("sandbox", tmp_path).path)
    assert builtin.parent == BUILTIN and builtin.read_bytes() == SANDBOX.read_bytes()
    steps = load_company("sandbox-steps", tmp_path)  # extends sandbox.toml, found beside it
    assert steps.web is not None and steps.server is not None
    (tmp_path / "companies").mkdir()
    (tmp_path / "companies" / "sandbox.toml").write_text(
        SANDBOX.read_text(encoding="utf-8").replace('name = "Brightline Appliances (demo)"', 'name = "Ours"')
    )
    assert load_company("sandbox", tmp_path).name == "Ours"
    with pytest.raises(
        CompanyProfileError, match=r"no file companies/acme\.toml .*known: sandbox, sandbox-steps\)"
    ):
        load_company("acme", tmp_path)


def test_an_unknown_company_names_the_ones_there_are() -> None:
    with pytest.raises(CompanyProfileError) as caught:
        load_company("sandbx", ROOT)
    message = str(caught.value)
    assert "unknown company 'sandbx'" in message and "did you mean 'sandbox'" in message
    assert "\n" not in message


def test_a_mistyped_key_gives_file_line_and_the_likely_key(tmp_path: Path) -> None:
    path = variant(tmp_path, 'add_to_cart = { role = "button"', 'add_to_cart = { rol = "button"')
    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line_of(path, 'add_to_cart =')}:")
    assert "web.locators.add_to_cart.rol: unknown key 'rol' (did you mean 'role'?)" in message


def test_a_locator_a_flow_names_must_exist(tmp_path: Path) -> None:
    path = variant(tmp_path, 'checkout = { role = "link", name = "Checkout" }\n', "")
    with pytest.raises(
        CompanyProfileError, match=r"web\.flows\.place_order\.5\.click: names the locator 'checkout'"
    ):
        load_company_file(path)


def test_a_pattern_that_is_not_a_regular_expression_is_named(tmp_path: Path) -> None:
    path = variant(tmp_path, "order_number = 'BL-\\d{6}'", "order_number = 'BL-(\\d{6}'")
    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(path)
    message = str(caught.value)
    line = line_of(path, "order_number = ")
    assert f":{line}: web.patterns.order_number: not a valid regular expression" in message


def test_broken_toml_says_where(tmp_path: Path) -> None:
    path = variant(tmp_path, 'name = "Brightline', "name = Brightline")
    with pytest.raises(CompanyProfileError, match=r"not valid TOML: .*line \d+"):
        load_company_file(path)


def test_secrets_come_from_the_environment_and_are_redacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_CARD", "4242 4242 4242 4242")
    path = variant(tmp_path, 'test_card = "4242 4242 4242 4242"', 'test_card = "${ACME_CARD}"')
    company = load_company_file(path)
    assert company.web is not None and company.web.test_card == "4242 4242 4242 4242"
    assert company.secrets.scrub("paid with 4242 4242 4242 4242") == "paid with ${ACME_CARD}"
    assert "4242" not in repr(company.secrets)


def test_an_error_about_a_secret_value_shows_its_name_not_its_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_SHOP", "ftp://shopper:hunter2@shop.example.com")
    path = variant(tmp_path, 'base_url = "{server_url}"', 'base_url = "${ACME_SHOP}"')
    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(path)
    [line] = str(caught.value).splitlines()
    assert line.endswith("base_url: must start with http:// or https://, not '${ACME_SHOP}'")
    assert "hunter2" not in line


def test_an_unset_secret_says_what_to_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACME_CARD", raising=False)
    path = variant(tmp_path, 'test_card = "4242 4242 4242 4242"', 'test_card = "${ACME_CARD}"')
    with pytest.raises(
        CompanyProfileError,
        match=r"web\.test_card: uses \$\{ACME_CARD\}, which is not set; export ACME_CARD",
    ):
        load_company_file(path)


def test_a_server_pattern_needs_its_url_group(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "ready_pattern = 'listening on (?P<url>http://\\S+)(?: ",
        "ready_pattern = 'listening(?: ",
    )
    with pytest.raises(CompanyProfileError, match=r"server\.ready_pattern: needs a named group"):
        load_company_file(path)


def test_a_conversation_pattern_that_is_not_a_regular_expression_is_named(tmp_path: Path) -> None:
    path = variant(tmp_path, "escalated = '''\\b(?:my|a)", "escalated = '''\\b(?:my|a")
    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(path)
    message = str(caught.value)
    line = line_of(path, "escalated = ")
    assert f":{line}: conversation.patterns.escalated: not a valid regular expression" in message
    assert "\n" not in message


def test_one_bad_pattern_in_a_list_is_named_by_its_place(tmp_path: Path) -> None:
    path = variant(tmp_path, "'''\\bhold for a moment\\b'''", "'''\\bhold for a (moment\\b'''")
    expected = r"conversation\.patterns\.hold_started: not a valid regular expression \(item 6\)"
    with pytest.raises(CompanyProfileError, match=expected):
        load_company_file(path)


def test_a_channel_without_its_locators_is_named(tmp_path: Path) -> None:
    path = variant(tmp_path, 'sign_in = { role = "button", name = "Sign in" }\n', "")
    with pytest.raises(CompanyProfileError, match=r"missing key 'social\.locators\.sign_in'"):
        load_company_file(path)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('number = "0800 555 0199"', 'number = "112"', "phone.number: 112 is an emergency number"),
        ('dial = "sip:{number}@{server.sip}"', 'dial = "tel:{number}"', "phone.dial: must be a SIP address"),
        ("record = true", 'record = "yes"', "phone.record: must be true or false"),
        ("call_budget = 200", "call_budget = 0", "phone.call_budget: must be a whole number"),
        ('email_spelling = "phonetic"', 'email_spelling = "nato"', 'phone.email_spelling: must be "words"'),
    ],
)
def test_a_phone_line_described_wrongly_is_one_line(tmp_path: Path, old: str, new: str, problem: str) -> None:
    path = variant(tmp_path, old, new)
    with pytest.raises(CompanyProfileError) as caught:
        load_company_file(path)
    assert problem in str(caught.value) and f"acme.toml:{line_of(path, new)}" in str(caught.value)


def test_a_profile_that_extends_another_takes_what_it_does_not_write() -> None:
    steps, demo = load_company("sandbox-steps", ROOT), load_company("sandbox", ROOT)
    assert steps.channels == demo.channels and steps.conversation == demo.conversation
    assert steps.returning_customers == demo.returning_customers and steps.base_url == demo.base_url
    assert steps.web is not None and steps.web.test_card is None  # its own [web], whole
    assert steps.countries == ("United States", "United Kingdom") and steps.key == "sandbox-steps"


@pytest.mark.parametrize(
    ("extends", "problem"),
    [("acme.toml", "acme.toml extends this profile again"), ("nowhere.toml", "no profile nowhere.toml")],
)
def test_extending_a_missing_or_circular_profile_is_one_line(
    tmp_path: Path, extends: str, problem: str
) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(f'extends = "{extends}"\nname = "Acme"\n', encoding="utf-8")
    with pytest.raises(CompanyProfileError, match=rf"acme\.toml:1: extends: {problem}"):
        load_company_file(path)


def test_the_mailbox_learns_its_servers_from_what_the_company_server_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SANDBOX_MAILBOX_PASSWORD", raising=False)
    company = load_company("sandbox", ROOT)
    assert company.mail is not None
    assert company.mail.login.password == "brightline-demo"  # the default after :-
    assert company.mail.login.secret_name == "SANDBOX_MAILBOX_PASSWORD"
    assert company.secrets.scrub("pw brightline-demo") == "pw ${SANDBOX_MAILBOX_PASSWORD}"
    assert "did not say" in str(company.mail.server("imap"))
    said = {"imap": "imap://127.0.0.1:1143", "smtp": "smtp://127.0.0.1:1025"}
    started = company.with_base_url("http://127.0.0.1:9", said)
    assert started.mail is not None
    assert started.mail.server("imap") == MailServer("127.0.0.1", 1143, "none")
    assert started.mail.server("smtp") == MailServer("127.0.0.1", 1025, "none")


def test_a_set_variable_wins_over_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_MAILBOX_PASSWORD", "app-password-7")
    company = load_company("sandbox", ROOT)
    assert company.mail is not None and company.mail.login.password == "app-password-7"


@pytest.mark.parametrize(
    ("written", "server"),
    [
        ("imaps://imap.example.com", MailServer("imap.example.com", 993, "tls")),
        ("imap+starttls://imap.example.com", MailServer("imap.example.com", 143, "starttls")),
        ("smtps://smtp.example.com:2465", MailServer("smtp.example.com", 2465, "tls")),
        ("smtp+starttls://smtp.example.com", MailServer("smtp.example.com", 587, "starttls")),
    ],
)
def test_mail_servers_are_written_as_addresses(written: str, server: MailServer) -> None:
    protocol = written[:4]
    assert server_address(written, protocol) == server


def test_a_journey_writes_from_a_plus_address_of_its_own() -> None:
    spec = MailSpec(
        "support@acme.example", "qa.mailbox@gmail.example", MailLogin("qa", "pw"), "imaps://x", "smtps://x"
    )
    assert spec.journey_address("ms1") == "qa.mailbox+ms1@gmail.example"
    without = dataclasses.replace(spec, plus_addressing=False)
    assert without.journey_address("ms1") == "qa.mailbox@gmail.example"


def test_a_company_reached_only_by_mail_writes_no_transcript_and_no_phone_patterns(tmp_path: Path) -> None:
    path = tmp_path / "desk.toml"
    path.write_text(
        """\
name = "A help desk"
base_url = "https://desk.example"
allowed_hosts = ["desk.example"]

[conversation.fields]
"order number" = "order_number"

[conversation.patterns]
reference_given = '(?P<reference>#\\d{6})'

[mail]
company = "help@desk.example"
address = "qa@mailbox.example"
password = "${DESK_QA_PASSWORD:-demo}"
imap = "imaps://imap.mailbox.example"
smtp = "smtps://smtp.mailbox.example"
""",
        encoding="utf-8",
    )
    company = load_company_file(path)
    assert company.mail is not None and company.conversation is not None
    assert set(company.conversation.patterns) == {"reference_given"}
    assert company.mail.server("smtp") == MailServer("smtp.mailbox.example", 465, "tls")


def test_a_chat_needs_the_conversation_transcript(tmp_path: Path) -> None:
    text = SANDBOX.read_text(encoding="utf-8")
    start = text.index("[conversation.transcript]")
    end = text.index("# The company's words for each thing")
    path = tmp_path / "acme.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(
        CompanyProfileError, match=r"missing key 'conversation\.transcript': the \[chat\] page"
    ):
        load_company_file(path)


def test_the_order_number_is_the_reference_the_profile_says_it_looks_like() -> None:
    # The company gave a return's reference before the order's: only the pattern tells them apart.
    conversation = load_company("sandbox", ROOT).conversation
    assert conversation.order_number_among(["RMA-12345", "BL-123456"]) == "BL-123456"
    assert conversation.order_number_among(["RMA-12345"]) is None
    anything = dataclasses.replace(conversation, order_number=None)
    assert anything.order_number_among(["RMA-12345", "BL-123456"]) == "RMA-12345"


def test_an_order_number_heard_alike_twice_is_taken_over_a_misheard_reading() -> None:
    # read out twice on a call: a digit misheard in one reading leaves the other
    conversation = load_company("sandbox", ROOT).conversation
    assert conversation is not None
    heard = ["BL-894770", "BL-894771", "BL-894771"]
    assert conversation.order_number_among(heard) == "BL-894771"
    assert conversation.order_number_among(["BL-123456", "BL-654321"]) == "BL-123456"
