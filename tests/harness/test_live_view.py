"""The live view's words, feeds and terminal handling, without a browser or a run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from journeys.domain.progress import Doing
from journeys.domain.secrets import Secrets
from journeys.domain.timeline import EventKind
from journeys.runner.live import (
    ASCII_MARKS,
    LIVE_MODES,
    InFlight,
    LiveView,
    Marks,
    PlainLines,
    RedrawnBlock,
    clock_time,
    end_line,
    in_flight_line,
    marks_for,
    state_line,
)
from journeys.runner.live_feed import FeedReader, LiveFeed
from journeys.runner.live_hooks import view_kind

NOW = 1_000_000.0
ROOT = Path(__file__).resolve().parents[2]


class FakeScreen:
    """A terminal that keeps what was written, with pytest's line at a given column."""

    def __init__(self, column: int = 0, width: int = 80, height: int = 24) -> None:
        self.marks = Marks()
        self.written: list[str] = []
        self.column = column
        self.columns = width
        self.lines = height

    def write(self, text: str) -> None:
        self.written.append(text)

    def write_line(self, text: str) -> None:
        self.written.append(text + "\n")

    def pytest_column(self) -> int:
        return self.column

    def width(self) -> int:
        return self.columns

    def height(self) -> int:
        return self.lines

    @property
    def text(self) -> str:
        return "".join(self.written)


class DoingJourney:
    """Stands for a Journey: the feed only asks what it is doing."""

    def __init__(self) -> None:
        self.now: Doing | None = None

    def doing(self) -> Doing | None:
        return self.now


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (4.9, "0:04"), (192, "3:12"), (3723, "1:02:03"), (-2, "0:00")]
)
def test_a_duration_reads_as_a_stopwatch(seconds: float, shown: str) -> None:
    assert clock_time(seconds) == shown


def test_a_hold_is_shown_at_the_company_s_real_pace_and_talk_as_it_happens() -> None:
    hold = InFlight("j1", "Cancel by phone", NOW - 60, Doing("phone", "on hold", NOW - 0.3842, waiting=True))
    assert in_flight_line(hold, NOW, time_scale=0.002) == "phone · Cancel by phone · on hold 3:12"
    assert in_flight_line(hold, NOW, time_scale=1.0) == "phone · Cancel by phone · on hold 0:00"

    talk = InFlight("j2", "Return in chat", NOW - 60, Doing("chat", "asked for order number again", NOW - 4))
    assert (
        in_flight_line(talk, NOW, time_scale=0.002)
        == "chat · Return in chat · asked for order number again 0:04"
    )


def test_a_journey_before_its_first_contact_has_no_channel_yet() -> None:
    journey = InFlight("j1", "Cancel by phone", NOW - 7)
    assert state_line(journey) == "Cancel by phone · started"
    assert in_flight_line(journey, NOW, 1.0) == "Cancel by phone · started 0:07"


def record(status: str, **more: Any) -> dict[str, Any]:
    return {
        "name": "Ask for a return in the chat",
        "status": status,
        "contacts": [{"channel": "web", "setup": True}, {"channel": "chat", "setup": False}],
        "metrics": {"outcome": "resolved"},
        "findings": [],
        **more,
    }


def test_end_lines_say_outcome_score_and_findings() -> None:
    assert end_line(record("passed"), 87.0) == "✓ chat · Ask for a return in the chat · resolved · 87"
    unresolved = record("findings", metrics={"outcome": "unresolved"}, findings=[{"expectation": "x"}])
    assert (
        end_line(unresolved, 41.5) == "✗ chat · Ask for a return in the chat · unresolved · 41.5 · 1 finding"
    )
    broken = record("broken", breakage={"message": "chat: the company stopped answering", "channel": "chat"})
    assert (
        end_line(broken, None)
        == "✗ chat · Ask for a return in the chat · broken: chat: the company stopped answering"
    )
    assert end_line(record("interrupted"), None) == "– chat · Ask for a return in the chat · interrupted"
    assert (
        end_line(record("passed"), None, ASCII_MARKS)
        == "v chat | Ask for a return in the chat | resolved | no score"
    )


def test_marks_fall_back_to_ascii_where_the_terminal_cannot_write_them() -> None:
    assert marks_for("utf-8") == Marks()
    assert marks_for("ascii") == ASCII_MARKS
    assert marks_for(None) == ASCII_MARKS


@pytest.mark.parametrize(
    ("mode", "verbosity", "terminal", "kind"),
    [
        ("auto", 0, True, "block"),
        ("auto", 0, False, "lines"),
        ("lines", 1, True, "lines"),
        ("auto", -1, True, "ends"),
        ("auto", -2, False, "off"),
        ("off", 0, True, "off"),
    ],
)
def test_which_view_a_run_gets(mode: Any, verbosity: int, terminal: bool, kind: str) -> None:
    assert view_kind(mode, verbosity, terminal) == kind


