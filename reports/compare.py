"""Two runs side by side: what changed per channel and per journey, the biggest changes first.

``mystery-shopper compare RUN_A RUN_B`` answers "what is different since that night?"
for any two runs, not only a run and its series' previous one as the report does: the
run's score, each channel's score, holds and transfers, and each journey's score,
outcome, holds, transfers and findings new and gone. The Markdown is for a terminal or a
CI page; the HTML page is styled as the report is.

Rules:

- A run is a run folder (``journeys/*.json``) or a run's name in the history, read from
  the folder the history recorded it from (:func:`load_run`).
- Journeys are matched by ``journey_id``, then, for those left, by their scenario (feature
  file and name, as the history follows a journey run after run), so a scenario whose line
  moved is still the same journey. A journey left over is only in one run.
- Holds are at the company's real pace: each record's hold is divided by its
  ``time_scale``, as the report's tiles do, so a demo run at 1/500 and a real night compare.
- A journey changed when its status or outcome changed, a finding came or went, its score
  moved, its transfers changed, or its hold moved by at least the history's floor for hold
  time (:data:`journeys.history.rules.METRICS`): smaller moves are noise.
- Biggest first: points of score, plus 25 for a changed status or outcome, 10 per finding
  that came or went, 10 per minute of hold and 5 per transfer (:attr:`JourneyComparison.size`).

Errors: :class:`CompareError` (a :class:`~journeys.errors.MysteryShopperError`), one line
naming the argument and how to give a run; a damaged record is a
:class:`~reports.merge.MergeError`.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment

from journeys.domain.results import RunDirectory
from journeys.errors import MysteryShopperError
from journeys.history.rules import METRICS, Metric, format_value
from journeys.history.runs import History
from journeys.history.store import refuse_unusable
from journeys.scoring.rubric import Rubric
from journeys.scoring.scorecard import aggregate, record_outcome, score_journey
from reports.formatting import OUTCOME_WORDS, STATUS_ORDER, environment, points, seconds
from reports.markdown import markdown_environment
from reports.merge import records_of

RUN_FOLDER_HOLDS = "a run folder holds journeys/*.json, one record per journey (e.g. results/<run>)"
MARKDOWN_JOURNEYS = 15
"""Changed journeys the Markdown lists; the HTML page lists them all."""

Unit = Literal["points", "seconds", "count"]
Record = Mapping[str, Any]


class CompareError(MysteryShopperError):
    """A run to compare is neither a run folder nor a run of the history, or its folder is gone."""


@dataclass(frozen=True)
class ComparedRun:
    """One side of the comparison: the run's name, where it was read, its journey records."""

    name: str
    folder: Path
    records: tuple[Record, ...]


def load_run(argument: str, history_path: Path, named: str) -> ComparedRun:
    """The run an argument names: a run folder, else a run recorded in the history.

    Args:
        argument: a folder (``results/nightly``) or a run's name as ``mystery-shopper history`` lists it.
        history_path: the run history to look names up in.
        named: how the history was given, for messages (``--history PATH``).

    Raises:
        CompareError: the folder is not a run folder, the name is in no history, or the
            folder the history recorded the run from is gone.
    """
    path = Path(argument)
    if path.is_dir():
        return _from_folder(path, argument, path.name)
    if path.exists():
        raise CompareError(f"{argument}: is a file, not a run folder; {RUN_FOLDER_HOLDS}")
    if "/" in argument or "\\" in argument:
        raise CompareError(f"{argument}: no such run folder; {RUN_FOLDER_HOLDS}")
    refuse_unusable(history_path, named, writing=False)
    if not history_path.is_file():
        raise CompareError(
            f"{argument}: no such run folder, and no run history to find a run of that name in ({named}); "
            f"give a run folder ({RUN_FOLDER_HOLDS})"
        )
    with History.open(history_path) as history:
        if not history.has_run(argument):
            raise CompareError(
                f"{argument}: no such run folder, nor a run of that name in {named}; "
                "list the recorded runs with: mystery-shopper history"
            )
        folder = history.folder(argument)
    if folder is None or not folder.is_dir():
        raise CompareError(
            f"run {argument} of {named} was recorded from {folder or 'its records'}, which is not there any "
            "more; give its run folder instead"
        )
    return _from_folder(folder, argument, argument)


