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
from journeys.journey import expectations, tasks
from journeys.journey.actor import Journey, JourneyIdentity

TIME_SCALE = 0.0005
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    fresh = browser.new_context()
    yield fresh
    fresh.close()


def a_journey(company: CompanyProfile, context: BrowserContext, tmp_path: Path, key: str) -> Journey:
    identity = JourneyIdentity(key, key, "desk", 0, (), "sandbox", None, 0, TIME_SCALE)
    return Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(0, "desk"),
        browser_context=lambda: context,
        run_dir=RunDirectory(tmp_path / "run"),
    )


def test_a_ticket_is_followed_to_its_end_and_a_later_answer_is_refused(
    sandbox_for: Callable[..., CompanyProfile], context: BrowserContext, tmp_path: Path
) -> None:
    company = sandbox_for("advocate", TIME_SCALE)
    journey = a_journey(company, context, tmp_path, "desk")
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


def test_a_claim_made_at_the_desk_is_verified_among_the_tickets_linked_cases(
    sandbox_for: Callable[..., CompanyProfile], context: BrowserContext, tmp_path: Path
) -> None:
    """A company reached by its desk lists the cases it opened on the ticket page: the claim is
    checked there (the demo profile's list_aftercare looks on the ticket when there is one)."""
    company = sandbox_for("advocate", TIME_SCALE)
    journey = a_journey(company, context, tmp_path, "claim")
    tasks.become_returning_customer(journey, product="Air Fryer XL", days_ago=200)
    tasks.report_fault(journey, channel="desk", intent="warranty", fault="the basket no longer heats")
    claim = journey.facts["warranty_reference"]
    assert claim.startswith("WC-")

    expectations.warranty_claim_registered(journey)

    assert journey.findings == []
    (checked,) = journey.verifications
    assert (checked.what, checked.passed) == (f"warranty case {claim} listed by the company", True)
    page = context.pages[-1]
    assert page.url == journey.facts["ticket"]  # looked on the ticket, not on the order's page


def test_a_case_number_the_desk_made_up_is_a_finding(
    sandbox_for: Callable[..., CompanyProfile], context: BrowserContext, tmp_path: Path
) -> None:
    """The agent names a case, but the ticket links none: the claim is not registered."""
    company = sandbox_for(str(ROOT / "tests/sandbox/profiles/made_up_claims.toml"), TIME_SCALE)
    journey = a_journey(company, context, tmp_path, "claim")
    tasks.become_returning_customer(journey, product="Air Fryer XL", days_ago=200)
    tasks.report_fault(journey, channel="desk", intent="warranty", fault="the basket no longer heats")
    claim = journey.facts["warranty_reference"]

    expectations.warranty_claim_registered(journey)

    (finding,) = journey.findings
    assert finding.observed == f"the company gave {claim}, but the company's pages list no claims"
    assert [check.passed for check in journey.verifications] == [False]
