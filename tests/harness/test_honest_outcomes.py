"""Outcomes of real warranty journeys against the demo company, as a user runs them.

Under advocate the shop's own rule refuses a kettle bought 500 days ago: an honest no,
which must score close to a fix. Purgatory's supervisors say "expired" of an air fryer
bought 200 days ago, inside its warranty (``refusal = "out_of_warranty"`` on its warranty
route, by configuration): a false answer, which must zero the journey.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from journey_runs import run_journeys

from journeys.scoring.rubric import load_rubric
from journeys.scoring.scorecard import score_journey

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("profile", "scenario", "outcome"),
    [("advocate", "kettle", "answered_honestly"), ("purgatory", "air_fryer", "misinformed")],
)
def test_a_warranty_answer_is_scored_by_whether_it_was_true(
    profile: str, scenario: str, outcome: str, tmp_path: Path
) -> None:
    arguments = [
        "features/warranty/chat.feature",
        "-k",
        scenario,
        "--profile",
        profile,
        "--time-scale",
        "0.001",
    ]
    [record], output = run_journeys(arguments, tmp_path, f"warranty-{profile}")
    assert record["status"] in ("passed", "findings"), output[-3000:]
    metrics = record["metrics"]
    assert metrics["outcome"] == outcome, (metrics, record["findings"])
    assert "warranty" in metrics["outcome_reason"]

    card = score_journey(record, load_rubric("default", ROOT))

    assert card.score is not None
    if outcome == "answered_honestly":
        assert card.score > 90 and not card.critical_failed, card
    else:
        assert card.score == 0.0 and card.critical_failures == ("resolution.honest_resolution",), card
