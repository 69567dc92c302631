"""Scorecards: a journey record scored against a rubric, and scores aggregated over a run.

Scoring reads the public record (:func:`journeys.domain.results.to_record`, or a record
file), never the harness's objects, so a run can be rescored with another rubric
long after it ended. The rules, as on a mystery-shopping evaluation form:

- a criterion earns ``weight x points / 100``, points from its thresholds or table;
- a criterion is **N/A** when it does not apply (``applies_to``) or its metric is
  null or absent; it then drops out of the possible points, so a web-only journey
  is scored out of fewer points with the same percentage logic (renormalisation);
- a section's percentage is earned over possible; the total is the mean of the
  sections' percentages weighted by section weight, over the sections that apply;
- a **critical** criterion that earns nothing zeroes the total; every criterion
  still shows its points, and ``raw`` keeps the total the journey would have had;
- a broken or interrupted journey gets no score: a journey the harness could not
  carry out says nothing about the company's service.

Aggregation counts a journey once in the run, once under its journey type (the
first folder of its feature file), once under each of its tags, and **once under
each channel it used** for its problem (its non-setup contacts): a journey that
began in chat and ended on the phone counts, with its whole score, for both.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath
from typing import Any

from journeys.domain.metrics import OUTCOMES, Outcome, at_real_pace
from journeys.errors import ConfigError
from journeys.scoring.rubric import RECAPTURES_BY_FIELD, Criterion, Metric, Rubric, metric_for

UNSCORED_STATUSES = ("broken", "interrupted")
FIRST_CONTACT_ANSWER = "metrics.first_contact_answer"

MetricValue = bool | int | float | str | None


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of one journey.

    Attributes:
        value: the value scored (a wait in real seconds when the run was sped up).
        measured: the value as the record holds it.
        earned: points earned, out of ``possible`` (the criterion's weight; 0 when N/A).
        reason: why the criterion is N/A, or which band or row gave the points.
        critical_failed: a critical criterion that earned nothing, zeroing the journey.
    """

    key: str
    title: str
    metric: str
    value: MetricValue
    measured: MetricValue
    weight: float
    earned: float
    possible: float
    not_applicable: bool
    reason: str
    critical: bool
    critical_failed: bool


@dataclass(frozen=True)
class SectionScore:
    """One section: the sum of its applicable criteria; N/A when none applies."""

    key: str
    title: str
    weight: float
    earned: float
    possible: float
    percent: float | None
    criteria: tuple[CriterionScore, ...]

    @property
    def not_applicable(self) -> bool:
        return self.percent is None


@dataclass(frozen=True)
class Scorecard:
    """A journey's evaluation form, filled in.

    Attributes:
        score: the total from 0 to 100, to one decimal; None when unscored.
        exact: the total before rounding (0 when a critical criterion failed).
        raw: the total the journey would have had without its critical failures.
        unscored_reason: why there is no score (a broken or interrupted journey).
        critical_failures: ``section.criterion`` of each critical criterion that failed.
    """

    journey_id: str
    name: str
    rubric: str
    status: str
    score: float | None
    exact: float | None
    raw: float | None
    unscored_reason: str | None
    critical_failures: tuple[str, ...]
    sections: tuple[SectionScore, ...]

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def critical_failed(self) -> bool:
        return bool(self.critical_failures)

    def criterion(self, section: str, key: str) -> CriterionScore:
        """One criterion's score, by its section's key and its own."""
        for candidate in self.sections:
            for criterion in candidate.criteria:
                if candidate.key == section and criterion.key == key:
                    return criterion
        raise KeyError(f"{section}.{key}")


def journey_channels(record: Mapping[str, Any]) -> tuple[str, ...]:
    """The channels the journey used for its problem (its non-setup contacts), in first-use order.

    A journey that broke before its first problem contact falls back to the channel it broke on.
    """
    channels = [contact["channel"] for contact in record.get("contacts", []) if not contact.get("setup")]
    breakage = record.get("breakage") or {}
    if not channels and breakage.get("channel"):
        channels = [breakage["channel"]]
    return tuple(dict.fromkeys(channels))


def journey_type(record: Mapping[str, Any]) -> str:
    """The first folder of the feature file (``cancellation/chat.feature`` -> ``cancellation``)."""
    feature = PurePosixPath(str(record.get("feature", "")).replace("\\", "/"))
    return feature.parts[0] if len(feature.parts) > 1 else feature.stem


def journey_tags(record: Mapping[str, Any]) -> tuple[str, ...]:
    """The journey's tags, without ``@``."""
    return tuple(dict.fromkeys(str(tag).removeprefix("@") for tag in record.get("tags", [])))


