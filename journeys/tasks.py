"""Business-level tasks a customer performs; steps call these, one line each.

A task picks the channel's driver, opens a contact, and keeps what it learnt
(the order number) as a fact of the journey. Channels not driven yet fail as
pending, never pass silently.
"""

from __future__ import annotations

from journeys.errors import PendingStep
from journeys.journey import Journey
from journeys.timeline import Channel


def _web_only(channel: Channel, task: str) -> None:
    if channel != "web":
        raise PendingStep(
            f"{task} through {channel} is not written yet: only the web is driven so far"
        )


def place_order(
    journey: Journey, *, product: str, shipping_method: str, channel: Channel, setup: bool = False
) -> None:
    """Order one product with a shipping method; remember the order number."""
    _web_only(channel, "ordering")
    purpose = f"order {product} with {shipping_method} shipping"
    with journey.contact(channel, purpose, setup=setup) as contact:
        result = journey.web.place_order(
            contact, product=product, shipping_method=shipping_method, shopper=journey.shopper
        )
    journey.facts["product"] = product
    journey.facts["shipping_method"] = shipping_method
    if result.order_number:
        journey.facts["order_number"] = result.order_number
    else:
        journey.facts["order_number_missing_because"] = f"the shop said: {result.message}"


def cancel_order(journey: Journey, *, channel: Channel) -> None:
    """Ask the company to cancel the journey's order; remember what it claimed."""
    _web_only(channel, "cancelling")
    order_number = journey.fact("order_number", needed_for="cancel the order", channel=channel)
    with journey.contact(channel, f"cancel order {order_number}") as contact:
        result = journey.web.cancel_order(contact, order_number)
    journey.facts["cancellation_claimed"] = "yes" if result.cancelled else "no"
    journey.facts["cancellation_answer"] = result.message
