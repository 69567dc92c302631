"""The pytest plugin: options, fixtures, and the results written as journeys end.

Options live in one group (``mystery-shopper``). The Playwright options
(``--headed``, ``--slowmo``, ``--tracing`` ...) come from pytest-playwright, whose
fixture ladder this plugin extends: ``browser_type_launch_args`` picks the
Chromium (see :mod:`journeys.runner.browser`), ``journey`` gives each scenario its
customer.

Installed, it is registered by the ``pytest11`` entry point ``journeys.plugin``, which
also brings the shipped steps; a project's own steps (``steps/*.py`` beside its
``features/``, see :mod:`journeys.authoring.project_steps`) are registered here, so a
team's repository needs no ``conftest.py``.

Under pytest-xdist the controller creates the run folder and a folder every
worker shares; the first process that needs the company's server starts it, and
the controller stops it when the session ends.

Before any journey, server or browser starts, the controller checks what the run
was given (feature files, options, folders, browser, company: see
:mod:`journeys.runner.preflight`) and turns each problem into one line of
pytest's usage error.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import types
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from journeys.authoring.project_steps import import_project_steps
from journeys.channels.base import allow_list_proxy, allow_only
from journeys.channels.voice.lines import CallSlots, share_lines
from journeys.company.profile import CompanyProfile, load_company
from journeys.domain.results import RunDirectory, refuse_unwritable_folder
from journeys.domain.shopper import Shopper
from journeys.domain.vocabulary import KNOWN_TAGS
from journeys.errors import ExpectationsNotMet, MysteryShopperError
from journeys.history.runs import History, RunSeries, history_location
from journeys.history.store import refuse_unusable
from journeys.journey.actor import Journey, JourneyIdentity, StepPlace, journey_id_for
from journeys.runner.browser import find_chromium, refuse_non_browser
from journeys.runner.collect import FeatureFile
from journeys.runner.interruption import NOTHING_ENDED, CtrlCInWords, summary_line
from journeys.runner.live import LIVE_MODES
from journeys.runner.live_feed import LiveFeed
from journeys.runner.live_hooks import LiveHooks, feeds_folder
from journeys.runner.order import longest_first
from journeys.runner.pacing import StartPacing
from journeys.runner.preflight import (
    check_tag_expression,
    journey_files,
    only_journeys,
    refuse_bad_journeys,
    refuse_bad_run_name,
    refuse_unreachable,
    run_numbers,
)
from journeys.runner.remote import (
    SharedChromium,
    refuse_unreachable_endpoint,
)
from journeys.runner.scrubbing import keep_scrubbed_trace, scrub_log_records, scrub_report
from journeys.runner.server import SharedServer, server_command
from journeys.scoring.rubric import Rubric, load_rubric
from journeys.scoring.scorecard import Aggregate, Scorecard, aggregate, score_journey
from reports.export import EXPORT_NAME
from reports.html import STATUS_ORDER, render_run_report
from reports.markdown import SUMMARY_NAME
from reports.trends import RunTrends, look_back

WORKER_INPUT_KEY = "mystery_shopper"
LAUNCHING = "journeys.runner.launching"
"""The module of our overrides of pytest-playwright's fixtures, registered once pytest-playwright is."""


@dataclass(frozen=True)
class RunSettings:
    """What every process of a run agrees on."""

    company: CompanyProfile
    profile: str | None
    seed: int
    time_scale: float
    fail_under: float | None
    run_dir: Path
    shared_folder: Path
    controller: bool
    controller_pid: int
    root: Path
    browser_endpoint: str | None = None
    live: bool = False
    """Journeys write what they are doing for the live view (see :mod:`journeys.runner.live`)."""
    expected: dict[str, float] = field(default_factory=dict)
    """Seconds each journey took the last time this series ran it, by journey id: the order
    journeys start in (:mod:`journeys.runner.order`). Read once, by the controller."""


