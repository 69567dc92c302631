"""What every browser channel shares: finding things by profile locators, typing
into fields without letting a secret onto a screenshot, and turning Playwright's
timeouts into the harness's own errors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, FrameLocator, Locator, Page, Route
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from journeys.company.profile import LocatorSpec
from journeys.domain.secrets import Secrets
from journeys.errors import JourneyBroken, first_line


def resolve(page: Page, spec: LocatorSpec) -> Locator:
    """The Playwright locator for a profile's locator spec.

    ``frame`` looks inside an iframe, ``within`` inside another locator's first match,
    and ``has_text`` keeps the matches that contain a text.
    """
    scope: Page | Locator | FrameLocator = page
    if spec.within is not None:
        scope = resolve(page, spec.within).first
    if spec.frame is not None:
        scope = scope.frame_locator(spec.frame)
    found = _find(scope, spec)
    return found.filter(has_text=spec.has_text) if spec.has_text else found


def _find(scope: Page | Locator | FrameLocator, spec: LocatorSpec) -> Locator:
    if spec.strategy == "role":
        name: str | re.Pattern[str] | None = spec.name
        if spec.regex and spec.name is not None:
            name = re.compile(spec.name)
        return scope.get_by_role(
            spec.value,  # type: ignore[arg-type]
            name=name,
            exact=spec.exact or None,
            include_hidden=spec.include_hidden or None,
        )
    text: str | re.Pattern[str] = re.compile(spec.value) if spec.regex else spec.value
    if spec.strategy == "label":
        return scope.get_by_label(text, exact=spec.exact or None)
    if spec.strategy == "text":
        return scope.get_by_text(text, exact=spec.exact or None)
    if spec.strategy == "placeholder":
        return scope.get_by_placeholder(text, exact=spec.exact or None)
    if spec.strategy == "test_id":
        return scope.get_by_test_id(text)
    return scope.locator(spec.value)


NOWHERE = "http://127.0.0.1:0"
"""A proxy nothing can be: no connection is ever made to port 0, on any machine."""


def allow_list_proxy(hosts: Iterable[str]) -> dict[str, str]:
    """A browser context's ``proxy`` that keeps it to the company's allow-list by itself.

    Every request goes to a proxy that cannot be reached, and so fails
    (``net::ERR_PROXY_CONNECTION_FAILED``), except to the hosts the bypass list names, which
    go straight to them; ``<-loopback>`` withdraws Chromium's own bypass of loopback, so an
    address like ``127.0.0.1`` passes only when it is listed too. Unlike :func:`allow_only`,
    no request waits on a round trip to Python (0.15 s of a 1.4 s web order, measured in
    ``bench/overhead.py``), and nothing is resolved or sent anywhere but to a listed host.
    """
    rules = ["<-loopback>", *(f"[{host}]" if ":" in host else host for host in hosts)]
    return {"server": NOWHERE, "bypass": ",".join(rules)}


def allow_only(context: BrowserContext, hosts: Iterable[str]) -> None:
    """Abort every request of a browser to a host outside the company's allow-list, by routing
    each through Python: for a context that already has a proxy of its own (a team's
    ``browser_context_args``), where :func:`allow_list_proxy` cannot be used."""
    allowed = set(hosts)

    def guard(route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in allowed or route.request.url.startswith(("data:", "blob:", "about:")):
            route.fallback()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", guard)


SCREENSHOT_TIMEOUT = 15.0
"""Seconds a screenshot of where a journey broke may take, whatever the profile's (short) timeouts."""


class Typing:
    """Types into a page object's fields, and covers those typed from a secret on its screenshots.

    A journey that breaks on a checkout form leaves a screenshot of it; the card typed
    from ``${TEST_CARD}`` must not be on it. Every field a channel fills goes through
    :meth:`fill`, which remembers the ones whose value holds a secret; :meth:`screenshot`
    masks them (Playwright paints a box over each).
    """

    def __init__(self, secrets: Secrets) -> None:
        self.secrets = secrets
        self._secret_fields: list[Locator] = []

    def fill(self, field: Locator, value: str, **options: Any) -> None:
        """Type a value into a field (noted first, so a field left half-typed is masked too)."""
        if self.secrets.within(value):
            self._secret_fields.append(field)
        field.fill(value, **options)

    def screenshot(self, page: Page, path: str) -> None:
        """Save the whole page with every field that holds a secret masked."""
        masked = [field for field in self._secret_fields if field.page == page]
        page.screenshot(path=path, full_page=True, mask=masked, timeout=SCREENSHOT_TIMEOUT * 1000)


@contextmanager
def customer_action(channel: str, action: str, timeout: float) -> Iterator[None]:
    """Run Playwright calls as one customer action; failures become JourneyBroken.

    Args:
        channel: the channel's name, for the message.
        action: what the customer was doing, in their words ("check out").
        timeout: the seconds allowed, for the message.
    """
    try:
        yield
    except PlaywrightTimeout as error:
        raise JourneyBroken(
            f"{channel}: could not {action}: nothing answered within {timeout:g} s"
            f" ({first_line(error, 'timeout')})",
            channel=channel,
            action=action,
        ) from error
    except PlaywrightError as error:
        raise JourneyBroken(
            f"{channel}: could not {action}: {first_line(error)}", channel=channel, action=action
        ) from error


def first_match(pattern: re.Pattern[str], text: str) -> str | None:
    """The first named group (or whole match) of a pattern in some text."""
    match = pattern.search(text)
    if match is None:
        return None
    groups = match.groupdict()
    if groups:
        return next((value for value in groups.values() if value), match.group(0)).strip()
    return match.group(0).strip()


def wait_for_any(page: Page, locators: list[Locator], timeout_ms: float) -> int:
    """Wait until one of several locators is visible; return its index.

    Raises:
        PlaywrightTimeout: none became visible in time.
    """
    combined = locators[0]
    for locator in locators[1:]:
        combined = combined.or_(locator)
    combined.first.wait_for(state="visible", timeout=timeout_ms)
    for index, locator in enumerate(locators):
        if locator.count() and locator.first.is_visible():
            return index
    return 0
