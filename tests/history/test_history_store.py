"""The history file: valid inputs, reopening, versions, locations, and several writers at once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from history_records import FIRST_NIGHT, NIGHT, journey_record, write_run_folder

from journeys.history.runs import (
    SCHEMA_VERSION,
    ByChannel,
    History,
    HistoryError,
    HistoryVersionError,
    Metric,
    default_history_path,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "journeys" / "schema" / "journey-result.schema.json").read_text())


def test_the_synthetic_records_match_the_published_schema() -> None:
    for record in (
        journey_record("phone-1"),
        journey_record("chat-1", channel="chat", time_to_agent=None, verified_resolved=None, recaptures=2),
        journey_record("broken-1", status="broken", setup_contact=False, profile=None),
    ):
        jsonschema.validate(record, SCHEMA)


def test_a_new_file_gets_the_current_schema_in_wal_mode(history: History, history_path: Path) -> None:
    with sqlite3.connect(history_path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"runs", "journeys", "journey_tags", "contacts"} <= tables


def test_reopening_an_existing_history_keeps_its_runs(tmp_path: Path, history_path: Path) -> None:
    run = write_run_folder(tmp_path, "night-1", [journey_record("a", hold_time=62.0)])
    with History.open(history_path) as history:
        history.record_run(run, scores={"a": 75.0})
    with History.open(history_path) as reopened:
        assert [summary.name for summary in reopened.runs()] == ["night-1"]
        assert [point.value for point in reopened.trend(Metric.HOLD_TIME, ByChannel("phone"))] == [62.0]
        assert [point.value for point in reopened.trend(Metric.SCORE, ByChannel("phone"))] == [75.0]


def test_a_history_from_a_newer_version_is_refused_in_one_line_and_left_alone(history_path: Path) -> None:
    history_path.parent.mkdir(parents=True)
    with sqlite3.connect(history_path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryVersionError) as refused:
        History.open(history_path)
    message = str(refused.value)
    assert "\n" not in message
    assert str(history_path) in message
    assert f"schema version {SCHEMA_VERSION + 1} is newer" in message
    assert "upgrade mystery-shopper" in message
    with sqlite3.connect(history_path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] != "wal"


def test_a_file_that_is_not_a_database_is_refused(history_path: Path) -> None:
    history_path.parent.mkdir(parents=True)
    history_path.write_text("these are not the runs you are looking for\n" * 100)
    with pytest.raises(HistoryError, match="not a mystery-shopper history database"):
        History.open(history_path)


def test_the_history_location_comes_from_the_environment_else_the_results_folder(tmp_path: Path) -> None:
    results = tmp_path / "results"
    assert default_history_path(results, {}) == results / "history.sqlite3"
    assert default_history_path(results, {"MYSTERY_SHOPPER_HISTORY": "  "}) == results / "history.sqlite3"
    kept = tmp_path / "ci-cache" / "history.sqlite3"
    assert default_history_path(results, {"MYSTERY_SHOPPER_HISTORY": str(kept)}) == kept


WRITER = """
import sys, time
from pathlib import Path
from journeys.history.runs import History
go = Path(sys.argv[1])
while not go.exists():  # start together, so that the writes overlap
    time.sleep(0.005)
with History.open(sys.argv[2]) as history:
    for folder in sys.argv[3:]:
        history.record_run(Path(folder))
"""


def test_two_processes_writing_one_history_do_not_corrupt_it(tmp_path: Path, history_path: Path) -> None:
    """Two CI shards at once on a new file: each records its own nights, and its half of a shared run."""
    folders: dict[str, list[str]] = {"shard-a": [], "shard-b": []}
    for shard, channel in (("shard-a", "phone"), ("shard-b", "chat")):
        for night in range(30):
            records = [
                journey_record(f"{shard}-{night}-{index}", channel=channel, started_at=night * NIGHT + index)
                for index in range(15)
            ]
            folders[shard].append(str(write_run_folder(tmp_path / shard, f"{shard}-night-{night}", records)))
        shared = [journey_record(f"{shard}-shared-{index}", channel=channel) for index in range(20)]
        folders[shard].append(str(write_run_folder(tmp_path / shard, "shared-night", shared)))
    go = tmp_path / "go"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(go), str(history_path), *shard_folders], cwd=ROOT)
        for shard_folders in folders.values()
    ]
    go.touch()
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]

    with sqlite3.connect(history_path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert raw.execute("SELECT count(*) FROM journeys").fetchone()[0] == 2 * (30 * 15 + 20)
        assert raw.execute("SELECT count(*) FROM contacts").fetchone()[0] == 2 * 2 * (30 * 15 + 20)
    with History.open(history_path) as history:
        assert len(history.runs()) == 2 * 30 + 1
        assert history.run("shared-night").journeys == 40


def test_a_run_is_complete_unless_it_was_cut_short(history: History) -> None:
    night = [journey_record("a"), journey_record("b", started_at=FIRST_NIGHT + 1)]
    assert history.record_run(night, name="whole").status == "complete"
    assert history.record_run(night, name="ctrl-c", status="interrupted").status == "interrupted"
    cut = [journey_record("a"), journey_record("b", started_at=FIRST_NIGHT + 1, status="interrupted")]
    assert history.record_run(cut, name="cut in a journey").status == "interrupted"
    assert history.record_run(night, name="ctrl-c").status == "complete"  # run again, to its end


def test_a_history_of_the_first_schema_learns_which_runs_were_interrupted(history_path: Path) -> None:
    """A history kept in a CI cache since before run statuses upgrades in place."""
    from journeys.history.store import MIGRATIONS

    history_path.parent.mkdir(parents=True)
    with sqlite3.connect(history_path, isolation_level=None) as raw:
        for statement in MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute("PRAGMA user_version = 1")
        for name, interrupted_journeys in (("whole", 0), ("cut", 1)):
            raw.execute(
                "INSERT INTO runs (name, company, profile, time_scale, started_at, ended_at, journeys,"
                " interrupted, recorded_at) VALUES (?, 'sandbox', 'typical', 1, 0, 1, 2, ?, 0)",
                (name, interrupted_journeys),
            )
    with History.open(history_path) as upgraded:
        assert [(run.name, run.status) for run in upgraded.runs()] == [
            ("whole", "complete"),
            ("cut", "interrupted"),
        ]
