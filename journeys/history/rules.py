"""What the run history can trend, and the one rule that calls a change a regression.

The rules themselves are written out for readers in :mod:`journeys.history.runs`;
this module holds them as code: the metrics with their direction and absolute
floor (:data:`METRICS`), the subjects a metric is measured for (a channel or a
journey), and :func:`compare`, which turns a value and its earlier values into
:class:`Regression` objects that say themselves in one sentence.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from journeys.domain.timeline import Channel

MIN_MEDIAN_RUNS = 3
"""Fewer earlier values than this make a median no steadier than the previous run: skip it."""


class Metric(StrEnum):
    """A metric the history keeps per journey and per channel (values name the metric, not a column)."""

    HOLD_TIME = "hold_time"
    TRANSFERS = "transfers"
    ESCALATIONS = "escalations"
    RECAPTURES = "recaptures"
    IVR_DEPTH = "ivr_depth"
    TIME_TO_AGENT = "time_to_agent"
    HANDLE_TIME = "handle_time"
    TIME_TO_RESOLUTION = "time_to_resolution"
    DURATION = "duration"
    SCORE = "score"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution"
    VERIFIED_RESOLUTION = "verified_resolution"
    SETTLED = "settled"
    MISINFORMED = "misinformed"
    POLICY_RECITALS = "policy_recitals"
    IDENTIFIED_BEFORE_HEARD = "identified_before_heard"
    FOLLOWED_UP = "followed_up"


Unit = Literal["seconds", "count", "rate", "points"]


@dataclass(frozen=True)
class MetricSpec:
    """How a metric is stored, which way is worse, and how small a change is noise.

    Attributes:
        label: the metric in a sentence ("hold time").
        column: its column in ``journeys`` (and in ``contacts`` when ``per_contact``).
        per_contact: measured on each contact, so a channel's value is the mean over its
            contacts; otherwise a journey's, so a channel's value is the mean over the
            journeys that had a (non-setup) contact on it.
        worse: which direction hurts the customer.
        floor: the smallest change that counts, in the metric's unit (seconds are
            real-world seconds, scaled by the run's time scale).
        unit: how values print.
    """

    label: str
    column: str
    per_contact: bool
    worse: Literal["higher", "lower"]
    floor: float
    unit: Unit


METRICS: dict[Metric, MetricSpec] = {
    Metric.HOLD_TIME: MetricSpec("hold time", "hold_time", True, "higher", 10.0, "seconds"),
    Metric.TRANSFERS: MetricSpec("transfers", "transfers", True, "higher", 0.25, "count"),
    Metric.ESCALATIONS: MetricSpec("escalations", "escalations", True, "higher", 0.25, "count"),
    Metric.RECAPTURES: MetricSpec("recaptures", "recaptures", True, "higher", 0.5, "count"),
    Metric.IVR_DEPTH: MetricSpec("IVR depth", "ivr_depth", True, "higher", 0.5, "count"),
    Metric.TIME_TO_AGENT: MetricSpec("time to an agent", "time_to_agent", True, "higher", 15.0, "seconds"),
    Metric.HANDLE_TIME: MetricSpec("handle time", "handle_time", True, "higher", 30.0, "seconds"),
    Metric.TIME_TO_RESOLUTION: MetricSpec(
        "time to resolution", "time_to_resolution", False, "higher", 60.0, "seconds"
    ),
    Metric.DURATION: MetricSpec("journey duration", "duration", False, "higher", 60.0, "seconds"),
    Metric.SCORE: MetricSpec("score", "score", False, "lower", 5.0, "points"),
    Metric.FIRST_CONTACT_RESOLUTION: MetricSpec(
        "first-contact resolution rate", "first_contact_resolution", False, "lower", 0.1, "rate"
    ),
    Metric.VERIFIED_RESOLUTION: MetricSpec(
        "verified resolution rate", "verified_resolved", False, "lower", 0.1, "rate"
    ),
    # the honest outcome: resolved or answered honestly, and told something false
    Metric.SETTLED: MetricSpec("resolved or honestly answered rate", "settled", False, "lower", 0.1, "rate"),
    Metric.MISINFORMED: MetricSpec("misinformed rate", "misinformed", False, "higher", 0.1, "rate"),
    Metric.POLICY_RECITALS: MetricSpec("policy recitals", "policy_recitals", False, "higher", 0.25, "count"),
    Metric.IDENTIFIED_BEFORE_HEARD: MetricSpec(
        "asked who before why rate", "identified_before_heard", False, "higher", 0.1, "rate"
    ),
    Metric.FOLLOWED_UP: MetricSpec("follow-up rate", "followed_up", False, "lower", 0.1, "rate"),
}

DEFAULT_REGRESSION_METRICS: tuple[Metric, ...] = (
    Metric.HOLD_TIME,
    Metric.TRANSFERS,
    Metric.ESCALATIONS,
    Metric.RECAPTURES,
    Metric.IVR_DEPTH,
    Metric.TIME_TO_AGENT,
    Metric.HANDLE_TIME,
    Metric.SCORE,
    Metric.FIRST_CONTACT_RESOLUTION,
    Metric.VERIFIED_RESOLUTION,
    Metric.SETTLED,
    Metric.MISINFORMED,
)


RunStatus = Literal["complete", "interrupted"]
"""complete: the run went to its end; interrupted: it was cut short (Ctrl-C, a cancelled CI
job), so its journeys are fewer than the series' and it is never a regression's baseline."""


@dataclass(frozen=True)
class RunSeries:
    """Runs that can be compared: same company, same service profile, same time scale.

    A sandbox run at 1/200 of real time says nothing about the real company's phone line,
    so trends and regressions never cross series.
    """

    company: str
    profile: str | None
    time_scale: float


@dataclass(frozen=True)
class ByChannel:
    """A metric over every (non-setup) contact on one channel."""

    channel: Channel

    @property
    def phrase(self) -> str:
        return f"on {self.channel}"


@dataclass(frozen=True)
class ByJourney:
    """A metric of one journey, the same scenario (feature file and name) run after run."""

    feature: str
    name: str

    @property
    def phrase(self) -> str:
        return f'in "{self.name}"'


Subject = ByChannel | ByJourney


@dataclass(frozen=True)
class Regression:
    """A metric that got worse for a channel or a journey, against one baseline.

    Attributes:
        metric: what got worse.
        subject: for whom.
        baseline: ``"previous"`` (the last earlier run that measured it) or ``"median"``
            (the median over the window of earlier runs).
        run: the run that got worse.
        compared_with: the earlier runs the baseline came from, oldest first.
        before: the baseline value.
        after: the run's value.
    """

    metric: Metric
    subject: Subject
    baseline: Literal["previous", "median"]
    run: str
    compared_with: tuple[str, ...]
    before: float
    after: float

    @property
    def change(self) -> float:
        """The relative change, signed (+0.4 is up 40%); infinite from a baseline of zero."""
        if self.before == 0:
            return math.copysign(math.inf, self.after)
        return (self.after - self.before) / abs(self.before)

    @property
    def sentence(self) -> str:
        """One line for a person, e.g. ``hold time on phone up 40% since the previous run (62 s -> 87 s)``."""
        spec = METRICS[self.metric]
        direction = "up" if self.after > self.before else "down"
        amount = f" {abs(self.change):.0%}" if math.isfinite(self.change) else ""
        if self.baseline == "previous":
            against = "since the previous run"
        else:
            against = f"against the median of the last {len(self.compared_with)} runs"
        values = f"{format_value(self.before, spec.unit)} -> {format_value(self.after, spec.unit)}"
        return f"{spec.label} {self.subject.phrase} {direction}{amount} {against} ({values})"

    def __str__(self) -> str:
        return self.sentence


def format_value(value: float, unit: Unit) -> str:
    """A value as a person reads it: seconds to a sensible precision, rates as percentages."""
    if unit == "rate":
        return f"{value:.0%}"
    if unit == "points":
        return f"{value:.0f}"
    if unit == "count":
        return f"{round(value, 2):g}"
    precision = 0 if value >= 10 else 1 if value >= 1 else 2
    return f"{value:.{precision}f} s"


def is_worse(spec: MetricSpec, before: float, after: float, *, threshold: float, floor: float) -> bool:
    """Whether ``after`` is worse than ``before`` by more than ``threshold`` and at least ``floor``."""
    worsening = after - before if spec.worse == "higher" else before - after
    return worsening >= floor and worsening > threshold * abs(before)


def compare(
    metric: Metric,
    subject: Subject,
    run: str,
    value: float,
    earlier: Sequence[tuple[str, float]],
    *,
    threshold: float,
    floor: float,
) -> list[Regression]:
    """The regressions of one value against the previous value and the median of the earlier ones.

    Args:
        metric: the metric compared.
        subject: the channel or journey it belongs to.
        run: the run being judged.
        value: the metric's value in that run.
        earlier: (run name, value) in the earlier runs that measured it, oldest first,
            already cut to the window.
        threshold: the relative change that counts (0.2 for 20%).
        floor: the absolute change that counts, in the metric's unit.
    """
    spec = METRICS[metric]
    found: list[Regression] = []
    if not earlier:
        return found
    previous_run, previous = earlier[-1]
    if is_worse(spec, previous, value, threshold=threshold, floor=floor):
        found.append(Regression(metric, subject, "previous", run, (previous_run,), previous, value))
    if len(earlier) >= MIN_MEDIAN_RUNS:
        median = statistics.median(earlier_value for _, earlier_value in earlier)
        if is_worse(spec, median, value, threshold=threshold, floor=floor):
            names = tuple(name for name, _ in earlier)
            found.append(Regression(metric, subject, "median", run, names, median, value))
    return found
