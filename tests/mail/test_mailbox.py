"""The customer's mailbox over real IMAP and SMTP: the Dovecot process of ``sandbox.mail``.

The company's side (support answering) is played by plain ``smtplib`` through the same SMTP
front end, as the demo company's agents will; the customer's side is the harness's
``Outbox`` and ``Mailbox``.
"""

from __future__ import annotations

import smtplib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

import pytest

from conftest import ANN, SUPPORT
from journeys.channels.written import Letter, Mailbox, MailThread, Outbox, SentLetter
from journeys.channels.written import mailbox as mailbox_module
from journeys.channels.written.email import paragraphs, reply_subject
from journeys.company.mail import MailLogin, MailServer
from journeys.errors import MailLoginRefused, MailServerUnreachable
from sandbox.mail import MailEndpoints


def _imap(mail: MailEndpoints) -> MailServer:
    return MailServer(mail.host, mail.imap_port, "none")


def _smtp(mail: MailEndpoints) -> MailServer:
    return MailServer(mail.host, mail.smtp_port, "none")


def _ann(mail: MailEndpoints, password: str = ANN.password) -> Mailbox:
    return Mailbox(_imap(mail), MailLogin(ANN.address, password, "ANN_MAIL_PASSWORD"), poll_seconds=60)


def _write_to_support(mail: MailEndpoints, thread: MailThread, text: str = "It broke.") -> SentLetter:
    outbox = Outbox(_smtp(mail), MailLogin(ANN.address, ANN.password))
    return outbox.send(thread, to=SUPPORT.address, subject="Warranty claim", text=text)


def _support_answers(
    mail: MailEndpoints,
    to: str,
    subject: str,
    *,
    in_reply_to: str = "",
    html: str = "",
    text: str = "Hello.",
    headers: tuple[tuple[str, str], ...] = (),
) -> None:
    """The company answers as a desk would: from support, threading on the customer's mail."""
    answer = EmailMessage()
    answer["From"], answer["To"], answer["Subject"] = SUPPORT.address, to, subject
    for name, value in headers:
        answer[name] = value
    if in_reply_to:
        answer["In-Reply-To"] = answer["References"] = in_reply_to
    answer.set_content(text)
    if html:
        answer.add_alternative(html, subtype="html")
    with smtplib.SMTP(mail.host, mail.smtp_port) as smtp:
        smtp.login(SUPPORT.address, SUPPORT.password)
        smtp.send_message(answer)


def test_a_reply_is_read_over_imap_with_the_servers_arrival_time(mail: MailEndpoints) -> None:
    thread = MailThread.new(ANN.address, plus_addressing=True)
    with _ann(mail) as mailbox:
        sent = _write_to_support(mail, thread)
        before = time.time()
        _support_answers(
            mail,
            thread.address,
            f"Re: {sent.subject}",
            in_reply_to=sent.message_id,
            html='<p>Your case is <b>CASE-1042</b>.</p><a href="http://127.0.0.1/cases/1042">See it</a>',
        )
        after = time.time()
        (letter,) = mailbox.wait_for(thread, timeout=10)
        looked = time.time()
    assert (letter.sender, letter.in_reply_to) == (SUPPORT.address, sent.message_id)
    assert letter.text == "Your case is CASE-1042.\nSee it"
    assert letter.links == ("http://127.0.0.1/cases/1042",)
    # INTERNALDATE gives whole seconds, from Dovecot; the mail was there when we looked
    assert int(before) <= letter.arrived_at <= min(int(after) + 1, looked)


