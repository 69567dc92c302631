"""Orders after checkout: status over time, cancellation, who may see them, lookup, history.

The ``typical`` profile (window 10 s, processing 300 s) runs on a fake clock: tests move time
instead of sleeping.
"""

from __future__ import annotations

import re

from sandbox_client import MakeShop, Shop

REFUSED_PROCESSING = "This order can no longer be cancelled: it is already being processed."


def test_the_order_page_shows_status_shipping_items_total_and_time(shop: Shop) -> None:
    number = shop.place_order("stand-mixer", shipping_method="store-pickup")
    page = shop.page(f"/orders/{number}")
    assert page.texts("h1") == [f"Order {number}"]
    assert page.data_field("status") == "Placed"
    assert "Status: Placed" in page.texts("p")
    assert "Shipping: Store pickup" in page.texts("p")
    assert page.data_field("total") == "$279.00"
    assert "Stand Mixer" in page.html
    assert re.fullmatch(r"\d+ \w{3} \d{4}, \d\d:\d\d UTC", page.data_field("placed-at"))
    assert page.buttons() == {"Cancel order": True, "Request a return": True}


def test_cancelling_inside_the_window_cancels_it_in_the_database(shop: Shop) -> None:
    number = shop.place_order()
    shop.clock.advance(9)
    page = shop.read(shop.client.post(f"/orders/{number}/cancel"))
    assert page.role("status") == ["Your order has been cancelled."]
    assert page.role("alert") == []
    assert page.data_field("status") == "Cancelled"
    assert "Cancel order" not in page.buttons()
    row = shop.order_row(number)
    assert row["status"] == "cancelled"
    assert row["cancelled_at"] == shop.clock.now


def test_a_cancelled_order_stays_cancelled_and_says_so(shop: Shop) -> None:
    number = shop.place_order()
    shop.client.post(f"/orders/{number}/cancel")
    shop.clock.advance(10_000)
    assert shop.page(f"/orders/{number}").data_field("status") == "Cancelled"
    page = shop.read(shop.client.post(f"/orders/{number}/cancel"))
    assert page.role("alert") == ["This order is already cancelled."]
    assert shop.order_row(number)["status"] == "cancelled"


def test_after_the_window_cancelling_is_refused_and_it_is_processing(shop: Shop) -> None:
    number = shop.place_order()
    page = shop.page(f"/orders/{number}")
    assert "Cancel order" in page.buttons()
    shop.clock.advance(10)  # the customer clicks just as the window closes
    page = shop.read(shop.client.post(f"/orders/{number}/cancel"))
    assert page.role("alert") == [REFUSED_PROCESSING]
    assert page.role("status") == []
    assert page.data_field("status") == "Processing"
    row = shop.order_row(number)
    assert row["status"] == "processing"
    assert row["cancelled_at"] is None
    assert row["processing_at"] == row["placed_at"] + 10


def test_the_status_moves_to_shipped_and_is_written_when_read(shop: Shop) -> None:
    number = shop.place_order()
    shop.clock.advance(10 + 300)
    assert shop.order_row(number)["status"] == "placed"  # nothing has read it yet
    page = shop.page(f"/orders/{number}")
    assert page.data_field("status") == "Shipped"
    assert "Cancel order" not in page.buttons()
    row = shop.order_row(number)
    assert (row["status"], row["shipped_at"]) == ("shipped", row["placed_at"] + 310)
    page = shop.read(shop.client.post(f"/orders/{number}/cancel"))
    assert page.role("alert") == ["This order can no longer be cancelled: it has already shipped."]


def test_under_purgatory_the_button_is_offered_and_cancelling_is_refused(
    make_shop: MakeShop,
) -> None:
    shop = make_shop(profile="purgatory")
    number = shop.place_order()
    confirmation = shop.page(f"/orders/{number}/confirmation")
    assert "Cancel order" in confirmation.buttons()
    page = shop.page(f"/orders/{number}")
    assert page.data_field("status") == "Processing"
    assert "Cancel order" in page.buttons()
    page = shop.read(shop.client.post(f"/orders/{number}/cancel"))
    assert page.role("alert") == [REFUSED_PROCESSING]
    assert shop.order_row(number)["status"] == "processing"


def test_the_time_scale_leaves_the_shop_window_alone(make_shop: MakeShop) -> None:
    """The scale shortens the contact centre's waits, never the shop's business rules."""
    shop = make_shop(profile="advocate", time_scale=0.01)
    settings = shop.client.get("/__sandbox__/profile").json()
    assert settings["time_scale"] == 0.01
    assert settings["shop"]["cancellation_window_seconds"] == 120
    number = shop.place_order()
    shop.clock.advance(1.3)
    page = shop.read(shop.client.post(f"/orders/{number}/cancel"))
    assert page.role("status") == ["Your order has been cancelled."]


