"""``mystery-shopper report``: rendering stored runs again, and merging the shards of one run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "history"))

from history_records import journey_record, write_run_folder

from journeys.runner.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def in_the_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Rubrics are found from the project folder; no history of the developer's is read."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MYSTERY_SHOPPER_HISTORY", str(tmp_path / "no-history.sqlite3"))


def shards(tmp_path: Path) -> tuple[Path, Path]:
    first = write_run_folder(tmp_path, "shard-1", [journey_record("a"), journey_record("b", channel="chat")])
    second = write_run_folder(tmp_path, "shard-2", [journey_record("c", channel="email")])
    evidence = second / "artifacts" / "c"
    evidence.mkdir(parents=True)
    (evidence / "trace.zip").write_bytes(b"PK")
    return first, second


def test_shards_merge_into_one_report_with_every_record_and_its_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = shards(tmp_path)
    out = tmp_path / "merged"
    assert main(["report", str(first), str(second), "--out", str(out)]) == 0

    assert capsys.readouterr().out.splitlines()[0] == f"report: {out / 'report.html'}"
    export = json.loads((out / "export.json").read_text())
    assert [journey["journey_id"] for journey in export["journeys"]] == ["a", "b", "c"]
    assert set(export["channels"]) == {"phone", "chat", "email"}
    assert sorted(path.name for path in (out / "journeys").glob("*.json")) == ["a.json", "b.json", "c.json"]
    assert (out / "artifacts" / "c" / "trace.zip").is_file()
    assert 'href="../artifacts/c/trace.zip"' in (out / "journeys" / "c.html").read_text()
    assert not (second / "report.html").exists()  # the shards themselves are left as they were


def test_by_default_the_report_goes_into_the_first_folder(tmp_path: Path) -> None:
    first, second = shards(tmp_path)
    assert main(["report", str(first), str(second)]) == 0
    assert {"report.html", "summary.md", "export.json"} <= {path.name for path in first.iterdir()}
    assert (first / "journeys" / "c.json").is_file()


def test_one_folder_given_twice_counts_once(tmp_path: Path) -> None:
    first, _ = shards(tmp_path)
    assert main(["report", str(first), str(first)]) == 0
    assert json.loads((first / "export.json").read_text())["run"]["journeys"] == 2


def test_a_journey_in_two_folders_is_one_line_naming_both_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, _ = shards(tmp_path)
    again = write_run_folder(tmp_path, "shard-3", [journey_record("b", channel="chat")])
    assert main(["report", str(first), str(again), "--out", str(tmp_path / "merged")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert str(first / "journeys" / "b.json") in error and str(again / "journeys" / "b.json") in error
    assert not (tmp_path / "merged" / "report.html").exists()


@pytest.mark.parametrize("problem", ["missing", "empty"])
def test_a_missing_or_empty_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], problem: str
) -> None:
    folder = tmp_path / "run"
    if problem == "empty":
        folder.mkdir()
    assert main(["report", str(folder)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(folder) in error
    assert ("no such run folder" if problem == "missing" else "no journey records") in error


def test_an_unknown_history_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = shards(tmp_path)
    assert main(["report", str(first), "--history", str(tmp_path / "nowhere.sqlite3")]) == 2
    assert "no such run history" in capsys.readouterr().err


def test_an_output_folder_holding_another_runs_records_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = shards(tmp_path)
    out = tmp_path / "merged"
    assert main(["report", str(first), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["report", str(second), "--out", str(out)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert f"--out {out}: already holds" in line and line.endswith("choose an empty folder")
    assert main(["report", str(first), str(second), "--out", str(out)]) == 0  # the same run, grown
