"""Recording runs: idempotent, merging shards, keeping scores, refusing what does not fit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from history_records import journey_record, write_run_folder

from journeys.history.runs import ByChannel, ByJourney, History, HistoryError, Metric

PHONE = ByJourney("cancellation/phone.feature", "Cancel a web order right away by phone")


def table_sizes(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as raw:
        return {
            table: raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("runs", "journeys", "journey_tags", "contacts")
        }


def test_a_run_folder_is_recorded_under_its_folder_name(history: History, tmp_path: Path) -> None:
    records = [
        journey_record("a", started_at=1000.0),
        journey_record("b", started_at=1010.0, status="findings"),
        journey_record("c", started_at=990.0, status="broken"),
    ]
    summary = history.record_run(write_run_folder(tmp_path, "20261123-020000-sandbox-typical", records))
    assert summary.name == "20261123-020000-sandbox-typical"
    assert (summary.journeys, summary.passed, summary.findings, summary.broken) == (3, 1, 1, 1)
    assert summary.started_at == 990.0
    assert summary.ended_at == records[1]["ended_at"]
    assert (summary.company, summary.profile, summary.time_scale) == ("sandbox", "typical", 1.0)


def test_recording_the_same_run_twice_does_not_duplicate_it(
    history: History, history_path: Path, tmp_path: Path
) -> None:
    run = write_run_folder(tmp_path, "night-1", [journey_record("a"), journey_record("b", channel="chat")])
    history.record_run(run)
    once = table_sizes(history_path)
    again = history.record_run(run)
    assert table_sizes(history_path) == once == {"runs": 1, "journeys": 2, "journey_tags": 4, "contacts": 4}
    assert again.journeys == 2


def test_recording_a_run_again_replaces_its_values(history: History, tmp_path: Path) -> None:
    history.record_run([journey_record("a", hold_time=60.0)], name="night-1")
    history.record_run([journey_record("a", hold_time=90.0, tags=("phone",))], name="night-1")
    assert [point.value for point in history.trend(Metric.HOLD_TIME, ByChannel("phone"))] == [90.0]
    assert [point.value for point in history.trend(Metric.HOLD_TIME, PHONE)] == [90.0]


def test_shards_of_one_run_merge_into_one_run(history: History, history_path: Path) -> None:
    history.record_run([journey_record("a", hold_time=60.0)], name="night-1")
    merged = history.record_run([journey_record("b", hold_time=100.0, started_at=500.0)], name="night-1")
    assert merged.journeys == 2
    assert merged.started_at == 500.0
    assert table_sizes(history_path)["runs"] == 1
    assert [point.value for point in history.trend(Metric.HOLD_TIME, ByChannel("phone"))] == [80.0]


def test_scores_are_stored_when_given_and_kept_when_not(history: History) -> None:
    records = [journey_record("a"), journey_record("b")]
    history.record_run(records, name="night-1")
    assert history.trend(Metric.SCORE, PHONE) == []  # nothing scored yet: no point, not a zero
    history.record_run(records, name="night-1", scores={"a": 80.0, "b": None})
    assert [point.value for point in history.trend(Metric.SCORE, PHONE)] == [80.0]
    history.record_run(records, name="night-1")
    assert [point.value for point in history.trend(Metric.SCORE, PHONE)] == [80.0]
    history.record_scores("night-1", {"b": 60.0})
    assert [point.value for point in history.trend(Metric.SCORE, PHONE)] == [70.0]
    history.record_scores("night-1", {"a": None})
    assert [point.value for point in history.trend(Metric.SCORE, PHONE)] == [60.0]


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"a": 101.0}, "score 101.0 for a is not between 0 and 100"),
        ({"a": float("nan")}, "score nan for a is not between 0 and 100"),
        ({"z": 50.0}, "scores for journeys it does not have: z"),
    ],
)
def test_bad_scores_are_refused_naming_the_journey(
    history: History, scores: dict[str, float], message: str
) -> None:
    with pytest.raises(HistoryError, match=message):
        history.record_run([journey_record("a")], name="night-1", scores=scores)
    assert history.runs() == []


def test_records_need_a_run_name(history: History) -> None:
    with pytest.raises(HistoryError, match="needs a name"):
        history.record_run([journey_record("a")])


def test_an_empty_run_folder_is_refused(history: History, tmp_path: Path) -> None:
    (tmp_path / "night-1").mkdir()
    with pytest.raises(HistoryError, match="no journey records"):
        history.record_run(tmp_path / "night-1")


def test_journeys_of_another_series_cannot_join_a_run(history: History) -> None:
    history.record_run([journey_record("a")], name="night-1")
    with pytest.raises(HistoryError, match=r"journey b is for .*purgatory.*another run name"):
        history.record_run([journey_record("b", profile="purgatory")], name="night-1")
    assert history.run("night-1").journeys == 1


def test_a_record_from_a_newer_results_format_is_refused(history: History) -> None:
    record = {**journey_record("a"), "schema_version": 2}
    with pytest.raises(HistoryError, match="journey a has results schema_version 2"):
        history.record_run([record], name="night-1")


def test_a_record_that_is_not_a_journey_record_is_refused(history: History) -> None:
    record = journey_record("a")
    del record["metrics"]
    with pytest.raises(HistoryError, match=r"journey a .*'metrics'"):
        history.record_run([record], name="night-1")


def test_records_from_before_time_to_agent_existed_are_recorded_as_unknown(history: History) -> None:
    record = journey_record("a", hold_time=42.0)
    for field in ("time_to_agent", "satisfaction_checked", "channel_switch_offered"):
        del record["metrics"][field]
    history.record_run([record], name="night-1")
    assert [point.value for point in history.trend(Metric.HOLD_TIME, PHONE)] == [42.0]
    assert history.trend(Metric.TIME_TO_AGENT, PHONE) == []


def test_an_unknown_run_is_named_in_the_error(history: History) -> None:
    with pytest.raises(HistoryError, match="no run named 'night-9'"):
        history.run("night-9")
    with pytest.raises(HistoryError, match="no run named 'night-9'"):
        history.record_scores("night-9", {})
