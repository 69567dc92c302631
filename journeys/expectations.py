"""What a customer expects, checked from their side; unmet ones become findings.

Outcomes are verified through an independent channel (the order page), never
taken from the company's word alone.
"""

from __future__ import annotations

from journeys.journey import Journey
from journeys.metrics import measure_contact
from journeys.timeline import Contact


def order_number_given(journey: Journey) -> None:
    """The company handed over an order number."""
    journey.expect(
        "order_number" in journey.facts,
        expectation="I am given an order number",
        observed=journey.facts.get("order_number_missing_because", "no order number was shown"),
    )


def order_has_shipping(journey: Journey, shipping_method: str) -> None:
    """The order exists, and its page shows the shipping method chosen."""
    order_number = journey.fact("order_number", needed_for="check the order", channel="web")
    page = journey.web.open_order(order_number)
    shown = page.shipping_method or "no shipping method"
    passed = shown.casefold() == shipping_method.casefold()
    journey.verify(
        f"order {order_number} ships {shipping_method}",
        expected=shipping_method,
        observed=shown,
        passed=passed,
        channel="web",
    )
    journey.expect(
        passed,
        expectation=f"my order exists with {shipping_method} shipping",
        observed=f"the order page of {order_number} shows {shown!r}",
    )


def order_cancelled(journey: Journey) -> None:
    """The order page shows the order as cancelled, whatever the company claimed."""
    order_number = journey.fact("order_number", needed_for="check the cancellation", channel="web")
    page = journey.web.open_order(order_number)
    assert journey.company.web is not None  # open_order needs it
    passed = bool(journey.company.web.patterns["cancelled_status"].search(page.status))
    journey.verify(
        f"order {order_number} cancelled",
        expected="cancelled",
        observed=page.status,
        passed=passed,
        channel="web",
    )
    answer = journey.facts.get("cancellation_answer")
    journey.expect(
        passed,
        expectation="my order is cancelled",
        observed=(
            f"the order could not be cancelled: its page shows {page.status!r}"
            + (f"; the company said: {answer}" if answer else "")
        ),
    )


def return_registered(journey: Journey) -> None:
    """The return number the company gave is listed on the order's own page."""
    given = journey.facts.get("return_reference")
    if given is None:
        journey.expect(False, expectation="my return is registered", observed="no return number was given")
        return
    order_number = journey.fact("order_number", needed_for="check the return", channel="web")
    listed = journey.web.aftercare_references(order_number)
    passed = given in listed
    journey.verify(
        f"return {given} of order {order_number}",
        expected=given,
        observed=", ".join(listed) or "no returns listed",
        passed=passed,
        channel="web",
    )
    journey.expect(
        passed,
        expectation="my return is registered",
        observed=f"the company gave {given}, but the order page lists "
        + (", ".join(listed) if listed else "no returns"),
    )


def _problem_contacts(journey: Journey) -> list[Contact]:
    return [contact for contact in journey.contacts if not contact.setup]


def reference_given(journey: Journey) -> None:
    """A reference was handed over about the problem (not the order placed to set it up)."""
    references = [
        reference
        for contact in _problem_contacts(journey)
        for reference in measure_contact(contact).references
    ]
    journey.expect(
        bool(references),
        expectation="I am given a reference number",
        observed="no reference number was given",
    )


def answered(journey: Journey) -> None:
    """The last contact ended with the company answering (by its own claim)."""
    problem = _problem_contacts(journey)
    claimed = measure_contact(problem[-1]).claimed_resolved if problem else None
    journey.expect(
        claimed is True,
        expectation="my question is answered",
        observed="the company did not answer" if claimed is None else "the company said it could not help",
    )
