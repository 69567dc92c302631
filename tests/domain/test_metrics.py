"""Metrics from hand-built timelines: no browser, no server."""

from __future__ import annotations

import pytest

from journeys.domain.metrics import measure_contact, measure_journey
from journeys.domain.timeline import Contact, Event, EventKind, Timeline


def contact_with(*events: tuple[float, EventKind, dict[str, object]], setup: bool = False) -> Contact:
    contact = Contact(channel="phone", purpose="test", setup=setup)
    for at, kind, details in events:
        contact.note(kind, at=at, **details)  # type: ignore[arg-type]
    return contact


START, END = EventKind.CONTACT_STARTED, EventKind.CONTACT_ENDED


def test_a_call_through_the_tree_to_a_transfer_and_back() -> None:
    contact = contact_with(
        (0.0, START, {}),
        (1.0, EventKind.MENU_PROMPT, {"text": "For orders press 1"}),
        (2.0, EventKind.MENU_CHOICE, {"key": "1"}),
        (3.0, EventKind.MENU_CHOICE, {"key": "2"}),
        (4.0, EventKind.HOLD_STARTED, {}),
        (34.0, EventKind.HOLD_ENDED, {}),
        (35.0, EventKind.AGENT_JOINED, {"agent": "Dana", "department": "Orders"}),
        (36.0, EventKind.INFO_REQUESTED, {"field_name": "order_number"}),
        (40.0, EventKind.TRANSFERRED, {"department": "Returns"}),
        (41.0, EventKind.HOLD_STARTED, {}),
        (51.5, EventKind.HOLD_ENDED, {}),
        (52.0, EventKind.AGENT_JOINED, {"agent": "Sam", "department": "Returns"}),
        (53.0, EventKind.INFO_REQUESTED, {"field_name": "order_number"}),
        (54.0, EventKind.INFO_REQUESTED, {"field_name": "postcode"}),
        (55.0, EventKind.MENU_CHOICE, {"key": "1"}),  # after a person: not IVR depth
        (60.0, EventKind.ESCALATED, {}),
        (61.0, EventKind.REFERENCE_GIVEN, {"reference": "RMA-12345"}),
        (62.0, EventKind.PROMISE_MADE, {"text": "refund within 5 business days"}),
        (63.0, EventKind.OUTCOME, {"resolved": True}),
        (64.0, END, {}),
    )
    metrics = measure_contact(contact)
    assert metrics.transfers == 1
    assert metrics.escalations == 1
    assert metrics.hold_time == pytest.approx(40.5)
    assert metrics.time_to_agent == pytest.approx(35.0)
    assert metrics.ivr_depth == 2
    assert metrics.fields_requested == {"order_number": 2, "postcode": 1}
    assert metrics.recaptures == 1
    assert metrics.handle_time == pytest.approx(64.0)
    assert metrics.references == ("RMA-12345",)
    assert metrics.promises == ("refund within 5 business days",)
    assert metrics.claimed_resolved is True


def test_a_hold_never_ended_counts_until_the_contact_ends() -> None:
    contact = contact_with((0.0, START, {}), (5.0, EventKind.HOLD_STARTED, {}), (65.0, END, {}))
    assert measure_contact(contact).hold_time == pytest.approx(60.0)
    assert measure_contact(contact).time_to_agent is None


def test_events_observed_late_still_land_in_time_order() -> None:
    timeline = Timeline()
    timeline.record(Event(EventKind.CONTACT_STARTED, at=1.0))
    timeline.record(Event(EventKind.AGENT_JOINED, at=5.0))
    timeline.record(Event(EventKind.HOLD_STARTED, at=2.0))
    assert [event.at for event in timeline] == [1.0, 2.0, 5.0]


