"""The checkout form: its fields, server-side validation and the demo payment.

Validation is server-side only (the form has ``novalidate``) so a customer who leaves a field
empty sees the shop's own message, which is what a journey observes.

The payment is a stand-in: ``4242 4242 4242 4242`` is approved, ``4000 0000 0000 0002`` is
declined, anything else is refused as not a test card. No card number is ever stored: an
order keeps the last four digits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

APPROVED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"

CARD_DECLINED_MESSAGE = "Your card was declined. Please use another card."
NOT_A_TEST_CARD_MESSAGE = "This is a demo shop: use the test card 4242 4242 4242 4242."


@dataclass(frozen=True)
class FormField:
    """One text input of the checkout form.

    Attributes:
        name: The form field's name and the input's id.
        label: The label's exact text, which is the input's accessible name.
        missing_message: The alert shown when it is left empty.
        input_type: The HTML input type.
        autocomplete: The HTML autocomplete token, so browsers can fill it.
        is_card_detail: Card details are not echoed back after a declined card.
    """

    name: str
    label: str
    missing_message: str
    input_type: str = "text"
    autocomplete: str = "off"
    is_card_detail: bool = False


CUSTOMER_FIELDS: tuple[FormField, ...] = (
    FormField("full_name", "Full name", "Please enter your full name.", autocomplete="name"),
    FormField("email", "Email", "Please enter your email.", "email", "email"),
    FormField("phone", "Phone", "Please enter your phone number.", "tel", "tel"),
    FormField(
        "street_address",
        "Street address",
        "Please enter your street address.",
        autocomplete="street-address",
    ),
    FormField("city", "City", "Please enter your city.", autocomplete="address-level2"),
    FormField("postcode", "Postcode", "Please enter your postcode.", autocomplete="postal-code"),
    FormField("country", "Country", "Please enter your country.", autocomplete="country-name"),
)

CARD_FIELDS: tuple[FormField, ...] = (
    FormField(
        "card_number",
        "Card number",
        "Please enter your card number.",
        autocomplete="cc-number",
        is_card_detail=True,
    ),
    FormField(
        "card_expiry",
        "Expiry (MM/YY)",
        "Please enter your card's expiry date (MM/YY).",
        autocomplete="cc-exp",
        is_card_detail=True,
    ),
    FormField(
        "card_cvc",
        "CVC",
        "Please enter your card's CVC.",
        autocomplete="cc-csc",
        is_card_detail=True,
    ),
)

SHIPPING_FIELD = "shipping_method"
SHIPPING_MISSING_MESSAGE = "Please choose a shipping method."

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_EXPIRY = re.compile(r"^(0[1-9]|1[0-2])\s*/\s*\d{2}$")
_CVC = re.compile(r"^\d{3,4}$")


class CardOutcome(StrEnum):
    """What the demo payment made of a card number."""

    APPROVED = "approved"
    DECLINED = "declined"
    NOT_A_TEST_CARD = "not-a-test-card"


@dataclass(frozen=True)
class FieldError:
    """A problem with one field, shown in the form's alert and marked on the input."""

    field: str
    message: str


@dataclass(frozen=True)
class CheckoutSubmission:
    """A submitted checkout form: the values as typed (trimmed) and what is wrong with them."""

    values: Mapping[str, str]
    errors: tuple[FieldError, ...]

    @property
    def invalid_fields(self) -> frozenset[str]:
        """Names of the fields to mark ``aria-invalid``."""
        return frozenset(error.field for error in self.errors)


def read_submission(form: Mapping[str, str], known_shipping_codes: set[str]) -> CheckoutSubmission:
    """Trim the submitted values and check each field; the card is judged separately."""
    names = [field.name for field in (*CUSTOMER_FIELDS, *CARD_FIELDS)] + [SHIPPING_FIELD]
    values = {name: str(form.get(name, "")).strip() for name in names}
    errors: list[FieldError] = []
    for field in CUSTOMER_FIELDS:
        if not values[field.name]:
            errors.append(FieldError(field.name, field.missing_message))
    if values["email"] and not is_valid_email(values["email"]):
        errors.append(FieldError("email", "Please enter a valid email address."))
    if values[SHIPPING_FIELD] not in known_shipping_codes:
        errors.append(FieldError(SHIPPING_FIELD, SHIPPING_MISSING_MESSAGE))
    for field in CARD_FIELDS:
        if not values[field.name]:
            errors.append(FieldError(field.name, field.missing_message))
    if values["card_expiry"] and not _EXPIRY.match(values["card_expiry"]):
        errors.append(FieldError("card_expiry", "Please enter the expiry date as MM/YY."))
    if values["card_cvc"] and not _CVC.match(values["card_cvc"]):
        errors.append(FieldError("card_cvc", "Please enter the 3 or 4 digits of your CVC."))
    return CheckoutSubmission(values=values, errors=tuple(errors))


def is_valid_email(text: str) -> bool:
    """Whether text looks like an email address (one ``@``, a dot in the domain, no spaces)."""
    return _EMAIL.match(text) is not None


def normalise_card_number(card_number: str) -> str:
    """Drop the spaces and dashes people type between groups of digits."""
    return re.sub(r"[\s-]", "", card_number)


def charge_card(card_number: str) -> CardOutcome:
    """The demo payment: approve the test card, decline the decline card, refuse the rest."""
    digits = normalise_card_number(card_number)
    if digits == APPROVED_CARD:
        return CardOutcome.APPROVED
    if digits == DECLINED_CARD:
        return CardOutcome.DECLINED
    return CardOutcome.NOT_A_TEST_CARD


def without_card_details(values: Mapping[str, str]) -> dict[str, str]:
    """The values to show again after a refused card: the customer types a card anew."""
    card_names = {field.name for field in CARD_FIELDS}
    return {name: value for name, value in values.items() if name not in card_names}
