"""What the contact centre's agents really do, on the shop's own database.

The engine (:mod:`sandbox.contact_centre`) decides what an agent *says*; this module decides
whether it really happened, with the same rules as the web shop, so that "claimed versus
verified" means something: a cancellation by chat goes through
:func:`sandbox.shop.orders.cancel_order`, the very function behind the order page's button, and an
order placed by phone goes through :func:`sandbox.shop.orders.place_order` and the demo payment
like a checkout. Returns, warranty cases and repair visits are rows of their own tables
(``RMA-12345``, ``WC-12345``, ``RP-12345``).

Orders are found by number *and* who the customer is (the order's email, or on a call its
phone number) wherever the agent asked for both (status, cancellation, return); warranty
claims and repairs are asked for an order number and a serial number only, so they match
by number.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sandbox.contact_centre import (
    ActionResult,
    CancelResult,
    CustomerDetails,
    OrderStatus,
    RefusalReason,
)
from sandbox.contact_centre.actions import identifies
from sandbox.contact_centre.outcomes import business_day_after
from sandbox.db import Database
from sandbox.profiles import ShopSettings
from sandbox.shop.carts import Cart, CartLine
from sandbox.shop.catalogue import Product, ShippingMethod, list_products, list_shipping_methods
from sandbox.shop.checkout import APPROVED_CARD, CardOutcome, charge_card
from sandbox.shop.orders import (
    CancelOutcome,
    Order,
    StockShortage,
    cancel_order,
    load_order,
)
from sandbox.shop.orders import CustomerDetails as OrderCustomer
from sandbox.shop.orders import OrderStatus as ShopOrderStatus
from sandbox.shop.orders import place_order as place_shop_order

RETURN_PERIOD_DAYS = 30
"""Days after an order was placed during which it can be returned."""

REPAIR_LEAD_BUSINESS_DAYS = 3
"""Business days between booking a repair and the engineer's visit."""

_REFERENCE_TABLES = {"RMA-": "returns", "WC-": "warranty_cases", "RP-": "repairs"}


