"""What each journey took the last time its series carried it out: the order the next run starts them in."""

from __future__ import annotations

from history_records import FIRST_NIGHT, NIGHT, journey_record

from journeys.history.runs import History, RunSeries


def test_the_latest_run_that_carried_a_journey_out_says_how_long_it_takes(history: History) -> None:
    first = [journey_record("call", started_at=FIRST_NIGHT), journey_record("chat", channel="chat")]
    history.record_run(first, name="night-1")
    later = FIRST_NIGHT + NIGHT
    second = [
        journey_record("call", started_at=later, handle_time=500.0, status="findings"),
        journey_record("chat", started_at=later, channel="chat", status="broken", handle_time=1.0),
    ]
    history.record_run(second, name="night-2")
    other = [journey_record("call", started_at=later + NIGHT, profile="purgatory", handle_time=900.0)]
    history.record_run(other, name="purgatory-1")

    durations = history.last_durations(RunSeries("sandbox", "typical", 1.0))

    assert durations == {"call": second[0]["duration"], "chat": first[1]["duration"]}
    assert second[0]["duration"] > first[0]["duration"]  # the latest, not the first
    assert history.last_durations(RunSeries("sandbox", "advocate", 1.0)) == {}
