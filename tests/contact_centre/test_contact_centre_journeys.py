"""Every shipped profile, on every channel, for every intent: the truth is what was configured,
and what a regex-reading customer observes equals the truth exactly."""

from __future__ import annotations

import pytest
from contact_centre_driver import (
    ANSWERS,
    PROFILE_NAMES,
    SCALE,
    Contact,
    ScriptedCustomer,
    observed,
    run_contact,
    standard_profile,
)

from sandbox.contact_centre.model import CHANNELS, INTENTS, Channel, Intent, Output, OutputKind
from sandbox.contact_centre.phrasing import PhraseKind, speaking_seconds
from sandbox.contact_centre.recognisers import events_in
from sandbox.contact_centre.script import NO_ANSWER_LIMIT

MATRIX = [
    (profile, channel, intent) for profile in PROFILE_NAMES for channel in CHANNELS for intent in INTENTS
]
IDS = [f"{profile}-{channel}-{intent}" for profile, channel, intent in MATRIX]


@pytest.fixture(scope="module")
def contacts() -> dict[tuple[str, Channel, Intent], Contact]:
    return {key: run_contact(*key) for key in MATRIX}


def configured_hold_seconds(profile_name: str, channel: Channel, intent: Intent) -> float:
    """Queue + holds after handovers + mid-conversation holds, as the profile says, scaled."""
    if channel == "email":
        return 0.0
    profile = standard_profile(profile_name)
    route = profile.route(channel, intent)
    seconds = route.queue_seconds + sum(leg.hold_seconds for leg in route.legs)
    seconds += route.transfer_hold_seconds * (len(route.legs) - 1)
    return seconds * SCALE


@pytest.mark.parametrize(("profile", "channel", "intent"), MATRIX, ids=IDS)
def test_every_contact_runs_to_the_end_with_the_configured_holds(
    contacts: dict[tuple[str, Channel, Intent], Contact],
    profile: str,
    channel: Channel,
    intent: Intent,
) -> None:
    truth = contacts[(profile, channel, intent)].truth
    assert truth.ended_by == "company"
    assert truth.intent == intent
    assert truth.hold_time == pytest.approx(configured_hold_seconds(profile, channel, intent))
    route = standard_profile(profile).route(channel, intent)
    queue = 0.0 if channel == "email" else route.queue_seconds * SCALE
    assert truth.hold_time_of("queue") == pytest.approx(queue)
    assert len(truth.agents) == len(route.legs)
    assert [agent.department for agent in truth.agents] == [leg.department for leg in route.legs]
    assert len(truth.transfers) == sum(leg.ends == "transfer" for leg in route.legs)
    assert len(truth.escalations) == sum(leg.ends == "escalate" for leg in route.legs)
    assert truth.ignored_inputs == 0


@pytest.mark.parametrize(("profile", "channel", "intent"), MATRIX, ids=IDS)
def test_a_harness_reading_the_text_measures_exactly_the_truth(
    contacts: dict[tuple[str, Channel, Intent], Contact],
    profile: str,
    channel: Channel,
    intent: Intent,
) -> None:
    contact = contacts[(profile, channel, intent)]
    truth, seen = contact.truth, observed(contact.outputs)
    assert len(seen.get("transferred", [])) == len(truth.transfers)
    assert len(seen.get("escalated", [])) == len(truth.escalations)
    assert [m.group("agent") for m in seen["agent_joined"]] == [a.agent for a in truth.agents]
    asked: dict[str, int] = {}
    for match in seen.get("info_requested", []):
        asked[match.group("field")] = asked.get(match.group("field"), 0) + 1
    assert sum(count - 1 for count in asked.values()) == truth.recaptures
    assert sorted(asked.values()) == sorted(truth.fields_asked.values())
    # a call reads each reference out twice: one reference, given once
    references = list(dict.fromkeys(m.group("reference") for m in seen.get("reference_given", [])))
    assert references == [reference.reference for reference in truth.references]
    if channel == "phone" and truth.references:
        assert len(seen["reference_given"]) == 2 * len(truth.references)
    assert len(seen.get("promise_made", [])) == len(truth.promises)
    assert bool(seen.get("satisfaction_check")) == truth.satisfaction_asked
    assert bool(seen.get("channel_switch_offered")) == (truth.channel_switch_offered_at is not None)
    resolved = "outcome_resolved" in seen
    assert resolved == (truth.claimed_resolved is True)
    assert ("outcome_not_resolved" in seen) == (truth.claimed_resolved is False)
    assert harness_hold_time(contact) == pytest.approx(truth.hold_time, abs=1e-6)
    assert harness_ivr_depth(contact) == truth.ivr_depth


