"""What Brightline Appliances sells and how it ships: seed data and read queries.

Stock is large (500) because many journeys run in parallel against one sandbox; one product
is out of stock so journeys can meet that case.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    """A product as the catalogue shows it; prices are in cents."""

    id: int
    slug: str
    name: str
    description: str
    price_cents: int
    stock: int
    warranty_months: int

    @property
    def in_stock(self) -> bool:
        """Whether a customer can add it to a cart."""
        return self.stock > 0


@dataclass(frozen=True)
class ShippingMethod:
    """A way to get an order to the customer, with its price and delivery estimate."""

    code: str
    name: str
    price_cents: int
    estimate: str


@dataclass(frozen=True)
class _ProductSeed:
    slug: str
    name: str
    price_cents: int
    warranty_months: int
    description: str
    stock: int = 500


PRODUCT_SEEDS: tuple[_ProductSeed, ...] = (
    _ProductSeed(
        "blender-3000",
        "Blender 3000",
        7900,
        24,
        "A 1,200 W blender with six speeds and a 1.5 litre glass jug.",
    ),
    _ProductSeed(
        "kettle-pro",
        "Kettle Pro",
        4900,
        12,
        "A 1.7 litre stainless steel kettle with temperature presets for tea and coffee.",
    ),
    _ProductSeed(
        "toaster-duo",
        "Toaster Duo",
        3900,
        12,
        "A two-slice toaster with wide slots, a bagel setting and a crumb tray.",
    ),
    _ProductSeed(
        "espresso-master",
        "Espresso Master",
        34900,
        24,
        "A 15-bar espresso machine with a built-in grinder and a steam wand.",
    ),
    _ProductSeed(
        "air-fryer-xl",
        "Air Fryer XL",
        12900,
        24,
        "A 5.5 litre air fryer with eight programmes and a dishwasher-safe basket.",
    ),
    _ProductSeed(
        "stand-mixer",
        "Stand Mixer",
        27900,
        36,
        "A 4.8 litre stand mixer with a dough hook, a whisk and a flat beater.",
    ),
    _ProductSeed(
        "robot-vacuum-r2",
        "Robot Vacuum R2",
        29900,
        24,
        "A robot vacuum that maps your home and empties itself into its dock.",
    ),
    _ProductSeed(
        "microwave-compact",
        "Microwave Compact",
        11900,
        12,
        "A 20 litre, 800 W microwave that fits under a wall cabinet.",
    ),
    _ProductSeed(
        "coffee-grinder",
        "Coffee Grinder",
        5900,
        12,
        "A conical burr grinder with 18 grind settings, from espresso to French press.",
    ),
    _ProductSeed(
        "rice-cooker-5",
        "Rice Cooker 5",
        6900,
        12,
        "A five-cup rice cooker that keeps rice warm for up to 12 hours.",
    ),
    _ProductSeed(
        "ice-cream-maker",
        "Ice Cream Maker",
        8900,
        12,
        "A 1.5 litre ice cream maker with its own compressor: no pre-freezing.",
        stock=0,
    ),
)

SHIPPING_METHOD_SEEDS: tuple[ShippingMethod, ...] = (
    ShippingMethod("standard", "Standard", 499, "3–5 business days"),
    ShippingMethod("express", "Express", 1299, "1–2 business days"),
    ShippingMethod("next-day", "Next-day", 2499, "next business day"),
    ShippingMethod("store-pickup", "Store pickup", 0, "ready in 2 hours"),
)


def seed_catalogue(connection: sqlite3.Connection) -> None:
    """Insert the products and shipping methods into a new database; leave an old one alone.

    An existing database keeps its stock, so a ``--db`` file carries state across runs.
    """
    if connection.execute("SELECT COUNT(*) FROM products").fetchone()[0] == 0:
        connection.executemany(
            "INSERT INTO products (slug, name, description, price_cents, stock,"
            " warranty_months, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    seed.slug,
                    seed.name,
                    seed.description,
                    seed.price_cents,
                    seed.stock,
                    seed.warranty_months,
                    position,
                )
                for position, seed in enumerate(PRODUCT_SEEDS)
            ],
        )
    if connection.execute("SELECT COUNT(*) FROM shipping_methods").fetchone()[0] == 0:
        connection.executemany(
            "INSERT INTO shipping_methods (code, name, price_cents, estimate, position)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (method.code, method.name, method.price_cents, method.estimate, position)
                for position, method in enumerate(SHIPPING_METHOD_SEEDS)
            ],
        )


_PRODUCT_COLUMNS = "id, slug, name, description, price_cents, stock, warranty_months"


def list_products(connection: sqlite3.Connection) -> list[Product]:
    """Every product, in catalogue order."""
    rows = connection.execute(f"SELECT {_PRODUCT_COLUMNS} FROM products ORDER BY position")
    return [Product(**dict(row)) for row in rows]


def product_by_slug(connection: sqlite3.Connection, slug: str) -> Product | None:
    """The product at ``/products/{slug}``, or None."""
    row = connection.execute(f"SELECT {_PRODUCT_COLUMNS} FROM products WHERE slug = ?", (slug,)).fetchone()
    return None if row is None else Product(**dict(row))


def list_shipping_methods(connection: sqlite3.Connection) -> list[ShippingMethod]:
    """Every shipping method, in the order checkout offers them."""
    rows = connection.execute(
        "SELECT code, name, price_cents, estimate FROM shipping_methods ORDER BY position"
    )
    return [ShippingMethod(**dict(row)) for row in rows]


def shipping_method_by_code(connection: sqlite3.Connection, code: str) -> ShippingMethod | None:
    """The shipping method a checkout form chose, or None if the code is unknown."""
    row = connection.execute(
        "SELECT code, name, price_cents, estimate FROM shipping_methods WHERE code = ?", (code,)
    ).fetchone()
    return None if row is None else ShippingMethod(**dict(row))
