"""Who the customer is."""

from __future__ import annotations

from pytest_bdd import given

from journeys.journey import Journey


@given("I am a new customer")
def new_customer(journey: Journey) -> None:
    """A first-time customer with a fresh fake identity (name, e-mail, address, phone).

    Example: Given I am a new customer
    """
