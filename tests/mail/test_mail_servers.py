"""The demo company's mail servers: real Dovecot and SMTP on loopback, and nothing left behind."""

from __future__ import annotations

import asyncio
import imaplib
import os
import smtplib
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

import pytest

from conftest import ACCOUNTS, ANN, BOB, SUPPORT, needs_dovecot
from sandbox.errors import MailServerError
from sandbox.mail import MailEndpoints, MailServers
from sandbox.mail.dovecot import accepts_connections, group_members, process_alive


def _letter(to: str) -> EmailMessage:
    letter = EmailMessage()
    letter["From"], letter["To"], letter["Subject"] = SUPPORT.address, to, "About your claim"
    letter.set_content("We are on it.")
    return letter


def _working(servers: MailServers) -> list[int]:
    """Dovecot's processes once it serves a login (its children start as they are needed)."""
    endpoints = servers.endpoints
    with imaplib.IMAP4(endpoints.host, endpoints.imap_port) as imap:
        imap.login(ANN.address, ANN.password)
        return servers.processes()


def test_stop_leaves_no_process_and_no_listener() -> None:
    needs_dovecot()
    servers = MailServers(ACCOUNTS)
    endpoints = servers.start()
    running = _working(servers)
    assert len(running) > 1, "dovecot's master and its children should be running"
    servers.stop()
    assert not any(process_alive(pid) for pid in running)
    ports = (endpoints.smtp_port, endpoints.imap_port, endpoints.lmtp_port)
    assert not any(accepts_connections(port) for port in ports)


def test_an_error_inside_the_context_still_stops_everything() -> None:
    needs_dovecot()
    servers = MailServers(ACCOUNTS)
    with pytest.raises(RuntimeError), servers:
        running = servers.processes()
        raise RuntimeError("a test failed while the servers ran")
    assert running and not any(process_alive(pid) for pid in running)


def test_smtp_asks_senders_to_log_in(mail: MailEndpoints) -> None:
    with smtplib.SMTP(mail.host, mail.smtp_port) as smtp, pytest.raises(smtplib.SMTPSenderRefused) as refused:
        smtp.send_message(_letter(ANN.address))
    assert refused.value.smtp_code == 530


def test_smtp_refuses_a_wrong_password(mail: MailEndpoints) -> None:
    with smtplib.SMTP(mail.host, mail.smtp_port) as smtp, pytest.raises(smtplib.SMTPAuthenticationError):
        smtp.login(SUPPORT.address, "not-the-password")


@pytest.mark.parametrize(
    ("recipient", "code"),
    [("nobody@customers.test", 550), ("ann@elsewhere.example", 550)],
    ids=["unknown-mailbox", "relay-elsewhere"],
)
def test_smtp_refuses_what_it_cannot_deliver(mail: MailEndpoints, recipient: str, code: int) -> None:
    with smtplib.SMTP(mail.host, mail.smtp_port) as smtp:
        smtp.login(SUPPORT.address, SUPPORT.password)
        with pytest.raises((smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)) as refused:
            smtp.send_message(_letter(recipient))
    assert str(code) in str(refused.value)


def test_no_accounts_is_one_clear_line() -> None:
    with pytest.raises(MailServerError, match="at least one account"):
        MailServers(())


def test_the_servers_start_where_an_event_loop_already_runs() -> None:
    """A test process's main thread may be running a loop (Playwright's sync API does)."""
    needs_dovecot()

    servers = MailServers(ACCOUNTS)

    async def inside_a_loop() -> list[int]:
        with servers:
            return servers.processes()

    # In a thread of its own: this worker's main thread may already run Playwright's loop.
    with ThreadPoolExecutor(1) as thread:
        running = thread.submit(asyncio.run, inside_a_loop()).result(timeout=60)
    assert running and not any(process_alive(pid) for pid in running)


def test_dovecot_shares_its_starters_process_group_so_a_killpg_reaches_it() -> None:
    """The harness ends the sandbox with ``killpg``; Dovecot must be in that group to get it."""
    needs_dovecot()
    servers = MailServers(ACCOUNTS)
    with servers:
        running = _working(servers)
        in_group = set(group_members(os.getpgrp()))
        assert len(running) > 1 and all(pid in in_group or not process_alive(pid) for pid in running)


def test_a_piped_mailbox_hands_each_message_on_before_the_sender_hears_250() -> None:
    """The help desk's mail pipe: the message is in the mailbox and handed to the company."""
    needs_dovecot()
    handed: list[bytes] = []

    async def pipe(content: bytes) -> None:
        handed.append(content)

    servers = MailServers(ACCOUNTS, pipes={SUPPORT.address.upper(): pipe})
    with servers as endpoints, smtplib.SMTP(endpoints.host, endpoints.smtp_port) as smtp:
        smtp.login(ANN.address, ANN.password)
        to_support = _letter(SUPPORT.address.replace("@", "+desk@"))
        to_support.replace_header("Subject", "Piped")
        smtp.send_message(to_support)
        assert len(handed) == 1 and b"Subject: Piped" in handed[0]
        smtp.send_message(_letter(BOB.address))
    assert len(handed) == 1, "only the piped mailbox's mail goes through the pipe"