def _from_folder(folder: Path, argument: str, name: str) -> ComparedRun:
    if not any(RunDirectory(folder).journeys_dir.glob("*.json")):
        raise CompareError(f"{argument}: not a run folder, it has no journey records; {RUN_FOLDER_HOLDS}")
    return ComparedRun(name, folder, tuple(item.record for item in records_of(folder)))


@dataclass(frozen=True)
class Change:
    """One value in both runs (None: not measured there), and which way hurts the customer."""

    before: float | None
    after: float | None
    unit: Unit
    worse: Literal["higher", "lower"]

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def verdict(self) -> Literal["better", "worse", "same"]:
        """Better or worse for the customer; ``same`` when equal or not measured on one side."""
        if self.delta is None or abs(self.delta) < 0.05:
            return "same"
        return "worse" if (self.delta > 0) == (self.worse == "higher") else "better"


@dataclass(frozen=True)
class Finding:
    """A finding as the comparison shows it: the expectation not met, and what was observed."""

    expectation: str
    observed: str


@dataclass(frozen=True)
class JourneyComparison:
    """One journey in both runs (named as in the later run)."""

    name: str
    feature: str
    line: int
    result: tuple[str, str]
    score: Change
    hold: Change
    transfers: Change
    new_findings: tuple[Finding, ...]
    gone_findings: tuple[Finding, ...]

    @property
    def changed(self) -> bool:
        hold_delta = self.hold.delta
        return (
            self.result[0] != self.result[1]
            or bool(self.new_findings or self.gone_findings)
            or self.score.before != self.score.after
            or self.transfers.before != self.transfers.after
            or (hold_delta is not None and abs(hold_delta) >= METRICS[Metric.HOLD_TIME].floor)
        )

    @property
    def size(self) -> float:
        """How big the change is, to list the biggest first (see the module docstring)."""
        if self.score.delta is not None:
            score_points = abs(self.score.delta)
        else:  # scored in one run only: it became (or stopped being) broken
            score_points = self.score.before or self.score.after or 0.0
        return (
            score_points
            + (25.0 if self.result[0] != self.result[1] else 0.0)
            + 10.0 * (len(self.new_findings) + len(self.gone_findings))
            + abs(self.hold.delta or 0.0) / 6.0
            + 5.0 * abs(self.transfers.delta or 0.0)
        )


@dataclass(frozen=True)
class LoneJourney:
    """A journey only one run has."""

    name: str
    feature: str
    line: int
    result: str
    score: float | None


@dataclass(frozen=True)
class ChannelComparison:
    """One channel in both runs: the score of the journeys that used it, its contacts' holds and transfers."""

    channel: str
    score: Change
    hold: Change
    transfers: Change
    journeys: tuple[int, int]


@dataclass(frozen=True)
class RunComparison:
    """Everything ``mystery-shopper compare`` says, computed once for the Markdown and the page."""

    before: ComparedRun
    after: ComparedRun
    rubric: str
    score: Change
    statuses: tuple[tuple[str, int, int], ...]
    speedups: tuple[str, str]
    channels: tuple[ChannelComparison, ...]
    journeys: tuple[JourneyComparison, ...]
    unchanged: int
    only_before: tuple[LoneJourney, ...]
    only_after: tuple[LoneJourney, ...]

    @property
    def markdown_journeys(self) -> tuple[JourneyComparison, ...]:
        return self.journeys[:MARKDOWN_JOURNEYS]


def _real_hold(hold: float, record: Record) -> float:
    """A hold at the company's real pace (a demo run at 1/500 waited 1/500 of it)."""
    return hold / (record.get("time_scale") or 1.0)


def _result(record: Record) -> str:
    """The status, and the outcome where the record measured one (``findings, unresolved``)."""
    if record["status"] in ("passed", "findings") and "outcome" in record["metrics"]:
        return f"{record['status']}, {OUTCOME_WORDS[record_outcome(record)]}"
    return str(record["status"])