def test_a_mail_that_says_a_program_sent_it_is_automatic(mail: MailEndpoints) -> None:
    thread = MailThread.new(ANN.address, plus_addressing=True)
    marks: list[tuple[tuple[str, str], ...]] = [
        (("Auto-Submitted", "auto-replied"),),
        (("Auto-Submitted", "auto-generated; type=ack"),),
        (("Precedence", "auto_reply"),),
        (("Auto-Submitted", "no"),),
        (),
    ]
    with _ann(mail) as mailbox:
        sent = _write_to_support(mail, thread)
        for headers in marks:
            _support_answers(
                mail, thread.address, f"Re: {sent.subject}", in_reply_to=sent.message_id, headers=headers
            )
        letters: list[Letter] = []
        while len(letters) < len(marks):
            letters.extend(mailbox.wait_for(thread, timeout=10))
    assert [letter.automatic for letter in sorted(letters, key=lambda letter: letter.uid)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_support_receives_the_customers_mail_threaded(mail: MailEndpoints) -> None:
    thread = MailThread.new(ANN.address, plus_addressing=True)
    support = Mailbox(_imap(mail), MailLogin(SUPPORT.address, SUPPORT.password))
    with support:
        sent = _write_to_support(mail, thread, text="Order 77, serial SN-9.")
        (letter,) = support.wait_for(thread, timeout=10)
    assert letter.message_id == sent.message_id and letter.sender == thread.address
    assert letter.subject == f"Warranty claim [{thread.token}]" and "SN-9" in letter.text


def test_idle_wakes_the_reader_when_mail_arrives(
    mail: MailEndpoints, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader is in IDLE before the mail is sent; polling (every 60 s) cannot be what wakes it."""
    idling = threading.Event()
    until_exists = mailbox_module._Idle._until_exists

    def announced(self: mailbox_module._Idle, deadline: float) -> bool:
        idling.set()
        return until_exists(self, deadline)

    monkeypatch.setattr(mailbox_module._Idle, "_until_exists", announced)
    thread = MailThread.new(ANN.address, plus_addressing=True)
    sent_at: list[float] = []

    def answer_once_idle() -> None:
        assert idling.wait(timeout=10)
        sent_at.append(time.time())
        _support_answers(mail, thread.address, "Re: your claim")
        sent_at.append(time.time())

    with _ann(mail) as mailbox, ThreadPoolExecutor(1) as company:
        answering = company.submit(answer_once_idle)
        letters = mailbox.wait_for(thread, timeout=10)
        woke_at = time.time()
        answering.result()
    assert len(letters) == 1 and mailbox.idle_wakeups == 1
    assert woke_at - sent_at[0] < 2.0
    # woken as it arrived, the reader knows its time better than the server's whole second
    sending, sent = sent_at
    assert int(sending) <= letters[0].arrived_at <= min(woke_at, int(sent) + 1)


def test_without_idle_the_reader_polls(mail: MailEndpoints, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that offers no IDLE: the reader looks again every ``poll_seconds``."""
    looked = threading.Event()
    new_letters = Mailbox.new_letters

    def announced(self: Mailbox, thread: MailThread) -> list[Letter]:
        found = new_letters(self, thread)
        looked.set()
        return found

    monkeypatch.setattr(Mailbox, "new_letters", announced)
    thread = MailThread.new(ANN.address, plus_addressing=True)
    mailbox = Mailbox(_imap(mail), MailLogin(ANN.address, ANN.password), poll_seconds=0.1)
    with mailbox, ThreadPoolExecutor(1) as company:
        assert mailbox.imap is not None
        mailbox.imap.capabilities = tuple(name for name in mailbox.imap.capabilities if name != "IDLE")

        def answer_after_first_look() -> None:
            assert looked.wait(timeout=10)
            _support_answers(mail, thread.address, "Re: your claim")

        answering = company.submit(answer_after_first_look)
        letters = mailbox.wait_for(thread, timeout=10)
        answering.result()
    assert len(letters) == 1 and mailbox.idle_wakeups == 0


@pytest.mark.parametrize("plus_addressing", [True, False], ids=["plus-address", "threading-headers"])
def test_parallel_journeys_on_one_mailbox_read_only_their_own_thread(
    mail: MailEndpoints, plus_addressing: bool
) -> None:
    """Issue #13, item 11: two journeys of one run on one test account read each other's replies."""
    first, second = (MailThread.new(ANN.address, plus_addressing=plus_addressing) for _ in range(2))
    with _ann(mail) as first_reader, _ann(mail) as second_reader:
        first_sent, second_sent = _write_to_support(mail, first), _write_to_support(mail, second)

        def read(reader: Mailbox, thread: MailThread) -> list[Letter]:
            return reader.wait_for(thread, timeout=10)

        with ThreadPoolExecutor(2) as journeys:
            first_read = journeys.submit(read, first_reader, first)
            second_read = journeys.submit(read, second_reader, second)
            _support_answers(mail, ANN.address, "Unrelated newsletter")
            # one answer threads by In-Reply-To only, the other by the token in its subject
            _support_answers(mail, second.address, "Re: your claim", in_reply_to=second_sent.message_id)
            first_subject = f"Re: Warranty claim [{first.token}]"
            _support_answers(mail, first.address, first_subject, text="First's answer")
            first_letters, second_letters = first_read.result(), second_read.result()
        assert [letter.text for letter in first_letters] == ["First's answer"]
        assert [letter.in_reply_to for letter in second_letters] == [second_sent.message_id]
        assert first_reader.new_letters(first) == [] and second_reader.new_letters(second) == []
    assert first_sent.message_id != second_sent.message_id


def test_silence_until_the_deadline_is_an_empty_answer(mail: MailEndpoints) -> None:
    thread = MailThread.new(ANN.address, plus_addressing=True)
    with _ann(mail) as mailbox:
        begun = time.monotonic()
        assert mailbox.wait_for(thread, timeout=0.5) == []
    assert 0.5 <= time.monotonic() - begun < 3


def test_a_wrong_imap_password_is_one_line_without_the_password(mail: MailEndpoints) -> None:
    with pytest.raises(MailLoginRefused) as refused:
        _ann(mail, password="hunter2-wrong").open()
    message = str(refused.value)
    assert "\n" not in message and "hunter2" not in message
    assert f"{mail.host}:{mail.imap_port}" in message and ANN.address in message
    assert "${ANN_MAIL_PASSWORD}" in message


def test_a_wrong_smtp_password_is_one_line_without_the_password(mail: MailEndpoints) -> None:
    outbox = Outbox(_smtp(mail), MailLogin(ANN.address, "hunter2-wrong", "ANN_MAIL_PASSWORD"))
    with pytest.raises(MailLoginRefused) as refused:
        thread = MailThread.new(ANN.address, plus_addressing=True)
        outbox.send(thread, to=SUPPORT.address, subject="s", text="t")
    message = str(refused.value)
    assert "\n" not in message and "hunter2" not in message and f"{mail.host}:{mail.smtp_port}" in message


def test_an_unreachable_server_is_one_line_naming_it() -> None:
    with pytest.raises(MailServerUnreachable) as unreachable:
        Mailbox(MailServer("127.0.0.1", 9, "none"), MailLogin(ANN.address, "hunter2")).open()
    message = str(unreachable.value)
    assert "127.0.0.1:9" in message and "\n" not in message and "hunter2" not in message
    assert unreachable.value.channel == "email"


def test_a_mail_is_read_as_paragraphs_without_quotes_or_signature() -> None:
    text = (
        "Hello Ann,\n\nYour return RMA-10423 is\nregistered: send it within 14 days.\n\n"
        "> On Monday you wrote:\n> It broke.\n\nDana\n-- \nBrightline, 1 Main St"
    )
    assert paragraphs(text) == [
        "Hello Ann,",
        "Your return RMA-10423 is registered: send it within 14 days.",
        "Dana",
    ]
    assert paragraphs("Hello Ann,\nYour case is CASE-1042.") == ["Hello Ann,", "Your case is CASE-1042."]


def test_a_reply_says_re_once() -> None:
    assert reply_subject("Returning an item [ms1]") == "Re: Returning an item [ms1]"
    assert reply_subject("RE: Returning an item [ms1]") == "RE: Returning an item [ms1]"
