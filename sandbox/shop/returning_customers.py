"""Customers who bought from Brightline long ago, set up by its staff for mystery shoppers.

A real company keeps test accounts with a purchase history so that a shopper can report a
broken blender bought last year without waiting a year. The demo company does the same: at
start-up it records these orders as placed ``days_ago`` days before its clock's today and
long since shipped, so the warranty rules (a product's ``warranty_months`` from the purchase
day) decide a claim exactly as for any order. Nothing in a journey writes them; the harness
only knows them from its company profile (``[returning_customers]`` in
``companies/sandbox.toml``), as it would know a real company's test accounts.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

DAY_SECONDS = 86_400.0
SHIPPED_AFTER_SECONDS = DAY_SECONDS
"""When a seeded order shipped, after it was placed (it has been delivered ever since)."""


@dataclass(frozen=True)
class PastPurchase:
    """One order of one product, placed a number of days before the sandbox started."""

    order_number: str
    product: str
    shipping_method: str
    days_ago: int


@dataclass(frozen=True)
class ReturningCustomer:
    """A customer with an order history, as the staff set them up."""

    name: str
    email: str
    phone: str
    street: str
    city: str
    postcode: str
    purchases: tuple[PastPurchase, ...]


RETURNING_CUSTOMERS: tuple[ReturningCustomer, ...] = (
    ReturningCustomer(
        "Morgan Hale",
        "morgan.hale@example.test",
        "555-0190-0101",
        "12 Orchard Lane",
        "Springfield",
        "62704",
        (
            PastPurchase("BL-700101", "Blender 3000", "Standard", 400),
            PastPurchase("BL-700102", "Espresso Master", "Express", 900),
        ),
    ),
    ReturningCustomer(
        "Priya Castellanos",
        "priya.castellanos@example.test",
        "555-0190-0102",
        "48 Mill Road",
        "Riverton",
        "84065",
        (
            PastPurchase("BL-700201", "Air Fryer XL", "Standard", 200),
            PastPurchase("BL-700202", "Kettle Pro", "Next-day", 500),
        ),
    ),
    ReturningCustomer(
        "Tomasz Whitfield",
        "tomasz.whitfield@example.test",
        "555-0190-0103",
        "7 Harbour View",
        "Fairhaven",
        "02719",
        (
            PastPurchase("BL-700301", "Stand Mixer", "Standard", 600),
            PastPurchase("BL-700302", "Toaster Duo", "Standard", 450),
        ),
    ),
    ReturningCustomer(
        "Ada Okonkwo",
        "ada.okonkwo@example.test",
        "555-0190-0104",
        "301 Linden Avenue",
        "Maplewood",
        "07040",
        (
            PastPurchase("BL-700401", "Robot Vacuum R2", "Express", 100),
            PastPurchase("BL-700402", "Blender 3000", "Standard", 800),
        ),
    ),
)


def seed_returning_customers(connection: sqlite3.Connection, *, now: float) -> int:
    """Record the customers' past orders, dated from ``now``; return how many were new.

    An order number already in the database is left alone, so a ``--db`` file that
    carries state across runs keeps the dates it was first given.
    """
    added = 0
    for customer in RETURNING_CUSTOMERS:
        for purchase in customer.purchases:
            if connection.execute(
                "SELECT 1 FROM orders WHERE number = ?", (purchase.order_number,)
            ).fetchone():
                continue
            _insert(connection, customer, purchase, now=now)
            added += 1
    return added


def _insert(
    connection: sqlite3.Connection, customer: ReturningCustomer, purchase: PastPurchase, *, now: float
) -> None:
    product = connection.execute(
        "SELECT id, price_cents FROM products WHERE name = ?", (purchase.product,)
    ).fetchone()
    method = connection.execute(
        "SELECT code, price_cents FROM shipping_methods WHERE name = ?", (purchase.shipping_method,)
    ).fetchone()
    if product is None or method is None:
        raise ValueError(f"{purchase.order_number}: unknown product or shipping method in the seed")
    placed = now - purchase.days_ago * DAY_SECONDS
    shipped = placed + SHIPPED_AFTER_SECONDS
    cursor = connection.execute(
        "INSERT INTO orders (number, email, full_name, phone, street_address, city, postcode,"
        " country, shipping_method_code, shipping_cents, subtotal_cents, total_cents,"
        " card_last4, status, placed_at, processing_at, shipped_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'shipped', ?, ?, ?)",
        (
            purchase.order_number,
            customer.email,
            customer.name,
            customer.phone,
            customer.street,
            customer.city,
            customer.postcode,
            "United States",
            method["code"],
            method["price_cents"],
            product["price_cents"],
            product["price_cents"] + method["price_cents"],
            "4242",
            placed,
            placed,
            shipped,
        ),
    )
    connection.execute(
        "INSERT INTO order_items (order_id, product_id, product_name, unit_price_cents, quantity)"
        " VALUES (?, ?, ?, ?, 1)",
        (cursor.lastrowid, product["id"], purchase.product, product["price_cents"]),
    )
