"""An order asked for on a call that was never placed is a finding; one the customer did not
hear the number of breaks the journey instead of blaming the company."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.company.profile import load_company
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.errors import JourneyBroken
from journeys.journey.actor import Journey, JourneyIdentity
from journeys.journey.expectations import order_has_shipping

ROOT = Path(__file__).resolve().parents[2]


def journey(tmp_path: Path, **facts: str) -> Journey:
    identity = JourneyIdentity(
        "j", "Order by phone", "ordering/phone.feature", 7, (), "sandbox", "purgatory", seed=0
    )

    def no_browser() -> None:
        raise AssertionError("nothing to look up on the web")

    made = Journey(
        identity,
        company=load_company("sandbox", ROOT),
        shopper=Shopper.for_journey(0, "j"),
        browser_context=no_browser,  # type: ignore[arg-type]
        run_dir=RunDirectory(tmp_path),
    )
    made.facts.update(facts)
    return made


def test_an_order_never_placed_on_a_call_is_a_finding(tmp_path: Path) -> None:
    why = "the company said: Can I have your order number please"
    customer = journey(tmp_path, order_claimed="no", order_number_missing_because=why)

    order_has_shipping(customer, "Express")

    [finding] = customer.findings
    assert finding.expectation == "my order exists with Express shipping"
    assert finding.observed == (
        f"no order was placed: the company gave no order number and never said it placed one ({why})"
    )


@pytest.mark.parametrize("facts", [{"order_claimed": "yes"}, {}])
def test_an_order_said_placed_or_ordered_on_the_web_without_a_number_breaks(
    tmp_path: Path, facts: dict[str, str]
) -> None:
    customer = journey(tmp_path, order_number_missing_because="the company said: All done", **facts)

    with pytest.raises(JourneyBroken, match="cannot check the order: no order number"):
        order_has_shipping(customer, "Express")
    assert customer.findings == []
