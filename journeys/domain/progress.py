"""What a journey in flight is doing now, in a few words, read from its contacts' timelines.

The live view of a run (:mod:`journeys.runner.live`) shows one line per journey in
flight: its channel, what the customer is going through and since when ("on hold",
"asked for order number again", "waiting for a reply"). Those words come from the
events the channels already note, never from a new observation: the last event of the
open contact that changes what the customer is doing decides them. Lines of a
conversation (``message_sent``, ``message_received``) change nothing on a live channel
(a chat would flicker between two states with every line); on a written channel the
customer's mail or form starts a wait for the company's reply.

A :class:`Doing` says whether it is one of the company's waits (a queue, a hold, an
e-mail reply): those are the waits a demo company shortens by its time scale, and the
live view shows them at the company's real pace, as the reports judge them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from journeys.domain.metrics import fields_requested
from journeys.domain.timeline import Channel, Contact, Event, EventKind, Timeline

WRITTEN_CHANNELS: frozenset[Channel] = frozenset({"email", "desk"})
"""Channels where the customer writes and then waits for the company's reply."""

UNCHANGED = frozenset({EventKind.MESSAGE_RECEIVED, EventKind.MESSAGE_SENT})
"""Events that leave a live conversation doing what it was doing."""


@dataclass(frozen=True)
class Doing:
    """What the customer is going through on one channel, and since when.

    Attributes:
        channel: the channel of the contact.
        words: what is happening, as a person says it ("on hold", "with Dana (billing)").
        since: wall-clock seconds when it began (the event's time).
        waiting: one of the company's waits (queue, hold, a written reply), which a
            demo company run faster shortens by its time scale.
    """

    channel: Channel
    words: str
    since: float
    waiting: bool = False


def field_words(field_name: str | None) -> str:
    """``order_number`` -> ``order number``; an unnamed field is ``something``."""
    return field_name.replace("_", " ") if field_name else "something"


def doing_now(contacts: Sequence[Contact]) -> Doing | None:
    """What the customer is doing in their latest contact; None before the first contact.

    Asking for a field counts as "again" when any earlier request of the journey asked
    for it (a recapture, as :mod:`journeys.domain.metrics` counts them).
    """
    if not contacts:
        return None
    contact = contacts[-1]
    earlier = [previous.timeline for previous in contacts[:-1]]
    events = list(contact.timeline)
    for position in range(len(events) - 1, -1, -1):
        event = events[position]
        if event.kind in UNCHANGED and not (
            contact.channel in WRITTEN_CHANNELS and event.kind is EventKind.MESSAGE_SENT
        ):
            continue
        return _doing(contact, event, events[:position], earlier)
    return None


def _doing(contact: Contact, event: Event, before: list[Event], earlier: list[Timeline]) -> Doing:
    """The words of one event, given the events of its contact before it."""
    kind, channel = event.kind, contact.channel
    waiting = False
    if kind is EventKind.CONTACT_STARTED:
        words = contact.purpose or "started"
    elif kind is EventKind.CONTACT_ENDED:
        words = "left"
    elif kind is EventKind.MENU_PROMPT:
        words = "in the menu"
    elif kind is EventKind.MENU_CHOICE:
        words = f"in the menu, pressed {event.key}" if event.key else "in the menu"
    elif kind is EventKind.HOLD_STARTED:
        joined = any(seen.kind is EventKind.AGENT_JOINED for seen in before)
        words, waiting = ("on hold" if joined else "in the queue"), True
    elif kind is EventKind.HOLD_ENDED:
        words = "off hold"
    elif kind is EventKind.AGENT_JOINED:
        words = f"with {event.agent or 'an agent'}" + (f" ({event.department})" if event.department else "")
    elif kind is EventKind.TRANSFERRED:
        words = "transferred" + (f" to {event.department}" if event.department else "")
    elif kind is EventKind.CONFERENCED:
        words = "colleague brought in" + (f" from {event.department}" if event.department else "")
    elif kind is EventKind.POLICY_RECITED:
        words = "read a policy"
    elif kind is EventKind.FOLLOWED_UP:
        late = event.by_promise is False
        words = "followed up by the company" + (" after the promised day" if late else "")
    elif kind is EventKind.ESCALATED:
        to = event.department or event.agent
        words = "escalated" + (f" to {to}" if to else "")
    elif kind is EventKind.INFO_REQUESTED:
        asked = fields_requested([*earlier, Timeline(list(before))])
        again = event.field_name is not None and asked[event.field_name] > 0
        words = f"asked for {field_words(event.field_name)}" + (" again" if again else "")
    elif kind is EventKind.MESSAGE_SENT:  # a written channel: the company's reply is awaited
        words, waiting = "waiting for a reply", True
    elif kind is EventKind.ACKNOWLEDGED:
        words, waiting = "automatic reply, waiting for a person", True
    elif kind is EventKind.REFERENCE_GIVEN:
        words = f"given reference {event.reference}" if event.reference else "given a reference"
    elif kind is EventKind.PROMISE_MADE:
        words = "given a promise"
    elif kind is EventKind.CHANNEL_SWITCH_OFFERED:
        words = "offered another channel"
    elif kind is EventKind.SATISFACTION_CHECK:
        words = "asked if satisfied"
    elif kind is EventKind.OUTCOME:
        words = {True: "told it is done", False: "told it cannot be done", None: "told the outcome"}[
            event.resolved
        ]
    else:
        words = str(kind).replace("_", " ")
    return Doing(channel=channel, words=words, since=event.at, waiting=waiting)
