"""Scoring rubrics: the evaluation form a journey is scored against, read from ``rubrics/*.toml``.

A rubric follows the conventions of mystery-shopping evaluation forms: weighted
sections of weighted criteria, each criterion over one metric of the journey
record, scored by thresholds or by a point table::

    name = "default"
    description = "What customers hate."          # optional

    [sections.waiting]
    title = "Waiting"                              # optional; the key, spelt out, otherwise
    weight = 20                                    # how much the section counts in the total

    [sections.waiting.criteria.hold_time]
    metric = "metrics.hold_time"                   # a path of METRICS
    weight = 3                                     # the criterion's points within its section
    applies_to = { channels = ["chat", "social", "phone"] }
    thresholds = [                                 # from (inclusive, default 0) .. below (exclusive,
      { below = 30, points = 100 },                # default infinity): contiguous, no overlap
      { from = 30, below = 120, points = 60 },
      { from = 120, points = 0 },
    ]

    [sections.waiting.criteria.transfers]
    metric = "metrics.transfers"
    weight = 3
    points = { 0 = 100, 1 = 60, "2+" = 0 }         # counts: 0 .. n-1, then "n+"; or true / false

    [sections.resolution.criteria.outcome]
    metric = "outcome"                             # one of four outcomes: a row for each
    weight = 4
    critical = true
    points = { resolved = 100, answered_honestly = 85, unresolved = 0, misinformed = 0 }

Points (in ``thresholds`` and ``points``) are percentages of the criterion's
weight, from 0 to 100. Other criterion keys: ``title``; ``critical = true`` (a
criterion that earns nothing zeroes the journey's total); ``applies_to`` with
``channels`` (the journey used one of them), ``tags`` (it carries one of them,
with or without ``@``), ``when`` (a true-or-false metric that must be true) and
``outcomes`` (the journey's outcome is one of them: a reference or a promise means
nothing after an honest no, when there is nothing to follow up);
``expectations`` (regular expressions, only with ``metric = "findings"``: count
only the findings whose expectation matches one).

Every problem is a :class:`RubricError` of one line that names the file, the line
and the key: ``rubrics/acme.toml:12: sections.waiting.criteria.hold_time.wieght:
unknown key 'wieght' (did you mean 'weight'?)``.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from journeys.domain.metrics import OUTCOMES
from journeys.domain.timeline import CHANNELS
from journeys.errors import ConfigError
from journeys.tomllines import KeyLines, KeyPath, read_toml, shown_path

MetricKind = Literal["count", "seconds", "boolean", "outcome"]

# Every key a rubric file may hold, required ones first (for the loader and the docs test).
RUBRIC_KEYS = ("name", "sections", "description")
SECTION_KEYS = ("weight", "criteria", "title")
CRITERION_KEYS = (
    "metric",
    "weight",
    "title",
    "thresholds",
    "points",
    "critical",
    "applies_to",
    "expectations",
)
APPLIES_TO_KEYS = ("channels", "tags", "when", "outcomes")
BAND_KEYS = ("points", "from", "below")


class RubricError(ConfigError):
    """A rubric file is missing, is not TOML, or has a bad key or value; names file:line and key."""


@dataclass(frozen=True)
class Metric:
    """What a rubric may score: a path into the journey record, or a fact derived from it.

    Attributes:
        kind: counts take thresholds or points; seconds take thresholds; booleans and the
            outcome take points (a row per value).
        meaning: one line for the documentation and the report.
        when_null: why the value can be missing, shown as the reason a criterion is N/A.
        wait: a wait the demo company shortens by the record's ``time_scale``; scored
            divided by it, so a sped-up run is judged in the customer's real seconds.
        waits_within: for a span that holds both waits and the customer's own actions
            (time to agent), the path of its waiting part: only that part is scaled back.
    """

    kind: MetricKind
    meaning: str
    when_null: str | None = None
    wait: bool = False
    waits_within: str | None = None


METRICS: Mapping[str, Metric] = {
    "metrics.contacts": Metric("count", "contacts the journey made, setup included"),
    "metrics.transfers": Metric("count", "times the customer was moved to another agent or department"),
    "metrics.escalations": Metric("count", "times the customer was moved up to a supervisor or manager"),
    "metrics.hold_time": Metric("seconds", "seconds spent on hold, over the journey", wait=True),
    "metrics.time_to_agent": Metric(
        "seconds",
        "seconds from the first problem contact to a person",
        "no person took the contact",
        waits_within="metrics.queue_time",
    ),
    "metrics.queue_time": Metric("seconds", "seconds on hold before the first person joined", wait=True),
    "metrics.first_response": Metric(
        "seconds",
        "seconds from the customer's first message to the company's answer (an e-mail's reply)",
        "nobody answered what the customer wrote",
        wait=True,
    ),
    "metrics.ivr_depth": Metric("count", "phone menu choices made before reaching a person"),
    "metrics.recaptures": Metric("count", "times the customer was asked again for a detail already given"),
    "metrics.recaptures_across_contacts": Metric(
        "count",
        "of those, details a new contact asked for that an earlier contact had been given",
        "not measured when the record was written",
    ),
    "metrics.identified_before_heard": Metric(
        "boolean",
        "the company asked who the customer is before they could say why they came",
        "not measured when the record was written",
    ),
    "metrics.policy_recitals": Metric(
        "count",
        "lines in which the company recited a policy of its own instead of solving the problem",
        "not measured: the company profile has no policy_recited pattern",
    ),
    "metrics.conferences": Metric(
        "count",
        "times an agent brought a colleague or another department in and stayed (not transfers)",
        "not measured: the company profile has no conferenced pattern",
    ),
    "metrics.kept_not_passed_on": Metric(
        "boolean",
        "another department was needed and only brought in, never handed the customer on to",
        "no other department was needed, or no conferenced pattern to see one brought in by",
    ),
    "metrics.followed_up": Metric(
        "boolean",
        "after an e-mail that promised something, the company wrote again on its own",
        "not looked for: nothing promised by mail, no step asked, or no followed_up pattern",
    ),
    "metrics.followed_up_by_promise": Metric(
        "boolean",
        "the follow-up came by the day the promise named",
        "not looked for, or the promise named no day",
    ),
    "metrics.handle_time": Metric("seconds", "seconds spent in contacts, over the journey"),
    "metrics.time_to_resolution": Metric(
        "seconds", "seconds from the first problem contact to a verified outcome", "no verified resolution"
    ),
    "metrics.first_contact_resolution": Metric("boolean", "resolved within the first problem contact"),
    "metrics.first_contact_answer": Metric(
        "boolean",
        "resolved, or answered with an honest no, within the first problem contact",
        "not measured when the record was written",
    ),
    "metrics.claimed_resolved": Metric(
        "boolean", "the company said the problem was resolved", "the company never stated an outcome"
    ),
    "metrics.verified_resolved": Metric(
        "boolean", "an independent check showed it resolved", "nothing was checked independently"
    ),
    "metrics.reference_given": Metric("boolean", "a ticket, case, RMA or order number was handed over"),
    "metrics.promise_made": Metric("boolean", "a commitment with a date or duration was made"),
    "metrics.satisfaction_checked": Metric("boolean", "someone asked whether the customer was satisfied"),
    "metrics.channel_switch_offered": Metric("boolean", "the company offered to move to another channel"),
    "duration": Metric("seconds", "seconds from the journey's start to its end"),
    "findings": Metric("count", "unmet expectations (optionally only those matching 'expectations')"),
    "resolved": Metric(
        "boolean",
        "what the customer ended up with: verified_resolved, or claimed_resolved when nothing was checked",
        "the company never stated an outcome and nothing was checked",
    ),
    "metrics.outcome": Metric(
        "outcome", "the outcome as the record measured it", "not measured when the record was written"
    ),
    "outcome": Metric(
        "outcome",
        "resolved, answered_honestly (a no a check showed true), misinformed (told something a check"
        " showed false) or unresolved; derived from claimed and verified for older records",
    ),
}
"""Every path a criterion may score. ``metrics.recaptures_by_field.<field>`` (a count,
0 when the field was never asked again) is accepted as well."""

RECAPTURES_BY_FIELD = "metrics.recaptures_by_field."
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def metric_for(path: str) -> Metric | None:
    """The metric a path names, or None when no metric has that path."""
    if path.startswith(RECAPTURES_BY_FIELD) and _FIELD_NAME.match(path.removeprefix(RECAPTURES_BY_FIELD)):
        return Metric("count", "times this field was asked for again")
    return METRICS.get(path)


@dataclass(frozen=True)
class Band:
    """Values from ``start`` (inclusive) to ``below`` (exclusive) earn ``points`` percent."""

    start: float
    below: float
    points: float

    @property
    def label(self) -> str:
        """The band as a person reads it: ``under 30``, ``30 to under 120``, ``120 and over``."""
        if self.start == 0:
            return f"under {self.below:g}" if math.isfinite(self.below) else "any value"
        if not math.isfinite(self.below):
            return f"{self.start:g} and over"
        return f"{self.start:g} to under {self.below:g}"


@dataclass(frozen=True)
class Thresholds:
    """Contiguous bands from 0 to infinity (the loader guarantees it)."""

    bands: tuple[Band, ...]

    def score(self, value: float) -> tuple[float, str]:
        """The points the value earns, and the band that gave them."""
        band = next((band for band in self.bands if band.start <= value < band.below), self.bands[0])
        return band.points, f"{band.label}: {band.points:g}"


@dataclass(frozen=True)
class PointRow:
    """One row of a point table: a boolean, a count, or a count and every count above (``2+``)."""

    value: bool | int | str
    points: float
    and_above: bool = False

    @property
    def label(self) -> str:
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return f"{self.value}+" if self.and_above else str(self.value)


@dataclass(frozen=True)
class PointTable:
    """Points per value, covering every boolean or every count (the loader guarantees it)."""

    rows: tuple[PointRow, ...]

    def score(self, value: bool | int | str) -> tuple[float, str]:
        """The points the value earns, and the row that gave them."""
        for row in self.rows:
            if isinstance(row.value, str):
                hit = value == row.value
            elif isinstance(row.value, bool):
                hit = value is row.value
            elif isinstance(value, str):
                hit = False
            else:
                hit = value >= row.value if row.and_above else value == row.value
            if hit:
                return row.points, f"{row.label}: {row.points:g}"
        raise ValueError(f"no row for {value!r}")  # unreachable for a loaded table


Scale = Thresholds | PointTable


@dataclass(frozen=True)
class AppliesTo:
    """When a criterion counts; otherwise it is N/A and drops out of the possible points."""

    channels: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    when: str | None = None
    outcomes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Criterion:
    """One question of the form: a metric, how its values earn points, and how much it weighs."""

    key: str
    title: str
    metric: str
    weight: float
    scale: Scale
    critical: bool = False
    applies_to: AppliesTo = AppliesTo()
    expectations: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Section:
    """A group of criteria, weighted against the other sections in the total."""

    key: str
    title: str
    weight: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Rubric:
    """A whole evaluation form, as read from its file."""

    name: str
    description: str
    path: Path
    sections: tuple[Section, ...]


def shown_key(key: KeyPath) -> str:
    """A key path as messages write it: dotted names, list positions left out."""
    return ".".join(part for part in key if isinstance(part, str))


def did_you_mean(word: str, known: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` with the closest known word, or the known words when none is close."""
    close = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"


