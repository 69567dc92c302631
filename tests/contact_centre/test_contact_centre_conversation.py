"""The conversation engine: time passed in, outputs on time, truth only of what was shown."""

from __future__ import annotations

import json
import random
import threading
from typing import Any

import pytest
from contact_centre_driver import (
    EMAIL,
    ORDER_NUMBER,
    START,
    THINK,
    ScriptedCustomer,
    run_contact,
    shop,
    standard_profile,
)

from sandbox.contact_centre import (
    ContactCentreProfile,
    Conversation,
    ConversationError,
    OutputKind,
    TruthLog,
    load_contact_centre_profile,
)
from sandbox.contact_centre.model import CHANNELS, Channel
from sandbox.contact_centre.recognisers import events_in
from sandbox.contact_centre.understanding import field_value


def profile_with(legs: list[dict[str, Any]], intent: str = "cancel", **route: Any) -> ContactCentreProfile:
    """A test profile serving one intent with ``legs`` (the others: unresolved), at full speed."""
    document = {
        "contact_centre": {
            "agents": {"orders": ["Dana"], "returns": ["Ben"], "supervisors": ["Morgan"]},
            "channels": {"chat": {"reply_delay_seconds": 2, "line_gap_seconds": 1}},
            "routes": {
                "legs": [{"department": "orders", "ends": "unresolved"}],
                **route,
                intent: {"legs": legs},
            },
        }
    }
    return load_contact_centre_profile(document, "tests/profile.toml")


CANCEL_LEG = {"department": "orders", "asks": ["order_number", "email"], "ends": "resolve"}


def open_chat(profile: ContactCentreProfile, *, seed: int = 1, log: TruthLog | None = None) -> Conversation:
    return Conversation(profile, "chat", "ann", random.Random(seed), START, shop(), truth_log=log)


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_same_seed_gives_the_same_contact(channel: Channel) -> None:
    first = run_contact("typical", channel, "return", seed=11)
    again = run_contact("typical", channel, "return", seed=11)
    assert first.outputs == again.outputs
    assert first.truth.to_dict() | {"contact_id": ""} == again.truth.to_dict() | {"contact_id": ""}


@pytest.mark.parametrize("channel", CHANNELS)
def test_another_seed_changes_the_phrasing_only(channel: Channel) -> None:
    def shape(seed: int) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
        contact = run_contact("purgatory", channel, "warranty", seed=seed)
        outputs = [(o.due, o.kind, o.phrase, o.agent, o.department) for o in contact.outputs]
        truth = contact.truth.to_dict()
        # the words of promises and recitals are phrasing; when they were said is not
        truth["policies_recited"] = [recital["at"] for recital in truth["policies_recited"]]
        for key in ("contact_id", "promises"):
            truth.pop(key)
        return outputs, truth

    shapes = [shape(seed) for seed in range(1, 6)]
    assert all(each == shapes[0] for each in shapes)
    texts = {
        tuple(o.text for o in run_contact("purgatory", channel, "warranty", seed=s).outputs)
        for s in range(1, 6)
    }
    assert len(texts) > 1


def test_outputs_come_only_when_due_and_next_due_says_when() -> None:
    conversation = open_chat(profile_with([CANCEL_LEG], queue_seconds=30))
    welcome = conversation.due_outputs(START)
    assert [o.kind for o in welcome] == [OutputKind.SYSTEM]
    assert conversation.next_due() is None  # waiting for the customer
    assert conversation.accepting() == {"text"}
    assert conversation.customer_says("I want to cancel my order", START + 5)
    assert [o.kind for o in conversation.due_outputs(START + 5)] == [OutputKind.TYPING]
    assert conversation.next_due() == START + 7
    assert conversation.due_outputs(START + 6.99) == []
    queued = conversation.due_outputs(START + 7)
    assert [o.kind for o in queued] == [OutputKind.QUEUE_POSITION, OutputKind.HOLD_STARTED]
    assert conversation.next_due() == START + 37
    joined = conversation.due_outputs(START + 100)
    assert [o.kind for o in joined[:2]] == [OutputKind.HOLD_ENDED, OutputKind.SYSTEM]
    assert joined[0].due == joined[1].due == START + 37
    assert joined[1].agent == "Dana" and joined[1].department == "orders"
    assert events_in(joined[-1].text).keys() == {"info_requested"}


