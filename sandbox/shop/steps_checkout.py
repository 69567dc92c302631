"""The ``steps`` storefront's checkout: one page per step, the progress kept per cart.

The customer goes through five pages, each saving what it asked for in the
``checkout_progress`` row of the cart: a guest e-mail address, a delivery address, a shipping
method, a payment method (pay on delivery, or by bank transfer against an invoice: no card is
ever asked for), then a preview where the order is placed. A page asked for before its
turn sends the customer to the first step still missing, as real shops do.

Placing the order is the classic storefront's :func:`~sandbox.shop.orders.place_order` (same
stock, same numbers, same life cycle); the state and the payment method go in ``order_extras``.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sandbox.shop.addresses import Country, country_by_code, state_name
from sandbox.shop.carts import Cart
from sandbox.shop.catalogue import ShippingMethod, shipping_method_by_code
from sandbox.shop.checkout import FieldError, FormField, is_valid_email
from sandbox.shop.orders import CustomerDetails, Order, StockShortage, place_order


class PaymentMethod(StrEnum):
    """How a customer of the steps storefront pays; the value is what the database stores."""

    PAY_ON_DELIVERY = "pay-on-delivery"
    BANK_TRANSFER = "bank-transfer"

    @property
    def label(self) -> str:
        """The choice's label on the payment page, and its name everywhere after."""
        return _PAYMENT_LABELS[self]

    @property
    def terms(self) -> str:
        """What the customer agrees to by choosing it."""
        return _PAYMENT_TERMS[self]


_PAYMENT_LABELS = {
    PaymentMethod.PAY_ON_DELIVERY: "Pay on delivery",
    PaymentMethod.BANK_TRANSFER: "Bank transfer (invoice)",
}
_PAYMENT_TERMS = {
    PaymentMethod.PAY_ON_DELIVERY: "Pay by cash or card when your order is handed to you.",
    PaymentMethod.BANK_TRANSFER: (
        "We send an invoice with your order; pay it by bank transfer within 14 days."
    ),
}


class CheckoutStep(StrEnum):
    """The checkout's pages in order; the value is the page's path."""

    EMAIL = "/checkout/"
    DELIVERY_ADDRESS = "/checkout/delivery-address/"
    SHIPPING_METHOD = "/checkout/shipping-method/"
    PAYMENT_METHOD = "/checkout/payment-method/"
    PREVIEW = "/checkout/preview/"

    @property
    def label(self) -> str:
        """The step's name in the progress bar."""
        return _STEP_LABELS[self]


_STEP_LABELS = {
    CheckoutStep.EMAIL: "Email",
    CheckoutStep.DELIVERY_ADDRESS: "Delivery",
    CheckoutStep.SHIPPING_METHOD: "Shipping",
    CheckoutStep.PAYMENT_METHOD: "Payment",
    CheckoutStep.PREVIEW: "Review",
}


@dataclass(frozen=True)
class DeliveryAddress:
    """Where an order goes, as the delivery address page took it.

    Attributes:
        region: The US state's code, or ``""`` outside the United States.
        postcode: In its country's usual written form.
    """

    first_name: str
    last_name: str
    phone: str
    line1: str
    town: str
    region: str
    postcode: str
    country: Country

    @property
    def full_name(self) -> str:
        """First and last name, as an order stores the customer's name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def region_name(self) -> str:
        """The state's name, or ``""``."""
        return state_name(self.region) or ""


@dataclass(frozen=True)
class CheckoutProgress:
    """What the checkout of one cart has been told so far; None is a step not done yet."""

    email: str | None = None
    address: DeliveryAddress | None = None
    shipping_method: ShippingMethod | None = None
    payment_method: PaymentMethod | None = None

    def first_missing_step(self) -> CheckoutStep:
        """The first page still to fill in; the preview when everything is known."""
        answers = (self.email, self.address, self.shipping_method, self.payment_method)
        steps = list(CheckoutStep)
        for step, answer in zip(steps, answers, strict=False):
            if answer is None:
                return step
        return CheckoutStep.PREVIEW

    def has_reached(self, step: CheckoutStep) -> bool:
        """Whether every step before this one is done, so its page may be shown."""
        steps = list(CheckoutStep)
        return steps.index(step) <= steps.index(self.first_missing_step())


