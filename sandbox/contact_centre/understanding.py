"""What the company understands of what the customer types: the intent, and field values.

Deliberately simple keyword matching: the harness writes like a customer, and the
demo company should be predictable. Shapes are checked only where a real company
would (order numbers, email addresses, postcodes); a value that fails its shape is
asked for again, and that second request counts as a recapture in the truth.
"""

from __future__ import annotations

import re

from sandbox.contact_centre.model import FieldName, Intent

# Checked in this order: a message about returning an order is a return, not an order.
_INTENT_KEYWORDS: tuple[tuple[Intent, str], ...] = (
    ("cancel", r"\bcancel"),
    ("return", r"\b(?:return|refund|send (?:it |this |them )?back)"),
    ("warranty", r"\b(?:warranty|guarantee)"),
    ("repair", r"\b(?:repair|broken|broke|stopped working|not working|fault)"),
    ("enquiry", r"\b(?:status|where is|where's|track|has it shipped|not arrived)"),
    ("order", r"\b(?:order|buy|purchase)"),
)

ORDER_NUMBER = re.compile(r"\bBL-\d{6}\b", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?\d(?:[\s().-]*\d){6,}")
"""Seven digits or more, spaced, dashed or bracketed as people write them."""
# A UK postcode or a US ZIP code: the shop delivers to both (checkout takes either).
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\b\d{5}(?:-\d{4})?\b", re.IGNORECASE)

_SHAPED_FIELDS: dict[FieldName, re.Pattern[str]] = {
    "order_number": ORDER_NUMBER,
    "email": EMAIL,
    "phone": PHONE,
    "postcode": POSTCODE,
}


def recognise_intent(message: str) -> Intent | None:
    """The customer's intent from their opening message, or None when it is unclear."""
    lowered = message.lower()
    for intent, pattern in _INTENT_KEYWORDS:
        if re.search(pattern, lowered):
            return intent
    return None


def field_value(field: FieldName, message: str) -> str | None:
    """The value of ``field`` in the customer's answer, or None when it cannot be one.

    Shaped fields are found anywhere in the message ("it's BL-123456") and
    normalised (order numbers and postcodes upper case, email lower case); other
    fields take the whole answer.
    """
    shape = _SHAPED_FIELDS.get(field)
    if shape is None:
        value = " ".join(message.split())
        return value or None
    match = shape.search(message)
    if match is None:
        return None
    found = match.group(0)
    if field == "email":
        return found.lower()
    if field == "postcode" and not found[0].isdigit():
        compact = found.replace(" ", "").upper()
        return f"{compact[:-3]} {compact[-3:]}"
    return found.upper()
