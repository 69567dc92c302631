"""Orders: placing them, their life cycle in time, cancelling them, finding them again.

An order's status follows the clock: ``placed`` for the profile's cancellation window, then
``processing`` for ``processing_seconds``, then ``shipped``; ``cancelled`` stops the clock.
Transitions are written to the database when an order is read (with the moment they were
due), so the stored state is real, not only computed for display.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from sandbox.profiles import ShopSettings
from sandbox.shop.carts import Cart, empty_cart
from sandbox.shop.catalogue import ShippingMethod


class OrderStatus(StrEnum):
    """Where an order is in its life; the value is what the database stores."""

    PLACED = "placed"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The word a customer sees, e.g. ``Placed``."""
        return self.value.capitalize()


_PROGRESS = (OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.SHIPPED)


class CancelOutcome(StrEnum):
    """What a request to cancel an order came to."""

    CANCELLED = "cancelled"
    REFUSED_PROCESSING = "refused-processing"
    REFUSED_SHIPPED = "refused-shipped"
    REFUSED_ALREADY_CANCELLED = "refused-already-cancelled"


@dataclass(frozen=True)
class CustomerDetails:
    """Who ordered and where it goes; the card is kept as its last four digits only."""

    full_name: str
    email: str
    phone: str
    street_address: str
    city: str
    postcode: str
    country: str
    card_last4: str


@dataclass(frozen=True)
class OrderItem:
    """A product line of an order, at the price paid."""

    product_id: int
    product_name: str
    unit_price_cents: int
    quantity: int

    @property
    def line_total_cents(self) -> int:
        """Unit price times quantity."""
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True)
class Order:
    """An order as stored, with its items and shipping method."""

    id: int
    number: str
    customer: CustomerDetails
    shipping_method: ShippingMethod
    shipping_cents: int
    subtotal_cents: int
    total_cents: int
    status: OrderStatus
    placed_at: float
    processing_at: float | None
    shipped_at: float | None
    cancelled_at: float | None
    items: tuple[OrderItem, ...]

    @property
    def offers_cancellation(self) -> bool:
        """Whether the order page shows the ``Cancel order`` button.

        A customer is offered the button while the order is placed *or* processing, as real
        companies do: the server decides on submit and refuses once the window has closed.
        This is what lets a ``purgatory`` profile (window 0 s) show the button and then say no.
        """
        return self.status in (OrderStatus.PLACED, OrderStatus.PROCESSING)


@dataclass(frozen=True)
class StockShortage:
    """Checkout could not go ahead: a product has fewer units left than the cart holds."""

    product_name: str
    available: int


def place_order(
    connection: sqlite3.Connection,
    *,
    cart: Cart,
    customer: CustomerDetails,
    shipping_method: ShippingMethod,
    now: float,
    rng: random.Random,
) -> Order | StockShortage:
    """Turn a cart into an order: check and take stock, store the order, empty the cart.

    Run it inside one transaction so that stock checked is stock taken.
    """
    for line in cart.lines:
        row = connection.execute("SELECT stock FROM products WHERE id = ?", (line.product.id,)).fetchone()
        if row["stock"] < line.quantity:
            return StockShortage(product_name=line.product.name, available=int(row["stock"]))
    for line in cart.lines:
        connection.execute(
            "UPDATE products SET stock = stock - ? WHERE id = ?", (line.quantity, line.product.id)
        )
    number = _new_order_number(connection, rng)
    cursor = connection.execute(
        "INSERT INTO orders (number, email, full_name, phone, street_address, city, postcode,"
        " country, shipping_method_code, shipping_cents, subtotal_cents, total_cents,"
        " card_last4, status, placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            number,
            customer.email,
            customer.full_name,
            customer.phone,
            customer.street_address,
            customer.city,
            customer.postcode,
            customer.country,
            shipping_method.code,
            shipping_method.price_cents,
            cart.subtotal_cents,
            cart.subtotal_cents + shipping_method.price_cents,
            customer.card_last4,
            OrderStatus.PLACED.value,
            now,
        ),
    )
    connection.executemany(
        "INSERT INTO order_items (order_id, product_id, product_name, unit_price_cents, quantity)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (cursor.lastrowid, line.product.id, line.product.name, line.product.price_cents, line.quantity)
            for line in cart.lines
        ],
    )
    if cart.cart_id is not None:
        empty_cart(connection, cart.cart_id)
    order = _read_order(connection, number)
    assert order is not None  # just inserted in this transaction
    return order


def _new_order_number(connection: sqlite3.Connection, rng: random.Random) -> str:
    """Draw ``BL-`` and six digits from the seeded generator until one is unused."""
    while True:
        number = f"BL-{rng.randint(100000, 999999)}"
        taken = connection.execute("SELECT 1 FROM orders WHERE number = ?", (number,)).fetchone()
        if taken is None:
            return number


