"""The shop's order pages: confirmation, order status and cancellation, history, lookup;
and the repair tracking page.

Only the customer sees an order: the ``customer_email`` cookie (set at checkout or by the
lookup form) must be the order's email, otherwise the visitor is sent to the lookup form.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.contact.actions import ShopServiceActions
from sandbox.shop.aftercare import aftercare_of, repair_booking
from sandbox.shop.orders import (
    CancelOutcome,
    Order,
    belongs_to,
    cancel_order,
    load_order,
    orders_for_email,
)
from sandbox.web import render, set_session_cookie, state_of

CUSTOMER_COOKIE = "customer_email"

CANCEL_MESSAGES: dict[CancelOutcome, str] = {
    CancelOutcome.CANCELLED: "Your order has been cancelled.",
    CancelOutcome.REFUSED_PROCESSING: (
        "This order can no longer be cancelled: it is already being processed."
    ),
    CancelOutcome.REFUSED_SHIPPED: "This order can no longer be cancelled: it has already shipped.",
    CancelOutcome.REFUSED_ALREADY_CANCELLED: "This order is already cancelled.",
}

LOOKUP_FAILED_MESSAGE = "We could not find an order with that number and email."

RETURN_REASONS: tuple[str, ...] = ("Changed my mind", "Faulty", "Arrived damaged", "Wrong item")
RETURN_REFUSED_MESSAGE = "This order can no longer be returned."


def routes() -> list[BaseRoute]:
    """The order pages' routes; ``/orders/lookup`` comes before ``/orders/{number}``."""
    return [
        Route("/orders", order_history_page, methods=["GET"]),
        Route("/orders/lookup", lookup_page, methods=["GET"]),
        Route("/orders/lookup", submit_lookup, methods=["POST"]),
        Route("/orders/{number}", order_page, methods=["GET"]),
        Route("/orders/{number}/confirmation", confirmation_page, methods=["GET"]),
        Route("/orders/{number}/cancel", submit_cancel, methods=["POST"]),
        Route("/orders/{number}/return", submit_return, methods=["POST"]),
        Route("/repairs/{reference}", repair_page, methods=["GET"]),
    ]


def remember_customer(response: Response, email: str) -> None:
    """Let this browser see the customer's orders from now on."""
    set_session_cookie(response, CUSTOMER_COOKIE, quote(email, safe=""))


def customer_email(request: Request) -> str | None:
    """The email this browser proved it owns, if any."""
    value = request.cookies.get(CUSTOMER_COOKIE)
    return unquote(value) if value else None


async def order_history_page(request: Request) -> Response:
    """The orders of the remembered customer, newest first."""
    email = customer_email(request)
    orders: list[Order] = []
    if email is not None:
        state = state_of(request)
        with state.db.transaction() as connection:
            orders = orders_for_email(connection, email, now=state.clock(), shop=state.profile.shop)
    return render(request, "orders.html", {"orders": orders})


async def lookup_page(request: Request) -> Response:
    """The form to find an order by number and email (the number may be prefilled)."""
    number = request.query_params.get("number", "").strip()
    return render(request, "lookup.html", {"number": number, "email": "", "alert": None})


async def submit_lookup(request: Request) -> Response:
    """Remember the customer and show the order, or say that nothing matched."""
    form = await request.form()
    number = str(form.get("number", "")).strip()
    email = str(form.get("email", "")).strip()
    order = _load(request, number) if number and email else None
    if order is None or not belongs_to(order, email):
        context = {"number": number, "email": email, "alert": LOOKUP_FAILED_MESSAGE}
        return render(request, "lookup.html", context)
    response = RedirectResponse(f"/orders/{order.number}", status_code=303)
    remember_customer(response, order.customer.email)
    return response


async def order_page(request: Request) -> Response:
    """An order's status, shipping, items and total, and the way to cancel it."""
    order = _load(request, request.path_params["number"])
    if order is None or not belongs_to(order, customer_email(request)):
        return _redirect_to_lookup(request.path_params["number"])
    return _order_view(request, order, notice=None, alert=None)


async def confirmation_page(request: Request) -> Response:
    """What the customer sees right after placing an order: its number and a way to it."""
    order = _load(request, request.path_params["number"])
    if order is None or not belongs_to(order, customer_email(request)):
        return _redirect_to_lookup(request.path_params["number"])
    return render(request, "confirmation.html", {"order": order})


async def submit_cancel(request: Request) -> Response:
    """Cancel if the window is still open (checked now, not when the page was shown)."""
    number = request.path_params["number"]
    order = _load(request, number)
    if order is None or not belongs_to(order, customer_email(request)):
        return _redirect_to_lookup(number)
    state = state_of(request)
    with state.db.transaction() as connection:
        outcome = cancel_order(connection, order.number, now=state.clock(), shop=state.profile.shop)
    order = _load(request, order.number)
    assert outcome is not None and order is not None  # orders are never deleted
    message = CANCEL_MESSAGES[outcome]
    cancelled = outcome is CancelOutcome.CANCELLED
    return _order_view(
        request, order, notice=message if cancelled else None, alert=None if cancelled else message
    )


async def submit_return(request: Request) -> Response:
    """The returns portal: the same action an agent takes, so both leave the same record."""
    number = request.path_params["number"]
    order = _load(request, number)
    if order is None or not belongs_to(order, customer_email(request)):
        return _redirect_to_lookup(number)
    form = await request.form()
    reason = str(form.get("reason", "")).strip()
    if reason not in RETURN_REASONS:
        return _order_view(request, order, notice=None, alert="Please choose a reason for the return.")
    state = state_of(request)
    actions = ShopServiceActions(state.db, state.profile.shop, state.clock, state.rng)
    result = actions.create_return(order.number, order.customer.email, reason)
    if result.reference is None:
        return _order_view(request, order, notice=None, alert=RETURN_REFUSED_MESSAGE)
    notice = f"Your return has been registered: {result.reference}."
    return _order_view(request, order, notice=notice, alert=None)


async def repair_page(request: Request) -> Response:
    """Track a repair by its reference: the booking a customer was told about, if it exists.

    Repairs are booked by serial number and need not belong to an order bought here, so the
    reference (which only the customer was given) is what finds one, as on a parcel tracker.
    """
    state = state_of(request)
    with state.db.transaction() as connection:
        booking = repair_booking(connection, request.path_params["reference"])
    if booking is None:
        return render(request, "not_found.html", status_code=404)
    return render(request, "repair.html", {"booking": booking})


def _order_view(request: Request, order: Order, *, notice: str | None, alert: str | None) -> Response:
    """The order page, with its returns and claims listed from the database."""
    state = state_of(request)
    with state.db.transaction() as connection:
        aftercare = aftercare_of(connection, order.id)
    context = {
        "order": order,
        "notice": notice,
        "alert": alert,
        "aftercare": aftercare,
        "return_reasons": RETURN_REASONS,
    }
    return render(request, "order.html", context)


def _load(request: Request, number: str) -> Order | None:
    """An order with its status brought up to date by the clock."""
    state = state_of(request)
    with state.db.transaction() as connection:
        return load_order(connection, number, now=state.clock(), shop=state.profile.shop)


def _redirect_to_lookup(number: str) -> Response:
    """Send a visitor who has not proved the order is theirs to the lookup form."""
    return RedirectResponse(f"/orders/lookup?{urlencode({'number': number})}", status_code=303)