EMAIL_FIELD = FormField("email", "Email address", "Enter your email address", "email", "email")
INVALID_EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"

ADDRESS_FIELDS: tuple[FormField, ...] = (
    FormField("first_name", "First name", "Enter your first name", autocomplete="given-name"),
    FormField("last_name", "Last name", "Enter your last name", autocomplete="family-name"),
    FormField("phone", "Phone", "Enter your phone number", "tel", "tel"),
    FormField(
        "address_line1",
        "Address line 1",
        "Enter the first line of your address",
        autocomplete="address-line1",
    ),
    FormField("town", "Town/City", "Enter your town or city", autocomplete="address-level2"),
    FormField("postcode", "ZIP/Postcode", "Enter your ZIP/Postcode", autocomplete="postal-code"),
)
"""The address page's text inputs; its two drop-downs are ``state`` and ``country``."""

STATE_MISSING_MESSAGE = "Select your state"
COUNTRY_MISSING_MESSAGE = "Select your country"
SHIPPING_MISSING_MESSAGE = "Select a shipping option"
PAYMENT_MISSING_MESSAGE = "Select how you would like to pay"


@dataclass(frozen=True)
class AddressSubmission:
    """A submitted address page: the values as typed, the address if they are all valid."""

    values: Mapping[str, str]
    address: DeliveryAddress | None
    errors: tuple[FieldError, ...]


def read_email(form: Mapping[str, str]) -> tuple[str, tuple[FieldError, ...]]:
    """The guest's e-mail address, trimmed, and what is wrong with it."""
    email = str(form.get(EMAIL_FIELD.name, "")).strip()
    if not email:
        return email, (FieldError(EMAIL_FIELD.name, EMAIL_FIELD.missing_message),)
    if not is_valid_email(email):
        return email, (FieldError(EMAIL_FIELD.name, INVALID_EMAIL_MESSAGE),)
    return email, ()


def read_address(form: Mapping[str, str]) -> AddressSubmission:
    """Check every field of the address page; the postcode against the chosen country."""
    names = [field.name for field in ADDRESS_FIELDS] + ["state", "country"]
    values = {name: str(form.get(name, "")).strip() for name in names}
    errors = [
        FieldError(field.name, field.missing_message) for field in ADDRESS_FIELDS if not values[field.name]
    ]
    country = country_by_code(values["country"])
    region = ""
    if country is None:
        errors.append(FieldError("country", COUNTRY_MISSING_MESSAGE))
    elif country.has_states:
        if state_name(values["state"]) is None:
            errors.append(FieldError("state", STATE_MISSING_MESSAGE))
        region = values["state"]
    postcode = country.written_postcode(values["postcode"]) if country else None
    if country is not None and values["postcode"] and postcode is None:
        errors.append(FieldError("postcode", country.invalid_postcode_message))
    if errors or country is None or postcode is None:
        return AddressSubmission(values, None, tuple(_in_form_order(errors, names)))
    address = DeliveryAddress(
        first_name=values["first_name"],
        last_name=values["last_name"],
        phone=values["phone"],
        line1=values["address_line1"],
        town=values["town"],
        region=region,
        postcode=postcode,
        country=country,
    )
    return AddressSubmission(values, address, ())


def address_values(address: DeliveryAddress | None) -> dict[str, str]:
    """A saved address as the address page's values, to fill the form in again."""
    if address is None:
        return {"country": "US"}
    return {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "phone": address.phone,
        "address_line1": address.line1,
        "town": address.town,
        "state": address.region,
        "postcode": address.postcode,
        "country": address.country.code,
    }


def _in_form_order(errors: list[FieldError], names: list[str]) -> list[FieldError]:
    """Errors in the order the page shows the fields (state and country come last in code)."""
    page_order = [*names[:5], "state", "postcode", "country"]
    return sorted(errors, key=lambda error: page_order.index(error.field))


# -- The progress, in the database ---------------------------------------------------------


