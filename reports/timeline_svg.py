"""The picture of a journey's timeline: one lane per contact on one time axis.

Everything the SVG shows is placed here, in Python, from the journey record; the
template (``_timeline.svg.j2``) only writes the shapes out. What a lane shows:

- the contact itself, a light band from its start to its end;
- phone-menu spans (from a menu prompt until a queue, a person or the end) and a span
  per agent, labelled with the agent's name and department;
- holds on top, paired exactly as :func:`journeys.domain.metrics.hold_time` pairs them (a hold
  still open at the end counts up to the last event), so the picture and the hold time
  the report states always agree;
- markers: transfers and escalations across the band; below it, colleagues brought in (a
  conference moves nobody), info requests (a field asked again in the journey, a recapture,
  stands out, and so does a request for who the customer is before they could say why they
  came), references, promises, policies recited, outcomes, surveys, offers to switch
  channel, and a follow-up the company wrote on its own after the contact (the lane reaches it).

Time runs at the company's real pace: on a run of the demo company sped up by its
time scale, holds are stretched back (:func:`journeys.domain.metrics.at_real_pace`, as scores
judge them) and everything else is drawn as measured; the picture says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from journeys.domain.metrics import at_real_pace
from reports.formatting import contact_rows

WIDTH = 1000.0
GUTTER = 180.0
"""Room for the lane labels, left of the time axis."""
RIGHT = 12.0
LANE_HEIGHT = 46.0
BAND_TOP = 6.0
BAND_HEIGHT = 22.0
PEOPLE_HEIGHT = 13.0
"""The band's upper row shows who the customer was dealing with (a menu, an agent); the row
below it shows holds, so a "please hold" mid-conversation hides neither."""
MARK_ROW = 36.0
"""The centre line of the markers below a lane's band."""
TOP = 4.0
AXIS_HEIGHT = 22.0
LEGEND_HEIGHT = 22.0
MARK_GAP = 11.0
"""The least distance between two markers' centres."""
CHAR_WIDTH = 6.4
"""About how wide a character of the 11 px labels is, to tell whether a label fits its span."""

TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400)
MAX_TICKS = 8

BAND_MARKERS = ("transferred", "escalated")
ROW_MARKERS = (
    "conferenced",
    "info_requested",
    "reference_given",
    "promise_made",
    "policy_recited",
    "followed_up",
    "outcome",
    "satisfaction_check",
    "channel_switch_offered",
)
LEGEND = (
    ("menu", "phone menu"),
    ("agent", "agent"),
    ("hold", "hold"),
    ("transferred", "transfer"),
    ("escalated", "escalation"),
    ("conferenced", "colleague brought in"),
    ("info_requested", "asked for"),
    ("recapture", "asked again"),
    ("asked_who_first", "asked who before why"),
    ("reference_given", "reference"),
    ("promise_made", "promise"),
    ("policy_recited", "policy recited"),
    ("followed_up", "followed up"),
    ("resolved", "resolved"),
    ("unresolved", "not resolved"),
)


@dataclass(frozen=True)
class Span:
    """A stretch of a lane: the contact, a phone menu, an agent, or a hold."""

    kind: str
    x: float
    y: float
    width: float
    height: float
    title: str
    label: str = ""
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass(frozen=True)
class Marker:
    """A moment of a lane, drawn as an SVG path (``kind`` is its CSS class)."""

    kind: str
    x: float
    path: str
    title: str


