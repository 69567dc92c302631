"""Where a mailbox's servers are and how to log in: what a company profile's mail section says."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Security = Literal["none", "starttls", "tls"]
"""``tls``: TLS from the first byte (IMAPS 993, SMTPS 465); ``starttls``: upgraded after the
greeting (IMAP 143, submission 587); ``none``: plain text, for servers on loopback only."""


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
