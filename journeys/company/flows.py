"""Web flows: what a customer does on the company's site, step by step, as its profile writes it.

A real shop's checkout is spread over pages of its own making; no code can guess them.
So each web task (buy, open an order, cancel, return, read its claims, track a repair)
is a list of steps in the company profile, one per line::

    [web.flows]
    place_order = [
      { go = "/" },
      { click = { role = "link", name = "{product}", exact = true } },
      { fill = { label = "Email" }, with = "{customer.email}" },
      { choose = { label = "Country" }, option = "{customer.country}" },
      { click = "place_order" },
      { read = "page", match = "order_number", into = "order_number" },
    ]

This module holds what a flow *is*, read and checked with file:line; the web channel
(:mod:`journeys.channels.flows`) plays it in a browser. The tasks, the facts each one
is given and the facts it must leave behind are listed in :data:`TASKS`.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from journeys.domain.shopper import SHOPPER_FIELDS

ACTIONS: tuple[str, ...] = (
    "go",
    "click",
    "fill",
    "choose",
    "check",
    "wait_for",
    "read",
    "read_all",
    "capture",
    "run",
)
"""The kinds of step; exactly one names each step."""

OPTIONS: dict[str, tuple[str, ...]] = {
    "go": (),
    "click": ("missing",),
    "fill": ("with", "missing"),
    "choose": ("option", "missing"),
    "check": ("missing",),
    "wait_for": (),
    "read": ("into", "match", "missing"),
    "read_all": ("into", "match"),
    "capture": ("into", "attribute", "missing"),
    "run": (),
}
CONDITIONS: tuple[str, ...] = ("when_visible", "if_known", "unless_known", "when")
"""What makes a step optional: its target is on screen now, a fact is (not) known, or facts
have given values (``when = { "customer.country" = "United States" }``)."""

PAGE_TEXT = "page"
"""``read = "page"``: the text of the page's main content (or its body); ``capture = "page"``:
the page's own address."""

REFUSAL = "refusal"
"""A fact that, once read with any text in it, ends the flow: the company said no."""


@dataclass(frozen=True)
class Task:
    """One web task: what a flow for it is given, and what it must find out."""

    purpose: str
    given: tuple[str, ...]
    finds: tuple[str, ...]
    """Facts the task's callers read; ``refusal`` may stand in for them."""


TASKS: dict[str, Task] = {
    "place_order": Task(
        "buy a product with a shipping method",
        ("product", "shipping_method", "quantity"),
        ("order_number",),
    ),
    "open_order": Task(
        "open an order's page and read its status (also: where is my order?)",
        ("order_number",),
        ("status",),
    ),
    "cancel_order": Task("cancel an order", ("order_number",), ("answer",)),
    "request_return": Task("return an order", ("order_number", "reason"), ("return_reference",)),
    "list_aftercare": Task(
        "read the returns, warranty cases and repairs listed on an order (or a ticket's linked cases)",
        ("order_number",),
        ("references",),
    ),
    "track_repair": Task("track a repair by its reference", ("reference",), ("found",)),
    "write_to_desk": Task(
        "write to the support desk through its form: the confirmation's reference, the ticket page",
        ("subject", "message", "topic"),
        ("ticket",),
    ),
    "reply_on_desk": Task(
        "answer on the ticket page (a refusal: the desk would not take it)", ("ticket", "message"), ()
    ),
}

CUSTOMER_PREFIX = "customer."
CARD_FIELDS: tuple[str, ...] = ("number", "expiry", "cvc")
CARD_PREFIX = "card."


@dataclass(frozen=True)
class LocatorRef:
    """A step's target: one of the profile's named locators, or one written in the step."""

    key: str | None
    """The name under ``[web.locators]``; None when written in the step."""
    spec: Any
    """The :class:`~journeys.company.profile.LocatorSpec` (typed loosely: it lives in profile)."""

    def describe(self) -> str:
        return f"web.locators.{self.key}" if self.key else self.spec.describe()