def test_an_unclear_first_message_gets_a_clarifying_question() -> None:
    contact = ScriptedCustomer("cancel").run(profile_with([CANCEL_LEG]), "chat", opener="Hello there")
    phrases = [o.phrase for o in contact.outputs]
    assert "clarify" in phrases
    assert contact.truth.intent is None
    contact.conversation.customer_says("I want to cancel my order", contact.outputs[-1].due + 1)
    assert contact.truth.intent == "cancel"


def test_a_badly_shaped_answer_is_asked_again_and_counts_as_a_recapture() -> None:
    customer = ScriptedCustomer("cancel", wrong_answers={"order number": ["my order, from Tuesday"]})
    contact = customer.run(profile_with([CANCEL_LEG]), "chat")
    phrases = [o.phrase for o in contact.outputs]
    assert phrases.count("invalid_value") == 1
    assert phrases.count("reask") == 1
    assert contact.truth.fields_asked == {"order_number": 2, "email": 1}
    assert contact.truth.recaptures == 1
    assert contact.truth.action_performed


def test_values_are_normalised_before_the_shop_sees_them() -> None:
    answers = {"order number": "it's bl-123456", "email address": "Ann.Lee@Example.com"}
    actions = shop()
    ScriptedCustomer("cancel", answers=answers).run(profile_with([CANCEL_LEG]), "chat", actions=actions)
    assert actions.orders[ORDER_NUMBER].status == "cancelled"
    assert EMAIL == "ann.lee@example.com"


def test_cold_transfers_ask_again_and_warm_ones_do_not() -> None:
    def legs(handover: str) -> list[dict[str, Any]]:
        return [
            {
                "department": "orders",
                "asks": ["order_number", "email"],
                "ends": "transfer",
                "handover": handover,
            },
            {"department": "returns", "asks": ["order_number", "email"], "ends": "resolve"},
        ]

    cold = ScriptedCustomer("return").run(profile_with(legs("cold"), "return"), "chat").truth
    warm = ScriptedCustomer("return").run(profile_with(legs("warm"), "return"), "chat").truth
    assert (cold.recaptures, warm.recaptures) == (2, 0)
    assert [t.handover for t in cold.transfers] == ["cold"]
    assert [t.handover for t in warm.transfers] == ["warm"]
    assert warm.claimed_outcome == cold.claimed_outcome == "resolved"


def test_customer_input_while_the_company_is_busy_is_ignored() -> None:
    conversation = open_chat(profile_with([CANCEL_LEG], queue_seconds=30))
    conversation.customer_says("I want to cancel my order", START + 1)
    assert not conversation.customer_says("hello? anyone?", START + 10)  # in the queue
    assert conversation.truth.ignored_inputs == 1
    assert conversation.truth.fields_asked == {}


def _deliver_on_time(conversation: Conversation, until: float) -> None:
    """Hand every output out at its due time, as an idle server does."""
    while (due := conversation.next_due()) is not None and due <= until:
        conversation.due_outputs(due)


def test_leaving_mid_hold_ends_the_hold_and_nothing_more_is_shown() -> None:
    conversation = open_chat(profile_with([CANCEL_LEG], queue_seconds=30))
    conversation.customer_says("I want to cancel my order", START + 1)
    _deliver_on_time(conversation, START + 10)
    conversation.leave(START + 20)
    truth = conversation.truth
    assert truth.ended_by == "customer" and truth.ended_at == START + 20
    assert truth.hold_time == pytest.approx(17.0)
    assert truth.agents == ()
    assert conversation.finished


