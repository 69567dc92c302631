"""Loading profiles: the shipped three differ on every metric; bad ones fail in one line."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from contact_centre_driver import PROFILE_NAMES, PROFILES_DIR, SCALE, run_contact

from sandbox.contact_centre import (
    ContactCentreProfileError,
    load_contact_centre_profile,
    load_contact_centre_profile_file,
)
from sandbox.contact_centre.model import CHANNELS, INTENTS

SOURCE = "sandbox/profiles/x.toml"


def minimal() -> dict[str, Any]:
    """The smallest valid contact centre: one department that cannot help."""
    return {
        "contact_centre": {
            "agents": {"orders": ["Dana"], "supervisors": ["Morgan"]},
            "routes": {"legs": [{"department": "orders", "asks": ["order_number"], "ends": "unresolved"}]},
        }
    }


def test_a_minimal_profile_fills_every_channel_and_intent_with_defaults() -> None:
    profile = load_contact_centre_profile(minimal(), SOURCE)
    assert profile.name == "x"
    assert profile.time_scale == 1.0
    assert set(profile.routes) == {(c, i) for c in CHANNELS for i in INTENTS}
    assert profile.channels["email"].reply_delay_seconds > profile.channels["chat"].reply_delay_seconds
    assert profile.ivr is None


def test_more_specific_route_tables_win() -> None:
    document = minimal()
    routes = document["contact_centre"]["routes"]
    routes["queue_seconds"] = 1
    routes["cancel"] = {"queue_seconds": 2}
    routes["phone"] = {"queue_seconds": 3, "cancel": {"queue_seconds": 4}}
    profile = load_contact_centre_profile(document, SOURCE)
    assert profile.route("chat", "order").queue_seconds == 1
    assert profile.route("chat", "cancel").queue_seconds == 2
    assert profile.route("phone", "order").queue_seconds == 3
    assert profile.route("phone", "cancel").queue_seconds == 4


def test_time_scale_multiplies_every_duration() -> None:
    profile = load_contact_centre_profile_file(PROFILES_DIR / "typical.toml")
    assert profile.seconds(30) == 30
    assert profile.with_time_scale(0.5).seconds(30) == 15
    assert profile.with_time_scale(0.5).scaled(0.5).seconds(30) == 7.5
    with pytest.raises(ValueError):
        profile.with_time_scale(0)


def journey_totals(profile: str) -> dict[str, float]:
    """Each metric summed over every channel and intent of a shipped profile."""
    totals: dict[str, float] = {}
    for channel in CHANNELS:
        for intent in INTENTS:
            truth = run_contact(profile, channel, intent).truth
            metrics = {
                "ivr_depth": truth.ivr_depth,
                "queue_hold": truth.hold_time_of("queue"),
                "mid_conversation_hold": truth.hold_time_of("mid_conversation"),
                "transfers": len(truth.transfers),
                "escalations": len(truth.escalations),
                "recaptures": truth.recaptures,
                "resolved_for_real": truth.claimed_resolved is True and truth.action_performed,
                "references": len(truth.references),
                "promises": len(truth.promises),
                "surveys": truth.satisfaction_asked,
                "switch_offers": truth.channel_switch_offered_at is not None,
            }
            for name, value in metrics.items():
                totals[name] = totals.get(name, 0) + float(value)
    return totals


def test_the_three_profiles_differ_visibly_on_every_metric() -> None:
    advocate, typical, purgatory = (journey_totals(name) for name in PROFILE_NAMES)
    for worse_when_higher in (
        "ivr_depth",
        "queue_hold",
        "mid_conversation_hold",
        "transfers",
        "escalations",
        "recaptures",
    ):
        assert advocate[worse_when_higher] < typical[worse_when_higher], worse_when_higher
        assert typical[worse_when_higher] < purgatory[worse_when_higher], worse_when_higher
    for better_when_higher in ("resolved_for_real", "references", "promises", "surveys"):
        assert advocate[better_when_higher] >= typical[better_when_higher], better_when_higher
        assert typical[better_when_higher] > purgatory[better_when_higher], better_when_higher
    assert advocate["surveys"] > typical["surveys"]
    assert advocate["switch_offers"] == typical["switch_offers"] == len(INTENTS)
    assert purgatory["switch_offers"] == 0


def test_shipped_profiles_keep_the_shop_tables_untouched() -> None:
    import tomllib

    for name in PROFILE_NAMES:
        document = tomllib.loads((PROFILES_DIR / f"{name}.toml").read_text(encoding="utf-8"))
        assert set(document) == {"description", "shop", "contact_centre"}
        assert load_contact_centre_profile(document, f"{name}.toml").time_scale == 1.0
        assert SCALE < 1


def change(path: str, value: Any) -> dict[str, Any]:
    """``minimal()`` with one dotted key set (``routes.legs`` ...); None deletes it."""
    document = copy.deepcopy(minimal())
    table = document["contact_centre"]
    *parents, last = path.split(".")
    for name in parents:
        table = table.setdefault(name, {})
    if value is None:
        del table[last]
    else:
        table[last] = value
    return document


KNOWN_DEPARTMENTS = "billing, orders, repairs, returns, sales, supervisors"

BAD_PROFILES = [
    (
        change(
            "routes.phone.cancel",
            {"legs": [{"department": "orders", "ends": "transfer"}, {"department": "shipping"}]},
        ),
        "[contact_centre.routes.phone.cancel] legs[1].department: unknown department"
        f" 'shipping' (known: {KNOWN_DEPARTMENTS})",
    ),
    (
        change("routes.refund", {"queue_seconds": 3}),
        "[contact_centre.routes] refund: unknown intent, channel or route key 'refund'"
        " (did you mean 'return'?)",
    ),
    (
        change("channels.fax", {}),
        "[contact_centre.channels] fax: unknown channel 'fax' (known: chat, email, phone, social)",
    ),
    (
        change("agents.billing", []),
        "[contact_centre.agents] billing: a department needs at least one agent",
    ),
    (
        change("agents.shipping", ["Sam"]),
        f"[contact_centre.agents] shipping: unknown department 'shipping' (known: {KNOWN_DEPARTMENTS})",
    ),
    (
        change("routes.legs", [{"department": "sales", "ends": "unresolved"}]),
        "[contact_centre.routes] legs[0].department: department 'sales' has no agents"
        " (add it to [contact_centre.agents])",
    ),
    (
        change("routes.queue_seconds", "long"),
        "[contact_centre.routes] queue_seconds: expected a number, got string 'long'",
    ),
    (
        change("routes.survey", "yes"),
        "[contact_centre.routes] survey: expected true or false, got string 'yes'",
    ),
    (
        change("routes.queue_position", 0),
        "[contact_centre.routes] queue_position: must be at least 1, not 0",
    ),
    (
        change("routes.legs", [{"department": "orders", "asks": ["shoe_size"], "ends": "refuse"}]),
        "[contact_centre.routes] legs[0].asks: unknown field 'shoe_size' (known: address, email,"
        " name, order_number, phone, postcode, product, purchase_date, serial_number,"
        " shipping_method)",
    ),
    (
        change("routes.legs", [{"department": "orders", "ends": "vanish"}]),
        "[contact_centre.routes] legs[0].ends: unknown ending 'vanish' (known: escalate,"
        " false_resolve, go_silent, refuse, resolve, transfer, unresolved)",
    ),
    (
        change("routes.legs", [{"departmnt": "orders", "ends": "refuse"}]),
        "[contact_centre.routes] legs[0].departmnt: unknown key 'departmnt' (did you mean 'department'?)",
    ),
    (
        change("routes.legs", [{"department": "orders", "ends": "transfer"}]),
        "[contact_centre.routes] legs[0].ends: 'transfer' needs a next leg to hand over to",
    ),
    (
        change(
            "routes.legs",
            [
                {"department": "orders", "ends": "refuse"},
                {"department": "orders", "ends": "refuse"},
            ],
        ),
        "[contact_centre.routes] legs[0].ends: 'refuse' ends the contact, but legs[1] follows",
    ),
    (
        change(
            "routes.legs",
            [
                {"department": "orders", "ends": "escalate"},
                {"department": "orders", "ends": "refuse"},
            ],
        ),
        "[contact_centre.routes] legs[1].department: an escalation goes to 'supervisors', not 'orders'",
    ),
    (
        change("routes.legs", [{"department": "orders", "reask": ["email"], "ends": "refuse"}]),
        "[contact_centre.routes] legs[0].reask: 'email' is asked again but never asked before"
        " (add it to asks)",
    ),
    (
        change("routes.legs", [{"department": "orders", "conference": "orders", "ends": "refuse"}]),
        "[contact_centre.routes] legs[0].conference: the agent is in 'orders' already: bring in another",
    ),
    (
        change("routes.legs", [{"department": "orders", "conference": "billing", "ends": "refuse"}]),
        "[contact_centre.routes] legs[0].conference: department 'billing' has no agents (add it to"
        " [contact_centre.agents])",
    ),
    (
        change("routes.legs", [{"department": "orders", "ends": "refuse", "promise": True}]),
        "[contact_centre.routes] legs[0].promise: only applies to legs that end with"
        " 'false_resolve' or 'resolve', not 'refuse'",
    ),
    (
        change(
            "routes.cancel",
            {"legs": [{"department": "orders", "asks": ["email"], "ends": "resolve"}]},
        ),
        "[contact_centre.routes.cancel] legs: intent 'cancel' on chat resolves without asking for"
        " order_number (add to some leg's asks, or end with another outcome)",
    ),
    (
        change("routes.legs", None),
        "[contact_centre.routes] legs: no legs for channel 'chat' and intent 'order' (set legs in"
        " [contact_centre.routes], [contact_centre.routes.order] or"
        " [contact_centre.routes.chat.order])",
    ),
    (
        change("channels.chat", {"switch_to_phone_after": 3}),
        "[contact_centre.channels.chat] switch_to_phone_after: only the social channel offers a switch",
    ),
    (
        change("time_scale", 0),
        "[contact_centre] time_scale: must be positive",
    ),
    (
        change(
            "ivr",
            {
                "start": "main",
                "menus": {"main": {"options": [{"key": "1", "label": "orders", "menu": "orders"}]}},
            },
        ),
        "[contact_centre.ivr.menus.main] options[0].menu: unknown menu 'orders' (menus: main)",
    ),
    (
        change(
            "ivr",
            {
                "start": "main",
                "menus": {"main": {"options": [{"key": "1", "label": "refunds", "intent": "refund"}]}},
            },
        ),
        "[contact_centre.ivr.menus.main] options[0].intent: unknown intent 'refund' (known:"
        " cancel, enquiry, order, repair, return, warranty)",
    ),
    (
        change(
            "ivr",
            {
                "start": "main",
                "menus": {"main": {"options": [{"key": "9", "label": "orders", "intent": "order"}]}},
            },
        ),
        "[contact_centre.ivr.menus.main] options[0].key: 9 is the repeat key ('hear these options again')",
    ),
    (
        change(
            "ivr",
            {
                "start": "main",
                "menus": {
                    "main": {
                        "options": [
                            {
                                "key": "1",
                                "label": "cancelling",
                                "intent": "cancel",
                                "department": "sales",
                            }
                        ]
                    }
                },
            },
        ),
        "[contact_centre.ivr.menus.main] options[0].department: 'sales' is not where phone"
        " route 'cancel' starts ('orders')",
    ),
    (
        change(
            "ivr",
            {
                "start": "welcome",
                "menus": {"main": {"options": [{"key": "1", "label": "orders", "intent": "order"}]}},
            },
        ),
        "[contact_centre.ivr] start: unknown menu 'welcome' (menus: main)",
    ),
    (
        change("remembers_across_channels", 1.5),
        "[contact_centre] remembers_across_channels: a chance from 0 to 1, not 1.5",
    ),
    (
        change("identifies_first", ["name", "postcode"]),
        "[contact_centre] identifies_first: 'postcode' does not say who the customer is"
        " (known: email, name, order_number, phone)",
    ),
    (
        change("identifies_first", ["email", "email"]),
        "[contact_centre] identifies_first: each field once",
    ),
    (
        change("variety", {"transfer": [0, 1]}),
        "[contact_centre.variety] transfer: unknown key 'transfer' (did you mean 'transfers'?)",
    ),
    (
        change("variety", {"transfers": [0, 9]}),
        "[contact_centre.variety] transfers: expected whole numbers from 0 to 5, got 9",
    ),
    (
        change("variety", {"escalations": []}),
        "[contact_centre.variety] escalations: expected a non-empty array of whole numbers,"
        " like [0, 0, 1, 2]",
    ),
    (
        change("variety", {"hold_seconds": [30, 10]}),
        "[contact_centre.variety] hold_seconds: expected 0 <= low <= high, got [30, 10]",
    ),
    (
        change("variety", {"queue_factor": 2}),
        "[contact_centre.variety] queue_factor: expected [low, high], got 2",
    ),
    (
        change("variety", {"untrue": 1.5}),
        "[contact_centre.variety] untrue: a chance from 0 to 1, not 1.5",
    ),
]


@pytest.mark.parametrize(("document", "expected"), BAD_PROFILES, ids=[e[:60] for _, e in BAD_PROFILES])
def test_a_bad_profile_fails_with_one_line_naming_file_table_and_key(
    document: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ContactCentreProfileError) as raised:
        load_contact_centre_profile(document, SOURCE)
    message = str(raised.value)
    assert "\n" not in message
    assert message == f"{SOURCE}: {expected}"


def test_a_profile_without_the_table_says_where_the_schema_is() -> None:
    with pytest.raises(ContactCentreProfileError, match=r"^x\.toml: \[contact_centre\] missing table"):
        load_contact_centre_profile({"description": "no contact centre"}, "x.toml")


def test_a_file_that_is_not_toml_fails_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[contact_centre\nagents = 1\n", encoding="utf-8")
    with pytest.raises(ContactCentreProfileError) as raised:
        load_contact_centre_profile_file(path)
    assert str(raised.value).startswith(f"{path}: invalid TOML: ")
    assert "\n" not in str(raised.value)
    with pytest.raises(ContactCentreProfileError, match="cannot read"):
        load_contact_centre_profile_file(tmp_path / "missing.toml")
