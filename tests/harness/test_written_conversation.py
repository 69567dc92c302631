"""The conversation logic on a written channel: an automatic acknowledgement is read, but it is
not an answer; the wait for a person goes on, and first-response time passes it by."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from scripted_page import ScriptedPage

from journeys.channels.conversational import AUTOMATIC, ConversationEnd, Line, Opening, converse
from journeys.company.profile import load_company
from journeys.domain.metrics import measure_contact
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind

ROOT = Path(__file__).resolve().parents[2]


class Letters(ScriptedPage):
    """A mailbox that shows the lines it is given at set times of a clock the test moves."""

    channel = "email"
    opening: Opening = "never"
    written = True
    step = 10.0
    refuses = False

    def say(self, text: str, *, field: str | None = None) -> bool:
        super().say(text)
        return not self.refuses

    def press(self, key: str) -> None:
        raise AssertionError("a mail has no keypad")


def conversation(lines: list[Line], answer_timeout: float, *, refuses: bool = False) -> tuple[Contact, str]:
    company = load_company("sandbox", ROOT)
    assert company.conversation is not None
    spec = dataclasses.replace(company.conversation, settle_seconds=30)
    page = Letters(lines, answer_timeout=answer_timeout)
    page.refuses = refuses
    contact = Contact(channel="email", purpose="return", clock=page.clock)
    contact.note(EventKind.CONTACT_STARTED)
    contact.note(EventKind.MESSAGE_SENT, text="Returning an item")
    end = converse(
        page,
        contact,
        spec,
        intent="return",
        shopper=Shopper.for_journey(0, "written"),
        facts={"order_number": "BL-100001"},
        clock=page.clock,
    )
    return contact, end.ended_by


def test_an_acknowledgement_is_read_but_the_wait_for_a_person_goes_on() -> None:
    lines = [
        Line(120.0, AUTOMATIC, "We have received your message. Your case number is RMA-12345."),
        Line(400.0, "company", "Hello, this is Dana from Returns."),
        Line(400.0, "company", "Your return RMA-12345 has been registered."),
    ]
    contact, _ = conversation(lines, answer_timeout=1000)

    kinds = [event.kind for event in contact.timeline.events]
    assert kinds.count(EventKind.ACKNOWLEDGED) == 1
    assert contact.timeline.references()[0] == "RMA-12345"  # the acknowledgement's reference counts
    assert measure_contact(contact).first_response == 300.0  # from the mail to Dana, not to the robot


def test_a_desk_that_only_acknowledges_has_not_answered() -> None:
    lines = [Line(120.0, AUTOMATIC, "We have received your message and will reply soon.")]
    contact, ended_by = conversation(lines, answer_timeout=200)

    assert ended_by == "company: no answer within 200 s"
    assert measure_contact(contact).first_response is None


def test_an_answer_the_desk_will_not_take_ends_the_contact_unsent() -> None:
    lines = [Line(120.0, "company", "What is your order number, please?")]
    contact, ended_by = conversation(lines, answer_timeout=1000, refuses=True)

    assert ended_by == "company: refused the customer's answer"
    ending = ConversationEnd(None, ended_by, "").words()
    assert ending == "the company ended it: refused the customer's answer"
    assert [event.text for event in contact.timeline.of_kind(EventKind.MESSAGE_SENT)] == ["Returning an item"]
