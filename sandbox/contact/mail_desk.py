"""The company's mail desk: its support mailbox read through a pipe, its answers sent by SMTP.

With ``--mail`` the demo company answers e-mail as a real one does, in the customer's own
mailbox. Two directions, two threads:

- **In**: the SMTP front end (on its own loop thread) hands every message delivered to the
  support mailbox to :meth:`MailDesk.take`, the mailbox's pipe. The desk reads it there and
  passes it to the contact centre on the app's event loop, where conversations live; the
  sender's ``250`` waits for that, as an MTA waits for a help desk's pipe. A mail that answers
  one of the company's mails of an open contact continues that contact; anything else opens a
  new email contact, the From address (lower case, plus part kept) being the customer.
- **Out**: every email contact, however it was opened (a mail, the contact form, the webmail),
  is watched from its opening. Each group of the company's lines that share a due time (the
  webmail's :func:`~sandbox.contact.webmail.email_of`) becomes one mail as it is delivered, sent
  through the SMTP front end logged in as the support mailbox, threaded on the customer's
  latest mail. ``smtplib`` blocks, so each contact's mails are sent off the loop, in order, by
  one task per contact.

Every new email contact is a new ticket at the support desk (:mod:`sandbox.contact.tickets`), so
its first mail is the desk's automatic reply, before anyone has read it: it names the ticket's
reference and, once the web server's address is known (:meth:`MailDesk.link_tickets`), links
the ticket page, as help desks do.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import re
import secrets
import smtplib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from html.parser import HTMLParser

from sandbox import COMPANY_NAME
from sandbox.contact.hub import LiveConversation, StreamEnd, Subscription, TranscriptEntry
from sandbox.contact.service import SUPPORT_EMAIL, ContactCentreService
from sandbox.contact.webmail import Email, company_lines, email_of
from sandbox.mail import MailAccount, MailEndpoints
from sandbox.mail.accounts import base_address

TEST_MAILBOX = "mystery.shopper@testmail.example"
"""The customers' test mailbox; ``mystery.shopper+anything@testmail.example`` lands in it too."""
MAILBOX_PASSWORD_VARIABLE = "SANDBOX_MAILBOX_PASSWORD"
DEFAULT_MAILBOX_PASSWORD = "brightline-demo"
MESSAGE_ID_DOMAIN = SUPPORT_EMAIL.rpartition("@")[2]
SMTP_TIMEOUT_SECONDS = 10.0
CLOSE_SECONDS = 3.0
"""How long a stopping sandbox lets the mails already due go out before it stops sending."""

ACKNOWLEDGEMENT = (
    "Thank you for writing to Brightline Appliances.",
    "This is an automatic reply: we have received your message, and a member of our team"
    " will answer you by e-mail.",
)
"""What the desk mails at once for every new ticket, before anyone has read it (as desks do)."""

_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw)\s*:\s*)+", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


def sandbox_mailboxes(environ: Mapping[str, str]) -> tuple[MailAccount, MailAccount]:
    """The support mailbox (a password nobody else learns) and the customers' test mailbox.

    The test mailbox's password comes from ``SANDBOX_MAILBOX_PASSWORD``, so a harness can keep
    it out of its profile; unset (or empty), the documented demo password.
    """
    support = MailAccount(SUPPORT_EMAIL, secrets.token_urlsafe(18))
    customers = MailAccount(TEST_MAILBOX, environ.get(MAILBOX_PASSWORD_VARIABLE) or DEFAULT_MAILBOX_PASSWORD)
    return support, customers


# -- reading a customer's mail ----------------------------------------------------------------


@dataclass(frozen=True)
class InboundMail:
    """A customer's mail as the desk reads it.

    Attributes:
        sender: The From address, lower case, in full (``ann+j1@x``: one journey of many).
        subject: The subject without its ``Re:``/``Fwd:`` prefixes.
        body: The text (the plain part, else the HTML's text), quoted lines dropped.
        message_id: Its Message-ID, if it has one.
        references: The Message-IDs it answers (References, then In-Reply-To), oldest first.
    """

    sender: str
    subject: str
    body: str
    message_id: str | None
    references: tuple[str, ...]


def read_inbound(content: bytes) -> InboundMail:
    """Parse a delivered message into what the contact centre needs."""
    message = message_from_bytes(content, policy=policy.default)
    assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage
    ids = _MESSAGE_ID.findall(str(message.get("References", "")))
    ids += _MESSAGE_ID.findall(str(message.get("In-Reply-To", "")))
    own_id = _MESSAGE_ID.findall(str(message.get("Message-ID", "")))
    return InboundMail(
        sender=parseaddr(str(message.get("From", "")))[1].strip().lower(),
        subject=_REPLY_PREFIX.sub("", str(message.get("Subject", ""))).strip(),
        body=body_text(message),
        message_id=own_id[0] if own_id else None,
        references=tuple(dict.fromkeys(ids)),
    )


