"""The company one contact meets, drawn from a profile's ranges and chances.

A profile's routes say how an intent is served; its ``[contact_centre.variety]`` table
says how far a contact may stray from that: transfers and escalations added, colleagues
brought in, policies recited, phone menus added, a queue and a "please hold" of drawn
length, fields asked again, a reference or promise left out, a resolution claimed but
never done. Each contact draws its company once, when its intent is known, from a
generator seeded by the sandbox's seed, the channel, the customer and the intent
(:func:`variant_generator`), so the same seed and the same customer meet the same company
whatever order contacts arrive in, and one sandbox serves many companies at once.

Nothing drawn is written down as such: the ground truth counts what the drawn company
then really does, as it does for a route written out in full. Without a variety table
nothing is drawn and every contact meets the route as written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from random import Random

from sandbox.contact_centre.model import Channel, Department, FieldName, Intent
from sandbox.contact_centre.profile import ContactCentreProfile, Leg, Route

_TRANSFER_DEPARTMENTS: tuple[Department, ...] = ("sales", "orders", "returns", "repairs", "billing")
"""Where an added transfer may start: anyone but a supervisor (who escalates, never transfers)."""


@dataclass(frozen=True)
class Variety:
    """How far each contact may stray from its route (``[contact_centre.variety]``).

    Counts are drawn uniformly from a list of values (repeat a value to weight it);
    seconds uniformly from a ``(low, high)`` range; chances are 0 to 1.

    Attributes:
        transfers: cold transfers added before the route's first leg; each added agent asks
            the first leg's first field, so each costs a recapture after the transfer.
        escalations: escalations added at the end: the concluding agent hands up (warm) to
            a supervisor, who concludes as the route would have.
        conferences: colleagues brought in, one a leg from the last leg back (round again
            when there are more than legs), each from a drawn department.
        policy_recitals: policy recitals added, one a leg from the last leg back (round
            again when there are more than legs).
        menus: phone menus added after the caller's choice, each offering that choice
            alone again under its own key ("For cancelling an order, press 3"): the menu
            depth, in words the company's menus already say.
        queue_factor: the route's queue before the first agent is multiplied by a factor
            drawn from this range (a factor, so a channel's longer queue stays longer; None:
            as written).
        hold_seconds: the concluding leg's "please hold", replacing its own (0 drawn: none).
        reask: the chance that each field the concluding leg asks is asked again.
        reference: the chance a concluding leg that gives a reference gives it.
        promise: the chance a concluding leg that makes a promise makes it.
        untrue: the chance a ``resolve`` becomes a ``false_resolve`` (claimed, never done).
    """

    transfers: tuple[int, ...] = (0,)
    escalations: tuple[int, ...] = (0,)
    conferences: tuple[int, ...] = (0,)
    policy_recitals: tuple[int, ...] = (0,)
    menus: tuple[int, ...] = (0,)
    queue_factor: tuple[float, float] | None = None
    hold_seconds: tuple[float, float] | None = None
    reask: float = 0.0
    reference: float = 1.0
    promise: float = 1.0
    untrue: float = 0.0


@dataclass(frozen=True)
class Variant:
    """The company one contact meets: its route, and the menus added after the phone's choice."""

    route: Route
    menus: int = 0


def company_met(
    profile: ContactCentreProfile, channel: Channel, customer: str, intent: Intent, seed: int | str
) -> Variant:
    """The company ``customer`` meets about ``intent`` on ``channel`` under the sandbox's
    ``seed``: drawn from the profile's variety, or the route as written when it has none."""
    route = profile.route(channel, intent)
    if profile.variety is None:
        return Variant(route)
    return draw(profile.variety, route, profile.agents, variant_generator(seed, channel, customer, intent))


def variant_generator(seed: int | str, channel: Channel, customer: str, intent: Intent) -> Random:
    """The generator a contact's company is drawn with: the same for the same seed, channel,
    customer and intent, whatever else the sandbox has done (not the contact's own
    generator, which follows arrival order and draws phrasing)."""
    return Random(f"variety:{seed}:{channel}:{customer}:{intent}")