def test_the_order_page_without_the_cookie_redirects_to_lookup(shop: Shop) -> None:
    number = shop.place_order()
    shop.client.cookies.clear()
    for url in [f"/orders/{number}", f"/orders/{number}/confirmation"]:
        response = shop.client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/orders/lookup?number={number}"
    response = shop.client.post(f"/orders/{number}/cancel", follow_redirects=False)
    assert response.headers["location"] == f"/orders/lookup?number={number}"
    assert shop.order_row(number)["status"] == "placed"


def test_someone_elses_email_cannot_see_the_order(shop: Shop) -> None:
    number = shop.place_order()
    shop.client.cookies.clear()
    shop.place_order(email="bob@example.com")
    response = shop.client.get(f"/orders/{number}", follow_redirects=False)
    assert response.status_code == 303


def test_lookup_by_number_and_email_shows_the_order(shop: Shop) -> None:
    number = shop.place_order()
    shop.client.cookies.clear()
    page = shop.read(shop.client.get(f"/orders/{number}"))
    assert page.texts("h1") == ["Find an order"]
    assert page.input_labelled("Order number")["value"] == number
    page.input_labelled("Email")
    assert page.buttons() == {"Find order": True}
    response = shop.client.post("/orders/lookup", data={"number": number.lower(), "email": "ADA@example.com"})
    page = shop.read(response)
    assert str(response.url).endswith(f"/orders/{number}")
    assert page.data_field("status") == "Placed"


def test_lookup_with_a_wrong_email_or_number_says_not_found(shop: Shop) -> None:
    number = shop.place_order()
    shop.client.cookies.clear()
    for form in [
        {"number": number, "email": "eve@example.com"},
        {"number": "BL-000000", "email": "ada@example.com"},
        {"number": "", "email": ""},
    ]:
        page = shop.read(shop.client.post("/orders/lookup", data=form))
        assert page.role("alert") == ["We could not find an order with that number and email."]
    assert shop.client.cookies.get("customer_email") is None


def test_my_orders_lists_the_customers_orders(shop: Shop) -> None:
    assert "You have no orders yet." in shop.page("/orders").texts("p")
    first = shop.place_order()
    shop.clock.advance(60)
    second = shop.place_order("kettle-pro")
    page = shop.page("/orders")
    assert page.texts("h1") == ["My orders"]
    assert page.links()[first] == f"/orders/{first}"
    assert page.links()[second] == f"/orders/{second}"
    assert page.html.index(second) < page.html.index(first)  # newest first
    cells = page.texts("td")
    assert "Processing" in cells  # the first order's window has closed
    assert "Placed" in cells


def test_the_test_only_json_tells_the_truth(shop: Shop) -> None:
    number = shop.place_order(shipping_method="express")
    order = shop.client.get(f"/__sandbox__/orders/{number}").json()
    assert order["number"] == number
    assert order["status"] == "placed"
    assert order["email"] == "ada@example.com"
    assert order["shipping_method"]["name"] == "Express"
    assert order["items"] == [
        {"product_id": 1, "product_name": "Blender 3000", "unit_price_cents": 7900, "quantity": 1}
    ]
    assert order["placed_at"]["epoch"] == shop.clock.now
    assert order["cancelled_at"] is None
    assert shop.client.get("/__sandbox__/orders/BL-000000").status_code == 404
    profile = shop.client.get("/__sandbox__/profile").json()
    assert profile["name"] == "typical"
    assert profile["shop"] == {"cancellation_window_seconds": 10.0, "processing_seconds": 300.0}


def test_the_returns_portal_creates_a_return_the_order_page_lists(shop: Shop) -> None:
    number = shop.place_order()
    page = shop.read(shop.client.post(f"/orders/{number}/return", data={"reason": "Faulty"}))
    [notice] = page.role("status")
    match = re.fullmatch(r"Your return has been registered: (RMA-\d{5})\.", notice)
    assert match, notice
    listed = shop.page(f"/orders/{number}").data_field("reference")
    assert listed == match.group(1)
    [row] = shop.query("SELECT reason FROM returns WHERE reference = ?", listed)
    assert row["reason"] == "Faulty"


def test_a_return_is_refused_after_the_return_period(shop: Shop) -> None:
    number = shop.place_order()
    shop.clock.advance(31 * 86400)
    page = shop.read(shop.client.post(f"/orders/{number}/return", data={"reason": "Changed my mind"}))
    assert page.role("alert") == ["This order can no longer be returned."]
    assert "No returns or claims for this order." in page.texts("p")


def test_a_cancelled_order_offers_no_return(shop: Shop) -> None:
    number = shop.place_order()
    shop.client.post(f"/orders/{number}/cancel")
    assert "Request a return" not in shop.page(f"/orders/{number}").buttons()