@dataclass(frozen=True)
class ShopServiceActions:
    """:class:`~sandbox.contact_centre.ServiceActions` on the shop's SQLite database.

    Attributes:
        db: The shop's database (each action is one transaction).
        shop: The shop's timings, already scaled: the cancellation window lives there.
        clock: The sandbox's clock; an action happens at ``clock()``.
        rng: The shop's seeded generator, for order numbers and references.
    """

    db: Database
    shop: ShopSettings
    clock: Callable[[], float]
    rng: random.Random

    def order_status(self, order_number: str, customer: str) -> OrderStatus:
        """The order's status brought up to date, and its expected delivery."""
        with self.db.transaction() as connection:
            order = self._customer_order(connection, order_number, customer)
        if order is None:
            return OrderStatus(found=False)
        delivery = None
        if order.status is not ShopOrderStatus.CANCELLED:
            delivery = business_day_after(
                _day(order.placed_at), delivery_business_days(order.shipping_method)
            )
        return OrderStatus(found=True, status=order.status.value, delivery_date=delivery)

    def cancel_order(self, order_number: str, customer: str) -> CancelResult:
        """Cancel with the web page's own rule; an order already cancelled stays cancelled."""
        with self.db.transaction() as connection:
            order = self._customer_order(connection, order_number, customer)
            if order is None:
                return CancelResult.NOT_FOUND
            outcome = cancel_order(connection, order.number, now=self.clock(), shop=self.shop)
        if outcome in (CancelOutcome.CANCELLED, CancelOutcome.REFUSED_ALREADY_CANCELLED):
            return CancelResult.CANCELLED
        return CancelResult.TOO_LATE

    def create_return(self, order_number: str, customer: str, reason: str) -> ActionResult:
        """An ``RMA-`` row, within the return period of an order that was not cancelled."""
        now = self.clock()
        with self.db.transaction() as connection:
            order = self._customer_order(connection, order_number, customer)
            if order is None:
                return ActionResult.refused(RefusalReason.NOT_FOUND)
            too_old = now - order.placed_at > RETURN_PERIOD_DAYS * 86400
            if order.status is ShopOrderStatus.CANCELLED or too_old:
                return ActionResult.refused(RefusalReason.NOT_RETURNABLE)
            reference = self._new_reference(connection, "RMA-")
            connection.execute(
                "INSERT INTO returns (reference, order_id, email, reason, created_at) VALUES (?, ?, ?, ?, ?)",
                (reference, order.id, order.customer.email, reason, now),
            )
        return ActionResult.created(reference)

    def open_warranty_case(
        self, order_number: str, serial_number: str, purchase_date: str, fault: str
    ) -> ActionResult:
        """A ``WC-`` row, unless the purchase is older than its products' warranty.

        The purchase date is the shop's own (when the order was placed), not what the
        customer remembers; the customer's words are kept on the case.
        """
        now = self.clock()
        with self.db.transaction() as connection:
            order = self._order(connection, order_number)
            if order is None or not serial_number:
                return ActionResult.refused(RefusalReason.NOT_FOUND)
            if order.status is ShopOrderStatus.CANCELLED:
                return ActionResult.refused(RefusalReason.POLICY)
            months = _warranty_months(connection, order)
            if _day(now) > months_after(_day(order.placed_at), months):
                return ActionResult.refused(RefusalReason.OUT_OF_WARRANTY)
            reference = self._new_reference(connection, "WC-")
            connection.execute(
                "INSERT INTO warranty_cases (reference, order_id, serial_number, purchase_date,"
                " fault, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (reference, order.id, serial_number, purchase_date, fault, now),
            )
        return ActionResult.created(reference)

    def book_repair(self, order_number: str, serial_number: str, postcode: str, fault: str) -> ActionResult:
        """An ``RP-`` row with the engineer's visit a few business days ahead."""
        now = self.clock()
        visit = business_day_after(_day(now), REPAIR_LEAD_BUSINESS_DAYS)
        with self.db.transaction() as connection:
            order = self._order(connection, order_number) if order_number else None
            if not serial_number or (order_number and order is None):
                return ActionResult.refused(RefusalReason.NOT_FOUND)
            reference = self._new_reference(connection, "RP-")
            connection.execute(
                "INSERT INTO repairs (reference, order_id, serial_number, postcode, fault,"
                " visit_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    reference,
                    None if order is None else order.id,
                    serial_number,
                    postcode,
                    fault,
                    visit.isoformat(),
                    now,
                ),
            )
        return ActionResult.created(reference, visit)

    def place_order(self, customer: CustomerDetails, product: str, shipping_method: str) -> ActionResult:
        """A real order of one unit, paid with the demo test card, as checkout makes it."""
        if not (customer.name and customer.email and customer.address):
            return ActionResult.refused(RefusalReason.POLICY)
        if charge_card(APPROVED_CARD) is not CardOutcome.APPROVED:
            return ActionResult.refused(RefusalReason.POLICY)
        now = self.clock()
        with self.db.transaction() as connection:
            chosen = match_product(list_products(connection), product)
            method = match_shipping_method(list_shipping_methods(connection), shipping_method)
            if chosen is None or method is None or not chosen.in_stock:
                return ActionResult.refused(RefusalReason.UNAVAILABLE)
            placed = place_shop_order(
                connection,
                cart=Cart(cart_id=None, lines=(CartLine(product=chosen, quantity=1),)),
                customer=OrderCustomer(
                    full_name=customer.name,
                    email=customer.email,
                    phone=customer.phone,
                    street_address=customer.address,
                    city="",
                    postcode=customer.postcode,
                    country="",
                    card_last4=APPROVED_CARD[-4:],
                ),
                shipping_method=method,
                now=now,
                rng=self.rng,
            )
        if isinstance(placed, StockShortage):
            return ActionResult.refused(RefusalReason.UNAVAILABLE)
        delivery = business_day_after(_day(now), delivery_business_days(method))
        return ActionResult.created(placed.number, delivery)

    def order_identities(self, order_number: str) -> tuple[str, ...]:
        """Who an order is for, as the shop holds it: its e-mail and its phone number.

        The company's memory of its customers (:mod:`sandbox.contact_centre.customers`) joins
        a contact told this order number to the customer these identify; nothing for an
        order that does not exist. Reads only: the order's status is not brought up to date.
        """
        with self.db.transaction() as connection:
            row = connection.execute(
                "SELECT email, phone FROM orders WHERE number = ?", (order_number.strip().upper(),)
            ).fetchone()
        return () if row is None else tuple(value for value in (row["email"], row["phone"]) if value)

    def orders_of(self, email: str) -> int:
        """How many orders the shop holds for an e-mail address: an agent who remembers a
        customer's order number from another contact uses it only when there is one."""
        with self.db.transaction() as connection:
            row = connection.execute(
                "SELECT COUNT(*) AS orders FROM orders WHERE lower(email) = ?", (email.strip().casefold(),)
            ).fetchone()
        return int(row["orders"])

    # -- finding things -------------------------------------------------------------------

    def _order(self, connection: sqlite3.Connection, number: str) -> Order | None:
        """An order by number, its status brought up to date by the clock."""
        if not number:
            return None
        return load_order(connection, number, now=self.clock(), shop=self.shop)

    def _customer_order(self, connection: sqlite3.Connection, number: str, customer: str) -> Order | None:
        """An order by number, only if it is this customer's: the order page's own rule (the
        same email), or on a call the same phone number."""
        order = self._order(connection, number)
        if order is None or not identifies(customer, email=order.customer.email, phone=order.customer.phone):
            return None
        return order

    def _new_reference(self, connection: sqlite3.Connection, prefix: str) -> str:
        """``prefix`` and five digits from the seeded generator, unused in its table."""
        table = _REFERENCE_TABLES[prefix]
        while True:
            reference = f"{prefix}{self.rng.randint(10000, 99999)}"
            taken = connection.execute(f"SELECT 1 FROM {table} WHERE reference = ?", (reference,)).fetchone()
            if taken is None:
                return reference