def test_the_truth_is_when_a_line_was_delivered_not_when_it_was_due() -> None:
    conversation = open_chat(profile_with([CANCEL_LEG], queue_seconds=30))
    conversation.customer_says("I want to cancel my order", START + 1)
    (hold_due,) = [o.due for o in conversation.due_outputs(START + 10) if o.kind is OutputKind.HOLD_STARTED]
    assert hold_due < START + 10  # a busy server handed the hold's first line out late
    conversation.leave(START + 20)
    (hold,) = conversation.truth.holds
    assert hold.started_at == START + 10 and conversation.truth.hold_time == pytest.approx(10.0)
    assert conversation.next_due() is None
    assert conversation.due_outputs(START + 1000) == []


def test_the_phone_menu_counts_every_key_including_repeats_and_mistakes() -> None:
    profile = standard_profile("typical")
    conversation = Conversation(profile, "phone", "ann", random.Random(1), START, shop())
    [menu] = conversation.due_outputs(START)
    assert menu.kind == OutputKind.IVR_PROMPT
    assert not conversation.customer_says("cancel please", START + 1)  # the menu wants keys
    conversation.press("9", START + 1)  # hear these options again
    conversation.press("7", START + 2)  # not an option
    conversation.press("1", START + 3)
    conversation.press("3", START + 4)
    conversation.due_outputs(START + 1000)
    truth = conversation.truth
    assert [c.result for c in truth.ivr_choices] == ["repeat", "invalid", "menu", "route"]
    assert truth.ivr_depth == 4
    assert truth.intent == "cancel"
    assert not conversation.press("5", START + 1000)  # with an agent now: keys are ignored


def test_too_many_wrong_keys_end_the_call() -> None:
    profile = standard_profile("purgatory")  # invalid_limit = 2
    conversation = Conversation(profile, "phone", "ann", random.Random(1), START, shop())
    conversation.press("7", START + 1)
    conversation.press("8", START + 2)
    outputs = conversation.due_outputs(START + 100)
    assert outputs[-1].kind == OutputKind.ENDED
    assert conversation.finished
    assert conversation.truth.ended_by == "company"
    assert conversation.truth.agents == ()


def test_keys_are_for_the_phone_only() -> None:
    with pytest.raises(ConversationError):
        open_chat(profile_with([CANCEL_LEG])).press("1", START)
    with pytest.raises(ConversationError):
        Conversation(profile_with([CANCEL_LEG]), "fax", "ann", random.Random(1), START, shop())  # type: ignore[arg-type]


def test_an_unanswered_survey_closes_after_its_wait() -> None:
    customer = ScriptedCustomer("cancel", survey_answer=None)
    contact = customer.run(profile_with([CANCEL_LEG], survey=True), "chat")
    survey = next(o for o in contact.outputs if o.phrase == "survey")
    wait = profile_with([CANCEL_LEG]).channels["chat"].survey_wait_seconds
    assert contact.outputs[-1].kind == OutputKind.ENDED
    assert contact.outputs[-1].due == pytest.approx(survey.due + wait + 1)  # then a line gap
    assert contact.truth.satisfaction_asked and contact.truth.satisfaction_answer is None


def test_an_agent_who_goes_silent_says_nothing_more() -> None:
    legs = [{"department": "orders", "asks": ["order_number"], "ends": "go_silent"}]
    contact = ScriptedCustomer("cancel").run(profile_with(legs), "chat")
    conversation = contact.conversation
    last = contact.outputs[-1]
    assert events_in(last.text).keys() == {"info_requested"}
    assert conversation.next_due() is None
    assert conversation.accepting() == frozenset()
    assert not conversation.customer_says("hello?", last.due + 60)
    assert conversation.due_outputs(last.due + 3600) == []
    assert not conversation.finished
    truth = conversation.truth
    assert truth.claimed_outcome == "silent" and truth.claimed_resolved is None
    assert truth.ended_at is None
    conversation.leave(last.due + 120)
    assert conversation.truth.ended_by == "customer"


