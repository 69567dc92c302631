"""The honest outcome and issue #15's metrics in the history: stored per journey, trended,
judged for regressions, shown in the table, and an older history upgraded without losing a row."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from history_records import FIRST_NIGHT, NIGHT, journey_record

from journeys.history.runs import SCHEMA_VERSION, ByChannel, ByJourney, History, Metric
from journeys.history.store import MIGRATIONS
from journeys.runner.cli import main

PHONE = ByJourney("cancellation/phone.feature", "Cancel a web order right away by phone")
MEASURED = {
    "outcome": "misinformed",
    "policy_recitals": 2,
    "conferences": 1,
    "identified_before_heard": True,
    "followed_up": False,
    "followed_up_by_promise": False,
}


def with_metrics(journey_id: str, started_at: float = FIRST_NIGHT, **metrics: Any) -> dict[str, Any]:
    record = journey_record(journey_id, started_at=started_at)
    record["metrics"].update(metrics)
    return record


def stored(path: Path, journey_id: str) -> dict[str, Any]:
    with sqlite3.connect(path) as raw:
        raw.row_factory = sqlite3.Row
        row = raw.execute("SELECT * FROM journeys WHERE journey_id = ?", (journey_id,)).fetchone()
    return dict(row)


def test_the_outcome_and_the_new_metrics_are_stored_per_journey(history: History, history_path: Path) -> None:
    history.record_run([with_metrics("told-false", **MEASURED)], name="night-1")
    row = stored(history_path, "told-false")
    assert {name: row[name] for name in MEASURED} == {
        "outcome": "misinformed",
        "policy_recitals": 2,
        "conferences": 1,
        "identified_before_heard": 1,
        "followed_up": 0,
        "followed_up_by_promise": 0,
    }
    assert (row["settled"], row["misinformed"]) == (0, 1)


def test_a_record_without_them_stores_unknown_not_zero(history: History, history_path: Path) -> None:
    """Records written before these metrics, and a follow-up nobody looked for, are NULL."""
    history.record_run([journey_record("old"), with_metrics("new", policy_recitals=None)], name="night-1")
    for journey_id in ("old", "new"):
        row = stored(history_path, journey_id)
        assert [row[name] for name in (*MEASURED, "settled", "misinformed")] == [None] * 8, journey_id
    assert history.trend(Metric.POLICY_RECITALS, PHONE) == []


def test_the_outcome_and_the_new_metrics_trend_per_channel_and_journey(history: History) -> None:
    nights = [
        [with_metrics("a", outcome="resolved", policy_recitals=0, followed_up=True)],
        [
            with_metrics("a", FIRST_NIGHT + NIGHT, outcome="answered_honestly", policy_recitals=1),
            with_metrics("b", FIRST_NIGHT + NIGHT, outcome="unresolved", policy_recitals=3),
        ],
    ]
    for night, records in enumerate(nights):
        history.record_run(records, name=f"night-{night}")
    phone = ByChannel("phone")
    assert [point.value for point in history.trend(Metric.SETTLED, phone)] == [1.0, 0.5]
    assert [point.value for point in history.trend(Metric.MISINFORMED, phone)] == [0.0, 0.0]
    assert [point.value for point in history.trend(Metric.POLICY_RECITALS, phone)] == [0.0, 2.0]
    assert [point.value for point in history.trend(Metric.FOLLOWED_UP, PHONE)] == [1.0]  # looked once


def test_a_company_that_starts_misinforming_is_a_regression(history: History) -> None:
    for night in range(2):
        outcome = "resolved" if night == 0 else "misinformed"
        history.record_run(
            [with_metrics("j", FIRST_NIGHT + night * NIGHT, outcome=outcome)], name=f"n{night}"
        )
    said = [str(regression) for regression in history.regressions()]
    assert any("misinformed rate on phone" in sentence for sentence in said), said
    assert any("resolved or honestly answered rate on phone" in sentence for sentence in said), said


def test_the_table_shows_what_the_customers_ended_up_with(
    history_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with History.open(history_path) as history:
        history.record_run(
            [
                with_metrics("a", outcome="resolved"),
                with_metrics("b", FIRST_NIGHT + 1, outcome="misinformed"),
            ],
            name="night-1",
        )
        history.record_run([journey_record("a", started_at=FIRST_NIGHT + NIGHT)], name="before-outcomes")

    assert main(["history", "--history", str(history_path)]) == 0

    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split()[-3:] == ["settled", "misinformed", "status"]
    assert [row.split()[-3:] for row in rows] == [["50%", "50%", "complete"], ["–", "–", "complete"]]


def test_a_history_of_the_second_schema_upgrades_in_place_and_keeps_every_row(history_path: Path) -> None:
    """A history kept in a CI cache before outcomes were stored: its rows stay, unknown where
    they were never recorded, and recording a run folder again fills them in."""
    with History.open(history_path) as history:
        history.record_run([journey_record("a"), journey_record("b", channel="chat")], name="night-1")
    with sqlite3.connect(history_path, isolation_level=None) as raw:  # back to the second schema
        counts = [
            raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("runs", "journeys", "contacts")
        ]
    old = history_path.with_name("old.sqlite3")
    with sqlite3.connect(old, isolation_level=None) as raw:
        for migration in MIGRATIONS[:2]:
            for statement in migration:
                raw.execute(statement)
        raw.execute("PRAGMA user_version = 2")
        raw.execute(f"ATTACH DATABASE '{history_path}' AS new")
        for table in ("runs", "journeys", "journey_tags", "contacts"):
            columns = [row[1] for row in raw.execute(f"PRAGMA main.table_info({table})")]
            listed = ", ".join(columns)
            raw.execute(f"INSERT INTO main.{table} ({listed}) SELECT {listed} FROM new.{table}")
        raw.execute("DETACH DATABASE new")

    with History.open(old) as upgraded:
        assert [run.name for run in upgraded.runs()] == ["night-1"]
        assert [run.journeys for run in upgraded.runs()] == [2]
        with sqlite3.connect(old) as raw:
            assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            after = [
                raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("runs", "journeys", "contacts")
            ]
            assert after == counts
            assert raw.execute("SELECT count(*) FROM journeys WHERE outcome IS NULL").fetchone()[0] == 2
        assert [point.value for point in upgraded.trend(Metric.HOLD_TIME, PHONE)] == [60.0]
        upgraded.record_run([with_metrics("a", outcome="resolved")], name="night-1")
        assert [point.value for point in upgraded.trend(Metric.SETTLED, PHONE)] == [1.0]
