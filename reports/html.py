"""The run report: self-contained HTML that opens from disk, and the exports CI reads.

:func:`render_run_report` writes, in the run folder:

- ``report.html``: the summary a leader reads in a minute (the score, a tile per
  channel worst first, coloured by score band, with sparklines and the change since
  the previous run of the series when a history is given, regressions, and every
  journey worst first, each linked to its page);
- ``journeys/<journey_id>.html``: a page per journey (:mod:`reports.journey_page`);
- ``summary.md`` (:mod:`reports.markdown`) and ``export.json`` (:mod:`reports.export`).

Everything the templates show is computed here from the journey records (the public
results format), so the templates only format.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from journeys.channels.voice.listening import SHORTEST_MUSIC
from journeys.scoring.scorecard import Aggregate, Scorecard
from reports.export import write_export
from reports.formatting import (
    STATUS_ORDER,
    band,
    contact_rows,
    environment,
    outcome_words,
    page_name,
    references,
    run_link,
)
from reports.journey_page import JourneyPages
from reports.markdown import write_markdown
from reports.trends import RunTrends, change, previous_value, sparkline

__all__ = ["STATUS_ORDER", "channel_tiles", "render_run_report", "run_overview", "summarise"]

REPORT_NAME = "report.html"
INLINE_TIMELINES_UP_TO = 100
"""Up to this many journeys the summary also folds each transcript under its row; beyond,
transcripts are on the journey pages only, so a 10,000-journey summary stays a few MB."""
WORST_SHOWN = 10


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and span of a run, for the report's heading."""
    statuses = Counter(record["status"] for record in records)
    started = min((record["started_at"] for record in records), default=None)
    ended = max((record["ended_at"] for record in records), default=None)
    companies = sorted({record["company"] for record in records})
    profiles = sorted({Path(record["profile"]).stem if record["profile"] else "–" for record in records})
    scales = sorted({record["time_scale"] for record in records if record["time_scale"] != 1})
    called = [
        record["time_scale"]
        for record in records
        if record["time_scale"] != 1 and any(contact["channel"] == "phone" for contact in record["contacts"])
    ]
    return {
        "total": len(records),
        "statuses": [(status, statuses.get(status, 0)) for status in STATUS_ORDER],
        "started_at": started,
        "duration": (ended - started) if started is not None and ended is not None else None,
        "companies": companies,
        "profiles": profiles,
        "speedups": [f"{1 / scale:g}" for scale in scales],
        # a call is spoken at its own pace: its hold music is heard once it lasts SHORTEST_MUSIC
        "call_holds_heard_from": [f"{SHORTEST_MUSIC / scale:g}" for scale in sorted(set(called))],
        "call_music_seconds": f"{SHORTEST_MUSIC:g}",
    }


def channel_tiles(records: list[dict[str, Any]], scores: Aggregate | None) -> list[dict[str, Any]]:
    """Per channel, worst score first: score, median hold, transfers per contact, resolution rate.

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
                contact["metrics"].get("hold_time", 0.0) / (record["time_scale"] or 1)
            )
            counted = journeys.setdefault(contact["channel"], [])
            if not counted or counted[-1] is not record:  # once per channel, however many contacts
                counted.append(record)
    tiles = []
    for channel in sorted(contacts):
        holds = real_holds[channel]
        transfers = sum(contact["metrics"].get("transfers", 0) for contact in contacts[channel])
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
                "band": band(summary.mean if summary else None),
                "journeys": len(journeys[channel]),
                "median_hold": statistics.median(holds),
                "transfers_per_contact": transfers / len(contacts[channel]),
                "resolution_rate": sum(1 for outcome in outcomes if outcome) / len(outcomes),
            }
        )
    return sorted(tiles, key=lambda tile: (tile["score"] is None, tile["score"] or 0.0, tile["channel"]))


def _with_trends(tile: dict[str, Any], trends: RunTrends | None) -> dict[str, Any]:
    """A channel tile with its sparklines and its change since the previous run, when known."""
    if trends is None:
        return {**tile, "score_spark": None, "hold_spark": None, "score_change": None}
    scores = trends.channel_scores.get(tile["channel"], ())
    holds = trends.channel_holds.get(tile["channel"], ())
    return {
        **tile,
        "score_spark": sparkline(scores, f"{tile['channel']} score", _span(scores), ceiling=100.0),
        "hold_spark": sparkline(holds, f"{tile['channel']} mean hold (s)", _span(holds)),
        "score_change": change(scores, trends.run, "higher"),
    }


def _span(points: Sequence[Any]) -> str:
    """First and last values of a sparkline, for its tooltip."""
    return f"{points[0].value:.1f} → {points[-1].value:.1f} (this run)" if points else ""


def _journey_row(record: dict[str, Any], card: Scorecard | None, inline: bool) -> dict[str, Any]:
    """A journey in the summary's list: its score, failed critical items, link, and transcript if inline."""
    breakage = record.get("breakage")
    critical = [key.rsplit(".", 1)[-1].replace("_", " ") for key in card.critical_failures] if card else []
    return {
        **record,
        "score": card.score if card else None,
        "band": band(card.score if card else None),
        "outcome": outcome_words(record) if record["status"] in ("passed", "findings") else None,
        "unscored_reason": card.unscored_reason if card else None,
        "critical": critical,
        "why": [f"critical item failed: {item}" for item in critical]
        + [finding["expectation"] for finding in record["findings"]],
        "references": references(record),
        "page": f"journeys/{page_name(str(record['journey_id']))}",
        "screenshot": run_link(breakage.get("screenshot")) if breakage else None,
        "contact_views": (
            [{**contact, "rows": contact_rows(contact)} for contact in record["contacts"]] if inline else []
        ),
    }