def harness_hold_time(contact: Contact) -> float:
    """Pair each hold start with the next end, as journeys.domain.metrics does."""
    total, started = 0.0, None
    for output in contact.outputs:
        events = observed([output])
        if "hold_started" in events and started is None:
            started = output.due
        elif "hold_ended" in events and started is not None:
            total += output.due - started
            started = None
    return total


def harness_ivr_depth(contact: Contact) -> int:
    """Keys pressed before the first agent_joined, as journeys.domain.metrics does."""
    joined = next(
        (output.due for output in contact.outputs if "agent_joined" in observed([output])),
        float("inf"),
    )
    return sum(1 for at, sent in contact.sent if sent == "key" and at <= joined)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("intent", INTENTS)
def test_advocate_resolves_in_one_leg_without_friction(
    contacts: dict[tuple[str, Channel, Intent], Contact], channel: Channel, intent: Intent
) -> None:
    truth = contacts[("advocate", channel, intent)].truth
    assert len(truth.agents) == 1
    assert (len(truth.transfers), len(truth.escalations), truth.recaptures) == (0, 0, 0)
    assert truth.claimed_outcome == "resolved"
    assert truth.action_performed
    assert truth.promises and all(promise.backed for promise in truth.promises)
    if intent != "enquiry":
        assert truth.references and all(reference.real for reference in truth.references)
    assert truth.satisfaction_asked


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("intent", INTENTS)
def test_purgatory_transfers_repeats_itself_and_never_surveys(
    contacts: dict[tuple[str, Channel, Intent], Contact], channel: Channel, intent: Intent
) -> None:
    truth = contacts[("purgatory", channel, intent)].truth
    assert truth.transfers
    assert truth.recaptures >= 1
    if intent in ("cancel", "return", "warranty"):
        assert truth.escalations
    assert not truth.satisfaction_asked
    assert truth.channel_switch_offered_at is None


@pytest.mark.parametrize("channel", CHANNELS)
def test_purgatory_claims_the_cancellation_but_nothing_is_cancelled(channel: Channel) -> None:
    contact = run_contact("purgatory", channel, "cancel")
    truth = contact.truth
    assert truth.claimed_outcome == "resolved"
    assert not truth.action_performed
    assert truth.action is None
    assert [reference.real for reference in truth.references] == [False]
    assert len(truth.escalations) == 1
    assert truth.recaptures >= 3


@pytest.mark.parametrize("channel", CHANNELS)
def test_purgatory_cancel_leaves_the_order_placed(channel: Channel) -> None:
    from contact_centre_driver import ORDER_NUMBER, shop

    actions = shop()
    run_contact("purgatory", channel, "cancel", actions=actions)
    assert actions.orders[ORDER_NUMBER].status == "placed"
    assert not any(call.startswith("cancel_order") for call in actions.calls)


@pytest.mark.parametrize("channel", CHANNELS)
def test_typical_returns_cost_one_cold_transfer_and_one_recapture(channel: Channel) -> None:
    truth = run_contact("typical", channel, "return").truth
    assert [transfer.handover for transfer in truth.transfers] == ["cold"]
    assert truth.recaptures == 1
    assert truth.fields_asked["order_number"] == 2


@pytest.mark.parametrize("channel", CHANNELS)
def test_typical_warranty_escalates_warmly_without_asking_again(channel: Channel) -> None:
    truth = run_contact("typical", channel, "warranty").truth
    assert [escalation.handover for escalation in truth.escalations] == ["warm"]
    assert truth.recaptures == 0
    assert truth.claimed_outcome == "resolved"


@pytest.mark.parametrize(("profile", "depth"), [("advocate", 1), ("typical", 2), ("purgatory", 4)])
@pytest.mark.parametrize("intent", INTENTS)
def test_phone_menu_depth_is_one_two_four(
    contacts: dict[tuple[str, Channel, Intent], Contact], profile: str, depth: int, intent: Intent
) -> None:
    truth = contacts[(profile, "phone", intent)].truth
    assert truth.ivr_depth == depth
    assert [choice.result for choice in truth.ivr_choices] == ["menu"] * (depth - 1) + ["route"]
    for channel in ("chat", "social", "email"):
        assert contacts[(profile, channel, intent)].truth.ivr_depth == 0


