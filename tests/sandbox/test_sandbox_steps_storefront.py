"""The ``steps`` storefront: a checkout over several pages, order pages only by signed link.

Each test drives the pages as a browser would (GET a page, POST its form, follow the 303) and
reads what a customer sees, then checks the database behind it. The page contract these tests
hold is the one ``sandbox/README.md`` lists for company profiles.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sandbox_client import MakeShop, Page, Shop

from sandbox.contact.actions import ShopServiceActions
from sandbox.web import SandboxState

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Example",
    "phone": "+1 555 0100",
    "address_line1": "1 Test Street",
    "town": "Springfield",
    "state": "IL",
    "postcode": "62701",
    "country": "US",
}

ADDRESS_LABELS = [
    "First name",
    "Last name",
    "Phone",
    "Address line 1",
    "Town/City",
    "ZIP/Postcode",
]

SHIPPING = {
    "standard": ("Standard", "Standard ($4.99)", 499, "3–5 business days"),
    "express": ("Express", "Express ($12.99)", 1299, "1–2 business days"),
    "next-day": ("Next-day", "Next-day ($24.99)", 2499, "next business day"),
    "store-pickup": ("Store pickup", "Store pickup (Free)", 0, "ready in 2 hours"),
}

SIGNED_LINK = re.compile(r"/account/orders/(BL-\d{6})/([0-9a-f]{32})/")


class Customer:
    """A customer's browser on a steps storefront, one page at a time."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop

    def get(self, url: str) -> tuple[str, Page]:
        """Open a page; return where the browser ended up (after redirects) and the page."""
        response = self.shop.client.get(url)
        return response.url.path, Page(response.text)

    def post(self, url: str, data: dict[str, str] | None = None) -> tuple[str, Page]:
        """Submit a form; return where the browser ended up and the page."""
        response = self.shop.client.post(url, data=data or {})
        return response.url.path, Page(response.text)

    def add_to_basket(self, slug: str = "blender-3000") -> tuple[str, Page]:
        return self.post("/basket/add/", {"product": slug})

    def checkout(
        self,
        *,
        email: str = "ada@example.com",
        address: dict[str, str] | None = None,
        shipping_method: str = "standard",
        payment_method: str = "pay-on-delivery",
    ) -> tuple[str, Page]:
        """Every checkout page with valid answers, ending on the preview."""
        self.post("/checkout/", {"email": email})
        self.post("/checkout/delivery-address/", address or ADDRESS)
        self.post("/checkout/shipping-method/", {"shipping_method": shipping_method})
        return self.post("/checkout/payment-method/", {"payment_method": payment_method})

    def place_order(self, slug: str = "blender-3000", **answers: Any) -> tuple[str, str, Page]:
        """Buy one product; return the order number, its signed link, the thank-you page."""
        self.add_to_basket(slug)
        path, _ = self.checkout(**answers)
        assert path == "/checkout/preview/"
        path, page = self.post("/checkout/preview/")
        link = page.links()["View your order"]
        match = SIGNED_LINK.fullmatch(link)
        assert match, link
        return match.group(1), link, page


@pytest.fixture
def steps(make_shop: MakeShop) -> Shop:
    return make_shop(storefront="steps")


@pytest.fixture
def customer(steps: Shop) -> Customer:
    return Customer(steps)


def _state(shop: Shop) -> SandboxState:
    state: SandboxState = shop.client.app.state.sandbox  # type: ignore[attr-defined]
    return state


def _agent(shop: Shop) -> ShopServiceActions:
    """What the contact centre's agents do, on this shop's database."""
    state = _state(shop)
    return ShopServiceActions(state.db, state.profile.shop, state.clock, state.rng)


# -- Catalogue and basket --------------------------------------------------------------------


def test_the_product_page_adds_one_to_the_basket_without_a_quantity_box(
    customer: Customer, steps: Shop
) -> None:
    path, page = customer.get("/catalogue/kettle-pro/")
    assert page.texts("h1") == ["Kettle Pro"]
    assert page.buttons() == {"Add to basket": True}
    assert not [attrs for attrs in page.inputs if attrs.get("type") != "hidden"]
    path, page = customer.add_to_basket("kettle-pro")
    assert path == "/catalogue/kettle-pro/"
    assert page.role("status") == ["Kettle Pro has been added to your basket."]
    customer.add_to_basket("kettle-pro")
    path, page = customer.get("/basket/")
    assert page.texts("h1") == ["Your basket"]
    assert page.buttons() == {"Remove": True, "Proceed to checkout": True}
    assert "Proceed to checkout" not in page.links()
    (line,) = steps.query("SELECT quantity FROM cart_items")
    assert line["quantity"] == 2


