"""Hand-built journey records and small rubrics for the scoring tests (no browser, no server)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journeys.scoring.rubric import Rubric, load_rubric_file

ROOT = Path(__file__).resolve().parents[2]

CLEAN_METRICS: dict[str, Any] = {
    "contacts": 2,
    "transfers": 0,
    "escalations": 0,
    "hold_time": 0.0,
    "time_to_agent": 10.0,
    "queue_time": 0.0,
    "ivr_depth": 0,
    "recaptures": 0,
    "recaptures_by_field": {},
    "handle_time": 60.0,
    "time_to_resolution": 90.0,
    "first_contact_resolution": True,
    "claimed_resolved": True,
    "verified_resolved": True,
    "reference_given": True,
    "promise_made": True,
    "satisfaction_checked": True,
    "channel_switch_offered": False,
}


def a_contact(channel: str, *, setup: bool = False) -> dict[str, Any]:
    return {
        "channel": channel,
        "purpose": "order Kettle Pro" if setup else "cancel the order",
        "setup": setup,
        "identity": "",
        "started_at": 1000.0,
        "ended_at": 1060.0,
        "metrics": {},
        "events": [],
    }


def a_record(
    *,
    channels: Sequence[str] = ("chat",),
    setup: Sequence[str] = ("web",),
    tags: Sequence[str] | None = None,
    feature: str = "cancellation/chat.feature",
    status: str = "passed",
    findings: Sequence[str] = (),
    time_scale: float = 1.0,
    journey_id: str = "cancel-right-away-1",
    **metrics: Any,
) -> dict[str, Any]:
    """A minimal valid record (schema-checked in the tests) of a clean journey, changed by the arguments."""
    return {
        "schema_version": 1,
        "journey_id": journey_id,
        "name": "Cancel a web order right away",
        "feature": feature,
        "line": 8,
        "tags": list(tags if tags is not None else [feature.split("/")[0], *channels]),
        "company": "sandbox",
        "profile": "typical",
        "seed": 0,
        "time_scale": time_scale,
        "shopper": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "status": status,
        "started_at": 1000.0,
        "ended_at": 1200.0,
        "duration": 200.0,
        "metrics": {**CLEAN_METRICS, **metrics},
        "contacts": [a_contact(c, setup=True) for c in setup] + [a_contact(c) for c in channels],
        "findings": [
            {"expectation": text, "observed": "not so", "feature": feature, "line": 12} for text in findings
        ],
        "verifications": [],
        "facts": {},
        "breakage": (
            {"message": "web: could not open the shop", "channel": "web", "action": None, "screenshot": None}
            if status == "broken"
            else None
        ),
    }


HOLD_RUBRIC = """\
name = "test"

[sections.waiting]
weight = 1

[sections.waiting.criteria.hold_time]
metric = "metrics.hold_time"
weight = 1
thresholds = [
  { below = 30, points = 100 },
  { from = 30, below = 120, points = 60 },
  { from = 120, points = 0 },
]
"""


def write(tmp_path: Path, text: str, name: str = "test.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def a_rubric(tmp_path: Path, text: str) -> Rubric:
    return load_rubric_file(write(tmp_path, text))
