"""A conversation's page for tests: lines the company says at set times of a clock the test
moves, and what the customer said back. Each test gives it its channel's manners."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from journeys.channels.conversational import ConversationPage, Line, Opening, converse
from journeys.company.profile import load_company
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind

ROOT = Path(__file__).resolve().parents[2]


class ScriptedPage:
    """Hands out each line once the clock reaches it; ``pause`` moves the clock by ``step``."""

    channel = "chat"
    opening: Opening = "at_once"
    written = False
    hears_holds = False
    step = 1.0

    def __init__(self, lines: list[Line], *, answer_timeout: float | None = 60.0) -> None:
        self.lines = lines
        self.answer_timeout = answer_timeout
        self.now = 100.0
        self.said: list[str] = []

    def clock(self) -> float:
        return self.now

    def quiet_for(self) -> float | None:
        return None

    def new_lines(self) -> list[Line]:
        due = [line for line in self.lines if line.at <= self.now]
        self.lines = [line for line in self.lines if line.at > self.now]
        return due

    def say(self, text: str, *, field: str | None = None) -> bool:
        self.said.append(text)
        return True

    def press(self, key: str) -> None:
        raise AssertionError(f"no keypad here (pressed {key})")

    def leave(self) -> None:
        pass

    def pause(self, seconds: float) -> None:
        self.now += self.step


ORDER = "BL-100001"


def cancel_on_call(page: ConversationPage, *, read_as: str, settle_seconds: float) -> Contact:
    """A caller who wants to cancel order ``ORDER``, on ``page``, reading the demo company as
    a contact on ``read_as`` reads it (``phone``: the line's words as heard)."""
    company = load_company("sandbox", ROOT)
    spec = company.conversation_on(read_as)
    assert spec is not None
    contact = Contact(channel="phone", purpose="cancel", clock=page.clock)
    contact.note(EventKind.CONTACT_STARTED)
    converse(
        page,
        contact,
        dataclasses.replace(spec, settle_seconds=settle_seconds),
        intent="cancel",
        shopper=Shopper.for_journey(0, "phone"),
        facts={"order_number": ORDER},
        clock=page.clock,
    )
    return contact
