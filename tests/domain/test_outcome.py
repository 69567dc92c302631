"""The journey's outcome, from what the customer was told and what the checks saw: no browser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from journeys.company.profile import load_company
from journeys.domain.metrics import RefusalCheck, measure_journey
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind
from journeys.journey import expectations
from journeys.journey.actor import Journey, JourneyIdentity

ROOT = Path(__file__).resolve().parents[2]
EXPIRED = "Unfortunately the warranty on this item has expired."
CALL_BACK = "I'm afraid I can't sort this out today. Please call back tomorrow."


def told(words: str, *, resolved: bool) -> Contact:
    contact = Contact(channel="chat", purpose="warranty claim")
    contact.note(EventKind.CONTACT_STARTED, at=0.0)
    contact.note(EventKind.OUTCOME, at=5.0, text=words, resolved=resolved)
    contact.note(EventKind.CONTACT_ENDED, at=6.0)
    return contact


def test_a_fix_the_check_confirmed_is_resolved() -> None:
    metrics = measure_journey(
        [told("Your order has been cancelled.", resolved=True)], verified_resolved=True, verified_at=7.0
    )
    assert (metrics.outcome, metrics.outcome_reason) == ("resolved", "checked")
    assert metrics.first_contact_resolution and metrics.first_contact_answer


def test_a_no_the_check_bore_out_is_an_honest_answer_in_the_companys_words() -> None:
    metrics = measure_journey(
        [told(EXPIRED, resolved=False)],
        verified_resolved=None,
        verified_at=None,
        refusal=RefusalCheck(True, "the purchase is past its warranty and no case was opened"),
    )
    assert (metrics.outcome, metrics.outcome_reason) == ("answered_honestly", EXPIRED)
    assert not metrics.first_contact_resolution and metrics.first_contact_answer


@pytest.mark.parametrize(
    ("said", "claimed", "verified", "refusal", "false_part"),
    [
        ("I've cancelled your order.", True, False, None, "but the check showed the page shows 'Processing'"),
        (
            EXPIRED,
            False,
            None,
            RefusalCheck(False, "the purchase is inside its warranty"),
            "inside its warranty",
        ),
    ],
    ids=["false-cancelled", "false-expired"],
)
def test_words_a_check_disproved_misinform(
    said: str, claimed: bool, verified: bool | None, refusal: RefusalCheck | None, false_part: str
) -> None:
    metrics = measure_journey(
        [told(said, resolved=claimed)],
        verified_resolved=verified,
        verified_at=7.0 if verified is not None else None,
        verified_words="the page shows 'Processing'",
        refusal=refusal,
    )
    assert metrics.outcome == "misinformed"
    assert metrics.outcome_reason.startswith(f"the company said {said!r}, but ")
    assert false_part in metrics.outcome_reason
    assert not metrics.first_contact_answer


def test_a_no_nothing_checked_is_unresolved() -> None:
    metrics = measure_journey([told(CALL_BACK, resolved=False)], verified_resolved=None, verified_at=None)
    assert (metrics.outcome, metrics.outcome_reason) == ("unresolved", CALL_BACK)
    assert not metrics.first_contact_answer


def test_silence_is_unresolved() -> None:
    contact = Contact(channel="chat", purpose="warranty claim")
    contact.note(EventKind.CONTACT_STARTED, at=0.0)
    metrics = measure_journey([contact], verified_resolved=None, verified_at=None)
    assert (metrics.outcome, metrics.outcome_reason) == ("unresolved", "no outcome was stated")


# -- the same four, as the expectations check a journey against the sandbox's profile


@dataclass
class OrderPage:
    found: bool
    status: str


class OrderPages:
    """The web shop's order page, as a check reads it: a status, without a browser."""

    def __init__(self, status: str) -> None:
        self.status = status
        self.shopper: Shopper | None = None

    def open_order(self, order_number: str) -> OrderPage:
        return OrderPage(found=True, status=self.status)


def a_journey(tmp_path: Path, answer: str, *, claimed: bool, intent: str = "warranty") -> Journey:
    identity = JourneyIdentity("j", "j", "x.feature", 1, (), "sandbox", "advocate", 0)
    journey = Journey(
        identity,
        company=load_company("sandbox", ROOT),
        shopper=Shopper.for_journey(0, "j"),
        browser_context=lambda: None,  # type: ignore[arg-type, return-value]
        run_dir=RunDirectory(tmp_path / "run"),
    )
    with journey.contact("chat", intent) as contact:
        contact.note(EventKind.OUTCOME, text=answer, resolved=claimed)
    journey.facts.update({f"{intent}_answer": answer, "order_number": "BL-700202"})
    return journey


