"""The company writes again on its own after an e-mail contact: the truth's ``follow_ups``."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from contact_centre_driver import SCALE, ScriptedCustomer, observed, run_contact, standard_profile

from sandbox.contact_centre.model import Channel, Intent
from sandbox.contact_centre.recognisers import events_in

CHANNELS: tuple[Channel, ...] = ("chat", "social", "phone", "email")
INTENTS: tuple[Intent, ...] = ("order", "cancel", "return", "repair", "warranty", "enquiry")


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("intent", INTENTS)
@pytest.mark.parametrize("profile", ["advocate", "typical", "purgatory"])
def test_every_follow_up_written_is_in_the_truth_and_read_as_one(
    profile: str, channel: Channel, intent: Intent
) -> None:
    contact = run_contact(profile, channel, intent)
    truth = contact.truth
    route = standard_profile(profile).route(channel, intent)
    expected = channel == "email" and route.follows_up_after_seconds > 0 and bool(truth.promises)
    assert len(truth.follow_ups) == int(expected)
    assert len(observed(contact.outputs).get("followed_up", [])) == len(truth.follow_ups)
    written = [(o.due, o.text) for o in contact.outputs if "followed_up" in events_in(o.text)]
    assert written == [(follow_up.at, follow_up.text) for follow_up in truth.follow_ups]
    assert truth.to_dict()["followed_up"] == expected


def test_where_the_profiles_follow_up() -> None:
    """Advocate after every promise it mails, typical only after a return's, purgatory never."""
    for profile, intent, count in [
        ("advocate", "cancel", 1),
        ("advocate", "return", 1),
        ("typical", "return", 1),
        ("typical", "cancel", 0),
        ("purgatory", "cancel", 0),
        ("purgatory", "return", 0),
    ]:
        assert len(run_contact(profile, "email", intent).truth.follow_ups) == count, (profile, intent)


def test_a_follow_up_comes_after_the_contact_closed_the_scaled_delay_after_its_promise() -> None:
    contact = run_contact("advocate", "email", "return")
    truth = contact.truth
    [follow_up] = truth.follow_ups
    [promise] = truth.promises
    assert truth.ended_at is not None and truth.ended_by == "company"
    assert follow_up.at > truth.ended_at
    assert follow_up.at == pytest.approx(promise.at + 7200 * SCALE)
    assert follow_up.by_promise is True
    assert date.fromisoformat(follow_up.promised_day) >= date.fromtimestamp(promise.at)
    assert contact.conversation.finished


def test_a_follow_up_later_than_the_promised_day_is_not_by_the_promise() -> None:
    """Ten days after promising a collection within a few business days is late."""
    late = standard_profile("typical")
    routes = {
        key: dataclasses.replace(route, follows_up_after_seconds=10 * 86400)
        for key, route in late.routes.items()
    }
    late = dataclasses.replace(late, routes=routes)
    contact = ScriptedCustomer("return").run(late, "email")
    [follow_up] = contact.truth.follow_ups
    assert follow_up.by_promise is False


def test_a_contact_waiting_to_follow_up_has_ended_for_the_customer() -> None:
    """The ticket is closed and a new mail opens a new contact, though the follow-up is to come."""
    contact = run_contact("advocate", "email", "return")
    [follow_up] = contact.truth.follow_ups
    conversation = (
        ScriptedCustomer("return")
        .run(standard_profile("advocate"), "email", until=follow_up.at - 0.001)
        .conversation
    )
    assert conversation.ended and not conversation.finished
    assert conversation.customer_says("One more thing", follow_up.at - 0.0005) is False
    assert [output.phrase for output in conversation.due_outputs(follow_up.at)] == ["follow_up"]
    assert conversation.finished
