"""The plugin end to end: feature files run by pytest in a subprocess, as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

CANCEL = (ROOT / "features" / "cancellation" / "web.feature").read_text()


def records(project: pytest.Pytester) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(project.path.glob("results/*/journeys/*.json"))]


def write_feature(project: pytest.Pytester, text: str, name: str = "journey.feature") -> Path:
    path = project.path / "features" / name
    path.write_text(text)
    return path


def test_a_cancellation_refused_under_purgatory_is_a_finding(project: pytest.Pytester) -> None:
    write_feature(project, CANCEL)
    result = project.runpytest_subprocess("features", "--profile", "purgatory", "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["*1 expectation(s) not met*", "*journeys: 1 findings*", "*report: *report.html"]
    )
    [record] = records(project)
    assert record["status"] == "findings"
    assert record["profile"] == "purgatory"
    [finding] = record["findings"]
    assert finding["expectation"] == "Then my order is cancelled"
    assert finding["observed"].startswith("the order could not be cancelled: its page shows 'Processing'")
    assert record["metrics"]["claimed_resolved"] is False
    assert record["metrics"]["verified_resolved"] is False
    assert record["facts"]["order_number"].startswith("BL-")
    assert list(project.path.glob("results/*/report.html"))


def test_the_same_journey_under_typical_passes_and_is_verified(project: pytest.Pytester) -> None:
    write_feature(project, CANCEL)
    result = project.runpytest_subprocess("features", "--profile", "typical", "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    [record] = records(project)
    assert record["status"] == "passed"
    assert record["metrics"]["verified_resolved"] is True
    assert record["metrics"]["first_contact_resolution"] is True
    assert [contact["setup"] for contact in record["contacts"]] == [True, False]


def test_a_playwright_trace_is_kept_with_the_journey_and_linked_from_its_page(
    project: pytest.Pytester,
) -> None:
    write_feature(project, CANCEL)
    result = project.runpytest_subprocess("features", "--tracing", "on", "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    [record] = records(project)
    [run_dir] = project.path.glob("results/*/")
    trace = run_dir / "artifacts" / record["journey_id"] / "trace.zip"
    assert trace.is_file() and trace.stat().st_size > 0
    page = (run_dir / "journeys" / f"{record['journey_id']}.html").read_text()
    assert f'href="../artifacts/{record["journey_id"]}/trace.zip"' in page


def test_an_unmet_expectation_does_not_stop_the_journey(project: pytest.Pytester) -> None:
    write_feature(
        project,
        CANCEL.replace(
            "    Then my order is cancelled\n",
            "    Then my order is cancelled\n    And my order exists with Standard shipping\n",
        ),
    )
    result = project.runpytest_subprocess("features", "--profile", "purgatory", "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    [record] = records(project)
    assert record["status"] == "findings"
    assert [check["what"].split(" ", 2)[2] for check in record["verifications"]] == [
        "cancelled",
        "could not be cancelled, as the company said",  # purgatory's window is 0 s: a true no
        "ships Standard",
    ]


def test_what_the_harness_cannot_do_through_the_web_refuses_the_run(project: pytest.Pytester) -> None:
    write_feature(
        project,
        CANCEL.replace(
            "When I cancel it right away through the web",
            'When I make a warranty claim through the web because "it leaks"',
        ),
    )
    result = project.runpytest_subprocess("features", "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: features/journey.feature:11: a warranty claim through the web is not something"
            " mystery-shopper can do yet: use chat, social, phone or email*"
        ]
    )
    assert records(project) == []


def test_a_misspelt_channel_refuses_the_run_before_its_first_journey(project: pytest.Pytester) -> None:
    write_feature(project, CANCEL.replace("right away through the web", "right away through the wbe"))
    result = project.runpytest_subprocess("features", "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: features/journey.feature:*: unknown channel 'the wbe': did you mean 'the web'?*"]
    )
    assert records(project) == []


def test_an_unknown_company_is_one_line(project: pytest.Pytester) -> None:
    write_feature(project, CANCEL)
    result = project.runpytest_subprocess("features", "--company", "acme")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: unknown company 'acme': no file companies/acme.toml"
            " (known: evershop, sandbox, sandbox-steps)*"
        ]
    )
    assert "Traceback" not in result.stderr.str()


def test_an_unknown_service_profile_is_one_line(project: pytest.Pytester) -> None:
    write_feature(project, CANCEL)
    result = project.runpytest_subprocess("features", "--profile", "heaven")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: sandbox: unknown service profile 'heaven' (known: advocate, purgatory, typical)"]
    )
    assert "Traceback" not in result.stderr.str()


def test_journeys_run_in_parallel_workers_sharing_one_sandbox(project: pytest.Pytester) -> None:
    shutil.copy(
        ROOT / "features" / "ordering" / "web.feature",
        project.path / "features" / "ordering.feature",
    )
    result = project.runpytest_subprocess(
        "features", "-n", "2", "--profile", "advocate", "-p", "no:cacheprovider"
    )

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    found = records(project)
    assert sorted(record["facts"]["shipping_method"] for record in found) == [
        "Express",
        "Next-day",
        "Standard",
        "Store pickup",
    ]
    assert {record["status"] for record in found} == {"passed"}
    assert len({record["shopper"]["email"] for record in found}) == 4
    assert len({record["facts"]["order_number"] for record in found}) == 4


SILENT_PROFILE = ROOT / "tests" / "sandbox" / "profiles" / "silent.toml"
CHAT_THEN_WEB = """\
Feature: A company that stops answering
  Scenario: Cancel in a chat that goes quiet
    Given I am a new customer
    And I have ordered "Kettle Pro" through the web with Standard shipping
    When I cancel it right away through chat
    Then my order is cancelled

  Scenario: Order on the web afterwards
    Given I am a new customer
    When I order "Blender 3000" through the web with Express shipping
    Then I am given an order number
