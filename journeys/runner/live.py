"""The live view of a running suite: each journey in flight, and a line as each one ends.

On a terminal, a block of lines is redrawn in place, one per journey in flight::

    phone · Cancel a web order right away by phone · on hold 3:12
    chat · Claim on a kettle whose warranty ended · asked for order number again 0:04

and a line stays as each journey ends, with its outcome and score::

    ✓ chat · Ask for a return in the chat · resolved · 87
    ✗ phone · Cancel a web order right away by phone · unresolved · 41 · 1 finding

Not on a terminal (CI, a pipe) the same words come as plain lines, one each time
something changes (a journey started, does something new, ended), never a cursor
movement. ``-q`` keeps only the end lines; ``-qq`` or ``--live off`` shows nothing of
ours. What a journey is doing comes from its own timeline (see
:mod:`journeys.domain.progress`), through its feed (:mod:`journeys.runner.live_feed`).

Durations are as the customer would live them: the company's waits (a queue, a hold,
an e-mail reply) at the company's real pace, as the reports judge them (a demo company
run with ``--time-scale 0.002`` holds 500 times faster, so its clock goes 500 times
faster too), anything else as it happens.

Reporters follow Elastic synthetics' small interface: :class:`Reporter` has
``on_journey_start``, ``on_journey_state`` (a new state standing for a step's end),
``on_journey_end`` and ``on_run_end``; :class:`PlainLines` and :class:`RedrawnBlock`
implement it, and :class:`LiveView` feeds one from the feeds and the journeys' records.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TextIO

from journeys.domain.progress import Doing
from journeys.domain.secrets import Secrets
from journeys.runner.live_feed import FeedEntry, FeedReader
from journeys.scoring.scorecard import journey_channels, record_outcome
from reports.formatting import OUTCOME_WORDS, points

LiveMode = Literal["auto", "lines", "off"]
LIVE_MODES: tuple[LiveMode, ...] = ("auto", "lines", "off")
REDRAW_SECONDS = 0.5
"""How often the terminal's block is redrawn (and the feeds read) at most."""


@dataclass(frozen=True)
class Marks:
    """The symbols of the lines: Unicode where the terminal's encoding has them."""

    passed: str = "✓"
    failed: str = "✗"
    stopped: str = "–"
    between: str = " · "


ASCII_MARKS = Marks(passed="v", failed="x", stopped="-", between=" | ")


def marks_for(encoding: str | None) -> Marks:
    """Unicode marks when the stream can write them, plain ASCII otherwise."""
    try:
        "✓✗–·".encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return ASCII_MARKS
    return Marks()


