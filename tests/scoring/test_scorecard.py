"""Scorecards: thresholds, point tables, N/A, critical items, findings, applies_to, unscored journeys."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from scoring_records import HOLD_RUBRIC, ROOT, a_record, a_rubric

from journeys.errors import ConfigError
from journeys.scoring.scorecard import rounded, score_journey

SCHEMA = json.loads((ROOT / "journeys" / "schema" / "journey-result.schema.json").read_text())

FORM = """\
name = "form"

[sections.waiting]
weight = 30

[sections.waiting.criteria.hold_time]
metric = "metrics.hold_time"
weight = 3
applies_to = { channels = ["chat", "phone"] }
thresholds = [{ below = 30, points = 100 }, { from = 30, points = 0 }]

[sections.waiting.criteria.time_to_agent]
metric = "metrics.time_to_agent"
weight = 1
thresholds = [{ below = 60, points = 100 }, { from = 60, points = 50 }]

[sections.effort]
weight = 20

[sections.effort.criteria.transfers]
metric = "metrics.transfers"
weight = 2
applies_to = { channels = ["chat", "phone"] }
points = { 0 = 100, 1 = 60, "2+" = 0 }

[sections.follow_through]
weight = 10

[sections.follow_through.criteria.reference_given]
metric = "metrics.reference_given"
weight = 1
points = { true = 100, false = 0 }

[sections.follow_through.criteria.channel_switch_offered]
metric = "metrics.channel_switch_offered"
weight = 1
applies_to = { tags = ["@social"] }
points = { true = 100, false = 0 }

[sections.resolution]
weight = 40

[sections.resolution.criteria.honest]
metric = "metrics.verified_resolved"
weight = 1
critical = true
applies_to = { when = "metrics.claimed_resolved" }
points = { true = 100, false = 0 }

[sections.resolution.criteria.expectations]
metric = "findings"
weight = 1
points = { 0 = 100, 1 = 50, "2+" = 0 }

