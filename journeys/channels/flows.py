"""Plays a company profile's web flows in a customer's browser tab.

Each step is one thing a customer does (:mod:`journeys.company.flows` says what a flow
is). Two ways a flow can stop short are kept apart, because they mean opposite things:

- a step whose target does not answer in time is **broken**: the harness could not go
  on, and the error names the step's profile key, where it is written and the page's
  address (the journey keeps a screenshot);
- a step written with ``missing = "..."`` whose target is not on the page the customer
  reached is **missing**: the customer looked and the company does not offer it, which
  the task turns into a finding.

A ``read`` into ``refusal`` that finds text ends the flow too: the company said no.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from journeys.channels.base import Typing, first_match, resolve
from journeys.company.flows import (
    CARD_PREFIX,
    CUSTOMER_PREFIX,
    PAGE_TEXT,
    REFUSAL,
    CodedTask,
    Flow,
    FlowStep,
    LocatorRef,
    placeholders,
)
from journeys.company.profile import LocatorSpec, WebSpec
from journeys.domain.shopper import Shopper
from journeys.errors import ConfigError, JourneyBroken, first_line

CHANNEL = "web"


@dataclass
class FlowResult:
    """What a flow found out, and why it stopped early if it did."""

    facts: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    refusal: str | None = None
    """What the company said when it said no (a read into ``refusal``)."""
    missing: str | None = None
    """What the customer could not do: a ``missing`` step's target was not on the page."""

    @property
    def stopped(self) -> bool:
        return self.refusal is not None or self.missing is not None


class _Stop(Exception):
    """Ends a flow early: refused or missing (already written into the result)."""


class Missing(Exception):
    """Raised by a page-object module: the customer looked and the company does not offer it."""


class Refused(Exception):
    """Raised by a page-object module: the company said no, in these words."""


_MODULES: dict[Path, ModuleType] = {}


def _module(coded: CodedTask) -> ModuleType:
    """A company's page-object module, imported once per process from its file."""
    if coded.module not in _MODULES:
        name = "mystery_shopper_pages_" + re.sub(r"\W", "_", coded.module.stem)
        spec = importlib.util.spec_from_file_location(name, coded.module)
        if spec is None or spec.loader is None:
            raise ConfigError(f"{coded.module}: cannot be imported as a page-object module")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _MODULES[coded.module] = module
    return _MODULES[coded.module]


