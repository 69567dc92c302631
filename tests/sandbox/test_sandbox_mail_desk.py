"""The mail desk without mail servers: how it reads a customer's mail and threads its answers.

The end-to-end tests (``test_sandbox_mail.py``) need Dovecot; these run anywhere. The desk's
pipe is called as the SMTP front end calls it (from another thread, with the raw bytes), and
its answers are caught where they would be handed to ``smtplib``.
"""

from __future__ import annotations

import asyncio
import queue
import re
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import make_msgid

from contact_client import MakeLiveSandbox, ticket_form

from sandbox.contact.mail_desk import MailDesk, html_text, read_inbound, without_quotes
from sandbox.contact.service import SUPPORT_EMAIL
from sandbox.mail import MailAccount

ANN = "ann+j1@customers.example"


class RecordingDesk(MailDesk):
    """A desk whose answers are kept here instead of being submitted over SMTP."""

    def __init__(self) -> None:
        super().__init__(MailAccount(SUPPORT_EMAIL, "not-used"))
        self.sent: queue.Queue[EmailMessage] = queue.Queue()

    def _submit(self, message: EmailMessage, recipient: str) -> None:
        self.sent.put(message)

    def write(self, letter: EmailMessage) -> None:
        """Hand a mail to the desk as the SMTP front end does: on a loop of another thread
        (this one may run a loop already: Playwright's, in a test process that used a browser)."""
        with ThreadPoolExecutor(1) as smtp_thread:
            smtp_thread.submit(asyncio.run, self.take(bytes(letter))).result(timeout=15)

    def next_answer(self) -> EmailMessage:
        return self.sent.get(timeout=15)


def _letter(sender: str, subject: str, text: str, answering: EmailMessage | None = None) -> EmailMessage:
    letter = EmailMessage()
    letter["From"], letter["To"], letter["Subject"] = sender, SUPPORT_EMAIL, subject
    letter["Message-ID"] = make_msgid(domain="customers.example")
    if answering is not None:
        letter["In-Reply-To"] = answering["Message-ID"]
        letter["References"] = f"{answering['References']} {answering['Message-ID']}"
    letter.set_content(text)
    return letter


def test_a_mail_is_read_as_its_own_words() -> None:
    letter = _letter("Ann <ANN+J1@Customers.example>", "RE: Fwd: Cancel my order", "")
    letter.set_content("BL-123456, please.\n\nOn Monday, Dana wrote:\n> What is your order number?\n")
    letter["References"] = "<a@x> <b@x>"
    letter["In-Reply-To"] = "<b@x>"
    mail = read_inbound(bytes(letter))
    assert (mail.sender, mail.subject, mail.body) == (ANN, "Cancel my order", "BL-123456, please.")
    assert mail.references == ("<a@x>", "<b@x>") and mail.message_id == letter["Message-ID"]


def test_an_html_only_mail_is_read_as_text_without_its_quotation() -> None:
    letter = _letter(ANN, "Cancel", "")
    letter.set_content(
        "<html><head><style>p{}</style></head><body><p>Please cancel</p><div>BL-1<br>Ann</div>"
        "<blockquote><p>What is your order number?</p></blockquote></body></html>",
        subtype="html",
    )
    assert read_inbound(bytes(letter)).body == "Please cancel\nBL-1\nAnn"
    assert html_text("<p>a &amp; b</p>") == "a & b"
    assert without_quotes("keep\n> drop\nwrote: keep too\nend") == "keep\nwrote: keep too\nend"


def test_answers_thread_on_the_customers_mails_and_a_reply_continues_the_contact(
    live_sandbox: MakeLiveSandbox,
) -> None:
    desk = RecordingDesk()
    sandbox = live_sandbox(time_scale=0.001, mail_desk=desk)
    first = _letter(ANN, "Cancel my order", "Please cancel my order.")
    desk.write(first)
    acknowledged = desk.next_answer()
    assert "This is an automatic reply" in str(acknowledged.get_body(preferencelist=("plain",)))
    assert acknowledged["Auto-Submitted"] == "auto-replied"  # RFC 3834: no person wrote it
    answer = desk.next_answer()
    assert answer["Auto-Submitted"] is None
    assert (answer["To"], answer["In-Reply-To"], answer["References"].split()[0]) == (
        ANN,
        first["Message-ID"],
        first["Message-ID"],
    )
    reply = _letter(ANN, "Re: Cancel my order", "BL-000000", answering=answer)
    desk.write(reply)
    second = desk.next_answer()
    assert second["In-Reply-To"] == reply["Message-ID"]
    thread = [first["Message-ID"], acknowledged["Message-ID"], answer["Message-ID"], reply["Message-ID"]]
    assert second["References"].split() == thread
    assert len(sandbox.truth(ANN)) == 1


def test_an_answer_to_a_finished_contact_or_from_someone_else_opens_a_new_one(
    live_sandbox: MakeLiveSandbox,
) -> None:
    desk = RecordingDesk()
    sandbox = live_sandbox(time_scale=0.001, mail_desk=desk)
    desk.write(_letter(ANN, "Cancel my order", "Please cancel my order."))
    answer = desk.next_answer()
    other = "bob@customers.example"
    desk.write(_letter(other, "Re: Cancel my order", "Me too.", answering=answer))
    assert [contact["customer"] for contact in sandbox.truth(other)] == [other]
    (contact,) = sandbox.service.hub.find("email", ANN)
    contact.conversation.leave(time.time())  # the conversation is thread-safe; the customer left
    desk.write(_letter(ANN, "Re: Cancel my order", "Are you there?", answering=answer))
    assert len(sandbox.truth(ANN)) == 2
    new_contact = sandbox.service.hub.find("email", ANN)[1]
    assert new_contact.subject == "Cancel my order"


def test_the_desk_never_answers_its_own_mail(live_sandbox: MakeLiveSandbox) -> None:
    """A contact form filled in with the support address must not start a loop of answers."""
    desk = RecordingDesk()
    sandbox = live_sandbox(time_scale=0.001, mail_desk=desk)
    desk.write(_letter(SUPPORT_EMAIL.replace("@", "+x@"), "Re: Cancel my order", "An answer."))
    assert sandbox.truth(SUPPORT_EMAIL.replace("@", "+x@")) == []


def test_the_automatic_reply_names_the_ticket_and_links_its_page(live_sandbox: MakeLiveSandbox) -> None:
    desk = RecordingDesk()
    sandbox = live_sandbox(time_scale=0.001, mail_desk=desk)
    desk.link_tickets(sandbox.url)  # as the command line does once the server listens
    form = ticket_form(ANN, "Cancel my order", "Please cancel my order.", topic="orders")
    ticket_path = sandbox.client.post("/contact", data=form).headers["location"]
    acknowledged = desk.next_answer()
    text = _plain(acknowledged)
    assert "This is an automatic reply" in text
    found = re.search(r"Your ticket number is (T-\d{6})\. You can follow it here: (\S+)", text)
    assert found is not None and found.group(2) == f"{sandbox.url}{ticket_path}"
    assert f"<h1>Ticket {found.group(1)}</h1>" in sandbox.client.get(ticket_path).text

    desk.write(_letter("bob@customers.example", "My kettle", "The kettle I bought stopped working."))
    (other,) = re.findall(
        r"Your ticket number is (T-\d{6})\.", _plain(desk.next_answer())
    )  # a mail opens a ticket too
    assert other != found.group(1)


def _plain(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())
