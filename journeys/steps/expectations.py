"""What the customer expects. Unmet expectations are findings: recorded, and the
scenario fails at its end, but every later step still runs."""

from __future__ import annotations

from pytest_bdd import parsers, then

from journeys.journey import expectations
from journeys.journey.actor import Journey
from journeys.journey.needs import needs_web


@then("I am given an order number")
def given_order_number(journey: Journey) -> None:
    """The company handed over an order number.

    Example: Then I am given an order number
    """
    expectations.order_number_given(journey)


@then(parsers.parse("my order exists with {shipping} shipping"))
@needs_web("open_order")
def order_exists_with_shipping(journey: Journey, shipping: str) -> None:
    """The order's page shows the order, with the shipping method chosen.

    Example: Then my order exists with Express shipping
    """
    expectations.order_has_shipping(journey, shipping)


@then("my order is cancelled")
@needs_web("open_order", patterns=("cancelled_status",))
def order_is_cancelled(journey: Journey) -> None:
    """The order's page shows it cancelled (verified there, not taken from the company's word).

    Example: Then my order is cancelled
    """
    expectations.order_cancelled(journey)


@then("I am given a reference number")
def given_reference(journey: Journey) -> None:
    """The company handed over a reference (ticket, case, RMA or order number) about the problem.

    Example: Then I am given a reference number
    """
    expectations.reference_given(journey)


@then("my return is registered")
@needs_web("list_aftercare")
def return_is_registered(journey: Journey) -> None:
    """The return number the company gave is listed by the company (the order's page, or the
    case's page for a desk), not only given in words.

    Example: Then my return is registered
    """
    expectations.return_registered(journey)


@then("my warranty claim is registered")
@needs_web("list_aftercare")
def warranty_claim_registered(journey: Journey) -> None:
    """The warranty case number given is listed by the company (the order's page, or the case's
    page for a desk): verified, not taken on trust.

    Example: Then my warranty claim is registered
    """
    expectations.warranty_claim_registered(journey)


@then("I am told honestly that it is out of warranty")
@needs_web("list_aftercare")
def told_out_of_warranty(journey: Journey) -> None:
    """An honest no for an item past its warranty: no case promised that does not exist.

    Example: Then I am told honestly that it is out of warranty
    """
    expectations.told_out_of_warranty(journey)


@then("my repair is booked")
@needs_web("track_repair")
def repair_booked(journey: Journey) -> None:
    """The repair reference given exists on the repair tracking page, for the day promised.

    Example: Then my repair is booked
    """
    expectations.repair_booked(journey)


@then("my question is answered")
def question_answered(journey: Journey) -> None:
    """The company answered what the customer asked (its own claim, as no page can show it).

    Example: Then my question is answered
    """
    expectations.answered(journey)


@then("my problem is resolved")
def problem_resolved(journey: Journey) -> None:
    """Resolved in the end, however many contacts it took; verified when an earlier step checked it.

    Example: Then my problem is resolved
    """
    expectations.resolved(journey)


@then("my problem is resolved in one contact")
def resolved_in_one_contact(journey: Journey) -> None:
    """The first contact about the problem solved it, and the harness could verify it.

    Example: Then my problem is resolved in one contact
    """
    expectations.resolved_in_one_contact(journey)


@then(parsers.parse("I am transferred at most {count}"), converters={"count": expectations.count_of})
def transferred_at_most(journey: Journey, count: int) -> None:
    """No more transfers than this ("once", "twice", "3 times"); escalations count apart.

    Example: Then I am transferred at most once
    """
    expectations.transferred_at_most(journey, count)


@then("I am never escalated")
def never_escalated(journey: Journey) -> None:
    """Nobody passes the customer to a supervisor or manager.

    Example: Then I am never escalated
    """
    expectations.escalated_at_most(journey, 0)


@then(parsers.parse("I am never asked for my {field} twice"))
def never_asked_twice(journey: Journey, field: str) -> None:
    """The company asks for this detail at most once over the whole journey, transfers included.

    Example: Then I am never asked for my order number twice
    """
    expectations.never_asked_twice(journey, field)


@then(
    parsers.parse("I hold for less than {duration} in total"),
    converters={"duration": expectations.duration_words},
)
def hold_less_than(journey: Journey, duration: str) -> None:
    """Time on hold over the whole journey, at the company's real pace ("30 seconds", "2 minutes").

    Example: Then I hold for less than 2 minutes in total
    """
    expectations.hold_less_than(journey, duration)


@then(
    parsers.parse("I reach a person within {duration}"), converters={"duration": expectations.duration_words}
)
def reach_a_person_within(journey: Journey, duration: str) -> None:
    """A person answers within this long, menus and queue included, at the company's real pace.

    Example: Then I reach a person within 1 minute
    """
    expectations.reach_a_person_within(journey, duration)


@then(parsers.parse("I make at most {count:d} menu choices"))
def menu_choices_at_most(journey: Journey, count: int) -> None:
    """The phone menu gets the customer to a person within this many key presses.

    Example: Then I make at most 2 menu choices
    """
    expectations.menu_choices_at_most(journey, count)


@then("I am offered to continue by phone")
def offered_the_phone(journey: Journey) -> None:
    """On social, the company offers to move the conversation to voice (the rule of three).

    Example: Then I am offered to continue by phone
    """
    expectations.offered_the_phone(journey)


@then("I am asked whether I am satisfied")
def asked_whether_satisfied(journey: Journey) -> None:
    """Somebody closes the loop by asking whether the customer is satisfied.

    Example: Then I am asked whether I am satisfied
    """
    expectations.asked_whether_satisfied(journey)


@then("I am told when it will happen")
def told_when(journey: Journey) -> None:
    """The company commits to a date or a duration ("refund within 5 business days").

    Example: Then I am told when it will happen
    """
    expectations.promise_made(journey)


@then(parsers.parse("I am answered within {duration}"), converters={"duration": expectations.duration_words})
def answered_within(journey: Journey, duration: str) -> None:
    """The company answers what the customer wrote within this long, at its real pace (e-mail).

    Example: Then I am answered within 4 hours
    """
    expectations.answered_within(journey, duration)


@then("the answer is from a person")
def answered_by_a_person(journey: Journey) -> None:
    """A person answers by name, not only an automatic acknowledgement.

    Example: Then the answer is from a person
    """
    expectations.answered_by_a_person(journey)


@then("the loop is closed")
def loop_closed(journey: Journey) -> None:
    """After its answer the company comes back: a follow-up, or asking whether all is well.

    Example: Then the loop is closed
    """
    expectations.loop_closed(journey)


@then("the company follows up by its promise")
def followed_up_by_promise(journey: Journey) -> None:
    """After an e-mail that promised something, the company writes again on its own by the day
    it promised (the profile's ``followed_up`` words); the journey waits for it until then.

    Example: Then the company follows up by its promise
    """
    expectations.followed_up_by_promise(journey)
