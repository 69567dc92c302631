"""What a journey in flight is doing now, from hand-built timelines: no browser, no server."""

from __future__ import annotations

from journeys.domain.progress import Doing, doing_now
from journeys.domain.timeline import Channel, Contact, Event, EventKind

START = EventKind.CONTACT_STARTED


def contact_with(
    channel: Channel, *events: tuple[float, EventKind, dict[str, object]], purpose: str = "return order BL-1"
) -> Contact:
    contact = Contact(channel=channel, purpose=purpose)
    for at, kind, details in events:
        contact.note(kind, at=at, **details)  # type: ignore[arg-type]
    return contact


def test_nothing_before_the_first_contact() -> None:
    assert doing_now([]) is None


def test_a_contact_just_opened_says_what_the_customer_came_for() -> None:
    assert doing_now([contact_with("web", (5.0, START, {}))]) == Doing("web", "return order BL-1", 5.0)


def test_a_queue_before_anyone_joined_and_a_hold_after_are_waits() -> None:
    queue = contact_with("phone", (0.0, START, {}), (2.0, EventKind.HOLD_STARTED, {}))
    assert doing_now([queue]) == Doing("phone", "in the queue", 2.0, waiting=True)

    hold = contact_with(
        "phone",
        (0.0, START, {}),
        (3.0, EventKind.AGENT_JOINED, {"agent": "Dana", "department": "Orders"}),
        (9.0, EventKind.HOLD_STARTED, {}),
    )
    assert doing_now([hold]) == Doing("phone", "on hold", 9.0, waiting=True)


def test_lines_of_a_live_conversation_leave_the_state_as_it_was() -> None:
    chat = contact_with(
        "chat",
        (0.0, START, {}),
        (3.0, EventKind.AGENT_JOINED, {"agent": "Dana", "department": "Orders"}),
        (4.0, EventKind.MESSAGE_RECEIVED, {"text": "Hello"}),
        (5.0, EventKind.MESSAGE_SENT, {"text": "Hi"}),
    )
    assert doing_now([chat]) == Doing("chat", "with Dana (Orders)", 3.0)


def test_a_mail_sent_waits_for_the_reply() -> None:
    mail = contact_with("email", (0.0, START, {}), (1.0, EventKind.MESSAGE_SENT, {"text": "My fryer..."}))
    assert doing_now([mail]) == Doing("email", "waiting for a reply", 1.0, waiting=True)


def test_a_field_asked_for_again_says_again_even_in_a_later_contact() -> None:
    first = contact_with(
        "chat",
        (0.0, START, {}),
        (1.0, EventKind.INFO_REQUESTED, {"field_name": "order_number"}),
        (2.0, EventKind.CONTACT_ENDED, {}),
    )
    assert doing_now([first]) is not None
    later = contact_with("phone", (3.0, START, {}))
    later.note(EventKind.INFO_REQUESTED, at=4.0, field_name="postcode")
    assert doing_now([first, later]) == Doing("phone", "asked for postcode", 4.0)
    later.note(EventKind.INFO_REQUESTED, at=5.0, field_name="order_number")
    assert doing_now([first, later]) == Doing("phone", "asked for order number again", 5.0)


def test_menus_transfers_and_what_the_company_said() -> None:
    call = contact_with("phone", (0.0, START, {}), (1.0, EventKind.MENU_PROMPT, {}))
    steps: list[tuple[EventKind, dict[str, object], str]] = [
        (EventKind.MENU_CHOICE, {"key": "3"}, "in the menu, pressed 3"),
        (EventKind.TRANSFERRED, {"department": "Returns"}, "transferred to Returns"),
        (EventKind.CONFERENCED, {"department": "Billing"}, "colleague brought in from Billing"),
        (EventKind.POLICY_RECITED, {}, "read a policy"),
        (EventKind.FOLLOWED_UP, {"by_promise": False}, "followed up by the company after the promised day"),
        (EventKind.ESCALATED, {}, "escalated"),
        (EventKind.REFERENCE_GIVEN, {"reference": "RMA-7"}, "given reference RMA-7"),
        (EventKind.OUTCOME, {"resolved": False}, "told it cannot be done"),
        (EventKind.CONTACT_ENDED, {}, "left"),
    ]
    for at, (kind, details, words) in enumerate(steps, start=2):
        call.note(kind, at=float(at), **details)  # type: ignore[arg-type]
        assert doing_now([call]) == Doing("phone", words, float(at))


def test_a_listener_hears_every_event_as_it_is_noted() -> None:
    heard: list[Event] = []
    contact = Contact(channel="chat", purpose="ask", listener=heard.append)
    contact.note(START, at=1.0)
    contact.note(EventKind.HOLD_STARTED, at=2.0)
    assert [event.kind for event in heard] == [START, EventKind.HOLD_STARTED]
    assert contact == Contact(channel="chat", purpose="ask", timeline=contact.timeline)  # not part of it
