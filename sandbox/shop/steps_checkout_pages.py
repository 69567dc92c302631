"""The ``steps`` storefront's checkout pages, one URL and one question each.

``/checkout/`` (guest e-mail) -> ``/checkout/delivery-address/`` -> ``/checkout/shipping-method/``
(a ``Select option`` button per method) -> ``/checkout/payment-method/`` ->
``/checkout/preview/`` (``Place order``) -> ``/checkout/thank-you/{number}/{token}/``, whose
``View your order`` link is the order's signed link. Each page posts to its own URL and, when
the answer is valid, redirects (303) to the next; an invalid answer comes back with a
``role="alert"`` summary. What the pages ask and keep is :mod:`sandbox.shop.steps_checkout`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.shop.addresses import COUNTRIES, US_STATES
from sandbox.shop.carts import CART_COOKIE, Cart, load_cart
from sandbox.shop.catalogue import list_shipping_methods, shipping_method_by_code
from sandbox.shop.checkout import FieldError
from sandbox.shop.orders import StockShortage, load_order
from sandbox.shop.pages import form_strings, form_text
from sandbox.shop.steps_checkout import (
    ADDRESS_FIELDS,
    EMAIL_FIELD,
    PAYMENT_MISSING_MESSAGE,
    SHIPPING_MISSING_MESSAGE,
    CheckoutProgress,
    CheckoutStep,
    PaymentMethod,
    address_values,
    load_progress,
    order_extras,
    place_steps_order,
    read_address,
    read_email,
    save_address,
    save_email,
    save_payment_method,
    save_shipping_method,
)
from sandbox.shop.steps_pages import BASKET_URL
from sandbox.web import render, state_of


def routes() -> list[BaseRoute]:
    """The checkout's routes: each page answers GET (ask) and POST (answer)."""
    return [
        Route(CheckoutStep.EMAIL, email_page, methods=["GET"]),
        Route(CheckoutStep.EMAIL, submit_email, methods=["POST"]),
        Route(CheckoutStep.DELIVERY_ADDRESS, address_page, methods=["GET"]),
        Route(CheckoutStep.DELIVERY_ADDRESS, submit_address, methods=["POST"]),
        Route(CheckoutStep.SHIPPING_METHOD, shipping_page, methods=["GET"]),
        Route(CheckoutStep.SHIPPING_METHOD, submit_shipping, methods=["POST"]),
        Route(CheckoutStep.PAYMENT_METHOD, payment_page, methods=["GET"]),
        Route(CheckoutStep.PAYMENT_METHOD, submit_payment, methods=["POST"]),
        Route(CheckoutStep.PREVIEW, preview_page, methods=["GET"]),
        Route(CheckoutStep.PREVIEW, submit_order, methods=["POST"]),
        Route("/checkout/thank-you/{number}/{token}/", thank_you_page, methods=["GET"]),
    ]


async def email_page(request: Request) -> Response:
    """Guest checkout with an e-mail address, or a way to sign in."""
    return _page(request, CheckoutStep.EMAIL, lambda progress: {"email": progress.email or ""})


async def submit_email(request: Request) -> Response:
    """Keep the e-mail address and go on to the delivery address."""
    form = await request.form()
    email, errors = read_email(form_strings(form))
    return _answer(
        request,
        CheckoutStep.EMAIL,
        errors,
        {"email": email},
        lambda connection, cart_id, now: save_email(connection, cart_id, email, now),
    )


async def address_page(request: Request) -> Response:
    """The delivery address form, filled in with what was given before."""
    return _page(
        request,
        CheckoutStep.DELIVERY_ADDRESS,
        lambda progress: {"values": address_values(progress.address)},
    )


async def submit_address(request: Request) -> Response:
    """Check the address (the postcode by country), keep it, go on to shipping."""
    submission = read_address(form_strings(await request.form()))
    address = submission.address
    return _answer(
        request,
        CheckoutStep.DELIVERY_ADDRESS,
        submission.errors,
        {"values": submission.values},
        lambda connection, cart_id, now: save_address(connection, cart_id, address, now) if address else None,
    )


