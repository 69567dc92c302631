"""Recording a run into the history: journey records in, rows out, in one transaction.

Kept apart from :mod:`journeys.history.runs` so that the mapping from the public results
format to the schema's columns lives in one place, next to nothing else.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from journeys.domain.results import SCHEMA_VERSION as RECORD_SCHEMA_VERSION
from journeys.history.rules import RunSeries, RunStatus
from journeys.history.store import HistoryError, write_transaction

METRIC_FIELDS = (
    "contacts",
    "transfers",
    "escalations",
    "hold_time",
    "time_to_agent",
    "ivr_depth",
    "recaptures",
    "handle_time",
    "time_to_resolution",
    "first_contact_resolution",
    "claimed_resolved",
    "verified_resolved",
    "reference_given",
    "promise_made",
    "satisfaction_checked",
    "channel_switch_offered",
    "outcome",
    "policy_recitals",
    "conferences",
    "identified_before_heard",
    "followed_up",
    "followed_up_by_promise",
)
"""The journey metrics stored as columns of ``journeys`` (``recaptures_by_field`` is not)."""

_FLAGS = frozenset(
    {
        "first_contact_resolution",
        "claimed_resolved",
        "verified_resolved",
        "reference_given",
        "promise_made",
        "satisfaction_checked",
        "channel_switch_offered",
        "identified_before_heard",
        "followed_up",
        "followed_up_by_promise",
    }
)
_ADDED_IN_VERSION_1 = frozenset(
    {
        "time_to_agent",
        "satisfaction_checked",
        "channel_switch_offered",
        "outcome",
        "policy_recitals",
        "conferences",
        "identified_before_heard",
        "followed_up",
        "followed_up_by_promise",
    }
)
"""Metrics that records written earlier in results schema version 1 lack: stored as unknown (NULL)."""

_RECORD_FIELDS = ("journey_id", "name", "feature", "line", "status", "seed", "started_at", "ended_at")
_JOURNEY_FIELDS = (*_RECORD_FIELDS, "duration", "findings", *METRIC_FIELDS)
_UPSERT_JOURNEY = f"""
    INSERT INTO journeys (run_id, score, {", ".join(_JOURNEY_FIELDS)})
    VALUES (:run_id, :score, {", ".join(f":{field}" for field in _JOURNEY_FIELDS)})
    ON CONFLICT (run_id, journey_id) DO UPDATE SET
        {", ".join(f"{field} = excluded.{field}" for field in _JOURNEY_FIELDS[1:])},
        score = CASE WHEN :score_given THEN excluded.score ELSE journeys.score END
    RETURNING id
"""
_INSERT_CONTACT = """
    INSERT INTO contacts (journey_row, run_id, position, channel, purpose, setup, started_at, ended_at,
        transfers, escalations, hold_time, time_to_agent, ivr_depth, recaptures, handle_time,
        references_given, promises_made, satisfaction_checked, channel_switch_offered, claimed_resolved)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_UPSERT_RUN = """
    INSERT INTO runs (name, folder, company, profile, time_scale, started_at, ended_at, recorded_at, status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET
        folder = COALESCE(excluded.folder, runs.folder), recorded_at = excluded.recorded_at,
        status = excluded.status
    RETURNING id, company, profile, time_scale
"""
_RECOUNT_RUN = """
    UPDATE runs SET (journeys, passed, findings, broken, interrupted, started_at, ended_at) = (
        SELECT count(*), sum(status = 'passed'), sum(status = 'findings'), sum(status = 'broken'),
            sum(status = 'interrupted'), min(started_at), max(ended_at)
        FROM journeys WHERE run_id = :run_id)
    WHERE id = :run_id
"""
_INTERRUPTED_BY_ITS_JOURNEYS = """
    UPDATE runs SET status = 'interrupted' WHERE id = :run_id AND interrupted > 0
"""
"""A run with a journey cut short is interrupted, whoever records it (a merge of shards too)."""


@dataclass(frozen=True)
class JourneyRows:
    """One journey record as rows: its ``journeys`` parameters, its tags, its contacts' values."""

    journey: dict[str, Any]
    series: RunSeries
    tags: tuple[str, ...]
    contacts: tuple[tuple[Any, ...], ...]
    """Each contact's ``contacts`` values after ``journey_row, run_id``."""


