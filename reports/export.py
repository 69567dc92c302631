"""``export.json``: a run's scores for CI scripts and dashboards, without our code.

The journey records (``journeys/*.json``, with their JSON Schema) say what happened;
this file says how it scored, in one read. Its shape (``export_version`` 1; times are
seconds since the Unix epoch, durations and holds are seconds, holds at the company's
real pace)::

    {
      "export_version": 1,
      "run": {
        "name": str, "report": "report.html", "summary": "summary.md",
        "companies": [str], "profiles": [str], "speedups": [str],  # "200" for a run 200x faster
        "started_at": float | null, "duration": float | null,
        "journeys": int, "statuses": {"broken": int, "findings": int, "interrupted": int, "passed": int},
        "rubric": str | null, "score": float | null,         # 0-100, the mean of journey scores
        "previous_score": float | null,                      # the previous run of its series, if known
        "history": str | null, "regressions": [str]          # one sentence each
      },
      "channels": {"<channel>": {"score": float | null, "scored": int, "unscored": int,
                                 "journeys": int, "median_hold": float,
                                 "transfers_per_contact": float, "resolution_rate": float}},
      "types": {"<journey type>": {"score": float | null, "scored": int, "unscored": int}},
      "tags": {"<tag>": {"score": float | null, "scored": int, "unscored": int}},
      "journeys": [{
        "journey_id": str, "name": str, "feature": str, "line": int, "status": str,
        "channels": [str], "tags": [str], "findings": int,
        "score": float | null, "raw": float | null,          # raw: before critical failures
        "unscored_reason": str | null, "critical_failures": ["section.criterion"],
        "page": "journeys/<id>.html", "record": "journeys/<id>.json",
        "sections": [{"key": str, "title": str, "weight": float, "percent": float | null,
                      "earned": float, "possible": float,
                      "criteria": [{"key": str, "title": str, "metric": str,
                                    "value": bool | float | null, "measured": bool | float | null,
                                    "weight": float, "earned": float, "possible": float,
                                    "not_applicable": bool, "reason": str,
                                    "critical": bool, "critical_failed": bool}]}]
      }]
    }

``journeys`` follows the records' order (their file names); a channel counts every
journey that used it for its problem, as the scores do (:mod:`journeys.scoring.scorecard`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from journeys.scoring.scorecard import (
    Aggregate,
    CriterionScore,
    Scorecard,
    ScoreSummary,
    SectionScore,
    journey_channels,
    journey_tags,
)
from reports.formatting import page_name

EXPORT_NAME = "export.json"
EXPORT_VERSION = 1
SECTION_FIELDS = ("key", "title", "weight", "percent", "earned", "possible")
CRITERION_FIELDS = tuple(item.name for item in fields(CriterionScore))


def _group(summary: ScoreSummary) -> dict[str, Any]:
    return {"score": summary.mean, "scored": summary.count, "unscored": summary.unscored}


def _criterion(criterion: CriterionScore) -> dict[str, Any]:
    return {name: getattr(criterion, name) for name in CRITERION_FIELDS}


def _section(section: SectionScore) -> dict[str, Any]:
    """A section as plain values (``dataclasses.asdict`` deep-copies: slow at 10,000 journeys)."""
    return {
        **{name: getattr(section, name) for name in SECTION_FIELDS},
        "criteria": [_criterion(criterion) for criterion in section.criteria],
    }


def _journey(record: Mapping[str, Any], card: Scorecard | None) -> dict[str, Any]:
    journey_id = str(record["journey_id"])
    return {
        "journey_id": journey_id,
        "name": record["name"],
        "feature": record["feature"],
        "line": record["line"],
        "status": record["status"],
        "channels": list(journey_channels(record)),
        "tags": list(journey_tags(record)),
        "findings": len(record["findings"]),
        "score": card.score if card else None,
        "raw": card.raw if card else None,
        "unscored_reason": card.unscored_reason if card else "not scored",
        "critical_failures": list(card.critical_failures) if card else [],
        "page": f"journeys/{page_name(journey_id)}",
        "record": f"journeys/{journey_id}.json",
        "sections": [_section(section) for section in card.sections] if card else [],
    }


def build_export(
    overview: Mapping[str, Any],
    records: Sequence[Mapping[str, Any]],
    scorecards: Sequence[Scorecard],
    scores: Aggregate | None,
) -> dict[str, Any]:
    """The export of a run (the shape is in the module docstring)."""
    summary = overview["summary"]
    cards = {card.journey_id: card for card in scorecards}
    by_channel = scores.by_channel if scores else {}
    tiles = {tile["channel"]: tile for tile in overview["tiles"]}
    channels = {
        channel: {
            **(
                _group(by_channel[channel])
                if channel in by_channel
                else {"score": None, "scored": 0, "unscored": 0}
            ),
            **{
                key: tiles[channel][key]
                for key in ("journeys", "median_hold", "transfers_per_contact", "resolution_rate")
            },
        }
        for channel in sorted(tiles)
    }
    return {
        "export_version": EXPORT_VERSION,
        "run": {
            "name": overview["run_name"],
            "report": "report.html",
            "summary": "summary.md",
            "companies": summary["companies"],
            "profiles": summary["profiles"],
            "speedups": summary["speedups"],
            "started_at": summary["started_at"],
            "duration": summary["duration"],
            "journeys": summary["total"],
            "statuses": dict(summary["statuses"]),
            "rubric": overview["rubric"],
            "score": overview["score"],
            "previous_score": overview["previous_score"],
            "history": overview["history"],
            "regressions": overview["regressions"],
        },
        "channels": channels,
        "types": {key: _group(value) for key, value in (scores.by_type if scores else {}).items()},
        "tags": {key: _group(value) for key, value in (scores.by_tag if scores else {}).items()},
        "journeys": [_journey(record, cards.get(str(record["journey_id"]))) for record in records],
    }


def write_export(
    run_dir: Path,
    overview: Mapping[str, Any],
    records: Sequence[Mapping[str, Any]],
    scorecards: Sequence[Scorecard],
    scores: Aggregate | None,
) -> Path:
    """Write ``export.json`` in the run folder and return its path."""
    target = run_dir / EXPORT_NAME
    # dumps, not dump: only dumps uses the C encoder (ten times faster on a 10,000-journey run)
    text = json.dumps(build_export(overview, records, scorecards, scores), ensure_ascii=False)
    target.write_text(text + "\n", encoding="utf-8")
    return target