def load_progress(connection: sqlite3.Connection, cart_id: str | None) -> CheckoutProgress:
    """What a cart's checkout has been told so far (nothing, for a cart that has none)."""
    if not cart_id:
        return CheckoutProgress()
    row = connection.execute("SELECT * FROM checkout_progress WHERE cart_id = ?", (cart_id,)).fetchone()
    if row is None:
        return CheckoutProgress()
    country = country_by_code(row["country_code"] or "")
    address = None
    if country is not None and row["first_name"] is not None:
        address = DeliveryAddress(
            first_name=row["first_name"],
            last_name=row["last_name"],
            phone=row["phone"],
            line1=row["address_line1"],
            town=row["town"],
            region=row["region"],
            postcode=row["postcode"],
            country=country,
        )
    method_code = row["shipping_method_code"]
    return CheckoutProgress(
        email=row["email"],
        address=address,
        shipping_method=shipping_method_by_code(connection, method_code) if method_code else None,
        payment_method=PaymentMethod(row["payment_method"]) if row["payment_method"] else None,
    )


def save_email(connection: sqlite3.Connection, cart_id: str, email: str, now: float) -> None:
    """Remember the guest's e-mail address."""
    _save(connection, cart_id, now, {"email": email})


def save_address(connection: sqlite3.Connection, cart_id: str, address: DeliveryAddress, now: float) -> None:
    """Remember the delivery address."""
    columns = {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "phone": address.phone,
        "address_line1": address.line1,
        "town": address.town,
        "region": address.region,
        "postcode": address.postcode,
        "country_code": address.country.code,
    }
    _save(connection, cart_id, now, columns)


def save_shipping_method(
    connection: sqlite3.Connection, cart_id: str, method: ShippingMethod, now: float
) -> None:
    """Remember the chosen shipping method."""
    _save(connection, cart_id, now, {"shipping_method_code": method.code})


def save_payment_method(
    connection: sqlite3.Connection, cart_id: str, method: PaymentMethod, now: float
) -> None:
    """Remember how the customer will pay."""
    _save(connection, cart_id, now, {"payment_method": method.value})


def _save(connection: sqlite3.Connection, cart_id: str, now: float, columns: Mapping[str, str]) -> None:
    """Insert or update a cart's progress row; ``columns`` are names from this module only."""
    names = [*columns, "updated_at"]
    placeholders = ", ".join("?" for _ in names)
    updates = ", ".join(f"{name} = excluded.{name}" for name in names)
    connection.execute(
        f"INSERT INTO checkout_progress (cart_id, {', '.join(names)}) VALUES (?, {placeholders})"
        f" ON CONFLICT (cart_id) DO UPDATE SET {updates}",
        (cart_id, *columns.values(), now),
    )


# -- Placing the order ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrderExtras:
    """What a steps order adds to the order row: the state and how it is paid."""

    region: str
    payment_method: PaymentMethod

    @property
    def region_name(self) -> str:
        """The state's name, or ``""``."""
        return state_name(self.region) or ""


def place_steps_order(
    connection: sqlite3.Connection,
    *,
    cart: Cart,
    progress: CheckoutProgress,
    now: float,
    rng: random.Random,
) -> Order | StockShortage:
    """Place the order of a complete checkout, then forget its progress.

    Run it inside one transaction, as :func:`~sandbox.shop.orders.place_order`.
    """
    email, address = progress.email, progress.address
    method, payment = progress.shipping_method, progress.payment_method
    assert email and address and method and payment, "the preview is shown only when complete"
    customer = CustomerDetails(
        full_name=address.full_name,
        email=email,
        phone=address.phone,
        street_address=address.line1,
        city=address.town,
        postcode=address.postcode,
        country=address.country.name,
        card_last4="",
    )
    placed = place_order(connection, cart=cart, customer=customer, shipping_method=method, now=now, rng=rng)
    if isinstance(placed, Order):
        connection.execute(
            "INSERT INTO order_extras (order_id, region, payment_method) VALUES (?, ?, ?)",
            (placed.id, address.region, payment.value),
        )
        if cart.cart_id is not None:
            connection.execute("DELETE FROM checkout_progress WHERE cart_id = ?", (cart.cart_id,))
    return placed


def order_extras(connection: sqlite3.Connection, order_id: int) -> OrderExtras | None:
    """A steps order's state and payment method; None for an order placed another way."""
    row = connection.execute(
        "SELECT region, payment_method FROM order_extras WHERE order_id = ?", (order_id,)
    ).fetchone()
    if row is None:
        return None
    return OrderExtras(region=row["region"], payment_method=PaymentMethod(row["payment_method"]))
