"""A page per journey: ``<run dir>/journeys/<journey_id>.html``, beside the journey's record.

What a leader opens from the summary to see one experience: its score and why
(every criterion with its points), what was found, the timeline as a picture, the
transcript with the events marked, and the evidence (screenshots, the Playwright
trace, the record itself). Like the summary it is one self-contained file: inline
CSS and SVG, links only to files of the run folder.

Evidence is what the record names (a broken journey's screenshot) and whatever the
journey left in ``artifacts/<journey_id>/``: images are screenshots, ``.zip`` files
are Playwright traces, anything else is listed as a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, Template

from journeys.scoring.rubric import metric_for
from journeys.scoring.scorecard import CriterionScore, Scorecard, journey_channels, record_outcome
from reports.formatting import (
    OUTCOME_WORDS,
    band,
    contact_rows,
    outcome_words,
    page_name,
    references,
    run_link,
    seconds,
)
from reports.timeline_svg import timeline_picture

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
TRACE_SUFFIXES = (".zip",)
UP = "../"
"""Pages live one folder down (``journeys/``): links into the run folder climb once."""


def criterion_value(criterion: CriterionScore) -> str:
    """The value a criterion judged, in words: ``12.0 s``, ``2``, ``yes``; a dash when N/A."""
    value = criterion.value
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return OUTCOME_WORDS.get(value, value)
    metric = metric_for(criterion.metric)
    if metric is not None and metric.kind == "seconds":
        return seconds(float(value))
    return f"{value:g}"


def scorecard_view(card: Scorecard | None) -> dict[str, Any] | None:
    """The filled-in form: sections with their percentage, criteria with their points."""
    if card is None:
        return None
    sections = [
        {
            "title": section.title,
            "weight": section.weight,
            "percent": section.percent,
            "earned": section.earned,
            "possible": section.possible,
            "criteria": [
                {
                    "title": criterion.title,
                    "metric": criterion.metric,
                    "value": criterion_value(criterion),
                    "earned": criterion.earned,
                    "weight": criterion.weight,
                    "not_applicable": criterion.not_applicable,
                    "reason": criterion.reason,
                    "critical": criterion.critical,
                    "critical_failed": criterion.critical_failed,
                }
                for criterion in section.criteria
            ],
        }
        for section in card.sections
    ]
    return {
        "rubric": card.rubric,
        "score": card.score,
        "raw": card.raw,
        "band": band(card.score),
        "unscored_reason": card.unscored_reason,
        "critical": [failure.rsplit(".", 1)[-1].replace("_", " ") for failure in card.critical_failures],
        "sections": sections,
    }


def _evidence_kind(path: str) -> str:
    lowered = path.lower()
    if lowered.endswith(IMAGE_SUFFIXES):
        return "screenshots"
    return "traces" if lowered.endswith(TRACE_SUFFIXES) else "files"


def evidence(run_dir: Path, record: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Screenshots, traces and other files of a journey, as links from its page."""
    found: dict[str, list[dict[str, str]]] = {"screenshots": [], "traces": [], "files": []}
    named = (record.get("breakage") or {}).get("screenshot")
    paths: list[str] = [str(named)] if run_link(named) else []
    folder = run_dir / "artifacts" / str(record["journey_id"])
    if folder.is_dir():
        paths += [
            path.relative_to(run_dir).as_posix() for path in sorted(folder.rglob("*")) if path.is_file()
        ]
    for path in dict.fromkeys(paths):
        link = run_link(path)
        if link is None:
            continue
        found[_evidence_kind(path)].append({"href": UP + link, "name": path})
    return found


def _how_known(record: Mapping[str, Any]) -> str:
    """How we know the outcome: checked, or only the company's word."""
    metrics = record["metrics"]
    checked = metrics["verified_resolved"] is not None or any(
        check.get("kind") == "refusal" for check in record.get("verifications", [])
    )
    return "checked" if checked else "as the company said; not checked"


def _headline(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The few numbers a leader looks for first, holds and waits at the company's real pace."""
    metrics, scale = record["metrics"], record.get("time_scale") or 1.0
    return [
        ("contacts", str(metrics["contacts"])),
        ("transfers", str(metrics["transfers"])),
        ("escalations", str(metrics["escalations"])),
        ("on hold", seconds(metrics["hold_time"] / scale)),
        ("asked again", str(metrics["recaptures"])),
        ("phone menu choices", str(metrics["ivr_depth"])),
        (f"outcome ({_how_known(record)})", OUTCOME_WORDS[record_outcome(record)]),
    ]


def journey_view(
    run_dir: Path, run_name: str, record: Mapping[str, Any], card: Scorecard | None
) -> dict[str, Any]:
    """Everything one journey's page shows, computed; the template only formats it."""
    scale = record.get("time_scale") or 1.0
    return {
        "run_name": run_name,
        "record": record,
        "record_href": quote(f"{record['journey_id']}.json"),
        "channels": journey_channels(record),
        "speedup": f"{1 / scale:g}" if scale != 1 else None,
        "headline": _headline(record),
        "outcome": outcome_words(record) if record["status"] in ("passed", "findings") else None,
        "references": references(dict(record)),
        "scorecard": scorecard_view(card),
        "picture": timeline_picture(dict(record)),
        "contacts": [_contact_view(contact) for contact in record["contacts"]],
        "evidence": evidence(run_dir, record),
    }


def _contact_view(contact: Mapping[str, Any]) -> dict[str, Any]:
    """A contact's rows, and its call's player: each line heard or said plays the call from there."""
    rows = contact_rows(dict(contact))
    recording = contact.get("recording") or {}
    link = run_link(recording.get("file"))
    if link is None:
        return {**contact, "rows": rows, "player": None}
    started = float(recording["started_at"])
    for row in rows:
        row["seek"] = row["at"] - started if row["at"] >= started else None
    return {**contact, "rows": rows, "player": {"href": UP + link, "name": recording["file"]}}


class JourneyPages:
    """Writes journey pages one at a time, the template compiled once."""

    def __init__(self, environment: Environment, run_dir: Path, run_name: str) -> None:
        self.template: Template = environment.get_template("journey.html.j2")
        self.run_dir = run_dir
        self.run_name = run_name
        self.folder = run_dir / "journeys"

    def write(self, record: Mapping[str, Any], card: Scorecard | None) -> Path:
        """Render one journey's page next to its record and return its path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / page_name(str(record["journey_id"]))
        html = self.template.render(journey_view(self.run_dir, self.run_name, record, card))
        target.write_text(html, encoding="utf-8")
        return target

    def write_all(self, records: Iterable[Mapping[str, Any]], cards: Mapping[str, Scorecard]) -> list[Path]:
        return [self.write(record, cards.get(str(record["journey_id"]))) for record in records]
