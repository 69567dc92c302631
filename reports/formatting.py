"""What every page of a report shares: the Jinja environment, its filters, and small views.

The summary (:mod:`reports.html`), the journey pages (:mod:`reports.journey_page`) and
the Markdown summary (:mod:`reports.markdown`) format the same numbers the same way,
so the helpers that turn a record into words live here, once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any, Literal
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape

from journeys.domain.metrics import asked_who_before_why
from journeys.domain.timeline import Event, EventKind
from journeys.scoring.scorecard import record_outcome

STATUS_ORDER = ("broken", "findings", "interrupted", "passed")

Band = Literal["good", "fair", "poor", "none"]
GOOD_FROM = 80.0
FAIR_FROM = 60.0
"""Score bands: a tile is green from 80, amber from 60, red below (the usual cut-offs of
mystery-shopping programmes), so a fair company and a bad one differ at a glance."""

EVENT_LABELS = {
    "contact_started": "contact started",
    "contact_ended": "contact ended",
    "menu_prompt": "menu",
    "menu_choice": "pressed",
    "hold_started": "on hold",
    "hold_ended": "off hold",
    "agent_joined": "agent joined",
    "transferred": "transferred",
    "conferenced": "colleague brought in",
    "escalated": "escalated",
    "info_requested": "asked for",
    "message_sent": "customer",
    "message_received": "company",
    "acknowledged": "automatic reply",
    "reference_given": "reference",
    "promise_made": "promise",
    "policy_recited": "policy recited",
    "followed_up": "followed up",
    "channel_switch_offered": "offered another channel",
    "satisfaction_check": "survey",
    "outcome": "outcome",
}
ASKED_WHO_FIRST = "asked who, before why"
"""The label of the request that identified the customer before they could say why they came."""


def environment() -> Environment:
    """The HTML environment: every value autoescaped, the report's filters registered."""
    built = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "j2", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return with_filters(built)


def with_filters(built: Environment) -> Environment:
    """Register the filters every report template formats values with (HTML and Markdown)."""
    built.filters["seconds"] = seconds
    built.filters["clock"] = clock
    built.filters["points"] = points
    return built


def seconds(value: float | None) -> str:
    """A duration as a person reads it: ``4.2 s``, ``7 min 05 s``; a dash when unknown."""
    if value is None:
        return "–"
    if value < 60:
        return f"{value:.1f} s"
    minutes, rest = divmod(round(value), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def clock(value: float | None) -> str:
    """A moment in UTC, so reports from machines in different zones agree."""
    if value is None:
        return "–"
    return dt.datetime.fromtimestamp(value, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def points(value: float | None) -> str:
    """A score or a number of points, without a trailing ``.0`` (``72``, ``72.5``)."""
    if value is None:
        return "–"
    return f"{value:.1f}".removesuffix(".0")


def band(score: float | None) -> Band:
    """The colour band of a score (see :data:`GOOD_FROM`)."""
    if score is None:
        return "none"
    if score >= GOOD_FROM:
        return "good"
    return "fair" if score >= FAIR_FROM else "poor"


OUTCOME_WORDS = {
    "resolved": "resolved",
    "answered_honestly": "answered honestly",
    "misinformed": "misinformed",
    "unresolved": "unresolved",
}


def outcome_words(record: Mapping[str, Any]) -> str:
    """The journey's outcome as a leader reads it: ``answered honestly: <the company's reason>``,
    ``misinformed: <what was false>``, ``resolved`` or ``unresolved``."""
    outcome = record_outcome(record)
    reason = str(record.get("metrics", {}).get("outcome_reason", ""))
    if outcome in ("answered_honestly", "misinformed") and reason:
        return f"{OUTCOME_WORDS[outcome]}: {reason}"
    return OUTCOME_WORDS[outcome]


def contact_rows(contact: dict[str, Any]) -> list[dict[str, Any]]:
    """The contact's events as rows: offset from its start, label, words, details.

    An event recognised in the line just shown (same moment, same words) shows
    only its label and details, so each sentence appears once. The request that asked who
    the customer is before they could say why they came is labelled so (``who_first``).
    """
    start = contact["started_at"] or 0.0
    rows: list[dict[str, Any]] = []
    previous: tuple[float, str] | None = None
    events = [Event(**{**event, "kind": EventKind(event["kind"])}) for event in contact["events"]]
    # records written before openings were marked cannot tell: only a measured contact is marked
    measured = contact.get("metrics", {}).get("identified_before_heard")
    who_first = asked_who_before_why(events) if measured else None
    for event, seen in zip(contact["events"], events, strict=True):
        kind, text = event["kind"], event.get("text", "")
        detail = ", ".join(
            str(event[key])
            for key in ("agent", "department", "field_name", "reference", "key")
            if event.get(key)
        )
        if kind == "outcome" and "resolved" in event:
            detail = "resolved" if event["resolved"] else "not resolved"
        if kind == "followed_up" and "by_promise" in event:
            detail = "by the promised day" if event["by_promise"] else "after the promised day"
        repeated = previous == (event["at"], text)
        previous = (event["at"], text)
        rows.append(
            {
                "at": event["at"],
                "offset": event["at"] - start,
                "kind": kind,
                "label": ASKED_WHO_FIRST if seen is who_first else EVENT_LABELS.get(kind, kind),
                "who_first": seen is who_first,
                "text": "" if repeated else text,
                "detail": detail,
                "transcript": kind in ("message_sent", "message_received", "acknowledged"),
            }
        )
    return rows


def references(record: dict[str, Any]) -> list[str]:
    """Every reference number the company handed over in the journey, once each, in order."""
    return list(
        dict.fromkeys(
            event["reference"]
            for contact in record["contacts"]
            for event in contact["events"]
            if event.get("reference")
        )
    )


_SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def page_name(journey_id: str) -> str:
    """The file name of a journey's page: its id, made safe for a file and a link."""
    return f"{_SAFE_NAME.sub('-', journey_id) or 'journey'}.html"


def run_link(path: str | None) -> str | None:
    """A link to a file of the run folder, or None for anything that is not one.

    Records say where their evidence is (``artifacts/<journey>/broken.png``); a
    path that is absolute, climbs out of the folder or names a scheme
    (``javascript:``) is not linked, whatever a record says.
    """
    if not path:
        return None
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if not parts or path.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
        return None
    return "/".join(quote(part) for part in parts)