def test_recaptures_add_up_over_the_whole_journey() -> None:
    first = contact_with(
        (0.0, START, {}),
        (1.0, EventKind.INFO_REQUESTED, {"field_name": "order_number"}),
        (2.0, END, {}),
    )
    second = contact_with(
        (3.0, START, {}),
        (4.0, EventKind.INFO_REQUESTED, {"field_name": "order_number"}),
        (5.0, EventKind.INFO_REQUESTED, {"field_name": "order_number"}),
        (6.0, EventKind.INFO_REQUESTED, {"field_name": "email"}),
        (7.0, END, {}),
    )
    metrics = measure_journey([first, second], verified_resolved=None, verified_at=None)
    assert metrics.recaptures_by_field == {"order_number": 2}
    assert metrics.recaptures == 2
    assert metrics.recaptures_across_contacts == 1  # the second contact's first ask; not its repeat
    assert metrics.contacts == 2
    assert metrics.handle_time == pytest.approx(6.0)


def test_first_contact_resolution_ignores_the_setup_contact_and_needs_verification() -> None:
    order = contact_with(
        (0.0, START, {}), (1.0, EventKind.OUTCOME, {"resolved": True}), (2.0, END, {}), setup=True
    )
    cancel = contact_with((10.0, START, {}), (11.0, EventKind.OUTCOME, {"resolved": True}), (12.0, END, {}))

    verified = measure_journey([order, cancel], verified_resolved=True, verified_at=14.0)
    assert verified.time_to_agent is None  # nobody joined: the web has no agents
    assert verified.first_contact_resolution is True
    assert verified.time_to_resolution == pytest.approx(4.0)

    claimed_only = measure_journey([order, cancel], verified_resolved=False, verified_at=14.0)
    assert claimed_only.claimed_resolved is True
    assert claimed_only.first_contact_resolution is False
    assert claimed_only.time_to_resolution is None


def test_resolution_in_a_second_contact_is_not_first_contact_resolution() -> None:
    refused = contact_with((0.0, START, {}), (1.0, EventKind.OUTCOME, {"resolved": False}), (2.0, END, {}))
    granted = contact_with((5.0, START, {}), (6.0, EventKind.OUTCOME, {"resolved": True}), (7.0, END, {}))
    metrics = measure_journey([refused, granted], verified_resolved=True, verified_at=8.0)
    assert metrics.first_contact_resolution is False
    assert metrics.time_to_resolution == pytest.approx(8.0)


def test_journey_level_signals_come_from_its_contacts() -> None:
    setup = contact_with((0.0, START, {}), (1.0, END, {}), setup=True)
    social = contact_with(
        (10.0, START, {}),
        (12.5, EventKind.AGENT_JOINED, {"agent": "Dana"}),
        (20.0, EventKind.CHANNEL_SWITCH_OFFERED, {}),
        (21.0, EventKind.SATISFACTION_CHECK, {}),
        (22.0, END, {}),
    )
    metrics = measure_journey([setup, social], verified_resolved=None, verified_at=None)
    assert metrics.time_to_agent == pytest.approx(2.5)
    assert metrics.channel_switch_offered and metrics.satisfaction_checked


def test_the_customer_words_for_counts_and_durations() -> None:
    from journeys.errors import StepUsageError
    from journeys.journey.expectations import count_of, seconds_of

    assert [count_of(words) for words in ("never", "once", "twice", "3 times")] == [0, 1, 2, 3]
    assert seconds_of("2 minutes") == 120 and seconds_of("30 seconds") == 30 and seconds_of("1 hour") == 3600
    with pytest.raises(StepUsageError, match="not a duration: 'a while'"):
        seconds_of("a while")
    with pytest.raises(StepUsageError, match="not a number of times: 'often'"):
        count_of("often")


def test_a_span_on_a_sped_up_company_is_scaled_back_only_where_it_waited() -> None:
    from journeys.domain.metrics import at_real_pace

    contact = contact_with(
        (0.0, START, {}),
        (1.0, EventKind.HOLD_STARTED, {}),
        (1.5, EventKind.AGENT_JOINED, {"agent": "Dana"}),  # the queue ends as a person joins
        (3.0, END, {}),
    )
    metrics = measure_contact(contact)
    assert metrics.queue_time == pytest.approx(0.5) and metrics.time_to_agent == pytest.approx(1.5)
    # at a 1:100 scale the half second of queue was 50 s; the customer's own second stays a second
    assert at_real_pace(1.5, 0.5, 0.01) == pytest.approx(51.0)