@dataclass(frozen=True)
class FlowStep:
    """One line of a flow."""

    action: str
    where: str
    """Its dotted key, ``web.flows.place_order.3``."""
    place: str
    """Where it is written, ``companies/acme.toml:57``."""
    address: str | None = None
    """``go``: a page name, a path, an address or a ``{fact}``; ``run``: a flow's name."""
    targets: tuple[LocatorRef, ...] = ()
    value: str | None = None
    """``fill``: what to type; ``choose``: the option to pick."""
    into: str | None = None
    match: re.Pattern[str] | None = None
    match_text: str | None = None
    """``match`` as written, when it holds ``{placeholders}`` filled at run time."""
    attribute: str = "href"
    missing: str | None = None
    """When the target is not on the page the customer reached: what they could not do."""
    when_visible: bool = False
    if_known: str | None = None
    unless_known: str | None = None
    when: Mapping[str, str] = field(default_factory=dict)

    @property
    def target(self) -> LocatorRef:
        return self.targets[0]


@dataclass(frozen=True)
class Flow:
    """A task's steps, in order."""

    task: str
    steps: tuple[FlowStep, ...]
    place: str = ""


@dataclass(frozen=True)
class CodedTask:
    """A task a company's page-object module does in Python (the escape hatch)."""

    task: str
    module: Path
    line: int

    @property
    def place(self) -> str:
        return f"{self.module}:{self.line}"


@dataclass(frozen=True)
class Flows:
    """Every flow a profile writes, by task, and the tasks its page-object module codes."""

    by_task: Mapping[str, Flow] = field(default_factory=dict)
    coded: Mapping[str, CodedTask] = field(default_factory=dict)

    def __contains__(self, task: object) -> bool:
        return task in self.by_task or task in self.coded

    def __getitem__(self, task: str) -> Flow:
        return self.by_task[task]

    def captured(self) -> set[str]:
        """Every fact some step of some flow finds (``into``)."""
        return {step.into for flow in self.by_task.values() for step in flow.steps if step.into}


class Checker(Protocol):
    """What reading a flow needs from the profile's reader (file:line errors, locators)."""

    def fail(self, dotted: str, problem: str) -> Exception: ...

    def place(self, dotted: str) -> str: ...

    def locator(self, data: Any, where: str) -> Any: ...

    def interpolate(self, value: str, where: str) -> str: ...


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}")


def placeholders(text: str) -> list[str]:
    """The ``{names}`` a text fills in, in order (``{customer.email}`` included; a
    regular expression's ``{6}`` is not one)."""
    return _PLACEHOLDER.findall(text)


def read_flows(
    checker: Checker,
    data: Any,
    *,
    locators: Mapping[str, Any],
    patterns: Mapping[str, re.Pattern[str]],
    pages: Mapping[str, str],
    has_card: bool,
) -> Flows:
    """``[web.flows]``: each task's steps, checked against what the profile names.

    Args:
        checker: the profile's reader.
        data: the parsed table.
        locators, patterns, pages: the profile's named ones, which steps may name.
        has_card: whether the profile has a test card for ``{card.number}`` and the like.
    """
    if not isinstance(data, dict):
        raise checker.fail("web.flows", 'must be a table of flows, e.g. place_order = [ { go = "/" }, ... ]')
    flows: dict[str, Flow] = {}
    for task, items in data.items():
        where = f"web.flows.{task}"
        if task not in TASKS:
            close = difflib.get_close_matches(task, TASKS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(TASKS)}"
            raise checker.fail(where, f"no web task is called '{task}' ({hint})")
        if not isinstance(items, list) or not items:
            raise checker.fail(where, 'must list the steps, one per line: [ { go = "/" }, { click = ... } ]')
        steps = tuple(
            _read_step(checker, item, f"{where}.{index}", locators, patterns, pages)
            for index, item in enumerate(items)
        )
        flows[task] = Flow(task, steps, checker.place(where))
    for flow in flows.values():
        for step in flow.steps:
            if step.action == "run" and step.address not in flows:
                raise checker.fail(
                    step.where, f"runs the flow '{step.address}', which this profile does not write"
                )
            if step.action == "run" and step.address == flow.task:
                raise checker.fail(step.where, "a flow cannot run itself")
    known = known_facts(Flows(flows), has_card=has_card)
    for flow in flows.values():
        for step in flow.steps:
            _check_placeholders(checker, step, known, pages)
    return Flows(flows)


