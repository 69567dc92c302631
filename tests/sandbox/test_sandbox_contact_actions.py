"""The contact centre's real effects on the shop's database, on a clock the tests move.

These are the actions an agent's ``resolve`` calls; the rules are the web shop's own (the
cancellation window is literally the order page's function), so an agent can never do what
the web would refuse, nor refuse what it would allow.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sandbox_client import VALID_CHECKOUT, Shop

from sandbox.contact.actions import (
    REPAIR_LEAD_BUSINESS_DAYS,
    ShopServiceActions,
    match_product,
    match_shipping_method,
    months_after,
)
from sandbox.contact_centre import (
    ActionResult,
    CancelResult,
    CustomerDetails,
    RefusalReason,
)
from sandbox.contact_centre.outcomes import business_day_after
from sandbox.shop.catalogue import PRODUCT_SEEDS, SHIPPING_METHOD_SEEDS, Product

EMAIL = VALID_CHECKOUT["email"]
DAY = 86400.0


def actions_of(shop: Shop) -> ShopServiceActions:
    actions: ShopServiceActions = shop.client.app.state.sandbox.contact_centre.actions  # type: ignore[attr-defined]
    return actions


def today(shop: Shop) -> date:
    return datetime.fromtimestamp(shop.clock(), UTC).date()


def test_cancelling_uses_the_web_pages_window(shop: Shop) -> None:
    actions = actions_of(shop)
    early, late = shop.place_order(), shop.place_order("kettle-pro")
    assert actions.cancel_order(early, EMAIL.upper()) is CancelResult.CANCELLED
    assert shop.order_row(early)["status"] == "cancelled"
    assert actions.cancel_order(early, EMAIL) is CancelResult.CANCELLED  # still cancelled

    shop.clock.advance(10.5)  # typical: the window is 10 s
    assert actions.cancel_order(late, EMAIL) is CancelResult.TOO_LATE
    refused = shop.client.post(f"/orders/{late}/cancel")
    assert "can no longer be cancelled" in refused.text  # the web says the same
    assert shop.order_row(late)["status"] == "processing"


def test_an_order_is_found_only_with_its_own_email(shop: Shop) -> None:
    actions = actions_of(shop)
    number = shop.place_order()
    assert actions.cancel_order(number, "someone@example.com") is CancelResult.NOT_FOUND
    assert actions.order_status(number, "someone@example.com").found is False
    assert actions.create_return(number, "someone@example.com", "x") == ActionResult.refused(
        RefusalReason.NOT_FOUND
    )
    assert actions.cancel_order("BL-000000", EMAIL) is CancelResult.NOT_FOUND
    assert shop.order_row(number)["status"] == "placed"


def test_the_status_is_brought_up_to_date(shop: Shop) -> None:
    actions = actions_of(shop)
    number = shop.place_order(shipping_method="express")
    assert actions.order_status(number, EMAIL).status == "placed"
    shop.clock.advance(11)
    status = actions.order_status(number, EMAIL)
    assert status.status == "processing" and shop.order_row(number)["status"] == "processing"
    assert status.delivery_date == business_day_after(today(shop), 2)


def test_a_return_is_a_row_with_an_rma_number(shop: Shop) -> None:
    actions = actions_of(shop)
    number = shop.place_order()
    result = actions.create_return(number, EMAIL, "I want to return a blender")
    assert result.done and result.reference is not None
    assert result.reference.startswith("RMA-") and len(result.reference) == 9
    (row,) = shop.query(
        "SELECT r.reference, r.email, r.reason FROM returns r"
        " JOIN orders o ON o.id = r.order_id WHERE o.number = ?",
        number,
    )
    assert tuple(row) == (result.reference, EMAIL, "I want to return a blender")

    cancelled = shop.place_order("kettle-pro")
    actions.cancel_order(cancelled, EMAIL)
    assert actions.create_return(cancelled, EMAIL, "x").refusal is RefusalReason.NOT_RETURNABLE
    shop.clock.advance(31 * DAY)
    assert actions.create_return(number, EMAIL, "x").refusal is RefusalReason.NOT_RETURNABLE


def test_a_warranty_case_only_within_the_products_warranty(shop: Shop) -> None:
    actions = actions_of(shop)
    kettle = shop.place_order("kettle-pro")  # a 12-month warranty
    blender = shop.place_order("blender-3000")  # 24 months
    opened = actions.open_warranty_case(kettle, "SN-1", "last spring", "It leaks")
    assert opened.done and opened.reference is not None and opened.reference.startswith("WC-")
    (row,) = shop.query("SELECT reference, serial_number, purchase_date FROM warranty_cases")
    assert tuple(row) == (opened.reference, "SN-1", "last spring")

    shop.clock.advance(400 * DAY)
    refused = actions.open_warranty_case(kettle, "SN-1", "", "It leaks")
    assert refused.refusal is RefusalReason.OUT_OF_WARRANTY
    assert actions.open_warranty_case(blender, "SN-2", "", "It smokes").done
    assert actions.open_warranty_case("BL-000000", "SN-3", "", "x").refusal is (RefusalReason.NOT_FOUND)


def test_a_repair_is_booked_a_few_business_days_ahead(shop: Shop) -> None:
    result = actions_of(shop).book_repair("", "SN-42", "SW1A 1AA", "It stopped working")
    visit = business_day_after(today(shop), REPAIR_LEAD_BUSINESS_DAYS)
    assert result.done and result.day == visit
    (row,) = shop.query("SELECT reference, serial_number, postcode, visit_date FROM repairs")
    assert tuple(row) == (result.reference, "SN-42", "SW1A 1AA", visit.isoformat())
    assert actions_of(shop).book_repair("", "", "SW1A 1AA", "x").refusal is RefusalReason.NOT_FOUND


def test_an_order_by_phone_is_a_real_order_paid_with_the_test_card(shop: Shop) -> None:
    actions = actions_of(shop)
    stock = shop.stock("kettle-pro")
    customer = CustomerDetails(
        name="Ann Lee",
        email="ann@example.com",
        address="1 High Street, London",
        postcode="SW1A 1AA",
    )
    result = actions.place_order(customer, "a kettle please", "Next day")
    assert result.done and result.reference is not None
    row = shop.order_row(result.reference)
    assert (row["email"], row["shipping_method_code"], row["card_last4"]) == (
        "ann@example.com",
        "next-day",
        "4242",
    )
    assert shop.stock("kettle-pro") == stock - 1
    assert result.day == business_day_after(today(shop), 1)

    assert actions.place_order(customer, "Ice Cream Maker", "Standard").refusal is (RefusalReason.UNAVAILABLE)
    assert actions.place_order(customer, "a spaceship", "Standard").refusal is (RefusalReason.UNAVAILABLE)
    assert actions.place_order(customer, "Kettle Pro", "by carrier pigeon").refusal is (
        RefusalReason.UNAVAILABLE
    )


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("Kettle Pro", "Kettle Pro"),
        ("two kettles", "Kettle Pro"),
        ("coffee", "Coffee Grinder"),
        ("blender 3000", "Blender 3000"),
        ("a kettle and a toaster", None),
        ("nothing", None),
    ],
)
def test_products_are_matched_from_what_the_customer_says(answer: str, name: str | None) -> None:
    products = [
        Product(
            index, seed.slug, seed.name, seed.description, seed.price_cents, seed.stock, seed.warranty_months
        )
        for index, seed in enumerate(PRODUCT_SEEDS)
    ]
    found = match_product(products, answer)
    assert (found.name if found else None) == name


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("Express", "express"),
        ("next day", "next-day"),
        ("store pickup please", "store-pickup"),
        ("standard delivery", "standard"),
        ("fast", None),
    ],
)
def test_shipping_methods_are_matched_by_name(answer: str, code: str | None) -> None:
    found = match_shipping_method(SHIPPING_METHOD_SEEDS, answer)
    assert (found.code if found else None) == code


def test_months_after_keeps_to_the_end_of_short_months() -> None:
    assert months_after(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert months_after(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert months_after(date(2025, 11, 20), 24) == date(2027, 11, 20)
