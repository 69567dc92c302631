"""Expectations judged on hand-built journeys, no browser: what counts as resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.channels.web import OrderPage
from journeys.channels.written.letters import MailThread
from journeys.company.profile import load_company
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Event, EventKind
from journeys.errors import StepUsageError
from journeys.journey import expectations, tasks
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


def mailed_a_promise(tmp_path: Path) -> Journey:
    """A journey whose e-mail contact was promised a refund (its thread kept, as write() keeps it)."""
    journey = a_journey(tmp_path, claimed=True)
    with journey.contact("email", "cancel") as contact:
        contact.note(EventKind.PROMISE_MADE, text="Your refund will reach your card within 5 business days.")
    journey.mail_threads.append((contact, MailThread("ms1", "shopper+ms1@testmail.example"), 1))
    return journey


def looked_and(found: dict[str, object] | None) -> object:
    """tasks.await_follow_up as if the mailbox had held ``found`` (a follow-up's details) or nothing."""

    def look(journey: Journey, *, within: float | None = None) -> Event | None:
        contact = journey.mail_threads[-1][0]
        contact.follow_up_awaited = True
        return None if found is None else contact.note(EventKind.FOLLOWED_UP, **found)  # type: ignore[arg-type]

    return look


def test_a_follow_up_by_the_promise_meets_the_expectation_and_a_late_or_missing_one_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = "Following up as promised: your refund is on track."
    for found, observed in [
        ({"text": words, "by_promise": True}, None),
        ({"text": words, "by_promise": False}, f"the company followed up after the promised day: {words!r}"),
        (None, "the company never wrote again after its promise"),
    ]:
        journey = mailed_a_promise(tmp_path)
        monkeypatch.setattr(tasks, "await_follow_up", looked_and(found))
        expectations.followed_up_by_promise(journey)
        assert [finding.observed for finding in journey.findings] == ([observed] if observed else [])
        assert journey.metrics().followed_up is (found is not None)


def test_a_follow_up_is_looked_for_only_after_an_e_mail(tmp_path: Path) -> None:
    with pytest.raises(StepUsageError, match="after an e-mail contact"):
        expectations.followed_up_by_promise(a_journey(tmp_path, claimed=True))


class _NoSuchOrder:
    def open_order(self, order_number: str) -> OrderPage:
        return OrderPage(order_number, f"the shop found no order {order_number}", None, found=False)


@pytest.mark.parametrize(("heard_on", "outcome"), [("phone", "resolved"), (None, "misinformed")])
def test_a_number_heard_on_a_call_that_finds_no_order_does_not_call_the_company_a_liar(
    tmp_path: Path, heard_on: str | None, outcome: str
) -> None:
    # a digit the recogniser got wrong made an honest "your order has been placed" misinformed;
    # a number the company wrote down that finds no order still is
    journey = a_journey(tmp_path, claimed=True)
    journey._web = _NoSuchOrder()  # type: ignore[assignment]
    journey.facts["order_number"] = "BL-395528"
    if heard_on is not None:
        journey.facts["order_number_heard_on"] = heard_on
    expectations.order_has_shipping(journey, "Store pickup")
    [finding] = journey.findings
    assert finding.expectation == "my order exists with Store pickup shipping"
    assert "the shop found no order BL-395528" in finding.observed
    assert journey.metrics().outcome == outcome