JOURNEY_FACTS: tuple[str, ...] = (
    "product",
    "shipping_method",
    "quantity",
    "order_number",
    "reason",
    "reference",
    "serial_number",
    "purchase_date",
    "return_reference",
    "subject",
    "message",
    "topic",
    "mail_link",
)
"""What a journey may know when a flow starts, besides the persona and the test card (the
desk's flows are also given what the customer writes: its subject, message and topic)."""


def known_facts(flows: Flows, *, has_card: bool) -> set[str]:
    """Every ``{name}`` a flow may fill: the journey's facts, the persona, the test card
    (when the profile has one), and whatever some flow finds."""
    names = {*JOURNEY_FACTS, *flows.captured()}
    names |= {CUSTOMER_PREFIX + name for name in SHOPPER_FIELDS}
    if has_card:
        names |= {CARD_PREFIX + name for name in CARD_FIELDS}
    return names


def _check_placeholders(checker: Checker, step: FlowStep, known: set[str], pages: Mapping[str, str]) -> None:
    texts = [
        step.value,
        step.missing,
        step.match_text,
        step.if_known and "{" + step.if_known + "}",
        step.unless_known and "{" + step.unless_known + "}",
        *("{" + name + "}" for name in step.when),
    ]
    if step.action == "go" and step.address is not None:
        texts.append(pages.get(step.address, step.address))
    for target in step.targets:
        spec = target.spec
        while spec is not None:
            texts += [spec.value, spec.name, spec.has_text]
            spec = spec.within
    for text in texts:
        for name in placeholders(text or ""):
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f"did you mean '{{{close[0]}}}'?" if close else f"known: {', '.join(sorted(known))}"
                if name in {CARD_PREFIX + field for field in CARD_FIELDS}:
                    hint = "the profile has no [web] test_card"
                raise checker.fail(step.where, f"fills in {{{name}}}, which no journey knows ({hint})")


