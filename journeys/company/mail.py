"""The customer's mailbox, as a company profile's ``[mail]`` table describes it.

A customer writes to a company from a mailbox of their own and reads its answers there, so
the harness needs a test mailbox (a dedicated one, with an app password), its IMAP and SMTP
servers, and the company's address, which is the only address it writes to. Servers are
written as addresses a person can read: ``imaps://imap.example.com:993`` (TLS from the first
byte), ``imap+starttls://host:143`` (upgraded after the greeting), ``smtps://host:465``,
``smtp+starttls://host:587``; ``imap://`` and ``smtp://`` (no TLS) only on loopback, where
the demo company's servers are. ``{server.imap}`` takes what the company's local server said
it listens on.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

Security = Literal["none", "starttls", "tls"]
"""``tls``: TLS from the first byte (IMAPS 993, SMTPS 465); ``starttls``: upgraded after the
greeting (IMAP 143, submission 587); ``none``: plain text, for servers on loopback only."""

SCHEMES: dict[str, tuple[str, Security, int]] = {
    "imap": ("imap", "none", 143),
    "imap+starttls": ("imap", "starttls", 143),
    "imaps": ("imap", "tls", 993),
    "smtp": ("smtp", "none", 25),
    "smtp+starttls": ("smtp", "starttls", 587),
    "smtps": ("smtp", "tls", 465),
}
LOOPBACK = ("127.0.0.1", "::1", "localhost")
ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SERVER_SAID = re.compile(r"\{server\.([A-Za-z_][A-Za-z0-9_]*)\}")
"""``{server.imap}``: what the local server's ready line said in its named group ``imap``."""


def server_said(text: str, said: Mapping[str, str]) -> str:
    """``text`` with each ``{server.NAME}`` the local server said filled in (the rest left)."""
    return SERVER_SAID.sub(lambda found: said.get(found.group(1), found.group(0)), text)


@dataclass(frozen=True)
class MailServer:
    """One IMAP or SMTP server."""

    host: str
    port: int
    security: Security = "starttls"

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class MailLogin:
    """A mailbox's user and password; the password never appears in a repr or a message.

    Attributes:
        user: the login name, often the address itself.
        password: the password or app password, read from the profile's ``${NAME}``.
        secret_name: that ``NAME``, so that an error can say which variable to fix.
    """

    user: str
    password: str = field(repr=False)
    secret_name: str = ""

    def fix(self) -> str:
        """How to fix a refused login, naming the variable rather than the password."""
        where = f" (${{{self.secret_name}}})" if self.secret_name else ""
        return f"check the user {self.user!r} and its password{where} (an app password, if the provider asks)"


def server_address(text: str, protocol: str) -> MailServer | str:
    """The server an address such as ``imaps://imap.example.com:993`` names, or why it names none.

    Args:
        text: the address as written.
        protocol: ``imap`` or ``smtp``: what the address must be for.
    """
    kinds = [scheme for scheme, (wanted, _, _) in SCHEMES.items() if wanted == protocol]
    example = {"imap": "imaps://imap.example.com:993", "smtp": "smtp+starttls://smtp.example.com:587"}
    parts = urlsplit(text)
    if parts.scheme not in kinds:
        schemes = ", ".join(kind + "://" for kind in kinds)
        return f"must start with {schemes}, e.g. {example[protocol]}; not {text!r}"
    _, security, default_port = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        return f"has no valid port: {text!r}"
    host = parts.hostname or ""
    if not host:
        return f"names no host: {text!r}"
    if security == "none" and host not in LOOPBACK:
        secure = f"{protocol}s://{host}" if protocol == "imap" else f"smtp+starttls://{host}"
        return f"would send the password in clear over the network to {host}: use {secure}"
    return MailServer(host, port, security)


@dataclass(frozen=True)
class MailSpec:
    """``[mail]``: the test mailbox the customer writes from and reads in.

    Attributes:
        company: the address the customer writes to; the harness writes to no other.
        address: the test mailbox's address.
        login: its user and password.
        imap, smtp: the servers as written (``{server.imap}`` until the local server says).
        plus_addressing: the mailbox takes ``local+tag@domain``, so each journey writes from
            an address of its own in it; without, journeys are told apart by their threads.
        answer_timeout: seconds the company may take to answer a mail before the journey
            records that it did not (a finding, not a broken journey).
        poll_seconds: how often to look for mail where the server offers no IDLE.
        automatic: patterns of an automatic acknowledgement ("we have received your
            message"): such a mail is read (a reference in it counts), but it is not an
            answer, so the wait for a person goes on.
    """

    company: str
    address: str
    login: MailLogin
    imap: str
    smtp: str
    plus_addressing: bool = True
    answer_timeout: float = 4 * 3600.0
    poll_seconds: float = 60.0
    automatic: tuple[re.Pattern[str], ...] = ()
    written_at: str = ""

    def started(self, said: Mapping[str, str]) -> MailSpec:
        """The table once the company's local server said where its mail servers listen."""

        return dataclasses.replace(self, imap=server_said(self.imap, said), smtp=server_said(self.smtp, said))

    def server(self, protocol: Literal["imap", "smtp"]) -> MailServer | str:
        """The IMAP or SMTP server, or why there is none yet."""
        written = self.imap if protocol == "imap" else self.smtp
        if "{server." in written:
            return (
                f"{self.written_at}: mail.{protocol} is {written!r}, but the company's server did not say"
                f" where its {protocol.upper()} server listens"
            )
        found = server_address(written, protocol)
        return found if isinstance(found, MailServer) else f"{self.written_at}: mail.{protocol} {found}"

    def journey_address(self, tag: str) -> str:
        """The address a journey writes from: a plus-address of its own, where the mailbox has them."""
        if not self.plus_addressing:
            return self.address.lower()
        local, _, domain = self.address.partition("@")
        return f"{local.partition('+')[0]}+{tag}@{domain}".lower()