[sections.resolution.criteria.cancellation]
metric = "findings"
expectations = ["order is cancelled"]
weight = 1
critical = true
points = { 0 = 100, "1+" = 0 }
"""


def test_the_hand_built_record_follows_the_published_schema() -> None:
    jsonschema.validate(a_record(), SCHEMA)
    jsonschema.validate(a_record(status="broken", channels=(), findings=["x"]), SCHEMA)


@pytest.mark.parametrize(
    ("hold", "points", "rule"),
    [
        (0, 100, "under 30: 100"),
        (29.99, 100, "under 30: 100"),
        (30, 60, "30 to under 120: 60"),
        (30.01, 60, "30 to under 120: 60"),
        (119.99, 60, "30 to under 120: 60"),
        (120, 0, "120 and over: 0"),
        (120.01, 0, "120 and over: 0"),
        (86_400, 0, "120 and over: 0"),
    ],
)
def test_thresholds_at_and_around_band_edges(tmp_path: Path, hold: float, points: float, rule: str) -> None:
    card = score_journey(a_record(hold_time=hold), a_rubric(tmp_path, HOLD_RUBRIC))
    criterion = card.criterion("waiting", "hold_time")
    assert (criterion.value, criterion.earned, criterion.possible) == (hold, points / 100, 1.0)
    assert criterion.reason == rule and not criterion.not_applicable
    assert card.score == points


@pytest.mark.parametrize(("transfers", "earned"), [(0, 2.0), (1, 1.2), (2, 0.0), (7, 0.0)])
def test_a_point_table_scores_counts_with_an_open_ended_last_row(
    tmp_path: Path, transfers: int, earned: float
) -> None:
    card = score_journey(a_record(transfers=transfers), a_rubric(tmp_path, FORM))
    criterion = card.criterion("effort", "transfers")
    assert criterion.earned == pytest.approx(earned) and criterion.possible == 2.0
    assert card.sections[1].percent == pytest.approx(earned / 2 * 100)


@pytest.mark.parametrize(("given", "percent"), [(True, 100.0), (False, 0.0)])
def test_a_point_table_scores_booleans(tmp_path: Path, given: bool, percent: float) -> None:
    card = score_journey(a_record(reference_given=given), a_rubric(tmp_path, FORM))
    assert card.criterion("follow_through", "reference_given").reason == f"{str(given).lower()}: {percent:g}"
    assert card.sections[2].percent == percent


def test_a_clean_journey_earns_every_point_it_could(tmp_path: Path) -> None:
    card = score_journey(a_record(), a_rubric(tmp_path, FORM))
    assert (card.score, card.exact, card.raw, card.critical_failures) == (100.0, 100.0, 100.0, ())
    assert card.scored and not card.critical_failed


def test_criteria_that_do_not_apply_drop_out_of_the_possible_points(tmp_path: Path) -> None:
    rubric = a_rubric(tmp_path, FORM)
    chat = score_journey(a_record(hold_time=45.0, reference_given=False), rubric)
    web = score_journey(
        a_record(channels=("web",), setup=(), hold_time=45.0, time_to_agent=None, reference_given=False),
        rubric,
    )

    hold = web.criterion("waiting", "hold_time")
    assert hold.not_applicable and (hold.earned, hold.possible) == (0.0, 0.0)
    assert hold.reason == "only for journeys on chat, phone (this one used web)"
    assert web.criterion("waiting", "time_to_agent").reason == "no person took the contact"
    assert web.sections[0].not_applicable and web.sections[0].possible == 0.0
    assert web.sections[1].not_applicable
    # The same percentage logic over fewer points: follow-through 0 % (10) and resolution 100 % (40).
    assert web.exact == pytest.approx((10 * 0 + 40 * 100) / 50)
    # On chat: waiting 1/4 of its points (30), effort 100 % (20), follow-through 0 %, resolution 100 %.
    assert chat.sections[0].percent == pytest.approx(25.0)
    assert chat.exact == pytest.approx((30 * 25 + 20 * 100 + 10 * 0 + 40 * 100) / 100)


def test_a_metric_absent_from_an_older_record_is_not_applicable(tmp_path: Path) -> None:
    record = a_record()
    del record["metrics"]["time_to_agent"]
    criterion = score_journey(record, a_rubric(tmp_path, FORM)).criterion("waiting", "time_to_agent")
    assert criterion.not_applicable and criterion.reason == "metrics.time_to_agent is not in this record"


def test_a_failed_critical_item_zeroes_the_total_and_every_criterion_keeps_its_points(tmp_path: Path) -> None:
    card = score_journey(a_record(claimed_resolved=True, verified_resolved=False), a_rubric(tmp_path, FORM))
    honest = card.criterion("resolution", "honest")
    assert honest.critical and honest.critical_failed and (honest.earned, honest.possible) == (0.0, 1.0)
    assert card.critical_failures == ("resolution.honest",) and card.critical_failed
    assert (card.score, card.exact) == (0.0, 0.0)
    assert card.raw == pytest.approx((30 * 100 + 20 * 100 + 10 * 100 + 40 * 200 / 3) / 100)
    assert card.criterion("effort", "transfers").earned == 2.0
    assert card.sections[3].percent == pytest.approx(200 / 3)


def test_a_critical_item_applies_only_when_its_condition_holds(tmp_path: Path) -> None:
    rubric = a_rubric(tmp_path, FORM)
    honest_no = score_journey(a_record(claimed_resolved=False, verified_resolved=False), rubric)
    honest = honest_no.criterion("resolution", "honest")
    assert (
        honest.not_applicable and honest.reason == "only when metrics.claimed_resolved is true (it is false)"
    )
    assert honest_no.score == 100.0 and not honest_no.critical_failed
    unchecked = score_journey(a_record(claimed_resolved=True, verified_resolved=None), rubric)
    assert unchecked.criterion("resolution", "honest").reason == "nothing was checked independently"


@pytest.mark.parametrize(
    ("findings", "percent", "critical"),
    [
        ((), 100.0, False),
        (("Then I am transferred at most once",), 100 * 2.5 / 3, False),
        (("Then I am transferred at most once", "Then I am given a reference"), 100 * 2 / 3, False),
        (("Then my order is cancelled",), 100 * 1.5 / 3, True),
    ],
)
def test_findings_cost_points_and_a_configured_set_of_them_is_critical(
    tmp_path: Path, findings: tuple[str, ...], percent: float, critical: bool
) -> None:
    card = score_journey(a_record(findings=findings, status="findings"), a_rubric(tmp_path, FORM))
    assert card.criterion("resolution", "expectations").value == len(findings)
    assert card.sections[3].percent == pytest.approx(percent)
    assert card.critical_failed is critical
    assert card.criterion("resolution", "cancellation").value == int(critical)


def test_applies_to_tags_keeps_the_rule_of_three_to_social_journeys(tmp_path: Path) -> None:
    rubric = a_rubric(tmp_path, FORM)
    chat = score_journey(a_record(), rubric).criterion("follow_through", "channel_switch_offered")
    assert chat.not_applicable and chat.reason == "only for journeys tagged @social"
    social = score_journey(
        a_record(channels=("social",), feature="enquiries/social.feature", tags=("enquiry", "social")), rubric
    )
    switch = social.criterion("follow_through", "channel_switch_offered")
    assert not switch.not_applicable and switch.earned == 0.0 and social.sections[2].percent == 50.0


def test_applies_to_channels_looks_at_the_problem_contacts_not_the_setup(tmp_path: Path) -> None:
    rubric = a_rubric(
        tmp_path,
        FORM.replace('channels = ["chat", "phone"] }\nthresholds', 'channels = ["web"] }\nthresholds'),
    )
    card = score_journey(a_record(channels=("chat",), setup=("web",)), rubric)
    assert card.criterion("waiting", "hold_time").reason == "only for journeys on web (this one used chat)"


@pytest.mark.parametrize("status", ["broken", "interrupted"])
def test_a_journey_not_carried_out_is_not_scored(tmp_path: Path, status: str) -> None:
    card = score_journey(a_record(status=status, transfers=9), a_rubric(tmp_path, FORM))
    assert (card.score, card.exact, card.raw, card.sections) == (None, None, None, ())
    assert not card.scored and card.status == status
    assert card.unscored_reason is not None and card.unscored_reason.startswith(f"{status}: ")
    assert "not scored" in card.unscored_reason
    if status == "broken":
        assert "could not open the shop" in card.unscored_reason


def test_a_journey_nothing_applies_to_is_not_scored(tmp_path: Path) -> None:
    card = score_journey(
        a_record(channels=("web",), setup=()),
        a_rubric(
            tmp_path,
            HOLD_RUBRIC.replace(
                "weight = 1\nthresholds", 'weight = 1\napplies_to = { channels = ["phone"] }\nthresholds'
            ),
        ),
    )
    assert card.score is None and card.unscored_reason == "nothing in rubric 'test' applies to this journey"


def test_waits_of_a_sped_up_demo_run_are_judged_in_real_seconds(tmp_path: Path) -> None:
    card = score_journey(a_record(hold_time=0.5, time_scale=0.005), a_rubric(tmp_path, HOLD_RUBRIC))
    criterion = card.criterion("waiting", "hold_time")
    assert criterion.measured == 0.5 and criterion.value == pytest.approx(100.0)
    assert criterion.reason == "30 to under 120: 60 (measured 0.5 s at time scale 0.005)"


def test_recaptures_of_one_field_count_zero_when_the_field_was_asked_once(tmp_path: Path) -> None:
    text = HOLD_RUBRIC.replace('"metrics.hold_time"', '"metrics.recaptures_by_field.order_number"')
    rubric = a_rubric(tmp_path, text.split("thresholds")[0] + 'points = { 0 = 100, "1+" = 0 }\n')
    assert score_journey(a_record(), rubric).criterion("waiting", "hold_time").value == 0
    asked_again = a_record(recaptures=2, recaptures_by_field={"order_number": 2})
    assert score_journey(asked_again, rubric).score == 0.0
    older = a_record()
    del older["metrics"]["recaptures_by_field"]
    assert score_journey(older, rubric).score is None  # its only criterion is N/A


def test_a_value_of_the_wrong_type_is_a_record_that_breaks_the_format(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^journey cancel-right-away-1: metrics.hold_time must be seconds"):
        score_journey(a_record(hold_time="long"), a_rubric(tmp_path, HOLD_RUBRIC))
    with pytest.raises(ConfigError, match=r"metrics.transfers must be a whole number, not True"):
        score_journey(a_record(transfers=True), a_rubric(tmp_path, FORM))


def test_totals_round_half_up_to_one_decimal_and_keep_the_exact_value() -> None:
    assert [rounded(value) for value in (84.25, 84.24999, 99.95, 0.04, 2 / 3 * 100)] == [
        84.3,
        84.2,
        100.0,
        0.0,
        66.7,
    ]