def test_a_sold_out_product_cannot_go_in_the_basket(customer: Customer) -> None:
    _, page = customer.get("/catalogue/ice-cream-maker/")
    assert page.buttons() == {"Add to basket": False}
    _, page = customer.add_to_basket("ice-cream-maker")
    assert page.role("alert") == ["Sorry, Ice Cream Maker is sold out."]


def test_an_empty_basket_sends_the_checkout_back_to_the_basket(customer: Customer) -> None:
    for url in ["/checkout/", "/checkout/delivery-address/", "/checkout/preview/"]:
        path, page = customer.get(url)
        assert path == "/basket/"
        assert "Your basket is empty." in page.html
        assert page.links()["Continue shopping"] == "/"


# -- The checkout, page by page --------------------------------------------------------------


@pytest.mark.parametrize("code", list(SHIPPING))
def test_a_guest_order_through_every_page_with_each_shipping_method(
    customer: Customer, steps: Shop, code: str
) -> None:
    name, heading, price_cents, estimate = SHIPPING[code]
    customer.add_to_basket("kettle-pro")
    _, basket = customer.get("/basket/")
    assert "Proceed to checkout" in basket.buttons()

    path, page = customer.post("/basket/checkout/")  # the button's form
    assert path == "/checkout/"
    assert page.texts("h1") == ["How would you like to check out?"]
    assert page.input_labelled("Email address")["type"] == "email"
    assert page.links()["Sign in to your account"] == "/accounts/login/"
    assert page.buttons() == {"Continue": True}

    path, page = customer.post("/checkout/", {"email": "ada@example.com"})
    assert path == "/checkout/delivery-address/"
    assert page.texts("h1") == ["Delivery address"]
    for label in ADDRESS_LABELS:
        page.input_labelled(label)
    assert page.select_labelled("State")["Illinois"] == "IL"
    countries = page.select_labelled("Country")
    assert {"United States": "US", "United Kingdom": "GB", "Canada": "CA"}.items() <= countries.items()
    assert page.buttons() == {"Continue": True}

    path, page = customer.post("/checkout/delivery-address/", ADDRESS)
    assert path == "/checkout/shipping-method/"
    assert page.texts("h1") == ["Shipping method"]
    assert [heading for _, heading, _, _ in SHIPPING.values()] == page.texts("h2")[:4]
    assert page.texts("button") == ["Select option"] * 4
    assert not [attrs for attrs in page.inputs if attrs.get("type") == "radio"]

    path, page = customer.post("/checkout/shipping-method/", {"shipping_method": code})
    assert path == "/checkout/payment-method/"
    assert page.texts("h1") == ["How would you like to pay?"]
    assert page.input_labelled("Pay on delivery")["type"] == "radio"
    assert page.input_labelled("Bank transfer (invoice)")["type"] == "radio"
    assert "card" not in " ".join(attrs.get("autocomplete", "") for attrs in page.inputs)
    assert page.buttons() == {"Continue": True}

    path, page = customer.post("/checkout/payment-method/", {"payment_method": "bank-transfer"})
    assert path == "/checkout/preview/"
    assert page.texts("h1") == ["Review your order"]
    assert page.buttons() == {"Place order": True}
    assert "ada@example.com" in page.html and "Springfield, IL 62701" in page.html
    assert f"{heading}: {estimate}" in page.html
    assert "Bank transfer (invoice)." in page.html
    assert f"${(4900 + price_cents) // 100}.{(4900 + price_cents) % 100:02d}" in page.html

    path, page = customer.post("/checkout/preview/")
    assert path.startswith("/checkout/thank-you/")
    assert page.texts("h1") == ["Your order is confirmed"]
    (sentence,) = [text for text in page.texts("p") if text.startswith("Your order number is")]
    number = re.fullmatch(r"Your order number is (BL-\d{6})\.", sentence)
    assert number is not None
    assert "Cancel order" not in page.buttons()
    link = page.links()["View your order"]
    assert SIGNED_LINK.fullmatch(link) and number.group(1) in link

    row = steps.order_row(number.group(1))
    assert (row["shipping_method_code"], row["shipping_cents"]) == (code, price_cents)
    assert row["total_cents"] == 4900 + price_cents
    assert (row["email"], row["full_name"], row["phone"]) == ("ada@example.com", "Ada Example", "+1 555 0100")
    assert (row["street_address"], row["city"], row["postcode"], row["country"]) == (
        "1 Test Street",
        "Springfield",
        "62701",
        "United States",
    )
    assert (row["status"], row["card_last4"]) == ("placed", "")
    (extras,) = steps.query("SELECT region, payment_method FROM order_extras WHERE order_id = ?", row["id"])
    assert tuple(extras) == ("IL", "bank-transfer")
    assert steps.query("SELECT * FROM cart_items") == []
    assert steps.query("SELECT * FROM checkout_progress") == []

    _, order = customer.get(link)
    assert order.texts("h1") == ["Order details"]
    assert order.described("Order number") == number.group(1)
    assert order.described("Status") == "Placed"
    assert order.described("Shipping method") == name
    assert order.described("Payment") == "Bank transfer (invoice)"


