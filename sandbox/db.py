"""The shop's SQLite database: one schema, one connection, one lock.

uvicorn runs async endpoints on one event loop and sync code in a thread pool, so the app
shares a single connection (``check_same_thread=False``) and serialises every use of it with a
lock. Each use is a transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``), so a request sees and
leaves a consistent state (checking stock and decrementing it happen together).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL UNIQUE,
    description     TEXT NOT NULL,
    price_cents     INTEGER NOT NULL CHECK (price_cents >= 0),
    stock           INTEGER NOT NULL CHECK (stock >= 0),
    warranty_months INTEGER NOT NULL CHECK (warranty_months >= 0),
    position        INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS shipping_methods (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    estimate    TEXT NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS carts (
    id         TEXT PRIMARY KEY,
    created_at REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS cart_items (
    cart_id    TEXT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (cart_id, product_id)
);

CREATE TABLE IF NOT EXISTS orders (
    id                   INTEGER PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    email                TEXT NOT NULL,
    full_name            TEXT NOT NULL,
    phone                TEXT NOT NULL,
    street_address       TEXT NOT NULL,
    city                 TEXT NOT NULL,
    postcode             TEXT NOT NULL,
    country              TEXT NOT NULL,
    shipping_method_code TEXT NOT NULL REFERENCES shipping_methods (code),
    shipping_cents       INTEGER NOT NULL,
    subtotal_cents       INTEGER NOT NULL,
    total_cents          INTEGER NOT NULL,
    card_last4           TEXT NOT NULL,
    status               TEXT NOT NULL
        CHECK (status IN ('placed', 'processing', 'shipped', 'cancelled')),
    placed_at            REAL NOT NULL,
    processing_at        REAL,
    shipped_at           REAL,
    cancelled_at         REAL
);

CREATE INDEX IF NOT EXISTS orders_by_email ON orders (email);

CREATE TABLE IF NOT EXISTS order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    product_name     TEXT NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);

-- The steps storefront (sandbox/shop/steps_checkout.py): a checkout in progress, one row per
-- cart, filled in page by page; and what its orders add to the classic order row.
CREATE TABLE IF NOT EXISTS checkout_progress (
    cart_id              TEXT PRIMARY KEY REFERENCES carts (id) ON DELETE CASCADE,
    email                TEXT,
    first_name           TEXT,
    last_name            TEXT,
    phone                TEXT,
    address_line1        TEXT,
    town                 TEXT,
    region               TEXT,
    postcode             TEXT,
    country_code         TEXT,
    shipping_method_code TEXT REFERENCES shipping_methods (code),
    payment_method       TEXT CHECK (payment_method IN ('pay-on-delivery', 'bank-transfer')),
    updated_at           REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS order_extras (
    order_id       INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    region         TEXT NOT NULL,
    payment_method TEXT NOT NULL CHECK (payment_method IN ('pay-on-delivery', 'bank-transfer'))
);

-- What the contact centre's agents really create (sandbox/contact/actions.py).
CREATE TABLE IF NOT EXISTS returns (
    id         INTEGER PRIMARY KEY,
    reference  TEXT NOT NULL UNIQUE CHECK (reference GLOB 'RMA-[0-9][0-9][0-9][0-9][0-9]'),
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    email      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS warranty_cases (
    id            INTEGER PRIMARY KEY,
    reference     TEXT NOT NULL UNIQUE CHECK (reference GLOB 'WC-[0-9][0-9][0-9][0-9][0-9]'),
    order_id      INTEGER NOT NULL REFERENCES orders (id),
    serial_number TEXT NOT NULL,
    purchase_date TEXT NOT NULL,
    fault         TEXT NOT NULL,
    created_at    REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS repairs (
    id            INTEGER PRIMARY KEY,
    reference     TEXT NOT NULL UNIQUE CHECK (reference GLOB 'RP-[0-9][0-9][0-9][0-9][0-9]'),
    order_id      INTEGER REFERENCES orders (id),
    serial_number TEXT NOT NULL,
    postcode      TEXT NOT NULL,
    fault         TEXT NOT NULL,
    visit_date    TEXT NOT NULL,
    created_at    REAL NOT NULL
);
"""


class Database:
    """A lock-protected SQLite connection shared by all requests.

    Args:
        path: The database file; created with the schema if new.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._connection.row_factory = sqlite3.Row
        self._connection.execute("PRAGMA foreign_keys = ON")
        self._connection.execute("PRAGMA journal_mode = WAL")
        with self._lock:
            self._connection.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and a write transaction; commit on success, roll back on error.

        A transaction opened inside another on the same thread joins it, so a helper that
        needs the database (the nav's cart count) can run inside an endpoint's transaction.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._connection
                finally:
                    self._depth -= 1
                return
            self._connection.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            else:
                self._connection.execute("COMMIT")
            finally:
                self._depth = 0

    def close(self) -> None:
        """Close the connection (the app's shutdown does this)."""
        with self._lock:
            self._connection.close()
