"""Returning customers: the test accounts a company keeps for its mystery shoppers.

A journey about something bought long ago (a warranty claim, a repair) cannot buy it
now and wait a year. Companies that test themselves keep accounts with a purchase
history instead; the company profile lists them under ``[returning_customers]``, and
``Given I am a returning customer who bought "Blender 3000" 400 days ago`` becomes
the account that did. The harness never writes such history into the company.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from journeys.domain.shopper import Shopper

PURCHASE_AGE_TOLERANCE = 30
"""Days "bought X about N days ago" may be off by, unless the profile says otherwise."""


@dataclass(frozen=True)
class PastPurchase:
    """One product a returning customer bought, as the company recorded it.

    Attributes:
        order_number: the order the company gave at the time.
        product: the product's name, as the shop names it.
        serial_number: what the label on the appliance says.
        days_ago: how long ago it was bought, for accounts a company keeps dated from
            today; else ``bought_on`` dates it.
        bought_on: the day it was bought.
    """

    order_number: str
    product: str
    serial_number: str
    days_ago: int | None = None
    bought_on: dt.date | None = None

    def age_in_days(self, today: dt.date) -> int:
        """How many days ago the purchase was, seen from ``today``."""
        if self.bought_on is not None:
            return (today - self.bought_on).days
        assert self.days_ago is not None  # the profile reader requires one of the two
        return self.days_ago

    def purchase_date(self, today: dt.date) -> dt.date:
        """The day of the purchase, as the customer would tell an agent."""
        return self.bought_on or today - dt.timedelta(days=self.age_in_days(today))


@dataclass(frozen=True)
class ReturningCustomer:
    """A test account: who the customer is, and what they bought."""

    key: str
    shopper: Shopper
    purchases: tuple[PastPurchase, ...]


def find_purchase(
    customers: tuple[ReturningCustomer, ...],
    product: str,
    days_ago: int,
    today: dt.date,
    tolerance: int = 0,
) -> tuple[ReturningCustomer, PastPurchase] | None:
    """The account that bought ``product`` ``days_ago`` days before ``today``, give or take
    ``tolerance`` days (the nearest, when several do): a company's fixed test orders age
    a day every day, so "about 400 days ago" still finds the one bought on a given date."""
    fits = [
        (abs(purchase.age_in_days(today) - days_ago), index, customer, purchase)
        for index, customer in enumerate(customers)
        for purchase in customer.purchases
        if purchase.product.casefold() == product.casefold()
        and abs(purchase.age_in_days(today) - days_ago) <= tolerance
    ]
    if not fits:
        return None
    _, _, customer, purchase = min(fits, key=lambda fit: (fit[0], fit[1]))
    return customer, purchase


def purchases_on_offer(customers: tuple[ReturningCustomer, ...], today: dt.date) -> str:
    """Every purchase the accounts can speak for, for an error message's hint."""
    offered = sorted(
        (purchase.product, purchase.age_in_days(today))
        for customer in customers
        for purchase in customer.purchases
    )
    return ", ".join(f'"{product}" {days} days ago' for product, days in offered) or "none"


def missing_purchase(
    customers: tuple[ReturningCustomer, ...],
    product: str,
    days_ago: int,
    today: dt.date,
    tolerance: int = 0,
) -> str:
    """Why no account speaks for a purchase, with the ones that do: for check and the step alike."""
    within = f" (give or take {tolerance} days)" if tolerance else ""
    return (
        f"no returning customer of the company bought {product!r} {days_ago} days ago{within};"
        f" its profile lists: {purchases_on_offer(customers, today)}"
    )
