"""Run history: every run's journeys in one SQLite file, for trends and regressions.

A run folder holds what one night measured; the history holds every night, so a
report can draw a sparkline and say "hold time on phone up 40% since the previous
run (62 s -> 87 s)". ::

    with History.open(default_history_path(Path("results"))) as history:
        history.record_run(run_dir, scores={"test-cancel-...": 82.5})
        history.trend(Metric.HOLD_TIME, ByChannel("phone"), last=30)
        for regression in history.regressions():
            print(regression.sentence)

Where it lives: ``$MYSTERY_SHOPPER_HISTORY`` if set, else ``<results dir>/history.sqlite3``
(:func:`default_history_path`), so CI can keep the file between nights. This module is the
public face; the schema, its migrations and how several processes share the file are in
:mod:`journeys.history.store`, the mapping from records to rows in
:mod:`journeys.history.ingest`, the queries in :mod:`journeys.history.queries`, and the
metrics and the regression rule in :mod:`journeys.history.rules`.

Ingest is idempotent: a run is keyed by its name (by default its folder's name) and a
journey by its ``journey_id`` within the run, so recording a run again replaces its
journeys instead of adding them, and CI shards of one run recording their own journeys
under the same name merge into one run. A score (0 to 100, or None when not scored) is
stored when given and kept when a later ingest gives none; :meth:`History.record_scores`
adds scores computed after the run was recorded.

Series: runs compare only with runs of the same company, service profile and time scale
(a sandbox run at 1/200 of real time says nothing about the real company's phone line).

What a value is:

- per journey: the journey's own metric (the mean, should one run hold the same scenario twice);
- per channel, for a contact metric (hold time, transfers, escalations, recaptures, IVR depth,
  time to an agent, handle time): the mean over the run's contacts on that channel;
- per channel, for a journey metric (score, first-contact resolution rate, verified resolution
  rate, time to resolution, and the rest below): the mean over the journeys with a contact on
  that channel;
- the honest outcome (resolved, answered honestly, misinformed, unresolved) is kept per journey
  and trended as two rates: *settled* (resolved or honestly answered) and *misinformed*; so are
  policy recitals, conferences (stored, not trended: more can be better or worse), whether the
  customer was asked who they are before why, and whether the company followed up where the
  journey looked. Journeys recorded before a value was kept hold NULL (unknown, left out of
  every mean), never zero; recording their run folder again fills it in;
- setup contacts (placing the order a journey then cancels) and broken or interrupted journeys
  (the harness failed, not the company) never count; unknown values (no agent reached,
  nothing verified, not scored) are left out of the means rather than counted as zero.

Regression rules (:func:`journeys.history.rules.compare`), for each channel and each journey
measured in the judged run (by default the latest):

1. Baselines come from the last ``window`` (default 7) earlier *complete* runs of the series
   (an interrupted run measured only part of a night): the *previous* run is the latest of
   them that measured the value; the *median* is the median of the values they measured,
   used only when at least 3 of them measured it.
2. Worse means higher for hold time, transfers, escalations, recaptures, IVR depth, time to an
   agent, handle time, the misinformed rate, policy recitals and the asked-who-before-why rate;
   lower for the score, the two resolution rates, the settled rate and the follow-up rate. The
   settled and misinformed rates are judged by default with the first ones.
3. A change is a regression when it is worse than a baseline by more than ``threshold`` of it
   (default 20%) AND by at least the metric's absolute floor (``METRICS[m].floor``: 10 s of
   hold, 15 s to an agent, 30 s of handle time, 0.25 transfers or escalations, 0.5 recaptures
   or menu levels, 5 score points, 10 points of a rate), so 0.1 s -> 0.2 s of hold is not "up
   100%". Floors in seconds are real-world seconds, multiplied by the series' time scale.
4. From a baseline of zero any change past the floor is a regression ("up ... (0 s -> 12 s)").
   Each baseline that is breached gives its own :class:`Regression`; channels come first,
   then journeys, the largest relative change first.

Errors: :class:`HistoryError` (a :class:`~journeys.errors.MysteryShopperError`) for bad
input or a damaged file, and its subclass :class:`HistoryVersionError` for a file written by
a newer mystery-shopper.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from journeys.domain.results import RunDirectory
from journeys.history.ingest import check_scores, journey_rows, write_run
from journeys.history.queries import measure, series_condition
from journeys.history.rules import (
    DEFAULT_REGRESSION_METRICS,
    METRICS,
    ByChannel,
    ByJourney,
    Metric,
    Regression,
    RunSeries,
    RunStatus,
    Subject,
    compare,
)
from journeys.history.store import (
    SCHEMA_VERSION,
    HistoryError,
    HistoryVersionError,
    connect,
    write_transaction,
)

__all__ = [
    "DEFAULT_REGRESSION_METRICS",
    "HISTORY_ENVIRONMENT_VARIABLE",
    "METRICS",
    "SCHEMA_VERSION",
    "ByChannel",
    "ByJourney",
    "History",
    "HistoryError",
    "HistoryVersionError",
    "Metric",
    "Regression",
    "RunSeries",
    "RunStatus",
    "RunSummary",
    "TrendPoint",
    "default_history_path",
    "history_location",
]

HISTORY_ENVIRONMENT_VARIABLE = "MYSTERY_SHOPPER_HISTORY"


def default_history_path(results_dir: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the history lives: ``$MYSTERY_SHOPPER_HISTORY``, else ``<results_dir>/history.sqlite3``.

    The variable lets CI keep one file across nights (a cache or artifact path) while
    run folders come and go.
    """
    configured = environ.get(HISTORY_ENVIRONMENT_VARIABLE, "").strip()
    return Path(configured).expanduser() if configured else results_dir / "history.sqlite3"


