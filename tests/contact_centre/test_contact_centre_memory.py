"""The company's memory across channels: one customer record per e-mail, handle and number.

A customer asks about their order in a social DM, then cancels it on another channel. Under
``advocate`` the second agent takes what the DM was told and never asks it again; under
``purgatory`` every field is asked again, and the truth counts each as a recapture across
contacts; under ``typical`` it depends on a draw that a seed fixes.
"""

from __future__ import annotations

from contact_centre_driver import (
    EMAIL,
    ORDER_NUMBER,
    PHONE,
    Contact,
    ScriptedCustomer,
    shop,
    standard_profile,
)

from sandbox.contact_centre.customers import CustomerRecords
from sandbox.contact_centre.in_memory import InMemoryServiceActions
from sandbox.contact_centre.model import Channel
from sandbox.contact_centre.truth import ContactTruth

HANDLE = "@ann.lee"
CUSTOMER_ON: dict[Channel, str] = {"social": HANDLE, "chat": EMAIL, "email": EMAIL, "phone": PHONE}


def ask_then_cancel(
    profile: str, then: Channel, *, seed: int = 7, first: Channel = "social"
) -> tuple[Contact, Contact]:
    """An order-status question on ``first``, then a cancellation on ``then``: one customer,
    one shop, one memory."""
    actions = shop()
    customers = CustomerRecords(actions.order_identities)
    asked = ScriptedCustomer("enquiry").run(
        standard_profile(profile),
        first,
        seed=seed,
        actions=actions,
        customers=customers,
        customer=CUSTOMER_ON[first],
    )
    cancelled = ScriptedCustomer("cancel").run(
        standard_profile(profile),
        then,
        seed=seed + 1,
        actions=actions,
        customers=customers,
        customer=CUSTOMER_ON[then],
    )
    return asked, cancelled


def asked_again(earlier: ContactTruth, later: ContactTruth) -> set[str]:
    """What the customer, comparing the two contacts, was asked a second time."""
    return set(earlier.fields_asked) & set(later.fields_asked)


def test_under_advocate_the_chat_never_asks_what_the_dm_was_told() -> None:
    asked, cancelled = ask_then_cancel("advocate", "chat")

    assert set(asked.truth.fields_asked) == {"order_number", "email"}
    assert cancelled.truth.fields_asked == {}
    assert cancelled.truth.remembered == ("order_number", "email")
    assert cancelled.truth.recaptured_across_contacts == ()
    assert cancelled.truth.action_performed  # the remembered order really was cancelled


def test_under_advocate_a_caller_is_known_by_the_number_on_the_order() -> None:
    asked, called = ask_then_cancel("advocate", "phone")

    assert called.truth.remembered == ("order_number",)
    assert called.truth.fields_asked == {"phone": 1}  # never asked before: not a recapture
    assert asked_again(asked.truth, called.truth) == set()
    assert called.truth.recaptured_across_contacts == ()
    assert called.truth.action_performed


def test_under_purgatory_every_field_is_asked_again_and_counted() -> None:
    for channel in ("chat", "phone"):
        asked, cancelled = ask_then_cancel("purgatory", channel)

        assert cancelled.truth.remembered == ()
        again = asked_again(asked.truth, cancelled.truth)
        assert again, channel
        assert set(cancelled.truth.recaptured_across_contacts) == again
        assert len(cancelled.truth.recaptured_across_contacts) == len(again)  # once per field
        assert cancelled.truth.to_dict()["recaptures_across_contacts"] == len(again)
        assert asked.truth.recaptured_across_contacts == ()  # the first contact repeats nothing


def test_under_typical_an_agent_sometimes_looks_and_a_seed_decides() -> None:
    remembered = {}
    for seed in range(20):
        _, cancelled = ask_then_cancel("typical", "chat", seed=seed)
        _, again = ask_then_cancel("typical", "chat", seed=seed)
        same = cancelled.truth.to_dict() | {"contact_id": ""}
        assert same == again.truth.to_dict() | {"contact_id": ""}, seed
        remembered[seed] = bool(cancelled.truth.remembered)
        assert bool(cancelled.truth.recaptured_across_contacts) != remembered[seed]
    assert any(remembered.values()) and not all(remembered.values())