def test_recaptures_across_contacts_count_each_field_once_per_later_contact() -> None:
    def asking(*fields: str) -> Contact:
        return contact_with(
            *(
                (float(index), EventKind.INFO_REQUESTED, {"field_name": name})
                for index, name in enumerate(fields)
            )
        )

    social = asking("name", "email", "order_number", "order_number")
    chat = asking("order_number", "email", "order_number")  # two fields another contact asked
    phone = asking("order_number", "phone")  # one: asked in both earlier contacts, counted once here
    metrics = measure_journey([social, chat, phone], verified_resolved=None, verified_at=None)
    assert metrics.recaptures_across_contacts == 3
    assert metrics.recaptures == 5  # 2 within contacts (order_number twice in social, in chat) + 3
    alone = measure_journey([social], verified_resolved=None, verified_at=None)
    assert alone.recaptures_across_contacts == 0


SENT, ASKED = EventKind.MESSAGE_SENT, EventKind.INFO_REQUESTED


def test_identified_before_heard_when_who_comes_before_why() -> None:
    first_who = contact_with(
        (0.0, START, {}),
        (1.0, ASKED, {"field_name": "name"}),
        (2.0, SENT, {"text": "Sam Jones"}),  # an answer says nothing of why the customer came
        (3.0, SENT, {"text": "I'd like to cancel my order.", "opening": True}),
    )
    first_why = contact_with(
        (0.0, START, {}),
        (1.0, SENT, {"text": "I'd like to cancel my order.", "opening": True}),
        (2.0, ASKED, {"field_name": "order_number"}),
    )
    first_what = contact_with(  # asked about the problem, not the person
        (0.0, START, {}),
        (1.0, ASKED, {"field_name": "serial_number"}),
        (3.0, SENT, {"text": "I need a repair.", "opening": True}),
        (4.0, ASKED, {"field_name": "email"}),
    )
    routed_by_menu = contact_with(  # the key pressed said why: "for cancelling an order, press 3"
        (0.0, START, {}),
        (1.0, EventKind.MENU_CHOICE, {"key": "3"}),
        (2.0, ASKED, {"field_name": "phone"}),
    )
    assert measure_contact(first_who).identified_before_heard is True
    assert measure_contact(first_why).identified_before_heard is False
    assert measure_contact(first_what).identified_before_heard is False
    assert measure_contact(routed_by_menu).identified_before_heard is False
    journey = measure_journey([first_why, first_who], verified_resolved=None, verified_at=None)
    assert journey.identified_before_heard is True
    heard = measure_journey([first_why, first_what], verified_resolved=None, verified_at=None)
    assert heard.identified_before_heard is False


def test_policy_recitals_are_counted_per_contact_and_summed_over_the_journey() -> None:
    recited = EventKind.POLICY_RECITED
    returns = contact_with(
        (0.0, START, {}),
        (1.0, SENT, {"text": "I want to return my kettle.", "opening": True}),
        (2.0, recited, {"text": "Our policy is that returns must be requested within 30 days."}),
        (3.0, EventKind.TRANSFERRED, {"department": "Returns"}),
        (4.0, recited, {"text": "As per company policy, we only accept returns with proof of purchase."}),
        (5.0, EventKind.OUTCOME, {"resolved": False}),
    )
    again = contact_with((0.0, START, {}), (1.0, recited, {"text": "Our policy is that ..."}))
    solved = contact_with((0.0, START, {}), (1.0, EventKind.OUTCOME, {"resolved": True}))
    assert measure_contact(returns).policy_recitals == 2
    assert measure_contact(solved).policy_recitals == 0
    journey = measure_journey([returns, again, solved], verified_resolved=None, verified_at=None)
    assert journey.policy_recitals == 3