def test_the_shop_refusing_turns_a_resolve_into_a_refusal() -> None:
    actions = shop()
    actions.orders[ORDER_NUMBER].status = "processing"
    contact = ScriptedCustomer("cancel").run(profile_with([CANCEL_LEG]), "chat", actions=actions)
    truth = contact.truth
    assert truth.claimed_outcome == "refused" and truth.claimed_resolved is False
    assert not truth.action_performed
    assert truth.action == "cancel_order" and truth.action_result == "too_late"
    assert "refusal_too_late" in [o.phrase for o in contact.outputs]
    assert truth.references == () and truth.promises == ()


def test_a_false_resolution_hands_over_a_reference_nothing_stands_behind() -> None:
    legs = [{"department": "orders", "asks": ["order_number", "email"], "ends": "false_resolve"}]
    actions = shop()
    truth = ScriptedCustomer("return").run(profile_with(legs, "return"), "chat", actions=actions).truth
    assert truth.claimed_outcome == "resolved"
    assert [r.real for r in truth.references] == [False]
    assert truth.references[0].reference.startswith("RMA-")
    assert truth.references[0].reference not in actions.returns
    assert actions.calls == []


def test_email_sends_each_answer_as_one_message() -> None:
    contact = run_contact("advocate", "email", "cancel")
    *answered, follow_up = contact.outputs  # the follow-up, on its own, after the contact closed
    assert follow_up.phrase == "follow_up" and follow_up.due > answered[-1].due
    last_reply = [o for o in answered if o.due == answered[-1].due]
    phrases = [o.phrase for o in last_reply]
    assert phrases[0] == "resolved_cancel"
    assert phrases[-1] == "ended"


def test_the_truth_log_filters_by_customer_and_is_json_ready() -> None:
    log = TruthLog()
    profile = standard_profile("typical")
    ScriptedCustomer("cancel").run(profile, "chat", truth_log=log, customer="ann")
    ScriptedCustomer("return").run(profile, "social", truth_log=log, customer="bob")
    assert [t["customer"] for t in log.contacts()] == ["ann", "bob"]
    [bob] = log.contacts("bob")
    assert bob["intent"] == "return" and bob["recaptures"] == 1 and bob["transfer_count"] == 1
    assert json.loads(json.dumps(bob)) == bob
    assert log.get(bob["contact_id"]) is not None
    log.clear()
    assert log.contacts() == []


def test_the_truth_log_can_be_read_while_conversations_run() -> None:
    log = TruthLog()
    profile = standard_profile("purgatory")
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                json.dumps(log.contacts())
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    for index in range(20):
        ScriptedCustomer("cancel").run(profile, "chat", truth_log=log, customer=f"c{index}")
    done.set()
    reader.join()
    assert not errors
    assert len(log.contacts()) == 20


def test_hold_intervals_are_the_due_times_of_the_hold_outputs() -> None:
    contact = run_contact("purgatory", "phone", "cancel")
    starts = [o.due for o in contact.outputs if o.kind == OutputKind.HOLD_STARTED]
    ends = [o.due for o in contact.outputs if o.kind == OutputKind.HOLD_ENDED]
    truth_holds = contact.truth.holds
    assert [h.started_at for h in truth_holds] == starts
    assert [h.ended_at for h in truth_holds] == ends
    assert [h.kind for h in truth_holds] == ["queue", "transfer", "mid_conversation", "transfer"]
    assert THINK > 0


@pytest.mark.parametrize(
    ("said", "understood"),
    [
        ("It's sw1a1aa", "SW1A 1AA"),
        ("62704", "62704"),
        ("my zip is 07040-1234", "07040-1234"),
        ("somewhere near the river", None),
    ],
)
def test_a_postcode_is_understood_in_uk_and_us_shapes(said: str, understood: str | None) -> None:
    assert field_value("postcode", said) == understood
