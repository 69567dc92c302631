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


def test_a_journey_cut_short_in_its_latest_run_is_still_expected_to_take_its_usual_time(
    history: History,
) -> None:
    # a call that ended at once in one run (no option fitted) was started last by the next run
    # and ran on alone: the longest of the latest runs is expected, not the latest
    nights = [700.0, 150.0, 160.0, 14.0]  # the oldest first; the first falls out of the window
    for number, handle_time in enumerate(nights):
        started = FIRST_NIGHT + number * NIGHT
        history.record_run(
            [journey_record("call", started_at=started, handle_time=handle_time)], name=f"n{number}"
        )
    durations = [
        journey_record("call", started_at=FIRST_NIGHT + n * NIGHT, handle_time=t)["duration"]
        for n, t in enumerate(nights)
    ]

    expected = history.last_durations(RunSeries("sandbox", "typical", 1.0))

    assert expected == {"call": max(durations[1:])}
    assert max(durations[1:]) < durations[0]
