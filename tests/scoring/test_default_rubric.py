"""The shipped rubric: it loads, says why, and scores advocate and purgatory journeys as customers would."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest
from scoring_records import ROOT, a_record

from journeys.channels.written.letters import MailThread
from journeys.company.profile import load_company, unmeasured_metrics
from journeys.domain.metrics import JourneyMetrics
from journeys.domain.results import RunDirectory, to_record
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Channel, EventKind
from journeys.errors import ConfigError
from journeys.journey import expectations, tasks
from journeys.journey.actor import Journey, JourneyIdentity, journey_id_for
from journeys.scoring.rubric import METRICS, Rubric, load_rubric
from journeys.scoring.scorecard import Scorecard, score_journey

SCHEMA = json.loads((ROOT / "journeys" / "schema" / "journey-result.schema.json").read_text())


@pytest.fixture(scope="module")
def default() -> Rubric:
    return load_rubric("default", ROOT)


def test_the_default_rubric_loads_with_its_sections(default: Rubric) -> None:
    assert {section.key: section.weight for section in default.sections} == {
        "resolution": 35,
        "waiting": 20,
        "effort": 20,
        "follow_through": 15,
        "expectations": 10,
    }
    criteria = {criterion.key for section in default.sections for criterion in section.criteria}
    assert criteria >= {
        "transfers", "hold_time", "time_to_agent", "recaptures", "resolved", "honest_resolution",
        "reference_given", "promise_made", "satisfaction_checked", "ivr_depth", "channel_switch_offered",
        "findings",
    }  # fmt: skip


def test_every_criterion_of_the_default_rubric_says_why() -> None:
    lines = (ROOT / "rubrics" / "default.toml").read_text().splitlines()
    headers = [
        number for number, line in enumerate(lines) if line.startswith("[sections.") and ".criteria." in line
    ]
    assert headers
    for number in headers:
        body = lines[
            number + 1 : next((n for n in range(number + 1, len(lines)) if lines[n].startswith("[")), None)
        ]
        assert any(line.startswith("# ") for line in body), f"{lines[number]} has no comment saying why"


def test_every_journey_metric_can_be_scored() -> None:
    fields = {f"metrics.{field.name}" for field in dataclasses.fields(JourneyMetrics)}
    assert fields - {"metrics.recaptures_by_field", "metrics.outcome_reason"} <= set(METRICS)


def test_a_clean_advocate_journey_scores_near_100(default: Rubric) -> None:
    card = score_journey(
        a_record(channels=("phone",), ivr_depth=1, hold_time=12.0, time_to_agent=40.0), default
    )
    assert card.score is not None and card.score >= 95 and not card.critical_failed


def test_a_purgatory_journey_scores_0_by_its_critical_item(default: Rubric) -> None:
    record = a_record(
        channels=("phone",), feature="cancellation/phone.feature", status="findings",
        transfers=3, escalations=1, hold_time=400.0, time_to_agent=700.0, ivr_depth=5,
        recaptures=4, recaptures_by_field={"order_number": 3, "email": 1},
        claimed_resolved=True, verified_resolved=False, first_contact_resolution=False,
        promise_made=False, satisfaction_checked=False,
    )  # fmt: skip
    card = score_journey(record, default)
    assert (card.score, card.exact) == (0.0, 0.0)
    assert card.critical_failures == ("resolution.honest_resolution",)
    assert card.raw is not None and 0 < card.raw < 30
    assert card.criterion("effort", "transfers").earned == 0.0
    assert card.criterion("follow_through", "reference_given").earned == 2.0


def test_a_web_only_journey_is_scored_out_of_what_applies_to_the_web(default: Rubric) -> None:
    record = a_record(
        channels=("web",), setup=(), feature="ordering/web.feature", time_to_agent=None, promise_made=False,
        satisfaction_checked=False,
    )  # fmt: skip
    card = score_journey(record, default)
    assert card.score == 100.0
    assert [section.key for section in card.sections if section.not_applicable] == ["waiting", "effort"]


def test_a_colleague_brought_in_scores_above_a_transfer_and_needing_nobody_is_not_judged(
    default: Rubric,
) -> None:
    conferred = score_journey(a_record(conferences=1, kept_not_passed_on=True), default)
    transferred = score_journey(a_record(transfers=1, kept_not_passed_on=False), default)
    alone = score_journey(a_record(), default)
    assert conferred.criterion("effort", "kept_not_passed_on").earned == 1.0
    assert conferred.criterion("effort", "transfers").earned == 3.0  # a conference is no transfer
    assert transferred.criterion("effort", "kept_not_passed_on").earned == 0.0
    assert alone.criterion("effort", "kept_not_passed_on").not_applicable
    assert conferred.score is not None and transferred.score is not None
    assert conferred.score > transferred.score


def test_a_policy_recited_costs_half_the_criterion_and_two_cost_it_all(default: Rubric) -> None:
    points = [
        score_journey(a_record(policy_recitals=count), default).criterion("effort", "policy_recitals").earned
        for count in (0, 1, 2, 3)
    ]
    assert points == [2.0, 1.0, 0.0, 0.0]


def test_the_rule_of_three_counts_on_social_journeys_only(default: Rubric) -> None:
    social = a_record(channels=("social",), feature="enquiries/social.feature", tags=("enquiry", "social"))
    switch = score_journey(social, default).criterion("follow_through", "channel_switch_offered")
    assert not switch.not_applicable and switch.earned == 0.0
    chat = score_journey(a_record(), default).criterion("follow_through", "channel_switch_offered")
    assert chat.not_applicable


def test_a_refusal_nothing_showed_true_is_still_critical(default: Rubric) -> None:
    record = a_record(
        channels=("web",), setup=("web",), feature="cancellation/web.feature", status="findings",
        findings=("Then my order is cancelled",), claimed_resolved=False, verified_resolved=False,
        first_contact_resolution=False, time_to_agent=None,
    )  # fmt: skip
    card = score_journey(record, default)
    assert card.score == 0.0 and card.critical_failures == ("resolution.cancellation_honoured",)
    assert card.criterion("resolution", "honest_resolution").not_applicable


# -- records written by the harness itself (journeys.domain.results.to_record), without a browser


class Clock:
    """A clock the test moves: each reading advances a second; ``wait`` jumps ahead."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        self.now += 1
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


