"""The support desk as a customer uses it, on the demo company's real form and ticket pages:
the ticket's reference is kept, the customer's own entries are not the company's words, and
an answer the desk will not take (a closed ticket sends the customer to a sign-in page) is
refused, never recorded as sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from journeys.channels.written.desk import DeskTicket
from journeys.company.profile import CompanyProfile
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import EventKind
from journeys.journey import tasks
from journeys.journey.actor import Journey, JourneyIdentity

TIME_SCALE = 0.0005


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    fresh = browser.new_context()
    yield fresh
    fresh.close()


def test_a_ticket_is_followed_to_its_end_and_a_later_answer_is_refused(
    sandbox_for: Callable[..., CompanyProfile], context: BrowserContext, tmp_path: Path
) -> None:
    company = sandbox_for("advocate", TIME_SCALE)
    identity = JourneyIdentity("desk", "desk", "desk", 0, (), "sandbox", None, 0, TIME_SCALE)
    journey = Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(0, "desk"),
        browser_context=lambda: context,
        run_dir=RunDirectory(tmp_path / "run"),
    )
    tasks.place_order(journey, product="Kettle Pro", shipping_method="Standard", channel="web", setup=True)

    end = tasks.get_in_touch(journey, channel="desk", intent="enquiry")

    contact = journey.contacts[-1]
    references = contact.timeline.references()
    assert references[0].startswith("T-")  # the confirmation's ticket number
    assert end.ended_by == "company" and end.resolved is True
    (ended,) = contact.timeline.of_kind(EventKind.CONTACT_ENDED)
    assert ended.text == "the company ended it"  # shown on the journey's page
    received = [event.text for event in contact.timeline.of_kind(EventKind.MESSAGE_RECEIVED)]
    assert not any(text.startswith("Kind regards") for text in received)  # "by you" is the customer
    assert journey.facts["ticket"].startswith(f"{company.base_url}/tickets/")

    assert company.desk is not None and company.conversation is not None
    ticket = DeskTicket(journey.web, company.desk, company.conversation, context)
    ticket.ticket = journey.facts["ticket"]
    assert ticket.say("One more thing: is the kettle's lid covered too?") is False
    assert ticket.refusals == ["Sign in to reply"]
