"""How a leg's ending turns into real actions and the sentences that report them.

The profile says what the agent intends (``resolve``, ``false_resolve``, ``refuse``,
``unresolved``); the shop, through :class:`~.actions.ServiceActions`, says whether
the action really worked. A resolve the shop refuses becomes a refusal; a false
resolve claims success, hands over a made-up reference and calls nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from types import MappingProxyType
from typing import Literal

from sandbox.contact_centre.actions import (
    ActionResult,
    CancelResult,
    CustomerDetails,
    ServiceActions,
)
from sandbox.contact_centre.model import ClaimedOutcome, FieldName, Intent, RefusalReason
from sandbox.contact_centre.phrasing import PhraseKind, business_days, spoken_date
from sandbox.contact_centre.profile import Leg

# The fields an agent needs before it can act on an intent; the loader checks every
# route that resolves asks for them.
ACTION_FIELDS: Mapping[Intent, tuple[FieldName, ...]] = MappingProxyType(
    {
        "order": ("product", "shipping_method", "name", "email", "address"),
        "cancel": ("order_number", "email"),
        "return": ("order_number", "email"),
        "repair": ("serial_number", "postcode"),
        "warranty": ("order_number", "serial_number", "purchase_date"),
        "enquiry": ("order_number", "email"),
    }
)

ACTION_NAMES: Mapping[Intent, str] = MappingProxyType(
    {
        "order": "place_order",
        "cancel": "cancel_order",
        "return": "create_return",
        "repair": "book_repair",
        "warranty": "open_warranty_case",
        "enquiry": "order_status",
    }
)

_RESOLVED: Mapping[Intent, PhraseKind] = MappingProxyType(
    {intent: PhraseKind(f"resolved_{intent}") for intent in ACTION_NAMES}
)
_REFERENCE: Mapping[Intent, PhraseKind | None] = MappingProxyType(
    {
        "order": PhraseKind.REFERENCE_ORDER,
        "cancel": PhraseKind.REFERENCE_CANCEL,
        "return": PhraseKind.REFERENCE_RETURN,
        "repair": PhraseKind.REFERENCE_REPAIR,
        "warranty": PhraseKind.REFERENCE_WARRANTY,
        "enquiry": None,
    }
)
_FAKE_PREFIX: Mapping[Intent, str] = MappingProxyType(
    {"order": "BL-", "return": "RMA-", "repair": "RP-", "warranty": "WC-"}
)

LineRole = Literal["claim", "reference", "promise"]


@dataclass(frozen=True)
class Line:
    """One sentence of a conclusion, and what it counts as in the truth."""

    phrase: PhraseKind
    values: Mapping[str, str]
    role: LineRole
    reference: str | None = None
    day: date | None = None
    """For a promise: the day it falls due."""


@dataclass(frozen=True)
class Conclusion:
    """How a contact ends: the sentences to say and what really happened.

    Attributes:
        outcome: what the company claims.
        lines: the sentences, in order.
        action: the action called, if any.
        action_performed: True only when the shop really did it.
        action_result: the shop's answer, for the truth ("cancelled", "too_late" ...).
    """

    outcome: ClaimedOutcome
    lines: tuple[Line, ...]
    action: str | None = None
    action_performed: bool = False
    action_result: str | None = None


def business_day_after(start: date, count: int) -> date:
    """The date ``count`` business days after ``start`` (weekends skipped)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def refusal(reason: RefusalReason, action: str | None = None, result: str | None = None) -> Conclusion:
    """The agent says no."""
    line = Line(PhraseKind(f"refusal_{reason.value}"), {}, "claim")
    return Conclusion("refused", (line,), action, False, result or reason.value)


def unresolved() -> Conclusion:
    """The agent gives up and asks the customer to come back."""
    return Conclusion("unresolved", (Line(PhraseKind.UNRESOLVED, {}, "claim"),))