def no_browser() -> object:
    raise AssertionError("this test must not open a browser")


def a_journey(tmp_path: Path, channel: Channel, clock: Clock) -> Journey:
    company = load_company("sandbox", ROOT)
    node_id = f"features/cancellation/{channel}.feature::test_cancel_a_web_order_right_away"
    identity = JourneyIdentity(
        journey_id=journey_id_for(node_id),
        name="Cancel a web order right away",
        feature=f"cancellation/{channel}.feature",
        line=8,
        tags=("cancellation", channel),
        company="sandbox",
        profile="advocate",
        seed=0,
    )
    journey = Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(0, node_id),
        browser_context=no_browser,  # type: ignore[arg-type]
        run_dir=RunDirectory(tmp_path / "run"),
        clock=clock,
    )
    with journey.contact("web", "order Kettle Pro", setup=True) as contact:
        contact.note(EventKind.REFERENCE_GIVEN, reference="BL-123456")
        contact.note(EventKind.OUTCOME, resolved=True, text="order placed")
    journey.facts["order_number"] = "BL-123456"
    return journey


def written(journey: Journey) -> dict[str, object]:
    """The record as a run folder holds it: through JSON and back."""
    record: dict[str, object] = json.loads(json.dumps(to_record(journey.result())))
    jsonschema.validate(record, SCHEMA)
    return record


def test_an_advocate_chat_record_from_the_harness_scores_near_100(tmp_path: Path, default: Rubric) -> None:
    clock = Clock()
    journey = a_journey(tmp_path, "chat", clock)
    with journey.contact("chat", "cancel order BL-123456") as contact:
        contact.note(EventKind.HOLD_STARTED, text="All our agents are busy")
        clock.wait(8)
        contact.note(EventKind.HOLD_ENDED)
        contact.note(EventKind.AGENT_JOINED, agent="Sam", department="orders")
        contact.note(EventKind.INFO_REQUESTED, field_name="order_number")
        contact.note(EventKind.REFERENCE_GIVEN, reference="CASE-42")
        contact.note(EventKind.PROMISE_MADE, text="refund within 5 business days")
        contact.note(EventKind.OUTCOME, resolved=True, text="your order is cancelled")
        contact.note(EventKind.SATISFACTION_CHECK, text="Is there anything else?")
    journey.verify("order cancelled", expected="cancelled", observed="Cancelled", passed=True, channel="web")
    journey.completed = True

    card = score_journey(written(journey), default)

    assert card.status == "passed" and card.score is not None and card.score >= 95, card
    assert card.criterion("waiting", "hold_time").value == pytest.approx(9.0)
    assert card.criterion("resolution", "honest_resolution").earned == 2.0