def _findings(record: Record) -> dict[str, Finding]:
    """The record's findings by expectation: what an agent said varies, the expectation does not."""
    return {
        str(item["expectation"]): Finding(str(item["expectation"]), str(item.get("observed", "")))
        for item in record["findings"]
    }


def _match(
    before: Sequence[Record], after: Sequence[Record]
) -> tuple[list[tuple[Record, Record]], list[Record], list[Record]]:
    """Pairs by ``journey_id``, then by scenario (feature and name); what is left on each side."""
    by_id = {record["journey_id"]: record for record in after}
    pairs: list[tuple[Record, Record]] = []
    unmatched: list[Record] = []
    for record in before:
        partner = by_id.pop(record["journey_id"], None)
        if partner is None:
            unmatched.append(record)
        else:
            pairs.append((record, partner))
    by_scenario: dict[tuple[str, str], list[Record]] = {}
    for record in by_id.values():
        by_scenario.setdefault((record["feature"], record["name"]), []).append(record)
    only_before = []
    for record in unmatched:
        candidates = by_scenario.get((record["feature"], record["name"]))
        if candidates:
            pairs.append((record, candidates.pop(0)))
        else:
            only_before.append(record)
    only_after = [record for records in by_scenario.values() for record in records]
    return pairs, only_before, only_after


def _journey(before: Record, after: Record, scores: Mapping[int, float | None]) -> JourneyComparison:
    old, new = _findings(before), _findings(after)
    return JourneyComparison(
        name=after["name"],
        feature=after["feature"],
        line=after["line"],
        result=(_result(before), _result(after)),
        score=Change(scores[id(before)], scores[id(after)], "points", "lower"),
        hold=Change(
            _real_hold(before["metrics"]["hold_time"], before),
            _real_hold(after["metrics"]["hold_time"], after),
            "seconds",
            "higher",
        ),
        transfers=Change(before["metrics"]["transfers"], after["metrics"]["transfers"], "count", "higher"),
        new_findings=tuple(finding for key, finding in new.items() if key not in old),
        gone_findings=tuple(finding for key, finding in old.items() if key not in new),
    )


def _lone(record: Record, scores: Mapping[int, float | None]) -> LoneJourney:
    return LoneJourney(record["name"], record["feature"], record["line"], _result(record), scores[id(record)])


@dataclass(frozen=True)
class _ChannelValues:
    score: float | None
    hold: float
    transfers: float
    journeys: int


def _channels(records: Sequence[Record], rubric: Rubric) -> dict[str, _ChannelValues]:
    """Per channel: the mean score of the journeys that used it, and per (non-setup) contact the
    mean real hold and transfers, as the history measures a channel."""
    cards = [score_journey(record, rubric) for record in records]
    by_channel = aggregate(zip(cards, records, strict=True)).by_channel
    holds: dict[str, list[float]] = {}
    transfers: dict[str, list[float]] = {}
    journeys: dict[str, set[int]] = {}
    for record in records:
        for contact in record["contacts"]:
            if contact["setup"]:
                continue
            channel, metrics = contact["channel"], contact["metrics"]
            holds.setdefault(channel, []).append(_real_hold(metrics.get("hold_time", 0.0), record))
            transfers.setdefault(channel, []).append(metrics.get("transfers", 0))
            journeys.setdefault(channel, set()).add(id(record))
    return {
        channel: _ChannelValues(
            by_channel[channel].mean if channel in by_channel else None,
            statistics.fmean(holds[channel]),
            statistics.fmean(transfers[channel]),
            len(journeys[channel]),
        )
        for channel in holds
    }


def _channel_size(channel: ChannelComparison) -> tuple[float, float, float, str]:
    return (
        -abs(channel.score.delta or 0.0),
        -abs(channel.hold.delta or 0.0),
        -abs(channel.transfers.delta or 0.0),
        channel.channel,
    )