def clock_time(seconds: float) -> str:
    """A duration as a stopwatch shows it: ``0:04``, ``3:12``, ``1:02:03``."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"


def lived(doing: Doing, now: float, time_scale: float) -> float:
    """Seconds the customer has been doing it: a company's wait at the company's real pace."""
    elapsed = max(0.0, now - doing.since)
    return elapsed / time_scale if doing.waiting and time_scale > 0 else elapsed


@dataclass(frozen=True)
class InFlight:
    """A journey the live view follows: its name, and what it is doing (None before a contact)."""

    journey_id: str
    name: str
    started_at: float
    doing: Doing | None = None


def state_line(journey: InFlight, marks: Marks = Marks()) -> str:
    """``phone · Cancel by phone · on hold``: channel, journey, what it does (a plain line)."""
    if journey.doing is None:
        return f"{journey.name}{marks.between}started"
    return marks.between.join((journey.doing.channel, journey.name, journey.doing.words))


def in_flight_line(journey: InFlight, now: float, time_scale: float, marks: Marks = Marks()) -> str:
    """A state line with how long it has lasted: ``phone · Cancel by phone · on hold 3:12``."""
    if journey.doing is None:
        return f"{state_line(journey, marks)} {clock_time(now - journey.started_at)}"
    return f"{state_line(journey, marks)} {clock_time(lived(journey.doing, now, time_scale))}"


def end_line(record: Mapping[str, Any], score: float | None, marks: Marks = Marks()) -> str:
    """A journey's last line, from its record: mark, channels, name, outcome, score, findings.

    ``✓ chat · Ask for a return in the chat · resolved · 87``; a broken journey says why,
    an interrupted one that it was, a journey no criterion applied to ``no score``.
    """
    status = str(record.get("status", ""))
    mark = {"passed": marks.passed, "interrupted": marks.stopped}.get(status, marks.failed)
    channels = "+".join(journey_channels(record)) or "no channel"
    parts = [f"{mark} {channels}", str(record.get("name", ""))]
    if status == "broken":
        message = str((record.get("breakage") or {}).get("message", ""))
        parts.append(f"broken: {message}" if message else "broken")
    elif status == "interrupted":
        parts.append("interrupted")
    else:
        parts.append(OUTCOME_WORDS[record_outcome(record)])
        parts.append(points(score) if score is not None else "no score")
        found = len(record.get("findings", []))
        if found:
            parts.append(f"{found} finding{'' if found == 1 else 's'}")
    return marks.between.join(parts)


class Reporter(Protocol):
    """What the live view tells as a run goes (Elastic synthetics' reporter interface)."""

    def on_journey_start(self, journey: InFlight) -> None: ...

    def on_journey_state(self, journey: InFlight) -> None: ...

    def on_journey_end(self, journey_id: str, line: str) -> None: ...

    def on_run_end(self) -> None: ...

    def tick(self) -> None:
        """Called about every :data:`REDRAW_SECONDS`: time to redraw durations, if shown."""
        ...


class Screen(Protocol):
    """Where the reporters write, sharing the terminal with pytest's own output."""

    marks: Marks

    def write(self, text: str) -> None:
        """Write as is (the block, cursor movements); pytest's line is not taken as ended."""
        ...

    def write_line(self, text: str) -> None:
        """Write a line of its own: on a fresh line after whatever pytest left on its line."""
        ...

    def pytest_column(self) -> int:
        """The column pytest's output has reached on its current line (0: a fresh line)."""
        ...

    def width(self) -> int: ...

    def height(self) -> int: ...


class PlainLines:
    """One line per change: for CI logs and pipes, and for ``-q`` (end lines only)."""

    def __init__(self, screen: Screen, *, states: bool) -> None:
        self.screen = screen
        self.states = states

    def on_journey_start(self, journey: InFlight) -> None:
        if self.states:
            self.screen.write_line(state_line(journey, self.screen.marks))

    def on_journey_state(self, journey: InFlight) -> None:
        if self.states:
            self.screen.write_line(state_line(journey, self.screen.marks))

    def on_journey_end(self, journey_id: str, line: str) -> None:
        self.screen.write_line(line)

    def on_run_end(self) -> None:
        return None

    def tick(self) -> None:
        return None

    def erase(self) -> None:
        return None

    def draw(self) -> None:
        return None


ERASE_BELOW = "\x1b[J"


class RedrawnBlock:
    """On a terminal: the journeys in flight redrawn in place under pytest's output, and a
    line left for each journey that ends.

    The block is drawn below pytest's current line, so that pytest's own progress (its
    dots, ``-v`` lines) is untouched: before pytest writes, the block is erased and the
    cursor put back after pytest's last character (:meth:`erase`); then it is drawn again.
    Each line is cut to the terminal's width, so none wraps and the count of lines to go
    back up stays true.
    """

    def __init__(self, screen: Screen, *, time_scale: float, clock: Callable[[], float] = time.time) -> None:
        self.screen = screen
        self.time_scale = time_scale
        self.clock = clock
        self.in_flight: dict[str, InFlight] = {}
        self._drawn = 0  # lines of the block on the screen
        self._column = 0  # where pytest's line ended when the block was drawn below it
        self._shown: list[str] = []

    def lines(self) -> list[str]:
        """The block as it would be drawn now."""
        now = self.clock()
        marks = self.screen.marks
        lines = [in_flight_line(journey, now, self.time_scale, marks) for journey in self.in_flight.values()]
        if lines and self.time_scale != 1:
            faster = f"{1 / self.time_scale:g}x faster"
            lines.insert(0, f"(waits at the company's real pace; this run waits {faster})")
        room = max(self.screen.height() - 2, 2)  # a block taller than the screen cannot be gone back up
        if len(lines) > room:
            lines = [*lines[: room - 1], f"... and {len(lines) - room + 1} more in flight"]
        width = max(self.screen.width() - 1, 10)
        return [line if len(line) <= width else line[: width - 1] + "…" for line in lines]

    def erase(self) -> None:
        """Take the block off the screen, the cursor back where pytest left it."""
        if not self._drawn:
            return
        up = self._drawn - 1 + (1 if self._column else 0)
        back = "\r" + (f"\x1b[{up}A" if up else "") + (f"\x1b[{self._column}C" if self._column else "")
        self.screen.write(back + ERASE_BELOW)
        self._drawn, self._shown = 0, []

    def draw(self) -> None:
        """Draw the block under pytest's current line (nothing when no journey is in flight)."""
        lines = self.lines()
        if not lines:
            return
        self._column = self.screen.pytest_column()
        self.screen.write(("\n" if self._column else "") + "\n".join(lines))
        self._drawn, self._shown = len(lines), lines

    def tick(self) -> None:
        if self.lines() != self._shown:
            self.erase()
            self.draw()

    def on_journey_start(self, journey: InFlight) -> None:
        self.in_flight[journey.journey_id] = journey

    def on_journey_state(self, journey: InFlight) -> None:
        self.in_flight[journey.journey_id] = journey

    def on_journey_end(self, journey_id: str, line: str) -> None:
        self.in_flight.pop(journey_id, None)
        self.erase()
        self.screen.write_line(line)
        self.draw()

    def on_run_end(self) -> None:
        self.erase()
        self.in_flight.clear()


class TerminalScreen:
    """The terminal pytest writes to, shared with it.

    It writes through its own duplicate of the terminal's file descriptor: without xdist
    the journeys run in the same process, where pytest captures the real one while a test
    runs, and the live view's lines would land in the test's captured output. ``pytest_
    column`` follows pytest's terminal writer, minus what was on its line when the live
    view last started a line of its own (pytest does not know the view broke its line).
    """

    def __init__(
        self, stream: TextIO, pytest_width: Callable[[], int], size: Callable[[], os.terminal_size]
    ) -> None:
        self.stream = stream
        self.marks = marks_for(getattr(stream, "encoding", None))
        self._pytest_width = pytest_width
        self._size = size
        self._broken_at: int | None = None

    def write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def write_line(self, text: str) -> None:
        self.write(("\n" if self.pytest_column() else "") + text + "\n")
        self._broken_at = self._pytest_width()

    def pytest_column(self) -> int:
        width = self._pytest_width()
        if self._broken_at is not None:
            if width >= self._broken_at:
                return width - self._broken_at
            self._broken_at = None
        return width

    def width(self) -> int:
        return self._size().columns

    def height(self) -> int:
        return self._size().lines


class LiveView:
    """Follows the journeys' feeds and tells a reporter, from a thread of its own.

    Every call that writes holds one lock, and pytest's own writes are wrapped in
    :meth:`pytest_writes`, so the view and pytest never write at once. The thread is a
    daemon and stops on :meth:`stop` (the session's end, Ctrl-C included).
    """

    def __init__(self, reporter: PlainLines | RedrawnBlock, reader: FeedReader, secrets: Secrets) -> None:
        self.reporter = reporter
        self.reader = reader
        self.secrets = secrets
        self.lock = threading.RLock()
        self._in_flight: dict[str, InFlight] = {}
        self._ended: set[str] = set()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="mystery-shopper-live-view", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(REDRAW_SECONDS):
            try:
                with self.lock:
                    self.poll()
                    self.reporter.tick()
            except Exception:  # a view that cannot read or write must never stop a run
                continue

    def poll(self) -> None:
        """Tell the reporter every feed line written since the last look."""
        with self.lock:
            for entry in self.reader.new_entries():
                self._tell(entry)

    def _tell(self, entry: FeedEntry) -> None:
        if entry.journey_id in self._ended:
            return
        known = self._in_flight.get(entry.journey_id)
        doing = entry.doing
        if doing is not None:
            doing = dataclasses.replace(doing, words=self.secrets.scrub(doing.words))
        journey = InFlight(
            journey_id=entry.journey_id,
            name=self.secrets.scrub(entry.name),
            started_at=known.started_at if known else entry.at,
            doing=doing,
        )
        self._in_flight[entry.journey_id] = journey
        if known is None:
            self.reporter.on_journey_start(journey)
        if entry.doing is not None:
            self.reporter.on_journey_state(journey)

    def in_flight(self) -> list[str]:
        """The journeys seen starting and not yet ended, after a last look at the feeds."""
        with self.lock:
            self.poll()
            return list(self._in_flight)

    def journey_ended(self, journey_id: str, record: Mapping[str, Any], score: float | None) -> None:
        """A journey's end: its last states first (so a log reads in order), then its line."""
        with self.lock:
            self.poll()
            self._ended.add(journey_id)
            self._in_flight.pop(journey_id, None)
            line = end_line(record, score, self.reporter.screen.marks)
            self.reporter.on_journey_end(journey_id, self.secrets.scrub(line))

    @contextmanager
    def pytest_writes(self, flush: Callable[[], None]) -> Iterator[None]:
        """Around pytest's own writing: the block off the screen, then back after pytest's text."""
        with self.lock:
            self.reporter.erase()
            try:
                yield
            finally:
                flush()
                self.reporter.draw()

    def stop(self) -> None:
        """Stop the thread, show the last states, take the block away; safe to call twice."""
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        with self.lock:
            try:
                self.poll()
            finally:
                self.reporter.on_run_end()