def test_a_purgatory_phone_record_from_the_harness_scores_0(tmp_path: Path, default: Rubric) -> None:
    clock = Clock()
    journey = a_journey(tmp_path, "phone", clock)
    with journey.contact("phone", "cancel order BL-123456") as contact:
        for key in "31245":
            contact.note(EventKind.MENU_PROMPT, text="For orders, press 3")
            contact.note(EventKind.MENU_CHOICE, key=key)
        for agent in ("Kim", "Lee", "Max", "Ola"):
            contact.note(EventKind.HOLD_STARTED)
            clock.wait(100)
            contact.note(EventKind.HOLD_ENDED)
            contact.note(EventKind.AGENT_JOINED, agent=agent)
            contact.note(EventKind.INFO_REQUESTED, field_name="order_number")
            if agent != "Ola":
                contact.note(EventKind.TRANSFERRED, department="billing")
        contact.note(EventKind.OUTCOME, resolved=True, text="that's cancelled for you")
    journey.verify(
        "order cancelled", expected="cancelled", observed="Processing", passed=False, channel="web"
    )
    journey.expect(False, expectation="my order is cancelled", observed="the order page shows 'Processing'")
    journey.completed = True

    record = written(journey)
    card = score_journey(record, default)

    metrics = record["metrics"]
    assert isinstance(metrics, dict)
    assert (metrics["transfers"], metrics["recaptures"], metrics["ivr_depth"]) == (3, 3, 5)
    assert metrics["hold_time"] >= 400
    assert card.status == "findings" and (card.score, card.exact) == (0.0, 0.0)
    assert card.critical_failures == ("resolution.honest_resolution", "resolution.cancellation_honoured")
    assert card.criterion("waiting", "hold_time").earned == 0.0


# -- the outcome: an honest no scores close to a fix, a false answer zeroes the journey

DECLINED = {
    "claimed_resolved": False, "verified_resolved": None, "time_to_resolution": None,
    "first_contact_resolution": False, "first_contact_answer": True, "reference_given": False,
    "promise_made": False, "outcome": "answered_honestly",
    "outcome_reason": "Unfortunately the warranty on this item has expired.",
}  # fmt: skip


def a_warranty_record(**metrics: object) -> dict[str, object]:
    record = a_record(channels=("chat",), setup=("web",), feature="warranty/chat.feature", **metrics)
    jsonschema.validate(record, SCHEMA)
    return record


def test_an_honest_decline_scores_close_to_a_resolution_and_far_above_unresolved(default: Rubric) -> None:
    resolved = score_journey(a_warranty_record(outcome="resolved", first_contact_answer=True), default)
    declined = score_journey(a_warranty_record(**DECLINED), default)
    unresolved = score_journey(
        a_warranty_record(**{**DECLINED, "outcome": "unresolved", "first_contact_answer": False}), default
    )
    assert resolved.score == 100.0
    assert declined.score is not None and unresolved.score is not None
    assert 90 <= declined.score < resolved.score and not declined.critical_failed
    assert declined.score - unresolved.score >= 30
    assert declined.criterion("resolution", "resolved").earned == pytest.approx(4 * 0.85)
    assert declined.criterion("resolution", "first_contact_resolution").earned == 2.0
    for key in ("reference_given", "promise_made"):
        assert declined.criterion("follow_through", key).not_applicable, key
        assert not unresolved.criterion("follow_through", key).not_applicable, key


@pytest.mark.parametrize(
    "metrics",
    [
        {**DECLINED, "outcome": "misinformed", "first_contact_answer": False},  # a false "expired"
        {"claimed_resolved": True, "verified_resolved": False, "outcome": "misinformed"},  # a false "done"
    ],
    ids=["false-expired", "false-done"],
)
def test_a_false_answer_zeroes_the_journey_as_critical(default: Rubric, metrics: dict[str, object]) -> None:
    card = score_journey(a_warranty_record(**metrics), default)
    assert card.score == 0.0 and card.critical_failures == ("resolution.honest_resolution",)


