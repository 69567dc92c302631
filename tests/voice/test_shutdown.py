"""A user agent shut down leaves nothing behind: calls hung up, endpoint destroyed, no thread."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from peers import baresip, require, synthesise

pytestmark = pytest.mark.calls

# Its own process: the tests' shared user agent must stay up, and PJSIP allows one endpoint.
SCRIPT = """
import sys, threading
from journeys.channels.voice.sip import user_agent, shut_down_user_agent
agent = user_agent()
call = agent.place_call(sys.argv[1])
call.wait_answered(15)
shut_down_user_agent()
print("ended", call.state, call.ended.status_code if call.ended else None)
print("threads", [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()])
"""

LEFT_UP = """
import sys
from journeys.channels.voice.sip import user_agent
call = user_agent().place_call(sys.argv[1])
call.wait_answered(15)
print("answered", flush=True)
"""


def call_from_a_process(script: str, tmp_path: Path) -> str:
    """Run ``script`` in a process of its own, calling baresip; what it printed, once it exited
    cleanly and its hang-up (the BYE) reached the company."""
    require("flite", "sox")
    prompt = synthesise("Please hold the line.", tmp_path)
    with baresip(tmp_path / "baresip", prompt) as peer:
        done = subprocess.run(
            [sys.executable, "-c", script, peer.uri], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
        peer.output.wait_for("session closed")
    return done.stdout


def test_shutdown_hangs_up_and_leaves_no_thread(tmp_path: Path) -> None:
    said = call_from_a_process(SCRIPT, tmp_path)
    assert "ended ended" in said, said
    assert "threads []" in said, said


def test_a_process_that_exits_mid_call_hangs_up_and_exits_cleanly(tmp_path: Path) -> None:
    # Nothing shuts the user agent down: the exit does, while Python still runs. Without
    # that, the company never heard a BYE, and the call's port was freed after its bridge.
    said = call_from_a_process(LEFT_UP, tmp_path)
    assert "answered" in said, said
