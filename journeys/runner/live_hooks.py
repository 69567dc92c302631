"""The live view inside pytest: which view a run gets, and the hooks that feed and guard it.

Which view (decided once, by the controller, and documented in the README):

- ``--live off``, or ``-qq``: nothing beyond pytest's own output;
- ``-q``: one line per journey as it ends (outcome and score), no journey in flight;
- ``--live lines``, or standard output not a terminal (CI, a pipe, ``TERM=dumb``): plain
  lines, one each time a journey starts, does something new or ends;
- otherwise (a terminal): the journeys in flight redrawn in place, and the end lines.

A journey's end line is written when the controller receives its teardown report
(pytest's own, from any xdist worker): by then the journey's record is on disk, and the
line scores it with the run's rubric, as the run report will. pytest's own writes to
the terminal (its progress dots, ``-v`` lines) are wrapped so that the view's thread
never writes at the same time and the redrawn block is never in their way.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest

from journeys.domain.secrets import Secrets
from journeys.journey.actor import journey_id_for
from journeys.runner.live import LiveMode, LiveView, PlainLines, RedrawnBlock, TerminalScreen
from journeys.runner.live_feed import LIVE_FOLDER, FeedReader
from journeys.scoring.rubric import Rubric
from journeys.scoring.scorecard import score_journey

ViewKind = str  # "off", "ends", "lines", "block"


def view_kind(mode: LiveMode, verbosity: int, terminal: bool) -> ViewKind:
    """Which view a run gets (see the module's docstring)."""
    if mode == "off" or verbosity <= -2:
        return "off"
    if verbosity == -1:
        return "ends"
    if mode == "lines" or not terminal:
        return "lines"
    return "block"


def feeds_folder(shared_folder: Path) -> Path:
    """Where the journeys of a run write their feeds."""
    return shared_folder / LIVE_FOLDER


def _own_stream() -> TextIO | None:
    """A stream on the terminal pytest writes to, of its own (see :class:`TerminalScreen`)."""
    try:
        descriptor = os.dup(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return None  # no real standard output (pytest run inside a process that captured it)
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    return os.fdopen(descriptor, "w", encoding=encoding, errors="replace")


def is_terminal(stream: TextIO) -> bool:
    return stream.isatty() and os.environ.get("TERM") != "dumb"


class LiveHooks:
    """The controller's live view, registered as a plugin while the run goes."""

    def __init__(
        self,
        config: pytest.Config,
        *,
        kind: ViewKind,
        stream: TextIO,
        shared_folder: Path,
        run_dir: Path,
        rubric: Rubric,
        secrets: Secrets,
        time_scale: float,
    ) -> None:
        self.config = config
        self.stream = stream
        self.run_dir = run_dir
        self.rubric = rubric
        screen = TerminalScreen(
            stream,
            pytest_width=lambda: config.get_terminal_writer().width_of_current_line,
            size=shutil.get_terminal_size,
        )
        reporter = (
            RedrawnBlock(screen, time_scale=time_scale)
            if kind == "block"
            else PlainLines(screen, states=kind == "lines")
        )
        self.view = LiveView(reporter, FeedReader(feeds_folder(shared_folder)), secrets)

    def _flush(self) -> None:
        self.config.get_terminal_writer().flush()

    @classmethod
    def wanted(cls, config: pytest.Config, mode: LiveMode) -> tuple[ViewKind, TextIO | None]:
        """The view this run gets, and the stream for it (None when there is none)."""
        if view_kind(mode, config.get_verbosity(), terminal=False) == "off":
            return "off", None  # whatever the terminal: no need to open a stream
        stream = _own_stream()
        if stream is None:
            return "off", None
        return view_kind(mode, config.get_verbosity(), is_terminal(stream)), stream

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.view.start()

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> Iterator[None]:
        with self.view.pytest_writes(self._flush):
            return (yield)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> Iterator[None]:
        with self.view.pytest_writes(self._flush):
            result = yield
        if report.when == "teardown":
            self._ended(report.nodeid)
        return result

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> Iterator[None]:
        with self.view.pytest_writes(self._flush):
            return (yield)

    def _ended(self, nodeid: str) -> None:
        """The end line of the journey this test ran, once its record is on disk."""
        self._journey_ended(journey_id_for(nodeid))

    def _journey_ended(self, journey_id: str) -> None:
        path = self.run_dir / "journeys" / f"{journey_id}.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            score = score_journey(record, self.rubric).score
        except Exception:  # not a journey (a plain test beside them), no record: nothing to say
            return
        self.view.journey_ended(journey_id, record, score)

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Iterator[None]:
        """Once pytest tore the last journeys down, and before its summary: end lines for the
        journeys still in flight whose record says how they ended (Ctrl-C writes ``interrupted``
        as they are torn down, with no teardown report), then the view stops.

        A wrapper, because after Ctrl-C the teardown fails (the browser was closed under the
        journey) and pytest then skips the hook's later implementations.
        """
        try:
            return (yield)
        finally:
            for journey_id in self.view.in_flight():
                self._journey_ended(journey_id)
            self.stop()

    def stop(self) -> None:
        """Stop the view before pytest's summary; the stream is closed once."""
        if self.stream.closed:
            return
        try:
            self.view.stop()
        finally:
            self.stream.close()