def _worst_first(row: dict[str, Any]) -> tuple[int, bool, float, str, int]:
    """Broken first (the run could not judge them), then findings, then by score, lowest first."""
    score = row["score"]
    return (STATUS_ORDER.index(row["status"]), score is None, score or 0.0, row["feature"], row["line"])


def run_overview(
    run_name: str,
    records: list[dict[str, Any]],
    scorecards: Sequence[Scorecard] = (),
    scores: Aggregate | None = None,
    regressions: Sequence[str] = (),
    history: str | None = None,
    trends: RunTrends | None = None,
) -> dict[str, Any]:
    """What the summary, the Markdown summary and the export say about a run, computed once."""
    by_journey = {card.journey_id: card for card in scorecards}
    inline = len(records) <= INLINE_TIMELINES_UP_TO
    rows = sorted(
        (_journey_row(record, by_journey.get(record["journey_id"]), inline) for record in records),
        key=_worst_first,
    )
    score = scores.run.mean if scores else None
    run_points = trends.run_score if trends else ()
    lost_points = [row for row in rows if row["score"] is not None and row["score"] < 100]
    scored = sorted(lost_points, key=lambda row: row["score"])
    return {
        "run_name": run_name,
        "summary": summarise(records),
        "score": score,
        "band": band(score),
        "rubric": scorecards[0].rubric if scorecards else None,
        "score_spark": sparkline(run_points, "run score", _span(run_points), ceiling=100.0),
        "score_change": change(run_points, trends.run, "higher") if trends else None,
        "previous_score": previous_value(run_points, trends.run) if trends else None,
        "tiles": [_with_trends(tile, trends) for tile in channel_tiles(records, scores)],
        "regressions": list(regressions),
        "history": history,
        "other_series": [
            {**vars(other), "band": band(other.score)} for other in (trends.other_series if trends else ())
        ],
        "journeys": rows,
        "inline_timelines": inline,
        "worst": scored[:WORST_SHOWN],
        "not_carried_out": [row for row in rows if row["status"] in ("broken", "interrupted")][:WORST_SHOWN],
    }


def render_run_report(
    run_dir: Path,
    records: list[dict[str, Any]],
    scorecards: Sequence[Scorecard] = (),
    scores: Aggregate | None = None,
    regressions: Sequence[str] = (),
    history: str | None = None,
    *,
    trends: RunTrends | None = None,
) -> Path:
    """Write the report, a page per journey, ``summary.md`` and ``export.json``; return the report's path.

    Args:
        run_dir: the run folder (its name is the run's name).
        records: the run's journey records.
        scorecards: their scorecards, matched by ``journey_id``.
        scores: the run's aggregate scores.
        regressions: what got worse against earlier runs, one sentence each.
        history: one line on the history compared against (None: no history).
        trends: the series' earlier runs, for sparklines and the change since the previous run.
    """
    overview = run_overview(run_dir.name, records, scorecards, scores, regressions, history, trends)
    templates = environment()
    html = templates.get_template("run.html.j2").render(overview)
    target = run_dir / REPORT_NAME
    target.write_text(html, encoding="utf-8")
    by_journey: Mapping[str, Scorecard] = {card.journey_id: card for card in scorecards}
    JourneyPages(templates, run_dir, run_dir.name).write_all(records, by_journey)
    write_markdown(run_dir, overview)
    write_export(run_dir, overview, records, scorecards, scores)
    return target