async def shipping_page(request: Request) -> Response:
    """Every shipping method as a card with its own ``Select option`` button."""
    return _page(request, CheckoutStep.SHIPPING_METHOD, lambda progress: {})


async def submit_shipping(request: Request) -> Response:
    """Keep the method whose button was pressed, go on to payment."""
    code = form_text(await request.form(), "shipping_method")
    with state_of(request).db.transaction() as connection:
        method = shipping_method_by_code(connection, code)
    errors = () if method else (FieldError("shipping_method", SHIPPING_MISSING_MESSAGE),)
    return _answer(
        request,
        CheckoutStep.SHIPPING_METHOD,
        errors,
        {},
        lambda connection, cart_id, now: (
            save_shipping_method(connection, cart_id, method, now) if method else None
        ),
    )


async def payment_page(request: Request) -> Response:
    """Pay on delivery or by bank transfer: the two ways this shop is paid."""
    return _page(
        request,
        CheckoutStep.PAYMENT_METHOD,
        lambda progress: {"chosen": progress.payment_method.value if progress.payment_method else ""},
    )


async def submit_payment(request: Request) -> Response:
    """Keep the payment method, go on to the preview."""
    chosen = form_text(await request.form(), "payment_method")
    method = next((method for method in PaymentMethod if method.value == chosen), None)
    errors = () if method else (FieldError("payment_method", PAYMENT_MISSING_MESSAGE),)
    return _answer(
        request,
        CheckoutStep.PAYMENT_METHOD,
        errors,
        {"chosen": chosen},
        lambda connection, cart_id, now: (
            save_payment_method(connection, cart_id, method, now) if method else None
        ),
    )


async def preview_page(request: Request) -> Response:
    """Everything the order will be, with ``Place order``."""
    return _page(request, CheckoutStep.PREVIEW, lambda progress: {})


async def submit_order(request: Request) -> Response:
    """Place the order (stock is checked now) and thank the customer."""
    state = state_of(request)
    cart_id = request.cookies.get(CART_COOKIE)
    with state.db.transaction() as connection:
        cart = load_cart(connection, cart_id)
        progress = load_progress(connection, cart_id)
        if cart.is_empty or progress.first_missing_step() is not CheckoutStep.PREVIEW:
            placed = None
        else:
            placed = place_steps_order(
                connection, cart=cart, progress=progress, now=state.clock(), rng=state.rng
            )
    if placed is None:
        return _redirect_to_first_missing(cart, progress)
    if isinstance(placed, StockShortage):
        alert = (
            f"Sorry, {placed.product_name} is sold out."
            if placed.available == 0
            else f"Sorry, we only have {placed.available} of {placed.product_name} left."
        )
        errors = (FieldError("basket", alert),)
        return _render_step(request, CheckoutStep.PREVIEW, cart, progress, errors, {})
    links = state.order_links
    return RedirectResponse(
        f"/checkout/thank-you/{placed.number}/{links.token(placed.number)}/", status_code=303
    )


async def thank_you_page(request: Request) -> Response:
    """The order number in a sentence and the order's signed link; not found without one."""
    state = state_of(request)
    number, token = request.path_params["number"], request.path_params["token"]
    with state.db.transaction() as connection:
        order = load_order(connection, number, now=state.clock(), shop=state.profile.shop)
        extras = order_extras(connection, order.id) if order else None
    if order is None or not state.order_links.is_valid(order.number, token):
        return render(request, "not_found.html", status_code=404)
    context = {
        "order": order,
        "extras": extras,
        "order_url": state.order_links.order_url(order.number),
    }
    return render(request, "steps/thank_you.html", context)


# -- What every step does alike --------------------------------------------------------------