def match_product(products: Sequence[Product], answer: str) -> Product | None:
    """The one product a customer's words name ("a kettle" -> Kettle Pro), or None.

    An exact name wins; otherwise the product must be the only one sharing a word with the
    answer (plurals folded), so an ambiguous answer is refused rather than guessed.
    """
    wanted = _words(answer)
    for product in products:
        if _words(product.name) == wanted:
            return product
    sharing = [product for product in products if _words(product.name) & wanted]
    return sharing[0] if len(sharing) == 1 else None


def match_shipping_method(methods: Sequence[ShippingMethod], answer: str) -> ShippingMethod | None:
    """The shipping method named in an answer ("next day please" -> Next-day), or None."""
    said = _squashed(answer)
    named = [method for method in methods if _squashed(method.name) in said or _squashed(method.code) in said]
    return named[0] if len(named) == 1 else None


def delivery_business_days(method: ShippingMethod) -> int:
    """Business days a method's estimate promises at most ("3–5 business days" -> 5)."""
    if "hour" in method.estimate:
        return 0
    numbers = [int(found) for found in re.findall(r"\d+", method.estimate)]
    return max(numbers) if numbers else 1


def months_after(start: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def _warranty_months(connection: sqlite3.Connection, order: Order) -> int:
    """The longest warranty among the order's products (the customer's best case)."""
    row = connection.execute(
        "SELECT max(p.warranty_months) FROM order_items i JOIN products p ON p.id = i.product_id"
        " WHERE i.order_id = ?",
        (order.id,),
    ).fetchone()
    return int(row[0] or 0)


def _day(seconds: float) -> date:
    return datetime.fromtimestamp(seconds, UTC).date()


def _words(text: str) -> set[str]:
    """Lower-case words with a plural ``s`` folded away ("Kettles" -> "kettle")."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words}


def _squashed(text: str) -> str:
    """Letters and digits only, so "Next-day", "next day" and "nextday" compare equal."""
    return re.sub(r"[^a-z0-9]", "", text.lower())