def test_a_page_asked_for_before_its_turn_goes_to_the_first_missing_step(
    customer: Customer,
) -> None:
    customer.add_to_basket()
    path, _ = customer.get("/checkout/preview/")
    assert path == "/checkout/"
    customer.post("/checkout/", {"email": "ada@example.com"})
    path, _ = customer.get("/checkout/payment-method/")
    assert path == "/checkout/delivery-address/"
    path, _ = customer.post("/checkout/shipping-method/", {"shipping_method": "express"})
    assert path == "/checkout/delivery-address/"


def test_going_back_keeps_the_answers_and_changing_one_returns_to_the_preview(
    customer: Customer,
) -> None:
    customer.add_to_basket()
    customer.checkout(shipping_method="express")
    _, page = customer.get("/checkout/delivery-address/")
    assert page.input_labelled("First name")["value"] == "Ada"
    assert page.select_labelled("Country")[""] == "United States"
    assert page.select_labelled("State")[""] == "Illinois"
    _, page = customer.get("/checkout/payment-method/")
    assert page.input_labelled("Pay on delivery").get("checked") is not None
    path, _ = customer.post("/checkout/shipping-method/", {"shipping_method": "next-day"})
    assert path == "/checkout/payment-method/"  # the next step, already answered


def test_a_bad_email_comes_back_with_an_alert(customer: Customer) -> None:
    customer.add_to_basket()
    path, page = customer.post("/checkout/", {"email": "ada-at-example"})
    assert path == "/checkout/"
    assert page.role("alert") == [
        "There is a problem Enter an email address in the correct format, like name@example.com"
    ]
    assert page.input_labelled("Email address")["aria-invalid"] == "true"
    _, page = customer.post("/checkout/", {"email": ""})
    assert page.role("alert") == ["There is a problem Enter your email address"]


