"""The fixed vocabulary of the contact centre, and the one value the web layer renders.

Channels, intents, departments and fields are closed sets: the profile loader
rejects anything else, so a typo in a profile fails at load time, not in the
middle of a customer's call.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, get_args

Channel = Literal["chat", "social", "phone", "email"]
Intent = Literal["order", "cancel", "return", "repair", "warranty", "enquiry"]
Department = Literal["sales", "orders", "returns", "repairs", "billing", "supervisors"]
FieldName = Literal[
    "name",
    "email",
    "phone",
    "order_number",
    "postcode",
    "serial_number",
    "purchase_date",
    "product",
    "shipping_method",
    "address",
]
LegEnding = Literal["transfer", "escalate", "resolve", "false_resolve", "refuse", "unresolved", "go_silent"]
Handover = Literal["cold", "warm"]
HoldKind = Literal["queue", "transfer", "mid_conversation"]
ClaimedOutcome = Literal["resolved", "refused", "unresolved", "silent"]

CHANNELS: tuple[Channel, ...] = get_args(Channel)
INTENTS: tuple[Intent, ...] = get_args(Intent)
DEPARTMENTS: tuple[Department, ...] = get_args(Department)
FIELD_NAMES: tuple[FieldName, ...] = get_args(FieldName)
LEG_ENDINGS: tuple[LegEnding, ...] = get_args(LegEnding)
HANDOVERS: tuple[Handover, ...] = get_args(Handover)

# The fields that say who the customer is, not what their problem is.
IDENTIFYING_FIELDS: frozenset[FieldName] = frozenset({"name", "email", "phone", "order_number"})

# Endings that hand the customer to the next leg; every other ending closes the route.
HANDOVER_ENDINGS: frozenset[LegEnding] = frozenset({"transfer", "escalate"})


class RefusalReason(StrEnum):
    """Why an agent says no; each has its own sentence in :mod:`.phrasing`."""

    TOO_LATE = "too_late"
    NOT_FOUND = "not_found"
    OUT_OF_WARRANTY = "out_of_warranty"
    NOT_RETURNABLE = "not_returnable"
    UNAVAILABLE = "unavailable"
    POLICY = "policy"


class OutputKind(StrEnum):
    """What an output is, so the web layer knows how to show it (a line, a status, a prompt)."""

    SYSTEM = "system"
    AGENT = "agent"
    IVR_PROMPT = "ivr_prompt"
    HOLD_STARTED = "hold_started"
    HOLD_ENDED = "hold_ended"
    QUEUE_POSITION = "queue_position"
    TYPING = "typing"
    ENDED = "ended"


@dataclass(frozen=True)
class Output:
    """One thing the company shows or says to the customer, due at an exact moment.

    The web layer pushes each output to the page when ``due`` comes, never before:
    hold intervals in the ground truth are exactly the due times of the
    ``hold_started`` and ``hold_ended`` outputs, so pushing on time is what lets
    the harness's measurements match the truth.

    Attributes:
        due: absolute seconds (the same clock as the timestamps passed in).
        kind: how to show it.
        text: the words shown or spoken (captions on the phone); may be empty for
            a pure status.
        agent: the agent speaking, joining or typing, when there is one.
        department: that agent's department.
        phrase: the :class:`~.phrasing.PhraseKind` the text came from
            (``ivr_prompt`` for a whole spoken menu). For the sandbox's own logs
            and tests only: never render it into the page, the harness must
            recognise events from ``text`` alone.
        sequence: the output's position in the conversation, to keep outputs
            with the same due time in order (on email those form one message).
    """

    due: float
    kind: OutputKind
    text: str
    agent: str | None = None
    department: Department | None = None
    phrase: str | None = None
    sequence: int = 0