"""


def test_a_channel_that_stops_answering_breaks_the_journey_and_the_run_goes_on(
    project: pytest.Pytester,
) -> None:
    company = project.path / "companies" / "sandbox.toml"
    company.write_text(company.read_text().replace("answer_timeout = 120", "answer_timeout = 3"))
    write_feature(project, CHAT_THEN_WEB)
    result = project.runpytest_subprocess(
        "features", f"--profile={SILENT_PROFILE}", "--time-scale=0.05", "-p", "no:cacheprovider"
    )

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    by_name = {record["name"]: record for record in records(project)}
    silent = by_name["Cancel in a chat that goes quiet"]
    assert silent["status"] == "broken"
    assert silent["breakage"]["message"].startswith(
        "chat: the company stopped answering: nothing for 3 s after"
    )
    assert silent["breakage"]["channel"] == "chat"
    screenshot = silent["breakage"]["screenshot"]
    assert screenshot and next(project.path.glob(f"results/*/{screenshot}")).stat().st_size > 0
    assert by_name["Order on the web afterwards"]["status"] == "passed"


# Scores a journey by one question the web shop never asks, so that a passing journey scores 0.
ASKED_ONLY = """\
name = "asked-only"
[sections.care]
title = "Care"
weight = 1
[sections.care.criteria.asked]
title = "I was asked whether I was satisfied"
metric = "metrics.satisfaction_checked"
weight = 1
points = { true = 100, false = 0 }
"""


@pytest.mark.parametrize(("rubric", "score"), [("default", 100), ("asked-only", 0)])
def test_the_score_gate_fails_a_run_below_it(project: pytest.Pytester, rubric: str, score: int) -> None:
    """A run whose journeys all pass still fails when its score is under the gate."""
    (project.path / "rubrics" / "asked-only.toml").write_text(ASKED_ONLY)
    write_feature(project, CANCEL)
    result = project.runpytest_subprocess(
        "features", "--profile=typical", f"--rubric={rubric}", "--fail-under=50", "-p", "no:cacheprovider"
    )
    result.stdout.fnmatch_lines(
        ["*journeys: 1 passed", f"*score: {score} of 100 (rubric {rubric}; web {score})"]
    )
    if score >= 50:
        assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    else:
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        result.stdout.fnmatch_lines(["*FAILED the score gate: the mean score is 0, under --fail-under 50"])


def test_an_unknown_rubric_is_one_line(project: pytest.Pytester) -> None:
    write_feature(project, CANCEL)
    result = project.runpytest_subprocess("features", "--rubric=strict")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "Traceback" not in result.stderr.str()
    result.stderr.fnmatch_lines(["ERROR: *strict*"])


def test_each_run_is_remembered_for_the_next(project: pytest.Pytester) -> None:
    write_feature(project, CANCEL)
    history = project.path / "kept" / "history.sqlite3"
    for name in ("night-1", "night-2"):
        result = project.runpytest_subprocess(
            "features",
            "--profile=typical",
            f"--history={history}",
            f"--run-name={name}",
            "-p",
            "no:cacheprovider",
        )
        assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    result.stdout.fnmatch_lines([f"*history: 1 earlier run of this series in {history}"])
    from journeys.history.runs import History

    with History.open(history) as kept:
        assert [run.name for run in kept.runs()] == ["night-1", "night-2"]
    assert "earlier run of this series" in (project.path / "results" / "night-2" / "report.html").read_text()


def test_a_history_that_cannot_be_written_costs_the_trend_not_the_run(project: pytest.Pytester) -> None:
    """A history that looks right before the run (a SQLite file) but refuses the run at its end."""
    import sqlite3

    write_feature(project, CANCEL)
    newer = project.path / "newer.sqlite3"
    with sqlite3.connect(newer) as database:
        database.execute("PRAGMA user_version = 999")
    result = project.runpytest_subprocess(
        "features", "--profile=typical", f"--history={newer}", "-p", "no:cacheprovider"
    )
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    result.stdout.fnmatch_lines(
        ["*history: not recorded (*newer than this mystery-shopper*", "*report: *report.html"]
    )
    assert records(project)[0]["status"] == "passed"


ORDER_OUTLINE = (ROOT / "features" / "ordering" / "web.feature").read_text()


def test_shards_split_the_journeys_and_merge_into_one_recorded_run(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeys.history.runs import History
    from journeys.runner.cli import main

    write_feature(project, ORDER_OUTLINE)
    for index in (1, 2):
        result = project.runpytest_subprocess(
            "features", f"--shard={index}/2", f"--run-name=shard-{index}", "-p", "no:cacheprovider"
        )
        assert result.ret == pytest.ExitCode.OK, result.stdout.str()
        result.stdout.fnmatch_lines([f"*history: not recorded (shard {index}/2: *"])
    shards = [
        {path.stem for path in (project.path / "results" / f"shard-{index}" / "journeys").glob("*.json")}
        for index in (1, 2)
    ]
    assert len(shards[0]) == len(shards[1]) == 2 and not shards[0] & shards[1]
    assert not (project.path / "results" / "history.sqlite3").exists()

    monkeypatch.chdir(project.path)
    merged = project.path / "results" / "merged"
    assert main(["report", "results/shard-1", "results/shard-2", "--out", str(merged), "--record"]) == 0
    assert {path.stem for path in (merged / "journeys").glob("*.json")} == shards[0] | shards[1]
    with History.open(project.path / "results" / "history.sqlite3") as history:
        assert [(run.name, run.journeys) for run in history.runs()] == [("merged", 4)]


def test_a_shard_that_is_not_i_of_n_is_one_line(project: pytest.Pytester) -> None:
    write_feature(project, CANCEL)
    result = project.runpytest_subprocess("features", "--shard=3/2", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--shard 3/2: say which part of how many, e.g. --shard 1/3"])


UNANSWERED_EMAIL = """\
Feature: A company that never answers an e-mail
  Scenario: Return by e-mail, answered once, then never again
    Given I am a new customer
    And I have ordered "Kettle Pro" through the web with Standard shipping
    When I ask to return it through email
    Then my return is registered