def test_told_honestly_out_of_warranty_is_answered_honestly(tmp_path: Path) -> None:
    journey = a_journey(tmp_path, EXPIRED, claimed=False)
    expectations.told_out_of_warranty(journey)
    metrics = journey.metrics()
    assert not journey.findings
    assert (metrics.outcome, metrics.outcome_reason) == ("answered_honestly", EXPIRED)
    assert [check.kind for check in journey.verifications] == ["refusal"]


def test_expired_said_of_a_purchase_inside_its_warranty_misinforms(tmp_path: Path) -> None:
    journey = a_journey(tmp_path, EXPIRED, claimed=False)
    expectations.warranty_claim_registered(journey)
    metrics = journey.metrics()
    assert metrics.outcome == "misinformed"
    assert "the purchase is inside its warranty" in metrics.outcome_reason


def test_a_put_off_is_unresolved_whatever_was_due(tmp_path: Path) -> None:
    for check in (expectations.told_out_of_warranty, expectations.warranty_claim_registered):
        journey = a_journey(tmp_path, CALL_BACK, claimed=False)
        check(journey)
        assert journey.metrics().outcome == "unresolved", check.__name__
        assert not journey.verifications


def test_done_without_a_case_number_misinforms(tmp_path: Path) -> None:
    journey = a_journey(tmp_path, "Your warranty claim has been opened.", claimed=True)
    expectations.warranty_claim_registered(journey)
    assert journey.metrics().outcome == "misinformed"


@pytest.mark.parametrize(
    ("answer", "claimed", "status", "outcome"),
    [
        ("I've cancelled your order.", True, "Cancelled", "resolved"),
        ("I'm sorry, your order is already being processed, so it can no longer be cancelled.",
         False, "Processing", "answered_honestly"),
        ("I've cancelled your order.", True, "Processing", "misinformed"),
        (CALL_BACK, False, "Processing", "unresolved"),
    ],
    ids=["cancelled", "honest-refusal", "false-cancelled", "put-off"],
)  # fmt: skip
def test_a_cancellation_checked_on_the_order_page(
    tmp_path: Path, answer: str, claimed: bool, status: str, outcome: str
) -> None:
    journey = a_journey(tmp_path, answer, claimed=claimed, intent="cancellation")
    journey.facts["cancellation_claimed"] = "yes" if claimed else "no"
    journey._web = OrderPages(status)  # type: ignore[assignment]
    expectations.order_cancelled(journey)
    assert journey.metrics().outcome == outcome
    assert bool(journey.findings) == (status != "Cancelled")


def test_placing_the_order_a_journey_cancels_is_no_word_on_the_cancellation() -> None:
    # make demo, typical: the web said "order placed" (setup); the call's agent was not
    # understood; the order page showed Processing. The report called it "misinformed: the
    # company said 'order placed'", and ranked an honest company's call among its worst lies
    placed = Contact(channel="web", purpose="order Kettle Pro with Standard shipping", setup=True)
    placed.note(EventKind.CONTACT_STARTED, at=0.0)
    placed.note(EventKind.OUTCOME, at=1.0, text="order placed", resolved=True)
    call = Contact(channel="phone", purpose="cancel order BL-636110")
    call.note(EventKind.CONTACT_STARTED, at=2.0)
    call.note(EventKind.CONTACT_ENDED, at=60.0)
    metrics = measure_journey(
        [placed, call], verified_resolved=False, verified_at=61.0, verified_words="Processing"
    )
    assert (metrics.outcome, metrics.claimed_resolved) == ("unresolved", None)


def test_a_status_told_on_social_is_no_word_on_a_later_cancellation(tmp_path: Path) -> None:
    # make demo, typical, the cross-channel journey: social told the status ("placed", true),
    # then the call to cancel ended in the menu. The check of the cancellation is of the
    # call's word (none), not of the status answer
    journey = a_journey(tmp_path, "The status of your order is: placed.", claimed=True, intent="enquiry")
    with journey.contact("phone", "cancel order BL-700202"):
        pass
    journey.facts.update({"cancellation_claimed": "no", "cancellation_answer": "An press 9"})
    journey._web = OrderPages("Processing")  # type: ignore[assignment]
    expectations.order_cancelled(journey)
    metrics = journey.metrics()
    assert metrics.outcome == "unresolved", metrics.outcome_reason
    assert journey.verifications[0].claimed is False
