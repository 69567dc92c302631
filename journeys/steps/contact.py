"""Getting in touch with the company about something other than an order."""

from __future__ import annotations

from pytest_bdd import parsers, when

from journeys.domain.timeline import Channel
from journeys.domain.vocabulary import channel_named
from journeys.journey import tasks
from journeys.journey.actor import Journey
from journeys.journey.needs import needs_web


@when(parsers.parse("I ask to return it through {channel}"), converters={"channel": channel_named})
@needs_web("request_return", when_channel="channel")
def ask_to_return(journey: Journey, channel: Channel) -> None:
    """Ask the company to take the item back: the returns portal on the web, else an agent.

    Example: When I ask to return it through email
    """
    tasks.request_return(journey, channel=channel)


@when(parsers.parse("I ask where my order is through {channel}"), converters={"channel": channel_named})
@needs_web("open_order", when_channel="channel")
def ask_where_order_is(journey: Journey, channel: Channel) -> None:
    """Ask for the status of the journey's order.

    Example: When I ask where my order is through social
    """
    tasks.get_in_touch(journey, channel=channel, intent="enquiry")


@when(
    parsers.parse('I make a warranty claim through {channel} because "{fault}"'),
    converters={"channel": channel_named},
)
@needs_web(when_channel="channel", not_on_the_web="a warranty claim")
def make_warranty_claim(journey: Journey, channel: Channel, fault: str) -> None:
    """Claim on the warranty of the item bought (see the returning customer), saying what is wrong.

    Example: When I make a warranty claim through chat because "the motor stopped"
    """
    tasks.report_fault(journey, channel=channel, intent="warranty", fault=fault)


@when(parsers.parse('I call about a warranty claim because "{fault}"'))
def call_about_warranty(journey: Journey, fault: str) -> None:
    """A warranty claim by phone: the menu, the queue and whoever answers.

    Example: When I call about a warranty claim because "the motor stopped"
    """
    tasks.report_fault(journey, channel="phone", intent="warranty", fault=fault)


@when(
    parsers.parse('I ask for a repair through {channel} because "{fault}"'),
    converters={"channel": channel_named},
)
@needs_web(when_channel="channel", not_on_the_web="a repair request")
def ask_for_repair(journey: Journey, channel: Channel, fault: str) -> None:
    """Ask for an engineer to repair the item bought, saying what is wrong.

    Example: When I ask for a repair through chat because "the jug leaks"
    """
    tasks.report_fault(journey, channel=channel, intent="repair", fault=fault)


@when(parsers.parse('I call about a repair because "{fault}"'))
def call_about_repair(journey: Journey, fault: str) -> None:
    """A repair by phone: the menu, the queue and whoever answers.

    Example: When I call about a repair because "the jug leaks"
    """
    tasks.report_fault(journey, channel="phone", intent="repair", fault=fault)
