"""The journey library itself, run as a user runs it: every journey in features/,
under each service profile of the demo company.

A journey may pass or end with findings (that is what it is for); it must never be
broken, whatever the company does. Journeys that call the company (``@phone``) are left
out here: a real call takes a minute or more of real speech whatever the time scale, so
the calls are measured in ``test_accuracy.py`` and run in full by ``make demo``. And the
findings must be the ones each profile promises: the advocate resolves everything (only the
cross-channel journey, where no channel knows what another was told, may find a question
asked twice), while
purgatory fails customers everywhere, starting with cancellations it refuses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from journey_runs import run_journeys

from journeys.authoring.check import check_paths

ROOT = Path(__file__).resolve().parents[2]
# Purgatory's hour-long e-mail reply takes 3.6 s here, its long holds a second or two.
TIME_SCALE = "0.001"


def run_library(profile: str, tmp_path: Path) -> tuple[list[dict[str, Any]], str]:
    """Run every journey once under the profile, one at a time; its journey records and the output.

    Four at a time, each library took 74 to 96 s alone instead of about 170, but in ``make
    test`` the three libraries start together (the longest tests first), and their twelve
    workers and browsers made the whole run slower (16:48 against 14:23 for the tests beside
    the calls, one run each)."""
    arguments = ["--profile", profile, "--time-scale", TIME_SCALE, "-m", "not phone"]
    return run_journeys(arguments, tmp_path, f"library-{profile}")


def expected_journeys() -> int:
    """The library's scenarios, but for those of features tagged ``@phone``."""
    result = check_paths([ROOT / "features"])
    assert not result.problems, result.problems
    calls = [
        path for path in (ROOT / "features").rglob("*.feature") if "@phone" in path.read_text().split("\n")[0]
    ]
    return result.scenarios - check_paths(calls).scenarios


def findings_by_feature(records: list[dict[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for record in records:
        for finding in record["findings"]:
            found.setdefault(record["feature"], []).append(finding["expectation"])
    return found


@pytest.mark.long
@pytest.mark.parametrize("profile", ["purgatory", "typical", "advocate"])
def test_every_journey_ends_green_or_with_findings_never_broken(profile: str, tmp_path: Path) -> None:
    records, output = run_library(profile, tmp_path)
    assert len(records) == expected_journeys(), output[-3000:]
    broken = {record["name"]: record["breakage"] for record in records if record["status"] == "broken"}
    assert not broken, broken
    assert {record["status"] for record in records} <= {"passed", "findings"}

    found = findings_by_feature(records)
    if profile == "advocate":
        assert set(found) <= {"cross_channel/order-ask-cancel.feature"}, found
    elif profile == "purgatory":
        assert "Then my order is cancelled" in found["cancellation/web.feature"]  # its window is 0 s
        failing = {feature.split("/")[0] for feature in found}
        assert {"cancellation", "returns", "warranty", "repair", "ordering"} <= failing, found
        assert sum(len(items) for items in found.values()) >= 30, found
