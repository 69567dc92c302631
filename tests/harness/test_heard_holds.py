"""Holds heard on a real call: hold music starts and ends the hold, whatever words come before
it ("you are number 3 in the queue" is said before the music, not when the wait began), and a
long hold is a wait, never a company that went silent."""

from __future__ import annotations

import dataclasses

from scripted_page import ROOT, ScriptedPage, cancel_on_call

from journeys.channels.conversational import MUSIC_STARTED, MUSIC_STOPPED, Line, Opening, converse
from journeys.company.profile import load_company
from journeys.domain.metrics import measure_contact
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind


class Call(ScriptedPage):
    """A call that hears the lines it is given at set times of a clock the test moves."""

    channel = "phone"
    opening: Opening = "after_greeting"

    def __init__(self, lines: list[Line], *, hears_holds: bool) -> None:
        super().__init__(lines)
        self.hears_holds = hears_holds


LINES = [
    Line(100.5, "company", "Thank you for calling Brightline Appliances."),
    Line(101.0, "company", "You are number 3 in the queue."),
    Line(104.0, MUSIC_STARTED, ""),
    Line(400.0, MUSIC_STOPPED, ""),  # five minutes of music: past the 60 s a silence may last
    Line(401.0, "company", "Hello, this is Dana from Orders."),
    Line(403.0, "company", "I've cancelled your order BL-100001."),
    Line(404.0, "company", "This conversation has ended."),
]


def call(*, hears_holds: bool, lines: list[Line] = LINES, as_heard: bool = False) -> Contact:
    """The call read with ``[conversation.patterns]``, or as the phone reads it (``as_heard``:
    ``[phone.patterns]`` over them, and the line's known lines)."""
    page = Call(list(lines), hears_holds=hears_holds)
    return cancel_on_call(page, read_as="phone" if as_heard else "chat", settle_seconds=5)


def test_the_hold_is_the_music_not_the_words_before_it() -> None:
    contact = call(hears_holds=True)

    holds = [(event.kind, event.at) for event in contact.timeline.events if "hold" in event.kind.value]
    assert holds == [(EventKind.HOLD_STARTED, 104.0), (EventKind.HOLD_ENDED, 400.0)]
    assert measure_contact(contact).hold_time == 296.0


def test_a_channel_that_reads_its_holds_takes_the_words() -> None:
    contact = call(hears_holds=False)

    assert contact.timeline.of_kind(EventKind.HOLD_STARTED)[0].at == 101.0


def test_an_announcement_inside_a_hold_does_not_end_it() -> None:
    """A queue says "You are next in line" over a pause in its music: one hold, from the music
    to the music's end before the agent (the demo company's truth counts it so). Heard as two
    holds, typical's queue measured 1.5 to 2.3 s short (bench/phone_accuracy.py)."""
    lines = [
        *LINES[:3],
        Line(150.0, MUSIC_STOPPED, ""),
        Line(150.2, "company", "You are next in line."),
        Line(152.0, MUSIC_STARTED, ""),
        *LINES[3:],
    ]
    contact = call(hears_holds=True, lines=lines)

    holds = [(event.kind, event.at) for event in contact.timeline.events if "hold" in event.kind.value]
    assert holds == [(EventKind.HOLD_STARTED, 104.0), (EventKind.HOLD_ENDED, 400.0)]
    assert measure_contact(contact).hold_time == 296.0


def test_an_announcement_after_the_music_keeps_the_hold_until_a_person_speaks() -> None:
    """The queue's "you are next in line" comes near a hold's end, and the music after it is
    too short to be heard as music: nobody had answered until the agent spoke. Ended at the
    music's stop before it, typical's queue measured 2.5 s short (bench/phone_accuracy.py)."""
    lines = [
        *LINES[:3],
        Line(397.4, MUSIC_STOPPED, ""),
        Line(397.6, "company", "you are next in the queue"),  # as the phone hears it
        Line(400.3, "company", "good day dana from orders here"),
        *LINES[5:],
    ]
    contact = call(hears_holds=True, lines=lines, as_heard=True)

    assert contact.timeline.of_kind(EventKind.HOLD_ENDED)[0].at == 400.3
    assert measure_contact(contact).hold_time == 296.3


def test_words_that_are_no_announcement_after_the_music_leave_the_hold_ended_at_its_stop() -> None:
    """The agent back from a hold ("thanks for waiting i'm back") is no queue: the hold is over."""
    lines = [
        *LINES[:4],
        Line(400.3, "company", "thanks for waiting i'm back"),
        Line(402.0, "company", "good day dana from orders here"),
        *LINES[5:],
    ]
    contact = call(hears_holds=True, lines=lines, as_heard=True)

    assert contact.timeline.of_kind(EventKind.HOLD_ENDED)[0].at == 400.0


def test_the_hold_ends_when_the_music_stopped_not_when_the_agent_is_understood() -> None:
    lines = [*LINES[:4], Line(400.5, "company", "Thank you for holding."), *LINES[4:]]
    contact = call(hears_holds=True, lines=lines)

    assert contact.timeline.of_kind(EventKind.HOLD_ENDED)[0].at == 400.0
    assert measure_contact(contact).hold_time == 296.0


def test_music_whose_end_went_unheard_ends_when_someone_speaks_to_the_customer() -> None:
    """Seen on the demo's line: music, then the agent at once, and no end of music reported;
    the hold then ran on to the next hold's end, 22 s too long (bench/phone_accuracy.py)."""
    lines = [line for line in LINES if line.speaker != MUSIC_STOPPED]
    contact = call(hears_holds=True, lines=lines)

    assert contact.timeline.of_kind(EventKind.HOLD_ENDED)[0].at == 401.0
    assert measure_contact(contact).hold_time == 297.0


class Speaking(Call):
    """A call whose lines are sentences said for a while: a line is handed over once said,
    and the line is never quiet while someone speaks (as the phone's ear reports it)."""

    step = 0.1

    def __init__(self, sentences: list[tuple[float, float, str]]) -> None:
        super().__init__(
            [Line(start + length, "company", text) for start, length, text in sentences], hears_holds=True
        )
        self.sentences = sentences

    def quiet_for(self) -> float | None:
        ended = [start + length for start, length, _ in self.sentences if start <= self.now]
        speaking = any(start <= self.now < start + length for start, length, _ in self.sentences)
        return 0.0 if speaking or not ended else self.now - max(ended)


def test_the_customer_stays_on_the_line_while_the_agent_is_still_speaking() -> None:
    """The outcome, a pause, then the reference: the caller hears both before hanging up, however
    short its wait after an answer (the demo's run at 500x waits one second; its sentences are
    said at a person's pace). It hung up during the reference before."""
    page = Speaking(
        [
            (100.0, 2.0, "Hello this is Dana from Repairs"),  # as the recogniser writes speech
            (102.4, 2.5, "All done your repair is arranged"),
            (105.3, 3.0, "Your reference is RP-12345"),
        ]
    )
    company = load_company("sandbox", ROOT)
    assert company.conversation is not None and company.phone is not None
    spoken = {**company.conversation.patterns, **company.phone.patterns}  # how a call reads
    contact = Contact(channel="phone", purpose="repair", clock=page.clock)
    end = converse(
        page,
        contact,
        dataclasses.replace(company.conversation, patterns=spoken, settle_seconds=1.0),
        intent="repair",
        shopper=Shopper.for_journey(0, "phone"),
        facts={"order_number": "BL-100001"},
        clock=page.clock,
    )
    assert contact.timeline.references() == ["RP-12345"]
    assert end.ended_by == "customer" and page.now >= 108.3 + 1.0  # heard out, then a second of quiet
