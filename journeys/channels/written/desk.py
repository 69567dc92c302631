"""A support desk as a customer uses it: its form, then the ticket page it leads to.

The customer writes through the desk's form (the profile's ``write_to_desk`` flow: any fields,
a topic drop-down, the facts filled in), keeps the reference and the ticket page's address the
confirmation shows, and then looks at the ticket page now and then, as a customer does: each
look reads the entries that are new since the last, who wrote each (from an attribute, a class
or the words of its header line) and when (from the page's own time stamps). The customer
answers with the ``reply_on_desk`` flow; a desk that will not take the answer (a sign-in page,
a closed ticket) has refused it, which ends the contact: the customer cannot go on.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping
from typing import Any

from playwright.sync_api import BrowserContext, Page

from journeys.channels.base import Typing, customer_action
from journeys.channels.conversational import Line, Opening, read_line
from journeys.channels.flows import FlowResult
from journeys.channels.web import WebShop
from journeys.company.profile import ConversationSpec, DeskSpec

# Reads every entry of a ticket page: its whole text (for a speaker written in its header),
# its speaker attribute or class, each of its paragraphs, and its time stamp.
ENTRIES_SCRIPT = """
(entries, config) => entries.map((entry) => {
  const stamp = config.timeAttribute
    ? (config.time ? entry.querySelector(config.time) : entry) : null;
  const words = Array.from(entry.querySelectorAll(config.text)).map((node) => node.textContent.trim());
  return {
    whole: entry.textContent.replace(/\\s+/g, " ").trim(),
    speaker: config.speaker ? entry.getAttribute(config.speaker) || "" : entry.className || "",
    words: words.length ? words : [entry.textContent.trim()],
    written: stamp ? stamp.getAttribute(config.timeAttribute) || "" : "",
  };
})
"""


class DeskTicket:
    """One case at a support desk, page object of :func:`~journeys.channels.conversational.converse`."""

    channel = "desk"
    opening: Opening = "never"  # the form already said what the customer wants
    written = True
    hears_holds = False
    settle_floor = 1.0

    def __init__(
        self, web: WebShop, spec: DeskSpec, conversation: ConversationSpec, context: BrowserContext
    ) -> None:
        self.web = web
        self.spec = spec
        self.reading = dataclasses.replace(conversation, **spec.transcript)
        self.answer_timeout: float | None = spec.answer_timeout
        self.context = context
        self.ticket: str | None = None
        self.reference: str | None = None
        self.refusals: list[str] = []
        self.pending: list[Line] = []
        self.sent_at: float | None = None
        """When the desk says the customer's request was written; None before it is."""
        self.seen = 0
        self.last_look = -math.inf
        self._page: Page | None = None
        self._typing = Typing(web.company.secrets)

    @property
    def page(self) -> Page:
        """The customer's tab on the ticket page (the web shop's tab plays the flows)."""
        if self._page is None or self._page.is_closed():
            self._page = self.context.new_page()
            self._page.set_default_timeout(self.web.spec.timeout * 1000)
        return self._page

    def start(self, given: Mapping[str, str]) -> FlowResult:
        """Fill in and send the form; keep the ticket page's address and the reference shown,
        and when the desk says the request was written (its own stamp on the customer's entry)."""
        started = time.time()
        result = self.web.play("write_to_desk", given)
        self.ticket = result.facts.get("ticket")
        self.reference = result.facts.get("reference")
        if self.ticket is not None and not result.stopped:
            self.pending = self._look()
            own = [line.at for line in self.pending if line.speaker == self.reading.customer_speaker]
            self.sent_at = min(own) if own else started
        return result

    def quiet_for(self) -> float | None:

        return None

    def new_lines(self) -> list[Line]:
        """What the ticket page shows that it did not at the last look (every poll_seconds)."""
        if self.pending:
            lines, self.pending = self.pending, []
            return lines
        if self.ticket is None or time.monotonic() - self.last_look < self.spec.poll_seconds:
            return []
        return self._look()

    def _look(self) -> list[Line]:
        assert self.ticket is not None
        self.last_look = time.monotonic()
        with customer_action(self.channel, "look at the ticket page", self.web.spec.timeout):
            self.page.goto(self.ticket)
            entries = self.page.locator(self.reading.entry).evaluate_all(ENTRIES_SCRIPT, self._config())
        new, self.seen = entries[self.seen :], max(self.seen, len(entries))
        return [line for entry in new for line in self._lines(entry)]

    def _config(self) -> dict[str, Any]:
        return {
            "text": self.reading.text,
            "speaker": self.reading.speaker_attribute,
            "time": self.reading.time,
            "timeAttribute": self.reading.time_attribute,
        }

    def _lines(self, entry: Mapping[str, Any]) -> list[Line]:
        """An entry's paragraphs as lines, each with the entry's speaker and time."""
        seen_at = time.time()
        read = read_line(
            {"at": seen_at, "speaker": entry["speaker"], "text": entry["whole"], "written": entry["written"]},
            self.reading,
        )
        paragraphs = [str(words) for words in entry["words"] if str(words).strip()]
        return [Line(read.at, read.speaker, words) for words in paragraphs]

    def say(self, text: str, *, field: str | None = None) -> bool:
        """Answer on the ticket page; False when the desk would not take it (kept in ``refusals``)."""
        if self.ticket is None:
            return False
        result = self.web.play("reply_on_desk", {"ticket": self.ticket, "message": text})
        if result.stopped:
            self.refusals.append(result.refusal or result.missing or "the desk did not take the answer")
            return False
        self.last_look = -math.inf  # look again at once: a desk often answers a reply on the spot
        return True

    def press(self, key: str) -> None:
        """A ticket has no keypad: a menu in it is answered by writing the choice."""
        self.say(key)

    def leave(self) -> None:
        if self._page is not None and not self._page.is_closed():
            self._page.close()

    def pause(self, seconds: float) -> None:
        time.sleep(seconds)

    def screenshot(self, path: str) -> bool:
        """The ticket page as the customer last saw it, secrets masked."""
        if self._page is None or self._page.is_closed():
            return self.web.screenshot(path)
        self._typing.screenshot(self._page, path)
        return True
