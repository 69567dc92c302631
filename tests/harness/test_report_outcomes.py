"""The report says which outcome each journey had, in a leader's words: no browser."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from journeys.company.profile import load_company
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import EventKind
from journeys.journey import expectations
from journeys.journey.actor import Journey, JourneyIdentity
from journeys.scoring.rubric import load_rubric
from journeys.scoring.scorecard import aggregate, score_journey
from reports.formatting import page_name
from reports.html import render_run_report

ROOT = Path(__file__).resolve().parents[2]
EXPIRED = "Unfortunately the warranty on this item has expired."
CALL_BACK = "Please call back tomorrow."


def a_journey(run: RunDirectory, journey_id: str, said: str, *, claimed: bool) -> Journey:
    identity = JourneyIdentity(
        journey_id, f"Warranty claim {journey_id}", "warranty/chat.feature", 6, ("warranty", "chat"),
        "sandbox", "advocate", 0,
    )  # fmt: skip
    journey = Journey(
        identity,
        company=load_company("sandbox", ROOT),
        shopper=Shopper.for_journey(0, journey_id),
        browser_context=lambda: None,  # type: ignore[arg-type, return-value]
        run_dir=run,
    )
    with journey.contact("chat", "warranty claim") as contact:
        contact.note(EventKind.AGENT_JOINED, agent="Chloe", department="repairs")
        contact.note(EventKind.MESSAGE_RECEIVED, text=said)
        contact.note(EventKind.OUTCOME, text=said, resolved=claimed)
    journey.facts["warranty_answer"] = said
    return journey


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = RunDirectory(tmp_path_factory.mktemp("outcomes") / "run")
    honest = a_journey(run, "honest", EXPIRED, claimed=False)
    expectations.told_out_of_warranty(honest)
    false = a_journey(run, "false", EXPIRED, claimed=False)
    expectations.warranty_claim_registered(false)
    put_off = a_journey(run, "put-off", CALL_BACK, claimed=False)
    expectations.told_out_of_warranty(put_off)
    fixed = a_journey(run, "fixed", "I've opened a warranty case for you.", claimed=True)
    fixed.verify("case listed", expected="WC-1", observed="WC-1", passed=True, channel="web")
    for journey in (honest, false, put_off, fixed):
        journey.completed = True
        run.write(journey.result())
    records = list(run.records())
    rubric = load_rubric("default", ROOT)
    cards = [score_journey(record, rubric) for record in records]
    render_run_report(run.path, records, cards, aggregate(zip(cards, records, strict=True)))
    return run.path


def text_of(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("journey_id", "words"),
    [
        ("honest", f"answered honestly: {EXPIRED}"),
        ("false", f"misinformed: the company said {EXPIRED!r}, but the purchase is inside its warranty"),
        ("put-off", "unresolved"),
        ("fixed", "resolved"),
    ],
)
def test_the_journey_page_says_which_outcome_it_was(report: Path, journey_id: str, words: str) -> None:
    page = text_of(report / "journeys" / page_name(journey_id))
    shown = page.split("<strong>Outcome:</strong> ", 1)[1].split("</p>", 1)[0]
    assert shown.startswith(words) and (shown == words or journey_id == "false"), shown


def test_the_run_report_and_its_summary_say_the_outcomes(report: Path) -> None:
    summary = text_of(report / "report.html")
    assert f"answered honestly: {EXPIRED}" in summary
    assert "misinformed: the company said" in summary
    markdown = (report / "summary.md").read_text(encoding="utf-8")
    assert "misinformed: the company said" in markdown
    assert "unresolved" in markdown
