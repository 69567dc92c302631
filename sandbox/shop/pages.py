"""The web shop's pages: catalogue, product, cart and checkout.

The accessible names and texts of these pages are a contract with the harness's locators
(``companies/sandbox.toml``); change one only together with the other. The order pages
(confirmation, order, history, lookup, cancel) are in :mod:`sandbox.shop.order_pages`.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.shop import order_pages
from sandbox.shop.carts import (
    CART_COOKIE,
    add_to_cart,
    cart_exists,
    create_cart,
    load_cart,
    quantity_in_cart,
    remove_product,
)
from sandbox.shop.catalogue import Product, list_products, list_shipping_methods, product_by_slug
from sandbox.shop.checkout import (
    CARD_DECLINED_MESSAGE,
    CARD_FIELDS,
    CUSTOMER_FIELDS,
    NOT_A_TEST_CARD_MESSAGE,
    SHIPPING_FIELD,
    CardOutcome,
    CheckoutSubmission,
    FieldError,
    charge_card,
    normalise_card_number,
    read_submission,
    without_card_details,
)
from sandbox.shop.orders import CustomerDetails, StockShortage, place_order
from sandbox.web import (
    redirect_with_notice,
    render,
    render_with_notice,
    set_session_cookie,
    state_of,
)

DEFAULT_SHIPPING_METHOD = "standard"


def routes() -> list[BaseRoute]:
    """The shop's routes, for :func:`sandbox.app.create_app`."""
    return [
        Route("/", catalogue_page, methods=["GET"]),
        Route("/products/{slug}", product_page, methods=["GET"]),
        Route("/cart", cart_page, methods=["GET"]),
        Route("/cart/items", add_item, methods=["POST"]),
        Route("/cart/items/{slug}/remove", remove_item, methods=["POST"]),
        Route("/checkout", checkout_page, methods=["GET"]),
        Route("/checkout", submit_checkout, methods=["POST"]),
        *order_pages.routes(),
    ]


async def catalogue_page(request: Request) -> Response:
    """Every product as a card with its name, price and stock."""
    with state_of(request).db.transaction() as connection:
        products = list_products(connection)
    return render(request, "catalogue.html", {"products": products})


async def product_page(request: Request) -> Response:
    """One product, with the form that adds it to the cart."""
    product = product_or_404(request, request.path_params["slug"])
    return render(request, "product.html", {"product": product, "quantity": "1"})


async def add_item(request: Request) -> Response:
    """Add a product to the cart (creating the cart), then show the cart with a notice."""
    form = await request.form()
    product = product_or_404(request, form_text(form, "product"))
    quantity_text = form_text(form, "quantity") or "1"
    state = state_of(request)
    cart_id = request.cookies.get(CART_COOKIE)
    with state.db.transaction() as connection:
        if not cart_exists(connection, cart_id):
            cart_id = create_cart(connection, state.clock())
        assert cart_id is not None
        problem = _quantity_problem(product, quantity_text, quantity_in_cart(connection, cart_id, product))
        if problem is None:
            add_to_cart(connection, cart_id, product, int(quantity_text))
    if problem is not None:
        response = render(
            request,
            "product.html",
            {"product": product, "quantity": quantity_text, "alert": problem},
        )
    else:
        response = redirect_with_notice("/cart", f"Added {product.name} to your cart.")
    set_session_cookie(response, CART_COOKIE, cart_id)
    return response


async def cart_page(request: Request) -> Response:
    """The cart's lines, subtotal and the way to checkout."""
    with state_of(request).db.transaction() as connection:
        cart = load_cart(connection, request.cookies.get(CART_COOKIE))
    return render_with_notice(request, "cart.html", {"cart": cart})


async def remove_item(request: Request) -> Response:
    """Remove one line from the cart, then show the cart again."""
    with state_of(request).db.transaction() as connection:
        product = remove_product(connection, request.cookies.get(CART_COOKIE), request.path_params["slug"])
    if product is None:
        return RedirectResponse("/cart", status_code=303)
    return redirect_with_notice("/cart", f"Removed {product.name} from your cart.")


