"""An example of a step of our own: a phrase in our words, built on the harness's checks."""

from __future__ import annotations

from pytest_bdd import then

from journeys.journey import expectations
from journeys.journey.actor import Journey


@then("I have an order number to quote")
def order_number_to_quote(journey: Journey) -> None:
    """The company gave the customer an order number to quote when they get in touch.

    Example: Then I have an order number to quote
    """
    expectations.order_number_given(journey)