def history_location(
    chosen: Path | str | None, results_dir: Path, environ: Mapping[str, str] = os.environ
) -> tuple[Path, str]:
    """Where the history is, and how the user gave it, so a message names what to fix.

    Returns:
        The path (``chosen``, else :func:`default_history_path`), and ``--history PATH``,
        ``MYSTERY_SHOPPER_HISTORY=PATH`` or ``the run history PATH``.
    """
    if chosen:
        return Path(chosen), f"--history {chosen}"
    configured = environ.get(HISTORY_ENVIRONMENT_VARIABLE, "").strip()
    path = default_history_path(results_dir, environ)
    return path, f"{HISTORY_ENVIRONMENT_VARIABLE}={configured}" if configured else f"the run history {path}"


@dataclass(frozen=True)
class RunSummary:
    """One run as the history knows it."""

    name: str
    company: str
    profile: str | None
    time_scale: float
    started_at: float
    ended_at: float
    journeys: int
    passed: int
    findings: int
    broken: int
    interrupted: int
    status: RunStatus = "complete"

    @property
    def series(self) -> RunSeries:
        return RunSeries(self.company, self.profile, self.time_scale)


class TrendPoint(NamedTuple):
    """One run's value of a metric: a point of a sparkline."""

    run: str
    started_at: float
    value: float


_RUN_COLUMNS = (
    "id, name, company, profile, time_scale, started_at, ended_at, journeys, passed, findings, broken, "
    "interrupted, status"
)


DURATION_RUNS = 3
"""Runs of a series whose journeys' times say how long each is expected to take."""