def body_text(message: EmailMessage) -> str:
    """The message's own words: the text/plain part, else its HTML as text, without quotes."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    text = html_text(content) if part.get_content_subtype() == "html" else str(content)
    return without_quotes(text)


def without_quotes(text: str) -> str:
    """Drop quoted lines (``> ...``) and the ``On ..., X wrote:`` line that introduces them.

    A reply quotes the company's own mail; read as the customer's words, it would make the
    contact centre hear its own questions as answers.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    kept = []
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue
        rest = [later for later in lines[index + 1 :] if later.strip()]
        if line.rstrip().endswith("wrote:") and rest and rest[0].lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


class _HtmlText(HTMLParser):
    """HTML to plain text: blocks become lines; scripts, styles and quotations are dropped."""

    BLOCKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    SKIPPED = frozenset({"script", "style", "blockquote", "head"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(markup: str) -> str:
    """The text a reader sees in an HTML mail, one line per block."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# -- writing the company's mail -----------------------------------------------------------------


@dataclass
class MailThread:
    """One email contact's thread: where its mails go and the Message-IDs so far.

    Attributes:
        address: The customer's address, as they wrote it (the mails' To).
        chain: The thread's Message-IDs, oldest first (the next mail's References).
        customer_latest: The customer's latest Message-ID (the next mail's In-Reply-To).
    """

    address: str
    chain: list[str] = field(default_factory=list)
    customer_latest: str | None = None

    def customer_wrote(self, mail: InboundMail) -> None:
        """The customer's mail joins the thread; its own References are the truer chain."""
        if mail.references:
            self.chain = list(mail.references)
        if mail.message_id is not None:
            self.chain = [*(known for known in self.chain if known != mail.message_id), mail.message_id]
            self.customer_latest = mail.message_id


def company_mail(
    email: Email, thread: MailThread, message_id: str, *, automatic: bool = False
) -> EmailMessage:
    """One of the company's mails: a plain and an HTML part, one paragraph per line it wrote.

    An automatic one (the acknowledgement) says so in ``Auto-Submitted``, as RFC 3834 asks.
    """
    message = EmailMessage()
    message["From"] = Address(display_name=email.sender_name, addr_spec=SUPPORT_EMAIL)
    message["To"] = thread.address
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    if automatic:
        message["Auto-Submitted"] = "auto-replied"
    if thread.customer_latest is not None:
        message["In-Reply-To"] = thread.customer_latest
    if thread.chain:
        message["References"] = " ".join(thread.chain)
    message.set_content("\n\n".join(email.paragraphs))
    paragraphs = "".join(
        f"<p>{html.escape(paragraph).replace(chr(10), '<br>')}</p>\n" for paragraph in email.paragraphs
    )
    message.add_alternative(f"<html><body>\n{paragraphs}</body></html>\n", subtype="html")
    return message