"""


def test_an_email_the_company_never_answers_is_a_finding_not_a_broken_journey(
    project: pytest.Pytester,
) -> None:
    """Silence on a written channel is the company failing the customer; the journey goes on."""
    company = project.path / "companies" / "sandbox.toml"
    company.write_text(company.read_text().replace("answer_timeout = 14400", "answer_timeout = 3"))
    profile = project.path / "unanswered.toml"
    profile.write_text(
        SILENT_PROFILE.read_text()
        .replace(
            "[contact_centre.channels.email]\nreply_delay_seconds = 60",
            "[contact_centre.channels.email]\nreply_delay_seconds = 10",
        )
        .replace(
            "[contact_centre.routes.email]\nqueue_seconds = 0",
            "[contact_centre.routes.email]\nqueue_seconds = 0\n"
            'legs = [{ department = "returns", asks = ["order_number"], ends = "go_silent" }]',
        )
    )
    write_feature(project, UNANSWERED_EMAIL)
    result = project.runpytest_subprocess(
        "features", f"--profile={profile}", "--time-scale=0.05", "-p", "no:cacheprovider"
    )

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    [record] = records(project)
    assert record["status"] == "findings", record.get("breakage")
    [finding] = record["findings"]
    assert finding["expectation"] == "Then my return is registered"
    assert finding["observed"] == "no return number was given"
    [email] = [contact for contact in record["contacts"] if contact["channel"] == "email"]
    kinds = [event["kind"] for event in email["events"]]
    assert "info_requested" in kinds  # the company asked once...
    assert kinds.count("message_sent") == 2  # ...the customer wrote, then answered it, and heard nothing