def load_order(
    connection: sqlite3.Connection, number: str, *, now: float, shop: ShopSettings
) -> Order | None:
    """Read an order, first writing any status transition that has come due."""
    order = _read_order(connection, number)
    if order is None:
        return None
    if _advance_status(connection, order, now=now, shop=shop):
        order = _read_order(connection, number)
    return order


def orders_for_email(
    connection: sqlite3.Connection, email: str, *, now: float, shop: ShopSettings
) -> list[Order]:
    """Every order of one customer, newest first, with statuses brought up to date."""
    rows = connection.execute(
        "SELECT number FROM orders WHERE lower(email) = lower(?) ORDER BY placed_at DESC, id DESC",
        (email,),
    ).fetchall()
    orders = [load_order(connection, row["number"], now=now, shop=shop) for row in rows]
    return [order for order in orders if order is not None]


def belongs_to(order: Order, email: str | None) -> bool:
    """Whether an email (from the cookie or the lookup form) is the order's, ignoring case."""
    return email is not None and order.customer.email.lower() == email.strip().lower()


def cancel_order(
    connection: sqlite3.Connection, number: str, *, now: float, shop: ShopSettings
) -> CancelOutcome | None:
    """Cancel an order if it is still inside its window; None if there is no such order.

    The status is brought up to date first, so a click a second after the window closed is
    refused even though the page showed the button.
    """
    order = load_order(connection, number, now=now, shop=shop)
    if order is None:
        return None
    if order.status is OrderStatus.PROCESSING:
        return CancelOutcome.REFUSED_PROCESSING
    if order.status is OrderStatus.SHIPPED:
        return CancelOutcome.REFUSED_SHIPPED
    if order.status is OrderStatus.CANCELLED:
        return CancelOutcome.REFUSED_ALREADY_CANCELLED
    connection.execute(
        "UPDATE orders SET status = ?, cancelled_at = ? WHERE id = ?",
        (OrderStatus.CANCELLED.value, now, order.id),
    )
    return CancelOutcome.CANCELLED


def _advance_status(connection: sqlite3.Connection, order: Order, *, now: float, shop: ShopSettings) -> bool:
    """Write the transitions due by ``now``; return whether anything changed.

    An order never moves backwards, even if a later run uses a profile with longer timings.
    """
    if order.status is OrderStatus.CANCELLED:
        return False
    processing_at = order.placed_at + shop.cancellation_window_seconds
    shipped_at = processing_at + shop.processing_seconds
    if now >= shipped_at:
        due = OrderStatus.SHIPPED
    elif now >= processing_at:
        due = OrderStatus.PROCESSING
    else:
        due = OrderStatus.PLACED
    if _PROGRESS.index(due) <= _PROGRESS.index(order.status):
        return False
    connection.execute(
        "UPDATE orders SET status = ?, processing_at = coalesce(processing_at, ?),"
        " shipped_at = CASE WHEN ? = 'shipped' THEN coalesce(shipped_at, ?) END WHERE id = ?",
        (due.value, processing_at, due.value, shipped_at, order.id),
    )
    return True


def _read_order(connection: sqlite3.Connection, number: str) -> Order | None:
    """One order and its items as stored, without touching its status."""
    row = connection.execute(
        "SELECT o.*, m.name AS method_name, m.estimate AS method_estimate,"
        " m.price_cents AS method_price_cents"
        " FROM orders o JOIN shipping_methods m ON m.code = o.shipping_method_code"
        " WHERE o.number = ?",
        (number.strip().upper(),),
    ).fetchone()
    if row is None:
        return None
    items = tuple(
        OrderItem(
            product_id=item["product_id"],
            product_name=item["product_name"],
            unit_price_cents=item["unit_price_cents"],
            quantity=item["quantity"],
        )
        for item in connection.execute(
            "SELECT product_id, product_name, unit_price_cents, quantity FROM order_items"
            " WHERE order_id = ? ORDER BY rowid",
            (row["id"],),
        )
    )
    return Order(
        id=row["id"],
        number=row["number"],
        customer=CustomerDetails(
            full_name=row["full_name"],
            email=row["email"],
            phone=row["phone"],
            street_address=row["street_address"],
            city=row["city"],
            postcode=row["postcode"],
            country=row["country"],
            card_last4=row["card_last4"],
        ),
        shipping_method=ShippingMethod(
            code=row["shipping_method_code"],
            name=row["method_name"],
            price_cents=row["method_price_cents"],
            estimate=row["method_estimate"],
        ),
        shipping_cents=row["shipping_cents"],
        subtotal_cents=row["subtotal_cents"],
        total_cents=row["total_cents"],
        status=OrderStatus(row["status"]),
        placed_at=row["placed_at"],
        processing_at=row["processing_at"],
        shipped_at=row["shipped_at"],
        cancelled_at=row["cancelled_at"],
        items=items,
    )
