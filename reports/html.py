"""The run report: one self-contained HTML file that opens from disk.

Everything the template shows is computed here from the journey records (the
public results format), so the template only formats.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from journeys.scoring import Aggregate, Scorecard

STATUS_ORDER = ("broken", "findings", "interrupted", "passed")


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["seconds"] = _seconds
    environment.filters["clock"] = _clock
    return environment


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 60:
        return f"{value:.1f} s"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes} min {seconds:02d} s"


def _clock(value: float | None) -> str:
    if value is None:
        return "–"
    return dt.datetime.fromtimestamp(value, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and span of a run, for the report's heading."""
    statuses = Counter(record["status"] for record in records)
    started = min((record["started_at"] for record in records), default=None)
    ended = max((record["ended_at"] for record in records), default=None)
    companies = sorted({record["company"] for record in records})
    profiles = sorted({Path(record["profile"]).stem if record["profile"] else "–" for record in records})
    scales = sorted({record["time_scale"] for record in records if record["time_scale"] != 1})
    return {
        "total": len(records),
        "statuses": [(status, statuses.get(status, 0)) for status in STATUS_ORDER],
        "started_at": started,
        "duration": (ended - started) if started is not None and ended is not None else None,
        "companies": companies,
        "profiles": profiles,
        "speedups": [f"{1 / scale:g}" for scale in scales],
    }


EVENT_LABELS = {
    "contact_started": "contact started",
    "contact_ended": "contact ended",
    "menu_prompt": "menu",
    "menu_choice": "pressed",
    "hold_started": "on hold",
    "hold_ended": "off hold",
    "agent_joined": "agent joined",
    "transferred": "transferred",
    "escalated": "escalated",
    "info_requested": "asked for",
    "message_sent": "customer",
    "message_received": "company",
    "reference_given": "reference",
    "promise_made": "promise",
    "channel_switch_offered": "offered another channel",
    "satisfaction_check": "survey",
    "outcome": "outcome",
}


def _contact_rows(contact: dict[str, Any]) -> list[dict[str, Any]]:
    """The contact's events as rows: offset from its start, label, words, details.

    An event recognised in the line just shown (same moment, same words) shows
    only its label and details, so each sentence appears once.
    """
    start = contact["started_at"] or 0.0
    rows: list[dict[str, Any]] = []
    previous: tuple[float, str] | None = None
    for event in contact["events"]:
        kind, text = event["kind"], event.get("text", "")
        detail = ", ".join(
            str(event[key])
            for key in ("agent", "department", "field_name", "reference", "key")
            if event.get(key)
        )
        if kind == "outcome" and "resolved" in event:
            detail = "resolved" if event["resolved"] else "not resolved"
        repeated = previous == (event["at"], text)
        previous = (event["at"], text)
        rows.append(
            {
                "offset": event["at"] - start,
                "kind": kind,
                "label": EVENT_LABELS.get(kind, kind),
                "text": "" if repeated else text,
                "detail": detail,
                "transcript": kind in ("message_sent", "message_received"),
            }
        )
    return rows


def _journey_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for record in sorted(
        records,
        key=lambda item: (STATUS_ORDER.index(item["status"]), item["feature"], item["line"]),
    ):
        references = list(
            dict.fromkeys(
                event["reference"]
                for contact in record["contacts"]
                for event in contact["events"]
                if event.get("reference")
            )
        )
        contacts = [{**contact, "rows": _contact_rows(contact)} for contact in record["contacts"]]
        rows.append({**record, "references": references, "contact_views": contacts})
    return rows


def channel_tiles(records: list[dict[str, Any]], scores: Aggregate | None) -> list[dict[str, Any]]:
    """Per channel: score, median hold, transfers per contact, resolution rate.

    Only the contacts that were about the problem count (not the web order placed to
    set a journey up); a journey counts as resolved when its outcome was verified,
    or claimed where nothing could be checked.
    """
    contacts: dict[str, list[dict[str, Any]]] = {}
    journeys: dict[str, list[dict[str, Any]]] = {}
    real_holds: dict[str, list[float]] = {}
    for record in records:
        for contact in record["contacts"]:
            if contact["setup"]:
                continue
            contacts.setdefault(contact["channel"], []).append(contact)
            # holds are pure waiting: at the company's real pace, as scores and findings judge them
            real_holds.setdefault(contact["channel"], []).append(
                contact["metrics"]["hold_time"] / (record["time_scale"] or 1)
            )
            if record not in journeys.setdefault(contact["channel"], []):
                journeys[contact["channel"]].append(record)
    tiles = []
    for channel in sorted(contacts):
        holds = real_holds[channel]
        transfers = sum(contact["metrics"]["transfers"] for contact in contacts[channel])
        outcomes = [
            record["metrics"]["verified_resolved"]
            if record["metrics"]["verified_resolved"] is not None
            else record["metrics"]["claimed_resolved"]
            for record in journeys[channel]
        ]
        summary = scores.by_channel.get(channel) if scores else None
        tiles.append(
            {
                "channel": channel,
                "score": summary.mean if summary else None,
                "journeys": len(journeys[channel]),
                "median_hold": statistics.median(holds),
                "transfers_per_contact": transfers / len(contacts[channel]),
                "resolution_rate": sum(1 for outcome in outcomes if outcome) / len(outcomes),
            }
        )
    return tiles


def _with_score(row: dict[str, Any], card: Scorecard | None) -> dict[str, Any]:
    """A journey row with its score, and its failed critical items in words."""
    critical = [key.rsplit(".", 1)[-1].replace("_", " ") for key in card.critical_failures] if card else []
    return {
        **row,
        "score": card.score if card else None,
        "unscored_reason": card.unscored_reason if card else None,
        "critical": critical,
    }


def render_run_report(
    run_dir: Path,
    records: list[dict[str, Any]],
    scorecards: Sequence[Scorecard] = (),
    scores: Aggregate | None = None,
    regressions: Sequence[str] = (),
    history: str | None = None,
) -> Path:
    """Write ``report.html`` in the run folder and return its path."""
    by_journey = {card.journey_id: card for card in scorecards}
    template = _environment().get_template("run.html.j2")
    html = template.render(
        run_name=run_dir.name,
        summary=summarise(records),
        score=scores.run.mean if scores else None,
        rubric=scorecards[0].rubric if scorecards else None,
        tiles=channel_tiles(records, scores),
        regressions=list(regressions),
        history=history,
        journeys=[_with_score(row, by_journey.get(row["journey_id"])) for row in _journey_rows(records)],
    )
    target = run_dir / "report.html"
    target.write_text(html, encoding="utf-8")
    return target
