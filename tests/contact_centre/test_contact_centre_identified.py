"""Who the customer is, asked before what they want: the truth's ``identified_before_heard``."""

from __future__ import annotations

import pytest
from contact_centre_driver import run_contact

from sandbox.contact_centre.model import Channel, Intent
from sandbox.contact_centre.recognisers import events_in


def test_purgatory_chat_asks_name_and_email_before_it_asks_what_the_customer_wants() -> None:
    contact = run_contact("purgatory", "chat", "cancel")
    said = [output.text for output in contact.outputs if output.kind in ("system", "agent")]
    asked = [events_in(text)["info_requested"].group("field") for text in said[:2]]
    assert asked == ["full name", "email address"]  # the first words, with no welcome
    assert contact.sent[2][1] == "I need to cancel my order"  # said once the questions were answered
    truth = contact.truth
    assert truth.identified_before_heard is True
    assert truth.intent == "cancel" and truth.claimed_outcome == "resolved"
    # the bot hands its answers to the first agent, who does not ask for the name again
    assert truth.fields_asked["name"] == 1


@pytest.mark.parametrize("channel", ["social", "email"])
def test_a_customer_who_writes_first_is_heard_first(channel: Channel) -> None:
    assert run_contact("purgatory", channel, "cancel").truth.identified_before_heard is False


@pytest.mark.parametrize("profile", ["advocate", "typical"])
@pytest.mark.parametrize("intent", ["cancel", "return"])
def test_profiles_that_hear_the_customer_first_never_identify_on_chat(profile: str, intent: Intent) -> None:
    assert run_contact(profile, "chat", intent).truth.identified_before_heard is False


def test_a_call_routed_by_its_menu_has_said_why_before_it_is_asked_who() -> None:
    """ "For cancelling an order, press 3": the key says why the customer called."""
    truth = run_contact("advocate", "phone", "cancel").truth
    assert truth.ivr_choices and truth.fields_asked
    assert truth.identified_before_heard is False
