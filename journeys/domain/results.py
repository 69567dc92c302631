"""Journey results: the public, versioned record written the moment a journey ends.

One JSON file per journey, in ``<run dir>/journeys/``, written atomically by the
worker that ran the journey, so an interrupted run loses nothing that finished.
The format is a contract (``journeys/schema/journey-result.schema.json``): bump
``SCHEMA_VERSION`` on any incompatible change.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from journeys.domain.metrics import JourneyMetrics, measure_contact
from journeys.domain.secrets import NO_SECRETS, Secrets
from journeys.domain.timeline import Contact

SCHEMA_VERSION = 1

JourneyStatus = Literal["passed", "findings", "broken", "interrupted"]
"""passed: every expectation met; findings: carried out, some expectations unmet;
broken: the harness could not carry it out; interrupted: stopped before its end."""


@dataclass(frozen=True)
class Finding:
    """An unmet expectation: what the feature file asked for and what the customer got."""

    expectation: str
    observed: str
    feature: str
    line: int


@dataclass(frozen=True)
class Verification:
    """What the harness checked through an independent channel, after the company's claim."""

    what: str
    expected: str
    observed: str
    passed: bool
    at: float
    channel: str


@dataclass(frozen=True)
class Breakage:
    """Where and why a journey could not be carried out, with its evidence."""

    message: str
    channel: str | None
    action: str | None
    screenshot: str | None


@dataclass(frozen=True)
class JourneyResult:
    """Everything one journey produced; serialised by :func:`to_record`."""

    journey_id: str
    name: str
    feature: str
    line: int
    tags: tuple[str, ...]
    company: str
    profile: str | None
    seed: int
    time_scale: float
    shopper: dict[str, str]
    status: JourneyStatus
    started_at: float
    ended_at: float
    contacts: tuple[Contact, ...]
    metrics: JourneyMetrics
    findings: tuple[Finding, ...] = ()
    verifications: tuple[Verification, ...] = ()
    facts: dict[str, str] = field(default_factory=dict)
    breakage: Breakage | None = None

    @property
    def duration(self) -> float:
        return self.ended_at - self.started_at


def _contact_record(contact: Contact) -> dict[str, Any]:
    return {
        "channel": contact.channel,
        "purpose": contact.purpose,
        "setup": contact.setup,
        "identity": contact.identity,
        "started_at": contact.started_at,
        "ended_at": contact.ended_at,
        "metrics": asdict(measure_contact(contact)),
        "events": [
            {key: value for key, value in asdict(event).items() if value not in (None, "")}
            for event in contact.timeline
        ],
    }


def to_record(result: JourneyResult) -> dict[str, Any]:
    """The JSON-ready record of a journey (the public results format)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "journey_id": result.journey_id,
        "name": result.name,
        "feature": result.feature,
        "line": result.line,
        "tags": list(result.tags),
        "company": result.company,
        "profile": result.profile,
        "seed": result.seed,
        "time_scale": result.time_scale,
        "shopper": result.shopper,
        "status": result.status,
        "started_at": result.started_at,
        "ended_at": result.ended_at,
        "duration": result.duration,
        "metrics": asdict(result.metrics),
        "contacts": [_contact_record(contact) for contact in result.contacts],
        "findings": [asdict(finding) for finding in result.findings],
        "verifications": [asdict(verification) for verification in result.verifications],
        "facts": result.facts,
        "breakage": asdict(result.breakage) if result.breakage else None,
    }


class RunDirectory:
    """One run's folder: ``journeys/*.json`` records, artifacts, and the report.

    The folder is created on the first write, so a test session that runs no
    journey leaves nothing behind.
    """

    def __init__(self, path: Path, secrets: Secrets = NO_SECRETS) -> None:
        self.path = path
        self.secrets = secrets

    @property
    def journeys_dir(self) -> Path:
        return self.path / "journeys"

    @property
    def artifacts_dir(self) -> Path:
        return self.path / "artifacts"

    def artifact_path(self, journey_id: str, name: str) -> Path:
        """Where a journey's artifact (screenshot, trace) goes; creates its folder."""
        folder = self.artifacts_dir / journey_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def write(self, result: JourneyResult) -> Path:
        """Write a journey's record atomically, every secret replaced by its ``${NAME}``.

        The reports, the exports and the history are made from these records, so this
        one scrub keeps secrets out of all of them.
        """
        self.journeys_dir.mkdir(parents=True, exist_ok=True)
        record = self.secrets.scrub_data(to_record(result))
        target = self.journeys_dir / f"{result.journey_id}.json"
        descriptor, temporary = tempfile.mkstemp(dir=self.journeys_dir, suffix=".part")
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            json.dump(record, stream, indent=2, sort_keys=False)
            stream.write("\n")
        os.replace(temporary, target)
        return target

    def records(self) -> Iterator[dict[str, Any]]:
        """Every complete journey record in the run, in file-name order."""
        if not self.journeys_dir.is_dir():
            return
        for path in sorted(self.journeys_dir.glob("*.json")):
            with path.open(encoding="utf-8") as stream:
                yield json.load(stream)
