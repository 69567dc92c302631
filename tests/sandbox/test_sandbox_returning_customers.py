"""Returning customers: orders the staff set up long ago, judged by the shop's own rules.

The harness reaches these only as a customer would (their order numbers, their phone
numbers); the tests here check that the seed is real data that the warranty rules and the
repair tracking page treat like any order.
"""

from __future__ import annotations

import pytest
from sandbox_client import MakeShop, Shop

from sandbox.contact.actions import ShopServiceActions
from sandbox.contact_centre import RefusalReason
from sandbox.shop.catalogue import PRODUCT_SEEDS
from sandbox.shop.returning_customers import DAY_SECONDS, RETURNING_CUSTOMERS

WARRANTY_MONTHS = {seed.name: seed.warranty_months for seed in PRODUCT_SEEDS}


@pytest.fixture
def shop(make_shop: MakeShop) -> Shop:
    return make_shop(returning_customers=True)


def actions_of(shop: Shop) -> ShopServiceActions:
    actions: ShopServiceActions = shop.client.app.state.sandbox.contact_centre.actions  # type: ignore[attr-defined]
    return actions


def test_every_past_purchase_is_a_shipped_order_dated_from_the_start(shop: Shop) -> None:
    for customer in RETURNING_CUSTOMERS:
        for purchase in customer.purchases:
            row = shop.order_row(purchase.order_number)
            assert row["status"] == "shipped"
            assert row["email"] == customer.email
            assert shop.clock() - row["placed_at"] == purchase.days_ago * DAY_SECONDS
            (item,) = shop.query(
                "SELECT product_name, quantity FROM order_items WHERE order_id = ?", row["id"]
            )
            assert tuple(item) == (purchase.product, 1)


def test_the_seed_covers_both_sides_of_the_warranty(shop: Shop) -> None:
    actions = actions_of(shop)
    inside = outside = 0
    for customer in RETURNING_CUSTOMERS:
        for purchase in customer.purchases:
            covered = purchase.days_ago < WARRANTY_MONTHS[purchase.product] * 30
            result = actions.open_warranty_case(purchase.order_number, "SN-9", "a while ago", "broken")
            if covered:
                inside += 1
                assert result.done, purchase
            else:
                outside += 1
                assert result.refusal is RefusalReason.OUT_OF_WARRANTY, purchase
    assert inside >= 2 and outside >= 2


def test_a_past_order_shows_its_claims_to_its_customer(shop: Shop) -> None:
    customer = RETURNING_CUSTOMERS[0]
    purchase = customer.purchases[0]
    opened = actions_of(shop).open_warranty_case(purchase.order_number, "SN-1", "last year", "it hums")
    assert opened.reference is not None
    shop.client.post("/orders/lookup", data={"number": purchase.order_number, "email": customer.email})
    page = shop.client.get(f"/orders/{purchase.order_number}")
    assert opened.reference in page.text and purchase.product in page.text


def test_a_repair_can_be_tracked_by_its_reference(shop: Shop) -> None:
    booked = actions_of(shop).book_repair("", "SN-42", "62704", "The jug leaks")
    assert booked.reference is not None and booked.day is not None
    page = shop.client.get(f"/repairs/{booked.reference}")
    assert page.status_code == 200
    assert f'datetime="{booked.day.isoformat()}"' in page.text and "The jug leaks" in page.text
    assert shop.client.get("/repairs/RP-00000").status_code == 404
    assert "&lt;b&gt;" in _tracked(shop, "<b>bold</b>")  # what the customer said stays text


def _tracked(shop: Shop, fault: str) -> str:
    booked = actions_of(shop).book_repair("", "SN-1", "62704", fault)
    return shop.client.get(f"/repairs/{booked.reference}").text
