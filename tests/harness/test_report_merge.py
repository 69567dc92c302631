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


# A shard's folder comes from another machine: nothing outside it is read or copied.


def broken_with_screenshot(journey_id: str, screenshot: str) -> dict[str, object]:
    record = journey_record(journey_id, status="broken")
    record["breakage"] = {"message": "gone", "channel": "web", "action": "open", "screenshot": screenshot}
    return record


def refused(capsys: pytest.CaptureFixture[str], *folders: Path, out: Path) -> str:
    """The one line a refused merge prints; nothing was written to ``out``."""
    assert main(["report", *map(str, folders), "--out", str(out)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert not out.exists(), "a refused merge copied something"
    return line


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every run folder, as a link would reach for it."""
    private = tmp_path / "home" / "id_rsa"
    private.parent.mkdir()
    private.write_text("-----BEGIN PRIVATE KEY-----")
    return private


def test_a_link_in_a_shards_evidence_is_refused_and_never_copied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    first, second = shards(tmp_path)
    link = second / "artifacts" / "c" / "trace-2.zip"
    link.symlink_to(outside)
    line = refused(capsys, first, second, out=tmp_path / "merged")
    assert line.startswith(f"mystery-shopper: {link}: a symlink (to {outside}), in the evidence of ")
    assert str(second / "journeys" / "c.json") in line


def test_a_linked_evidence_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    first, second = shards(tmp_path)
    evidence = second / "artifacts" / "c"
    (evidence / "trace.zip").unlink()
    evidence.rmdir()
    evidence.symlink_to(outside.parent, target_is_directory=True)
    line = refused(capsys, first, second, out=tmp_path / "merged")
    assert line.startswith(f"mystery-shopper: {evidence}: a symlink (to {outside.parent})")


@pytest.mark.parametrize("linked", ["record", "journeys folder"])
def test_a_linked_record_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], linked: str) -> None:
    first, second = shards(tmp_path)
    elsewhere = write_run_folder(tmp_path / "elsewhere", "run", [journey_record("d")])
    if linked == "record":
        link = second / "journeys" / "d.json"
        link.symlink_to(elsewhere / "journeys" / "d.json")
    else:
        link = second / "journeys"
        for record in link.iterdir():
            record.unlink()
        link.rmdir()
        link.symlink_to(elsewhere / "journeys", target_is_directory=True)
    line = refused(capsys, first, second, out=tmp_path / "merged")
    assert line.startswith(f"mystery-shopper: {link}: a symlink (to {elsewhere / 'journeys'}")


@pytest.mark.parametrize(
    ("screenshot", "why"),
    [
        ("/etc/passwd", "is an absolute path"),
        ("C:\\Windows\\win.ini", "is an absolute path"),
        ("artifacts/d/../../../home/id_rsa", "climbs out with .."),
        ("journeys/a.json", "is not inside artifacts/d/"),
        ("artifacts/a/broken.png", "is not inside artifacts/d/"),  # another journey's evidence
    ],
)
def test_a_record_naming_evidence_outside_its_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], screenshot: str, why: str
) -> None:
    first, _ = shards(tmp_path)
    third = write_run_folder(tmp_path, "shard-3", [broken_with_screenshot("d", screenshot)])
    line = refused(capsys, first, third, out=tmp_path / "merged")
    assert line == (
        f"mystery-shopper: {third / 'journeys' / 'd.json'}: breakage.screenshot {screenshot!r} {why}; "
        "a run folder is merged only from plain files inside it"
    )


def test_a_screenshot_reached_through_a_link_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], outside: Path
) -> None:
    first, _ = shards(tmp_path)
    third = write_run_folder(tmp_path, "shard-3", [broken_with_screenshot("d", "artifacts/d/broken.png")])
    (third / "artifacts").symlink_to(outside.parent, target_is_directory=True)
    line = refused(capsys, first, third, out=tmp_path / "merged")
    assert line.startswith(f"mystery-shopper: {third / 'artifacts'}: a symlink")


def test_a_journey_id_that_is_a_path_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = shards(tmp_path)
    third = write_run_folder(tmp_path, "shard-3", [journey_record("d")])
    record = third / "journeys" / "d.json"
    record.write_text(record.read_text().replace('"journey_id": "d"', '"journey_id": "../../home"'))
    line = refused(capsys, first, third, out=tmp_path / "merged")
    # The schema refuses it first (journey ids are [a-z0-9-]); the folder check stands behind it.
    assert line.startswith(f"mystery-shopper: {record}: ") and "journey_id" in line and "../../home" in line


def test_a_screenshot_inside_its_journeys_evidence_is_merged_and_linked(tmp_path: Path) -> None:
    first, _ = shards(tmp_path)
    third = write_run_folder(tmp_path, "shard-3", [broken_with_screenshot("d", "artifacts/d/broken.png")])
    (third / "artifacts" / "d").mkdir(parents=True)
    (third / "artifacts" / "d" / "broken.png").write_bytes(b"\x89PNG")
    out = tmp_path / "merged"
    assert main(["report", str(first), str(third), "--out", str(out)]) == 0
    assert (out / "artifacts" / "d" / "broken.png").read_bytes() == b"\x89PNG"
    assert 'href="../artifacts/d/broken.png"' in (out / "journeys" / "d.html").read_text()


def test_copying_evidence_never_follows_a_link_made_after_the_check(tmp_path: Path, outside: Path) -> None:
    import os

    from reports.folder_safety import copy_plain_files

    evidence = tmp_path / "evidence"
    (evidence / "deeper").mkdir(parents=True)
    (evidence / "trace.zip").write_bytes(b"PK")
    (evidence / "stolen").symlink_to(outside)
    (evidence / "stolen-folder").symlink_to(outside.parent, target_is_directory=True)
    os.mkfifo(evidence / "deeper" / "pipe")  # copying a pipe would wait for a writer forever
    copy_plain_files(evidence, tmp_path / "copy")
    copied = sorted(path.relative_to(tmp_path / "copy").as_posix() for path in (tmp_path / "copy").rglob("*"))
    assert copied == ["deeper", "trace.zip"]


def test_the_merged_run_is_gated_on_its_own_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = shards(tmp_path)
    out = tmp_path / "merged"
    assert main(["report", str(first), str(second), "--out", str(out)]) == 0
    score = json.loads((out / "export.json").read_text())["run"]["score"]
    capsys.readouterr()

    assert main(["report", str(first), str(second), "--out", str(out), f"--fail-under={score + 1}"]) == 1
    assert f"FAILED the score gate: the mean score is {score:g}, under --fail-under {score + 1:g}" in (
        capsys.readouterr().out
    )
    assert main(["report", str(first), str(second), "--out", str(out), f"--fail-under={score}"]) == 0
    assert main(["report", str(first), "--fail-under=101"]) == 2
    assert "--fail-under 101: a score is 0 to 100" in capsys.readouterr().err
