"""The web shop, driven as a customer would: browse, buy, look up, cancel.

Locators and text patterns come from the company profile (``[web]``), so the
same driver serves any shop whose profile describes it. Each public method is a
customer action recorded on a :class:`~journeys.domain.timeline.Contact`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

from playwright.sync_api import BrowserContext, Locator, Page

from journeys.channels.base import Typing, customer_action, first_match, resolve, wait_for_any
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
    """What the order page shows."""

    order_number: str
    status: str
    shipping_method: str | None
    cancellable: bool


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
        self.customer_email: str | None = None
        """The e-mail the customer proves an order is theirs with, when the shop asks."""
        self._page: Page | None = None
        self._typing = Typing(company.secrets)

    @property
    def page(self) -> Page:
        if self._page is None or self._page.is_closed():
            self._page = self.context.new_page()
            self._page.set_default_timeout(self.spec.timeout * 1000)
        return self._page

    def _url(self, page_key: str, **values: str) -> str:
        path = self.spec.pages[page_key]
        for key, value in values.items():
            path = path.replace("{" + key + "}", value)
        return self.company.base_url + path

    def _action(self, action: str) -> AbstractContextManager[None]:
        return customer_action(self.channel, action, self.spec.timeout)

    def _locator(self, key: str, **values: str) -> Locator:
        spec = self.spec.locators[key]
        return resolve(self.page, spec.filled(**values) if values else spec)

    def _main_text(self) -> str:
        main = self.page.locator("main")
        return main.first.inner_text() if main.count() else self.page.inner_text("body")

    def place_order(
        self,
        contact: Contact,
        *,
        product: str,
        shipping_method: str,
        shopper: Shopper,
        quantity: int = 1,
    ) -> CheckoutResult:
        """Find a product, put it in the cart and check out with the test card."""
        with self._action("open the shop"):
            self.page.goto(self._url("home"))
        with self._action(f"find the product {product!r}"):
            self._locator("product_link", product=product).first.click()
        with self._action(f"add {product!r} to the cart"):
            self._typing.fill(self._locator("quantity"), str(quantity))
            self._locator("add_to_cart").click()
        with self._action("go to checkout"):
            self.page.goto(self._url("cart"))
            self._locator("checkout").click()
        with self._action("fill in the checkout form"):
            for key, value in (
                ("full_name", shopper.name),
                ("email", shopper.email),
                ("phone", shopper.phone),
                ("street", shopper.street),
                ("city", shopper.city),
                ("postcode", shopper.postcode),
                ("country", shopper.country),
            ):
                self._typing.fill(self._locator(key), value)
        with self._action(f"choose {shipping_method} shipping"):
            option = self._locator("shipping_method", method=shipping_method)
            if option.count() == 0:
                return CheckoutResult(None, f"the shop offers no {shipping_method!r} shipping")
            option.first.check()
        with self._action("enter the test card"):
            self._typing.fill(self._locator("card_number"), self.spec.test_card)
            self._typing.fill(self._locator("card_expiry"), self.spec.card_expiry)
            self._typing.fill(self._locator("card_cvc"), self.spec.card_cvc)
        with self._action("place the order"):
            self._locator("place_order").click()
            confirmation, alert = self._locator("confirmation"), self._locator("alert")
            shown = wait_for_any(self.page, [confirmation, alert], self.spec.timeout * 1000)
            if shown == 1:
                message = alert.first.inner_text().strip()
                contact.note(EventKind.MESSAGE_RECEIVED, text=message)
                contact.note(EventKind.OUTCOME, text=message, resolved=False)
                return CheckoutResult(None, message)
            text = self._main_text()
        order_number = first_match(self.spec.patterns["order_number"], text)
        if order_number is None:
            contact.note(EventKind.OUTCOME, text="confirmation without an order number", resolved=False)
            return CheckoutResult(None, "the confirmation page showed no order number")
        contact.note(EventKind.REFERENCE_GIVEN, text=f"Order number {order_number}", reference=order_number)
        contact.note(EventKind.OUTCOME, text="order placed", resolved=True)
        return CheckoutResult(order_number, "order placed")

    def open_order(self, order_number: str) -> OrderPage:
        """Open the order's page and read what it shows.

        A shop that first asks the visitor to prove the order is theirs (an order placed
        by phone, or long ago, in another browser) gets its lookup form filled in with the
        order number and the customer's e-mail, when the profile describes that form.
        """
        with self._action(f"open the page of order {order_number}"):
            self.page.goto(self._url("order", order_number=order_number))
            status_field = self._locator("order_status").first
            if "lookup_number" in self.spec.locators and self.customer_email:
                form = self._locator("lookup_number").first
                shown = wait_for_any(self.page, [status_field, form], self.spec.timeout * 1000)
                if shown == 1:
                    self._typing.fill(form, order_number)
                    self._typing.fill(self._locator("lookup_email").first, self.customer_email)
                    self._locator("lookup_submit").first.click()
            status = status_field.inner_text().strip()
            text = self._main_text()
            cancellable = self._locator("cancel_order").count() > 0
        return OrderPage(
            order_number=order_number,
            status=status,
            shipping_method=first_match(self.spec.patterns["shipping_method"], text),
            cancellable=cancellable,
        )

    def cancel_order(self, contact: Contact, order_number: str) -> CancelResult:
        """Ask the shop to cancel an order from its page; record what it answered."""
        order = self.open_order(order_number)
        if not order.cancellable:
            message = f"the order page offers no way to cancel (status {order.status})"
            contact.note(EventKind.OUTCOME, text=message, resolved=False)
            return CancelResult(False, message)
        with self._action(f"cancel order {order_number}"):
            self._locator("cancel_order").first.click()
            notice, alert = self._locator("notice"), self._locator("alert")
            shown = wait_for_any(self.page, [notice, alert], self.spec.timeout * 1000)
            message = (notice if shown == 0 else alert).first.inner_text().strip()
        contact.note(EventKind.MESSAGE_RECEIVED, text=message)
        confirmed = bool(self.spec.patterns["cancel_confirmed"].search(message))
        refused = bool(self.spec.patterns["cancel_refused"].search(message))
        resolved = confirmed and not refused
        contact.note(EventKind.OUTCOME, text=message, resolved=resolved)
        return CancelResult(resolved, message)

    def request_return(self, contact: Contact, order_number: str, reason: str) -> ReturnResult:
        """Ask for a return through the returns portal on the order's page."""
        self.open_order(order_number)
        button = self._locator("request_return")
        if button.count() == 0:
            message = "the order page offers no way to return it"
            contact.note(EventKind.OUTCOME, text=message, resolved=False)
            return ReturnResult(None, message)
        with self._action(f"request a return of order {order_number}"):
            self._locator("return_reason").select_option(label=reason)
            button.first.click()
            notice, alert = self._locator("notice"), self._locator("alert")
            shown = wait_for_any(self.page, [notice, alert], self.spec.timeout * 1000)
            message = (notice if shown == 0 else alert).first.inner_text().strip()
        contact.note(EventKind.MESSAGE_RECEIVED, text=message)
        reference = first_match(self.spec.patterns["return_registered"], message) if shown == 0 else None
        if reference:
            contact.note(EventKind.REFERENCE_GIVEN, text=message, reference=reference)
        contact.note(EventKind.OUTCOME, text=message, resolved=reference is not None)
        return ReturnResult(reference, message)

    def aftercare_references(self, order_number: str) -> list[str]:
        """The returns, warranty cases and repairs the order's page lists, by reference."""
        self.open_order(order_number)
        with self._action(f"read the returns and claims of order {order_number}"):
            listed = self._locator("aftercare_reference")
            return [listed.nth(index).inner_text().strip() for index in range(listed.count())]

    def repair_booking(self, reference: str) -> RepairPage:
        """Look a repair up by its reference on the shop's tracking page, if it has one."""
        if "repair" not in self.spec.pages:
            raise ConfigError(
                f"{self.company.path}: no [web.pages] repair page to track a repair on"
                ' (e.g. repair = "/repairs/{reference}")'
            )
        with self._action(f"track repair {reference}"):
            response = self.page.goto(self._url("repair", reference=reference))
            if response is not None and response.status == 404:
                return RepairPage(reference, False, None)
            text = self._main_text()
            visit = None
            if "repair_visit" in self.spec.locators:
                field = self._locator("repair_visit")
                visit = field.first.inner_text().strip() if field.count() else None
        return RepairPage(reference, reference in text, visit)

    def screenshot(self, path: str) -> bool:
        """Save what the tab shows now, secrets masked; False when there is no open page."""
        if self._page is None or self._page.is_closed():
            return False
        self._typing.screenshot(self._page, path)
        return True
