"""The web shop, driven as a customer would: browse, buy, look up, cancel.

What a customer does on the company's site is written in its profile as flows
(``[web.flows]``, see :mod:`journeys.company.flows`), so the same driver serves any
shop its profile describes. Each public method plays one task's flow, records what
the customer lived through on a :class:`~journeys.domain.timeline.Contact`, and says
what the shop answered. A task whose flow stopped at a ``missing`` step is something
the customer looked for and did not find: an outcome, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from playwright.sync_api import BrowserContext, Page

from journeys.channels.base import Typing
from journeys.channels.flows import FlowPlayer, FlowResult
from journeys.company.flows import FlowStep
from journeys.company.profile import CompanyProfile, WebSpec
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind
from journeys.errors import ConfigError


@dataclass(frozen=True)
class CheckoutResult:
    """What the shop said when the customer pressed "Place order"."""

    order_number: str | None
    message: str


@dataclass(frozen=True)
class CancelResult:
    """What the shop said when the customer asked to cancel."""

    cancelled: bool
    message: str


@dataclass(frozen=True)
class ReturnResult:
    """What the returns portal said: a return number, or why not."""

    reference: str | None
    message: str


@dataclass(frozen=True)
class OrderPage:
    """What the order page shows; ``found`` is False when the shop showed no such order."""

    order_number: str
    status: str
    shipping_method: str | None
    found: bool = True


@dataclass(frozen=True)
class RepairPage:
    """What the repair tracking page shows of a booking; ``found`` is False for none."""

    reference: str
    found: bool
    visit: str | None


class WebShop:
    """A customer's browser tab on the company's web shop."""

    channel = "web"

    def __init__(self, company: CompanyProfile, context: BrowserContext) -> None:
        if company.web is None:
            raise ConfigError(f"{company.path}: this company has no [web] table, so no web shop to visit")
        self.company = company
        self.spec: WebSpec = company.web
        self.context = context
        self.shopper: Shopper | None = None
        """Who the customer is now (their e-mail or postcode proves an order is theirs)."""
        self._page: Page | None = None
        self._typing = Typing(company.secrets)
        self.remembered: dict[str, str] = {}
        """What flows found in this tab, for the flows after them (a link to the order page)."""
        self._player = FlowPlayer(
            lambda: self.page, self.spec, company.base_url, self._typing, self.remembered
        )

    @property
    def page(self) -> Page:
        if self._page is None or self._page.is_closed():
            self._page = self.context.new_page()
            self._page.set_default_timeout(self.spec.timeout * 1000)
        return self._page

    def offers(self, task: str) -> bool:
        """Whether the profile writes a flow for the task."""
        return task in self.spec.flows

    def play(self, task: str, given: Mapping[str, str], shopper: Shopper | None = None) -> FlowResult:
        """Play one task's flow as it is written, and say what it found (``mystery-shopper try``)."""
        return self._player.play(task, given, shopper or self.shopper)

    def on_step(self, report: Callable[[str, int, FlowStep, str], None]) -> None:
        """Be told of each step before it is played (task, number, step, what it does)."""
        self._player.on_step = report

    def place_order(
        self,
        contact: Contact,
        *,
        product: str,
        shipping_method: str,
        shopper: Shopper,
        quantity: int = 1,
    ) -> CheckoutResult:
        """Find a product, put it in the cart and check out as the profile's flow says."""
        given = {"product": product, "shipping_method": shipping_method, "quantity": str(quantity)}
        result = self.play("place_order", given, shopper)
        if result.stopped:
            message = _said(result)
            if result.refusal is not None:
                contact.note(EventKind.MESSAGE_RECEIVED, text=message)
            contact.note(EventKind.OUTCOME, text=message, resolved=False)
            return CheckoutResult(None, message)
        order_number = result.facts.get("order_number")
        if order_number is None:
            contact.note(EventKind.OUTCOME, text="confirmation without an order number", resolved=False)
            return CheckoutResult(None, "the confirmation page showed no order number")
        contact.note(EventKind.REFERENCE_GIVEN, text=f"Order number {order_number}", reference=order_number)
        contact.note(EventKind.OUTCOME, text="order placed", resolved=True)
        return CheckoutResult(order_number, "order placed")

    def open_order(self, order_number: str) -> OrderPage:
        """Open the order's page the way the profile says (a link, a lookup form) and read it."""
        result = self.play("open_order", {"order_number": order_number})
        status = result.facts.get("status")
        if result.stopped or status is None:
            shown = _said(result) if result.stopped else "the order page showed no status"
            return OrderPage(order_number, shown, None, found=False)
        return OrderPage(order_number, status, result.facts.get("shipping_method"))

    def cancel_order(self, contact: Contact, order_number: str) -> CancelResult:
        """Ask the shop to cancel an order; record what it answered."""
        result = self.play("cancel_order", {"order_number": order_number})
        if result.stopped:
            message = _said(result)
            if result.refusal is not None:
                contact.note(EventKind.MESSAGE_RECEIVED, text=message)
            contact.note(EventKind.OUTCOME, text=message, resolved=False)
            return CancelResult(False, message)
        message = result.facts.get("answer", "the shop said nothing")
        contact.note(EventKind.MESSAGE_RECEIVED, text=message)
        confirmed = bool(self.spec.patterns["cancel_confirmed"].search(message))
        refused_pattern = self.spec.patterns.get("cancel_refused")
        refused = bool(refused_pattern and refused_pattern.search(message))
        resolved = confirmed and not refused
        contact.note(EventKind.OUTCOME, text=message, resolved=resolved)
        return CancelResult(resolved, message)

    def request_return(self, contact: Contact, order_number: str, reason: str) -> ReturnResult:
        """Ask for a return the way the profile's flow says."""
        result = self.play("request_return", {"order_number": order_number, "reason": reason})
        message = _said(result) if result.stopped else result.facts.get("answer", "")
        if message:
            contact.note(EventKind.MESSAGE_RECEIVED, text=message)
        reference = None if result.stopped else result.facts.get("return_reference")
        if reference:
            contact.note(EventKind.REFERENCE_GIVEN, text=message or reference, reference=reference)
        contact.note(
            EventKind.OUTCOME, text=message or "no return number shown", resolved=reference is not None
        )
        return ReturnResult(reference, message)

    def aftercare_references(self, known: Mapping[str, str]) -> list[str]:
        """The returns, warranty cases and repairs listed where the flow looks (the order's
        page, or the case's), by reference; ``known``: the order number and case pages known."""
        result = self.play("list_aftercare", known)
        return result.lists.get("references", [])

    def repair_booking(self, reference: str) -> RepairPage:
        """Look a repair up by its reference on the shop's tracking page, if it has one."""
        result = self.play("track_repair", {"reference": reference})
        found = not result.stopped and "found" in result.facts
        return RepairPage(reference, found, result.facts.get("visit") if found else None)

    def screenshot(self, path: str) -> bool:
        """Save what the tab shows now, secrets masked; False when there is no open page."""
        if self._page is None or self._page.is_closed():
            return False
        self._typing.screenshot(self._page, path)
        return True


def _said(result: FlowResult) -> str:
    """Why a flow stopped, in the customer's words."""
    return result.refusal or result.missing or ""
