"""Getting in touch with the company about something other than an order."""

from __future__ import annotations

from pytest_bdd import parsers, when

from journeys import tasks
from journeys.journey import Journey
from journeys.timeline import Channel
from journeys.vocabulary import channel_named


@when(parsers.parse("I ask to return it through {channel}"), converters={"channel": channel_named})
def ask_to_return(journey: Journey, channel: Channel) -> None:
    """Ask the company to take the item back: the returns portal on the web, else an agent.

    Example: When I ask to return it through email
    """
    tasks.request_return(journey, channel=channel)


@when(parsers.parse("I ask where my order is through {channel}"), converters={"channel": channel_named})
def ask_where_order_is(journey: Journey, channel: Channel) -> None:
    """Ask for the status of the journey's order.

    Example: When I ask where my order is through social
    """
    tasks.get_in_touch(journey, channel=channel, intent="enquiry")
