"""Who has a mailbox at the demo company's mail servers, and how they log in."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MailAccount:
    """A mailbox: the company's support address or a customer's test mailbox.

    The same address and password log in to IMAP (to read) and to SMTP (to send). Mail to
    ``local+anything@domain`` lands in the mailbox of ``local@domain`` (plus-addressing), so
    each journey can have an address of its own in one shared test mailbox.
    """

    address: str
    password: str = field(repr=False)

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2].lower()


def base_address(address: str) -> str:
    """The mailbox an address is delivered to: ``ann+journey1@x`` -> ``ann@x``, lower case."""
    local, _, domain = address.strip().strip("<>").rpartition("@")
    return f"{local.partition('+')[0]}@{domain}".lower()
