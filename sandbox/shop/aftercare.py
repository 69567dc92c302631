"""What happened to an order after it was bought: returns, warranty cases, repair visits.

The order page lists these from the same tables the contact centre writes, so a
customer (and the harness, as a customer) can check that an agent's reference
number really exists: the independent check behind "verified" resolution.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class AftercareItem:
    """One return, warranty case or repair booking of an order."""

    kind: str
    reference: str
    created_at: float
    detail: str


def aftercare_of(connection: sqlite3.Connection, order_id: int) -> list[AftercareItem]:
    """Every return, warranty case and repair of one order, oldest first."""
    rows = connection.execute(
        "SELECT 'Return', reference, created_at, reason FROM returns WHERE order_id = ?"
        " UNION ALL SELECT 'Warranty case', reference, created_at, fault FROM warranty_cases"
        " WHERE order_id = ?"
        " UNION ALL SELECT 'Repair visit', reference, created_at, 'engineer visit on ' || visit_date"
        " FROM repairs WHERE order_id = ? ORDER BY 3",
        (order_id, order_id, order_id),
    ).fetchall()
    return [AftercareItem(str(kind), str(ref), float(at), str(detail)) for kind, ref, at, detail in rows]


@dataclass(frozen=True)
class RepairBooking:
    """An engineer's visit as the repair tracking page shows it."""

    reference: str
    serial_number: str
    fault: str
    visit_date: str
    created_at: float


def repair_booking(connection: sqlite3.Connection, reference: str) -> RepairBooking | None:
    """A repair by its ``RP-`` reference (a repair need not belong to an order bought here)."""
    row = connection.execute(
        "SELECT reference, serial_number, fault, visit_date, created_at FROM repairs WHERE reference = ?",
        (reference.strip().upper(),),
    ).fetchone()
    if row is None:
        return None
    return RepairBooking(str(row[0]), str(row[1]), str(row[2]), str(row[3]), float(row[4]))