def test_plain_lines_say_each_change_and_quiet_ones_only_the_end() -> None:
    journey = InFlight("j1", "Return in chat", NOW, Doing("chat", "in the queue", NOW, waiting=True))
    for states, expected in (
        (True, ["chat · Return in chat · in the queue\n", "✓ end\n"]),
        (False, ["✓ end\n"]),
    ):
        screen = FakeScreen()
        lines = PlainLines(screen, states=states)
        lines.on_journey_state(journey)
        lines.on_journey_end("j1", "✓ end")
        assert screen.written == expected
        assert "\x1b" not in screen.text


def test_the_block_is_erased_back_to_where_pytest_left_its_line() -> None:
    screen = FakeScreen(column=3, width=40)
    block = RedrawnBlock(screen, time_scale=1.0, clock=lambda: NOW)
    block.on_journey_state(InFlight("j1", "A", NOW, Doing("chat", "with Dana (Orders)", NOW - 5)))
    block.on_journey_state(InFlight("j2", "B" * 60, NOW, Doing("phone", "on hold", NOW - 1, waiting=True)))
    block.draw()
    drawn = screen.written[-1]
    assert drawn.startswith("\nchat · A · with Dana (Orders) 0:05\nphone · BBB")
    assert all(len(line) <= 39 for line in drawn.splitlines())  # cut to the terminal's width
    block.erase()
    assert screen.written[-1] == "\r\x1b[2A\x1b[3C\x1b[J"  # up two lines, three columns right, erase below
    block.erase()
    assert len(screen.written) == 2  # nothing left to erase


def test_a_block_taller_than_the_screen_says_how_many_more_are_in_flight() -> None:
    block = RedrawnBlock(FakeScreen(height=6), time_scale=1.0, clock=lambda: NOW)
    for number in range(10):
        block.on_journey_start(InFlight(f"j{number}", f"journey {number}", NOW))
    assert block.lines() == [
        "journey 0 · started 0:00",
        "journey 1 · started 0:00",
        "journey 2 · started 0:00",
        "... and 7 more in flight",
    ]


def test_the_block_says_waits_are_at_the_company_s_pace_when_the_run_is_faster() -> None:
    screen = FakeScreen()
    block = RedrawnBlock(screen, time_scale=0.002, clock=lambda: NOW)
    assert block.lines() == []
    block.on_journey_start(InFlight("j1", "A", NOW))
    assert block.lines()[0] == "(waits at the company's real pace; this run waits 500x faster)"


def test_a_feed_is_read_line_by_line_and_never_holds_a_secret(tmp_path: Path) -> None:
    secrets = Secrets({"AGENT_CODE": "hunter22"})
    journey = DoingJourney()
    feed = LiveFeed(tmp_path, "return-1", "Return for hunter22", secrets)
    feed.started(NOW)
    journey.now = Doing("chat", "with hunter22 (Orders)", NOW + 1)
    feed(journey)  # type: ignore[arg-type]
    feed(journey)  # type: ignore[arg-type]  # unchanged: no second line
    assert "hunter22" not in feed.path.read_text()

    reader = FeedReader(tmp_path)
    entries = reader.new_entries()
    assert [(entry.name, entry.doing) for entry in entries] == [
        ("Return for ${AGENT_CODE}", None),
        ("Return for ${AGENT_CODE}", Doing("chat", "with ${AGENT_CODE} (Orders)", NOW + 1)),
    ]
    with feed.path.open("a") as stream:
        stream.write('{"name": "half a li')  # a line being written is left for the next look
    assert reader.new_entries() == []
    with feed.path.open("a") as stream:
        stream.write('ne", "at": 5.0}\n')
    assert [entry.name for entry in reader.new_entries()] == ["half a line"]


def test_the_view_tells_states_then_the_end_line_from_the_record(tmp_path: Path) -> None:
    screen = FakeScreen()
    secrets = Secrets({"CARD": "4242424242424242"})
    view = LiveView(PlainLines(screen, states=True), FeedReader(tmp_path), secrets)
    journey = DoingJourney()
    feed = LiveFeed(tmp_path, "j1", "Ask for a return in the chat", secrets)
    feed.started(NOW)
    journey.now = Doing("chat", "asked for order number again", NOW + 2)
    feed(journey)  # type: ignore[arg-type]
    view.journey_ended("j1", record("passed", name="Ask for a return with 4242424242424242"), 87.0)
    journey.now = Doing("chat", "left", NOW + 3)
    feed(journey)  # type: ignore[arg-type]  # after its end: not shown
    view.stop()
    assert screen.written == [
        "Ask for a return in the chat · started\n",
        "chat · Ask for a return in the chat · asked for order number again\n",
        "✓ chat · Ask for a return with ${CARD} · resolved · 87\n",
    ]


def test_the_docs_say_each_mode_and_the_words_of_every_event() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "live-view.md").read_text(encoding="utf-8")
    assert "docs/live-view.md" in readme
    for mode in LIVE_MODES:
        assert f"`{mode}`" in readme, f"README.md: say what --live {mode} does"
    for kind in EventKind:
        assert f"`{kind.value}`" in guide, f"docs/live-view.md: say what the live view shows on {kind.value}"
