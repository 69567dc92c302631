"""``report`` and ``history``: stored records that are not journey records, places that are not
folders, histories that are not histories, and bad arguments are each one line on standard
error, exit 2, before anything is written.

Records are held to ``journeys/schema/journey-result.schema.json`` as they are read, and
the message names the file and the place in it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bad_input import Project


def edited(change: Callable[[dict[str, Any]], object]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def edit(record: dict[str, Any]) -> dict[str, Any]:
        change(record)
        return record

    return edit


RECORDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "not-json": (lambda path: path.write_text("{ this is not json"), r"not a readable journey record \(.*\)"),
    "empty-file": (
        lambda path: path.write_text(""),
        r"not a readable journey record \(Expecting value: .*\)",
    ),
    "not-utf-8": (
        lambda path: path.write_bytes('{"name": "Cancelación"}'.encode("latin-1")),
        r"not a readable journey record \('utf-8' codec can't decode byte 0xf3 .*\)",
    ),
    "a-list": (
        lambda path: path.write_text("[]"),
        r"not a journey record of schema version 1: at /: \[\] is not of type 'object'",
    ),
}
"""A record file written wrong, and what is said about it."""

EDITS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "missing-status": (lambda record: record.pop("status"), r"at /: 'status' is a required property"),
    "unknown-status": (
        lambda record: record.update(status="great"),
        r"at /status: 'great' is not one of \['passed', 'findings', 'broken', 'interrupted'\]",
    ),
    "unknown-channel": (
        lambda record: record["contacts"][0].update(channel="fax"),
        r"at /contacts/0/channel: 'fax' is not one of \['web', 'chat', 'social', 'phone', 'email', 'desk'\]",
    ),
    "line-as-text": (lambda record: record.update(line="six"), r"at /line: 'six' is not of type 'integer'"),
    "journey-id-with-spaces": (
        lambda record: record.update(journey_id="Cancel on the web"),
        r"at /journey_id: 'Cancel on the web' does not match .*",
    ),
    "a-key-of-its-own": (
        lambda record: record.update(mood="grumpy"),
        r"at /: Additional properties are not allowed \('mood' was unexpected\)",
    ),
    "negative-hold": (
        lambda record: record["metrics"].update(hold_time=-3),
        r"at /metrics/hold_time: -3 is less than the minimum of 0",
    ),
}
"""One change to a valid record, and where the message says it is."""


@pytest.mark.parametrize(("write", "message"), RECORDS.values(), ids=list(RECORDS))
def test_a_record_file_that_is_not_a_record(
    project: Project, write: Callable[[Path], None], message: str
) -> None:
    run = project.stored_run("night-1", "a", "b")
    write(project.path / run / "journeys" / "b.json")

    said = project.main("report", run)

    said.one_line(2, rf"mystery-shopper: {re.escape(run)}/journeys/b\.json: {message}")
    assert not (project.path / run / "report.html").exists()


@pytest.mark.parametrize(("change", "message"), EDITS.values(), ids=list(EDITS))
def test_a_record_that_differs_from_the_schema_names_the_file_and_the_place(
    project: Project, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    run = project.stored_run("night-1", "a", "b")
    path = project.path / run / "journeys" / "b.json"
    record = json.loads(path.read_text())
    change(record)
    path.write_text(json.dumps(record))

    said = project.main("report", run)

    said.one_line(
        2,
        rf"mystery-shopper: {re.escape(run)}/journeys/b\.json: "
        rf"not a journey record of schema version 1: {message}",
    )


def test_a_record_of_a_newer_version_says_to_upgrade(project: Project) -> None:
    run = project.stored_run("night-1", "a")
    path = project.path / run / "journeys" / "a.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "schema_version": 2, "mood": "new"}))

    said = project.main("report", run)

    said.one_line(
        2,
        rf"mystery-shopper: {run}/journeys/a\.json: written by a newer mystery-shopper "
        r"\(schema version 2; this one reads 1\): upgrade mystery-shopper",
    )


def test_valid_records_still_make_a_report(project: Project) -> None:
    """The other cases' records differ from this one by their one mistake."""
    run = project.stored_run("night-1", "a", "b")

    said = project.main("report", run)

    assert said.code == 0, said.err
    assert (project.path / run / "report.html").is_file()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["results/night-1", "--out", "notes.txt"],
            r"--out notes\.txt: is a file, not a folder; give a folder",
        ),
        (
            ["results/night-1", "--out", "notes.txt/merged"],
            r"--out notes\.txt/merged: .*/notes\.txt is a file, so no folder can be made under it; "
            r"give a folder",
        ),
        (["notes.txt"], r"notes\.txt: is a file, not a run folder; give the folder that holds journeys/"),
        (["results/night-2"], r"results/night-2: no such run folder"),
        (
            ["results/empty"],
            r"results/empty: no journey records \(expected results/empty/journeys/\*\.json\)",
        ),
        (
            ["results/night-1", "--history", "notes.txt"],
            r"--history notes\.txt: not a run history \(not a SQLite database\); "
            r"move it away, or give another path",
        ),
        (
            ["results/night-1", "--history", "results"],
            r"--history results: is a folder, not a run history; give a file such as history\.sqlite3",
        ),
        (
            ["results/night-1", "--history", "nowhere.sqlite3"],
            r"--history nowhere\.sqlite3: no such run history",
        ),
        (
            ["results/night-1", "--outt", "x"],
            r"report: unrecognized arguments: --outt x \(see mystery-shopper report --help\)",
        ),
        ([], r"report: the following arguments are required: RUN_DIR \(see mystery-shopper report --help\)"),
    ],
)
def test_report_arguments_that_cannot_work(project: Project, arguments: list[str], message: str) -> None:
    project.stored_run("night-1", "a")
    (project.path / "results" / "empty").mkdir()
    (project.path / "notes.txt").write_text("minutes of the nightly run meeting")

    said = project.main("report", *arguments)

    said.one_line(2, rf"mystery-shopper: {message}")
    assert not (project.path / "results" / "night-1" / "report.html").exists()


