"""What a customer writes: a letter says everything it knows at once."""

from __future__ import annotations

from journeys.domain.goals import letter
from journeys.domain.shopper import Shopper


def test_a_letter_states_every_fact_the_customer_knows_at_once() -> None:
    shopper = Shopper.for_journey(0, "letter")
    facts = {"product": "Air Fryer XL", "problem": "it rattles", "order_number": "BL-700201"}
    facts |= {"serial_number": "AFX-24-230871", "purchase_date": "14 May 2026"}

    written = letter("warranty", facts, shopper)

    assert written == (
        "Hello, I want to make a warranty claim for my Air Fryer XL: it rattles.\n\n"
        "Order number: BL-700201\nProduct: Air Fryer XL\nSerial number: AFX-24-230871\n"
        f"Bought on: 14 May 2026\n\nKind regards,\n{shopper.name}"
    )
    assert "Serial number" not in letter("cancel", {"order_number": "BL-1"}, shopper)
