"""What earlier runs say about this one: sparklines' points and the change since the previous run.

Read from the run history (:mod:`journeys.history.runs`), only within the run's series
(same company, service profile and time scale), so a run against a bad profile is
never drawn as a drop in a fair profile's line. A report without a history, or of a
run the history does not know, simply has no sparklines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from journeys.domain.timeline import CHANNELS
from journeys.history.runs import ByChannel, History, Metric, RunSummary, TrendPoint

SPARK_RUNS = 30
"""Points on a sparkline: a month of nightly runs."""


@dataclass(frozen=True)
class OtherSeries:
    """The latest run of the same company under another service profile."""

    profile: str | None
    time_scale: float
    run: str
    started_at: float
    score: float | None


@dataclass(frozen=True)
class RunTrends:
    """The run's series over its last runs, oldest first, this run last.

    Attributes:
        run_score: the mean journey score of each run.
        channel_scores: per channel, the mean score of the journeys that used it.
        channel_holds: per channel, the mean hold per contact, in real seconds (at the
            company's real pace, like the hold on the tiles).
        other_series: the same company's latest run under each other service profile, so
            that a run under one profile reads against the others (``make demo``).
    """

    run: str
    run_score: tuple[TrendPoint, ...] = ()
    channel_scores: Mapping[str, tuple[TrendPoint, ...]] = field(default_factory=dict)
    channel_holds: Mapping[str, tuple[TrendPoint, ...]] = field(default_factory=dict)
    other_series: tuple[OtherSeries, ...] = ()


@dataclass(frozen=True)
class HistoryView:
    """What a report says about the history: one sentence, the regressions, the trends."""

    sentence: str
    regressions: tuple[str, ...]
    trends: RunTrends | None


def look_back(history: History, run: str, path: Path | str, last: int = SPARK_RUNS) -> HistoryView:
    """The history's view of ``run``, a run it has recorded.

    Raises:
        HistoryError: the history does not know ``run``.
    """
    summary = history.run(run)
    earlier = len(_series_until(history, summary)) - 1
    sentence = f"{earlier} earlier run{'' if earlier == 1 else 's'} of this series in {path}"
    if summary.status == "interrupted":
        sentence += "; this run is recorded as interrupted, never a baseline for regressions"
    regressions = tuple(str(regression) for regression in history.regressions(run))
    return HistoryView(sentence, regressions, read_trends(history, summary, last))


def look_back_at(path: Path, run: str) -> HistoryView | None:
    """The view of a stored history file, or None when it is missing or does not know the run.

    Used when a report is rendered again: it reads the history, never records in it.

    Raises:
        HistoryError: the file is damaged, not a history, or from a newer mystery-shopper:
            said, rather than a report that silently lacks its trends.
    """
    if not path.is_file():
        return None
    with History.open(path) as history:
        return look_back(history, run, path) if history.has_run(run) else None


def read_trends(history: History, summary: RunSummary, last: int = SPARK_RUNS) -> RunTrends:
    """The sparklines' points of a run: its score, and each channel's score and hold."""
    scale = summary.time_scale or 1.0
    scores: dict[str, tuple[TrendPoint, ...]] = {}
    holds: dict[str, tuple[TrendPoint, ...]] = {}
    for channel in CHANNELS:
        subject = ByChannel(channel)
        score_points = history.trend(Metric.SCORE, subject, last=last, until=summary.name)
        hold_points = history.trend(Metric.HOLD_TIME, subject, last=last, until=summary.name)
        if score_points:
            scores[channel] = tuple(score_points)
        if hold_points:
            holds[channel] = tuple(TrendPoint(run, at, value / scale) for run, at, value in hold_points)
    return RunTrends(
        summary.name, tuple(run_scores(history, summary, last)), scores, holds, other_series(history, summary)
    )


def other_series(history: History, summary: RunSummary) -> tuple[OtherSeries, ...]:
    """The latest run of the run's company under each other service profile, best score first.

    Only runs that started before this one count, so the report reads the same when it is
    rendered again later.

    Runs of one profile at different speeds are different series for trends (waits are
    measured differently); here they are one profile, and its latest run speaks for it.
    """
    latest: dict[str | None, RunSummary] = {}
    for run in history.runs():  # oldest first: the last one seen of a profile is its latest
        same_company = run.company == summary.company and run.profile != summary.profile
        if same_company and run.started_at <= summary.started_at:
            latest[run.profile] = run
    found = []
    for run in latest.values():
        points = history.run_trend(Metric.SCORE, last=1, until=run.name, series=run.series)
        score = points[-1].value if points and points[-1].run == run.name else None
        found.append(OtherSeries(run.profile, run.time_scale, run.name, run.started_at, score))
    return tuple(sorted(found, key=lambda other: (other.score is None, -(other.score or 0.0), other.run)))


def _series_until(history: History, summary: RunSummary) -> list[RunSummary]:
    """The runs of the run's series up to and including it, oldest first."""
    runs = history.runs(series=summary.series)
    names = [run.name for run in runs]
    return runs[: names.index(summary.name) + 1] if summary.name in names else runs


def run_scores(history: History, summary: RunSummary, last: int = SPARK_RUNS) -> list[TrendPoint]:
    """The mean journey score of each of the series' last runs up to ``summary``'s."""
    return history.run_trend(Metric.SCORE, last=last, until=summary.name, series=summary.series)


Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Sparkline:
    """A small line of a value over runs, in its own box (``width`` x ``height``)."""

    width: float
    height: float
    points: str
    last_x: float
    last_y: float
    title: str


@dataclass(frozen=True)
class Change:
    """This run against the previous run of its series: ``text`` such as ``+4.5``, and whether it hurt."""

    text: str
    verdict: Literal["better", "worse", "same"]


def sparkline(
    points: Sequence[TrendPoint],
    what: str,
    shown: str,
    *,
    ceiling: float | None = None,
    width: float = 120.0,
    height: float = 28.0,
) -> Sparkline | None:
    """The line of ``points`` from zero up to ``ceiling`` (default: their largest value).

    Fewer than two points are no trend: None.
    """
    if len(points) < 2:
        return None
    values = [point.value for point in points]
    top = max(ceiling if ceiling is not None else 0.0, *values) or 1.0
    step = (width - 4) / (len(values) - 1)
    coordinates = [
        (2 + index * step, height - 2 - (height - 4) * value / top) for index, value in enumerate(values)
    ]
    title = f"{what} over the last {len(values)} runs of this series: {shown}"
    return Sparkline(
        width,
        height,
        " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates),
        coordinates[-1][0],
        coordinates[-1][1],
        title,
    )


def previous_value(points: Sequence[TrendPoint], run: str) -> float | None:
    """The value of the run before ``run`` in its series, when ``run`` is the line's last point."""
    return points[-2].value if len(points) >= 2 and points[-1].run == run else None


def change(points: Sequence[TrendPoint], run: str, better: Better, unit: str = "") -> Change | None:
    """How this run's value differs from the previous run's; None without both."""
    previous = previous_value(points, run)
    if previous is None:
        return None
    difference = points[-1].value - previous
    if round(difference, 1) == 0:
        return Change("same as previous run", "same")
    improved = (difference > 0) == (better == "higher")
    sign = "+" if difference > 0 else "−"
    return Change(f"{sign}{abs(difference):.1f}{unit} since previous run", "better" if improved else "worse")