@pytest.mark.parametrize(
    ("country", "state", "typed", "stored"),
    [
        ("US", "IL", "62701", "62701"),
        ("US", "NY", " 10001 ", "10001"),
        ("GB", "", "sw1a1aa", "SW1A 1AA"),
        ("GB", "", "M1 1AE", "M1 1AE"),
        ("CA", "", "k1a 0b6", "K1A 0B6"),
    ],
)
def test_a_postcode_of_the_chosen_country_is_kept_in_its_usual_form(
    customer: Customer, steps: Shop, country: str, state: str, typed: str, stored: str
) -> None:
    customer.add_to_basket()
    address = {**ADDRESS, "country": country, "state": state, "postcode": typed}
    number, _, _ = customer.place_order(address=address)
    row = steps.order_row(number)
    assert row["postcode"] == stored
    names = {"US": "United States", "GB": "United Kingdom", "CA": "Canada"}
    assert row["country"] == names[country]


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("US", "1234", "Enter a 5-digit ZIP code, like 12345"),
        ("US", "SW1A 1AA", "Enter a 5-digit ZIP code, like 12345"),
        ("US", "12345-6789", "Enter a 5-digit ZIP code, like 12345"),
        ("GB", "12345", "Enter a real UK postcode, like SW1A 1AA"),
        ("GB", "QQ1 1AA", "Enter a real UK postcode, like SW1A 1AA"),
        ("CA", "12345", "Enter a real Canadian postal code, like K1A 0B6"),
        ("CA", "D1A 0B6", "Enter a real Canadian postal code, like K1A 0B6"),
    ],
)
def test_a_postcode_that_is_not_the_countrys_is_refused(
    customer: Customer, country: str, typed: str, message: str
) -> None:
    customer.add_to_basket()
    customer.post("/checkout/", {"email": "ada@example.com"})
    address = {**ADDRESS, "country": country, "postcode": typed}
    path, page = customer.post("/checkout/delivery-address/", address)
    assert path == "/checkout/delivery-address/"
    assert page.role("alert") == [f"There is a problem {message}"]
    assert page.input_labelled("ZIP/Postcode")["value"] == typed.strip()
    assert page.input_labelled("ZIP/Postcode")["aria-invalid"] == "true"
    assert page.input_labelled("First name")["value"] == "Ada"


def test_a_us_address_needs_a_state_and_every_field_is_named_in_one_alert(
    customer: Customer,
) -> None:
    customer.add_to_basket()
    customer.post("/checkout/", {"email": "ada@example.com"})
    address = {**ADDRESS, "first_name": "", "town": "", "state": "", "postcode": ""}
    _, page = customer.post("/checkout/delivery-address/", address)
    assert page.role("alert") == [
        "There is a problem Enter your first name Enter your town or city Select your state"
        " Enter your ZIP/Postcode"
    ]
    _, page = customer.post("/checkout/delivery-address/", {**ADDRESS, "country": "FR"})
    assert page.role("alert") == ["There is a problem Select your country"]


def test_a_shipping_option_not_offered_and_no_payment_choice_are_refused(
    customer: Customer,
) -> None:
    customer.add_to_basket()
    customer.post("/checkout/", {"email": "ada@example.com"})
    customer.post("/checkout/delivery-address/", ADDRESS)
    path, page = customer.post("/checkout/shipping-method/", {"shipping_method": "drone"})
    assert (path, page.role("alert")) == (
        "/checkout/shipping-method/",
        ["There is a problem Select a shipping option"],
    )
    customer.post("/checkout/shipping-method/", {"shipping_method": "standard"})
    path, page = customer.post("/checkout/payment-method/", {"payment_method": "card"})
    assert (path, page.role("alert")) == (
        "/checkout/payment-method/",
        ["There is a problem Select how you would like to pay"],
    )


def test_stock_is_checked_when_the_order_is_placed(customer: Customer, steps: Shop) -> None:
    customer.add_to_basket("toaster-duo")
    customer.checkout()
    connection = _state(steps).db
    with connection.transaction() as sql:
        sql.execute("UPDATE products SET stock = 0 WHERE slug = 'toaster-duo'")
    path, page = customer.post("/checkout/preview/")
    assert path == "/checkout/preview/"
    assert page.role("alert") == ["There is a problem Sorry, Toaster Duo is sold out."]
    assert steps.query("SELECT * FROM orders") == []


# -- The order page, only by its signed link -------------------------------------------------


def test_the_order_page_needs_its_signed_link(customer: Customer, steps: Shop) -> None:
    number, link, _ = customer.place_order()
    _, other_link, _ = customer.place_order("kettle-pro")
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    for url in [
        f"/account/orders/{number}/{tampered}/",
        f"/account/orders/{number}/{other_link.rstrip('/').rsplit('/', 1)[1]}/",
        f"/account/orders/{number}/",
        f"/account/orders/BL-000000/{token}/",
        f"/checkout/thank-you/{number}/{tampered}/",
        f"/orders/{number}",
        f"/orders/{number}/confirmation",
        "/orders/lookup",
        "/orders",
    ]:
        response = steps.client.get(url)
        assert response.status_code == 404, url
        assert Page(response.text).texts("h1") == ["Page not found"]
    assert steps.client.get(link.lower().replace("bl-", "BL-")).status_code == 200


