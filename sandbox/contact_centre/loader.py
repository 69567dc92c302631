"""Load and validate the ``[contact_centre]`` tables of a service profile.

Every problem is a :class:`~.errors.ContactCentreProfileError` of one line naming the
file, the table and the key, for example (wrapped here, one line in reality)::

    sandbox/profiles/x.toml: [contact_centre.routes.phone.cancel] legs[1].department:
    unknown department 'shipping' (known: billing, orders, repairs, returns, sales, supervisors)

Indexes into arrays (``legs[1]``) count from 0. Besides types and known names, the
loader checks the route's logic: handovers are followed by a leg, endings close the
route, escalations go to supervisors, a re-ask follows an ask, and a route that
resolves asks for the fields its action needs. The schema is described in
``sandbox/contact_centre/README.md``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sandbox.contact_centre.errors import ContactCentreProfileError
from sandbox.contact_centre.ivr_loader import load_ivr
from sandbox.contact_centre.model import (
    CHANNELS,
    DEPARTMENTS,
    FIELD_NAMES,
    HANDOVER_ENDINGS,
    HANDOVERS,
    IDENTIFYING_FIELDS,
    INTENTS,
    LEG_ENDINGS,
    Channel,
    Department,
    FieldName,
    Handover,
    Intent,
    LegEnding,
    RefusalReason,
)
from sandbox.contact_centre.outcomes import ACTION_FIELDS
from sandbox.contact_centre.profile import (
    DEFAULT_PHONE_NUMBER,
    ChannelSettings,
    ContactCentreProfile,
    Leg,
    Route,
)
from sandbox.contact_centre.tables import Table
from sandbox.contact_centre.variety import Variety

ROUTE_KEYS = (
    "queue_seconds",
    "queue_position",
    "transfer_hold_seconds",
    "survey",
    "follows_up_after_seconds",
    "legs",
)
LEG_KEYS = (
    "department",
    "asks",
    "reask",
    "hold_seconds",
    "ends",
    "handover",
    "reference",
    "promise",
    "promise_days",
    "refusal",
    "recites_policy",
    "conference",
)
CHANNEL_KEYS = (
    "reply_delay_seconds",
    "line_gap_seconds",
    "survey_wait_seconds",
    "switch_to_phone_after",
    "no_answer_seconds",
)
_AGENT_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz-")

# Timing a channel has when the profile says nothing about it.
DEFAULT_CHANNELS: Mapping[Channel, ChannelSettings] = {
    "chat": ChannelSettings(reply_delay_seconds=2, line_gap_seconds=1, survey_wait_seconds=30),
    "social": ChannelSettings(reply_delay_seconds=5, line_gap_seconds=1, survey_wait_seconds=60),
    "phone": ChannelSettings(
        reply_delay_seconds=1, line_gap_seconds=2, survey_wait_seconds=10, no_answer_seconds=10
    ),
    "email": ChannelSettings(reply_delay_seconds=300, line_gap_seconds=0, survey_wait_seconds=0),
}


def load_contact_centre_profile_file(path: str | Path) -> ContactCentreProfile:
    """Read a profile TOML file and load its ``[contact_centre]`` tables."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise ContactCentreProfileError(f"{source}: cannot read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        message = " ".join(str(error).split())
        raise ContactCentreProfileError(f"{source}: invalid TOML: {message}") from error
    return load_contact_centre_profile(document, source)


def load_contact_centre_profile(document: Mapping[str, Any], path: str | Path) -> ContactCentreProfile:
    """Validate the parsed TOML of a profile and build its contact centre.

    Args:
        document: the whole parsed profile (``tomllib.load``); only its
            ``contact_centre`` table is read.
        path: the file it came from, for messages and the profile's name.
    """
    source = str(path)
    raw = document.get("contact_centre")
    if not isinstance(raw, Mapping):
        raise ContactCentreProfileError(
            f"{source}: [contact_centre] missing table (see sandbox/contact_centre/README.md)"
        )
    root = Table(source, "contact_centre", raw)
    root.check_keys(
        (
            "time_scale",
            "phone_number",
            "remembers_across_channels",
            "identifies_first",
            "agents",
            "channels",
            "routes",
            "ivr",
            "variety",
        )
    )
    agents = _agents(root.required_table("agents"))
    routes = _routes(root.required_table("routes"), agents)
    ivr_table = root.table("ivr")
    return ContactCentreProfile(
        name=Path(source).stem,
        source=source,
        time_scale=root.number("time_scale", positive=True, default=1.0),
        phone_number=root.text("phone_number") or DEFAULT_PHONE_NUMBER,
        agents=agents,
        channels=_channels(root.table("channels")),
        routes=routes,
        ivr=None if ivr_table is None else load_ivr(ivr_table, routes),
        remembers_across_channels=_chance(root, "remembers_across_channels"),
        identifies_first=_identifying(root, "identifies_first"),
        variety=_variety(root.table("variety"), agents),
    )