def journey_rows(run: str, record: Mapping[str, Any], scores: Mapping[str, float | None]) -> JourneyRows:
    """Map a journey record (the public results format) to rows, before any database work.

    Raises:
        HistoryError: the record is from a newer results format, or is not a journey record.
    """
    journey_id = record.get("journey_id", "?")
    version = record.get("schema_version")
    if not isinstance(version, int) or version > RECORD_SCHEMA_VERSION:
        raise HistoryError(
            f"run {run}: journey {journey_id} has results schema_version {version!r}; "
            f"this mystery-shopper reads up to {RECORD_SCHEMA_VERSION}"
        )
    try:
        journey: dict[str, Any] = {field: record[field] for field in _RECORD_FIELDS}
        journey.update(
            duration=record["duration"],
            findings=len(record["findings"]),
            score=scores.get(journey_id),
            score_given=journey_id in scores,
        )
        metrics = record["metrics"]
        for field in METRIC_FIELDS:
            value = metrics.get(field) if field in _ADDED_IN_VERSION_1 else metrics[field]
            journey[field] = _flag(value) if field in _FLAGS else value
        return JourneyRows(
            journey=journey,
            series=RunSeries(record["company"], record["profile"], record["time_scale"]),
            tags=tuple(record["tags"]),
            contacts=tuple(
                _contact_values(position, contact) for position, contact in enumerate(record["contacts"])
            ),
        )
    except (KeyError, TypeError) as error:
        raise HistoryError(f"run {run}: journey {journey_id} is not a journey record (no {error})") from error


def _contact_values(position: int, contact: Mapping[str, Any]) -> tuple[Any, ...]:
    metrics = contact["metrics"]
    return (
        position,
        contact["channel"],
        contact.get("purpose", ""),
        int(bool(contact["setup"])),
        contact.get("started_at"),
        contact.get("ended_at"),
        metrics.get("transfers", 0),
        metrics.get("escalations", 0),
        metrics.get("hold_time", 0.0),
        metrics.get("time_to_agent"),
        metrics.get("ivr_depth", 0),
        metrics.get("recaptures", 0),
        metrics.get("handle_time"),
        len(metrics.get("references", ())),
        len(metrics.get("promises", ())),
        _flag(metrics.get("satisfaction_checked")),
        _flag(metrics.get("channel_switch_offered")),
        _flag(metrics.get("claimed_resolved")),
    )


def _flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def check_scores(run: str, scores: Mapping[str, float | None], journey_ids: set[str]) -> None:
    """Refuse scores for journeys the run does not have, and scores outside 0 to 100.

    Raises:
        HistoryError: naming the run and the journeys at fault.
    """
    unknown = sorted(set(scores) - journey_ids)
    if unknown:
        raise HistoryError(f"run {run}: scores for journeys it does not have: {', '.join(unknown)}")
    for journey_id, score in scores.items():
        if score is not None and not (isinstance(score, int | float) and 0 <= score <= 100):
            raise HistoryError(f"run {run}: score {score!r} for {journey_id} is not between 0 and 100")


def write_run(
    connection: sqlite3.Connection,
    run: str,
    folder: str | None,
    rows: Sequence[JourneyRows],
    status: RunStatus = "complete",
) -> None:
    """Upsert the run and its journeys, replace those journeys' contacts and tags, recount the run.

    ``status`` is what the caller knows of the run (a session stopped by Ctrl-C is
    ``interrupted`` even if no journey was in flight); a run with an interrupted journey is
    interrupted whatever the caller says.

    Raises:
        HistoryError: a journey belongs to another series than the run (nothing is written).
    """
    with write_transaction(connection):
        existed = connection.execute("SELECT 1 FROM runs WHERE name = ?", (run,)).fetchone() is not None
        first, started_at, ended_at = (
            rows[0].series,
            rows[0].journey["started_at"],
            rows[0].journey["ended_at"],
        )
        now = time.time()
        run_id, *stored_series = connection.execute(
            _UPSERT_RUN,
            (run, folder, first.company, first.profile, first.time_scale, started_at, ended_at, now, status),
        ).fetchone()
        series = RunSeries(*stored_series)
        journey_ids: list[tuple[int]] = []
        contacts: list[tuple[Any, ...]] = []
        tags: list[tuple[int, str]] = []
        for journey in rows:
            if journey.series != series:
                journey_id = journey.journey["journey_id"]
                raise HistoryError(
                    f"run {run}: journey {journey_id} is for {journey.series}, but the run is for {series}; "
                    "record it under another run name"
                )
            (journey_row,) = connection.execute(
                _UPSERT_JOURNEY, {**journey.journey, "run_id": run_id}
            ).fetchone()
            journey_ids.append((journey_row,))
            contacts += [(journey_row, run_id, *values) for values in journey.contacts]
            tags += [(journey_row, tag) for tag in journey.tags]
        if existed:
            connection.executemany("DELETE FROM contacts WHERE journey_row = ?", journey_ids)
            connection.executemany("DELETE FROM journey_tags WHERE journey_row = ?", journey_ids)
        connection.executemany(_INSERT_CONTACT, contacts)
        connection.executemany("INSERT OR IGNORE INTO journey_tags (journey_row, tag) VALUES (?, ?)", tags)
        connection.execute(_RECOUNT_RUN, {"run_id": run_id})
        connection.execute(_INTERRUPTED_BY_ITS_JOURNEYS, {"run_id": run_id})