@pytest.mark.parametrize(("profile", "after"), [("advocate", 3), ("typical", 3), ("purgatory", None)])
@pytest.mark.parametrize("intent", INTENTS)
def test_social_offers_the_phone_after_three_exchanges_except_in_purgatory(
    contacts: dict[tuple[str, Channel, Intent], Contact],
    profile: str,
    after: int | None,
    intent: Intent,
) -> None:
    contact = contacts[(profile, "social", intent)]
    assert contact.truth.channel_switch_offered_after == after
    if after is not None:
        offer_at = contact.truth.channel_switch_offered_at
        third_message_at = [at for at, sent in contact.sent if sent != "key"][after - 1]
        assert offer_at is not None and offer_at > third_message_at
    for channel in ("chat", "phone", "email"):
        assert contacts[(profile, channel, intent)].truth.channel_switch_offered_at is None


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_email_replies_arrive_after_the_reply_delay_as_whole_emails(profile: str) -> None:
    contact = run_contact(profile, "email", "cancel")
    delay = standard_profile(profile).channels["email"].reply_delay_seconds * SCALE
    first_message_at = contact.sent[0][0]
    assert contact.outputs[0].due == pytest.approx(first_message_at + delay)
    assert not contact.truth.holds
    assert not any(output.kind == "typing" for output in contact.outputs)
    for at, _ in contact.sent[1:]:
        reply = next(output for output in contact.outputs if output.due > at)
        assert reply.due == pytest.approx(at + delay)


@pytest.mark.parametrize("intent", ["cancel", "return", "enquiry"])
def test_a_caller_is_found_by_the_orders_phone_number_not_an_email_address(intent: Intent) -> None:
    """On a call an address would be spelt letter by letter, which a telephone line garbles:
    the agent asks for the phone number on the order instead, and finds the order by it."""
    by_phone = run_contact("advocate", "phone", intent)
    assert "phone" in by_phone.truth.fields_asked and "email" not in by_phone.truth.fields_asked
    assert by_phone.truth.claimed_outcome == "resolved" and by_phone.truth.action_performed
    by_chat = run_contact("advocate", "chat", intent)
    assert "email" in by_chat.truth.fields_asked and "phone" not in by_chat.truth.fields_asked


def test_a_caller_with_another_phone_number_is_not_given_the_order() -> None:
    answers = {**ANSWERS, "phone number": "555 0100 0000"}
    contact = ScriptedCustomer("cancel", answers=answers).run(standard_profile("advocate"), "phone")
    assert contact.truth.claimed_outcome == "refused" and not contact.truth.action_performed


def test_a_new_order_by_phone_still_asks_where_to_send_its_confirmation() -> None:
    contact = run_contact("advocate", "phone", "order")
    assert "email" in contact.truth.fields_asked


class SilentAtFirst(ScriptedCustomer):
    """A caller who lets the first ``silent_menus`` menus pass without pressing a key."""

    silent_menus = 1

    def _react(self, contact: Contact, output: Output, at: float) -> None:
        if output.kind == OutputKind.IVR_PROMPT and self.silent_menus > 0:
            self.silent_menus -= 1
            return
        super()._react(contact, output, at)


def test_a_menu_left_unanswered_is_said_again_after_its_no_input_time() -> None:
    profile = standard_profile("typical")
    assert profile.ivr is not None
    contact = SilentAtFirst("cancel").run(profile, "phone")
    prompts = [output for output in contact.outputs if output.kind == OutputKind.IVR_PROMPT]
    no_choice = next(
        output
        for output in contact.outputs
        if "not get a choice" in output.text or "not hear a selection" in output.text
    )
    # the wait for a key begins once the menu has been said
    said = speaking_seconds(prompts[0].text)
    assert said > 10
    assert no_choice.due == pytest.approx(prompts[0].due + said + profile.ivr.no_input_seconds)
    assert prompts[1].due > no_choice.due
    # no key is no choice: the menu's depth is what was pressed, and the call goes on
    assert contact.truth.ivr_depth == profile.ivr.depth_of("cancel")
    assert contact.truth.claimed_outcome is not None