def _identifying(table: Table, key: str) -> tuple[FieldName, ...]:
    """Fields that say who the customer is, each once; empty when absent."""
    names: list[FieldName] = table.choices(key, FIELD_NAMES, "field")
    for name in names:
        if name not in IDENTIFYING_FIELDS:
            known = ", ".join(sorted(IDENTIFYING_FIELDS))
            raise table.error(key, f"{name!r} does not say who the customer is (known: {known})")
    if len(set(names)) != len(names):
        raise table.error(key, "each field once")
    return tuple(names)


def _chance(table: Table, key: str) -> float:
    """A probability, from 0 (never) to 1 (always); 0 when absent."""
    value = table.number(key)
    if value > 1:
        raise table.error(key, f"a chance from 0 to 1, not {value:g}")
    return value


VARIETY_COUNTS = ("transfers", "escalations", "conferences", "policy_recitals", "menus")
VARIETY_RANGES = ("queue_factor", "hold_seconds")
VARIETY_CHANCES = ("reask", "reference", "promise", "untrue")


def _variety(table: Table | None, agents: Mapping[Department, tuple[str, ...]]) -> Variety | None:
    """The ranges and chances each contact's company is drawn from; None when absent."""
    if table is None:
        return None
    table.check_keys((*VARIETY_COUNTS, *VARIETY_RANGES, *VARIETY_CHANCES))
    drawn: dict[str, Any] = {}
    for key in VARIETY_COUNTS:
        if key in table:
            drawn[key] = _counts(table, key)
    for key in VARIETY_RANGES:
        if key in table:
            drawn[key] = _range(table, key)
    for key in VARIETY_CHANCES:
        if key in table:
            drawn[key] = _chance(table, key)
    if any(drawn.get("escalations", ())) and "supervisors" not in agents:
        raise table.error("escalations", "an escalation goes to 'supervisors', who have no agents")
    return Variety(**drawn)


def _counts(table: Table, key: str) -> tuple[int, ...]:
    """Whole numbers from 0 to 5, one of which is drawn (a repeated value weighs more)."""
    value = table.data[key]
    if not isinstance(value, list) or not value:
        raise table.error(key, "expected a non-empty array of whole numbers, like [0, 0, 1, 2]")
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= 5:
            raise table.error(key, f"expected whole numbers from 0 to 5, got {item!r}")
    return tuple(value)


def _range(table: Table, key: str) -> tuple[float, float]:
    """``[low, high]`` (seconds, or a factor), from which one value is drawn."""
    value = table.data[key]
    numbers = isinstance(value, list) and all(
        isinstance(item, int | float) and not isinstance(item, bool) for item in value
    )
    if not numbers or len(value) != 2:
        raise table.error(key, f"expected [low, high], got {value!r}")
    low, high = float(value[0]), float(value[1])
    if low < 0 or high < low:
        raise table.error(key, f"expected 0 <= low <= high, got [{low:g}, {high:g}]")
    return low, high


def _agents(table: Table) -> dict[Department, tuple[str, ...]]:
    agents: dict[Department, tuple[str, ...]] = {}
    for key in table:
        department: Department = table.key_choice(key, DEPARTMENTS, "department")
        names = table.texts(key)
        if not names:
            raise table.error(key, "a department needs at least one agent")
        for name in names:
            if not (name[:1].isupper() and set(name[1:]) <= _AGENT_NAME_CHARACTERS):
                raise table.error(
                    key, f"agent name {name!r} must be one capitalised first name (like 'Dana')"
                )
        agents[department] = tuple(names)
    return agents


