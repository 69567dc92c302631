"""Trends: a metric per journey or per channel over the last runs, oldest first, for a sparkline."""

from __future__ import annotations

from typing import Any

import pytest
from history_records import FIRST_NIGHT, NIGHT, journey_record

from journeys.history.runs import ByChannel, ByJourney, History, Metric, RunSeries, TrendPoint

PHONE = ByJourney("cancellation/phone.feature", "Cancel a web order right away by phone")
CHAT = ByJourney("cancellation/chat.feature", "Cancel a web order right away in the chat")


def record_night(history: History, night: int, *journeys: dict[str, Any], **run: Any) -> str:
    """Record one night's run of the given journeys (keyword overrides for ``journey_record``)."""
    name = f"night-{night:03d}"
    records = [
        journey_record(f"j{index}", started_at=FIRST_NIGHT + night * NIGHT + index, **{**run, **journey})
        for index, journey in enumerate(journeys)
    ]
    history.record_run(records, name=name)
    return name


def test_a_trend_is_oldest_first_and_keeps_the_last_runs(history: History) -> None:
    for night, hold in enumerate([10.0, 20.0, 30.0, 40.0, 50.0]):
        record_night(history, night, {"hold_time": hold})
    trend = history.trend(Metric.HOLD_TIME, ByChannel("phone"), last=3)
    assert trend == [
        TrendPoint("night-002", FIRST_NIGHT + 2 * NIGHT, 30.0),
        TrendPoint("night-003", FIRST_NIGHT + 3 * NIGHT, 40.0),
        TrendPoint("night-004", FIRST_NIGHT + 4 * NIGHT, 50.0),
    ]
    run, started_at, value = trend[0]  # a plain (run name, started_at, value) tuple
    assert started_at == FIRST_NIGHT + 2 * NIGHT
    assert (run, value) == ("night-002", 30.0)


def test_runs_recorded_out_of_order_still_trend_oldest_first(history: History) -> None:
    for night in (3, 1, 2):
        record_night(history, night, {"transfers": night})
    assert [point.run for point in history.trend(Metric.TRANSFERS, PHONE)] == [
        "night-001",
        "night-002",
        "night-003",
    ]


def test_a_journey_trend_follows_one_scenario(history: History) -> None:
    chat = {"name": CHAT.name, "feature": CHAT.feature, "channel": "chat"}
    record_night(history, 0, {"recaptures": 1}, {**chat, "recaptures": 4})
    record_night(history, 1, {"recaptures": 2}, {**chat, "recaptures": 5})
    assert [point.value for point in history.trend(Metric.RECAPTURES, PHONE)] == [1, 2]
    assert [point.value for point in history.trend(Metric.RECAPTURES, CHAT)] == [4, 5]
    assert [point.value for point in history.trend(Metric.RECAPTURES, ByChannel("chat"))] == [4, 5]


def test_a_channel_value_is_the_mean_over_its_contacts_without_setup_contacts(history: History) -> None:
    record_night(
        history, 0, {"hold_time": 60.0, "handle_time": 100.0}, {"hold_time": 90.0, "handle_time": 200.0}
    )
    assert history.trend(Metric.HOLD_TIME, ByChannel("phone"))[0].value == 75.0
    assert history.trend(Metric.HANDLE_TIME, ByChannel("phone"))[0].value == 150.0
    # the setup contacts happened on the web, but a web trend has nothing to show
    assert history.trend(Metric.HANDLE_TIME, ByChannel("web")) == []


def test_a_rate_per_channel_is_the_share_of_its_journeys(history: History) -> None:
    record_night(
        history,
        0,
        {"first_contact_resolution": True, "verified_resolved": True},
        {"first_contact_resolution": False, "verified_resolved": None},
        {"first_contact_resolution": False, "verified_resolved": False},
        {"first_contact_resolution": True, "verified_resolved": True},
    )
    assert history.trend(Metric.FIRST_CONTACT_RESOLUTION, ByChannel("phone"))[0].value == 0.5
    # a journey that verified nothing is left out, not counted as unresolved
    assert history.trend(Metric.VERIFIED_RESOLUTION, ByChannel("phone"))[0].value == pytest.approx(2 / 3)


def test_broken_and_interrupted_journeys_do_not_count(history: History) -> None:
    record_night(
        history,
        0,
        {"hold_time": 60.0},
        {"hold_time": 0.0, "status": "broken"},
        {"hold_time": 5.0, "status": "interrupted"},
        {"hold_time": 80.0, "status": "findings"},
    )
    assert history.trend(Metric.HOLD_TIME, ByChannel("phone"))[0].value == 70.0


def test_a_trend_stays_in_one_series_and_stops_at_until(history: History) -> None:
    record_night(history, 0, {"hold_time": 10.0})
    record_night(history, 1, {"hold_time": 20.0})
    record_night(history, 2, {"hold_time": 999.0}, profile="purgatory")
    record_night(history, 3, {"hold_time": 30.0})
    assert [point.value for point in history.trend(Metric.HOLD_TIME, PHONE)] == [10.0, 20.0, 30.0]
    assert [point.value for point in history.trend(Metric.HOLD_TIME, PHONE, until="night-001")] == [
        10.0,
        20.0,
    ]
    assert [point.value for point in history.trend(Metric.HOLD_TIME, PHONE, until="night-002")] == [999.0]
    purgatory = RunSeries("sandbox", "purgatory", 1.0)
    assert [point.value for point in history.trend(Metric.HOLD_TIME, PHONE, series=purgatory)] == [999.0]
    assert [summary.name for summary in history.runs(last=2)] == ["night-002", "night-003"]
    assert [summary.name for summary in history.runs(series=purgatory)] == ["night-002"]


def test_an_empty_history_has_empty_trends(history: History) -> None:
    assert history.trend(Metric.HOLD_TIME, ByChannel("phone")) == []
    assert history.runs() == []


def test_a_run_trend_is_the_mean_over_each_runs_journeys(history: History) -> None:
    chat = {"name": CHAT.name, "feature": CHAT.feature, "channel": "chat"}
    for night, (phone, other) in enumerate([(1, 3), (2, 6), (4, 8)]):
        record_night(history, night, {"recaptures": phone}, {**chat, "recaptures": other})
    assert history.run_trend(Metric.RECAPTURES, last=2) == [
        TrendPoint("night-001", FIRST_NIGHT + NIGHT, 4.0),
        TrendPoint("night-002", FIRST_NIGHT + 2 * NIGHT, 6.0),
    ]
    assert [point.value for point in history.run_trend(Metric.RECAPTURES, until="night-001")] == [2.0, 4.0]
    assert history.run_trend(Metric.RECAPTURES, last=0) == []
