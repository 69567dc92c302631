"""Shopping carts, kept in the database and found again through the ``cart_id`` cookie."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from sandbox.shop.catalogue import Product, product_by_slug

CART_COOKIE = "cart_id"


@dataclass(frozen=True)
class CartLine:
    """One product in a cart, with the quantity and what it costs now."""

    product: Product
    quantity: int

    @property
    def line_total_cents(self) -> int:
        """Unit price times quantity."""
        return self.product.price_cents * self.quantity


@dataclass(frozen=True)
class Cart:
    """The lines of one cart (possibly none) and their subtotal."""

    cart_id: str | None
    lines: tuple[CartLine, ...]

    @property
    def subtotal_cents(self) -> int:
        """Sum of the line totals, before shipping."""
        return sum(line.line_total_cents for line in self.lines)

    @property
    def item_count(self) -> int:
        """Number of units, as the nav's ``Cart (N)`` shows it."""
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        """Whether there is nothing to check out."""
        return not self.lines


def cart_exists(connection: sqlite3.Connection, cart_id: str | None) -> bool:
    """Whether a cookie's cart id names a cart in the database."""
    if not cart_id:
        return False
    row = connection.execute("SELECT 1 FROM carts WHERE id = ?", (cart_id,)).fetchone()
    return row is not None


def create_cart(connection: sqlite3.Connection, now: float) -> str:
    """Create an empty cart; its id is unguessable because it is the customer's only key."""
    cart_id = secrets.token_urlsafe(16)
    connection.execute("INSERT INTO carts (id, created_at) VALUES (?, ?)", (cart_id, now))
    return cart_id


def load_cart(connection: sqlite3.Connection, cart_id: str | None) -> Cart:
    """The cart behind a cookie; an unknown or missing id reads as an empty cart."""
    if not cart_id:
        return Cart(cart_id=None, lines=())
    rows = connection.execute(
        "SELECT p.id, p.slug, p.name, p.description, p.price_cents, p.stock,"
        " p.warranty_months, ci.quantity"
        " FROM cart_items ci JOIN products p ON p.id = ci.product_id"
        " WHERE ci.cart_id = ? ORDER BY p.position",
        (cart_id,),
    ).fetchall()
    lines = tuple(
        CartLine(
            product=Product(
                id=row["id"],
                slug=row["slug"],
                name=row["name"],
                description=row["description"],
                price_cents=row["price_cents"],
                stock=row["stock"],
                warranty_months=row["warranty_months"],
            ),
            quantity=row["quantity"],
        )
        for row in rows
    )
    return Cart(cart_id=cart_id, lines=lines)


def add_to_cart(connection: sqlite3.Connection, cart_id: str, product: Product, quantity: int) -> None:
    """Add units of a product; adding the same product again raises its quantity."""
    connection.execute(
        "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, ?)"
        " ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = quantity + excluded.quantity",
        (cart_id, product.id, quantity),
    )


def quantity_in_cart(connection: sqlite3.Connection, cart_id: str, product: Product) -> int:
    """Units of a product already in the cart (0 if none), to keep carts within stock."""
    row = connection.execute(
        "SELECT quantity FROM cart_items WHERE cart_id = ? AND product_id = ?",
        (cart_id, product.id),
    ).fetchone()
    return 0 if row is None else int(row["quantity"])


def remove_from_cart(connection: sqlite3.Connection, cart_id: str, product_slug: str) -> None:
    """Remove a product's line from the cart (nothing happens if it is not there)."""
    connection.execute(
        "DELETE FROM cart_items WHERE cart_id = ? AND product_id = (SELECT id FROM products WHERE slug = ?)",
        (cart_id, product_slug),
    )


def remove_product(connection: sqlite3.Connection, cart_id: str | None, product_slug: str) -> Product | None:
    """Take a product's line out of a cart; the product, or None if the slug names none."""
    product = product_by_slug(connection, product_slug)
    if cart_id and product is not None:
        remove_from_cart(connection, cart_id, product_slug)
    return product


def empty_cart(connection: sqlite3.Connection, cart_id: str) -> None:
    """Remove every line, once the cart became an order."""
    connection.execute("DELETE FROM cart_items WHERE cart_id = ?", (cart_id,))