def _channels(table: Table | None) -> dict[Channel, ChannelSettings]:
    settings = dict(DEFAULT_CHANNELS)
    if table is None:
        return settings
    for key in table:
        channel: Channel = table.key_choice(key, CHANNELS, "channel")
        sub = table.required_table(key)
        sub.check_keys(CHANNEL_KEYS)
        default = DEFAULT_CHANNELS[channel]
        switch_after = sub.integer("switch_to_phone_after", minimum=0)
        if switch_after is not None and channel != "social":
            raise sub.error("switch_to_phone_after", "only the social channel offers a switch")
        if "no_answer_seconds" in sub and channel != "phone":
            raise sub.error("no_answer_seconds", "only a call is asked 'are you still there?'")
        settings[channel] = ChannelSettings(
            reply_delay_seconds=sub.number("reply_delay_seconds", default=default.reply_delay_seconds),
            line_gap_seconds=sub.number("line_gap_seconds", default=default.line_gap_seconds),
            survey_wait_seconds=sub.number("survey_wait_seconds", default=default.survey_wait_seconds),
            switch_to_phone_after=switch_after or None,
            no_answer_seconds=sub.number("no_answer_seconds", default=default.no_answer_seconds),
        )
    return settings


class _Layer:
    """The route keys one table sets, remembered with the table for messages."""

    def __init__(self, table: Table, agents: Mapping[Department, tuple[str, ...]]) -> None:
        self.table = table
        self.values: dict[str, Any] = {}
        for key in ("queue_seconds", "transfer_hold_seconds", "follows_up_after_seconds"):
            if key in table:
                self.values[key] = table.number(key)
        if "queue_position" in table:
            self.values["queue_position"] = table.integer("queue_position", minimum=1)
        if "survey" in table:
            self.values["survey"] = table.boolean("survey")
        if "legs" in table:
            self.values["legs"] = _legs(table, agents)


def _routes(
    table: Table, agents: Mapping[Department, tuple[str, ...]]
) -> dict[tuple[Channel, Intent], Route]:
    """Resolve every channel and intent from the layers, most specific first.

    Precedence: ``routes.<channel>.<intent>``, ``routes.<channel>``,
    ``routes.<intent>``, ``routes``.
    """
    table.check_keys((*ROUTE_KEYS, *INTENTS, *CHANNELS), "intent, channel or route key")
    base = _Layer(table, agents)
    by_intent = {intent: _Layer(sub, agents) for intent, sub in _subtables(table, INTENTS)}
    routes: dict[tuple[Channel, Intent], Route] = {}
    for channel in CHANNELS:
        channel_table = table.table(channel)
        channel_layer = None
        specific: dict[Intent, _Layer] = {}
        if channel_table is not None:
            channel_table.check_keys((*ROUTE_KEYS, *INTENTS), "intent or route key")
            channel_layer = _Layer(channel_table, agents)
            specific = {i: _Layer(sub, agents) for i, sub in _subtables(channel_table, INTENTS)}
        for intent in INTENTS:
            layers = [specific.get(intent), channel_layer, by_intent.get(intent), base]
            routes[(channel, intent)] = _route(channel, intent, [x for x in layers if x], table)
    return routes


def _subtables(table: Table, names: tuple[Intent, ...]) -> list[tuple[Intent, Table]]:
    found: list[tuple[Intent, Table]] = []
    for name in names:
        sub = table.table(name)
        if sub is not None:
            sub.check_keys(ROUTE_KEYS)
            found.append((name, sub))
    return found


def _route(channel: Channel, intent: Intent, layers: list[_Layer], routes_table: Table) -> Route:
    def first(key: str, default: Any) -> Any:
        return next((layer.values[key] for layer in layers if key in layer.values), default)

    legs_layer = next((layer for layer in layers if "legs" in layer.values), None)
    if legs_layer is None:
        raise routes_table.error(
            "legs",
            f"no legs for channel '{channel}' and intent '{intent}' (set legs in"
            f" [contact_centre.routes], [contact_centre.routes.{intent}] or"
            f" [contact_centre.routes.{channel}.{intent}])",
        )
    legs: tuple[Leg, ...] = legs_layer.values["legs"]
    if legs[-1].ends == "resolve":
        asked = {name for leg in legs for name in leg.asks}
        missing = [name for name in ACTION_FIELDS[intent] if name not in asked]
        if missing:
            raise legs_layer.table.error(
                "legs",
                f"intent '{intent}' on {channel} resolves without asking for"
                f" {', '.join(missing)} (add to some leg's asks, or end with another outcome)",
            )
    return Route(
        legs=legs,
        queue_seconds=first("queue_seconds", 0.0),
        queue_position=first("queue_position", 1),
        transfer_hold_seconds=first("transfer_hold_seconds", 0.0),
        survey=first("survey", False),
        follows_up_after_seconds=first("follows_up_after_seconds", 0.0),
    )


