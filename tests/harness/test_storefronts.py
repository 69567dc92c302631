"""The same feature files against the demo company's second storefront, described only by
companies/sandbox-steps.toml: six checkout pages, first and last name, country and state
drop-downs, shipping by buttons, pay on delivery, order pages only by a signed link or the
tracking form, and no way for a customer to cancel.

Under the advocate profile every journey that touches the web must end as on the classic
shop (test_library.py), except the one a customer cannot do there: cancelling on the web,
which must be a finding in the customer's words, never a broken journey.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from journey_runs import run_journeys

FEATURES = [
    "features/ordering/web.feature",  # every shipping method, by its own button
    "features/ordering/chat.feature",  # found later through the tracking form
    "features/cancellation/web.feature",
    "features/returns/web.feature",
    "features/enquiries/web.feature",  # a chat order looked up in another browser
    "features/warranty/chat.feature",  # returning customers' orders, by tracking form
    "features/repair/chat.feature",  # the repair tracking page
]


@pytest.mark.long
def test_the_steps_storefront_runs_the_same_features_with_only_its_profile(tmp_path: Path) -> None:
    arguments = [*FEATURES, "--company", "sandbox-steps", "--profile", "advocate", "--time-scale", "0.001"]
    records, output = run_journeys(arguments, tmp_path, "steps")
    assert len(records) >= 12, output[-3000:]

    broken = {record["name"]: record["breakage"] for record in records if record["status"] == "broken"}
    assert not broken, broken
    found = {
        (record["feature"], finding["expectation"], finding["observed"])
        for record in records
        for finding in record["findings"]
    }
    assert {(feature, expectation) for feature, expectation, _ in found} == {
        ("cancellation/web.feature", "Then my order is cancelled")
    }, found
    [(_, _, observed)] = found
    assert "the order page offers no way to cancel" in observed, observed
