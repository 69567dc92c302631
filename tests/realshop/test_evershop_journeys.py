"""Journeys on a real open-source shop nobody here wrote, described only by its company
profile (companies/evershop.toml): an order with each of its shipping methods, the order's
status looked up afterwards, and "cancel right after submit".

The outcomes must be honest: an order placed and shown with the method chosen passes; a
cancellation the shop gives customers no way to make is a finding in those words. Nothing
may be broken.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from journey_runs import run_journeys

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="serve.py runs on Linux only (/proc, pidfd)")


@pytest.mark.long
def test_the_real_shops_journeys_end_honestly_with_only_its_profile(
    evershop_installed: Path, tmp_path: Path
) -> None:
    listed, output = run_journeys(
        ["realshops/evershop/features", "--company", "evershop"], tmp_path, "evershop"
    )
    records = {record["name"]: record for record in listed}

    assert {name: record["status"] for name, record in records.items()} == {
        'Order "Enamel Camp Mug" with Standard shipping': "passed",
        'Order "Cast Iron Skillet" with Express shipping': "passed",
        "Look up the order's status after ordering": "passed",
        "Cancel a web order right away on the web": "findings",
    }, output[-3000:]
    [finding] = records["Cancel a web order right away on the web"]["findings"]
    assert finding["expectation"] == "Then my order is cancelled"
    assert finding["observed"].endswith("the company said: the order's page offers no way to cancel it")
