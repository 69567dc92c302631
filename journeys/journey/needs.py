"""What a step needs of the company's web flows, declared on the step, read by ``check``.

A step that buys, cancels or reads an order on the web plays one of the profile's web
flows (:data:`journeys.company.flows.TASKS`); a company that writes no such flow
cannot be reached that way. Marking the step lets ``mystery-shopper check`` (and
``run``, before the first browser opens) name the feature file's line, instead of
a journey breaking halfway::

    @when(parsers.parse("I cancel it right away through {channel}"), ...)
    @needs_web("cancel_order", when_channel="channel")
    def cancel_right_away(journey, channel): ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

Function = TypeVar("Function", bound=Callable[..., Any])

_ATTRIBUTE = "__web_needs__"


@dataclass(frozen=True)
class WebNeeds:
    """The web flows and patterns a step uses.

    Attributes:
        tasks: the flows it plays.
        patterns: the ``[web.patterns]`` it judges what it read with.
        when_channel: the step's channel parameter: it needs them only when that is the web.
        not_on_the_web: what the step does, when the harness cannot do it through the web.
    """

    tasks: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    when_channel: str | None = None
    not_on_the_web: str | None = None


def needs_web(
    *tasks: str,
    patterns: tuple[str, ...] = (),
    when_channel: str | None = None,
    not_on_the_web: str | None = None,
) -> Callable[[Function], Function]:
    """Declare what a step function needs of the web (put it under the ``@given``/``@when``/``@then``)."""

    def mark(function: Function) -> Function:
        setattr(function, _ATTRIBUTE, WebNeeds(tasks, patterns, when_channel, not_on_the_web))
        return function

    return mark


def web_needs_of(function: Callable[..., Any]) -> WebNeeds | None:
    """What a step function declared it needs of the web; None when it needs nothing."""
    needs = getattr(function, _ATTRIBUTE, None)
    return needs if isinstance(needs, WebNeeds) else None
