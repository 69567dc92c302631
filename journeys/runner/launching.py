"""The browser pytest-playwright launches for a journey: the Chromium this machine has, or
one reached at ``--browser-endpoint`` (or the run's one Chromium, ``--one-browser``).

These fixtures override pytest-playwright's own (``browser_type_launch_args``,
``launch_browser``). Of two plugins' fixtures of one name, pytest uses the one registered
last, and plugins that come by entry point (pytest-playwright's, and ours in a team's
repository) load in an order that is not ours to choose; so :mod:`journeys.runner.plugin`
registers this module from its ``pytest_configure``, when every plugin pytest loads by
itself is registered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserType
from playwright.sync_api import Error as PlaywrightError

from journeys.errors import SetupError
from journeys.runner.browser import find_chromium
from journeys.runner.plugin import RunSettings
from journeys.runner.remote import endpoint_kind, shown_endpoint


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config, browser_name: str | None) -> dict[str, Any]:
    """pytest-playwright's launch options, plus the Chromium this machine has."""
    launch: dict[str, Any] = {}
    if pytestconfig.getoption("--headed"):
        launch["headless"] = False
    if pytestconfig.getoption("--slowmo"):
        launch["slow_mo"] = pytestconfig.getoption("--slowmo")
    channel = pytestconfig.getoption("--browser-channel")
    if channel:
        launch["channel"] = channel
    elif browser_name in (None, "chromium"):
        try:
            launch.update(find_chromium(headed=bool(pytestconfig.getoption("--headed"))).launch_args())
        except SetupError as error:
            pytest.exit(f"mystery-shopper: {error}", returncode=4)
    return launch


@pytest.fixture(scope="session")
def launch_browser(
    run_settings: RunSettings,
    browser_type_launch_args: dict[str, Any],
    browser_type: BrowserType,
) -> Callable[..., Browser]:
    """pytest-playwright's way to get the session's browser: launched here, or reached at
    ``--browser-endpoint`` (or the run's one Chromium, ``--one-browser``).

    A Playwright browser server on this machine (loopback) is asked to launch the Chromium
    this machine has, as a launch here would; one elsewhere launches its own.
    """
    endpoint = run_settings.browser_endpoint

    def launch(**kwargs: Any) -> Browser:
        options = {**browser_type_launch_args, **kwargs}
        if not endpoint:
            return browser_type.launch(**options)
        try:
            if endpoint_kind(endpoint) == "cdp":
                return browser_type.connect_over_cdp(endpoint)
            if urlsplit(endpoint).hostname not in ("127.0.0.1", "localhost", "::1"):
                options = {key: value for key, value in options.items() if key in ("headless", "slow_mo")}
            return browser_type.connect(
                endpoint, headers={"x-playwright-launch-options": json.dumps(_camel_case(options))}
            )
        except PlaywrightError as error:
            raise SetupError(
                f"--browser-endpoint {shown_endpoint(endpoint)}: could not use the browser there "
                f"({str(error).splitlines()[0]})"
            ) from error

    return launch


def _camel_case(options: dict[str, Any]) -> dict[str, Any]:
    """Launch options as Playwright's server reads them (``executablePath``, ``slowMo``)."""
    named = {"executable_path": "executablePath", "slow_mo": "slowMo"}
    return {named.get(key, key): value for key, value in options.items()}