class History:
    """The run history in one SQLite file; open it with :meth:`open`, close it (or use ``with``)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> History:
        """Open the history at ``path``, creating it or upgrading its schema as needed.

        Raises:
            HistoryVersionError: the file comes from a newer mystery-shopper.
            HistoryError: the file is not a history database, or stayed locked.
        """
        path = Path(path)
        return cls(connect(path), path)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> History:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # -- ingest ----------------------------------------------------------------------------

    def record_run(
        self,
        run_dir: Path | Iterable[Mapping[str, Any]],
        name: str | None = None,
        scores: Mapping[str, float | None] | None = None,
        status: RunStatus = "complete",
    ) -> RunSummary:
        """Record a run's journeys; recording the same run again replaces them, never duplicates.

        Args:
            run_dir: a run folder (its ``journeys/*.json``), or the journey records themselves.
            name: the run's key in the history; defaults to the folder's name, and is required
                with records. Shards of one run that share a name merge into one run.
            scores: a score (0 to 100, or None for "not scored") per ``journey_id``; a journey
                left out keeps the score it already has.
            status: ``interrupted`` for a run that was cut short; a run with an interrupted
                journey is recorded as interrupted whatever this says.

        Raises:
            HistoryError: no records, no name, a record that is not a journey record, a score
                out of range, or journeys of another company, profile or time scale than the run's.
        """
        records: Iterable[Mapping[str, Any]]
        if isinstance(run_dir, Path):
            records, folder, where = RunDirectory(run_dir).records(), str(run_dir.resolve()), str(run_dir)
            name = name or run_dir.name
        else:
            records, folder, where = run_dir, None, f"run {name}"
        if not name:
            raise HistoryError("record_run: a run given as records needs a name")
        scores = dict(scores or {})
        # One record at a time: a 10,000-journey run never sits in memory as parsed JSON.
        rows = [journey_rows(name, record, scores) for record in records]
        if not rows:
            raise HistoryError(f"{where}: no journey records to record (expected journeys/*.json)")
        check_scores(name, scores, {row.journey["journey_id"] for row in rows})
        write_run(self._connection, name, folder, rows, status)
        return self.run(name)

    def record_scores(self, run: str, scores: Mapping[str, float | None]) -> None:
        """Store scores computed after the run was recorded (None clears one)."""
        with write_transaction(self._connection):
            run_id = self._run_id(run)
            known = {
                row[0] for row in self._execute("SELECT journey_id FROM journeys WHERE run_id = ?", (run_id,))
            }
            check_scores(run, scores, known)
            self._connection.executemany(
                "UPDATE journeys SET score = ? WHERE run_id = ? AND journey_id = ?",
                [(score, run_id, journey_id) for journey_id, score in scores.items()],
            )

    # -- reading ---------------------------------------------------------------------------

    def has_run(self, name: str) -> bool:
        """Whether a run of that name is recorded."""
        return self._execute("SELECT 1 FROM runs WHERE name = ?", (name,)).fetchone() is not None

    def run(self, name: str) -> RunSummary:
        """The run recorded under ``name``.

        Raises:
            HistoryError: no such run.
        """
        found = self._find_run(name)
        assert found is not None  # an unknown name raised
        return found[1]

    def folder(self, name: str) -> Path | None:
        """The folder the run named ``name`` was recorded from (None: recorded from its records).

        Raises:
            HistoryError: no such run.
        """
        run_id = self._run_id(name)
        row = self._execute("SELECT folder FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row[0] is None else Path(row[0])

    def runs(self, last: int | None = None, series: RunSeries | None = None) -> list[RunSummary]:
        """The recorded runs, oldest first: all of them, or the last ``last`` (of one series)."""
        where, params = series_condition(series)
        rows = self._execute(
            f"SELECT {_RUN_COLUMNS} FROM runs r WHERE {where} ORDER BY started_at DESC, id DESC LIMIT ?",
            (*params, -1 if last is None else last),
        ).fetchall()
        return [RunSummary(*row[1:]) for row in reversed(rows)]

    def last_durations(self, series: RunSeries, runs: int = DURATION_RUNS) -> dict[str, float]:
        """Seconds each journey took at most in the latest ``runs`` runs of ``series`` that
        carried it out (it passed or had findings: a broken journey's time is where it
        stopped), by journey id. The longest, not the latest: a call one run cut short (no
        menu option fitted, 14 s) was started last by the next, and ran on alone for 3 minutes."""
        where, params = series_condition(series)
        rows = self._execute(
            "SELECT j.journey_id, j.duration FROM journeys j JOIN runs r ON r.id = j.run_id"
            f" WHERE {where} AND j.status IN ('passed', 'findings') ORDER BY r.started_at DESC, r.id DESC",
            params,
        ).fetchall()
        recent: dict[str, list[float]] = {}
        for journey_id, duration in rows:
            kept = recent.setdefault(journey_id, [])
            if len(kept) < runs:
                kept.append(duration)
        return {journey_id: max(durations) for journey_id, durations in recent.items()}

    def trend(
        self,
        metric: Metric,
        subject: Subject,
        *,
        last: int = 30,
        until: str | None = None,
        series: RunSeries | None = None,
    ) -> list[TrendPoint]:
        """A metric of one channel or journey over the last ``last`` runs that measured it, oldest first.

        Args:
            metric: what to follow.
            subject: ``ByChannel("phone")`` or ``ByJourney(feature, name)``.
            last: how many points at most (a sparkline's width).
            until: the newest run to include (default: the latest).
            series: which runs (default: the series of ``until``, or of the latest run).
        """
        anchor = self._find_run(until)
        if anchor is None:
            return []
        where, params = series_condition(series or anchor[1].series)
        where += " AND (r.started_at, r.id) <= (?, ?)"
        params += (anchor[1].started_at, anchor[0])
        measured = measure(self._connection, (metric,), subject, where, params)
        points = sorted(measured.get((subject, metric), []))[-last:] if last > 0 else []
        return [TrendPoint(run, started_at, value) for started_at, _, run, value in points]

    def run_trend(
        self,
        metric: Metric,
        *,
        last: int = 30,
        until: str | None = None,
        series: RunSeries | None = None,
    ) -> list[TrendPoint]:
        """The mean over each run's journeys of a metric (a run's score), oldest first.

        Same arguments as :meth:`trend`, for the whole run instead of one subject.
        """
        anchor = self._find_run(until)
        if anchor is None or last <= 0:
            return []
        where, params = series_condition(series or anchor[1].series)
        where += " AND (r.started_at, r.id) <= (?, ?)"
        params += (anchor[1].started_at, anchor[0])
        per_run: dict[tuple[float, int, str], list[float]] = {}
        for points in measure(self._connection, (metric,), "journeys", where, params).values():
            for started_at, run_id, run, value in points:
                per_run.setdefault((started_at, run_id, run), []).append(value)
        return [
            TrendPoint(run, started_at, statistics.fmean(values))
            for (started_at, _, run), values in sorted(per_run.items())[-last:]
        ]

    def regressions(
        self,
        run: str | None = None,
        *,
        window: int = 7,
        threshold: float = 0.2,
        metrics: Sequence[Metric] = DEFAULT_REGRESSION_METRICS,
        floors: Mapping[Metric, float] | None = None,
    ) -> list[Regression]:
        """What got worse in ``run`` (default: the latest) per channel and per journey.

        Args:
            run: the run to judge.
            window: how many earlier runs of its series give the median (and the previous run).
            threshold: the relative change that counts (0.2 for 20%).
            metrics: which metrics to judge.
            floors: absolute floors to use instead of ``METRICS[metric].floor`` (unscaled).
        """
        anchor = self._find_run(run)
        if anchor is None:
            return []
        run_id, summary = anchor
        series = summary.series
        where, params = series_condition(series)
        earlier = self._execute(  # an interrupted run is no baseline: it measured less than a night
            f"""SELECT id FROM runs r WHERE {where} AND (started_at, id) < (?, ?) AND status = 'complete'
                ORDER BY started_at DESC, id DESC LIMIT ?""",
            (*params, summary.started_at, run_id, window),
        ).fetchall()
        run_ids = [run_id] + [row[0] for row in earlier]
        in_runs = f"r.id IN ({', '.join('?' * len(run_ids))})"
        found: list[Regression] = []
        for every in ("channels", "journeys"):
            measured = measure(self._connection, metrics, every, in_runs, tuple(run_ids))
            for (subject, metric), points in measured.items():
                points.sort()
                *before, (_, last_id, _, value) = points
                if last_id != run_id:
                    continue
                spec = METRICS[metric]
                floor = (floors or {}).get(metric, spec.floor)
                floor *= series.time_scale if spec.unit == "seconds" else 1.0
                earlier_values = [(name, earlier_value) for _, _, name, earlier_value in before]
                found += compare(
                    metric, subject, summary.name, value, earlier_values, threshold=threshold, floor=floor
                )
        return sorted(found, key=_worst_first)

    # -- helpers ---------------------------------------------------------------------------

    def _find_run(self, name: str | None) -> tuple[int, RunSummary] | None:
        """The run named ``name`` (None if unknown), or the latest run when ``name`` is None.

        Raises:
            HistoryError: ``name`` is given but unknown.
        """
        if name is None:
            latest = f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY started_at DESC, id DESC LIMIT 1"
            row = self._execute(latest).fetchone()
        else:
            row = self._execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE name = ?", (name,)).fetchone()
        if row is None and name is not None:
            raise HistoryError(f"{self.path}: no run named {name!r} in the history")
        return None if row is None else (row[0], RunSummary(*row[1:]))

    def _run_id(self, name: str) -> int:
        row = self._execute("SELECT id FROM runs WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise HistoryError(f"{self.path}: no run named {name!r} in the history")
        run_id: int = row[0]
        return run_id

    def _execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        return self._connection.execute(sql, params)


def _worst_first(regression: Regression) -> tuple[bool, float, int, str, str]:
    """Channels before journeys, then the largest relative change; ties in a stable, readable order."""
    return (
        isinstance(regression.subject, ByJourney),
        -abs(regression.change),
        list(Metric).index(regression.metric),
        regression.subject.phrase,
        regression.baseline,
    )
