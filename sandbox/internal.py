"""Test-only JSON endpoints under ``/__sandbox__/``: the sandbox's ground truth.

These exist for the project's own tests and benchmarks only, to compare what the harness
measured with what the sandbox really did. The harness's journeys never call them: a journey
sees a company only as a customer does, which is what makes it work on a real company.

- ``GET /__sandbox__/orders/{number}``: an order as stored (status brought up to date).
- ``GET /__sandbox__/profile``: the service profile in effect (durations already scaled).
- ``GET /__sandbox__/truth/contacts?customer=ID``: the contact centre's ground truth, one
  record per contact (``TruthLog.contacts``: what really happened, with the derived metrics
  ``ivr_depth``, ``hold_time``, ``transfer_count``, ``escalation_count``, ``recaptures``,
  ``recaptures_across_contacts``),
  in the order the contacts started; ``customer`` is the identity the channel knows (the
  email on chat and email, the handle on social, the caller's number on the phone). Without
  ``customer``, every contact. An empty list when the profile has no contact centre.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.shop.orders import Order, load_order
from sandbox.web import format_iso_time, state_of


def routes() -> list[BaseRoute]:
    """The test-only routes, for :func:`sandbox.app.create_app`."""
    return [
        Route("/__sandbox__/orders/{number}", order_json, methods=["GET"]),
        Route("/__sandbox__/profile", profile_json, methods=["GET"]),
        Route("/__sandbox__/truth/contacts", truth_contacts_json, methods=["GET"]),
    ]


async def order_json(request: Request) -> Response:
    """An order as the database holds it."""
    state = state_of(request)
    number = request.path_params["number"]
    with state.db.transaction() as connection:
        order = load_order(connection, number, now=state.clock(), shop=state.profile.shop)
    if order is None:
        return JSONResponse({"error": f"no order {number}"}, status_code=404)
    return JSONResponse(order_as_json(order))


async def profile_json(request: Request) -> Response:
    """The profile the sandbox runs with, so a test can compute its expectations."""
    state = state_of(request)
    profile = state.profile
    return JSONResponse(
        {
            "name": profile.name,
            "description": profile.description,
            "time_scale": state.time_scale,
            "shop": {
                "cancellation_window_seconds": profile.shop.cancellation_window_seconds,
                "processing_seconds": profile.shop.processing_seconds,
            },
        }
    )


async def truth_contacts_json(request: Request) -> Response:
    """What the contact centre really did, for the harness's own tests to compare with."""
    service = state_of(request).contact_centre
    customer = request.query_params.get("customer")
    contacts = [] if service is None else service.truth_log.contacts(customer)
    return JSONResponse(contacts)


def order_as_json(order: Order) -> dict[str, Any]:
    """An order as plain JSON: timestamps both as epoch seconds and ISO 8601 (UTC)."""

    def moment(seconds: float | None) -> dict[str, Any] | None:
        if seconds is None:
            return None
        return {"epoch": seconds, "iso": format_iso_time(seconds)}

    customer = order.customer
    return {
        "number": order.number,
        "status": order.status.value,
        "email": customer.email,
        "customer": {
            "full_name": customer.full_name,
            "phone": customer.phone,
            "street_address": customer.street_address,
            "city": customer.city,
            "postcode": customer.postcode,
            "country": customer.country,
            "card_last4": customer.card_last4,
        },
        "shipping_method": {
            "code": order.shipping_method.code,
            "name": order.shipping_method.name,
            "estimate": order.shipping_method.estimate,
            "price_cents": order.shipping_cents,
        },
        "items": [
            {
                "product_id": item.product_id,
                "product_name": item.product_name,
                "unit_price_cents": item.unit_price_cents,
                "quantity": item.quantity,
            }
            for item in order.items
        ],
        "subtotal_cents": order.subtotal_cents,
        "total_cents": order.total_cents,
        "placed_at": moment(order.placed_at),
        "processing_at": moment(order.processing_at),
        "shipped_at": moment(order.shipped_at),
        "cancelled_at": moment(order.cancelled_at),
    }
