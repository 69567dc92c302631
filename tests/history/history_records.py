"""Synthetic journey records in the public results format, for the history's tests and benchmark.

One builder, so that the records the benchmark ingests by the thousand are the same
shape as the ones a test validates against the JSON Schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

NIGHT = 86_400.0
FIRST_NIGHT = 1_800_000_000.0


def journey_record(
    journey_id: str,
    *,
    name: str = "Cancel a web order right away by phone",
    feature: str = "cancellation/phone.feature",
    channel: str = "phone",
    started_at: float = FIRST_NIGHT,
    status: str = "passed",
    company: str = "sandbox",
    profile: str | None = "typical",
    time_scale: float = 1.0,
    hold_time: float = 60.0,
    transfers: int = 0,
    escalations: int = 0,
    recaptures: int = 0,
    ivr_depth: int = 0,
    time_to_agent: float | None = 30.0,
    handle_time: float = 300.0,
    first_contact_resolution: bool = True,
    verified_resolved: bool | None = True,
    tags: Iterable[str] = ("cancellation", "phone"),
    setup_contact: bool = True,
) -> dict[str, Any]:
    """A journey: an optional web setup contact (placing the order), then one problem contact.

    The problem contact carries every metric given; the journey's metrics are the sums
    the harness would compute (the setup contact adds only its handle time).
    """
    setup_handle = 5.0 if setup_contact else 0.0
    contacts = []
    at = started_at
    if setup_contact:
        contacts.append(_contact("web", "order Kettle Pro", True, at, setup_handle, {}))
        at += setup_handle
    problem_metrics = {
        "transfers": transfers,
        "escalations": escalations,
        "hold_time": hold_time,
        "time_to_agent": time_to_agent,
        "ivr_depth": ivr_depth,
        "recaptures": recaptures,
    }
    contacts.append(_contact(channel, f"cancel ({channel})", False, at, handle_time, problem_metrics))
    ended_at = at + handle_time
    return {
        "schema_version": 1,
        "journey_id": journey_id,
        "name": name,
        "feature": feature,
        "line": 6,
        "tags": list(tags),
        "company": company,
        "profile": profile,
        "seed": 0,
        "time_scale": time_scale,
        "shopper": {"name": "Pat Example", "email": "pat@example.com"},
        "status": status,
        "started_at": started_at,
        "ended_at": ended_at,
        "duration": ended_at - started_at,
        "metrics": {
            "contacts": len(contacts),
            "transfers": transfers,
            "escalations": escalations,
            "hold_time": hold_time,
            "time_to_agent": time_to_agent,
            "queue_time": hold_time if time_to_agent is not None else 0.0,
            "ivr_depth": ivr_depth,
            "recaptures": recaptures,
            "recaptures_by_field": {"order_number": recaptures} if recaptures else {},
            "handle_time": handle_time + setup_handle,
            "time_to_resolution": handle_time if verified_resolved else None,
            "first_contact_resolution": first_contact_resolution,
            "claimed_resolved": True,
            "verified_resolved": verified_resolved,
            "reference_given": True,
            "promise_made": False,
            "satisfaction_checked": False,
            "channel_switch_offered": False,
        },
        "contacts": contacts,
        "findings": [],
        "verifications": [],
        "facts": {"order_number": "BL-123456"},
        "breakage": None,
    }


def _contact(
    channel: str, purpose: str, setup: bool, at: float, handle_time: float, metrics: Mapping[str, Any]
) -> dict[str, Any]:
    hold = float(metrics.get("hold_time", 0.0))
    events: list[dict[str, Any]] = [{"kind": "contact_started", "at": at, "text": purpose}]
    if hold:
        events += [{"kind": "hold_started", "at": at + 1}, {"kind": "hold_ended", "at": at + 1 + hold}]
    events += [
        {"kind": "outcome", "at": at + handle_time, "text": "done", "resolved": True},
        {"kind": "contact_ended", "at": at + handle_time},
    ]
    return {
        "channel": channel,
        "purpose": purpose,
        "setup": setup,
        "identity": "" if setup else "pat@example.com",
        "started_at": at,
        "ended_at": at + handle_time,
        "metrics": {
            "transfers": metrics.get("transfers", 0),
            "escalations": metrics.get("escalations", 0),
            "hold_time": hold,
            "time_to_agent": metrics.get("time_to_agent"),
            "queue_time": hold,
            "ivr_depth": metrics.get("ivr_depth", 0),
            "fields_requested": {},
            "recaptures": metrics.get("recaptures", 0),
            "handle_time": handle_time,
            "references": ["BL-123456"] if setup else [],
            "promises": [],
            "satisfaction_checked": False,
            "channel_switch_offered": False,
            "claimed_resolved": True,
        },
        "events": events,
    }


def write_run_folder(results_dir: Path, name: str, records: Iterable[Mapping[str, Any]]) -> Path:
    """A run folder as the harness leaves it: ``<results>/<name>/journeys/<journey_id>.json``."""
    journeys = results_dir / name / "journeys"
    journeys.mkdir(parents=True, exist_ok=True)
    for record in records:
        (journeys / f"{record['journey_id']}.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return results_dir / name