def draw(
    variety: Variety, route: Route, agents: Mapping[Department, tuple[str, ...]], rng: Random
) -> Variant:
    """One company for one contact; every value is drawn, always in the same order, so a
    generator gives the same company whatever the route."""
    transfers = rng.choice(variety.transfers)
    escalations = rng.choice(variety.escalations)
    conferences = rng.choice(variety.conferences)
    recitals = rng.choice(variety.policy_recitals)
    menus = rng.choice(variety.menus)
    factor = rng.uniform(*variety.queue_factor) if variety.queue_factor else 1.0
    hold = rng.uniform(*variety.hold_seconds) if variety.hold_seconds else None
    reask_draws = [rng.random() for _ in range(8)]  # one per field asked, at most eight
    gives_reference = rng.random() < variety.reference
    makes_promise = rng.random() < variety.promise
    untrue = rng.random() < variety.untrue
    staffed = [name for name in _TRANSFER_DEPARTMENTS if name in agents]
    department_draws = [rng.choice(staffed) if staffed else None for _ in range(3 + transfers)]

    legs = list(route.legs)
    last = legs[-1]
    concluding = dataclasses.replace(
        last,
        ends="false_resolve" if untrue and last.ends == "resolve" else last.ends,
        reference=last.reference and gives_reference,
        promise=last.promise and makes_promise,
        hold_seconds=round(hold, 1) if hold is not None else last.hold_seconds,
        reask=_reasked(last, reask_draws, variety.reask),
    )
    legs[-1] = concluding
    if last.ends != "go_silent" and "supervisors" in agents:
        for _ in range(escalations):
            handing_up = dataclasses.replace(legs[-1], ends="escalate", handover="warm")
            legs[-1:] = [
                handing_up,
                Leg(
                    department="supervisors",
                    asks=(),
                    ends=concluding.ends,
                    reference=concluding.reference,
                    promise=concluding.promise,
                    promise_days=concluding.promise_days,
                    refusal=concluding.refusal,
                ),
            ]
    added: list[Leg] = []
    for index in range(transfers):  # built from the first leg back: each hands on to another department
        following = (added or legs)[0]
        department = department_draws[index]
        if department is None or department == following.department:
            department = next((name for name in staffed if name != following.department), None)
        if department is None:
            break
        added.insert(0, Leg(department=department, asks=legs[0].asks[:1], ends="transfer", handover="cold"))
    legs = added + legs
    legs = _spread_conferences(legs, conferences, agents, department_draws[transfers:])
    legs = _spread_recitals(legs, recitals)
    queue = round(route.queue_seconds * factor, 1)
    return Variant(dataclasses.replace(route, legs=tuple(legs), queue_seconds=queue), menus)


def _reasked(leg: Leg, draws: list[float], chance: float) -> tuple[FieldName, ...]:
    """The leg's own re-asks, and each of its asked fields whose draw fell under the chance."""
    more = [name for name, drawn in zip(leg.asks, draws, strict=False) if drawn < chance]
    return (*leg.reask, *(name for name in more if name not in leg.reask))


def _spread_conferences(
    legs: list[Leg],
    count: int,
    agents: Mapping[Department, tuple[str, ...]],
    draws: list[Department | None],
) -> list[Leg]:
    """Add ``count`` conferences, one a leg from the last leg back, round again if need be;
    each brings in a drawn department other than the leg's own."""
    spread = list(legs)
    for n in range(count):
        index = len(spread) - 1 - n % len(spread)
        leg = spread[index]
        others = [name for name in agents if name != leg.department]
        if not others:
            continue
        wanted = draws[n % len(draws)] if draws else None
        colleague = wanted if wanted in others else others[n % len(others)]
        spread[index] = dataclasses.replace(leg, conferences=(*leg.conferences, colleague))
    return spread


def _spread_recitals(legs: list[Leg], count: int) -> list[Leg]:
    """Add ``count`` policy recitals, one a leg from the last leg back, round again if need be."""
    spread = list(legs)
    for n in range(count):
        index = len(spread) - 1 - n % len(spread)
        spread[index] = dataclasses.replace(spread[index], policy_recitals=spread[index].policy_recitals + 1)
    return spread