def test_a_colleague_brought_in_is_a_conference_and_keeps_the_customer() -> None:
    conferred = contact_with(
        (0.0, START, {}),
        (1.0, EventKind.AGENT_JOINED, {"agent": "Aisha", "department": "Returns"}),
        (2.0, EventKind.CONFERENCED, {"department": "Orders"}),
        (3.0, EventKind.OUTCOME, {"resolved": True}),
    )
    transferred = contact_with(
        (0.0, START, {}),
        (1.0, EventKind.TRANSFERRED, {"department": "Returns"}),
        (2.0, EventKind.CONFERENCED, {"department": "Billing"}),
    )
    alone = contact_with((0.0, START, {}), (1.0, EventKind.OUTCOME, {"resolved": True}))
    assert (measure_contact(conferred).conferences, measure_contact(conferred).transfers) == (1, 0)
    kept = measure_journey([conferred, alone], verified_resolved=None, verified_at=None)
    assert (kept.conferences, kept.transfers, kept.kept_not_passed_on) == (1, 0, True)
    handed_on = measure_journey([conferred, transferred], verified_resolved=None, verified_at=None)
    assert (handed_on.conferences, handed_on.kept_not_passed_on) == (2, False)
    needed_nobody = measure_journey([alone], verified_resolved=None, verified_at=None)
    assert needed_nobody.kept_not_passed_on is None


def test_a_follow_up_is_measured_only_where_the_journey_looked_for_one() -> None:
    promised = {"text": "Your refund will reach your card within 5 business days."}
    promise = (3.0, EventKind.PROMISE_MADE, promised)
    came = contact_with(
        (0.0, START, {}),
        promise,
        (4.0, END, {}),
        (900.0, EventKind.FOLLOWED_UP, {"text": "Following up as promised ...", "by_promise": True}),
    )
    came.follow_up_awaited = True
    never = contact_with((0.0, START, {}), promise, (4.0, END, {}))
    never.follow_up_awaited = True
    not_looked = contact_with((0.0, START, {}), promise, (4.0, END, {}))

    def measured(contact: Contact) -> tuple[bool | None, bool | None]:
        metrics = measure_contact(contact)
        return metrics.followed_up, metrics.followed_up_by_promise

    assert measured(came) == (True, True)
    assert measured(never) == (False, False)
    assert measured(not_looked) == (None, None)
    assert measure_contact(came).handle_time == 4.0  # the follow-up came after the contact, not in it

    def journey(*contacts: Contact) -> tuple[bool | None, bool | None]:
        metrics = measure_journey(list(contacts), verified_resolved=None, verified_at=None)
        return metrics.followed_up, metrics.followed_up_by_promise

    assert journey(not_looked) == (None, None)  # a journey that never asked is scored as before
    assert journey(came, not_looked) == (True, True)
    assert journey(came, never) == (False, False)  # every loop watched must be closed


def test_what_a_profile_without_its_pattern_cannot_see_is_not_measured_not_zero() -> None:
    transferred = contact_with((0.0, START, {}), (2.0, EventKind.TRANSFERRED, {"department": "Billing"}))
    transferred.unmeasured = frozenset({"policy_recitals", "conferences"})
    web = Contact(channel="web", purpose="order", setup=True)
    measured = measure_contact(transferred)
    assert (measured.policy_recitals, measured.conferences) == (None, None)
    journey = measure_journey([web, transferred], verified_resolved=None, verified_at=None)
    assert (journey.policy_recitals, journey.conferences) == (None, None)
    assert journey.kept_not_passed_on is None  # a hand-off seen, but never the better way
    assert journey.transfers == 1
    transferred.unmeasured = frozenset()
    seen = measure_journey([web, transferred], verified_resolved=None, verified_at=None)
    assert (seen.policy_recitals, seen.conferences, seen.kept_not_passed_on) == (0, 0, False)