async def checkout_page(request: Request) -> Response:
    """The checkout form, empty, with the usual shipping method chosen."""
    return _render_checkout(request, {SHIPPING_FIELD: DEFAULT_SHIPPING_METHOD}, ())


async def submit_checkout(request: Request) -> Response:
    """Validate, charge the demo card, place the order and go to its confirmation."""
    form = await request.form()
    state = state_of(request)
    cart_id = request.cookies.get(CART_COOKIE)
    with state.db.transaction() as connection:
        cart = load_cart(connection, cart_id)
        methods = {method.code: method for method in list_shipping_methods(connection)}
    if cart.is_empty:
        return RedirectResponse("/cart", status_code=303)
    submission = read_submission(form_strings(form), set(methods))
    if submission.errors:
        return _render_checkout(request, submission.values, submission.errors)
    card_number = submission.values["card_number"]
    outcome = charge_card(card_number)
    if outcome is not CardOutcome.APPROVED:
        message = CARD_DECLINED_MESSAGE if outcome is CardOutcome.DECLINED else NOT_A_TEST_CARD_MESSAGE
        return _render_checkout(
            request,
            without_card_details(submission.values),
            (FieldError("card_number", message),),
        )
    customer = _customer_details(submission, normalise_card_number(card_number)[-4:])
    with state.db.transaction() as connection:
        placed = place_order(
            connection,
            cart=load_cart(connection, cart_id),
            customer=customer,
            shipping_method=methods[submission.values[SHIPPING_FIELD]],
            now=state.clock(),
            rng=state.rng,
        )
    if isinstance(placed, StockShortage):
        message = (
            f"Sorry, {placed.product_name} is out of stock."
            if placed.available == 0
            else f"Sorry, only {placed.available} of {placed.product_name} are left in stock."
        )
        return _render_checkout(request, submission.values, (FieldError("cart", message),))
    response = RedirectResponse(f"/orders/{placed.number}/confirmation", status_code=303)
    order_pages.remember_customer(response, customer.email)
    return response


def _render_checkout(request: Request, values: Mapping[str, str], errors: tuple[FieldError, ...]) -> Response:
    """The checkout form with the values typed so far and what is wrong with them."""
    with state_of(request).db.transaction() as connection:
        cart = load_cart(connection, request.cookies.get(CART_COOKIE))
        methods = list_shipping_methods(connection)
    if cart.is_empty and not errors:
        return RedirectResponse("/cart", status_code=303)
    context = {
        "cart": cart,
        "shipping_methods": methods,
        "customer_fields": CUSTOMER_FIELDS,
        "card_fields": CARD_FIELDS,
        "values": values,
        "errors": errors,
        "invalid_fields": {error.field for error in errors},
    }
    return render(request, "checkout.html", context)


def _customer_details(submission: CheckoutSubmission, card_last4: str) -> CustomerDetails:
    """The order's customer, from a valid submission; the card keeps only its last 4 digits."""
    values = submission.values
    return CustomerDetails(
        full_name=values["full_name"],
        email=values["email"],
        phone=values["phone"],
        street_address=values["street_address"],
        city=values["city"],
        postcode=values["postcode"],
        country=values["country"],
        card_last4=card_last4,
    )


def _quantity_problem(product: Product, quantity_text: str, already_in_cart: int) -> str | None:
    """Why this quantity cannot be added, or None if it can."""
    if not product.in_stock:
        return f"Sorry, {product.name} is out of stock."
    if not quantity_text.isdigit() or int(quantity_text) < 1:
        return "Please enter a quantity of at least 1."
    if int(quantity_text) + already_in_cart > product.stock:
        return f"Sorry, only {product.stock} of {product.name} are in stock."
    return None


def product_or_404(request: Request, slug: str) -> Product:
    """The product of a URL or form, or the not-found page."""
    with state_of(request).db.transaction() as connection:
        product = product_by_slug(connection, slug)
    if product is None:
        raise HTTPException(status_code=404, detail=f"no product {slug!r}")
    return product


def form_text(form: FormData, name: str) -> str:
    """A form field as trimmed text ('' if absent or a file)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_strings(form: FormData) -> dict[str, str]:
    """The form's text fields (uploads ignored: the shop asks for none)."""
    return {name: value for name, value in form.items() if isinstance(value, str)}
