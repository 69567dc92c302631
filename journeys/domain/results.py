"""Journey results: the public, versioned record written the moment a journey ends.

One JSON file per journey, in ``<run dir>/journeys/``, written atomically by the
worker that ran the journey, so an interrupted run loses nothing that finished.
The format is a contract (``journeys/schema/journey-result.schema.json``): bump
``SCHEMA_VERSION`` on any incompatible change.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from journeys.domain.metrics import JourneyMetrics, measure_contact
from journeys.domain.secrets import NO_SECRETS, Secrets
from journeys.domain.timeline import Contact
from journeys.errors import ConfigError

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "journey-result.schema.json"

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


VerificationKind = Literal["done", "refusal"]
"""done: whether the customer got what they asked for (the order page shows it cancelled);
refusal: whether the company's no was true (no case opened for a purchase out of warranty)."""


@dataclass(frozen=True)
class Verification:
    """What the harness checked through an independent channel, after the company's claim."""

    what: str
    expected: str
    observed: str
    passed: bool
    at: float
    channel: str
    kind: VerificationKind = "done"
    claimed: bool | None = None
    """What the company said of the very thing checked, when the journey knows it (it said
    the order was cancelled, or it said no); None: the journey's last claim stands for it."""
    claim: str = ""
    """The company's words for ``claimed``."""


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
    record = {
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
    if contact.recording is not None:
        record["recording"] = asdict(contact.recording)
    return record


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


@functools.cache
def _record_validator() -> Validator:
    from jsonschema.validators import validator_for  # half a second to import: only when reading records

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator: Validator = validator_for(schema)(schema)
    return validator


def record_problem(record: Any) -> str | None:
    """What keeps a stored record from being a journey record of this format; None when nothing does.

    A record edited by hand, cut short, or written by another version would otherwise
    fail deep inside the scoring or the report with a ``KeyError``; this names the
    first place where it differs from ``journeys/schema/journey-result.schema.json``.
    """
    version = record.get("schema_version") if isinstance(record, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        return (
            f"written by a newer mystery-shopper (schema version {version}; this one reads "
            f"{SCHEMA_VERSION}): upgrade mystery-shopper"
        )
    from jsonschema.exceptions import best_match

    error = best_match(_record_validator().iter_errors(record))
    if error is None:
        return None
    where = "/" + "/".join(str(part) for part in error.absolute_path)
    message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    return f"not a journey record of schema version {SCHEMA_VERSION}: at {where}: {message}"


LIVE_CALLS_FILE = "live-calls"
"""How many live calls the run has placed: one number, counted against ``[phone] call_budget``."""


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

    def take_live_call(self, budget: int) -> int | None:
        """Count one more live call of this run against its budget; its number, or None once spent.

        Every worker of a parallel run counts in the same file, under a lock, so the budget
        is the run's, not each worker's.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        with (self.path / LIVE_CALLS_FILE).open("a+", encoding="utf-8") as counter:
            fcntl.flock(counter, fcntl.LOCK_EX)
            counter.seek(0)
            placed = int(counter.read().strip() or 0)
            if placed >= budget:
                return None
            counter.seek(0)
            counter.truncate()
            counter.write(str(placed + 1))
            return placed + 1

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


def refuse_unwritable_folder(path: Path, named: str) -> None:
    """Refuse a folder that cannot be made or written, without making it.

    A run writes its first record when its first journey ends and its history at its
    end; learning only then that the folder is a file, or read-only, costs the journeys
    already run (and a real company its agents' time). Nothing is created here.

    Args:
        path: the folder, which may not exist yet.
        named: how the user gave it, to start the message (``--results-dir results``).

    Raises:
        ConfigError: ``path`` is a file, lies under a file, or its nearest existing
            folder refuses a new file.
    """
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{named}: is a file, not a folder; give a folder")
    existing = path.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"{named}: {existing} is a file, so no folder can be made under it; give a folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as error:
        raise ConfigError(
            f"{named}: cannot write in {existing} ({error.strerror}); give a folder you can write to"
        ) from error