def rounded(value: float) -> float:
    """To one decimal, halves up: 84.25 shows as 84.3 on every machine, as a person would round."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _lookup(record: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    """Whether the dotted path is in the record, and its value there."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return False, None
        value = value[part]
    return True, value


def _measure(record: Mapping[str, Any], criterion: Criterion) -> tuple[bool, Any]:
    """The criterion's value in the record, derived facts included (see ``rubric.METRICS``)."""
    if criterion.metric == "findings":
        findings = record.get("findings", [])
        patterns = criterion.expectations
        return True, sum(
            1
            for finding in findings
            if not patterns
            or any(pattern.search(str(finding.get("expectation", ""))) for pattern in patterns)
        )
    if criterion.metric == "resolved":
        verified = record.get("metrics", {}).get("verified_resolved")
        return True, verified if verified is not None else record.get("metrics", {}).get("claimed_resolved")
    if criterion.metric == "outcome":
        return True, record_outcome(record)
    present, value = _lookup(record, criterion.metric)
    if not present and criterion.metric == FIRST_CONTACT_ANSWER:
        return _lookup(record, "metrics.first_contact_resolution")  # before honest answers were told
    if not present and criterion.metric.startswith(RECAPTURES_BY_FIELD):
        present = _lookup(record, RECAPTURES_BY_FIELD.rstrip("."))[0]
        return present, 0 if present else None  # a field left out was asked at most once
    return present, value


def record_outcome(record: Mapping[str, Any]) -> Outcome:
    """The journey's outcome: as measured, or, in a record written before outcomes were, from
    what the company claimed and what was verified (no honest no can be told there)."""
    metrics = record.get("metrics", {})
    if "outcome" in metrics:
        outcome: Outcome = metrics["outcome"]
        return outcome
    claimed, verified = metrics.get("claimed_resolved"), metrics.get("verified_resolved")
    if claimed and verified is False:
        return "misinformed"
    return "resolved" if (verified if verified is not None else claimed) else "unresolved"


def _check(record: Mapping[str, Any], path: str, metric: Metric, value: Any) -> None:
    """A value of the wrong type is a record that does not follow the results format."""
    if metric.kind == "outcome":
        fits = value in OUTCOMES
    elif metric.kind == "boolean":
        fits = isinstance(value, bool)
    else:
        number = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        fits = number and (metric.kind == "seconds" or isinstance(value, int))
    if not fits:
        kind = {
            "boolean": "true or false",
            "count": "a whole number",
            "seconds": "seconds",
            "outcome": "one of " + ", ".join(OUTCOMES),
        }[metric.kind]
        raise ConfigError(
            f"journey {record.get('journey_id', '?')}: {path} must be {kind}, not {value!r}: "
            "the record does not follow journeys/schema/journey-result.schema.json"
        )


def _not_applicable(
    record: Mapping[str, Any], criterion: Criterion, channels: tuple[str, ...], tags: tuple[str, ...]
) -> str | None:
    """Why the criterion does not apply to this journey, or None when it does."""
    applies = criterion.applies_to
    if applies.channels and not applies.channels & set(channels):
        used = ", ".join(channels) or "no channel"
        return f"only for journeys on {', '.join(sorted(applies.channels))} (this one used {used})"
    if applies.tags and not applies.tags & set(tags):
        return f"only for journeys tagged {', '.join('@' + tag for tag in sorted(applies.tags))}"
    outcome = record_outcome(record) if applies.outcomes else None
    if outcome is not None and outcome not in applies.outcomes:
        return f"only when the outcome is {' or '.join(sorted(applies.outcomes))} (it is {outcome})"
    if applies.when is not None:
        present, value = _lookup(record, applies.when)
        if value is not True:
            shown = "absent" if not present else "null" if value is None else str(value).lower()
            return f"only when {applies.when} is true (it is {shown})"
    return None


def _score_criterion(
    record: Mapping[str, Any], criterion: Criterion, channels: tuple[str, ...], tags: tuple[str, ...]
) -> CriterionScore:
    metric = metric_for(criterion.metric)
    assert metric is not None  # the loader checked the path
    present, measured = _measure(record, criterion)
    value, points = measured, None
    reason = _not_applicable(record, criterion, channels, tags)
    if reason is None and measured is None:
        reason = metric.when_null if present and metric.when_null else None
        reason = reason or f"{criterion.metric} is {'null' if present else 'not in this record'}"
    if reason is None:
        _check(record, criterion.metric, metric, measured)
        scale = record.get("time_scale", 1) or 1
        value = measured
        if scale != 1 and metric.wait:
            value = measured / scale
        elif scale != 1 and metric.waits_within:
            _, waited = _lookup(record, metric.waits_within)
            value = at_real_pace(measured, float(waited or 0.0), scale)
        points, reason = criterion.scale.score(value)
        if value != measured:
            reason = f"{reason} (measured {measured:g} s at time scale {scale:g})"
    return CriterionScore(
        key=criterion.key,
        title=criterion.title,
        metric=criterion.metric,
        value=value,
        measured=measured,
        weight=criterion.weight,
        earned=criterion.weight * points / 100 if points is not None else 0.0,
        possible=criterion.weight if points is not None else 0.0,
        not_applicable=points is None,
        reason=reason,
        critical=criterion.critical,
        critical_failed=criterion.critical and points == 0,
    )