def _legs(table: Table, agents: Mapping[Department, tuple[str, ...]]) -> tuple[Leg, ...]:
    items = table.table_list("legs")
    legs = tuple(_leg(leg_table, agents) for leg_table in items)
    asked: set[FieldName] = set()
    for index, leg in enumerate(legs):
        asked.update(leg.asks)
        leg_table = items[index]
        for name in leg.reask:
            if name not in asked:
                raise leg_table.error(
                    "reask", f"'{name}' is asked again but never asked before (add it to asks)"
                )
        last = index == len(legs) - 1
        if leg.ends in HANDOVER_ENDINGS and last:
            raise leg_table.error("ends", f"'{leg.ends}' needs a next leg to hand over to")
        if leg.ends not in HANDOVER_ENDINGS and not last:
            raise leg_table.error("ends", f"'{leg.ends}' ends the contact, but legs[{index + 1}] follows")
        if leg.ends == "escalate" and legs[index + 1].department != "supervisors":
            raise items[index + 1].error(
                "department",
                f"an escalation goes to 'supervisors', not '{legs[index + 1].department}'",
            )
    return legs


def _leg(table: Table, agents: Mapping[Department, tuple[str, ...]]) -> Leg:
    table.check_keys(LEG_KEYS)
    department = _staffed(table, "department", agents)
    ends: LegEnding = table.choice("ends", LEG_ENDINGS, "ending")
    conference: Department | None = None
    if "conference" in table:
        conference = _staffed(table, "conference", agents)
        if conference == department:
            raise table.error("conference", f"the agent is in '{department}' already: bring in another")
    _only_for(table, ends, ("handover",), HANDOVER_ENDINGS)
    _only_for(table, ends, ("reference", "promise", "promise_days"), {"resolve", "false_resolve"})
    _only_for(table, ends, ("refusal",), {"refuse"})
    handover: Handover = table.choice(
        "handover", HANDOVERS, "handover", default="warm" if ends == "escalate" else "cold"
    )
    refusal = table.choice(
        "refusal", tuple(reason.value for reason in RefusalReason), "refusal", default="policy"
    )
    return Leg(
        department=department,
        ends=ends,
        asks=_fields(table, "asks"),
        reask=_fields(table, "reask"),
        hold_seconds=table.number("hold_seconds"),
        handover=handover,
        reference=table.boolean("reference", default=True),
        promise=table.boolean("promise", default=True),
        promise_days=table.integer("promise_days", minimum=1) or 5,
        refusal=RefusalReason(refusal),
        policy_recitals=int(table.boolean("recites_policy")),
        conferences=() if conference is None else (conference,),
    )


def _staffed(table: Table, key: str, agents: Mapping[Department, tuple[str, ...]]) -> Department:
    """A department someone on the leg must come from, so one that has agents."""
    department: Department = table.choice(key, DEPARTMENTS, "department")
    if department not in agents:
        raise table.error(key, f"department '{department}' has no agents (add it to [contact_centre.agents])")
    return department


def _fields(table: Table, key: str) -> tuple[FieldName, ...]:
    names: list[FieldName] = table.choices(key, FIELD_NAMES, "field")
    if len(set(names)) != len(names):
        raise table.error(key, "a field is listed twice")
    return tuple(names)


def _only_for(table: Table, ends: LegEnding, keys: tuple[str, ...], endings: Any) -> None:
    for key in keys:
        if key in table and ends not in endings:
            allowed = " or ".join(f"'{ending}'" for ending in sorted(endings))
            raise table.error(key, f"only applies to legs that end with {allowed}, not '{ends}'")
