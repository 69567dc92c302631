"""The ``steps`` storefront's order pages: the order by signed link, returns, tracking, repairs.

An order page exists only at its signed link, ``/account/orders/{number}/{token}/``
(:mod:`sandbox.shop.order_links`); any other token, or an unknown order, is the not-found
page. The thank-you page gives the link; ``/track/`` gives it to whoever knows an order's
number and ZIP/Postcode, which is how an order placed by phone or chat, or in another
browser, is found. There is no way to cancel on the web in this style: the order page says
to contact the company, whose agents cancel through :mod:`sandbox.contact.actions`.

A return started here is the same action an agent takes, so both leave the same record.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.contact.actions import ShopServiceActions
from sandbox.shop.addresses import same_postcode
from sandbox.shop.aftercare import aftercare_of, repair_booking
from sandbox.shop.order_pages import RETURN_REASONS
from sandbox.shop.orders import Order, OrderStatus, load_order
from sandbox.shop.pages import form_text
from sandbox.shop.steps_checkout import order_extras
from sandbox.web import redirect_with_notice, render, render_with_notice, state_of

TRACK_URL = "/track/"

TRACK_MISSING_MESSAGE = "Enter your order number and ZIP/Postcode"
TRACK_FAILED_MESSAGE = "We could not find an order with that order number and ZIP/Postcode."
RETURN_REASON_MISSING_MESSAGE = "Select why you are returning it"
RETURN_REFUSED_MESSAGE = "Sorry, this order can no longer be returned."


def routes() -> list[BaseRoute]:
    """The order, return, tracking and repair routes of the steps storefront."""
    return [
        Route("/account/orders/{number}/{token}/", order_page, methods=["GET"]),
        Route("/account/orders/{number}/{token}/returns/", submit_return, methods=["POST"]),
        Route(TRACK_URL, track_page, methods=["GET"]),
        Route(TRACK_URL, submit_track, methods=["POST"]),
        Route("/repairs/{reference}", repair_page, methods=["GET"]),
    ]


async def order_page(request: Request) -> Response:
    """An order's facts, items, address, returns and repairs, and the return form."""
    order = _signed_order(request)
    if order is None:
        return render(request, "not_found.html", status_code=404)
    return _order_view(request, order, alert=None)


async def submit_return(request: Request) -> Response:
    """Start a return for the reason chosen; the RMA number comes back in a notice."""
    order = _signed_order(request)
    if order is None:
        return render(request, "not_found.html", status_code=404)
    reason = form_text(await request.form(), "reason")
    if reason not in RETURN_REASONS:
        return _order_view(request, order, alert=RETURN_REASON_MISSING_MESSAGE)
    state = state_of(request)
    actions = ShopServiceActions(state.db, state.profile.shop, state.clock, state.rng)
    result = actions.create_return(order.number, order.customer.email, reason)
    if result.reference is None:
        return _order_view(request, order, alert=RETURN_REFUSED_MESSAGE)
    notice = f"Your return has started. Your return number is {result.reference}."
    return redirect_with_notice(state.order_links.order_url(order.number), notice)


async def track_page(request: Request) -> Response:
    """The form that finds an order by its number and ZIP/Postcode."""
    return render(request, "steps/track.html", {"number": "", "postcode": "", "alert": None})


async def submit_track(request: Request) -> Response:
    """Go to the order's signed link, or say that nothing matched."""
    form = await request.form()
    number, postcode = form_text(form, "number"), form_text(form, "postcode")
    order = _load(request, number) if number and postcode else None
    if order is None or not same_postcode(postcode, order.customer.postcode):
        alert = TRACK_FAILED_MESSAGE if number and postcode else TRACK_MISSING_MESSAGE
        context = {"number": number, "postcode": postcode, "alert": alert}
        return render(request, "steps/track.html", context)
    return RedirectResponse(state_of(request).order_links.order_url(order.number), status_code=303)


async def repair_page(request: Request) -> Response:
    """Track a repair by its reference, which only the customer was given."""
    state = state_of(request)
    with state.db.transaction() as connection:
        booking = repair_booking(connection, request.path_params["reference"])
    if booking is None:
        return render(request, "not_found.html", status_code=404)
    return render(request, "steps/repair.html", {"booking": booking})


def _order_view(request: Request, order: Order, *, alert: str | None) -> Response:
    """The order page, with what the database holds about its returns, claims and payment."""
    state = state_of(request)
    with state.db.transaction() as connection:
        aftercare = aftercare_of(connection, order.id)
        extras = order_extras(connection, order.id)
    context = {
        "order": order,
        "extras": extras,
        "aftercare": aftercare,
        "alert": alert,
        "return_reasons": RETURN_REASONS,
        "returnable": order.status is not OrderStatus.CANCELLED,
        "order_url": state.order_links.order_url(order.number),
    }
    if alert is not None:
        return render(request, "steps/order.html", {**context, "notice": None})
    return render_with_notice(request, "steps/order.html", context)


def _signed_order(request: Request) -> Order | None:
    """The order of a signed link, or None if the order or the token is not right."""
    order = _load(request, request.path_params["number"])
    token = request.path_params["token"]
    if order is None or not state_of(request).order_links.is_valid(order.number, token):
        return None
    return order


def _load(request: Request, number: str) -> Order | None:
    """An order with its status brought up to date by the clock."""
    state = state_of(request)
    with state.db.transaction() as connection:
        return load_order(connection, number, now=state.clock(), shop=state.profile.shop)