def resolve(
    intent: Intent,
    leg: Leg,
    known: Mapping[FieldName, str],
    problem: str,
    actions: ServiceActions,
    today: date,
) -> Conclusion:
    """Call the real action for ``intent`` and report what the shop did."""

    def value(name: FieldName) -> str:
        return known.get(name, "")

    who = value("email") or value("phone")  # who the customer said they are

    action = ACTION_NAMES[intent]
    if intent == "enquiry":
        status = actions.order_status(value("order_number"), who)
        if not status.found:
            return refusal(RefusalReason.NOT_FOUND, action, "not_found")
        said = [Line(PhraseKind.RESOLVED_ENQUIRY, {"status": status.status}, "claim")]
        if leg.promise and status.delivery_date is not None:
            said.append(_promise(PhraseKind.PROMISE_DELIVERY, status.delivery_date, leg))
        return Conclusion("resolved", tuple(said), action, True, status.status)
    if intent == "cancel":
        cancelled = actions.cancel_order(value("order_number"), who)
        if cancelled is not CancelResult.CANCELLED:
            reason = RefusalReason.TOO_LATE if cancelled is CancelResult.TOO_LATE else RefusalReason.NOT_FOUND
            return refusal(reason, action, cancelled.value)
        result = ActionResult.created(value("order_number"))
    elif intent == "return":
        result = actions.create_return(value("order_number"), who, problem)
    elif intent == "warranty":
        result = actions.open_warranty_case(
            value("order_number"), value("serial_number"), value("purchase_date"), problem
        )
    elif intent == "repair":
        result = actions.book_repair(
            value("order_number"), value("serial_number"), value("postcode"), problem
        )
    else:
        customer = CustomerDetails(
            name=value("name"),
            email=value("email"),
            address=value("address"),
            postcode=value("postcode"),
            phone=value("phone"),
        )
        result = actions.place_order(customer, value("product"), value("shipping_method"))
    if not result.done or result.reference is None:
        return refusal(result.refusal or RefusalReason.POLICY, action)
    lines = _claim_lines(intent, leg, result.reference, result.day, today)
    shop_said = CancelResult.CANCELLED.value if intent == "cancel" else result.reference
    return Conclusion("resolved", lines, action, True, shop_said)


def false_resolve(
    intent: Intent, leg: Leg, known: Mapping[FieldName, str], rng: Random, today: date
) -> Conclusion:
    """Claim success without doing anything; any reference given is made up."""
    if intent == "enquiry":
        said = [Line(PhraseKind.RESOLVED_ENQUIRY, {"status": "on its way"}, "claim")]
        if leg.promise:
            promised = business_day_after(today, leg.promise_days)
            said.append(_promise(PhraseKind.PROMISE_DELIVERY, promised, leg))
        return Conclusion("resolved", tuple(said), None, False, "not attempted")
    if intent == "cancel":
        reference = known.get("order_number", "")
    else:
        digits = 6 if intent == "order" else 5
        reference = f"{_FAKE_PREFIX[intent]}{rng.randrange(10 ** (digits - 1), 10**digits)}"
    return Conclusion(
        "resolved", _claim_lines(intent, leg, reference, None, today), None, False, "not attempted"
    )


def _claim_lines(intent: Intent, leg: Leg, reference: str, day: date | None, today: date) -> tuple[Line, ...]:
    """Claim, reference, promise: the order an honest agent closes in."""
    lines = [Line(_RESOLVED[intent], {}, "claim")]
    reference_phrase = _REFERENCE[intent]
    if leg.reference and reference and reference_phrase is not None:
        lines.append(Line(reference_phrase, {"reference": reference}, "reference", reference))
    if leg.promise:
        promised_day = day or business_day_after(today, leg.promise_days)
        promise_phrase = {
            "order": PhraseKind.PROMISE_DELIVERY,
            "cancel": PhraseKind.PROMISE_REFUND,
            "return": PhraseKind.PROMISE_COLLECTION,
            "repair": PhraseKind.PROMISE_ENGINEER,
            "warranty": PhraseKind.PROMISE_WARRANTY,
            "enquiry": PhraseKind.PROMISE_DELIVERY,
        }[intent]
        lines.append(_promise(promise_phrase, promised_day, leg))
    return tuple(lines)


def _promise(phrase: PhraseKind, day: date, leg: Leg) -> Line:
    values = {"date": spoken_date(day), "duration": business_days(leg.promise_days)}
    return Line(phrase, values, "promise", day=day)
