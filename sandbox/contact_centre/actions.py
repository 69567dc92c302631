"""The real effects of a contact, behind one interface the web layer implements.

The engine decides from the profile what an agent *says*; whether something really
happened is up to these actions, which the web layer implements against the shop's
database (an order really is cancelled, an RMA really exists). That split is what
makes "claimed versus verified" testable: a ``false_resolve`` leg claims success and
calls nothing. :class:`~.in_memory.InMemoryServiceActions` is a stand-in for tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from sandbox.contact_centre.model import RefusalReason


class CancelResult(StrEnum):
    """What the shop did with a cancellation request."""

    CANCELLED = "cancelled"
    TOO_LATE = "too_late"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class OrderStatus:
    """An order as the shop sees it, for status enquiries.

    Attributes:
        found: False when no order matches the number and email.
        status: the shop's word for it ("processing", "shipped", ...).
        delivery_date: the expected delivery, when the shop knows it.
    """

    found: bool
    status: str = ""
    delivery_date: date | None = None


@dataclass(frozen=True)
class ActionResult:
    """The outcome of an action that creates something: a reference, or a refusal.

    Attributes:
        reference: the number created (``RMA-12345``, ``WC-12345``, ``RP-12345``,
            ``BL-123456``); None when refused.
        refusal: why the shop said no; None when done.
        day: a date that came with it (a repair visit, a delivery), if any.
    """

    reference: str | None = None
    refusal: RefusalReason | None = None
    day: date | None = None

    @property
    def done(self) -> bool:
        """True when the shop really created something."""
        return self.reference is not None and self.refusal is None

    @classmethod
    def created(cls, reference: str, day: date | None = None) -> ActionResult:
        """The shop created ``reference``."""
        return cls(reference=reference, day=day)

    @classmethod
    def refused(cls, reason: RefusalReason) -> ActionResult:
        """The shop said no, for ``reason``."""
        return cls(refusal=reason)


@dataclass(frozen=True)
class CustomerDetails:
    """Who an order is for, as the customer gave it to an agent."""

    name: str
    email: str
    address: str
    postcode: str = ""
    phone: str = ""


def identifies(said: str, *, email: str, phone: str) -> bool:
    """Whether what a customer gave to say who they are is an order's: its e-mail address
    (in any case) or, as a caller gives it, its phone number (the same digits)."""
    if "@" in said:
        return said.strip().lower() == email.lower()
    digits = re.sub(r"\D", "", said)
    return bool(digits) and digits == re.sub(r"\D", "", phone)


class ServiceActions(Protocol):
    """Everything an agent can really do; the web layer implements it on the shop database.

    Each method is called at most once per contact, at the moment the agent acts,
    with the values the customer gave (normalised: order numbers and postcodes
    upper case, email lower case). An empty string means the customer was never
    asked for that field on this route. ``customer`` is who the customer said they
    are: the order's e-mail address, or on a call its phone number (:func:`identifies`).
    """

    def order_status(self, order_number: str, customer: str) -> OrderStatus:
        """Look an order up for a status enquiry; changes nothing."""
        ...

    def cancel_order(self, order_number: str, customer: str) -> CancelResult:
        """Cancel the order if the shop's cancellation window allows it."""
        ...

    def create_return(self, order_number: str, customer: str, reason: str) -> ActionResult:
        """Create a return authorisation (``RMA-12345``) or refuse it."""
        ...

    def open_warranty_case(
        self, order_number: str, serial_number: str, purchase_date: str, fault: str
    ) -> ActionResult:
        """Open a warranty case (``WC-12345``), or refuse: out of warranty, not found."""
        ...

    def book_repair(self, order_number: str, serial_number: str, postcode: str, fault: str) -> ActionResult:
        """Book an engineer's visit (``RP-12345`` and the visit's date) or refuse."""
        ...

    def place_order(self, customer: CustomerDetails, product: str, shipping_method: str) -> ActionResult:
        """Place an order (``BL-123456``, and the delivery date if known) or refuse it."""
        ...