class FlowPlayer:
    """Plays flows on one tab, remembering what they find for the flows that follow.

    Args:
        page: gives the tab (opened on first use).
        spec: the company's ``[web]``.
        base_url: where the company's paths start.
        typing: fills fields, masking secrets on screenshots.
        memory: facts found by earlier flows in this tab (a link to the order page).
    """

    def __init__(
        self,
        page: Callable[[], Page],
        spec: WebSpec,
        base_url: str,
        typing: Typing,
        memory: dict[str, str],
    ) -> None:
        self._page = page
        self.spec = spec
        self.base_url = base_url.rstrip("/")
        self.typing = typing
        self.memory = memory
        self.on_step: Callable[[str, int, FlowStep, str], None] | None = None
        """Told of each step once played (task, number, step, what it did): progress."""

    def play(self, task: str, given: Mapping[str, str], shopper: Shopper | None) -> FlowResult:
        """Play the task's flow with what the journey knows; return what it found.

        Raises:
            ConfigError: the profile writes no flow for the task.
            JourneyBroken: a step's target did not answer in time.
        """
        if task not in self.spec.flows:
            raise ConfigError(
                f"{self.spec.written_at}: web.flows: no '{task}' flow, so a customer cannot do that"
                " on the web here; write one (see docs/describe-your-company.md) or use another channel"
            )
        values = dict(self.memory)
        values.update(given)
        if shopper is not None:
            values.update({CUSTOMER_PREFIX + key: value for key, value in shopper.as_dict().items()})
        if self.spec.test_card is not None:
            values.update(
                {
                    CARD_PREFIX + "number": self.spec.test_card,
                    CARD_PREFIX + "expiry": self.spec.card_expiry,
                    CARD_PREFIX + "cvc": self.spec.card_cvc,
                }
            )
        result = FlowResult()
        if task in self.spec.flows.coded:
            self._play_coded(self.spec.flows.coded[task], values, result)
            return result
        with suppress(_Stop):
            self._play(self.spec.flows[task], values, result)
        return result

    def _play_coded(self, coded: CodedTask, values: dict[str, str], result: FlowResult) -> None:
        """Call the page-object module's function for the task with the tab and the facts.

        It returns the facts it found (a list for ``references``); it raises :class:`Missing`
        or :class:`Refused` as a flow's ``missing`` step or ``refusal`` read would end.
        """
        function = getattr(_module(coded), coded.task)
        page = self._page()
        try:
            found = function(page, dict(values))
        except Missing as missing:
            result.missing = str(missing)
            return
        except Refused as refused:
            result.refusal = str(refused)
            return
        except (PlaywrightTimeout, PlaywrightError) as error:
            raise JourneyBroken(
                f"{CHANNEL}: {coded.task} ({coded.place}): could not carry it out on {page.url}:"
                f" {first_line(error)}",
                channel=CHANNEL,
                action=coded.task,
            ) from error
        for name, value in dict(found or {}).items():
            if isinstance(value, list):
                result.lists[name] = [str(item) for item in value]
            elif value is not None:
                self._keep(name, str(value), values, result)

    def _play(self, flow: Flow, values: dict[str, str], result: FlowResult) -> None:
        for number, step in enumerate(flow.steps, start=1):
            if step.if_known is not None and step.if_known not in values:
                continue
            if step.unless_known is not None and step.unless_known in values:
                continue
            if any(values.get(name) != value for name, value in step.when.items()):
                continue
            if step.action == "run":
                assert step.address is not None
                self._play(self.spec.flows[step.address], values, result)
                continue
            with self._step(flow, number, step, values):
                played = self._do(step, values, result)
            if self.on_step is not None:
                doing = self._describe(step, values)
                shown = doing if played else f"{doing}: not on the page, skipped"
                self.on_step(flow.task, number, step, shown)

    @contextmanager
    def _step(self, flow: Flow, number: int, step: FlowStep, values: Mapping[str, str]) -> Iterator[None]:
        """Turn Playwright's failures into a broken journey naming the step and the page."""
        try:
            yield
        except (PlaywrightTimeout, PlaywrightError) as error:
            why = first_line(error)
            if isinstance(error, PlaywrightTimeout):
                why = f"nothing answered within {self.spec.timeout:g} s ({why})"
            page = self._page()
            what = self._describe(step, values)
            raise JourneyBroken(
                f"{CHANNEL}: {flow.task} step {number} ({step.where}, {step.place}): could not {what}"
                f" on {page.url}: {why}",
                channel=CHANNEL,
                action=what,
            ) from error

    def _describe(self, step: FlowStep, values: Mapping[str, str]) -> str:
        if step.action == "go":
            return f"go to {self._address(step, values)}"
        if step.action == "capture" and step.target.key == PAGE_TEXT:
            return "capture the page's address"
        targets = " or ".join(self._shown(target, values) for target in step.targets)
        verb = {
            "wait_for": "wait for",
            "read_all": "read every",
            "capture": f"capture the {step.attribute} of",
        }
        return f"{verb.get(step.action, step.action)} {targets}"

    def _shown(self, target: LocatorRef, values: Mapping[str, str]) -> str:
        """A target as the message shows it: its profile key and what it looked for."""
        if target.key == PAGE_TEXT:
            return "the page's text"
        looked_for = self._spec(target).filled(**values).describe()
        return f"web.locators.{target.key} ({looked_for})" if target.key else looked_for

    def _do(self, step: FlowStep, values: dict[str, str], result: FlowResult) -> bool:
        """Play one step; False when it was optional and its target not on the page."""
        page = self._page()
        if step.action == "go":
            page.goto(self._address(step, values))
            return True
        if step.action == "wait_for":
            combined = self._locate(step.targets[0], values)
            for target in step.targets[1:]:
                combined = combined.or_(self._locate(target, values))
            combined.first.wait_for(state="visible")
            return True
        target = step.target
        if target.key == PAGE_TEXT and step.action == "capture":
            assert step.into is not None
            self._keep(step.into, page.url, values, result)  # the page's own address
            return True
        if target.key == PAGE_TEXT:
            self._read(step, self._page_text(), values, result)
            return True
        locator = self._locate(target, values)
        if step.when_visible and not (locator.count() and locator.first.is_visible()):
            return False
        if step.missing is not None and locator.count() == 0:
            self._stop_missing(step, values, result)
        if step.action == "click":
            locator.first.click()
            page.wait_for_load_state()  # a page the click opened has loaded, as a customer waits
        elif step.action == "fill":
            self.typing.fill(locator.first, self._fill(step.value or "", values, step))
        elif step.action == "check":
            locator.first.check()
        elif step.action == "choose":
            self._choose(step, locator.first, values, result)
        elif step.action == "read":
            self._read(step, locator.first.inner_text().strip(), values, result)
        elif step.action == "read_all":
            texts = [locator.nth(index).inner_text().strip() for index in range(locator.count())]
            pattern = self._pattern(step, values)
            found = [first_match(pattern, text) for text in texts] if pattern else texts
            assert step.into is not None
            result.lists[step.into] = [text for text in found if text]
        elif step.action == "capture":
            raw = locator.first.get_attribute(step.attribute)
            if raw:
                assert step.into is not None
                value = urljoin(page.url, raw) if step.attribute in ("href", "src", "action") else raw
                self._keep(step.into, value, values, result)
        return True

    def _choose(self, step: FlowStep, field: Locator, values: dict[str, str], result: FlowResult) -> None:
        """Pick an option: a drop-down by its label, a radio or checkbox, or a combobox's option."""
        option = self._fill(step.value, values, step) if step.value else None
        kind = field.evaluate(
            "e => [e.tagName.toLowerCase(), (e.getAttribute('type') || '').toLowerCase(),"
            " (e.getAttribute('role') || '').toLowerCase()]"
        )
        tag, kind_type, role = kind
        if tag == "select":
            if option is None:
                raise ConfigError(
                    f'{step.place}: {step.where}: choosing from a drop-down needs option = "..."'
                )
            labels = [text.strip() for text in field.locator("option").all_inner_texts()]
            if option not in labels:
                if step.missing is not None:
                    self._stop_missing(step, values, result)
                close = [label for label in labels if label.casefold() == option.casefold()]
                if close:
                    option = close[0]
            field.select_option(label=option)
        elif kind_type in ("radio", "checkbox") or role in ("radio", "checkbox", "option", "tab"):
            field.check() if kind_type in ("radio", "checkbox") else field.click()
        else:  # a combobox: type into it (or open it, when it is a button), then pick the option
            if option is None:
                raise ConfigError(f'{step.place}: {step.where}: choosing in a combobox needs option = "..."')
            if tag in ("input", "textarea"):
                self.typing.fill(field, option)
            else:
                field.click()
            self._page().locator("[role=option]:visible").first.wait_for()  # its list is open
            offered = self._page().get_by_role("option", name=option, exact=True)
            if step.missing is not None and offered.count() == 0:
                self._stop_missing(step, values, result)
            offered.first.click()

    def _read(self, step: FlowStep, text: str, values: dict[str, str], result: FlowResult) -> None:
        pattern = self._pattern(step, values)
        found = first_match(pattern, text) if pattern else text
        if found:
            assert step.into is not None
            self._keep(step.into, found, values, result)
            if step.into == REFUSAL:
                result.refusal = found
                raise _Stop

    def _keep(self, name: str, value: str, values: dict[str, str], result: FlowResult) -> None:
        values[name] = value
        result.facts[name] = value
        if name != REFUSAL:
            self.memory[name] = value

    def _stop_missing(self, step: FlowStep, values: Mapping[str, str], result: FlowResult) -> None:
        assert step.missing is not None
        result.missing = self._fill(step.missing, values, step)
        raise _Stop

    def _pattern(self, step: FlowStep, values: Mapping[str, str]) -> re.Pattern[str] | None:
        if step.match_text is not None:
            escaped = {name: re.escape(value) for name, value in values.items()}
            return re.compile(self._fill(step.match_text, escaped, step))
        return step.match

    def _locate(self, target: LocatorRef, values: Mapping[str, str]) -> Locator:
        return resolve(self._page(), self._spec(target).filled(**values))

    def _spec(self, target: LocatorRef) -> LocatorSpec:
        """A named locator as the profile has it now; one written in the step as it is."""
        return self.spec.locators.get(target.key, target.spec) if target.key else target.spec

    def _address(self, step: FlowStep, values: Mapping[str, str]) -> str:
        assert step.address is not None
        address = self._fill(self.spec.pages.get(step.address, step.address), values, step)
        return self.base_url + address if address.startswith("/") else address

    def _page_text(self) -> str:
        page = self._page()
        main = page.locator("main")
        return main.first.inner_text() if main.count() else page.inner_text("body")

    @staticmethod
    def _fill(text: str, values: Mapping[str, str], step: FlowStep) -> str:
        """The text with its ``{names}`` filled; a name the journey does not know is the profile's error."""
        for name in placeholders(text):
            if name not in values:
                raise ConfigError(
                    f"{step.place}: {step.where}: fills in {{{name}}}, which this journey does not know"
                    " at this point (no earlier step found it); guard the step with"
                    f' if_known = "{name}" or find it first'
                )
            text = text.replace("{" + name + "}", values[name])
        return text
