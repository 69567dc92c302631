"""Checkout: the form's contract, validation, the demo card, and the order it creates."""

from __future__ import annotations

import re

import pytest
from sandbox_client import MakeShop, Shop

FORM_LABELS = [
    "Full name",
    "Email",
    "Phone",
    "Street address",
    "City",
    "Postcode",
    "Country",
    "Card number",
    "Expiry (MM/YY)",
    "CVC",
]

SHIPPING_LABELS = {
    "standard": ("Standard", "Standard — $4.99, 3–5 business days", 499),
    "express": ("Express", "Express — $12.99, 1–2 business days", 1299),
    "next-day": ("Next-day", "Next-day — $24.99, next business day", 2499),
    "store-pickup": ("Store pickup", "Store pickup — Free, ready in 2 hours", 0),
}


def test_the_checkout_form_has_every_labelled_field(shop: Shop) -> None:
    shop.add_to_cart()
    page = shop.page("/checkout")
    assert page.texts("h1") == ["Checkout"]
    for label in FORM_LABELS:
        page.input_labelled(label)
    assert "Shipping method" in page.texts("legend")
    for _, label, _ in SHIPPING_LABELS.values():
        assert page.input_labelled(label)["type"] == "radio"
    assert page.input_labelled(SHIPPING_LABELS["standard"][1]).get("checked") is not None
    assert page.buttons() == {"Place order": True}
    assert "novalidate" in page.html  # the shop's own messages, not the browser's


@pytest.mark.parametrize("code", list(SHIPPING_LABELS))
def test_each_shipping_method_makes_an_order_with_that_method(shop: Shop, code: str) -> None:
    name, _, price_cents = SHIPPING_LABELS[code]
    number = shop.place_order("kettle-pro", shipping_method=code)
    row = shop.order_row(number)
    assert row["shipping_method_code"] == code
    assert row["shipping_cents"] == price_cents
    assert row["total_cents"] == 4900 + price_cents
    assert row["status"] == "placed"
    page = shop.page(f"/orders/{number}/confirmation")
    assert f"Shipping: {name}" in page.texts("p")


def test_the_confirmation_shows_number_shipping_estimate_total_and_a_link(shop: Shop) -> None:
    shop.add_to_cart("blender-3000", 1)
    response = shop.checkout(shipping_method="express")
    assert response.history[0].status_code == 303
    page = shop.read(response)
    number = page.data_field("order-number")
    assert re.fullmatch(r"BL-\d{6}", number)
    assert page.texts("h1") == ["Thank you for your order"]
    assert f"Order number: {number}" in page.texts("p")
    assert f'<strong data-field="order-number">{number}</strong>' in page.html
    assert "Shipping: Express" in page.texts("p")
    assert "Estimated delivery: 1–2 business days" in page.texts("p")
    assert page.data_field("total") == "$91.99"
    assert page.links()["View your order"] == f"/orders/{number}"
    assert "Cancel order" in page.buttons()


def test_a_placed_order_takes_stock_and_empties_the_cart(shop: Shop) -> None:
    before = shop.stock("toaster-duo")
    shop.add_to_cart("toaster-duo", 3)
    shop.checkout()
    assert shop.stock("toaster-duo") == before - 3
    assert shop.query("SELECT * FROM cart_items") == []
    assert "Your cart is empty." in shop.page("/cart").texts("p")
    (item,) = shop.query("SELECT product_name, quantity, unit_price_cents FROM order_items")
    assert tuple(item) == ("Toaster Duo", 3, 3900)


def test_the_card_number_is_never_stored(shop: Shop) -> None:
    number = shop.place_order(card_number="4242-4242-4242-4242")
    assert shop.order_row(number)["card_last4"] == "4242"
    with open(shop.db_path, "rb") as database:
        assert b"4242424242424242" not in database.read()


def test_checkout_remembers_the_customer_in_a_cookie(shop: Shop) -> None:
    shop.place_order()
    assert shop.client.cookies.get("customer_email")


def test_a_declined_card_comes_back_with_an_alert_and_the_values_kept(shop: Shop) -> None:
    shop.add_to_cart()
    response = shop.checkout(card_number="4000 0000 0000 0002", shipping_method="next-day")
    page = shop.read(response)
    assert page.role("alert") == ["Your card was declined. Please use another card."]
    assert page.input_labelled("Full name")["value"] == "Ada Example"
    assert page.input_labelled("Postcode")["value"] == "12345"
    assert page.input_labelled(SHIPPING_LABELS["next-day"][1]).get("checked") is not None
    assert page.input_labelled("Card number")["value"] == ""  # typed anew, as shops do
    assert shop.query("SELECT * FROM orders") == []
    assert shop.stock("blender-3000") == 500


def test_any_other_card_is_refused_as_not_a_test_card(shop: Shop) -> None:
    shop.add_to_cart()
    page = shop.read(shop.checkout(card_number="5555 5555 5555 4444"))
    assert page.role("alert") == ["This is a demo shop: use the test card 4242 4242 4242 4242."]
    assert shop.query("SELECT * FROM orders") == []


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("postcode", "Please enter your postcode."),
        ("full_name", "Please enter your full name."),
        ("email", "Please enter your email."),
        ("card_number", "Please enter your card number."),
    ],
)
def test_a_missing_field_comes_back_with_an_alert_naming_it(shop: Shop, field: str, message: str) -> None:
    shop.add_to_cart()
    page = shop.read(shop.checkout(**{field: ""}))
    assert page.role("alert") == [message]
    assert page.input_labelled("City")["value"] == "Springfield"
    if field != "card_number":
        assert page.input_labelled("Card number")["value"] == "4242 4242 4242 4242"
    assert shop.query("SELECT * FROM orders") == []


def test_several_missing_fields_are_listed_in_one_alert(shop: Shop) -> None:
    shop.add_to_cart()
    page = shop.read(shop.checkout(city="", country="", shipping_method=""))
    (alert,) = page.role("alert")
    for message in [
        "Please enter your city.",
        "Please enter your country.",
        "Please choose a shipping method.",
    ]:
        assert message in alert
    assert page.input_labelled("City").get("aria-invalid") == "true"


def test_order_numbers_come_from_the_seed(make_shop: MakeShop) -> None:
    first = make_shop(seed=42, name="first").place_order()
    again = make_shop(seed=42, name="again").place_order()
    other = make_shop(seed=43, name="other").place_order()
    assert first == again != other