ValuesOf = Callable[[CheckoutProgress], Mapping[str, Any]]
"""Makes a step page's form values from the progress so far."""

SaveAnswer = Callable[[sqlite3.Connection, str, float], object]
"""Writes a valid answer: ``save(connection, cart_id, now)``."""


def _page(request: Request, step: CheckoutStep, values: ValuesOf) -> Response:
    """Show a step's page, or send the customer where they belong if it is not its turn.

    ``values`` makes the page's form values from the progress so far.
    """
    state = state_of(request)
    cart_id = request.cookies.get(CART_COOKIE)
    with state.db.transaction() as connection:
        cart = load_cart(connection, cart_id)
        progress = load_progress(connection, cart_id)
    if cart.is_empty or not progress.has_reached(step):
        return _redirect_to_first_missing(cart, progress)
    return _render_step(request, step, cart, progress, (), values(progress))


def _answer(
    request: Request,
    step: CheckoutStep,
    errors: tuple[FieldError, ...],
    values: Mapping[str, Any],
    save: SaveAnswer,
) -> Response:
    """Keep a valid answer and go to the next missing step; show the page again if invalid.

    ``save`` runs only when there are no errors.
    """
    state = state_of(request)
    cart_id = request.cookies.get(CART_COOKIE)
    with state.db.transaction() as connection:
        cart = load_cart(connection, cart_id)
        progress = load_progress(connection, cart_id)
        its_turn = not cart.is_empty and cart_id is not None and progress.has_reached(step)
        if its_turn and not errors:
            assert cart_id is not None
            save(connection, cart_id, state.clock())
            progress = load_progress(connection, cart_id)
    if not its_turn:
        return _redirect_to_first_missing(cart, progress)
    if errors:
        return _render_step(request, step, cart, progress, errors, values)
    return RedirectResponse(_next_step(step, progress), status_code=303)


def _next_step(answered: CheckoutStep, progress: CheckoutProgress) -> str:
    """The step after the one just answered, unless an earlier one is missing."""
    steps = list(CheckoutStep)
    following = steps[min(steps.index(answered) + 1, len(steps) - 1)]
    return following if progress.has_reached(following) else progress.first_missing_step()


def _redirect_to_first_missing(cart: Cart, progress: CheckoutProgress) -> Response:
    """An empty basket goes back to the basket; otherwise the first page not answered yet."""
    target = BASKET_URL if cart.is_empty else progress.first_missing_step()
    return RedirectResponse(target, status_code=303)


_TEMPLATES = {
    CheckoutStep.EMAIL: "steps/checkout_email.html",
    CheckoutStep.DELIVERY_ADDRESS: "steps/checkout_address.html",
    CheckoutStep.SHIPPING_METHOD: "steps/checkout_shipping.html",
    CheckoutStep.PAYMENT_METHOD: "steps/checkout_payment.html",
    CheckoutStep.PREVIEW: "steps/checkout_preview.html",
}


def _render_step(
    request: Request,
    step: CheckoutStep,
    cart: Cart,
    progress: CheckoutProgress,
    errors: tuple[FieldError, ...],
    values: Mapping[str, Any],
) -> Response:
    """A step's page with the basket summary, the progress bar and any errors."""
    with state_of(request).db.transaction() as connection:
        methods = list_shipping_methods(connection)
    method = progress.shipping_method
    context = {
        "step": step,
        "steps": list(CheckoutStep),
        "cart": cart,
        "progress": progress,
        "errors": errors,
        "invalid_fields": {error.field for error in errors},
        "email_field": EMAIL_FIELD,
        "address_fields": ADDRESS_FIELDS,
        "countries": COUNTRIES,
        "us_states": US_STATES,
        "shipping_methods": methods,
        "payment_methods": list(PaymentMethod),
        "order_total_cents": cart.subtotal_cents + (method.price_cents if method else 0),
        **values,
    }
    return render(request, _TEMPLATES[step], context)
