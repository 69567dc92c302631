"""The run report: one self-contained HTML file that opens from disk.

Everything the template shows is computed here from the journey records (the
public results format), so the template only formats.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

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
    profiles = sorted({record["profile"] or "–" for record in records})
    return {
        "total": len(records),
        "statuses": [(status, statuses.get(status, 0)) for status in STATUS_ORDER],
        "started_at": started,
        "duration": (ended - started) if started is not None and ended is not None else None,
        "companies": companies,
        "profiles": profiles,
    }


def _journey_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for record in sorted(
        records,
        key=lambda item: (STATUS_ORDER.index(item["status"]), item["feature"], item["line"]),
    ):
        references = [
            event["reference"]
            for contact in record["contacts"]
            for event in contact["events"]
            if event.get("reference")
        ]
        rows.append({**record, "references": references})
    return rows


def render_run_report(run_dir: Path, records: list[dict[str, Any]]) -> Path:
    """Write ``report.html`` in the run folder and return its path."""
    template = _environment().get_template("run.html.j2")
    html = template.render(
        run_name=run_dir.name,
        summary=summarise(records),
        journeys=_journey_rows(records),
    )
    target = run_dir / "report.html"
    target.write_text(html, encoding="utf-8")
    return target