class _Reader:
    """Walks a parsed rubric, checking keys and types; every failure names file:line: key."""

    def __init__(self, shown: Path, text: str) -> None:
        self.shown = shown
        self.lines = KeyLines(text)

    def fail(self, key: KeyPath, problem: str) -> RubricError:
        where = f"{self.shown}:{self.lines.line_of(key) or 1}"
        return RubricError(f"{where}: {shown_key(key)}: {problem}" if key else f"{where}: {problem}")

    def table(
        self, data: Any, key: KeyPath, required: Sequence[str], optional: Sequence[str] = ()
    ) -> dict[str, Any]:
        """The table, once it has its required keys and nothing unknown."""
        if not isinstance(data, dict):
            raise self.fail(key, "must be a table")
        known = (*required, *optional)
        for name in data:
            if name not in known:
                raise self.fail((*key, name), f"unknown key '{name}'{did_you_mean(name, known)}")
        for name in required:
            if name not in data:
                raise self.fail(key or (name,), f"missing key '{name}'")
        return data

    def entries(self, data: Any, key: KeyPath, example: str) -> dict[str, Any]:
        """A table of named entries (sections, criteria): at least one."""
        if not isinstance(data, dict) or not data:
            raise self.fail(key, f"must hold at least one table, e.g. [{example}]")
        return data

    def text(self, data: Mapping[str, Any], key: KeyPath, name: str, default: str | None = None) -> str:
        value = data.get(name, default)
        if not isinstance(value, str):
            raise self.fail((*key, name), f"must be a string, not {_type(value)}")
        return value

    def texts(self, data: Mapping[str, Any], key: KeyPath, name: str) -> tuple[str, ...]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail((*key, name), "must be a list of strings")
        return tuple(value)

    def weight(self, data: Mapping[str, Any], key: KeyPath) -> float:
        value = data["weight"]
        if not _is_number(value) or not 0 < value < math.inf:
            raise self.fail((*key, "weight"), f"must be a positive number, not {value!r}")
        return float(value)

    def points(self, value: Any, key: KeyPath, what: str) -> float:
        if not _is_number(value) or not 0 <= value <= 100:
            raise self.fail(key, f"{what}must be points from 0 to 100, not {value!r}")
        return float(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _type(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _read_thresholds(reader: _Reader, key: KeyPath, data: Any) -> Thresholds:
    if not isinstance(data, list) or not data:
        raise reader.fail(key, "must be a list of bands such as { below = 30, points = 100 }")
    bands: list[Band] = []
    for index, item in enumerate(data):
        at, number = (*key, index), index + 1
        if not isinstance(item, dict):
            raise reader.fail(at, f"band {number} must be a table such as {{ below = 30, points = 100 }}")
        reader.table(item, at, BAND_KEYS[:1], BAND_KEYS[1:])
        start, below = item.get("from", 0), item.get("below", math.inf)
        for name, bound in (("from", start), ("below", below)):
            if not _is_number(bound):
                raise reader.fail((*at, name), f"band {number}: must be a number, not {bound!r}")
        band = Band(float(start), float(below), reader.points(item["points"], at, f"band {number}: "))
        if band.start >= band.below:
            raise reader.fail(at, f"band {number}: 'from' ({start:g}) must be below 'below' ({below:g})")
        previous = bands[-1] if bands else None
        if previous is None and band.start != 0:
            raise reader.fail(at, f"band 1 starts at {start:g}: leave 'from' out so it starts at 0")
        if previous and band.start > previous.below:
            raise reader.fail(
                at, f"bands {index} and {number} leave a gap: nothing scores {previous.below:g} to {start:g}"
            )
        if previous and band.start < previous.below:
            raise reader.fail(
                at, f"band {number} overlaps band {index}: both score {start:g} to {previous.below:g}"
            )
        bands.append(band)
    if math.isfinite(bands[-1].below):
        raise reader.fail(
            (*key, len(bands) - 1),
            f"nothing scores {bands[-1].below:g} and over: leave 'below' out of the last band",
        )
    return Thresholds(tuple(bands))


def _read_points(reader: _Reader, key: KeyPath, data: Any, metric: Metric) -> PointTable:
    if not isinstance(data, dict) or not data:
        raise reader.fail(
            key, 'must be a table such as { 0 = 100, 1 = 60, "2+" = 0 } or { true = 100, false = 0 }'
        )
    points = {name: reader.points(value, (*key, name), f"row '{name}': ") for name, value in data.items()}
    if metric.kind == "outcome":
        for name in points:
            if name not in OUTCOMES:
                raise reader.fail((*key, name), f"not an outcome: '{name}'{did_you_mean(name, OUTCOMES)}")
        for name in OUTCOMES:
            if name not in points:
                raise reader.fail(key, f"missing row '{name}': every outcome needs its points")
        return PointTable(tuple(PointRow(name, points[name]) for name in OUTCOMES))
    if metric.kind == "boolean":
        for name in points:
            if name not in ("true", "false"):
                raise reader.fail((*key, name), f"the metric is true or false: no row '{name}'")
        for name in ("true", "false"):
            if name not in points:
                raise reader.fail(key, f"missing row '{name}': every value needs its points")
        return PointTable((PointRow(True, points["true"]), PointRow(False, points["false"])))
    exact: dict[int, float] = {}
    above: int | None = None
    for name, value in points.items():
        match = re.fullmatch(r"(\d+)(\+?)", name)
        if not match:
            raise reader.fail((*key, name), f"'{name}' is not a count: rows are 0, 1, ... and one 'n+'")
        if match.group(2) and above is not None:
            raise reader.fail((*key, name), f"two open-ended rows ('{above}+' and '{name}'): keep one")
        if match.group(2):
            above = int(match.group(1))
        else:
            exact[int(match.group(1))] = value
    if above is None:
        top = max(exact) + 1
        raise reader.fail(key, f'nothing scores counts of {top} and over: end with a row "{top}+"')
    for count in exact:
        if count >= above:
            raise reader.fail((*key, str(count)), f"row {count} overlaps row '{above}+'")
    missing = [count for count in range(above) if count not in exact]
    if missing:
        raise reader.fail(key, f"no row for {missing[0]}: every count below {above} needs its own row")
    rows = [PointRow(count, exact[count]) for count in range(above)]
    return PointTable((*rows, PointRow(above, points[f"{above}+"], and_above=True)))


def _read_metric(reader: _Reader, key: KeyPath, path: str, *, boolean: bool = False) -> Metric:
    metric = metric_for(path)
    if metric is None:
        raise reader.fail(key, f"unknown metric '{path}'{did_you_mean(path, list(METRICS))}")
    if boolean and metric.kind != "boolean":
        kind = {"seconds": "in seconds", "count": "a count"}.get(metric.kind, "one of four outcomes")
        raise reader.fail(key, f"must name a true-or-false metric, and '{path}' is {kind}")
    return metric


def _read_applies_to(reader: _Reader, key: KeyPath, data: Any) -> AppliesTo:
    reader.table(data, key, (), APPLIES_TO_KEYS)
    channels = reader.texts(data, key, "channels")
    for channel in channels:
        if channel not in CHANNELS:
            raise reader.fail(
                (*key, "channels"), f"unknown channel '{channel}'{did_you_mean(channel, CHANNELS)}"
            )
    when = reader.text(data, key, "when") if "when" in data else None
    if when is not None:
        _read_metric(reader, (*key, "when"), when, boolean=True)
    outcomes = reader.texts(data, key, "outcomes")
    for outcome in outcomes:
        if outcome not in OUTCOMES:
            raise reader.fail(
                (*key, "outcomes"), f"unknown outcome '{outcome}'{did_you_mean(outcome, OUTCOMES)}"
            )
    return AppliesTo(
        channels=frozenset(channels),
        tags=frozenset(tag.removeprefix("@") for tag in reader.texts(data, key, "tags")),
        when=when,
        outcomes=frozenset(outcomes),
    )


def _read_expectations(reader: _Reader, key: KeyPath, data: Mapping[str, Any]) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for text in reader.texts(data, key, "expectations"):
        try:
            patterns.append(re.compile(text, re.IGNORECASE))
        except re.error as error:
            raise reader.fail(
                (*key, "expectations"), f"not a valid regular expression ({error}): {text!r}"
            ) from error
    return tuple(patterns)


def _read_criterion(reader: _Reader, key: KeyPath, data: Any) -> Criterion:
    reader.table(data, key, CRITERION_KEYS[:2], CRITERION_KEYS[2:])
    path = reader.text(data, key, "metric")
    metric = _read_metric(reader, (*key, "metric"), path)
    scales = [name for name in ("thresholds", "points") if name in data]
    if not scales:
        raise reader.fail(key, "missing key 'thresholds' or 'points' (how the metric's values earn points)")
    if len(scales) > 1:
        raise reader.fail((*key, "points"), "give either 'thresholds' or 'points', not both")
    scale_key = (*key, scales[0])
    if scales[0] == "thresholds" and metric.kind == "boolean":
        raise reader.fail(
            scale_key, f"'{path}' is true or false: score it with points = {{ true = 100, false = 0 }}"
        )
    if scales[0] == "thresholds" and metric.kind == "outcome":
        raise reader.fail(scale_key, f"'{path}' is one of {', '.join(OUTCOMES)}: score it with points")
    if scales[0] == "points" and metric.kind == "seconds":
        raise reader.fail(scale_key, f"'{path}' is in seconds: score it with thresholds, not points")
    scale: Scale = (
        _read_thresholds(reader, scale_key, data["thresholds"])
        if scales[0] == "thresholds"
        else _read_points(reader, scale_key, data["points"], metric)
    )
    critical = data.get("critical", False)
    if not isinstance(critical, bool):
        raise reader.fail((*key, "critical"), f"must be true or false, not {critical!r}")
    worst = (
        min(band.points for band in scale.bands)
        if isinstance(scale, Thresholds)
        else min(row.points for row in scale.rows)
    )
    if critical and worst > 0:
        raise reader.fail((*key, "critical"), "can never fail: no value of the metric earns 0 points")
    if "expectations" in data and path != "findings":
        raise reader.fail((*key, "expectations"), 'only goes with metric = "findings"')
    name = str(key[-1])
    return Criterion(
        key=name,
        title=reader.text(data, key, "title", name.replace("_", " ").capitalize()),
        metric=path,
        weight=reader.weight(data, key),
        scale=scale,
        critical=critical,
        applies_to=_read_applies_to(reader, (*key, "applies_to"), data.get("applies_to", {})),
        expectations=_read_expectations(reader, key, data),
    )


def _read_section(reader: _Reader, name: str, data: Any) -> Section:
    key: KeyPath = ("sections", name)
    reader.table(data, key, SECTION_KEYS[:2], SECTION_KEYS[2:])
    criteria = reader.entries(data["criteria"], (*key, "criteria"), f"sections.{name}.criteria.transfers")
    return Section(
        key=name,
        title=reader.text(data, key, "title", name.replace("_", " ").capitalize()),
        weight=reader.weight(data, key),
        criteria=tuple(
            _read_criterion(reader, (*key, "criteria", criterion), value)
            for criterion, value in criteria.items()
        ),
    )


def load_rubric_file(path: Path) -> Rubric:
    """Read and check one rubric file; any problem is a one-line :class:`RubricError`."""
    text, data = read_toml(path, "rubric", RubricError)
    reader = _Reader(shown_path(path), text)
    reader.table(data, (), RUBRIC_KEYS[:2], RUBRIC_KEYS[2:])
    sections = reader.entries(data["sections"], ("sections",), "sections.waiting")
    return Rubric(
        name=reader.text(data, (), "name"),
        description=reader.text(data, (), "description", ""),
        path=path,
        sections=tuple(_read_section(reader, name, value) for name, value in sections.items()),
    )


BUILTIN = Path(__file__).resolve().parent / "builtin"
"""The rubrics that ship in the package (``rubrics/default.toml`` of the source tree, linked
here so that the wheel carries it), found by name from any folder."""


def load_rubric(name_or_path: str, root: Path) -> Rubric:
    """Find a rubric by name (``rubrics/<name>.toml`` under root, else one that ships in the
    package, :data:`BUILTIN`) or by file path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or "/" in name_or_path or "\\" in name_or_path:
        path = candidate if candidate.is_absolute() else root / candidate
        if path.is_dir():
            raise RubricError(f"rubric {name_or_path!r} at {path} is a folder, not a file")
        if not path.is_file():
            raise RubricError(f"rubric {name_or_path!r} not found at {path}")
        return load_rubric_file(path)
    folder = root / "rubrics"
    path = folder / f"{name_or_path}.toml"
    if path.is_file():
        return load_rubric_file(path)
    if (BUILTIN / path.name).is_file():
        return load_rubric_file(BUILTIN / path.name)
    known = sorted(
        {item.stem for place in (folder, BUILTIN) for item in place.glob("*.toml") if item.is_file()}
    )
    raise RubricError(
        f"unknown rubric {name_or_path!r}: no file rubrics/{name_or_path}.toml"
        f"{did_you_mean(name_or_path, known) if known else ''}; copy rubrics/default.toml to start one"
    )