def _unscored(record: Mapping[str, Any], rubric: Rubric, reason: str) -> Scorecard:
    return Scorecard(
        journey_id=str(record.get("journey_id", "")),
        name=str(record.get("name", "")),
        rubric=rubric.name,
        status=str(record.get("status", "")),
        score=None,
        exact=None,
        raw=None,
        unscored_reason=reason,
        critical_failures=(),
        sections=(),
    )


def score_journey(record: Mapping[str, Any], rubric: Rubric) -> Scorecard:
    """Fill in the rubric's form for one journey record (see the module docstring for the rules)."""
    status = record.get("status")
    if status in UNSCORED_STATUSES:
        breakage = record.get("breakage") or {}
        why = breakage.get("message") or "the journey stopped before its end"
        return _unscored(record, rubric, f"{status}: {why} (a journey not carried out is not scored)")
    channels, tags = journey_channels(record), journey_tags(record)
    sections = []
    for section in rubric.sections:
        criteria = tuple(
            _score_criterion(record, criterion, channels, tags) for criterion in section.criteria
        )
        earned = sum(criterion.earned for criterion in criteria)
        possible = sum(criterion.possible for criterion in criteria)
        percent = 100 * earned / possible if possible else None
        sections.append(
            SectionScore(section.key, section.title, section.weight, earned, possible, percent, criteria)
        )
    counted = [(section.weight, section.percent) for section in sections if section.percent is not None]
    if not counted:
        return _unscored(record, rubric, f"nothing in rubric '{rubric.name}' applies to this journey")
    raw = sum(weight * percent for weight, percent in counted) / sum(weight for weight, _ in counted)
    failures = tuple(
        f"{section.key}.{criterion.key}"
        for section in sections
        for criterion in section.criteria
        if criterion.critical_failed
    )
    exact = 0.0 if failures else raw
    return Scorecard(
        journey_id=str(record.get("journey_id", "")),
        name=str(record.get("name", "")),
        rubric=rubric.name,
        status=str(status),
        score=rounded(exact),
        exact=exact,
        raw=raw,
        unscored_reason=None,
        critical_failures=failures,
        sections=tuple(sections),
    )


@dataclass(frozen=True)
class ScoreSummary:
    """Scores of a group of journeys: how many were scored, how many could not be, and their mean."""

    count: int
    unscored: int
    mean: float | None
    exact_mean: float | None


@dataclass(frozen=True)
class Aggregate:
    """A run's scores: overall, and per channel, journey type and tag (keys sorted)."""

    run: ScoreSummary
    by_channel: Mapping[str, ScoreSummary]
    by_type: Mapping[str, ScoreSummary]
    by_tag: Mapping[str, ScoreSummary]


def _summary(scorecards: list[Scorecard]) -> ScoreSummary:
    scores = [card.exact for card in scorecards if card.exact is not None]
    mean = statistics.fmean(scores) if scores else None
    return ScoreSummary(
        count=len(scores),
        unscored=len(scorecards) - len(scores),
        mean=rounded(mean) if mean is not None else None,
        exact_mean=mean,
    )


def aggregate(scored: Iterable[tuple[Scorecard, Mapping[str, Any]]]) -> Aggregate:
    """Summarise scorecards with their records; a journey counts once under each channel it used."""
    run: list[Scorecard] = []
    groups: dict[str, defaultdict[str, list[Scorecard]]] = {
        name: defaultdict(list) for name in ("channel", "type", "tag")
    }
    for scorecard, record in scored:
        run.append(scorecard)
        for channel in journey_channels(record):
            groups["channel"][channel].append(scorecard)
        groups["type"][journey_type(record)].append(scorecard)
        for tag in journey_tags(record):
            groups["tag"][tag].append(scorecard)

    def summaries(name: str) -> dict[str, ScoreSummary]:
        return {key: _summary(cards) for key, cards in sorted(groups[name].items())}

    return Aggregate(_summary(run), summaries("channel"), summaries("type"), summaries("tag"))