class MailDesk:
    """The company's side of e-mail: reads the support mailbox's pipe, mails its answers.

    Made before the app (the mail servers need its pipe), attached to the contact centre by
    :func:`sandbox.app.create_app` (:meth:`serve`), started on the app's loop (:meth:`start`),
    and told where to send once the servers run (:meth:`send_through`).

    Args:
        support: The support mailbox: the address the company writes from, and its login.
    """

    def __init__(self, support: MailAccount) -> None:
        self.support = support
        self._smtp: tuple[str, int] | None = None
        self._loop: concurrent.futures.Future[asyncio.AbstractEventLoop] = concurrent.futures.Future()
        self._service: ContactCentreService | None = None
        self._threads: dict[str, MailThread] = {}
        self._sent_ids: dict[str, LiveConversation] = {}
        self._senders: set[asyncio.Task[None]] = set()
        self._ticket_pages: str | None = None
        self._closing = False

    def serve(self, service: ContactCentreService) -> None:
        """Answer for this contact centre: watch every email contact it opens."""
        self._service = service
        service.hub.watch_openings(self._watch)

    def send_through(self, endpoints: MailEndpoints) -> None:
        """Send through this SMTP front end (known once the mail servers have started)."""
        self._smtp = (endpoints.host, endpoints.smtp_port)

    def link_tickets(self, base_url: str) -> None:
        """Link ticket pages in the automatic replies: the site's address, once it listens.

        Args:
            base_url: Where customers reach the web server, e.g. ``http://127.0.0.1:8123``.
        """
        self._ticket_pages = base_url.rstrip("/")

    def start(self) -> None:
        """Note the app's loop (call on it): mail read before this waits for it."""
        if not self._loop.done():
            self._loop.set_result(asyncio.get_running_loop())

    async def close(self) -> None:
        """Let the mails already due go out (briefly), then stop every sender."""
        self._closing = True
        if self._senders:
            _, late = await asyncio.wait(self._senders, timeout=CLOSE_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    # -- in ---------------------------------------------------------------------------

    async def take(self, content: bytes) -> None:
        """The support mailbox's pipe (on the SMTP loop): hand the mail to the contact centre."""
        mail = read_inbound(content)
        loop = await asyncio.wrap_future(self._loop)
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._receive(mail), loop))

    async def _receive(self, mail: InboundMail) -> None:
        """Continue the contact the mail answers, or open a new one (on the app's loop)."""
        service = self._service
        if service is None or self._closing:
            _log(f"the mail from {mail.sender or 'nobody'} stays unread: the desk is not answering")
            return
        if not mail.sender:
            _log("a mail without a From address stays unread: there is nobody to answer")
            return
        if base_address(mail.sender) == base_address(self.support.address):
            return  # its own answer (a form filled in with the support address): answering would loop
        answered = self._answered(mail)
        if answered is not None and not answered.finished:
            self._threads[answered.key].customer_wrote(mail)
            answered.say(mail.body)
            return
        subject = answered.subject if answered is not None else mail.subject
        live = service.open("email", mail.sender, subject=subject)
        self._threads[live.key].customer_wrote(mail)  # before its sender runs: the reply threads on it
        live.say(f"{subject}\n{mail.body}".strip())

    def _answered(self, mail: InboundMail) -> LiveConversation | None:
        """The customer's contact whose company mail this mail answers (the latest one named)."""
        for message_id in reversed(mail.references):
            live = self._sent_ids.get(message_id)
            if live is not None and live.customer.casefold() == mail.sender:
                return live
        return None

    # -- out --------------------------------------------------------------------------

    def _watch(self, live: LiveConversation) -> None:
        """A conversation opened: if it is an email contact, mail its answers from now on."""
        if live.channel != "email":
            return
        self._threads[live.key] = MailThread(address=live.customer)
        _, subscription = live.subscribe(len(live.history))
        if subscription is None:
            return
        task = asyncio.get_running_loop().create_task(
            self._send_answers(live, subscription), name=f"mail {live.conversation.contact_id}"
        )
        self._senders.add(task)
        task.add_done_callback(self._senders.discard)

    async def _send_answers(self, live: LiveConversation, subscription: Subscription) -> None:
        """Mail each group of the company's lines as it is delivered, in order, until the end.

        Lines due together are delivered together, so everything already in the queue when the
        task wakes is taken at once and split by due time.
        """
        try:
            await self._send(live, self._acknowledgement(live), automatic=True)
            ended = False
            while not ended:
                batch = [await subscription.get()]
                while not subscription.empty():
                    batch.append(subscription.get_nowait())
                ended = any(isinstance(item, StreamEnd) for item in batch)
                lines = company_lines([item for item in batch if isinstance(item, TranscriptEntry)])
                for group in _by_due_time(lines):
                    await self._send(live, email_of(live, group))
        finally:
            live.unsubscribe(subscription)

    def _acknowledgement(self, live: LiveConversation) -> Email:
        """The automatic reply to a new ticket, with its reference and page when known."""
        ticket = None if self._service is None else self._service.tickets.get(live.key)
        if ticket is None:
            return acknowledgement(live)
        if self._ticket_pages is None:
            return acknowledgement(live, f"Your ticket number is {ticket.reference}.")
        link = f"{self._ticket_pages}{ticket.path}"
        return acknowledgement(
            live, f"Your ticket number is {ticket.reference}. You can follow it here: {link}"
        )

    async def _send(self, live: LiveConversation, email: Email, *, automatic: bool = False) -> None:
        thread = self._threads[live.key]
        message_id = make_msgid(domain=MESSAGE_ID_DOMAIN)
        message = company_mail(email, thread, message_id, automatic=automatic)
        thread.chain.append(message_id)
        self._sent_ids[message_id] = live
        await asyncio.to_thread(self._submit, message, thread.address)

    def _submit(self, message: EmailMessage, recipient: str) -> None:
        """Submit one mail (blocking); a refusal is one line on stderr, never a crash."""
        if self._smtp is None:
            _log(f"no mail server to send through: the answer to {recipient} is not sent")
            return
        try:
            with smtplib.SMTP(*self._smtp, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
                smtp.login(self.support.address, self.support.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reason = next(iter(error.recipients.values()))
            _log(f"the answer to {recipient} is not sent: {code} {reason.decode(errors='replace')}")
        except (OSError, smtplib.SMTPException) as error:
            _log(f"the answer to {recipient} is not sent: {error}")


def acknowledgement(live: LiveConversation, *ticket_lines: str) -> Email:
    """The automatic reply to a new ticket: no person wrote it, and it is not in the transcript.

    Args:
        live: The new email contact.
        ticket_lines: Paragraphs naming the ticket (its reference, its page), after the rest.
    """
    return Email(
        id=f"{live.key}-acknowledged",
        subject=f"Re: {live.subject}",
        sender=COMPANY_NAME,
        received_at=live.conversation.truth.started_at,
        paragraphs=(*ACKNOWLEDGEMENT, *ticket_lines),
    )


def _by_due_time(lines: list[TranscriptEntry]) -> list[list[TranscriptEntry]]:
    """Consecutive lines grouped by due time: one group, one mail."""
    groups: list[list[TranscriptEntry]] = []
    for line in lines:
        if groups and groups[-1][0].at == line.at:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _log(line: str) -> None:
    print(f"sandbox: {line}", file=sys.stderr, flush=True)
