"""Catalogue, product pages and the cart, read the way the harness's locators read them."""

from __future__ import annotations

import re

from sandbox_client import Shop

NAV = ["Shop", "Cart", "My orders", "Find an order"]


def test_every_page_has_the_layout_the_harness_relies_on(shop: Shop) -> None:
    for url in ["/", "/products/kettle-pro", "/cart", "/orders", "/orders/lookup"]:
        page = shop.page(url)
        links = page.links()
        assert links["Brightline Appliances"] == "/"
        for name in NAV:
            assert name in links, (url, name)
        assert page.title.endswith("Brightline Appliances")
        assert "<main" in page.html


def test_the_catalogue_lists_at_least_ten_products_with_price_and_stock(shop: Shop) -> None:
    page = shop.page("/")
    assert page.texts("h1") == ["Shop"]
    product_links = {name: href for name, href in page.links().items() if "/products/" in href}
    assert len(product_links) >= 10
    for name in ["Blender 3000", "Kettle Pro", "Toaster Duo", "Espresso Master", "Rice Cooker 5"]:
        assert name in product_links
    assert "$79.00" in page.texts("p")
    stock_lines = [text for text in page.texts("p") if "stock" in text.lower()]
    assert stock_lines.count("Out of stock") == 1
    assert stock_lines.count("In stock: 500") == len(product_links) - 1


def test_a_product_page_shows_price_stock_warranty_and_the_add_form(shop: Shop) -> None:
    page = shop.page("/products/blender-3000")
    assert page.texts("h1") == ["Blender 3000"]
    assert "$79.00" in page.texts("p")
    assert "In stock: 500" in page.texts("li")
    assert "2-year warranty" in page.texts("li")
    quantity = page.input_labelled("Quantity")
    assert quantity["value"] == "1"
    assert page.buttons() == {"Add to cart": True}
    (row,) = shop.query("SELECT warranty_months FROM products WHERE slug = 'blender-3000'")
    assert row["warranty_months"] == 24


def test_an_out_of_stock_product_cannot_be_added(shop: Shop) -> None:
    page = shop.page("/products/ice-cream-maker")
    assert "Out of stock" in page.texts("li")
    assert page.buttons() == {"Add to cart": False}
    response = shop.add_to_cart("ice-cream-maker")
    assert shop.read(response).role("alert") == ["Sorry, Ice Cream Maker is out of stock."]
    assert shop.page("/cart").role("status") == []


def test_adding_to_the_cart_redirects_to_the_cart_with_a_status_message(shop: Shop) -> None:
    response = shop.add_to_cart("blender-3000", 2)
    assert response.history[0].status_code == 303
    assert str(response.url).endswith("/cart")
    page = shop.page("/cart")  # the notice shows once
    assert page.role("status") == []
    first = shop.read(response)
    assert first.role("status") == ["Added Blender 3000 to your cart."]
    assert first.texts("h1") == ["Your cart"]
    assert "Cart (2)" in first.links()
    row = first.texts("td")
    assert row[:3] == ["2", "$79.00", "$158.00"]
    assert "$158.00" in row  # subtotal
    assert first.links()["Checkout"] == "/checkout"
    assert first.buttons() == {"Remove": True}


def test_the_cart_cookie_is_http_only_and_same_site(shop: Shop) -> None:
    response = shop.client.post(
        "/cart/items", data={"product": "kettle-pro", "quantity": "1"}, follow_redirects=False
    )
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith("cart_id=")
    )
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=lax", cookie, re.IGNORECASE)


def test_adding_the_same_product_twice_adds_up_and_remove_empties(shop: Shop) -> None:
    shop.add_to_cart("kettle-pro", 1)
    shop.add_to_cart("kettle-pro", 2)
    rows = shop.query("SELECT quantity FROM cart_items")
    assert [row["quantity"] for row in rows] == [3]
    response = shop.client.post("/cart/items/kettle-pro/remove")
    page = shop.read(response)
    assert page.role("status") == ["Removed Kettle Pro from your cart."]
    assert "Your cart is empty." in page.texts("p")
    assert "Checkout" not in page.links()
    assert "Cart" in page.links()


def test_an_empty_cart_says_so_and_offers_no_checkout(shop: Shop) -> None:
    page = shop.page("/cart")
    assert "Your cart is empty." in page.texts("p")
    assert "Checkout" not in page.links()
    response = shop.client.get("/checkout", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/cart"


def test_a_bad_quantity_is_refused_with_an_alert(shop: Shop) -> None:
    assert shop.read(shop.add_to_cart("kettle-pro", 0)).role("alert") == [
        "Please enter a quantity of at least 1."
    ]
    assert shop.read(shop.add_to_cart("kettle-pro", 501)).role("alert") == [
        "Sorry, only 500 of Kettle Pro are in stock."
    ]
    assert shop.query("SELECT * FROM cart_items") == []


def test_unknown_pages_and_products_show_page_not_found(shop: Shop) -> None:
    for url in ["/nowhere", "/products/flux-capacitor"]:
        response = shop.client.get(url)
        assert response.status_code == 404
        page = shop.read(response)
        assert page.texts("h1") == ["Page not found"]
        assert page.title.endswith("Brightline Appliances")


def test_healthz_says_ok(shop: Shop) -> None:
    response = shop.client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


def test_the_stylesheet_is_served(shop: Shop) -> None:
    response = shop.client.get("/static/style.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]