def test_a_history_from_a_newer_mystery_shopper_is_said_not_ignored(project: Project) -> None:
    run = project.stored_run("night-1", "a")
    with sqlite3.connect(project.path / "results" / "history.sqlite3") as database:
        database.execute("PRAGMA user_version = 999")

    said = project.main("report", run)

    said.one_line(
        2,
        r"mystery-shopper: .*results/history\.sqlite3: history schema version 999 is newer than this "
        r"mystery-shopper knows \(\d+\); .*",
    )


def test_the_history_variable_is_named_in_report(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    run = project.stored_run("night-1", "a")
    (project.path / "notes.txt").write_text("minutes of the nightly run meeting")
    monkeypatch.setenv("MYSTERY_SHOPPER_HISTORY", "notes.txt")

    said = project.main("report", run)

    said.one_line(2, r"mystery-shopper: MYSTERY_SHOPPER_HISTORY=notes\.txt: not a run history .*")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--last", "0"], r"--last 0: give how many runs to list, 1 or more \(e\.g\. --last 7\)"),
        (["--last", "-3"], r"--last -3: give how many runs to list, 1 or more .*"),
        (
            ["--last", "seven"],
            r"history: argument --last: invalid int value: 'seven' \(see mystery-shopper history --help\)",
        ),
        (["--history", "results"], r"--history results: is a folder, not a run history; .*"),
        (
            ["--history", "notes.txt"],
            r"--history notes\.txt: not a run history \(not a SQLite database\); .*",
        ),
        (
            ["--history", "nowhere.sqlite3"],
            r"--history nowhere\.sqlite3: no run history yet; it is written at the end of every run",
        ),
        ([], r"the run history results/history\.sqlite3: no run history yet; .*"),
    ],
)
def test_history_arguments_that_cannot_work(project: Project, arguments: list[str], message: str) -> None:
    (project.path / "results").mkdir()
    (project.path / "notes.txt").write_text("minutes of the nightly run meeting")

    said = project.main("history", *arguments)

    said.one_line(2, rf"mystery-shopper: {message}")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["results/empty", "results/night-1"],
            r"results/empty: not a run folder, it has no journey records; "
            r"a run folder holds journeys/\*\.json, one record per journey \(e\.g\. results/<run>\)",
        ),
        (["results/night-1", "notes.txt"], r"notes\.txt: is a file, not a run folder; .*"),
        (
            ["results/night-1", "results/night-2"],
            r"results/night-2: no such run folder; a run folder holds .*",
        ),
        (
            ["night-0", "results/night-1"],
            r"night-0: no such run folder, and no run history to find a run of that name in "
            r"\(the run history results/history\.sqlite3\); give a run folder .*",
        ),
        (
            ["night-0", "results/night-1", "--history", "notes.txt"],
            r"--history notes\.txt: not a run history \(not a SQLite database\); .*",
        ),
        (
            ["results/night-1"],
            r"compare: the following arguments are required: RUN_B \(see mystery-shopper compare --help\)",
        ),
    ],
)
def test_compare_arguments_that_cannot_work(project: Project, arguments: list[str], message: str) -> None:
    project.stored_run("night-1", "a")
    (project.path / "results" / "empty").mkdir()
    (project.path / "notes.txt").write_text("minutes of the nightly run meeting")

    said = project.main("compare", *arguments)

    said.one_line(2, rf"mystery-shopper: {message}")


def test_compare_names_a_run_the_history_does_not_have(project: Project) -> None:
    run = project.stored_run("night-1", "a")
    assert project.main("report", run, "--record").code == 0

    said = project.main("compare", "night-0", run)

    said.one_line(
        2,
        r"mystery-shopper: night-0: no such run folder, nor a run of that name in the run history "
        r"results/history\.sqlite3; list the recorded runs with: mystery-shopper history",
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["rn"],
            r"unknown command 'rn': did you mean 'run'\? "
            r"commands: run, sandbox, report, steps, check, try, history, compare, init .*",
        ),
        (["check", "features/nowhere.feature"], r"features/nowhere\.feature: no such file or folder"),
        (["check", "results"], r"results: no \.feature files in this folder"),
        (
            ["check", "--company"],
            r"check: argument --company: expected one argument \(see mystery-shopper check --help\)",
        ),
        (["steps", "--html"], r"steps: unrecognized arguments: --html \(see mystery-shopper steps --help\)"),
    ],
)
def test_other_commands_given_what_they_cannot_use(
    project: Project, arguments: list[str], message: str
) -> None:
    (project.path / "results").mkdir()

    said = project.main(*arguments)

    said.one_line(2, rf"mystery-shopper: {message}")
