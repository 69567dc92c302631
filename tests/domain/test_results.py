"""The results format: what a journey writes matches the published JSON Schema."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from journeys.company.profile import load_company
from journeys.domain.results import RunDirectory
from journeys.domain.secrets import Secrets
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import EventKind
from journeys.journey.actor import Journey, JourneyIdentity, StepPlace, journey_id_for

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "journeys" / "schema" / "journey-result.schema.json").read_text())


def no_browser() -> object:
    raise AssertionError("this test must not open a browser")


def a_journey(tmp_path: Path, secret: str = "") -> Journey:
    company = load_company("sandbox", ROOT)
    if secret:
        company = dataclasses.replace(company, secrets=Secrets({"API_TOKEN": secret}))
    node_id = "features/cancellation/web.feature::test_cancel_a_web_order_right_away"
    identity = JourneyIdentity(
        journey_id=journey_id_for(node_id),
        name="Cancel a web order right away",
        feature="cancellation/web.feature",
        line=8,
        tags=("cancellation", "web"),
        company="sandbox",
        profile="purgatory",
        seed=0,
    )
    ticks = iter(float(second) for second in range(1000, 2000))
    return Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(0, node_id),
        browser_context=no_browser,  # type: ignore[arg-type]
        run_dir=RunDirectory(tmp_path / "run", company.secrets),
        clock=lambda: next(ticks),
    )


def test_a_journey_with_a_finding_writes_a_valid_record(tmp_path: Path) -> None:
    journey = a_journey(tmp_path)
    with journey.contact("web", "order Kettle Pro", setup=True) as contact:
        contact.note(EventKind.REFERENCE_GIVEN, reference="BL-123456")
        contact.note(EventKind.OUTCOME, resolved=True, text="order placed")
    journey.facts["order_number"] = "BL-123456"
    with journey.contact("web", "cancel order BL-123456") as contact:
        contact.note(EventKind.OUTCOME, resolved=False, text="can no longer be cancelled")
    journey.current_step = StepPlace("Then my order is cancelled", "cancellation/web.feature", 12)
    journey.verify(
        "order cancelled", expected="cancelled", observed="Processing", passed=False, channel="web"
    )
    journey.expect(False, expectation="my order is cancelled", observed="the order page shows 'Processing'")
    journey.completed = True

    path = journey.run_dir.write(journey.result())

    record = json.loads(path.read_text())
    jsonschema.validate(record, SCHEMA)
    assert record["status"] == "findings"
    assert record["findings"] == [
        {
            "expectation": "Then my order is cancelled",
            "observed": "the order page shows 'Processing'",
            "feature": "cancellation/web.feature",
            "line": 12,
        }
    ]
    assert record["metrics"]["claimed_resolved"] is False
    assert record["metrics"]["verified_resolved"] is False
    assert record["metrics"]["first_contact_resolution"] is False
    assert [contact["setup"] for contact in record["contacts"]] == [True, False]
    assert list(journey.run_dir.records()) == [record]


@pytest.mark.parametrize(
    ("completed", "broken", "status"),
    [(False, False, "interrupted"), (True, True, "broken"), (True, False, "passed")],
)
def test_status_says_how_the_journey_ended(
    tmp_path: Path, completed: bool, broken: bool, status: str
) -> None:
    journey = a_journey(tmp_path)
    journey.completed = completed
    if broken:
        journey.mark_broken(RuntimeError("web: could not open the shop"))
    record = json.loads(journey.run_dir.write(journey.result()).read_text())
    jsonschema.validate(record, SCHEMA)
    assert record["status"] == status


def test_secrets_never_reach_the_record(tmp_path: Path) -> None:
    journey = a_journey(tmp_path, secret="hunter2-token")
    journey.facts["note"] = "the agent read back hunter2-token"
    journey.mark_broken(RuntimeError("login failed for hunter2-token"))
    text = journey.run_dir.write(journey.result()).read_text()
    assert "hunter2-token" not in text
    assert "the agent read back ${API_TOKEN}" in text
    assert "login failed for ${API_TOKEN}" in text
