"""An agent who recites a policy instead of solving: the truth's ``policies_recited``."""

from __future__ import annotations

import pytest
from contact_centre_driver import observed, run_contact, standard_profile

from sandbox.contact_centre.model import Channel, Intent
from sandbox.contact_centre.recognisers import events_in

CHANNELS: tuple[Channel, ...] = ("chat", "social", "phone", "email")
INTENTS: tuple[Intent, ...] = ("order", "cancel", "return", "repair", "warranty", "enquiry")


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("intent", INTENTS)
@pytest.mark.parametrize("profile", ["advocate", "typical", "purgatory"])
def test_every_recital_said_is_in_the_truth_and_read_as_one(
    profile: str, channel: Channel, intent: Intent
) -> None:
    contact = run_contact(profile, channel, intent)
    recited = contact.truth.policies_recited
    route = standard_profile(profile).route(channel, intent)
    assert len(recited) == sum(leg.policy_recitals for leg in route.legs)
    assert len(observed(contact.outputs).get("policy_recited", [])) == len(recited)
    said = [
        (output.due, output.text) for output in contact.outputs if "policy_recited" in events_in(output.text)
    ]
    assert said == [(recital.at, recital.text) for recital in recited]
    assert contact.truth.to_dict()["policy_recitals"] == len(recited)


def test_where_the_profiles_recite() -> None:
    """Purgatory on every route (twice on a return), typical only on a return, advocate never."""
    for profile, intent, count in [
        ("purgatory", "return", 2),
        ("purgatory", "cancel", 1),
        ("typical", "return", 1),
        ("typical", "cancel", 0),
        ("advocate", "return", 0),
    ]:
        assert len(run_contact(profile, "chat", intent).truth.policies_recited) == count, (profile, intent)


def test_a_recital_comes_before_the_leg_ends_and_solves_nothing() -> None:
    """Typical's Orders agent recites the returns policy, then sends the customer to Returns."""
    contact = run_contact("typical", "chat", "return")
    said = [output.text for output in contact.outputs if output.kind == "agent"]
    recital = next(index for index, text in enumerate(said) if "policy_recited" in events_in(text))
    assert events_in(said[recital + 1])["transferred"].group("department") == "Returns"
    assert contact.truth.transfers and contact.truth.claimed_outcome == "resolved"