def test_an_honest_refusal_to_cancel_is_scored_below_a_cancellation_but_not_zeroed(default: Rubric) -> None:
    refused = a_record(
        channels=("chat",), setup=("web",), feature="cancellation/chat.feature", status="findings",
        findings=("Then my order is cancelled",),
        **{**DECLINED, "outcome_reason": "it can no longer be cancelled"},
    )  # fmt: skip
    falsely = a_record(
        channels=("chat",), setup=("web",), feature="cancellation/chat.feature", status="findings",
        findings=("Then my order is cancelled",), claimed_resolved=True, verified_resolved=False,
        outcome="misinformed",
    )  # fmt: skip
    cancelled = score_journey(a_record(outcome="resolved"), default)
    honest, false = score_journey(refused, default), score_journey(falsely, default)
    assert honest.score is not None and cancelled.score is not None
    assert 80 <= honest.score < cancelled.score and not honest.critical_failed
    assert honest.criterion("resolution", "cancellation_honoured").not_applicable
    assert false.score == 0.0
    assert false.critical_failures == ("resolution.honest_resolution", "resolution.cancellation_honoured")


def test_a_record_written_before_outcomes_is_scored_by_what_it_holds(default: Rubric) -> None:
    old = a_record(claimed_resolved=False, verified_resolved=None, first_contact_resolution=False)
    card = score_journey(old, default)
    assert card.criterion("resolution", "resolved").value == "unresolved"
    assert card.criterion("resolution", "first_contact_resolution").value is False


def test_a_profile_without_the_optional_patterns_is_not_scored_on_them(
    tmp_path: Path, default: Rubric
) -> None:
    """Without policy_recited, conferenced or followed_up the harness cannot see a recital, a
    colleague brought in or a follow-up: those criteria drop out (N/A), never scored as failing
    and never given marks for what nobody saw. The same journey read with the patterns is scored
    on them."""
    company = load_company("sandbox", ROOT)
    assert company.conversation is not None
    optional = ("policy_recited", "conferenced", "followed_up")
    without = {name: found for name, found in company.conversation.patterns.items() if name not in optional}
    assert unmeasured_metrics(company.conversation.patterns) == frozenset()
    assert unmeasured_metrics(without) == {"policy_recitals", "conferences"}

    def scored(unmeasured: frozenset[str], patterns: dict[str, object]) -> Scorecard:
        clock = Clock()
        journey = a_journey(tmp_path / str(len(patterns)), "email", clock)
        journey.company = dataclasses.replace(
            company,
            conversation=dataclasses.replace(company.conversation, patterns=patterns),  # type: ignore[arg-type]
        )
        with journey.contact("email", "cancel order BL-123456") as contact:
            contact.unmeasured = unmeasured  # as talk() sets it from the profile's patterns
            contact.note(EventKind.MESSAGE_SENT, text="Please cancel my order BL-123456", opening=True)
            contact.note(EventKind.AGENT_JOINED, agent="Sam", department="Orders")
            contact.note(EventKind.TRANSFERRED, department="Billing")
            contact.note(EventKind.PROMISE_MADE, text="Your refund will reach you within 5 business days.")
            contact.note(EventKind.OUTCOME, resolved=True, text="I've cancelled your order")
        journey.mail_threads.append((contact, MailThread("ms1", "shopper@example.test"), 1))
        if "followed_up" not in patterns:
            with pytest.raises(ConfigError, match="followed_up"):
                expectations.followed_up_by_promise(journey)
            assert tasks.await_follow_up(journey) is None  # nothing to read by: nothing looked for
        journey.completed = True
        return score_journey(written(journey), default)

    blind = scored(unmeasured_metrics(without), without)
    for section, criterion in [
        ("effort", "policy_recitals"),
        ("effort", "kept_not_passed_on"),
        ("follow_through", "followed_up"),
    ]:
        assert blind.criterion(section, criterion).not_applicable, criterion
    seeing = scored(frozenset(), dict(company.conversation.patterns))
    assert seeing.criterion("effort", "policy_recitals").earned == 2.0  # seen: none recited
    assert seeing.criterion("effort", "kept_not_passed_on").earned == 0.0  # seen: handed on
