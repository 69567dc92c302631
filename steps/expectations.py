"""What the customer expects. Unmet expectations are findings: recorded, and the
scenario fails at its end, but every later step still runs."""

from __future__ import annotations

from pytest_bdd import parsers, then

from journeys import expectations
from journeys.journey import Journey


@then("I am given an order number")
def given_order_number(journey: Journey) -> None:
    """The company handed over an order number.

    Example: Then I am given an order number
    """
    expectations.order_number_given(journey)


@then(parsers.parse("my order exists with {shipping} shipping"))
def order_exists_with_shipping(journey: Journey, shipping: str) -> None:
    """The order's page shows the order, with the shipping method chosen.

    Example: Then my order exists with Express shipping
    """
    expectations.order_has_shipping(journey, shipping)


@then("my order is cancelled")
def order_is_cancelled(journey: Journey) -> None:
    """The order's page shows it cancelled (verified there, not taken from the company's word).

    Example: Then my order is cancelled
    """
    expectations.order_cancelled(journey)


@then("I am given a reference number")
def given_reference(journey: Journey) -> None:
    """The company handed over a reference (ticket, case, RMA or order number) about the problem.

    Example: Then I am given a reference number
    """
    expectations.reference_given(journey)


@then("my return is registered")
def return_is_registered(journey: Journey) -> None:
    """The return number the company gave appears on the order's own page (not only its word).

    Example: Then my return is registered
    """
    expectations.return_registered(journey)


@then("my question is answered")
def question_answered(journey: Journey) -> None:
    """The company answered what the customer asked (its own claim, as no page can show it).

    Example: Then my question is answered
    """
    expectations.answered(journey)
