"""The support desk's tickets: a reference and a page for every email contact.

A real help desk gives each case a number to quote and a page to follow it on. Here every
email contact (opened by the contact form, by a mail, or by a webmail reply to a closed one)
gets a :class:`Ticket` the moment it opens, before anything is said, so the mail desk's
automatic reply can already name it. The ticket page's key is the live conversation's own key,
which is random (:class:`~sandbox.contact.hub.ConversationHub`): a page nobody can guess.
References are ``T-`` and six digits, counting up from a start drawn from the sandbox's seed, so
a run is reproducible and the numbers do not look like the first tickets ever written.

The ticket page shows the transcript as a help desk's thread: the customer's messages, and the
company's lines grouped by due time (one entry per group, as one email per group), each entry
naming its author in words only (``by Dana (Orders)``, ``by Brightline Appliances``, ``by you``).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from sandbox import COMPANY_NAME
from sandbox.contact.hub import LiveConversation, TranscriptEntry

CUSTOMER_AUTHOR = "you"


@dataclass(frozen=True)
class TicketDetails:
    """What the contact form asked besides the message, shown on the ticket page.

    Attributes:
        topic: The queue chosen, as the form shows it ("Returns").
        order_number: As typed, or empty.
        serial_number: As typed, or empty.
    """

    topic: str = ""
    order_number: str = ""
    serial_number: str = ""


@dataclass(frozen=True)
class Ticket:
    """One case at the support desk.

    Attributes:
        reference: What the customer quotes, e.g. ``T-104233``.
        key: The ticket page's address (``/tickets/{key}``): the live conversation's key.
        subject: The customer's subject.
    """

    reference: str
    key: str
    subject: str

    @property
    def path(self) -> str:
        """The ticket page, relative to the site."""
        return f"/tickets/{self.key}"


@dataclass(frozen=True)
class ThreadEntry:
    """One entry of a ticket's thread: one customer message, or one group of company lines.

    Attributes:
        author: Who wrote it, as the page says after ``by``: ``Dana (Orders)``, the company's
            name for automatic lines, or ``you``.
        at: When it was sent (the customer's) or due (the company's), epoch seconds.
        paragraphs: One per line.
    """

    author: str
    at: float
    paragraphs: tuple[str, ...]


class TicketBook:
    """Every ticket of one running sandbox, by key.

    Args:
        seed: The sandbox's seed: the first reference derives from it.
    """

    def __init__(self, seed: int) -> None:
        first = random.Random(f"tickets:{seed}").randrange(100_000, 900_000)
        self._numbers = itertools.count(first)
        self._tickets: dict[str, Ticket] = {}
        self._details: dict[str, TicketDetails] = {}

    def open_for(self, live: LiveConversation) -> None:
        """Give a newly opened email contact its ticket (a hub's opening watcher)."""
        if live.channel == "email" and live.key not in self._tickets:
            reference = f"T-{next(self._numbers)}"
            self._tickets[live.key] = Ticket(reference, live.key, live.subject)

    def get(self, key: str) -> Ticket | None:
        """The ticket whose page is ``/tickets/{key}``."""
        return self._tickets.get(key)

    def note_details(self, key: str, details: TicketDetails) -> None:
        """Keep what the form asked besides the message, for the ticket page."""
        self._details[key] = details

    def details(self, key: str) -> TicketDetails:
        """What the form asked besides the message (empty for a ticket opened by mail)."""
        return self._details.get(key, TicketDetails())


def thread_of(live: LiveConversation) -> list[ThreadEntry]:
    """The conversation as a ticket's thread, oldest first (what has been delivered so far)."""
    entries: list[ThreadEntry] = []
    group: list[TranscriptEntry] = []

    def close_group() -> None:
        if group:
            entries.append(_company_entry(group))
            group.clear()

    for line in live.history:
        if line.transient:
            continue
        if line.speaker == "customer":
            close_group()
            paragraphs = tuple(part for part in line.text.split("\n") if part.strip())
            entries.append(ThreadEntry(CUSTOMER_AUTHOR, line.at, paragraphs))
        else:
            if group and group[0].at != line.at:
                close_group()
            group.append(line)
    close_group()
    return entries


def _company_entry(lines: list[TranscriptEntry]) -> ThreadEntry:
    """Company lines that share a due time; the author is the agent who wrote, if any."""
    agent = next((line for line in lines if line.who), None)
    if agent is None:
        author = COMPANY_NAME
    elif agent.department:
        author = f"{agent.who} ({agent.department})"
    else:
        author = str(agent.who)
    return ThreadEntry(author, lines[0].at, tuple(line.text for line in lines))