def _read_step(
    checker: Checker,
    item: Any,
    where: str,
    locators: Mapping[str, Any],
    patterns: Mapping[str, re.Pattern[str]],
    pages: Mapping[str, str],
) -> FlowStep:
    if not isinstance(item, dict):
        raise checker.fail(where, f"must be an inline table naming one action ({', '.join(ACTIONS)})")
    actions = [key for key in item if key in ACTIONS]
    if len(actions) != 1:
        raise checker.fail(
            where, f"must name exactly one action of {', '.join(ACTIONS)} (found {len(actions)})"
        )
    action = actions[0]
    allowed = (action, *OPTIONS[action], *CONDITIONS)
    for key in item:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = (
                f" (did you mean '{close[0]}'?)" if close else f" ({action} takes {', '.join(allowed[1:])})"
            )
            raise checker.fail(f"{where}.{key}", f"unknown key '{key}' for a {action} step{hint}")
    texts = {
        key: _text(checker, item, where, key)
        for key in ("with", "option", "into", "attribute", "missing", "if_known", "unless_known")
    }
    when = item.get("when", {})
    if not isinstance(when, dict) or not all(isinstance(value, str) for value in when.values()):
        raise checker.fail(
            f"{where}.when", 'must be a table of facts and values: { "customer.country" = "Canada" }'
        )
    when_visible = item.get("when_visible", False)
    if not isinstance(when_visible, bool):
        raise checker.fail(f"{where}.when_visible", "must be true or false")
    step: dict[str, Any] = {
        "action": action,
        "where": where,
        "place": checker.place(where),
        "when_visible": when_visible,
        "if_known": texts["if_known"],
        "unless_known": texts["unless_known"],
        "missing": texts["missing"],
        "when": dict(when),
    }
    value = item[action]
    if action in ("go", "run"):
        if not isinstance(value, str) or not value.strip():
            what = 'a page name, a path such as "/cart" or a {fact}' if action == "go" else "a flow's name"
            raise checker.fail(f"{where}.{action}", f"must be {what}")
        if action == "go" and not (value in pages or value.startswith(("/", "http://", "https://", "{"))):
            raise checker.fail(
                f"{where}.go",
                f"'{value}' is neither a page of [web.pages] nor a path starting with '/' nor a {{fact}}",
            )
        step["address"] = value
    else:
        many = value if action == "wait_for" and isinstance(value, list) else [value]
        if not many:
            raise checker.fail(f"{where}.{action}", "lists nothing to wait for")
        step["targets"] = tuple(_target(checker, one, f"{where}.{action}", locators) for one in many)
    if action == "fill" and texts["with"] is None:
        raise checker.fail(where, 'a fill step needs with = "{customer.email}" (or another text)')
    if action in ("read", "read_all", "capture") and texts["into"] is None:
        raise checker.fail(where, f'a {action} step needs into = "<fact>", the name of what it finds')
    step["value"] = texts["with"] if action == "fill" else texts["option"]
    step["into"] = texts["into"]
    if texts["attribute"] is not None:
        step["attribute"] = texts["attribute"]
    if "match" in item:
        written = _text(checker, item, where, "match")
        assert written is not None
        if written in patterns:
            step["match"] = patterns[written]
        elif placeholders(written):
            step["match_text"] = written
        else:
            try:
                step["match"] = re.compile(written)
            except re.error as error:
                raise checker.fail(
                    f"{where}.match",
                    f"is neither a pattern of [web.patterns] nor a valid regular expression ({error})",
                ) from error
    if step["when_visible"] and action in ("go", "run", "wait_for"):
        raise checker.fail(f"{where}.when_visible", f"a {action} step has no target to be visible")
    if step["missing"] is not None and step["when_visible"]:
        raise checker.fail(
            where, "a step is either optional (when_visible) or says what is missing, not both"
        )
    return FlowStep(**step)


def _text(checker: Checker, item: Mapping[str, Any], where: str, key: str) -> str | None:
    if key not in item:
        return None
    value = item[key]
    if not isinstance(value, str) or not value:
        raise checker.fail(f"{where}.{key}", f"must be a text, not {value!r}")
    return checker.interpolate(value, f"{where}.{key}")


def _target(checker: Checker, value: Any, where: str, locators: Mapping[str, Any]) -> LocatorRef:
    if isinstance(value, str):
        if value == PAGE_TEXT:
            return LocatorRef(PAGE_TEXT, None)
        if value not in locators:
            close = difflib.get_close_matches(value, locators, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "or write the locator here: { role = ..., name = ... }"
            )
            raise checker.fail(
                where, f"names the locator '{value}', which [web.locators] does not have ({hint})"
            )
        return LocatorRef(value, locators[value])
    return LocatorRef(None, checker.locator(value, where))


def read_page_objects(checker: Checker, path: Path, where: str, flows: Flows) -> Flows:
    """The tasks a page-object module codes: its top-level functions named after a task.

    The module is read, not imported (the company layer runs no company code): a task
    both written as a flow and coded, or a module that is not Python, is the profile's error.
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except OSError as error:
        raise checker.fail(where, f"cannot read the page-object module {path} ({error.strerror})") from error
    except SyntaxError as error:
        raise checker.fail(where, f"{path}:{error.lineno}: not valid Python ({error.msg})") from error
    coded = {
        node.name: CodedTask(node.name, path, node.lineno)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name in TASKS
    }
    if not coded:
        raise checker.fail(where, f"{path} defines no task: name a function after one of {', '.join(TASKS)}")
    for task, code in coded.items():
        if task in flows.by_task:
            raise checker.fail(
                f"web.flows.{task}",
                f"is written twice: as a flow here and in Python at {code.place}; keep one",
            )
    return Flows(flows.by_task, coded)
