"""Measured against the truth across channels: what the customer repeats on a new channel.

The cross-channel journey (``features/cross_channel/``) without its call, which takes real
time: an order on the web, "where is my order?" in a social DM, then the cancellation in the
chat, one customer throughout, against the real demo company in a real browser. The harness
counts the recaptures across contacts from what the pages showed; the truth counts, per
contact, the fields an earlier contact of the same customer had been asked. They must be
equal, and must tell the profiles apart: ``advocate``'s agents remember the DM, so nothing is
asked again; ``purgatory``'s never look.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext

from journeys.company.profile import CompanyProfile
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.journey import tasks
from journeys.journey.actor import Journey, JourneyIdentity

TIME_SCALE = 0.03
"""As the single-channel accuracy test runs chat and social: purgatory's queues take seconds."""


@pytest.fixture
def fresh_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    yield context
    context.close()


def truth_of(company: CompanyProfile, identity: str) -> list[dict[str, Any]]:
    """Every contact the demo company had with a customer known by this identity."""
    response = httpx.get(
        f"{company.base_url}/__sandbox__/truth/contacts", params={"customer": identity}, timeout=5
    )
    response.raise_for_status()
    contacts: list[dict[str, Any]] = response.json()
    assert contacts, f"the sandbox recorded no contact for {identity!r}"
    return contacts


@pytest.mark.parametrize("profile", ["advocate", "typical", "purgatory"])
def test_recaptures_across_contacts_equal_the_truth(
    sandbox_for: Callable[..., CompanyProfile],
    fresh_context: BrowserContext,
    tmp_path: Path,
    profile: str,
) -> None:
    company = sandbox_for(profile, TIME_SCALE)
    key = f"across-{profile}"
    identity = JourneyIdentity(key, key, "accuracy", 0, (), "sandbox", None, 0, TIME_SCALE)
    journey = Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(0, key),
        browser_context=lambda: fresh_context,
        run_dir=RunDirectory(tmp_path / "run"),
    )
    tasks.place_order(journey, product="Rice Cooker 5", shipping_method="Express", channel="web", setup=True)

    tasks.get_in_touch(journey, channel="social", intent="enquiry")
    tasks.cancel_order(journey, channel="chat")

    measured = journey.metrics()
    talked = [contact for contact in journey.contacts if contact.channel in ("social", "chat")]
    truths = [truth_of(company, contact.identity) for contact in talked]
    assert [len(found) for found in truths] == [1, 1]  # one contact per identity: this journey's
    social, chat = truths[0][0], truths[1][0]
    assert (
        measured.recaptures_across_contacts
        == social["recaptures_across_contacts"] + chat["recaptures_across_contacts"]
    )
    assert measured.recaptures == sum(
        truth["recaptures"] + truth["recaptures_across_contacts"] for truth in (social, chat)
    )
    if profile == "advocate":
        assert measured.recaptures_across_contacts == 0
        assert chat["remembered"] == ["order_number", "email"]
    elif profile == "purgatory":
        assert measured.recaptures_across_contacts > 0
        assert chat["remembered"] == []
