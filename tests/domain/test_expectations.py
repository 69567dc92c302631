"""Expectations judged on hand-built journeys, no browser: what counts as resolved."""

from __future__ import annotations

from pathlib import Path

from journeys.company.profile import load_company
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import EventKind
from journeys.journey import expectations
from journeys.journey.actor import Journey, JourneyIdentity

ROOT = Path(__file__).resolve().parents[2]


def a_journey(tmp_path: Path, *, claimed: bool) -> Journey:
    identity = JourneyIdentity("j", "j", "x.feature", 1, (), "sandbox", "typical", 0)
    journey = Journey(
        identity,
        company=load_company("sandbox", ROOT),
        shopper=Shopper.for_journey(0, "j"),
        browser_context=lambda: None,  # type: ignore[arg-type, return-value]
        run_dir=RunDirectory(tmp_path / "run"),
    )
    for channel in ("social", "phone"):  # two contacts: resolution may take more than one
        with journey.contact(channel, "cancel") as contact:
            contact.note(EventKind.OUTCOME, text="...", resolved=claimed and channel == "phone")
    return journey


def test_resolved_over_several_contacts_is_met_where_one_contact_is_not(tmp_path: Path) -> None:
    journey = a_journey(tmp_path, claimed=True)
    expectations.resolved(journey)
    expectations.resolved_in_one_contact(journey)
    assert [finding.expectation for finding in journey.findings] == ["my problem is resolved in one contact"]


def test_a_check_that_failed_outweighs_the_companys_word(tmp_path: Path) -> None:
    journey = a_journey(tmp_path, claimed=True)
    journey.verify("cancelled", expected="cancelled", observed="Processing", passed=False, channel="web")
    expectations.resolved(journey)
    [finding] = journey.findings
    assert finding.observed == "the company said it was resolved, but the check showed it was not"


def test_nothing_resolved_is_said_plainly(tmp_path: Path) -> None:
    journey = a_journey(tmp_path, claimed=False)
    expectations.resolved(journey)
    assert [finding.observed for finding in journey.findings] == ["it was not resolved"]