def test_a_caller_who_never_chooses_is_let_go_after_the_lines_limit() -> None:
    profile = standard_profile("purgatory")
    assert profile.ivr is not None
    caller = SilentAtFirst("cancel")
    caller.silent_menus = 99
    contact = caller.run(profile, "phone")
    assert (
        len([output for output in contact.outputs if output.kind == OutputKind.IVR_PROMPT])
        == profile.ivr.invalid_limit
    )
    assert "Goodbye" in contact.outputs[-2].text and contact.outputs[-1].kind == OutputKind.ENDED
    assert contact.truth.ivr_depth == 0 and contact.truth.claimed_outcome is None


class SilentToQuestions(ScriptedCustomer):
    """A caller who says nothing to the first ``silent_questions`` questions of the agents."""

    silent_questions = 1

    def _react(self, contact: Contact, output: Output, at: float) -> None:
        if "info_requested" in events_in(output.text) and self.silent_questions > 0:
            self.silent_questions -= 1
            return
        super()._react(contact, output, at)


def _asked(output: Output) -> str | None:
    match = events_in(output.text).get("info_requested")
    return None if match is None else match.group("field")


def test_a_question_met_with_silence_on_a_call_is_asked_again_after_its_no_answer_time() -> None:
    # the agent who waited for ever on an answer it never heard left the call dead (both sides
    # silent) until the caller gave up: now it asks whether the caller is there, and asks again
    profile = standard_profile("typical")
    answered = ScriptedCustomer("cancel").run(profile, "phone")
    contact = SilentToQuestions("cancel").run(profile, "phone")
    question = next(output for output in contact.outputs if _asked(output))
    still = next(output for output in contact.outputs if output.phrase == PhraseKind.NO_ANSWER)
    settings = profile.channels["phone"]
    assert settings.no_answer_seconds > 0
    # counted from the question's end (in real seconds: a person's silence is not scaled)
    waited = speaking_seconds(question.text) + settings.no_answer_seconds
    assert still.due == pytest.approx(question.due + waited + profile.seconds(settings.line_gap_seconds))
    again = contact.outputs[contact.outputs.index(still) + 1]
    assert _asked(again) == _asked(question)
    # asked again is asked again: the truth counts it, as a listener does
    assert contact.truth.recaptures == answered.truth.recaptures + 1
    heard: dict[str, int] = {}
    for match in observed(contact.outputs).get("info_requested", []):
        heard[match.group("field")] = heard.get(match.group("field"), 0) + 1
    assert sum(count - 1 for count in heard.values()) == contact.truth.recaptures
    assert contact.truth.claimed_outcome == answered.truth.claimed_outcome
    assert contact.truth.ended_by == "company" and contact.truth.ignored_inputs == 0


def test_a_caller_silent_to_every_question_is_told_goodbye_after_the_limit() -> None:
    profile = standard_profile("typical")
    caller = SilentToQuestions("cancel")
    caller.silent_questions = 99
    contact = caller.run(profile, "phone")
    assert len([output for output in contact.outputs if _asked(output)]) == NO_ANSWER_LIMIT
    assert contact.outputs[-2].phrase == PhraseKind.NO_ANSWER_GOODBYE
    assert "Goodbye" in contact.outputs[-2].text and contact.outputs[-1].kind == OutputKind.ENDED
    assert contact.truth.ended_by == "company" and contact.truth.claimed_outcome is None


def test_no_silence_is_counted_while_the_caller_is_being_heard() -> None:
    profile = standard_profile("typical")
    silent = SilentToQuestions("cancel").run(profile, "phone")
    question = next(output for output in silent.outputs if _asked(output))
    # the same call again, stopped once the question is out
    contact = SilentToQuestions("cancel").run(profile, "phone", until=question.due)
    assert contact.outputs[-1].text == question.text
    deadline = question.due + speaking_seconds(question.text) + profile.channels["phone"].no_answer_seconds
    conversation = contact.conversation
    speaking = True
    conversation.hearing = lambda: speaking  # the caller talks past the deadline
    assert conversation.due_outputs(deadline + 5) == []
    speaking = False
    first = conversation.due_outputs(deadline + 5.1)[0]
    assert first.phrase == PhraseKind.NO_ANSWER