def test_order_links_come_from_the_seed(make_shop: MakeShop) -> None:
    first = Customer(make_shop(storefront="steps", seed=42, name="first")).place_order()[1]
    again = Customer(make_shop(storefront="steps", seed=42, name="again")).place_order()[1]
    other = Customer(make_shop(storefront="steps", seed=43, name="other")).place_order()[1]
    assert first == again
    assert other != first


def test_there_is_no_cancel_on_the_web_and_the_page_says_whom_to_ask(customer: Customer, steps: Shop) -> None:
    number, link, thank_you = customer.place_order()
    for page in [thank_you, customer.get(link)[1]]:
        assert not [name for name in page.buttons() if "ancel" in name]
        assert "Orders cannot be cancelled online." in page.html
        assert page.links()["contact us"] == "/help"
    for url in [f"/orders/{number}/cancel", f"{link}cancel/", f"/account/orders/{number}/cancel/"]:
        assert steps.client.post(url).status_code in (404, 405), url  # 405: a token "cancel"
    assert steps.order_row(number)["status"] == "placed"


def test_the_order_page_follows_the_clock_and_an_agents_cancellation(customer: Customer, steps: Shop) -> None:
    number, link, _ = customer.place_order()
    steps.clock.advance(10)
    assert customer.get(link)[1].described("Status") == "Processing"
    steps.clock.advance(300)
    page = customer.get(link)[1]
    assert page.described("Status") == "Shipped"
    assert re.fullmatch(r"\d+ \w{3} \d{4}, \d\d:\d\d UTC", page.described("Shipped"))

    number, link, _ = customer.place_order("kettle-pro")
    _agent(steps).cancel_order(number, "ada@example.com")
    page = customer.get(link)[1]
    assert page.described("Status") == "Cancelled"
    assert "Start return" not in page.buttons()


def test_under_purgatory_an_order_is_processing_at_once_and_still_returnable(
    make_shop: MakeShop,
) -> None:
    shop = make_shop(profile="purgatory", storefront="steps")
    _, link, _ = Customer(shop).place_order()
    page = Customer(shop).get(link)[1]
    assert page.described("Status") == "Processing"
    assert page.buttons() == {"Start return": True}


# -- Returns -----------------------------------------------------------------------------------


def test_a_return_started_on_the_order_page_gives_its_rma_and_is_listed(
    customer: Customer, steps: Shop
) -> None:
    _, link, _ = customer.place_order()
    _, page = customer.get(link)
    assert page.buttons() == {"Start return": True}
    assert "Why are you returning it?" in page.texts("legend")
    assert page.input_labelled("Arrived damaged")["type"] == "radio"
    path, page = customer.post(f"{link}returns/", {"reason": "Arrived damaged"})
    assert path == link
    (notice,) = page.role("status")
    match = re.fullmatch(r"Your return has started\. Your return number is (RMA-\d{5})\.", notice)
    assert match
    (row,) = steps.query("SELECT reference, reason, email FROM returns")
    assert tuple(row) == (match.group(1), "Arrived damaged", "ada@example.com")
    assert page.texts("th")[-1] == match.group(1)  # the row's header: its reference
    assert page.texts("td")[-3:-1] == ["Return", "Arrived damaged"]
    assert customer.get(link)[1].role("status") == []  # the notice is shown once


def test_a_return_needs_a_reason_and_a_returnable_order(customer: Customer, steps: Shop) -> None:
    number, link, _ = customer.place_order()
    _, page = customer.post(f"{link}returns/", {})
    assert page.role("alert") == ["Select why you are returning it"]
    steps.clock.advance(31 * 86400)
    _, page = customer.post(f"{link}returns/", {"reason": "Faulty"})
    assert page.role("alert") == ["Sorry, this order can no longer be returned."]
    assert steps.query("SELECT * FROM returns") == []
    response = steps.client.post(f"/account/orders/{number}/{'0' * 32}/returns/", data={"reason": "Faulty"})
    assert response.status_code == 404


