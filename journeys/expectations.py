"""What a customer expects, checked from their side; unmet ones become findings.

Outcomes are verified through an independent channel (the order page), never
taken from the company's word alone.
"""

from __future__ import annotations

from journeys.journey import Journey


def order_number_given(journey: Journey) -> None:
    """The company handed over an order number."""
    journey.expect(
        "order_number" in journey.facts,
        expectation="I am given an order number",
        observed=journey.facts.get("order_number_missing_because", "no order number was shown"),
    )


def order_has_shipping(journey: Journey, shipping_method: str) -> None:
    """The order exists, and its page shows the shipping method chosen."""
    order_number = journey.fact("order_number", needed_for="check the order", channel="web")
    page = journey.web.open_order(order_number)
    shown = page.shipping_method or "no shipping method"
    passed = shown.casefold() == shipping_method.casefold()
    journey.verify(
        f"order {order_number} ships {shipping_method}",
        expected=shipping_method,
        observed=shown,
        passed=passed,
        channel="web",
    )
    journey.expect(
        passed,
        expectation=f"my order exists with {shipping_method} shipping",
        observed=f"the order page of {order_number} shows {shown!r}",
    )


def order_cancelled(journey: Journey) -> None:
    """The order page shows the order as cancelled, whatever the company claimed."""
    order_number = journey.fact("order_number", needed_for="check the cancellation", channel="web")
    page = journey.web.open_order(order_number)
    assert journey.company.web is not None  # open_order needs it
    passed = bool(journey.company.web.patterns["cancelled_status"].search(page.status))
    journey.verify(
        f"order {order_number} cancelled",
        expected="cancelled",
        observed=page.status,
        passed=passed,
        channel="web",
    )
    answer = journey.facts.get("cancellation_answer")
    journey.expect(
        passed,
        expectation="my order is cancelled",
        observed=(
            f"the order could not be cancelled: its page shows {page.status!r}"
            + (f"; the company said: {answer}" if answer else "")
        ),
    )
