"""``mystery-shopper history``: every recorded run in one table, so two profiles' runs
(make demo) or a week of nights compare at a glance."""

from __future__ import annotations

from pathlib import Path

import pytest
from history_records import FIRST_NIGHT, NIGHT, journey_record

from journeys.history.runs import History
from journeys.runner.cli import main


def test_the_table_lists_each_run_with_its_profile_score_and_outcomes(
    history_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with History.open(history_path) as history:
        for night, (profile, score) in enumerate([("typical", 90.0), ("purgatory", 40.0)]):
            records = [
                journey_record(f"j{index}", started_at=FIRST_NIGHT + night * NIGHT + index, profile=profile)
                for index in range(2)
            ]
            history.record_run(
                records, name=f"demo-{profile}", scores={record["journey_id"]: score for record in records}
            )

    assert main(["history", "--history", str(history_path)]) == 0

    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split()[:5] == ["run", "started", "(UTC)", "profile", "speed"]
    assert [row.split()[0] for row in rows] == ["demo-typical", "demo-purgatory"]
    assert rows[0].split()[3:6] == ["typical", "real", "time"] and "90.0" in rows[0].split()
    assert rows[1].split()[3] == "purgatory" and "40.0" in rows[1].split()


def test_without_a_history_it_says_so_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--history", str(tmp_path / "none.sqlite3")]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith("none.sqlite3: no run history yet; it is written at the end of every run")


def test_an_interrupted_run_says_so(history_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with History.open(history_path) as history:
        history.record_run([journey_record("a")], name="night-1")
        cut = journey_record("a", started_at=FIRST_NIGHT + NIGHT, status="interrupted")
        history.record_run([cut], name="night-2")

    assert main(["history", "--history", str(history_path)]) == 0

    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split()[-1] == "status"
    assert [(row.split()[0], row.split()[-1]) for row in rows] == [
        ("night-1", "complete"),
        ("night-2", "interrupted"),
    ]
