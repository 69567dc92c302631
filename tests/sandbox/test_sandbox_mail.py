"""The demo company answers real e-mail: ``python -m sandbox --mail``, used as a customer would.

The customer writes with plain ``smtplib`` (logged in as the test mailbox) and reads the
company's answers with plain ``imaplib``; the sandbox runs as the harness runs it, a process in
a session of its own, so that stopping it can be checked the way the harness stops it.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import re
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import httpx
import pytest

from sandbox.errors import MailServerError
from sandbox.mail.dovecot import dovecot_program, group_members

REPO_ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(  # the harness's own pattern
    r"listening on (?P<url>http://\S+)(?: \(mail: (?P<smtp>smtp://\S+), (?P<imap>imap://[^)\s]+)\))?"
)
MAILBOX, PASSWORD = "mystery.shopper@testmail.example", "brightline-demo"
SUPPORT = "support@brightline.example"
WAIT_SECONDS = 30.0


def needs_dovecot() -> None:
    """Skip where Dovecot is missing and this user could not install it (as tests/mail does)."""
    try:
        dovecot_program()
    except MailServerError as missing:
        if os.geteuid() != 0:  # as root a missing Dovecot fails: make test installs it
            pytest.skip(str(missing))


@dataclass
class MailSandbox:
    """A running ``python -m sandbox --mail`` and where it listens."""

    process: subprocess.Popen[str]
    line: str
    url: str
    smtp_port: int
    imap_port: int

    def stderr(self) -> str:
        assert self.process.stderr is not None and self.process.poll() is not None
        return self.process.stderr.read()

    def truth(self, customer: str) -> list[dict[str, object]]:
        response = httpx.get(f"{self.url}/__sandbox__/truth/contacts", params={"customer": customer})
        contacts: list[dict[str, object]] = response.json()
        return contacts


StartSandbox = Callable[..., MailSandbox]


@pytest.fixture
def start_sandbox() -> Iterator[StartSandbox]:
    """Start mail sandboxes as the harness does (own session); stop them, then remove their files.

    Their temporary folders go in a folder of the test's own, removed afterwards (a killed
    sandbox cannot remove them). It is in the system's temporary folder, open to all, because
    Dovecot's mail owner (``nobody``, when run as root) must reach the mail there.
    """
    needs_dovecot()
    started: list[subprocess.Popen[str]] = []
    scratch = Path(tempfile.mkdtemp(prefix="mail-sandbox-test-", dir="/tmp"))
    scratch.chmod(0o755)

    def start(*arguments: str) -> MailSandbox:
        env = {**os.environ, "TMPDIR": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("SANDBOX_MAILBOX_PASSWORD", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--mail", "--time-scale", "0.001", "--port", "0", *arguments],
            cwd=REPO_ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        started.append(process)
        assert process.stdout is not None
        line = process.stdout.readline()  # the sandbox prints it, or exits (end of file)
        match = READY.search(line)
        if not (match and match.group("smtp")):
            assert process.stderr is not None
            pytest.fail(f"no mail in the contract line {line!r}: {process.stderr.read() if not line else ''}")
        return MailSandbox(
            process,
            line,
            match.group("url"),
            int(match.group("smtp").rpartition(":")[2]),
            int(match.group("imap").rpartition(":")[2]),
        )

    yield start
    for process in started:
        for stop in (signal.SIGTERM, signal.SIGKILL):  # as the harness stops it
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, stop)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
                break
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture
def sandbox(start_sandbox: StartSandbox) -> MailSandbox:
    return start_sandbox("--parent-pid", str(os.getpid()))


def send(
    sandbox: MailSandbox,
    sender: str,
    subject: str,
    text: str,
    *,
    answering: EmailMessage | None = None,
) -> str:
    """Write to support as the test mailbox's owner; the mail's Message-ID."""
    letter = EmailMessage()
    letter["From"], letter["To"], letter["Subject"] = sender, SUPPORT, subject
    letter["Message-ID"] = make_msgid(domain="testmail.example")
    if answering is not None:
        letter["In-Reply-To"] = answering["Message-ID"]
        letter["References"] = f"{answering.get('References', '')} {answering['Message-ID']}".strip()
    letter.set_content(text)
    with smtplib.SMTP("127.0.0.1", sandbox.smtp_port) as smtp:
        smtp.login(MAILBOX, PASSWORD)
        smtp.send_message(letter)
    return str(letter["Message-ID"])


def mails_to(sandbox: MailSandbox, address: str, count: int) -> list[EmailMessage]:
    """The first ``count`` mails to ``address`` in the test mailbox, waiting for them to arrive."""
    deadline = time.monotonic() + WAIT_SECONDS
    with imaplib.IMAP4("127.0.0.1", sandbox.imap_port) as imap:
        imap.login(MAILBOX, PASSWORD)
        imap.select("INBOX", readonly=True)
        while True:
            found = [mail for mail in _all_mails(imap) if mail["To"] == address]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"{len(found)} of {count} mails to {address} arrived"
                return found[:count]
            imap.noop()  # asks the server for news; a mail's arrival ends the wait
            time.sleep(0.02)


def _all_mails(imap: imaplib.IMAP4) -> list[EmailMessage]:
    _, found = imap.search(None, "ALL")
    mails = []
    for number in found[0].split():
        _, data = imap.fetch(number.decode(), "(RFC822)")
        raw = data[0]
        assert isinstance(raw, tuple)
        mail = message_from_bytes(raw[1], policy=policy.default)
        assert isinstance(mail, EmailMessage)
        mails.append(mail)
    return mails


def _text(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def test_the_contract_line_says_where_the_mail_servers_listen(sandbox: MailSandbox) -> None:
    assert re.fullmatch(
        r"sandbox listening on http://127\.0\.0\.1:\d+ \(mail: smtp://127\.0\.0\.1:\d+, imap://127\.0\.0\.1:\d+\)\n",
        sandbox.line,
    )
    assert httpx.get(f"{sandbox.url}/healthz").text == "ok"


def test_the_company_answers_in_the_customers_mailbox_and_a_reply_continues_the_contact(
    sandbox: MailSandbox,
) -> None:
    customer = "mystery.shopper+t1@testmail.example"
    ours = send(sandbox, customer, "Cancel my order", "Please cancel my order, I ordered it by mistake.")
    acknowledged, answer = mails_to(sandbox, customer, 2)
    # first the desk's automatic reply, then a person's answer, both in the thread
    assert "This is an automatic reply" in _text(acknowledged) and acknowledged["In-Reply-To"] == ours
    assert answer["In-Reply-To"] == ours and ours in answer["References"]
    assert answer["Subject"] == "Re: Cancel my order"
    assert answer["From"].addresses[0].addr_spec == SUPPORT
    assert answer["From"].addresses[0].display_name.endswith("Brightline Appliances")
    assert answer["Message-ID"].endswith("@brightline.example>")
    assert answer.get_content_type() == "multipart/alternative"
    html_body = answer.get_body(preferencelist=("html",))
    assert html_body is not None and html_body.get_content().count("<p>") == len(_text(answer).split("\n\n"))

    again = send(
        sandbox, customer, "Re: Cancel my order", f"BL-000000\n\n> {_text(answer)}", answering=answer
    )
    second = mails_to(sandbox, customer, 3)[2]
    assert second["In-Reply-To"] == again
    assert second["References"].split() == [ours, acknowledged["Message-ID"], answer["Message-ID"], again]
    assert second["Subject"] == "Re: Cancel my order"
    (contact,) = sandbox.truth(customer)
    assert contact["channel"] == "email"


def test_two_customers_of_one_mailbox_get_only_their_own_answers(sandbox: MailSandbox) -> None:
    ann, bob = "mystery.shopper+ann@testmail.example", "mystery.shopper+bob@testmail.example"
    ann_mail = send(sandbox, ann, "Cancel my order", "Please cancel my order.")
    bob_mail = send(
        sandbox, bob, "My kettle is broken", "The kettle I bought stopped working, I want it repaired."
    )
    (to_ann,) = mails_to(sandbox, ann, 1)  # each first gets the automatic reply, in its own thread
    (to_bob,) = mails_to(sandbox, bob, 1)
    assert (to_ann["In-Reply-To"], to_bob["In-Reply-To"]) == (ann_mail, bob_mail)
    assert [contact["customer"] for contact in sandbox.truth(ann)] == [ann]
    assert [contact["customer"] for contact in sandbox.truth(bob)] == [bob]


def test_the_contact_form_answers_by_mail_and_an_outside_address_is_one_line(
    start_sandbox: StartSandbox,
) -> None:
    sandbox = start_sandbox()
    outside = "ann@elsewhere.example"
    for address in (outside, "mystery.shopper+form@testmail.example"):
        form = {
            "email": address,
            "topic": "orders",
            "subject": "Cancel my order",
            "message": "Please cancel.",
        }
        sent = httpx.post(f"{sandbox.url}/contact", data=form)  # the last one: the test mailbox's
        assert sent.status_code == 303 and sent.headers["location"].startswith("/tickets/")
    (acknowledged,) = mails_to(sandbox, "mystery.shopper+form@testmail.example", 1)
    assert acknowledged["Subject"] == "Re: Cancel my order" and acknowledged["In-Reply-To"] is None
    # the desk's automatic reply names the new ticket and links its page on this server
    ticket = re.search(r"ticket number is (T-\d{6})\. You can follow it here: (\S+)", _text(acknowledged))
    assert ticket is not None and ticket.group(2) == f"{sandbox.url}{sent.headers['location']}"
    assert f"<h1>Ticket {ticket.group(1)}</h1>" in httpx.get(ticket.group(2)).text
    sandbox.process.send_signal(signal.SIGTERM)
    assert sandbox.process.wait(10) == 0
    refusals = [line for line in sandbox.stderr().splitlines() if outside in line]
    assert refusals and all(line.startswith("sandbox: ") and "relaying denied" in line for line in refusals)


def _leaves_nothing(process: subprocess.Popen[str]) -> None:
    """Once the sandbox has exited, nothing of its process group (Dovecot's) is alive."""
    group = process.pid  # start_new_session: the sandbox leads its own group
    deadline = time.monotonic() + 5
    while group_members(group) and time.monotonic() < deadline:
        time.sleep(0.01)  # the kernel finishing what was killed
    assert group_members(group) == []


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT", "parent exits", "killpg SIGTERM"])
def test_stopping_the_sandbox_stops_dovecot(start_sandbox: StartSandbox, stop: str) -> None:
    parent = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    sandbox = start_sandbox("--parent-pid", str(parent.pid))
    assert len(group_members(sandbox.process.pid)) > 1, "dovecot runs in the sandbox's group"
    assert parent.stdin is not None
    if stop == "parent exits":
        parent.stdin.close()
    elif stop == "killpg SIGTERM":  # the harness's polite stop reaches Dovecot itself too
        os.killpg(sandbox.process.pid, signal.SIGTERM)
    else:
        sandbox.process.send_signal(getattr(signal, stop))
    assert sandbox.process.wait(15) == 0
    assert "Traceback" not in sandbox.stderr()
    parent.stdin.close()
    parent.wait(10)
    _leaves_nothing(sandbox.process)


def test_a_harness_killing_the_process_group_leaves_no_dovecot(start_sandbox: StartSandbox) -> None:
    sandbox = start_sandbox()
    assert len(group_members(sandbox.process.pid)) > 1
    os.killpg(sandbox.process.pid, signal.SIGKILL)
    sandbox.process.wait(10)
    _leaves_nothing(sandbox.process)


def test_without_dovecot_mail_is_one_line_naming_what_to_install(tmp_path: Path) -> None:
    hide_dovecot = (
        "import os, shutil, sys; shutil.which = lambda *_: None; os.access = lambda *_: False;"
        " from sandbox.__main__ import main; sys.exit(main(['--mail', '--port', '0']))"
    )
    finished = subprocess.run(
        [sys.executable, "-c", hide_dovecot],
        cwd=REPO_ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (finished.returncode, finished.stdout) == (2, "")
    (line,) = finished.stderr.splitlines()
    assert line.startswith("sandbox: dovecot is not installed") and "apt-get install dovecot-imapd" in line