@dataclass(frozen=True)
class Lane:
    """One contact: its labels, its spans (holds last, on top) and its markers."""

    channel: str
    purpose: str
    title: str
    label_y: float
    purpose_y: float
    background: Span
    spans: tuple[Span, ...]
    holds: tuple[Span, ...]
    markers: tuple[Marker, ...]

    @property
    def drawn_spans(self) -> tuple[Span, ...]:
        """In drawing order: the contact, its menus and agents, then its holds on top."""
        return (self.background, *self.spans, *self.holds)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    kind: str
    x: float
    path: str
    text: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class TimelinePicture:
    """Everything the SVG draws, in its own coordinates (``width`` x ``height``)."""

    width: float
    height: float
    plot_left: float
    plot_width: float
    lanes: tuple[Lane, ...]
    ticks: tuple[Tick, ...]
    axis_top: float
    axis_bottom: float
    tick_label_y: float
    legend: tuple[LegendItem, ...]
    legend_y: float
    drawn_seconds: float
    speedup: float | None
    description: str


class Pace:
    """Maps a measured moment to seconds since the journey began, at the company's real pace.

    Only the company's waits were shortened on a sped-up run, so time inside a hold is
    stretched by the speed-up and the rest is kept, as :func:`at_real_pace` does for scores.
    """

    def __init__(self, origin: float, holds: Iterable[tuple[float, float]], time_scale: float) -> None:
        self.origin = origin
        self.time_scale = time_scale or 1.0
        self.holds = _merged(holds) if self.time_scale != 1 else []

    def __call__(self, moment: float) -> float:
        elapsed = moment - self.origin
        waited = sum(max(0.0, min(end, moment) - start) for start, end in self.holds if start < moment)
        return at_real_pace(elapsed, waited, self.time_scale) if waited else elapsed


