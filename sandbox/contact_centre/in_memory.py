"""A shop in a dictionary, so the engine can be tested without the web shop's database.

Not for production: the web layer implements :class:`~.actions.ServiceActions` on
the shop's real database. This one keeps orders in memory, numbers what it creates
sequentially, and records every call so tests can tell what really happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sandbox.contact_centre.actions import (
    ActionResult,
    CancelResult,
    CustomerDetails,
    OrderStatus,
    identifies,
)
from sandbox.contact_centre.model import RefusalReason


@dataclass
class StoredOrder:
    """An order the in-memory shop knows.

    Attributes:
        status: ``placed`` can still be cancelled; ``processing`` and later cannot.
        returnable: False once the return period is over.
        in_warranty: False once the warranty has expired.
    """

    order_number: str
    email: str
    product: str = "Kettle"
    status: str = "placed"
    delivery_date: date | None = None
    returnable: bool = True
    in_warranty: bool = True
    phone: str = ""


@dataclass
class InMemoryServiceActions:
    """Service actions over in-memory orders, recording each call in ``calls``."""

    orders: dict[str, StoredOrder] = field(default_factory=dict)
    products: frozenset[str] = frozenset({"kettle", "toaster", "dishwasher", "fridge"})
    shipping_methods: frozenset[str] = frozenset({"standard", "express", "next day"})
    today: date = date(2025, 11, 20)
    calls: list[str] = field(default_factory=list)
    returns: dict[str, str] = field(default_factory=dict)
    warranty_cases: dict[str, str] = field(default_factory=dict)
    repairs: dict[str, str] = field(default_factory=dict)
    _counter: int = 0

    def add_order(
        self,
        order_number: str,
        email: str,
        *,
        status: str = "placed",
        delivery_date: date | None = None,
        returnable: bool = True,
        in_warranty: bool = True,
        phone: str = "",
    ) -> StoredOrder:
        """Put an order in the shop (for test set-up)."""
        order = StoredOrder(
            order_number,
            email.lower(),
            status=status,
            delivery_date=delivery_date,
            returnable=returnable,
            in_warranty=in_warranty,
            phone=phone,
        )
        self.orders[order_number] = order
        return order

    def order_status(self, order_number: str, customer: str) -> OrderStatus:
        self.calls.append(f"order_status {order_number}")
        order = self._find(order_number, customer)
        if order is None:
            return OrderStatus(found=False)
        return OrderStatus(found=True, status=order.status, delivery_date=order.delivery_date)

    def cancel_order(self, order_number: str, customer: str) -> CancelResult:
        self.calls.append(f"cancel_order {order_number}")
        order = self._find(order_number, customer)
        if order is None:
            return CancelResult.NOT_FOUND
        if order.status != "placed":
            return CancelResult.TOO_LATE
        order.status = "cancelled"
        return CancelResult.CANCELLED

    def create_return(self, order_number: str, customer: str, reason: str) -> ActionResult:
        self.calls.append(f"create_return {order_number}")
        order = self._find(order_number, customer)
        if order is None:
            return ActionResult.refused(RefusalReason.NOT_FOUND)
        if not order.returnable:
            return ActionResult.refused(RefusalReason.NOT_RETURNABLE)
        reference = f"RMA-{self._next():05d}"
        self.returns[reference] = order_number
        return ActionResult.created(reference)

    def open_warranty_case(
        self, order_number: str, serial_number: str, purchase_date: str, fault: str
    ) -> ActionResult:
        self.calls.append(f"open_warranty_case {order_number}")
        order = self.orders.get(order_number)
        if order is None:
            return ActionResult.refused(RefusalReason.NOT_FOUND)
        if not order.in_warranty:
            return ActionResult.refused(RefusalReason.OUT_OF_WARRANTY)
        reference = f"WC-{self._next():05d}"
        self.warranty_cases[reference] = order_number
        return ActionResult.created(reference)

    def book_repair(self, order_number: str, serial_number: str, postcode: str, fault: str) -> ActionResult:
        self.calls.append(f"book_repair {serial_number}")
        if not serial_number:
            return ActionResult.refused(RefusalReason.NOT_FOUND)
        reference = f"RP-{self._next():05d}"
        self.repairs[reference] = serial_number
        return ActionResult.created(reference, self.today + timedelta(days=3))

    def place_order(self, customer: CustomerDetails, product: str, shipping_method: str) -> ActionResult:
        self.calls.append(f"place_order {product}")
        if product.lower() not in self.products or shipping_method.lower() not in self.shipping_methods:
            return ActionResult.refused(RefusalReason.UNAVAILABLE)
        order_number = f"BL-{100000 + self._next():06d}"
        delivery = self.today + timedelta(days=2 if shipping_method.lower() == "express" else 5)
        self.orders[order_number] = StoredOrder(
            order_number, customer.email, product, delivery_date=delivery, phone=customer.phone
        )
        return ActionResult.created(order_number, delivery)

    def order_identities(self, order_number: str) -> tuple[str, ...]:
        """Who an order is for (its e-mail, its phone), as the web shop's actions say it, for
        :class:`~.customers.CustomerRecords`."""
        order = self.orders.get(order_number)
        return () if order is None else tuple(value for value in (order.email, order.phone) if value)

    def orders_of(self, email: str) -> int:
        """How many orders are held for an e-mail address, for :class:`~.customers.CustomerRecords`."""
        return sum(order.email.casefold() == email.strip().casefold() for order in self.orders.values())

    def _find(self, order_number: str, customer: str) -> StoredOrder | None:
        order = self.orders.get(order_number)
        if order is None or not identifies(customer, email=order.email, phone=order.phone):
            return None
        return order

    def _next(self) -> int:
        self._counter += 1
        return self._counter
