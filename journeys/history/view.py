"""The run history as a table for a terminal: ``mystery-shopper history``.

After ``make demo`` runs the demo company under two service profiles, or after a week
of nights, this is the one-glance answer to "how did each run go": every run, newest
last, with its series, its score, what became of its journeys, what its customers ended up
with (``settled``: the share resolved or honestly answered; ``misinformed``: told something a
check showed false; ``–`` for runs recorded before outcomes were kept), and whether it ran to
its end (``complete``) or was cut short (``interrupted``).
"""

from __future__ import annotations

import datetime as dt

from journeys.history.runs import History, Metric, RunSummary


def runs_table(history: History, last: int = 20) -> str:
    """The last runs, oldest first, one line each under a header."""
    runs = history.runs(last=last)
    if not runs:
        return "no runs recorded yet"
    header = (
        "run",
        "started (UTC)",
        "profile",
        "speed",
        "score",
        "journeys",
        "passed",
        "findings",
        "broken",
        "settled",
        "misinformed",
    )
    rows: list[tuple[str, ...]] = [(*header, "status")]
    rows += [_row(history, run) for run in runs]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    numeric = {4, 5, 6, 7, 8, 9, 10}
    lines = [
        "  ".join(
            cell.rjust(width) if column in numeric else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    return "\n".join(lines)


def _of_run(history: History, run: RunSummary, metric: Metric) -> float | None:
    """The mean over the run's journeys of ``metric``, or None when it measured none."""
    points = history.run_trend(metric, last=1, until=run.name, series=run.series)
    return points[-1].value if points and points[-1].run == run.name else None


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _row(history: History, run: RunSummary) -> tuple[str, ...]:
    score = _of_run(history, run, Metric.SCORE)
    shown = "–" if score is None else f"{score:.1f}"
    started = dt.datetime.fromtimestamp(run.started_at, tz=dt.UTC).strftime("%Y-%m-%d %H:%M")
    speed = "real time" if run.time_scale == 1 else f"{1 / run.time_scale:g}x"
    return (
        run.name,
        started,
        run.profile or "–",
        speed,
        shown,
        str(run.journeys),
        str(run.passed),
        str(run.findings),
        str(run.broken),
        _percent(_of_run(history, run, Metric.SETTLED)),
        _percent(_of_run(history, run, Metric.MISINFORMED)),
        run.status,  # an interrupted run's journeys are fewer: its score is no night's
    )