def _merged(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping spans as one (two contacts on hold at once wait once, not twice)."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def hold_spans(events: Sequence[dict[str, Any]]) -> list[tuple[float, float]]:
    """The contact's holds, each start paired with the next end, as the hold time is measured."""
    spans: list[tuple[float, float]] = []
    started: float | None = None
    for event in events:
        if event["kind"] == "hold_started" and started is None:
            started = event["at"]
        elif event["kind"] == "hold_ended" and started is not None:
            spans.append((started, event["at"]))
            started = None
    if started is not None and events:
        spans.append((started, events[-1]["at"]))
    return spans


def _bounds(contact: dict[str, Any]) -> tuple[float, float] | None:
    """When a contact began and ended, from its own times or else its events."""
    moments = [event["at"] for event in contact["events"]]
    start = contact.get("started_at")
    end = contact.get("ended_at")
    start = start if start is not None else min(moments, default=None)
    end = end if end is not None else max(moments, default=start)
    if start is None or end is None:
        return None
    return start, max(end, start, *moments)


def _agent_name(event: dict[str, Any]) -> str:
    agent, department = event.get("agent"), event.get("department")
    if agent and department:
        return f"{agent} ({department})"
    return str(agent or department or "agent")


def phases(events: Sequence[dict[str, Any]], end: float) -> list[tuple[str, float, float, str]]:
    """The contact's menu and agent spans: (kind, start, end, label).

    A menu lasts from its first prompt until a queue, a person or the end; an agent
    from joining until the next agent, a transfer, an escalation or the end. A hold
    with an agent ("please hold") keeps the agent: holds are drawn on top.
    """
    found: list[tuple[str, float, float, str]] = []
    current: tuple[str, float, str] | None = None

    def close(at: float) -> None:
        nonlocal current
        if current is not None:
            found.append((current[0], current[1], at, current[2]))
            current = None

    for event in events:
        kind, at = event["kind"], event["at"]
        if kind == "menu_prompt" and (current is None or current[0] != "menu"):
            close(at)
            current = ("menu", at, "phone menu")
        elif kind == "agent_joined":
            close(at)
            current = ("agent", at, _agent_name(event))
        elif kind in BAND_MARKERS or kind == "contact_ended":
            close(at)
        elif kind == "hold_started" and current is not None and current[0] == "menu":
            close(at)  # the menu led to a queue
    close(end)
    return found


def _marker_title(event: dict[str, Any], row: dict[str, Any], at: float) -> str:
    words = row["text"] or event.get("text", "")
    if len(words) > 160:
        words = words[:157] + "..."
    detail = f" ({row['detail']})" if row["detail"] else ""
    return f"{row['label']}{detail} at {tick_label(at)}" + (f": {words}" if words else "")


def _marker_kind(event: dict[str, Any], asked: set[str]) -> str:
    kind = str(event["kind"])
    if kind == "info_requested":
        field = event.get("field_name") or ""
        again = field in asked
        asked.add(field)
        return "recapture" if again and field else kind
    if kind == "outcome":
        resolved = event.get("resolved")
        return "resolved" if resolved else "unresolved" if resolved is False else "outcome"
    return kind


def spread(xs: Sequence[float], gap: float = MARK_GAP, right: float = WIDTH - 6) -> list[float]:
    """Markers' x, nudged apart so that no two overlap (several things often happen at once:
    an outcome, a reference and a promise in one message); the titles keep the exact times."""
    placed: list[float] = []
    for x in xs:
        placed.append(max(x, placed[-1] + gap) if placed else x)
    for index in range(len(placed) - 1, -1, -1):
        limit = right if index == len(placed) - 1 else placed[index + 1] - gap
        placed[index] = min(placed[index], limit)
    return placed


def marker_path(kind: str, x: float, top: float, across_band: bool = True) -> str:
    """The shape of a marker at ``x``; ``top`` is the lane's top. Transfers and escalations
    also cross the band (``across_band``), so the moment the customer was moved stands out."""
    band_top, band_bottom, row = top + BAND_TOP - 3, top + BAND_TOP + BAND_HEIGHT + 3, top + MARK_ROW
    line = f"M{x:.1f} {band_top:.1f}V{band_bottom:.1f}" if across_band else ""
    if kind == "transferred":
        return f"{line}M{x - 4:.1f} {row - 5:.1f}l8 5l-8 5z"
    if kind == "escalated":
        return f"{line}M{x - 5:.1f} {row + 4:.1f}l5 -9l5 9z"
    if kind in ("info_requested", "recapture"):
        return f"M{x:.1f} {row - 5:.1f}V{row + 5:.1f}"
    if kind == "asked_who_first":  # a request with a bar across its top: asked before heard
        return f"M{x:.1f} {row - 5:.1f}V{row + 5:.1f}M{x - 4:.1f} {row - 5:.1f}h8"
    if kind == "reference_given":
        return f"M{x - 3.5:.1f} {row - 3.5:.1f}h7v7h-7z"
    if kind == "promise_made":
        return f"M{x:.1f} {row - 5:.1f}l5 5l-5 5l-5 -5z"
    if kind == "conferenced":  # someone added to the contact, which stays where it is
        return f"M{x - 5:.1f} {row:.1f}h10M{x:.1f} {row - 5:.1f}v10"
    if kind == "followed_up":  # an envelope: the company wrote again on its own
        return f"M{x - 5:.1f} {row - 3.5:.1f}h10v7h-10zl5 4l5 -4"
    if kind == "policy_recited":  # three lines of small print, read out
        return "".join(f"M{x - 4:.1f} {row + dy:.1f}h8" for dy in (-4, 0, 4))
    if kind in ("resolved", "unresolved", "outcome"):
        return f"M{x - 5:.1f} {row:.1f}a5 5 0 1 0 10 0a5 5 0 1 0 -10 0"
    return f"M{x - 3:.1f} {row - 3:.1f}l6 6M{x - 3:.1f} {row + 3:.1f}l6 -6"


def tick_label(offset: float) -> str:
    """Seconds since the journey began as a clock reads: ``0:45``, ``12:05``, ``1:02:00``."""
    whole = max(0, round(offset))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def ticks(drawn_seconds: float) -> list[float]:
    """Round moments for the axis: the smallest usual step that gives at most eight ticks."""
    days = TICK_STEPS[-1] * math.ceil(drawn_seconds / TICK_STEPS[-1] / MAX_TICKS)
    step = next((step for step in TICK_STEPS if drawn_seconds / step <= MAX_TICKS), days)
    return [index * step for index in range(int(drawn_seconds // step) + 1)]


class _Scale:
    """Drawn seconds to x, left of the plot being the journey's first moment."""

    def __init__(self, pace: Pace, drawn_seconds: float, left: float, width: float) -> None:
        self.pace, self.left = pace, left
        self.per_second = width / drawn_seconds

    def x(self, moment: float) -> float:
        return self.left + self.pace(moment) * self.per_second

    def x_of_offset(self, offset: float) -> float:
        return self.left + offset * self.per_second


def _people(events: Sequence[dict[str, Any]], end: float, band_y: float, scale: _Scale) -> list[Span]:
    """The menu and agent spans of a contact, in the band's upper row; an agent named when it fits."""
    spans = []
    for kind, begin, stop, label in phases(events, end):
        x, width = scale.x(begin), scale.x(stop) - scale.x(begin)
        shown = label if kind == "agent" and len(label) * CHAR_WIDTH + 6 <= width else ""
        when = f"from {tick_label(scale.pace(begin))} to {tick_label(scale.pace(stop))}"
        spans.append(
            Span(
                kind, x, band_y, max(width, 1.0), PEOPLE_HEIGHT, f"{label} {when}", shown, x + 3, band_y + 10
            )
        )
    return spans


def _holds(events: Sequence[dict[str, Any]], band_y: float, scale: _Scale) -> list[Span]:
    """The holds of a contact, in the band's lower row, each titled with how long it lasted."""
    spans = []
    for begin, stop in hold_spans(events):
        x, width = scale.x(begin), scale.x(stop) - scale.x(begin)
        waited = scale.pace(stop) - scale.pace(begin)
        title = f"on hold {tick_label(waited)} (from {tick_label(scale.pace(begin))})"
        spans.append(
            Span("hold", x, band_y + PEOPLE_HEIGHT, max(width, 1.0), BAND_HEIGHT - PEOPLE_HEIGHT, title)
        )
    return spans


def _markers(contact: dict[str, Any], top: float, scale: _Scale, asked: set[str]) -> list[Marker]:
    """The contact's moments: those below the band nudged apart, transfers across it drawn last."""
    found: list[tuple[str, float, str]] = []
    for event, row in zip(contact["events"], contact_rows(contact), strict=True):
        if event["kind"] in BAND_MARKERS + ROW_MARKERS:
            title = _marker_title(event, row, scale.pace(event["at"]))
            kind = _marker_kind(event, asked)
            found.append(("asked_who_first" if row["who_first"] else kind, scale.x(event["at"]), title))
    below = [mark for mark in found if mark[0] not in BAND_MARKERS]
    across = [mark for mark in found if mark[0] in BAND_MARKERS]
    placed = spread([x for _, x, _ in below])
    return [
        Marker(kind, x, marker_path(kind, x, top), title)
        for (kind, _, title), x in zip(below, placed, strict=True)
    ] + [Marker(kind, x, marker_path(kind, x, top), title) for kind, x, title in across]


def _lane(contact: dict[str, Any], top: float, scale: _Scale, asked: set[str]) -> Lane:
    bounds = _bounds(contact)
    assert bounds is not None  # contacts without any time were left out
    start, end = bounds
    band_y = top + BAND_TOP
    setup = bool(contact.get("setup"))
    title = f"{contact['channel']}: {contact['purpose']}" + (" (setting up)" if setup else "")
    purpose = str(contact["purpose"])
    return Lane(
        channel=str(contact["channel"]) + (" (setup)" if setup else ""),
        purpose=purpose if len(purpose) <= 26 else purpose[:25] + "…",
        title=title,
        label_y=band_y + 10,
        purpose_y=band_y + 25,
        background=Span(
            "contact", scale.x(start), band_y, max(scale.x(end) - scale.x(start), 1.0), BAND_HEIGHT, title
        ),
        spans=tuple(_people(contact["events"], end, band_y, scale)),
        holds=tuple(_holds(contact["events"], band_y, scale)),
        markers=tuple(_markers(contact, top, scale, asked)),
    )


def _legend(y: float) -> tuple[LegendItem, ...]:
    """The legend's items from left to right, on as many rows as the picture's width needs."""
    items: list[LegendItem] = []
    x = 4.0
    for kind, text in LEGEND:
        width = 18 + len(text) * CHAR_WIDTH
        if x + width > WIDTH and items:  # the next row, rather than past the picture's edge
            x, y = 4.0, y + LEGEND_HEIGHT
        if kind in ("menu", "agent", "hold"):
            path = f"M{x:.1f} {y - 5:.1f}h14v10h-14z"
        else:
            path = marker_path(kind, x + 6, y - MARK_ROW, across_band=False)
        items.append(LegendItem(kind, x, path, text, x + 18, y + 4))
        x += width + 10
    return tuple(items)


def _description(record: dict[str, Any], lanes: int, drawn: float, speedup: float | None) -> str:
    pace = f", at the company's real pace ({speedup:g}x the measured holds)" if speedup else ""
    return (
        f"Timeline of {record.get('name', 'the journey')}: {lanes} contact{'' if lanes == 1 else 's'} "
        f"over {tick_label(drawn)}{pace}"
    )


def timeline_picture(record: dict[str, Any]) -> TimelinePicture:
    """Lay out a journey record's contacts, holds, agents and markers for the SVG."""
    contacts = [contact for contact in record.get("contacts", []) if _bounds(contact) is not None]
    scale_factor = record.get("time_scale") or 1.0
    all_bounds = [_bounds(contact) for contact in contacts]
    origin = min((bounds[0] for bounds in all_bounds if bounds), default=0.0)
    holds = [span for contact in contacts for span in hold_spans(contact["events"])]
    pace = Pace(origin, holds, scale_factor)
    drawn = max((pace(bounds[1]) for bounds in all_bounds if bounds), default=0.0) or 1.0
    plot_width = WIDTH - GUTTER - RIGHT
    scale = _Scale(pace, drawn, GUTTER, plot_width)
    asked: set[str] = set()
    lanes = tuple(
        _lane(contact, TOP + index * LANE_HEIGHT, scale, asked) for index, contact in enumerate(contacts)
    )
    axis_top = TOP + len(lanes) * LANE_HEIGHT
    tick_marks = tuple(Tick(scale.x_of_offset(offset), tick_label(offset)) for offset in ticks(drawn))
    legend_y = axis_top + AXIS_HEIGHT + LEGEND_HEIGHT / 2
    legend = _legend(legend_y)
    speedup = 1 / scale_factor if scale_factor != 1 else None
    return TimelinePicture(
        width=WIDTH,
        height=legend[-1].text_y - 4 + LEGEND_HEIGHT / 2,
        plot_left=GUTTER,
        plot_width=plot_width,
        lanes=lanes,
        ticks=tick_marks,
        axis_top=TOP,
        axis_bottom=axis_top + 4,
        tick_label_y=axis_top + 16,
        legend=legend,
        legend_y=legend_y + 4,
        drawn_seconds=drawn,
        speedup=speedup,
        description=_description(record, len(lanes), drawn, speedup),
    )


def render_timeline_svg(record: dict[str, Any]) -> str:
    """The timeline picture of a record as an SVG element (for tests and other pages)."""
    from reports.formatting import environment

    template = environment().get_template("_timeline.svg.j2")
    macro: Any = template.module.timeline  # type: ignore[attr-defined]
    return str(macro(timeline_picture(record)))


__all__ = [
    "Lane",
    "Marker",
    "Pace",
    "Span",
    "TimelinePicture",
    "hold_spans",
    "phases",
    "render_timeline_svg",
    "timeline_picture",
]
