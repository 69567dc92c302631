"""Who the customer is."""

from __future__ import annotations

from pytest_bdd import given, parsers

from journeys.journey import tasks
from journeys.journey.actor import Journey
from journeys.journey.needs import needs_web


@given("I am a new customer")
def new_customer(journey: Journey) -> None:
    """A first-time customer with a fresh fake identity (name, e-mail, address, phone).

    Example: Given I am a new customer
    """


@given(parsers.parse('I am a returning customer who bought "{product}" {days_ago:d} days ago'))
@needs_web("open_order")
def returning_customer(journey: Journey, product: str, days_ago: int) -> None:
    """A test account of the company that made that purchase (its profile's [returning_customers]).

    The customer then knows the order number, the serial number and the day of purchase.

    Example: Given I am a returning customer who bought "Blender 3000" 400 days ago
    """
    tasks.become_returning_customer(journey, product=product, days_ago=days_ago)


@given(parsers.parse('I am a returning customer who bought "{product}" about {days_ago:d} days ago'))
@needs_web("open_order")
def returning_customer_about(journey: Journey, product: str, days_ago: int) -> None:
    """A test account's purchase dated on a fixed day (bought_on), found within the profile's
    purchase_age_tolerance days (30 unless it says), so fixed test orders do not go stale.

    Example: Given I am a returning customer who bought "Blender 3000" about 400 days ago
    """
    tolerance = journey.company.purchase_age_tolerance
    tasks.become_returning_customer(journey, product=product, days_ago=days_ago, tolerance=tolerance)