run_settings_key = pytest.StashKey[RunSettings]()
rubric_key = pytest.StashKey[Rubric]()
journey_key = pytest.StashKey[Journey]()
repeat_key = pytest.StashKey[int]()
pacing_key = pytest.StashKey[StartPacing]()
scenario_key = pytest.StashKey[tuple[str, str, int, tuple[str, ...]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mystery-shopper", "mystery-shopper: be your own customer")
    group.addoption(
        "--company",
        default="sandbox",
        help="company profile: a name under companies/ or a .toml path (default: sandbox)",
    )
    group.addoption(
        "--profile",
        default=None,
        help="service profile of the company's local server, e.g. advocate, typical, purgatory "
        "(default: the profile's default_profile)",
    )
    # Numbers are read as text and checked in pytest_configure (see journeys.runner.preflight), so that
    # "--seed x" is one line, not pytest's usage text.
    group.addoption("--seed", default="0", help="seed for shoppers and the sandbox (default: 0)")
    group.addoption(
        "--time-scale",
        default="1",
        help="multiply the demo company's waits (queues, holds, e-mail replies), e.g. 0.05; "
        "its cancellation window stays real (default: 1)",
    )
    group.addoption(
        "--results-dir",
        default="results",
        help="folder that receives one sub-folder per run (default: results)",
    )
    group.addoption(
        "--rubric",
        default="default",
        help="scoring rubric: a name under rubrics/ or a .toml path (default: default)",
    )
    group.addoption(
        "--fail-under",
        default=None,
        metavar="SCORE",
        help="fail the run when its mean score (0-100) is below SCORE",
    )
    group.addoption(
        "--history",
        default=None,
        metavar="PATH",
        help="SQLite run history kept between runs, for trends and regressions "
        "(default: $MYSTERY_SHOPPER_HISTORY, else <results-dir>/history.sqlite3)",
    )
    group.addoption(
        "--repeat",
        default="1",
        metavar="N",
        help="run each journey N times, each time as another customer (for load, and for variety)",
    )
    group.addoption(
        "--calls-at-once",
        default="4",
        metavar="N",
        help="most phone calls the run holds at once; a journey about to call waits for a free line "
        "(default: 4, what the demo company's line takes; this machine carried 8, docs/benchmarks.md)",
    )
    group.addoption(
        "--start-every",
        default="0",
        metavar="SECONDS",
        help="begin successive journeys at least SECONDS apart, across workers, instead of all at "
        "once (a ramp-up for many journeys at once; default: 0)",
    )
    group.addoption(
        "--browser-endpoint",
        default=None,
        metavar="URL",
        help="use a browser that is already running instead of launching one: Playwright's browser "
        "server (ws://HOST:PORT/) or a Chrome DevTools endpoint (http://HOST:PORT)",
    )
    group.addoption(
        "--one-browser",
        action="store_true",
        default=False,
        help="start one Chromium for the whole run and give every worker a context in it, "
        "instead of a Chromium per worker (for many journeys at once)",
    )
    group.addoption(
        "--run-name",
        default=None,
        help="name of this run's folder inside --results-dir (default: time, company, profile)",
    )
    group.addoption(
        "--shard",
        default=None,
        metavar="I/N",
        help="run only the I-th of N equal parts of the journeys (one per CI machine); merge the "
        "shards' folders with: mystery-shopper report SHARD_DIR... --out DIR --record",
    )
    group.addoption(
        "--live",
        default="auto",
        choices=LIVE_MODES,
        help="the live view of the journeys in flight: auto (redrawn in place on a terminal, plain "
        "lines otherwise), lines (plain lines), off; -q shows only a line per journey as it ends "
        "(default: auto)",
    )


def shard_of(text: str) -> tuple[int, int]:
    """ "2/3" -> (2, 3); a one-line usage error for anything else."""
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise pytest.UsageError(f"--shard {text}: say which part of how many, e.g. --shard 1/3")
    return int(index), int(count)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``--repeat N``: every journey N times; each run of it is a test of its own, with a node id
    of its own (``[2of3]``), so another customer and its own record."""
    times = metafunc.config.stash.get(repeat_key, 1)
    if times > 1 and "_pytest_bdd_example" in metafunc.fixturenames:  # a scenario of pytest-bdd
        metafunc.fixturenames.append("journey_repeat")
        metafunc.parametrize(
            "journey_repeat", range(1, times + 1), ids=[f"{n}of{times}" for n in range(1, times + 1)]
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep this shard's journeys (every N-th by node id, so each machine computes the same cut),
    and start the longest first (:mod:`journeys.runner.order`). Every worker orders them alike:
    the expected times come from the controller."""
    chosen = config.getoption("--shard")
    if chosen:
        index, count = shard_of(chosen)
        order = {item.nodeid: position for position, item in enumerate(sorted(items, key=lambda i: i.nodeid))}
        kept = [item for item in items if order[item.nodeid] % count == index - 1]
        dropped = [item for item in items if order[item.nodeid] % count != index - 1]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    settings = config.stash.get(run_settings_key, None)
    journeys = [item for item in items if "_pytest_bdd_example" in getattr(item, "fixturenames", ())]
    if settings is None or len(journeys) != len(items):
        return  # not a run of journeys only (the project's own tests keep their order)
    starts = longest_first(
        [item.nodeid for item in items],
        [{marker.name for marker in item.iter_markers()} for item in items],
        settings.expected,
    )
    items[:] = [items[position] for position in starts]


def _last_durations(config: pytest.Config, settings: RunSettings) -> dict[str, float]:
    """What each journey took when this run's series last ran it; nothing if it never did."""
    path, _named = history_location(config.getoption("--history"), settings.run_dir.parent)
    company = settings.company
    series = RunSeries(
        company.key,
        settings.profile or (company.server.default_profile if company.server else None),
        settings.time_scale if company.server else 1.0,
    )
    if not path.is_file():
        return {}
    try:
        with History.open(path) as history:
            return history.last_durations(series)
    except (MysteryShopperError, OSError, sqlite3.Error):
        return {}  # the history is the run's to report on at its end, not its order's


PLAYWRIGHTS_OWN_WARNING = (
    "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
)
"""pytest-playwright 0.10 defines its ``base_url`` fixture as a method: not ours to change, nor a
team's to read on every run of its journeys."""


def pytest_configure(config: pytest.Config) -> None:
    for tag in KNOWN_TAGS:
        config.addinivalue_line("markers", f"{tag}: journeys tagged @{tag}")
    config.addinivalue_line("filterwarnings", PLAYWRIGHTS_OWN_WARNING)
    worker_input: dict[str, Any] | None = getattr(config, "workerinput", None)
    shared_folder: Path | None = None
    if worker_input is not None and WORKER_INPUT_KEY in worker_input:
        shared = json.loads(worker_input[WORKER_INPUT_KEY])
        run_dir, shared_folder = Path(shared["run_dir"]), Path(shared["shared_folder"])
        controller, controller_pid = False, int(shared["controller_pid"])
        browser_endpoint = shared["browser_endpoint"]
        live_kind, live_stream, live = "off", None, bool(shared.get("live"))
        expected = {str(key): float(value) for key, value in shared.get("expected", {}).items()}
    else:
        run_dir = _run_folder(config)
        controller, controller_pid = True, os.getpid()
        browser_endpoint = config.getoption("--browser-endpoint")
        if browser_endpoint and config.getoption("--one-browser"):
            raise pytest.UsageError(
                "--one-browser starts a browser, --browser-endpoint uses one already running: give one"
            )
        live_kind, live_stream = LiveHooks.wanted(config, config.getoption("--live"))
        live = live_kind in ("lines", "block")
        expected = {}
    root = Path(config.rootpath)
    try:
        numbers = run_numbers(
            seed=config.getoption("--seed"),
            time_scale=config.getoption("--time-scale"),
            fail_under=config.getoption("--fail-under"),
            repeat=config.getoption("--repeat"),
            calls_at_once=config.getoption("--calls-at-once"),
            start_every=config.getoption("--start-every"),
        )
        company = load_company(config.getoption("--company"), root)
        project_steps = import_project_steps(root)
    except MysteryShopperError as error:
        raise pytest.UsageError(str(error)) from error
    for module in project_steps:  # a project's steps/ beside ours, with no conftest.py to edit
        if not config.pluginmanager.is_registered(module):
            config.pluginmanager.register(module, module.__name__)
    if config.getoption("--profile") and company.server is None:
        raise pytest.UsageError(
            f"--profile applies to a company with a local [server]; {company.path} has none"
        )
    settings = RunSettings(
        company=company,
        profile=config.getoption("--profile"),
        seed=numbers.seed,
        time_scale=numbers.time_scale,
        fail_under=numbers.fail_under,
        run_dir=run_dir,
        shared_folder=shared_folder or Path(tempfile.mkdtemp(prefix="mystery-shopper-")),
        controller=controller,
        controller_pid=controller_pid,
        root=root,
        browser_endpoint=browser_endpoint,
        live=live,
        expected=expected,
    )
    if controller:
        settings.expected.update(_last_durations(config, settings))
    config.stash[run_settings_key] = settings
    config.stash[repeat_key] = numbers.repeat
    config.stash[pacing_key] = StartPacing(settings.shared_folder / "next-start", numbers.start_every)
    share_lines(CallSlots(settings.shared_folder / "call-lines", numbers.calls_at_once))
    config.add_cleanup(lambda: share_lines(None))
    config.add_cleanup(scrub_log_records(company.secrets))
    if controller:
        try:
            config.stash[rubric_key] = load_rubric(config.getoption("--rubric"), root)
        except MysteryShopperError as error:
            raise pytest.UsageError(str(error)) from error
    config.pluginmanager.register(FeatureCollector(), "mystery-shopper-features")
    config.pluginmanager.import_plugin(LAUNCHING)  # after pytest-playwright, whatever loaded first
    config.pluginmanager.register(CtrlCInWords(config), "mystery-shopper-ctrl-c")
    files = journey_files(config.args) if controller else []
    if files:
        try:  # fail in one line now rather than in every journey later
            _preflight(config, settings, files)
        except MysteryShopperError as error:
            _cleanup(settings)
            if live_stream is not None:
                live_stream.close()
            raise pytest.UsageError(*settings.company.secrets.scrub(str(error)).splitlines()) from error
    if controller and config.getoption("--one-browser") and not config.getoption("collectonly"):
        _start_one_browser(config, settings)
    if live_stream is not None:
        hooks = LiveHooks(
            config,
            kind=live_kind,
            stream=live_stream,
            shared_folder=settings.shared_folder,
            run_dir=settings.run_dir,
            rubric=config.stash[rubric_key],
            secrets=company.secrets,
            time_scale=settings.time_scale if company.server else 1.0,
        )
        config.pluginmanager.register(hooks, "mystery-shopper-live")
        config.add_cleanup(hooks.stop)


def _start_one_browser(config: pytest.Config, settings: RunSettings) -> None:
    """Start the run's one Chromium (``--one-browser``); every process reaches it by its endpoint."""
    shared = SharedChromium(find_chromium())
    try:
        endpoint = shared.start()
    except MysteryShopperError as error:
        _cleanup(settings)
        raise pytest.UsageError(str(error)) from error
    config.add_cleanup(shared.stop)
    config.stash[run_settings_key] = dataclasses.replace(settings, browser_endpoint=endpoint)


def _run_folder(config: pytest.Config) -> Path:
    """This run's folder (``--results-dir`` / ``--run-name``), once the shard and the name are sound."""
    if config.getoption("--shard"):
        shard_of(config.getoption("--shard"))
    run_name = config.getoption("--run-name")
    if run_name is not None:
        try:
            refuse_bad_run_name(run_name)
        except MysteryShopperError as error:
            raise pytest.UsageError(str(error)) from error
    if not run_name:
        company_name = Path(config.getoption("--company")).stem
        profile_name = Path(config.getoption("--profile") or "default").stem
        run_name = f"{time.strftime('%Y%m%d-%H%M%S')}-{company_name}-{profile_name}"
    return Path(config.getoption("--results-dir")).resolve() / str(run_name)


def _preflight(config: pytest.Config, settings: RunSettings, files: list[Path]) -> None:
    """Everything a run of these feature files can check before its first journey, cheapest first.

    See :mod:`journeys.runner.preflight`. Warnings go to standard error, one line each.

    Raises:
        MysteryShopperError: one line per problem.
    """
    step_modules = sorted(
        (plugin for plugin in config.pluginmanager.get_plugins() if isinstance(plugin, types.ModuleType)),
        key=lambda module: module.__name__,
    )
    scenario_tags, warnings = refuse_bad_journeys(files, settings.company, step_modules)
    expression = config.getoption("markexpr")
    if expression:
        markers = (line.split(":")[0].split("(")[0].strip() for line in config.getini("markers"))
        warnings += check_tag_expression(
            expression, scenario_tags, journeys_only=only_journeys(config.args), markers=markers
        )
    for warning in warnings:
        sys.stderr.write(f"mystery-shopper: warning: {warning}\n")
    refuse_unwritable_folder(settings.run_dir.parent, f"--results-dir {config.getoption('--results-dir')}")
    refuse_unwritable_folder(settings.run_dir, f"the run folder {settings.run_dir}")
    if not config.getoption("--shard"):
        history, named = history_location(config.getoption("--history"), settings.run_dir.parent)
        refuse_unusable(history, named, writing=True)
    junit = config.getoption("xmlpath", None)  # pytest's --junitxml, written only at the end
    if junit:
        refuse_unwritable_folder(Path(junit).parent, f"--junitxml {junit}: its folder {Path(junit).parent}")
    if settings.browser_endpoint:
        refuse_unreachable_endpoint(settings.browser_endpoint)
    elif _launches_our_chromium(config):
        refuse_non_browser(find_chromium(headed=bool(config.getoption("--headed", False))))
    company = company_with_server(settings)
    if settings.company.server is None:
        refuse_unreachable(company)


def _launches_our_chromium(config: pytest.Config) -> bool:
    """Whether journeys launch the Chromium :func:`find_chromium` picks (see ``browser_type_launch_args``)."""
    browsers = config.getoption("--browser", None) or ["chromium"]
    return "chromium" in browsers and not config.getoption("--browser-channel", None)


class FeatureCollector:
    """Collects ``.feature`` files (kept in a class so it registers once per config)."""

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
        if file_path.suffix == ".feature":
            collected: pytest.Collector = FeatureFile.from_parent(parent, path=file_path)
            return collected
        return None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: hand every worker the run's folders."""
    settings = node.config.stash[run_settings_key]
    node.workerinput[WORKER_INPUT_KEY] = json.dumps(
        {
            "run_dir": str(settings.run_dir),
            "shared_folder": str(settings.shared_folder),
            "controller_pid": settings.controller_pid,
            "browser_endpoint": settings.browser_endpoint,
            "live": settings.live,
            "expected": settings.expected,
        }
    )


def _cleanup(settings: RunSettings) -> None:
    shared = SharedServer(settings.shared_folder)
    shared.stop()
    shared.keep_log(settings.run_dir, settings.company.secrets.scrub)
    shutil.rmtree(settings.shared_folder, ignore_errors=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    settings = config.stash.get(run_settings_key, None)
    if settings is not None and settings.controller:
        _cleanup(settings)


def company_with_server(settings: RunSettings) -> CompanyProfile:
    """The company profile with its address, its local server started if it has one."""
    company = settings.company
    if company.server is None:
        return company
    command = server_command(
        company.server,
        profile=settings.profile,
        seed=settings.seed,
        time_scale=settings.time_scale,
        parent_pid=settings.controller_pid,
    )
    running = SharedServer(settings.shared_folder).get(company.server, command, settings.root)
    return company.with_base_url(running.url, running.said)


@pytest.fixture(scope="session")
def run_settings(pytestconfig: pytest.Config) -> RunSettings:
    """What this run agreed on: company, service profile, seed, folders."""
    return pytestconfig.stash[run_settings_key]


@pytest.fixture(scope="session")
def company(run_settings: RunSettings) -> CompanyProfile:
    """The company under test, reachable (its local server started when it has one)."""
    try:
        return company_with_server(run_settings)
    except MysteryShopperError as error:
        pytest.exit(run_settings.company.secrets.scrub(f"mystery-shopper: {error}"), returncode=4)


@pytest.fixture(scope="session")
def run_directory(run_settings: RunSettings, company: CompanyProfile) -> RunDirectory:
    """Where this run's journey records and artifacts go."""
    return RunDirectory(run_settings.run_dir, company.secrets)


@pytest.fixture
def journey(
    request: pytest.FixtureRequest,
    run_settings: RunSettings,
    company: CompanyProfile,
    run_directory: RunDirectory,
) -> Iterator[Journey]:
    """The customer of one scenario; its record is written when the scenario ends."""
    request.config.stash[pacing_key].wait_for_turn()  # --start-every: before the journey's clock
    name, feature, line, tags = request.node.stash.get(
        scenario_key, (request.node.name, str(request.node.path), 0, ())
    )
    identity = JourneyIdentity(
        journey_id=journey_id_for(request.node.nodeid),
        name=name,
        feature=feature,
        line=line,
        tags=tags,
        company=company.key,
        profile=run_settings.profile or (company.server.default_profile if company.server else None),
        seed=run_settings.seed,
        time_scale=run_settings.time_scale if company.server else 1.0,
    )

    def browser_context() -> BrowserContext:
        if "proxy" in request.getfixturevalue("browser_context_args"):  # the team's own proxy
            context: BrowserContext = request.getfixturevalue("context")
            allow_only(context, company.allowed_hosts)
            return context
        # pytest-playwright's contexts, closed (and traced, recorded) as its own
        new_context = request.getfixturevalue("new_context")
        context = new_context(proxy=allow_list_proxy(company.allowed_hosts))
        return context

    current = Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(run_settings.seed, request.node.nodeid, company.countries),
        browser_context=browser_context,
        run_dir=run_directory,
    )
    request.node.stash[journey_key] = current
    if run_settings.live:
        feed = LiveFeed(feeds_folder(run_settings.shared_folder), identity.journey_id, name, company.secrets)
        feed.started(current.started_at)
        current.watch(feed)
    if request.config.getoption("--tracing", "off") != "off":
        traced = Path(request.getfixturevalue("output_path"))
        _traces_to_keep[request.node.nodeid] = (traced, run_directory, identity.journey_id)
    yield current
    run_directory.write(current.result())


_traces_to_keep: dict[str, tuple[Path, RunDirectory, str]] = {}
"""Per test: where pytest-playwright leaves its trace, and the journey it belongs to."""


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    """Keep a journey's Playwright trace (``--tracing on``) with its other evidence.

    pytest-playwright writes the trace into its own output folder after the test's last
    report; moving it under ``artifacts/<journey>/`` puts it in the run folder, where the
    journey's page links it and a CI artifact upload takes it along, scrubbed of the
    run's secrets on the way (:mod:`journeys.runner.scrubbing`).
    """
    kept = _traces_to_keep.pop(nodeid, None)
    if kept is None:
        return
    source, run_directory, journey_id = kept
    for trace in sorted(source.glob("trace*.zip")) if source.is_dir() else []:
        target = run_directory.artifact_path(journey_id, trace.name)
        keep_scrubbed_trace(trace, target, run_directory.secrets)


@pytest.fixture
def shopper(journey: Journey) -> Shopper:
    """The fake customer of this journey."""
    return journey.shopper


def _journey_of(request: pytest.FixtureRequest) -> Journey | None:
    node: pytest.Item = request.node
    return node.stash.get(journey_key, None)


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    tags = tuple(sorted(set(feature.tags) | set(scenario.tags)))
    request.node.stash[scenario_key] = (
        scenario.name,
        feature.rel_filename,
        scenario.line_number,
        tags,
    )
    request.getfixturevalue("journey")


def pytest_bdd_before_step(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Callable[..., Any],
) -> None:
    current = _journey_of(request)
    if current is not None:
        current.current_step = StepPlace(
            f"{step.keyword} {step.name}", feature.rel_filename, step.line_number
        )


def pytest_bdd_step_error(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Callable[..., Any],
    step_func_args: dict[str, Any],
    exception: Exception,
) -> None:
    current = _journey_of(request)
    if current is not None and current.breakage is None:
        current.mark_broken(exception)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Show unmet expectations as the findings they are, not as a traceback; never a secret."""
    report = yield
    if call.excinfo is not None and isinstance(call.excinfo.value, ExpectationsNotMet):
        report.longrepr = str(call.excinfo.value)
    scrub_report(report, item.config.stash[run_settings_key].company.secrets)
    return report


def pytest_bdd_after_step(
    request: pytest.FixtureRequest,
    feature: Any,
    scenario: Any,
    step: Any,
    step_func: Callable[..., Any],
    step_func_args: dict[str, Any],
) -> None:
    current = _journey_of(request)
    if current is not None and step is scenario.steps[-1]:
        current.completed = True


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Fail a scenario that ran to its end with unmet expectations (soft assertions)."""
    current = _journey_of(request)
    if current is None or current.breakage is not None or not current.completed:
        return  # broken, or stopped before its last step: reported as such
    if current.findings:
        lines = [f"{len(current.findings)} expectation(s) not met in {feature.rel_filename}:"]
        lines += [
            f"  {finding.feature}:{finding.line}: {finding.expectation}: {finding.observed}"
            for finding in current.findings
        ]
        raise ExpectationsNotMet("\n".join(lines))


@dataclass(frozen=True)
class RunOutcome:
    """What the end of a run tells a person: counts, scores, the report, the gate.

    ``cut_short`` names the journeys a Ctrl-C stopped (``name (feature:line)``); it is
    None for a run that went to its end.
    """

    report: Path
    statuses: Counter[str]
    rubric: str
    scores: Aggregate
    gate: str | None
    history: str
    regressions: tuple[str, ...]
    cut_short: tuple[str, ...] | None = None


outcome_key = pytest.StashKey[RunOutcome]()


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> Iterator[None]:
    """Once pytest has torn the last journeys down, score them and render the report.

    The innermost wrapper, so that it runs after the teardown: a journey cut short by
    Ctrl-C writes its record (``interrupted``) as its fixtures are torn down, and must be
    in the report and the terminal's counts. After Ctrl-C, closing the browser fails
    (Ctrl-C reached it too): that says nothing the summary does not, so it is not shown.
    """
    teardown_error: Exception | None = None
    try:
        yield
    except Exception as error:
        teardown_error = error
    _finish_run(session)
    if teardown_error is not None and session.exitstatus != pytest.ExitCode.INTERRUPTED:
        raise teardown_error


def _finish_run(session: pytest.Session) -> None:
    """Score the journeys, render the report, and apply --fail-under (controller only)."""
    settings = session.config.stash.get(run_settings_key, None)
    if settings is None or not settings.controller:
        return
    records = list(RunDirectory(settings.run_dir).records())
    if not records:
        return
    rubric = session.config.stash[rubric_key]
    scorecards = [score_journey(record, rubric) for record in records]
    scores = aggregate(zip(scorecards, records, strict=True))
    interrupted = session.exitstatus == pytest.ExitCode.INTERRUPTED
    history, regressions, trends = _remember(session.config, settings, scorecards, interrupted)
    path = render_run_report(
        settings.run_dir, records, scorecards, scores, regressions, history, trends=trends
    )
    gate = None
    fail_under = settings.fail_under
    if fail_under is not None and (scores.run.mean is None or scores.run.mean < fail_under):
        shown = (
            "no journey was scored" if scores.run.mean is None else f"the mean score is {scores.run.mean:g}"
        )
        gate = f"{shown}, under --fail-under {fail_under:g}"
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    statuses = Counter(record["status"] for record in records)
    cut_short = tuple(
        f"{record['name']} ({record['feature']}:{record['line']})"
        for record in records
        if record["status"] == "interrupted"
    )
    session.config.stash[outcome_key] = RunOutcome(
        path,
        statuses,
        rubric.name,
        scores,
        gate,
        history,
        tuple(regressions),
        cut_short=cut_short if interrupted else None,
    )


def _remember(
    config: pytest.Config, settings: RunSettings, scorecards: list[Scorecard], interrupted: bool
) -> tuple[str, list[str], RunTrends | None]:
    """Record the run in the history; what got worse against earlier runs of its series, and its trends.

    The journey records are already on disk, so a history that cannot be written
    costs the trend, never the run: it is said in one line and the run goes on.
    """
    path, _named = history_location(config.getoption("--history"), settings.run_dir.parent)
    shard = config.getoption("--shard")
    if shard:
        why = f"shard {shard}: record the merged run with mystery-shopper report --record"
        return f"not recorded ({why})", [], None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with History.open(path) as history:
            run = history.record_run(
                settings.run_dir,
                name=settings.run_dir.name,
                scores={card.journey_id: card.score for card in scorecards},
                status="interrupted" if interrupted else "complete",
            )
            looked = look_back(history, run.name, path)
    except (MysteryShopperError, OSError) as error:
        return f"not recorded ({error})", [], None
    return looked.sentence, list(looked.regressions), looked.trends


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """A few lines a person can act on: what the journeys did, the score, where the report is."""
    if outcome_key not in config.stash:
        settings = config.stash.get(run_settings_key, None)
        if exitstatus == pytest.ExitCode.INTERRUPTED and settings is not None and settings.controller:
            terminalreporter.write_sep("-", "mystery-shopper")
            terminalreporter.write_line(NOTHING_ENDED)
        return
    outcome = config.stash[outcome_key]
    counts = ", ".join(
        f"{outcome.statuses[status]} {status}" for status in STATUS_ORDER if outcome.statuses[status]
    )
    terminalreporter.write_sep("-", "mystery-shopper")
    if outcome.cut_short is not None:
        journeys = sum(outcome.statuses.values())
        terminalreporter.write_line(summary_line(journeys, outcome.cut_short), yellow=True)
    terminalreporter.write_line(f"journeys: {counts}")
    settings = config.stash.get(run_settings_key, None)
    if settings is not None and (ended := SharedServer(settings.shared_folder).ended_early()):
        where = settings.run_dir / "server.log"
        terminalreporter.write_line(f"{ended}: journeys after that broke (its log: {where})", red=True)
    run = outcome.scores.run
    if run.mean is not None:
        channels = ", ".join(
            f"{channel} {summary.mean:g}"
            for channel, summary in sorted(outcome.scores.by_channel.items())
            if summary.mean is not None
        )
        terminalreporter.write_line(f"score: {run.mean:g} of 100 (rubric {outcome.rubric}; {channels})")
    if outcome.gate:
        terminalreporter.write_line(f"FAILED the score gate: {outcome.gate}", red=True)
    terminalreporter.write_line(f"history: {outcome.history}")
    for sentence in outcome.regressions[:5]:
        terminalreporter.write_line(f"regression: {sentence}", yellow=True)
    if len(outcome.regressions) > 5:
        terminalreporter.write_line(f"... and {len(outcome.regressions) - 5} more in the report")
    terminalreporter.write_line(f"report: {outcome.report}")
    folder = outcome.report.parent
    terminalreporter.write_line(f"exports: {folder / SUMMARY_NAME} {folder / EXPORT_NAME}")
