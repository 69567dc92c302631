"""Regressions: worse than the previous run or the median of the last runs, past a floor."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from history_records import FIRST_NIGHT, NIGHT, journey_record

from journeys.history.rules import compare, is_worse
from journeys.history.runs import METRICS, ByChannel, ByJourney, History, Metric, Regression

PHONE = ByJourney("cancellation/phone.feature", "Cancel a web order right away by phone")


def record_nights(history: History, values: list[dict[str, Any]], **run: Any) -> list[str]:
    """One run a night, each of one phone journey with the given values."""
    names = []
    for night, values_of_night in enumerate(values):
        name = f"night-{night:03d}"
        started_at = FIRST_NIGHT + night * NIGHT
        history.record_run(
            [journey_record("j", started_at=started_at, **{**run, **values_of_night})], name=name
        )
        names.append(name)
    return names


def hold(*seconds: float) -> list[dict[str, Any]]:
    return [{"hold_time": value} for value in seconds]


def test_worse_than_last_night_is_said_in_one_sentence(history: History) -> None:
    names = record_nights(history, hold(62.0, 87.0))
    regressions = history.regressions(metrics=[Metric.HOLD_TIME])
    assert [str(regression) for regression in regressions] == [
        "hold time on phone up 40% since the previous run (62 s -> 87 s)",
        'hold time in "Cancel a web order right away by phone" up 40% since the previous run (62 s -> 87 s)',
    ]
    by_channel = regressions[0]
    assert by_channel.subject == ByChannel("phone")
    assert (by_channel.run, by_channel.compared_with, by_channel.baseline) == (
        names[1],
        (names[0],),
        "previous",
    )
    assert by_channel.change == pytest.approx(87 / 62 - 1)


def test_worse_than_the_median_of_the_last_runs(history: History) -> None:
    """Last night was already bad, so only the median shows how far tonight has slipped."""
    record_nights(history, hold(60.0, 58.0, 61.0, 60.0, 80.0, 85.0))
    regression = history.regressions(metrics=[Metric.HOLD_TIME], window=7)[0]
    assert regression.baseline == "median"
    assert regression.compared_with == ("night-000", "night-001", "night-002", "night-003", "night-004")
    assert (
        regression.sentence
        == "hold time on phone up 42% against the median of the last 5 runs (60 s -> 85 s)"
    )
    assert all(found.baseline == "median" for found in history.regressions(metrics=[Metric.HOLD_TIME]))


def test_the_median_looks_at_the_window_only(history: History) -> None:
    record_nights(history, hold(10.0, 10.0, 10.0, 100.0, 100.0, 100.0, 95.0))
    assert history.regressions(metrics=[Metric.HOLD_TIME], window=3) == []
    wider = history.regressions(metrics=[Metric.HOLD_TIME], window=6)
    assert {(found.baseline, len(found.compared_with), found.before) for found in wider} == {
        ("median", 6, 55.0)
    }


def test_no_median_from_fewer_than_three_earlier_runs(history: History) -> None:
    record_nights(history, hold(60.0, 90.0, 90.0))
    assert history.regressions(metrics=[Metric.HOLD_TIME]) == []


def test_a_tiny_change_is_below_the_absolute_floor(history: History) -> None:
    record_nights(history, hold(0.1, 0.2))
    assert history.regressions(metrics=[Metric.HOLD_TIME]) == []
    (regression, _) = history.regressions(metrics=[Metric.HOLD_TIME], floors={Metric.HOLD_TIME: 0.05})
    assert regression.sentence == "hold time on phone up 100% since the previous run (0.10 s -> 0.20 s)"


def test_a_big_absolute_change_that_is_small_relative_is_not_a_regression(history: History) -> None:
    record_nights(history, [{"handle_time": 900.0}, {"handle_time": 1000.0}])
    assert history.regressions(metrics=[Metric.HANDLE_TIME]) == []


def test_floors_in_seconds_follow_the_time_scale(history: History) -> None:
    """At 1/100 of real time, 0.5 s measured stands for 50 s of hold: well past the 10 s floor."""
    record_nights(history, hold(0.5, 1.0), time_scale=0.01)
    assert [found.metric for found in history.regressions(metrics=[Metric.HOLD_TIME])] == [
        Metric.HOLD_TIME
    ] * 2


def test_from_zero_a_change_past_the_floor_has_no_percentage(history: History) -> None:
    record_nights(history, [{"transfers": 0}, {"transfers": 1}])
    (by_channel, _) = history.regressions(metrics=[Metric.TRANSFERS])
    assert by_channel.sentence == "transfers on phone up since the previous run (0 -> 1)"


def test_lower_is_worse_for_the_score_and_the_resolution_rates(history: History) -> None:
    record_nights(history, [{"first_contact_resolution": True}, {"first_contact_resolution": False}])
    history.record_scores("night-000", {"j": 80.0})
    history.record_scores("night-001", {"j": 60.0})
    sentences = [found.sentence for found in history.regressions()]
    assert "score on phone down 25% since the previous run (80 -> 60)" in sentences
    assert "first-contact resolution rate on phone down 100% since the previous run (100% -> 0%)" in sentences
    assert f"score {PHONE.phrase} down 25% since the previous run (80 -> 60)" in sentences


def test_an_improvement_is_not_a_regression(history: History) -> None:
    record_nights(history, [{"hold_time": 90.0, "transfers": 3}, {"hold_time": 30.0, "transfers": 0}])
    assert history.regressions() == []


def test_runs_of_another_series_are_not_a_baseline(history: History) -> None:
    record_nights(history, hold(30.0, 200.0))
    history.record_run(
        [journey_record("j", hold_time=300.0, profile="purgatory", started_at=FIRST_NIGHT + 5 * NIGHT)],
        name="purgatory-night",
    )
    assert history.regressions() == []  # the latest run is the first of its series
    assert len(history.regressions("night-001", metrics=[Metric.HOLD_TIME])) == 2


def test_channels_come_first_then_the_largest_change(history: History) -> None:
    record_nights(history, [{"hold_time": 60.0, "recaptures": 1}, {"hold_time": 90.0, "recaptures": 3}])
    found = history.regressions()
    assert [(type(regression.subject), regression.metric) for regression in found] == [
        (ByChannel, Metric.RECAPTURES),
        (ByChannel, Metric.HOLD_TIME),
        (ByJourney, Metric.RECAPTURES),
        (ByJourney, Metric.HOLD_TIME),
    ]


def test_a_regression_is_a_frozen_value(history: History) -> None:
    record_nights(history, hold(62.0, 87.0))
    regression = history.regressions()[0]
    assert isinstance(regression, Regression)
    with pytest.raises(dataclasses.FrozenInstanceError):
        regression.after = 1.0  # type: ignore[misc]


def test_an_empty_history_has_no_regressions(history: History) -> None:
    assert history.regressions() == []


@pytest.mark.parametrize(
    ("metric", "before", "after", "worse"),
    [
        (Metric.HOLD_TIME, 60.0, 72.0, False),  # exactly 20%: not more than the threshold
        (Metric.HOLD_TIME, 60.0, 72.5, True),
        (Metric.HOLD_TIME, 20.0, 29.0, False),  # +45%, but under the 10 s floor
        (Metric.SCORE, 80.0, 63.0, True),
        (Metric.SCORE, 80.0, 90.0, False),
        (Metric.FIRST_CONTACT_RESOLUTION, 0.9, 0.7, True),
        (Metric.FIRST_CONTACT_RESOLUTION, 0.3, 0.22, False),  # -27%, but under 10 points
    ],
)
def test_the_rule(metric: Metric, before: float, after: float, worse: bool) -> None:
    spec = METRICS[metric]
    assert is_worse(spec, before, after, threshold=0.2, floor=spec.floor) is worse


def test_compare_with_no_earlier_runs_finds_nothing() -> None:
    assert (
        compare(Metric.HOLD_TIME, ByChannel("phone"), "night-1", 500.0, [], threshold=0.2, floor=10.0) == []
    )


def test_an_interrupted_run_is_never_the_baseline(history: History) -> None:
    """Cut short by Ctrl-C, a run measured only part of a night: the next run is judged without it."""
    record_nights(history, hold(60.0))
    cut = journey_record("j", started_at=FIRST_NIGHT + NIGHT, hold_time=90.0)
    history.record_run([cut], name="night-cut", status="interrupted")
    tonight = journey_record("j", started_at=FIRST_NIGHT + 2 * NIGHT, hold_time=90.0)
    history.record_run([tonight], name="tonight")

    regressions = history.regressions(metrics=[Metric.HOLD_TIME])
    assert {(found.compared_with, found.before, found.after) for found in regressions} == {
        (("night-000",), 60.0, 90.0)
    }
