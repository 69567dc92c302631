"""Journeys on a real open-source shop nobody here wrote, described only by its company
profile (companies/evershop.toml): an order with each of its shipping methods, the order's
status looked up afterwards, and "cancel right after submit".

The outcomes must be honest: an order placed and shown with the method chosen passes; a
cancellation the shop gives customers no way to make is a finding in those words. Nothing
may be broken.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="serve.py runs on Linux only (/proc, pidfd)")


def test_the_real_shops_journeys_end_honestly_with_only_its_profile(
    evershop_installed: Path, tmp_path: Path
) -> None:
    command = [
        sys.executable, "-m", "journeys.runner.cli", "run", "realshops/evershop/features",
        "--company", "evershop", "--results-dir", str(tmp_path / "results"),
        "--history", str(tmp_path / "history.sqlite3"), "--run-name", "evershop",
        "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=900, env={**os.environ, "NO_COLOR": "1"}
    )
    output = done.stdout + done.stderr
    assert done.returncode in (0, 1), output[-3000:]
    folder = tmp_path / "results" / "evershop" / "journeys"
    records = {
        record["name"]: record for record in map(json.loads, map(Path.read_text, folder.glob("*.json")))
    }

    assert {name: record["status"] for name, record in records.items()} == {
        'Order "Enamel Camp Mug" with Standard shipping': "passed",
        'Order "Cast Iron Skillet" with Express shipping': "passed",
        "Look up the order's status after ordering": "passed",
        "Cancel a web order right away on the web": "findings",
    }, output[-3000:]
    [finding] = records["Cancel a web order right away on the web"]["findings"]
    assert finding["expectation"] == "Then my order is cancelled"
    assert finding["observed"].endswith("the company said: the order's page offers no way to cancel it")
