"""Mail as the customer reads it: sender, subject, threading headers, text and links.

HTML mail is read as text (a customer reads the words, not the markup), and the links in a
mail (a ticket page, an order status page) are kept so a later step can open them.
"""

from __future__ import annotations

import email
import email.policy
import re
import secrets
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from html.parser import HTMLParser

LINK = re.compile(r"https?://[^\s<>\"')\]]+")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}


@dataclass(frozen=True)
class Letter:
    """One mail in the customer's mailbox.

    Attributes:
        uid: the IMAP UID in the mailbox's INBOX.
        arrived_at: when the server received it, seconds since the epoch: its IMAP
            INTERNALDATE (whole seconds), narrowed by when the reader saw it there.
        sender: the From address.
        recipients: To, Cc and Delivered-To addresses, lower case.
        message_id, in_reply_to, references: the threading headers, ``<...>`` included.
        text: the body as text (HTML turned into text).
        links: the http(s) links in the body, in order, each once.
        automatic: the mail says no person wrote it (RFC 3834's ``Auto-Submitted`` other
            than ``no``, or ``Precedence: auto_reply``), as help desks mark acknowledgements.
    """

    uid: int
    arrived_at: float
    sender: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    text: str
    links: tuple[str, ...]
    automatic: bool = False


@dataclass(frozen=True)
class SentLetter:
    """A mail the customer sent: what a reply will point back to."""

    message_id: str
    subject: str
    sent_at: float


@dataclass(frozen=True)
class MailThread:
    """One contact's own thread in a mailbox that other journeys may share.

    Attributes:
        token: unique to the contact; written into the subject (``[token]``) and into the
            Message-ID of everything it sends, so replies carry it in In-Reply-To and
            References.
        address: the address the contact writes from: the journey's own plus-address
            (``ann+journey@...``) where the mailbox supports one, else the plain address.
        own_address: the address is the journey's alone, so a mail to it that keeps no
            thread (an acknowledgement without References) is still the journey's.
    """

    token: str
    address: str
    own_address: bool = False

    @classmethod
    def new(cls, mailbox_address: str, *, plus_addressing: bool) -> MailThread:
        """A thread with a fresh token, on a plus-address of its own when the mailbox allows."""
        token = new_token()
        if not plus_addressing:
            return cls(token, mailbox_address.lower())
        local, _, domain = mailbox_address.partition("@")
        return cls(token, f"{local}+{token}@{domain}".lower(), own_address=True)

    @classmethod
    def writing_from(cls, address: str, *, own_address: bool) -> MailThread:
        """A thread with a fresh token, written from an address chosen for the journey."""
        return cls(new_token(), address.lower(), own_address)

    @property
    def tag(self) -> str:
        """The token as a subject carries it: ``[ms1a2b3c...]``."""
        return f"[{self.token}]"

    def subject(self, text: str) -> str:
        """The subject with the thread's tag, added once."""
        return text if self.tag in text else f"{text} {self.tag}"

    def message_id(self, domain: str) -> str:
        return f"<{self.token}.{secrets.token_hex(6)}@{domain}>"

    def claims(self, letter: Letter) -> bool:
        """Whether a mail belongs to this thread: it answers the thread's mail or names its tag;
        or, keeping no thread at all, it is to the journey's own address."""
        pointers = (letter.in_reply_to, *letter.references)
        if any(pointer.startswith(f"<{self.token}.") for pointer in pointers) or self.tag in letter.subject:
            return True
        return self.own_address and not any(pointers) and self.address in letter.recipients


def new_token() -> str:
    """A thread's token: short, unguessable, safe in a subject, an address and a Message-ID."""
    return f"ms{secrets.token_hex(6)}"


class _TextOfHtml(HTMLParser):
    """The words of an HTML mail, a line per block, and the targets of its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self.skipping += 1
        if tag in BLOCKS:
            self.parts.append("\n")
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith(("http://", "https://")):
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.skipping = max(0, self.skipping - 1)
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def _body(message: EmailMessage) -> tuple[str, list[str]]:
    # the HTML part is what a customer's mail client shows, and the only one with anchors
    part = message.get_body(preferencelist=("html", "plain"))
    if part is None:
        return "", []
    content = str(part.get_content())
    if part.get_content_subtype() != "html":
        return content.strip(), []
    reader = _TextOfHtml()
    reader.feed(content)
    return reader.text(), reader.links


def read_letter(uid: int, arrived_at: float, raw: bytes) -> Letter:
    """Parse one fetched mail into what the customer sees."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text, html_links = _body(message)
    links = tuple(dict.fromkeys([*html_links, *LINK.findall(text)]))
    headers = [str(value) for name in ("To", "Cc", "Delivered-To") for value in message.get_all(name, [])]
    return Letter(
        uid=uid,
        arrived_at=arrived_at,
        sender=(getaddresses([str(message.get("From", ""))]) or [("", "")])[0][1].lower(),
        recipients=tuple(address.lower() for _, address in getaddresses(headers) if address),
        subject=str(message.get("Subject", "")),
        message_id=str(message.get("Message-ID", "")).strip(),
        in_reply_to=str(message.get("In-Reply-To", "")).strip(),
        references=tuple(MESSAGE_ID.findall(str(message.get("References", "")))),
        text=text,
        links=links,
        automatic=_automatic(message),
    )


def _automatic(message: EmailMessage) -> bool:
    """Whether the mail's headers say a program sent it, not a person (RFC 3834)."""
    submitted = str(message.get("Auto-Submitted", "no")).split(";")[0].strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return submitted != "no" or precedence == "auto_reply"
