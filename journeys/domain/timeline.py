"""What the customer lived through, as timestamped events observed from their side.

A journey is made of contacts (one per channel visit); each contact keeps a
timeline. Nothing here computes a metric: that happens once, in
:mod:`journeys.domain.metrics`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Channel = Literal["web", "chat", "social", "phone", "email", "desk"]
CHANNELS: tuple[Channel, ...] = ("web", "chat", "social", "phone", "email", "desk")
"""``desk``: a support desk's form, then its ticket page (a written channel, as e-mail is)."""


class EventKind(StrEnum):
    """The kinds of event the harness recognises (see DESIGN.md, "the customer-side timeline")."""

    CONTACT_STARTED = "contact_started"
    CONTACT_ENDED = "contact_ended"
    MENU_PROMPT = "menu_prompt"
    MENU_CHOICE = "menu_choice"
    HOLD_STARTED = "hold_started"
    HOLD_ENDED = "hold_ended"
    AGENT_JOINED = "agent_joined"
    TRANSFERRED = "transferred"
    CONFERENCED = "conferenced"
    """An agent brought a colleague or another department into the same contact and stayed
    with the customer: nobody was handed on, so it is no transfer."""
    ESCALATED = "escalated"
    INFO_REQUESTED = "info_requested"
    MESSAGE_SENT = "message_sent"
    MESSAGE_RECEIVED = "message_received"
    ACKNOWLEDGED = "acknowledged"
    """An automatic acknowledgement ("we have received your message"): words from the company,
    but no person's answer, so first-response times pass it by."""
    REFERENCE_GIVEN = "reference_given"
    PROMISE_MADE = "promise_made"
    POLICY_RECITED = "policy_recited"
    """The company recited a policy of its own ("Our policy is that returns must be ...") where
    the customer came to have a problem solved."""
    FOLLOWED_UP = "followed_up"
    """After the contact had closed, the company wrote again on its own about what it had
    promised ("Following up as promised: ..."): it closed the loop unasked."""
    CHANNEL_SWITCH_OFFERED = "channel_switch_offered"
    SATISFACTION_CHECK = "satisfaction_check"
    OUTCOME = "outcome"


@dataclass(frozen=True)
class Event:
    """One thing the customer saw or did, at the moment the page showed it.

    Attributes:
        kind: what happened.
        at: wall-clock seconds since the epoch.
        text: the words the customer saw or said, when there were any.
        agent: the person's name, for ``agent_joined``.
        department: the department, when stated.
        field_name: the field asked for, for ``info_requested`` (``order_number`` ...).
        reference: the number handed over, for ``reference_given``.
        key: the key pressed, for ``menu_choice``.
        resolved: what the company claimed, for ``outcome``.
        opening: True on the ``message_sent`` that says why the customer came (the opening
            line, or the first mail or form), as against answers to the company's questions.
        by_promise: for ``followed_up``: whether it came by the day the company's promise
            named, at the company's real pace; None when the promise named no day the
            harness could read.
    """

    kind: EventKind
    at: float
    text: str = ""
    agent: str | None = None
    department: str | None = None
    field_name: str | None = None
    reference: str | None = None
    key: str | None = None
    resolved: bool | None = None
    opening: bool | None = None
    by_promise: bool | None = None


@dataclass
class Timeline:
    """The ordered events of one contact; append-only while the contact runs."""

    events: list[Event] = field(default_factory=list)

    def record(self, event: Event) -> Event:
        """Add an event, keeping the timeline ordered by time even if observed late."""
        if self.events and event.at < self.events[-1].at:
            position = len(self.events)
            while position > 0 and self.events[position - 1].at > event.at:
                position -= 1
            self.events.insert(position, event)
        else:
            self.events.append(event)
        return event

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def of_kind(self, kind: EventKind) -> list[Event]:
        """The events of one kind, in time order."""
        return [event for event in self.events if event.kind is kind]

    def references(self) -> list[str]:
        """The reference numbers the company gave (order, case, booking), in time order."""
        return [event.reference for event in self.of_kind(EventKind.REFERENCE_GIVEN) if event.reference]


@dataclass(frozen=True)
class Recording:
    """A call's recording: its file in the run folder, and when its first sample was heard.

    A line heard ``at`` is ``at - started_at`` seconds into the file: both count from the
    moment the call's audio was connected.
    """

    file: str
    started_at: float


@dataclass
class Contact:
    """One visit of the customer to one channel of the company.

    Attributes:
        channel: which channel.
        purpose: what the customer came to do, in their words ("place an order").
        setup: True for a contact that only prepares the journey's problem (placing
            the order that the journey then cancels); resolution is measured from the
            first contact that is not setup.
        identity: who the company knew the customer as on this channel (an e-mail,
            a handle, a caller number), when the channel asks.
        ending: who ended a conversation, and why when it was not done
            ("the company ended it: it refused the customer's answer"), shown on its end.
        recording: the call's recording, where the profile allows calls to be recorded.
        follow_up_awaited: the journey looked, after the contact, for the company to write
            again on its own about its promise (so a follow-up that never came counts).
        unmeasured: the metrics this contact could not measure because the company profile
            does not write the optional pattern that reads them (``policy_recitals`` without
            ``policy_recited``): not measured, never a zero the rubric would score.
        timeline: what they lived through.
        listener: told of each event as it is noted (the live view of a run follows a
            journey so, from what it already observes); never part of the record.
    """

    channel: Channel
    purpose: str
    setup: bool = False
    identity: str = ""
    ending: str = ""
    recording: Recording | None = None
    follow_up_awaited: bool = False
    unmeasured: frozenset[str] = frozenset()
    timeline: Timeline = field(default_factory=Timeline)
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)
    listener: Callable[[Event], None] | None = field(default=None, repr=False, compare=False)

    def note(
        self,
        kind: EventKind,
        *,
        at: float | None = None,
        text: str = "",
        agent: str | None = None,
        department: str | None = None,
        field_name: str | None = None,
        reference: str | None = None,
        key: str | None = None,
        resolved: bool | None = None,
        opening: bool | None = None,
        by_promise: bool | None = None,
    ) -> Event:
        """Record an event now, or at the time the page reported it."""
        event = Event(
            kind=kind,
            at=self.clock() if at is None else at,
            text=text,
            agent=agent,
            department=department,
            field_name=field_name,
            reference=reference,
            key=key,
            resolved=resolved,
            opening=opening,
            by_promise=by_promise,
        )
        self.timeline.record(event)
        if self.listener is not None:
            self.listener(event)
        return event

    @property
    def started_at(self) -> float | None:
        started = self.timeline.of_kind(EventKind.CONTACT_STARTED)
        return started[0].at if started else None

    @property
    def ended_at(self) -> float | None:
        ended = self.timeline.of_kind(EventKind.CONTACT_ENDED)
        return ended[-1].at if ended else None