def test_a_contact_with_nothing_to_remember_is_what_it_always_was() -> None:
    """Memory draws nothing and changes nothing when there is no earlier contact."""
    for profile in ("advocate", "typical", "purgatory"):
        for channel in ("chat", "social", "phone"):
            plain = ScriptedCustomer("cancel").run(
                standard_profile(profile), channel, customer=CUSTOMER_ON[channel]
            )
            remembering = ScriptedCustomer("cancel").run(
                standard_profile(profile),
                channel,
                customers=CustomerRecords(),
                customer=CUSTOMER_ON[channel],
            )
            assert plain.texts() == remembering.texts(), (profile, channel)
            left = plain.truth.to_dict() | {"contact_id": ""}
            assert left == remembering.truth.to_dict() | {"contact_id": ""}


def test_another_customer_is_not_remembered() -> None:
    actions = shop()
    actions.add_order("BL-654321", "bo.ray@example.com", phone="07700 900999")
    customers = CustomerRecords(actions.order_identities)
    ScriptedCustomer("enquiry").run(
        standard_profile("advocate"), "social", actions=actions, customers=customers, customer=HANDLE
    )
    someone_else = {"order number": "BL-654321", "email address": "bo.ray@example.com"}
    other = ScriptedCustomer("cancel", answers=someone_else).run(
        standard_profile("advocate"),
        "chat",
        actions=actions,
        customers=customers,
        customer="bo.ray@example.com",
    )
    assert other.truth.remembered == ()
    assert set(other.truth.fields_asked) == {"order_number", "email"}


def test_records_join_a_handle_to_its_customer_only_once_told() -> None:
    actions = InMemoryServiceActions()
    actions.add_order(ORDER_NUMBER, EMAIL, phone=PHONE)
    records = CustomerRecords(actions.order_identities)
    records.opened("dm", "social", HANDLE)
    records.opened("chat", "chat", EMAIL.upper())  # an address is one customer in any case
    records.asked("dm", "postcode")
    records.told("dm", "postcode", "SW1A 1AA")
    assert records.remembered("chat", "postcode") is None  # who is the handle? not yet known

    records.told("dm", "order_number", ORDER_NUMBER)  # the order is the chat's customer's

    assert records.remembered("chat", "postcode") == "SW1A 1AA"
    assert records.remembered("chat", "order_number") == ORDER_NUMBER
    assert records.asked("chat", "postcode") is True
    assert records.asked("chat", "postcode") is False  # counted once per contact
    records.opened("call", "phone", "0770-090-0123")  # the same digits as the order's phone
    assert records.remembered("call", "order_number") == ORDER_NUMBER


def test_a_shared_phone_number_never_joins_two_customers_with_addresses() -> None:
    actions = InMemoryServiceActions()
    actions.add_order(ORDER_NUMBER, EMAIL, phone=PHONE)
    actions.add_order("BL-654321", "bo.ray@example.com", phone=PHONE)  # the same household line
    records = CustomerRecords(actions.order_identities)
    records.opened("ann", "chat", EMAIL)
    records.opened("bo", "chat", "bo.ray@example.com")
    records.told("ann", "order_number", ORDER_NUMBER)
    records.told("bo", "order_number", "BL-654321")
    assert records.remembered("bo", "order_number") is None
    records.opened("call", "phone", PHONE)  # the first customer to give the number keeps it
    assert records.remembered("call", "order_number") == ORDER_NUMBER


def test_an_order_number_is_remembered_only_for_a_customer_with_one_order() -> None:
    """A returning customer with several orders may write about another: which one is asked.
    The demo's returning customers are a few accounts that many journeys share, and an agent
    that took the order number told last opened a warranty case on another journey's order."""
    actions = InMemoryServiceActions()
    actions.add_order(ORDER_NUMBER, EMAIL, phone=PHONE)
    records = CustomerRecords(actions.order_identities, actions.orders_of)
    records.opened("first", "chat", EMAIL)
    records.told("first", "order_number", ORDER_NUMBER)
    records.told("first", "name", "Ann Lee")
    records.opened("second", "social", HANDLE)
    records.told("second", "email", EMAIL)
    assert records.remembered("second", "order_number") == ORDER_NUMBER  # the only one
    actions.add_order("BL-654321", EMAIL, phone=PHONE)  # the same customer buys again
    assert records.remembered("second", "order_number") is None
    assert records.remembered("second", "name") == "Ann Lee"  # who they are is still known
