"""Rubrics: each mistake is one ``rubrics/acme.toml:line: key: message``.

``report --rubric`` scores stored records again with the rubric, in this process; ``run
--rubric`` reads it the same way (once here, a usage error before any journey).
"""

from __future__ import annotations

import re

import pytest
from bad_input import A_JOURNEY, Project

CRITERIA = r"sections\.resolution\.criteria\."

CASES = {
    "not-toml": ("weight = 35", "weight = = 35", "weight = = 35", r"not valid TOML: .*"),
    "not-utf-8": (
        'title = "Resolution"',
        'title = "Résolution"',
        None,
        r"the rubric is not UTF-8 text \(invalid continuation byte at byte \d+\); save it as UTF-8",
    ),
    "unknown-metric": (
        'metric = "outcome"',
        'metric = "outcom"',
        'metric = "outcom"',
        CRITERIA + r"resolved\.metric: unknown metric 'outcom' \(did you mean 'outcome'\?\)",
    ),
    "unknown-outcome-row": (
        "answered_honestly = 85",
        "answered_honest = 85",
        "answered_honest = 85",
        CRITERIA + r"resolved\.points\.answered_honest: not an outcome: 'answered_honest' "
        r"\(did you mean 'answered_honestly'\?\)",
    ),
    "unknown-outcome-in-applies-to": (
        'outcomes = ["resolved", "answered_honestly", "misinformed"]',
        'outcomes = ["resolved", "answered_honest", "misinformed"]',
        'outcomes = ["resolved", "answered_honest", "misinformed"]',
        CRITERIA + r"honest_resolution\.applies_to\.outcomes: unknown outcome 'answered_honest' "
        r"\(did you mean 'answered_honestly'\?\)",
    ),
    "negative-weight": (
        "weight = 4",
        "weight = -4",
        "weight = -4",
        CRITERIA + r"resolved\.weight: must be a positive number, not -4",
    ),
    "misspelt-key": (
        "weight = 4",
        "wieght = 4",
        "wieght = 4",
        CRITERIA + r"resolved\.wieght: unknown key 'wieght' \(did you mean 'weight'\?\)",
    ),
    "row-of-a-yes-or-no-metric": (
        "points = { true = 100, false = 0 }",
        "points = { true = 100, false = 0, maybe = 50 }",
        "maybe = 50",
        CRITERIA + r"first_contact_resolution\.points\.maybe: the metric is true or false: no row 'maybe'",
    ),
    "critical-not-a-flag": (
        "critical = true",
        'critical = "yes"',
        'critical = "yes"',
        CRITERIA + r"honest_resolution\.critical: must be true or false, not 'yes'",
    ),
}


@pytest.mark.parametrize(("old", "new", "blamed", "message"), CASES.values(), ids=list(CASES))
def test_report_names_the_rubrics_file_line_and_key(
    project: Project, old: str, new: str, blamed: str | None, message: str
) -> None:
    run = project.stored_run()
    path = project.rubric(old, new)

    said = project.main("report", run, "--rubric", path)

    where = f"{path}:{project.line_of(path, blamed)}" if blamed else path
    said.one_line(2, rf"mystery-shopper: {re.escape(where)}: {message}")
    assert not (project.path / run / "report.html").exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "strict",
            r"unknown rubric 'strict': no file rubrics/strict\.toml.*; "
            r"copy rubrics/default\.toml to start one",
        ),
        ("rubrics/missing.toml", r"rubric 'rubrics/missing\.toml' not found at .*missing\.toml"),
        ("rubrics/folder.toml", r"rubric 'rubrics/folder\.toml' at .*folder\.toml is a folder, not a file"),
    ],
)
def test_a_rubric_that_is_not_there_is_one_line(project: Project, given: str, message: str) -> None:
    (project.path / "rubrics" / "folder.toml").mkdir()

    said = project.main("report", project.stored_run(), "--rubric", given)

    said.one_line(2, rf"mystery-shopper: {message}")


def test_run_refuses_a_bad_rubric_before_its_first_journey(project: Project) -> None:
    project.feature(A_JOURNEY)
    path = project.rubric("weight = 4", "weight = -4")

    said = project.run("--rubric", path)

    said.one_line(
        4, rf"ERROR: {path}:{project.line_of(path, 'weight = -4')}: .*weight: must be a positive number.*"
    )
