"""The live view of real runs against the demo company: as CI sees it (a pipe), and on a terminal.

Two journeys (web and chat) in two xdist workers: the plain lines must name each
journey's channel and what it went through, and end each journey with its outcome and
the score the run report gives it; ``-q`` keeps only those end lines. And on a terminal
(a pseudo-terminal here), in one process: the block redrawn in place, never captured.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Any

from journeys.scoring.rubric import load_rubric
from journeys.scoring.scorecard import score_journey
from reports.formatting import points

ROOT = Path(__file__).resolve().parents[2]
WEB = "Cancel a web order right away on the web"
CHAT = "Ask for a return in the chat"


def run(tmp_path: Path, name: str, *extra: str) -> tuple[str, list[dict[str, Any]]]:
    command = [
        sys.executable, "-m", "journeys.runner.cli", "run",
        "features/cancellation/web.feature", "features/returns/chat.feature",
        "-n", "2", "--time-scale", "0.002", "--results-dir", str(tmp_path / "results"),
        "--history", str(tmp_path / "history.sqlite3"), "--run-name", name, "-p", "no:cacheprovider", *extra,
    ]  # fmt: skip
    environment = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=environment)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    folder = tmp_path / "results" / name / "journeys"
    return done.stdout, [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def scores(records: list[dict[str, Any]]) -> dict[str, str]:
    rubric = load_rubric("default", ROOT)
    return {record["name"]: points(score_journey(record, rubric).score) for record in records}


def test_plain_lines_name_each_journey_s_channel_states_and_end(tmp_path: Path) -> None:
    output, records = run(tmp_path, "plain")
    lines = output.splitlines()

    assert "\x1b[" not in output  # not a terminal: never a cursor movement
    assert f"{WEB} · started" in lines and f"{CHAT} · started" in lines
    assert any(re.fullmatch(rf"web · {WEB} · cancel order BL-\d+", line) for line in lines), output
    chat_states = [
        line.removeprefix(f"chat · {CHAT} · ") for line in lines if line.startswith(f"chat · {CHAT} · ")
    ]
    assert any(state.startswith("with ") for state in chat_states), chat_states  # an agent joined
    assert any(state.startswith("asked for ") for state in chat_states), chat_states
    assert chat_states[-1] == "left"

    expected = scores(records)
    web_end = [line for line in lines if line.endswith(f"web · {WEB} · resolved · {expected[WEB]}")]
    chat_end = [
        line for line in lines if re.match(rf"[✓✗] chat · {CHAT} · \w[\w ]* · {expected[CHAT]}", line)
    ]
    assert web_end == [f"✓ web · {WEB} · resolved · {expected[WEB]}"], output
    assert len(chat_end) == 1, output
    assert lines.index(chat_end[0]) > max(
        i for i, line in enumerate(lines) if line.startswith(f"chat · {CHAT}")
    )


def test_quiet_keeps_only_the_end_lines(tmp_path: Path) -> None:
    output, records = run(tmp_path, "quiet", "-q")
    lines = output.splitlines()

    assert not [line for line in lines if " · started" in line or line.startswith(("web · ", "chat · "))], (
        output
    )
    expected = scores(records)
    assert f"✓ web · {WEB} · resolved · {expected[WEB]}" in lines, output
    assert any(
        line.startswith(f"✓ chat · {CHAT} · ") or line.startswith(f"✗ chat · {CHAT} · ") for line in lines
    )


def test_on_a_terminal_the_journey_in_flight_is_redrawn_in_place_and_never_captured(tmp_path: Path) -> None:
    """One process (no xdist): the journey runs where pytest captures standard output."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    command = [
        sys.executable, "-m", "journeys.runner.cli", "run", "features/cancellation/web.feature",
        "-p", "no:xdist", "-rA", "--results-dir", str(tmp_path / "results"),
        "--history", str(tmp_path / "history.sqlite3"), "--run-name", "terminal", "-p", "no:cacheprovider",
    ]  # fmt: skip
    environment = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    environment.update({"TERM": "xterm", "PYTHONIOENCODING": "utf-8"})
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=environment
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the run is over
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=600) == 0, b"".join(chunks).decode(errors="replace")[-3000:]
    output = b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n")

    assert "\x1b[J" in output  # the block was erased and drawn again
    drawn = [line for line in re.split(r"[\n\r]|\x1b\[[0-9;]*[A-Za-z]", output) if f" · {WEB} · " in line]
    assert any(re.fullmatch(rf"web · {WEB} · .+ \d+:\d\d", line) for line in drawn), drawn
    assert all(len(line) < 100 for line in drawn), drawn  # cut to the terminal's width
    [record] = [
        json.loads(path.read_text()) for path in (tmp_path / "results" / "terminal").glob("journeys/*.json")
    ]
    assert f"✓ web · {WEB} · resolved · {scores([record])[WEB]}\n" in output
    assert "Captured stdout" not in output  # the view's lines never went into the test's output
    assert output.rindex("\x1b[J") < output.index(
        "journeys: 1 passed"
    )  # the block is gone before the summary
