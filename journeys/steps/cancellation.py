"""Cancelling an order."""

from __future__ import annotations

from pytest_bdd import parsers, when

from journeys.domain.timeline import Channel
from journeys.domain.vocabulary import channel_named
from journeys.journey import tasks
from journeys.journey.actor import Journey
from journeys.journey.needs import needs_web


@when(parsers.parse("I cancel it right away through {channel}"), converters={"channel": channel_named})
@needs_web("cancel_order", when_channel="channel")
def cancel_right_away(journey: Journey, channel: Channel) -> None:
    """Ask to cancel the order just placed, at once, through a channel.

    Example: When I cancel it right away through the web
    """
    tasks.cancel_order(journey, channel=channel)
