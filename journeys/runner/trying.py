"""``mystery-shopper try TASK [TASK...]``: play a company profile's web flows and watch each step.

Writing a flow is trial and error against a site: this plays one or more tasks in a
real Chromium (``--headed`` to watch it), prints every step as it is played with the
line of the profile that writes it, then what the flow found. Facts found by one task
carry over to the next (``try place_order open_order`` opens the order just placed).
A step that breaks prints the harness's one-line message and leaves a screenshot.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from journeys.company.flows import TASKS, FlowStep
from journeys.company.profile import SERVER_URL_PLACEHOLDER, CompanyProfile, load_company
from journeys.domain.shopper import Shopper
from journeys.errors import ConfigError, JourneyBroken

DEFAULTS: dict[str, str] = {"quantity": "1", "reason": "Faulty"}
"""What a task is given when the command line does not say."""


def try_flows(
    company: CompanyProfile,
    tasks: list[str],
    given: dict[str, str],
    *,
    headed: bool = False,
    seed: int = 0,
    profile: str | None = None,
    screenshot: Path = Path("results/try.png"),
) -> int:
    """Play the tasks one after the other in one tab; 0 when every one played to its end."""
    from playwright.sync_api import sync_playwright

    from journeys.channels.base import allow_list_proxy
    from journeys.channels.web import WebShop
    from journeys.runner.browser import find_chromium

    known = {*given, *DEFAULTS}
    for task in tasks:
        needed = [name for name in TASKS[task].given if name not in known]
        if needed:
            examples = " ".join(f"--with {name}=..." for name in needed)
            raise ConfigError(f"try {task}: say what the customer knows: {examples}")
        known |= set(TASKS[task].finds)
    choice = find_chromium(headed=headed)
    with _company_running(company, seed, profile) as running, sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=not headed, **choice.launch_args())  # type: ignore[arg-type]
        context = browser.new_context(proxy=allow_list_proxy(running.allowed_hosts))  # type: ignore[arg-type]
        shop = WebShop(running, context)
        shop.shopper = Shopper.for_journey(seed, "try", running.countries)
        shop.on_step(_print_step)
        facts = {**DEFAULTS, **given}
        try:
            for task in tasks:
                print(f"{task}: {TASKS[task].purpose}")
                result = shop.play(task, facts)
                for name, value in result.facts.items():
                    print(f"  found {name} = {running.secrets.scrub(value)!r}")
                for name, values in result.lists.items():
                    print(f"  found {name} = {values!r}")
                if result.refusal is not None:
                    print(f"  the company said no: {result.refusal}")
                if result.missing is not None:
                    print(f"  the customer could not do it: {result.missing} (a finding in a journey)")
                facts.update(result.facts)
                if result.stopped:
                    return 1
        except JourneyBroken as broken:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            kept = shop.screenshot(str(screenshot))
            print(f"broken: {running.secrets.scrub(str(broken))}", file=sys.stderr)
            if kept:
                print(f"screenshot: {screenshot}", file=sys.stderr)
            return 1
        finally:
            context.close()
            browser.close()
    return 0


def _print_step(task: str, number: int, step: FlowStep, doing: str) -> None:
    print(f"  {task} {number}. {doing}  [{step.place}]", flush=True)


@contextmanager
def _company_running(company: CompanyProfile, seed: int, profile: str | None) -> Iterator[CompanyProfile]:
    """The company, with its local server started when its profile has one."""
    from journeys.runner.server import server_command, start_server, stop_process

    if company.server is None or SERVER_URL_PLACEHOLDER not in company.base_url:
        yield company
        return
    folder = Path(tempfile.mkdtemp(prefix="mystery-shopper-try-"))
    command = server_command(
        company.server, profile=profile, seed=seed, time_scale=1.0, parent_pid=os.getpid()
    )
    running, process = start_server(company.server, command, Path.cwd(), folder / "server.log")
    try:
        yield company.with_base_url(running.url, running.said)
    finally:
        stop_process(running.pid)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def command(arguments: list[str], parser_class: type) -> int:
    """``mystery-shopper try``'s command line."""
    parser = parser_class(prog="mystery-shopper try")
    parser.add_argument("tasks", nargs="+", choices=list(TASKS), metavar="TASK", help=", ".join(TASKS))
    parser.add_argument("--company", default="sandbox", help="a name under companies/ or a .toml path")
    parser.add_argument(
        "--with",
        dest="given",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help='what the customer knows, e.g. --with product="Kettle Pro" --with shipping_method=Standard',
    )
    parser.add_argument("--headed", action="store_true", help="show the browser")
    parser.add_argument("--seed", type=int, default=0, help="the persona's seed (default 0)")
    parser.add_argument("--profile", default=None, help="the company server's service profile, if it has one")
    parser.add_argument(
        "--screenshot", type=Path, default=Path("results/try.png"), help="where a break is shown"
    )
    options = parser.parse_args(arguments)
    given: dict[str, str] = {}
    for item in options.given:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise ConfigError(f'try: --with {item!r}: write NAME=VALUE, e.g. --with product="Kettle Pro"')
        given[name.strip()] = value
    company = load_company(options.company, Path.cwd())
    return try_flows(
        company,
        options.tasks,
        given,
        headed=options.headed,
        seed=options.seed,
        profile=options.profile,
        screenshot=options.screenshot,
    )