def _speedup(records: Sequence[Record]) -> str:
    scales = sorted({record["time_scale"] for record in records})
    speeds = ("in real time" if scale == 1 else f"{1 / scale:g}× faster than real time" for scale in scales)
    return " / ".join(speeds)


def compare_runs(before: ComparedRun, after: ComparedRun, rubric: Rubric) -> RunComparison:
    """What changed from ``before`` to ``after``, scored with one rubric (see the module docstring)."""
    scores: dict[int, float | None] = {}
    for record in (*before.records, *after.records):
        scores[id(record)] = score_journey(record, rubric).score
    pairs, only_before, only_after = _match(before.records, after.records)
    compared = [_journey(old, new, scores) for old, new in pairs]
    changed = sorted(
        (journey for journey in compared if journey.changed),
        key=lambda journey: (-journey.size, journey.feature, journey.line, journey.name),
    )
    old_channels, new_channels = _channels(before.records, rubric), _channels(after.records, rubric)
    absent = _ChannelValues(None, 0.0, 0.0, 0)
    channels = []
    for channel in sorted(old_channels.keys() | new_channels.keys()):
        old, new = old_channels.get(channel), new_channels.get(channel)
        channels.append(
            ChannelComparison(
                channel,
                Change((old or absent).score, (new or absent).score, "points", "lower"),
                Change(old.hold if old else None, new.hold if new else None, "seconds", "higher"),
                Change(old.transfers if old else None, new.transfers if new else None, "count", "higher"),
                ((old or absent).journeys, (new or absent).journeys),
            )
        )
    run_scores = [
        aggregate((score_journey(record, rubric), record) for record in run.records).run.mean
        for run in (before, after)
    ]

    def lone(records: Sequence[Record]) -> tuple[LoneJourney, ...]:
        journeys = (_lone(record, scores) for record in records)
        return tuple(sorted(journeys, key=lambda journey: (journey.feature, journey.line, journey.name)))

    return RunComparison(
        before=before,
        after=after,
        rubric=rubric.name,
        score=Change(run_scores[0], run_scores[1], "points", "lower"),
        statuses=tuple(
            (
                status,
                sum(record["status"] == status for record in before.records),
                sum(record["status"] == status for record in after.records),
            )
            for status in STATUS_ORDER
        ),
        speedups=(_speedup(before.records), _speedup(after.records)),
        channels=tuple(sorted(channels, key=_channel_size)),
        journeys=tuple(changed),
        unchanged=len(compared) - len(changed),
        only_before=lone(only_before),
        only_after=lone(only_after),
    )


# -- rendering -------------------------------------------------------------------------------


def _value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "–"
    if unit == "points":
        return points(value)
    if unit == "seconds":
        return seconds(value)
    return format_value(value, "count")


def compared(change: Change) -> str:
    """``100 → 60 ▼ 40``; one value when both runs agree; ``– → 60`` when one did not measure it.

    Arrows and no signs or brackets, so the text needs no escaping in Markdown.
    """
    before, after = _value(change.before, change.unit), _value(change.after, change.unit)
    if before == after:
        return after
    delta = change.delta
    if delta is None:
        return f"{before} → {after}"
    return f"{before} → {after} {'▲' if delta > 0 else '▼'} {_value(abs(delta), change.unit)}"


def _with_compare_filters(built: Environment) -> Environment:
    built.filters["compared"] = compared
    return built


def render_markdown(comparison: RunComparison) -> str:
    """The comparison in Markdown, for a terminal or ``$GITHUB_STEP_SUMMARY``."""
    template = _with_compare_filters(markdown_environment()).get_template("compare.md.j2")
    return template.render(comparison=comparison, shown=MARKDOWN_JOURNEYS)


def render_html(comparison: RunComparison) -> str:
    """The comparison as a page that opens from disk, styled as the report."""
    template = _with_compare_filters(environment()).get_template("compare.html.j2")
    return template.render(comparison=comparison)


__all__ = [
    "Change",
    "ChannelComparison",
    "CompareError",
    "ComparedRun",
    "JourneyComparison",
    "LoneJourney",
    "RunComparison",
    "compare_runs",
    "load_run",
    "render_html",
    "render_markdown",
]
