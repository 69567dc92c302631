"""A colleague brought into the contact while its agent stays: the truth's ``conferences``."""

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
def test_every_conference_is_in_the_truth_read_as_one_and_never_as_a_transfer(
    profile: str, channel: Channel, intent: Intent
) -> None:
    contact = run_contact(profile, channel, intent)
    truth = contact.truth
    route = standard_profile(profile).route(channel, intent)
    assert [(c.from_department, c.to_department) for c in truth.conferences] == [
        (leg.department, department) for leg in route.legs for department in leg.conferences
    ]
    seen = observed(contact.outputs)
    assert len(seen.get("conferenced", [])) == len(truth.conferences)
    assert len(seen.get("transferred", [])) == len(truth.transfers)
    said = [
        (output.due, output.text) for output in contact.outputs if "conferenced" in events_in(output.text)
    ]
    assert [due for due, _ in said] == [conference.at for conference in truth.conferences]
    assert truth.to_dict()["conference_count"] == len(truth.conferences)


def test_where_the_profiles_bring_a_colleague_in() -> None:
    """Advocate on a return and a warranty claim, typical on a cancellation, purgatory never."""
    for profile, intent, count in [
        ("advocate", "return", 1),
        ("advocate", "warranty", 1),
        ("advocate", "cancel", 0),
        ("typical", "cancel", 1),
        ("typical", "return", 0),
        ("purgatory", "return", 0),
        ("purgatory", "cancel", 0),
    ]:
        assert len(run_contact(profile, "chat", intent).truth.conferences) == count, (profile, intent)


def test_the_agent_stays_and_the_colleague_speaks_as_themselves() -> None:
    """Advocate's Returns agent brings in Orders, hears a colleague, and resolves the return."""
    contact = run_contact("advocate", "chat", "return")
    truth = contact.truth
    [conference] = truth.conferences
    lines = [output for output in contact.outputs if output.kind == "agent"]
    invite = next(index for index, line in enumerate(lines) if "conferenced" in events_in(line.text))
    host, colleague, back = lines[invite], lines[invite + 1], lines[invite + 2]
    assert events_in(host.text)["conferenced"].group("department") == "Orders"
    assert (colleague.agent, colleague.department) == (conference.colleague, "orders")
    assert back.agent == host.agent and conference.colleague in back.text
    assert [agent.agent for agent in truth.agents] == [host.agent]  # nobody else took the contact
    assert not truth.transfers and truth.claimed_outcome == "resolved"
