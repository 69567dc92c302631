"""E-mail as a customer writes it: from their own mailbox to the company's address, and back.

The first mail states the request; the company's answers are read in the test mailbox over
IMAP as they arrive (woken by IDLE where the server offers it), each line stamped with the
mail's arrival time; the customer's answers go out over SMTP as replies in the same thread.
Each contact has a thread of its own, so journeys sharing one mailbox never read each
other's mail. Links in the company's mails are kept, for a later step to open.
"""

from __future__ import annotations

import re
import time
from types import TracebackType
from typing import Literal

from journeys.channels.conversational import AUTOMATIC, Line, Opening
from journeys.channels.written.letters import Letter, MailThread, SentLetter
from journeys.channels.written.mailbox import Mailbox
from journeys.channels.written.outbox import Outbox
from journeys.company.mail import MailServer, MailSpec
from journeys.errors import ConfigError

LOOK_SECONDS = 1.0
"""The longest one look waits in IDLE before the conversation checks its own clocks."""
QUOTED = re.compile(r"^\s*>")
SIGNATURE = "-- "


def paragraphs(text: str) -> list[str]:
    """A mail's text as the paragraphs a customer reads, quoted lines and signature left out.

    A plain-text mail wraps its lines and separates paragraphs by a blank line; the text of
    an HTML mail has a line per block. Either way, each paragraph is one line of words.
    """
    kept: list[str] = []
    for line in text.splitlines():
        if line == SIGNATURE or line.rstrip() == "--":
            break
        if not QUOTED.match(line):
            kept.append(line.strip())
    body = "\n".join(kept)
    blocks = re.split(r"\n\s*\n", body) if re.search(r"\n\s*\n", body) else body.split("\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def reply_subject(subject: str) -> str:
    """``Re:`` and the subject answered, once: ``Re: Re: Re:`` is a mail client's bad habit."""
    return subject if re.match(r"(?i)\s*re\s*:", subject) else f"Re: {subject}"


def mail_server(spec: MailSpec, protocol: Literal["imap", "smtp"]) -> MailServer:
    """The IMAP or SMTP server of the profile's ``[mail]``, or a one-line error."""
    found = spec.server(protocol)
    if isinstance(found, str):
        raise ConfigError(found)
    return found


class EmailConversation:
    """One e-mail contact, page object of :func:`~journeys.channels.conversational.converse`."""

    channel = "email"
    opening: Opening = "never"  # the first mail already says what the customer wants
    written = True
    hears_holds = False
    settle_floor = 1.0

    def __init__(self, spec: MailSpec, thread: MailThread) -> None:
        self.spec = spec
        self.thread = thread
        self.answer_timeout: float | None = spec.answer_timeout
        self.mailbox = Mailbox(mail_server(spec, "imap"), spec.login, poll_seconds=spec.poll_seconds)
        self.outbox = Outbox(mail_server(spec, "smtp"), spec.login)
        self.letters: list[Letter] = []
        self.last_look = 0.0

    def __enter__(self) -> EmailConversation:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.leave()

    @property
    def links(self) -> list[str]:
        """Every link in the company's mails so far (a ticket page, an order's status), in order."""
        return list(dict.fromkeys(link for letter in self.letters for link in letter.links))

    def start(self, subject: str, message: str) -> SentLetter:
        """Open the mailbox (so no answer slips in before we look), then write to the company."""
        self.mailbox.open()
        return self._send(subject, message)

    def _send(self, subject: str, text: str) -> SentLetter:
        answering = self.letters[-1] if self.letters else None
        return self.outbox.send(
            self.thread,
            to=self.spec.company,
            subject=reply_subject(answering.subject) if answering else subject,
            text=text,
            answering=answering,
        )

    def quiet_for(self) -> float | None:

        return None

    def new_lines(self) -> list[Line]:
        """The company's new mails in this thread, a line per paragraph, at their arrival time."""
        if self.mailbox.idles:
            letters = self.mailbox.wait_for(self.thread, timeout=LOOK_SECONDS)
        elif time.monotonic() - self.last_look >= self.spec.poll_seconds:
            self.last_look = time.monotonic()
            letters = self.mailbox.new_letters(self.thread)
        else:
            return []
        lines: list[Line] = []
        for letter in letters:
            if letter.sender == self.thread.address:
                continue  # a copy of the customer's own mail
            self.letters.append(letter)
            speaker = AUTOMATIC if self.automatic(letter) else "company"
            lines.extend(Line(letter.arrived_at, speaker, words) for words in paragraphs(letter.text))
        return lines

    def automatic(self, letter: Letter) -> bool:
        """Whether a mail is an automatic acknowledgement: by its headers, or the profile's patterns."""
        return letter.automatic or any(
            pattern.search(f"{letter.subject}\n{letter.text}") for pattern in self.spec.automatic
        )

    def say(self, text: str, *, field: str | None = None) -> bool:
        """Answer the company's latest mail (its subject and References kept)."""
        self._send("", text)
        return True

    def press(self, key: str) -> None:
        """A mail has no keypad: a menu in a mail is answered by writing the choice."""
        self._send("", key)

    def leave(self) -> None:
        self.mailbox.close()

    def pause(self, seconds: float) -> None:
        if not self.mailbox.idles:
            time.sleep(seconds)  # with IDLE, the next look itself waits for mail