def test_claims_and_repairs_made_by_agents_are_listed_with_their_references(
    customer: Customer, steps: Shop
) -> None:
    number, link, _ = customer.place_order("stand-mixer")
    agent = _agent(steps)
    claim = agent.open_warranty_case(number, "SM-1234", "today", "Motor stops")
    repair = agent.book_repair(number, "SM-1234", "62701", "Motor stops")
    _, page = customer.get(link)
    references = page.texts("th")
    assert claim.reference in references and repair.reference in references
    _, repair_page = customer.get(f"/repairs/{repair.reference}")
    assert repair_page.texts("h1") == ["Repair booking"]
    assert repair_page.described("Reference") == repair.reference
    assert repair_page.described("Status") == "Engineer visit booked"
    assert steps.client.get("/repairs/RP-00000").status_code == 404


# -- Tracking an order placed elsewhere -----------------------------------------------------------


def test_track_finds_an_order_by_number_and_postcode(customer: Customer, steps: Shop) -> None:
    uk_address = {**ADDRESS, "country": "GB", "state": "", "postcode": "SW1A 1AA"}
    number, link, _ = customer.place_order(address=uk_address)
    steps.client.cookies.clear()  # another browser
    _, page = customer.get("/track/")
    assert page.texts("h1") == ["Track your order"]
    page.input_labelled("Order number")
    page.input_labelled("ZIP/Postcode")
    assert page.buttons() == {"Track order": True}
    typed = {"number": number.lower(), "postcode": "sw1a1aa"}
    response = steps.client.post("/track/", data=typed, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, link)


@pytest.mark.parametrize(
    ("number", "postcode", "message"),
    [
        ("{number}", "99999", "We could not find an order with that order number and ZIP/Postcode."),
        ("BL-000000", "62701", "We could not find an order with that order number and ZIP/Postcode."),
        ("{number}", "", "Enter your order number and ZIP/Postcode"),
    ],
)
def test_track_says_plainly_when_nothing_matches(
    customer: Customer, number: str, postcode: str, message: str
) -> None:
    placed, _, _ = customer.place_order()
    typed = number.format(number=placed)
    path, page = customer.post("/track/", {"number": typed, "postcode": postcode})
    assert path == "/track/"
    assert page.role("alert") == [message]
    assert page.input_labelled("Order number")["value"] == typed


def test_track_finds_orders_placed_by_phone_and_the_returning_customers(make_shop: MakeShop) -> None:
    shop = make_shop(storefront="steps", returning_customers=True)
    customer = Customer(shop)
    for row in shop.query("SELECT number, postcode FROM orders"):
        path, page = customer.post("/track/", {"number": row["number"], "postcode": row["postcode"]})
        assert SIGNED_LINK.fullmatch(path), (row["number"], path)
        assert page.described("Order number") == row["number"]


# -- The rest of the company is the same ---------------------------------------------------------


def test_the_contact_pages_wear_the_storefronts_layout(make_shop: MakeShop) -> None:
    steps = make_shop(storefront="steps", name="steps")
    classic = make_shop(name="classic")
    for url in ["/help", "/chat", "/phone", "/contact", "/no-such-page"]:
        steps_links = Page(steps.client.get(url).text).links()
        classic_links = Page(classic.client.get(url).text).links()
        assert (steps_links["Basket"], steps_links["Track an order"]) == ("/basket/", "/track/")
        assert "Cart" not in steps_links
        assert (classic_links["Cart"], classic_links["Find an order"]) == ("/cart", "/orders/lookup")
        assert "Basket" not in classic_links
    assert "/static/chat.js" in steps.client.get("/help").text


def test_the_classic_storefront_keeps_its_own_pages_only(make_shop: MakeShop) -> None:
    classic = make_shop()
    for url in ["/basket/", "/catalogue/kettle-pro/", "/track/", "/checkout/preview/", "/accounts/login/"]:
        assert classic.client.get(url).status_code == 404, url
    number = classic.place_order()
    assert classic.page(f"/orders/{number}").data_field("status") == "Placed"


def test_the_steps_storefront_has_none_of_the_classic_pages(steps: Shop) -> None:
    for url in ["/cart", "/products/kettle-pro", "/orders/lookup"]:
        assert steps.client.get(url).status_code == 404, url
    assert steps.client.post("/cart/items", data={"product": "kettle-pro"}).status_code == 404


def test_chat_and_phone_agents_find_a_steps_order(customer: Customer, steps: Shop) -> None:
    number, _, _ = customer.place_order()
    status = _agent(steps).order_status(number, "ada@example.com")
    assert status.found
