"""Ordering a product."""

from __future__ import annotations

from pytest_bdd import given, parsers, when

from journeys.domain.timeline import Channel
from journeys.domain.vocabulary import channel_named
from journeys.journey import tasks
from journeys.journey.actor import Journey
from journeys.journey.needs import needs_web

ORDER = 'I order "{product}" through {channel} with {shipping} shipping'
ORDERED = 'I have ordered "{product}" through {channel} with {shipping} shipping'


@when(parsers.parse(ORDER), converters={"channel": channel_named})
@needs_web("place_order", when_channel="channel")
def order(journey: Journey, product: str, channel: Channel, shipping: str) -> None:
    """Order one product through a channel with a shipping method, paying with the test card.

    Example: When I order "Blender 3000" through the web with Express shipping
    """
    tasks.place_order(journey, product=product, shipping_method=shipping, channel=channel)


@given(parsers.parse(ORDERED), converters={"channel": channel_named})
@needs_web("place_order", when_channel="channel")
def have_ordered(journey: Journey, product: str, channel: Channel, shipping: str) -> None:
    """An order placed as the journey's starting point (a setup contact, not the problem).

    Example: Given I have ordered "Kettle Pro" through the web with Standard shipping
    """
    tasks.place_order(journey, product=product, shipping_method=shipping, channel=channel, setup=True)
