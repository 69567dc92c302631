"""A service profile's contact centre, as validated values.

These are built only by :mod:`.loader`; the engine trusts them (every department a
leg names has agents, every route has legs, every IVR option leads somewhere).
Durations are stored as written in the profile; :meth:`ContactCentreProfile.seconds`
applies ``time_scale``, so there is one place where scaling happens.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.contact_centre.model import (
    Channel,
    Department,
    FieldName,
    Handover,
    Intent,
    LegEnding,
    RefusalReason,
)

if TYPE_CHECKING:
    from sandbox.contact_centre.variety import Variety

DEFAULT_PHONE_NUMBER = "0800 555 0199"


@dataclass(frozen=True)
class Leg:
    """One agent's part of a contact: who, what they ask, and how their part ends.

    Attributes:
        department: the agent's department.
        asks: fields asked for in order. After a warm handover fields the company
            already has are skipped; the first leg and a leg after a cold handover
            ask every one of them (that is the recapture a cold transfer costs).
        reask: fields asked again before the leg ends ("could you give me your
            order number again?"), on top of ``asks``.
        hold_seconds: a mid-conversation "please hold" after the asks (0: none).
        ends: how the leg ends.
        handover: for ``transfer`` and ``escalate``: whether the next agent is told
            what the customer already said.
        reference: for ``resolve`` and ``false_resolve``: whether a reference is given.
        promise: for ``resolve`` and ``false_resolve``: whether a promise is made.
        promise_days: business days in a promise that has no date from the action.
        refusal: for ``refuse``: the reason the agent gives.
        policy_recitals: how many times the agent recites the company's policy on the
            customer's intent ("Our policy is that returns must be ...") before the leg
            ends, instead of solving the problem (a profile's ``recites_policy`` is one).
        conferences: the departments the agent brings into the same contact, one after
            another, before the leg ends, staying with the customer (a conference, not a
            transfer): a colleague from each says a word and leaves (a profile's
            ``conference`` is one; :mod:`.variety` may add more).
    """

    department: Department
    ends: LegEnding
    asks: tuple[FieldName, ...] = ()
    reask: tuple[FieldName, ...] = ()
    hold_seconds: float = 0.0
    handover: Handover = "cold"
    reference: bool = True
    promise: bool = True
    promise_days: int = 5
    refusal: RefusalReason = RefusalReason.POLICY
    policy_recitals: int = 0
    conferences: tuple[Department, ...] = ()


@dataclass(frozen=True)
class Route:
    """How one intent is served on one channel.

    Attributes:
        queue_seconds: hold before the first agent joins (0: straight through).
        queue_position: the place in the queue announced when the hold starts.
        transfer_hold_seconds: hold before each agent after a transfer or escalation.
        survey: whether a satisfaction question closes the contact.
        legs: the agents the customer meets, in order.
        follows_up_after_seconds: on email, seconds after the answer that made a promise
            when the company writes again on its own ("Following up as promised: ..."),
            after the contact has closed; 0: it never does.
    """

    legs: tuple[Leg, ...]
    queue_seconds: float = 0.0
    queue_position: int = 1
    transfer_hold_seconds: float = 0.0
    survey: bool = False
    follows_up_after_seconds: float = 0.0


@dataclass(frozen=True)
class ChannelSettings:
    """Timing and etiquette that belong to a channel, whatever the intent.

    Attributes:
        reply_delay_seconds: from a customer's message (or key press) to the first
            line of the answer; on email this is the delay before a reply arrives.
        line_gap_seconds: between consecutive lines of one answer (0 on email: one
            answer is one email).
        survey_wait_seconds: how long the survey waits for an answer before closing.
        switch_to_phone_after: social only: offer to move to the phone after this
            many customer messages (None: never).
        no_answer_seconds: phone only: a caller silent this long after a question (counted
            from its end, and from the caller's last words) is asked whether they are still
            there, and asked again; 0: never. Real seconds, never scaled: it waits on a
            person speaking, which no time scale hurries.
    """

    reply_delay_seconds: float
    line_gap_seconds: float
    survey_wait_seconds: float
    switch_to_phone_after: int | None = None
    no_answer_seconds: float = 0.0


@dataclass(frozen=True)
class IvrOption:
    """One choice in a phone menu: either a deeper menu or a route to a department."""

    key: str
    label: str
    menu: str | None = None
    intent: Intent | None = None
    department: Department | None = None


@dataclass(frozen=True)
class IvrMenu:
    """One spoken menu of the phone tree."""

    name: str
    options: tuple[IvrOption, ...]

    def option(self, key: str) -> IvrOption | None:
        """The option for a key, or None when the key is not on this menu."""
        return next((option for option in self.options if option.key == key), None)


@dataclass(frozen=True)
class Ivr:
    """The phone menu tree.

    Attributes:
        start: the first menu a caller hears.
        menus: every menu by name.
        repeat_key: replays the current menu.
        invalid_limit: wrong keys (or menus left unanswered) in a row after which the call
            is ended.
        no_input_seconds: how long after a menu has been said the line waits for a key
            before it says it got none and plays the menu again (the menu takes its words'
            time at a slow voice's pace, :func:`~.phrasing.speaking_seconds`). Real seconds,
            never scaled: a menu is spoken at its own pace, and so is a caller's choice.
    """

    start: str
    menus: Mapping[str, IvrMenu]
    repeat_key: str = "9"
    invalid_limit: int = 3
    no_input_seconds: float = 10.0

    def depth_of(self, intent: Intent) -> int | None:
        """Fewest key presses from the start menu to a route for ``intent``, if any."""
        frontier, seen, depth = [self.start], {self.start}, 0
        while frontier:
            depth += 1
            following: list[str] = []
            for name in frontier:
                for option in self.menus[name].options:
                    if option.intent == intent:
                        return depth
                    if option.menu is not None and option.menu not in seen:
                        seen.add(option.menu)
                        following.append(option.menu)
            frontier = following
        return None


@dataclass(frozen=True)
class ContactCentreProfile:
    """Everything the engine needs to play one company's contact centre.

    Attributes:
        name: the profile's name (the file's stem), for the ground truth.
        source: the file it came from, for messages.
        time_scale: multiplies every duration (tests use 0.02).
        phone_number: the number offered when suggesting a move to the phone.
        agents: the named agents of each staffed department.
        channels: per-channel timing.
        routes: every channel and intent, fully resolved from the profile's layers.
        ivr: the phone menu tree, or None for a phone line that asks what you need.
        remembers_across_channels: the chance that an agent looks at the customer's earlier
            contacts (any channel) and does not ask again what one of them was told; drawn
            once per contact with its seeded generator, and only when there is something to
            remember (0: never, the default; 1: always).
        identifies_first: identifying fields a bot asks for, in order, before the company
            asks what the customer wants, where it speaks first (chat, and a phone line
            without a menu); the first agent has them and does not ask again. Empty: the
            company hears the customer first.
        variety: the ranges and chances each contact's company is drawn from (see
            :mod:`.variety`); None: every contact meets its route as written.
    """

    name: str
    source: str
    time_scale: float
    phone_number: str
    agents: Mapping[Department, tuple[str, ...]]
    channels: Mapping[Channel, ChannelSettings]
    routes: Mapping[tuple[Channel, Intent], Route]
    ivr: Ivr | None = None
    remembers_across_channels: float = 0.0
    identifies_first: tuple[FieldName, ...] = ()
    variety: Variety | None = None

    def route(self, channel: Channel, intent: Intent) -> Route:
        """How ``intent`` is served on ``channel``."""
        return self.routes[(channel, intent)]

    def seconds(self, profile_seconds: float) -> float:
        """A duration from the profile, in real seconds."""
        return profile_seconds * self.time_scale

    def scaled(self, factor: float) -> ContactCentreProfile:
        """The profile running ``factor`` times as long (the sandbox app's global speed-up)."""
        return self.with_time_scale(self.time_scale * factor)

    def with_time_scale(self, time_scale: float) -> ContactCentreProfile:
        """The same profile running faster or slower (tests run at 0.02)."""
        if time_scale <= 0:
            raise ValueError(f"time_scale must be positive, not {time_scale}")
        return dataclasses.replace(self, time_scale=time_scale)
