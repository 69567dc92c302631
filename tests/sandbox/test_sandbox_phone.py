"""The demo company answers real phone calls: ``python -m sandbox --phone``, called over SIP.

The sandbox runs as the harness runs it (a process in a session of its own); a small PJSIP
caller in the test process (:mod:`phone_caller`: UDP, PCMU, RFC 4733 DTMF) calls it, hears it,
presses keys and speaks with flite. What the caller heard is checked as audio: the menu's
words are recognised in it, and the hold music found in it lines up with the ground truth.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from phone_caller import FRAME, RATE, Caller

from journeys.channels.voice.sip import shut_down_user_agent
from sandbox.phone.line import CAPACITY
from sandbox.phone.listening import FRAME_BYTES, Recogniser, Segmenter
from sandbox.phone.speech import write_hold_music

REPO_ROOT = Path(__file__).resolve().parents[2]
PROFILE = Path(__file__).parent / "profiles" / "phone_line.toml"
READY = re.compile(r"listening on (?P<url>http://\S+) \(phone: (?P<sip>sip:[^)\s]+)\)")
NUMBER = "07700900123"
pytestmark = [pytest.mark.long, pytest.mark.calls]  # its call takes two minutes: started first
MUSIC_TOLERANCE = 0.3
"""Seconds between a hold in the truth and its music in the caller's ear: within 0.1 s on an
idle machine, up to 0.24 s seen with a fresh clone's suite and a bench of calls beside it."""


@dataclass
class PhoneSandbox:
    """A running ``python -m sandbox --phone`` and where it listens."""

    process: subprocess.Popen[str]
    line: str
    url: str
    sip: str
    log: list[str] = field(default_factory=list)
    """What it wrote on stderr so far (read as it goes: a full pipe would stop it)."""

    def read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line.rstrip("\n"))

    def log_of(self, contact_id: str) -> list[str]:
        """The line's log of one call: what it said, heard and did."""
        return [
            line.partition(f" {contact_id} from ")[2] for line in self.log if f" {contact_id} from " in line
        ]

    def truth(self, customer: str) -> list[dict[str, Any]]:
        contacts: list[dict[str, Any]] = httpx.get(
            f"{self.url}/__sandbox__/truth/contacts", params={"customer": customer}
        ).json()
        return contacts

    def number(self, user: str) -> str:
        """The line's URI with a user part (any reaches the line)."""
        return self.sip.replace("sip:", f"sip:{user}@", 1)


def start_sandbox() -> PhoneSandbox:
    """``python -m sandbox --phone`` as the harness starts it (a session of its own)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--phone", "--profile", str(PROFILE), "--port", "0"],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    match = READY.search(line)
    if match is None:
        stop_sandbox(process)
        pytest.fail(f"no phone in the contract line {line!r}: {'' if line else process.stderr.read()}")
    started = PhoneSandbox(process, line, match.group("url"), match.group("sip"))
    threading.Thread(target=started.read_log, daemon=True).start()
    return started


def stop_sandbox(process: subprocess.Popen[str]) -> int | None:
    """SIGTERM to its session, as the harness stops it (SIGKILL if it hangs); its exit code."""
    code: int | None = None
    for stop in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, stop)
        try:
            code = process.wait(20)
            break
        except subprocess.TimeoutExpired:
            code = None
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
    return code


@pytest.fixture(scope="module")
def sandbox() -> Iterator[PhoneSandbox]:
    """One phone sandbox for the module's calls."""
    started = start_sandbox()
    try:
        yield started
    finally:
        stop_sandbox(started.process)


@pytest.fixture(scope="module")
def phone() -> Iterator[Caller]:
    """The caller's endpoint (PJSIP allows one per process), destroyed after the module; the
    harness's own, if an earlier test of this worker left one, is shut down first."""
    shut_down_user_agent()
    made = Caller(NUMBER)
    try:
        yield made
    finally:
        made.close()
        del made
        gc.collect()  # the endpoint's own object gone, so a later test may make another


def wait_for_truth(
    caller: Caller, sandbox: PhoneSandbox, check: Any, what: str, timeout: float = 40
) -> dict[str, Any]:
    """Pump the call until the caller's contact in the truth passes ``check``; that contact."""
    found: dict[str, Any] = {}
    last = [0.0]

    def ready() -> bool:
        if time.monotonic() - last[0] < 0.1:
            return False
        last[0] = time.monotonic()
        contacts = sandbox.truth(caller.number)
        if contacts and check(contacts[-1]):
            found.update(contacts[-1])
            return True
        return False

    caller.wait(ready, timeout, what)
    return found


def wait_for_quiet(caller: Caller, seconds: float = 1.0, timeout: float = 40) -> None:
    """Pump the call until the company has said something and then been quiet for ``seconds``."""
    frames = int(seconds * RATE / FRAME)

    def quiet_after_speech() -> bool:
        levels = _frame_levels(caller.samples())
        loud = np.flatnonzero(levels > 300)
        return loud.size > 0 and len(levels) - 1 - loud[-1] >= frames

    caller.wait(quiet_after_speech, timeout, f"{seconds} s of quiet after the company spoke")


def _frame_levels(samples: np.ndarray) -> np.ndarray:
    count = len(samples) // FRAME
    frames = samples[: count * FRAME].reshape(count, FRAME)
    levels: np.ndarray = np.sqrt((frames**2).mean(axis=1))
    return levels


def music_intervals(samples: np.ndarray, started: float) -> list[tuple[float, float]]:
    """When the hold music was heard: frames whose energy sits on the melody's pitches."""
    with tempfile.TemporaryDirectory() as folder:  # the sandbox's own music, as the caller knows it
        path = write_hold_music(Path(folder) / "music.wav").path
        with wave.open(str(path), "rb") as audio:
            reference = np.frombuffer(audio.readframes(audio.getnframes()), dtype="<i2")
    window = 2 * FRAME
    freqs = np.fft.rfftfreq(window, 1 / RATE)
    spectrum = np.abs(np.fft.rfft(reference.astype(np.float64))) ** 2
    ref_freqs = np.fft.rfftfreq(len(reference), 1 / RATE)
    strong = ref_freqs[spectrum > spectrum.max() * 0.05]
    melody = np.zeros(len(freqs), dtype=bool)
    for pitch in strong:
        melody |= np.abs(freqs - pitch) <= 30
    musical = []
    for start in range(0, len(samples) - window, FRAME):
        chunk = samples[start : start + window] * np.hanning(window)
        power = np.abs(np.fft.rfft(chunk)) ** 2
        total = power.sum()
        musical.append(total > 1e9 and power[melody].sum() / total > 0.8)
    intervals: list[tuple[float, float]] = []
    run_start: int | None = None
    for index, is_music in enumerate([*musical, False]):
        if is_music and run_start is None:
            run_start = index
        elif not is_music and run_start is not None:
            if index - run_start >= 10:
                begin, end = started + run_start * FRAME / RATE, started + (index + 1) * FRAME / RATE
                if intervals and begin - intervals[-1][1] < 0.3:
                    begin = intervals.pop()[0]
                intervals.append((begin, end))
            run_start = None
    return intervals


def recognised(samples: np.ndarray) -> list[str]:
    """What the company said, utterance by utterance, as the recogniser hears it."""
    audio = samples.astype("<i2").tobytes()
    segmenter, recogniser = Segmenter(), Recogniser()
    try:
        utterances = [
            segmenter.feed(audio[at : at + FRAME_BYTES]) for at in range(0, len(audio), FRAME_BYTES)
        ]
        return [recogniser.words(utterance, None).words for utterance in utterances if utterance]
    finally:
        recogniser.stop()


def flite(text: str, folder: Path) -> Path:
    path = folder / "answer.wav"
    subprocess.run(["flite", "-voice", "slt", "-t", text, "-o", str(path)], check=True, timeout=60)
    return path


def test_the_contract_line_names_the_sip_line(sandbox: PhoneSandbox) -> None:
    assert re.fullmatch(
        r"sandbox listening on http://127\.0\.0\.1:\d+ \(phone: sip:127\.0\.0\.1:\d+\)\n", sandbox.line
    )
    assert httpx.get(f"{sandbox.url}/healthz").text == "ok"


def test_a_call_hears_the_menu_presses_a_key_holds_answers_and_is_hung_up_on(
    sandbox: PhoneSandbox, phone: Caller, tmp_path: Path
) -> None:
    phone.dial(sandbox.number("08005550199"))
    wait_for_quiet(phone)  # the greeting and the menu
    phone.press("1")
    wait_for_truth(phone, sandbox, lambda contact: contact["ivr_choices"], "the key in the truth")
    wait_for_truth(phone, sandbox, lambda contact: contact["fields_asked"], "the question")
    wait_for_quiet(phone, 0.8)
    phone.play(flite("B L dash 7 0 0 1 0 1", tmp_path))
    ended = wait_for_truth(phone, sandbox, lambda contact: contact["ended_at"], "the company's goodbye", 60)
    phone.wait(lambda: phone.disconnected, 10, "the company to hang up")
    samples, started = phone.samples(), phone.first_frame_at()
    phone.save(tmp_path / "heard.wav")  # kept in pytest's folder when the test fails

    assert ended["customer"] == NUMBER
    assert ended["ended_by"] == "company"
    assert [(choice["key"], choice["result"]) for choice in ended["ivr_choices"]] == [("1", "route")]
    assert ended["fields_asked"] == {"order_number": 1}  # understood at the first try
    heard = recognised(samples)
    assert {"calling", "order", "returning"} <= set(" ".join(heard[:2]).split()), heard
    holds = [(hold["started_at"], hold["ended_at"]) for hold in ended["holds"]]
    assert [hold["kind"] for hold in ended["holds"]] == ["queue", "mid_conversation"]
    music = music_intervals(samples, started)
    assert len(music) == len(holds), (music, holds)
    for (music_start, music_end), (hold_start, hold_end) in zip(music, holds, strict=True):
        assert abs(music_start - hold_start) < MUSIC_TOLERANCE, (music, holds)
        assert abs(music_end - hold_end) < MUSIC_TOLERANCE, (music, holds)
    # the line's own log of the call, in the order it happened
    log = sandbox.log_of(ended["contact_id"])
    assert log[0] == f"{NUMBER}: answered", log
    assert log[-1] == f"{NUMBER}: the company hung up", log
    events = [entry.partition(": ")[2] for entry in log]
    key = events.index("key 1")
    heard = next(
        n for n, event in enumerate(events) if event.startswith("heard ") and " as order_number," in event
    )
    assert re.search(r"decoding: '\w \w dash( \w+){6}', written 'BL-\d{6}'$", events[heard]), events[heard]
    assert key < events.index("on hold") < events.index("off hold") < heard, events
    assert any(event.startswith("says ") and "press 1" in event for event in events[:key]), events


def test_a_caller_who_hangs_up_ends_the_contact(sandbox: PhoneSandbox, phone: Caller) -> None:
    phone.dial(sandbox.number("brightline"))
    contacts_before = len(sandbox.truth(NUMBER))
    phone.wait(lambda: bool((_frame_levels(phone.samples()) > 300).any()), 20, "the company to speak")
    phone.hang_up()
    ended = wait_for_truth(phone, sandbox, lambda contact: contact["ended_at"], "the contact to end")

    assert len(sandbox.truth(NUMBER)) == contacts_before
    assert ended["ended_by"] == "customer"
    assert ended["ivr_choices"] == [] and ended["agents"] == []


CALLERS = """
import sys
from journeys.channels.voice.sip import shut_down_user_agent, user_agent
calls = [user_agent().place_call(sys.argv[1]) for _ in range(int(sys.argv[2]))]
for call in calls:
    call.wait_for("answered", 20)
print("answered", *sorted({call.ended.status_code if call.ended else 200 for call in calls}), flush=True)
sys.stdin.readline()
shut_down_user_agent()
"""
"""Callers in a process of their own (the test's endpoint is the same wheel, holding as few):
it places ``argv[2]`` calls at once with the harness's user agent, prints ``answered`` and
the status codes they got (200: answered), and hangs up when told on its standard input."""


def _callers(sandbox: PhoneSandbox, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CALLERS, sandbox.number("08005550199"), str(count)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _answered(callers: subprocess.Popen[str]) -> list[str]:
    assert callers.stdout is not None
    for line in callers.stdout:  # PJSIP prints its banner first
        if line.startswith("answered"):
            return line.split()[1:]
    return []


def test_the_line_holds_its_capacity_of_calls_at_once_and_the_next_caller_hears_busy(
    sandbox: PhoneSandbox,
) -> None:
    open_before = sum(1 for contact in sandbox.truth("customer") if not contact["ended_at"])
    full, one_more = _callers(sandbox, CAPACITY), None
    try:
        all_answered = _answered(full)
        open_now = sum(1 for contact in sandbox.truth("customer") if not contact["ended_at"])
        one_more = _callers(sandbox, 1)
        refused_with = _answered(one_more)
    finally:
        for callers in (full, one_more):
            if callers is not None:
                callers.communicate("hang up\n", timeout=30)

    assert all_answered == ["200"]
    assert open_now - open_before == CAPACITY
    assert refused_with == ["486"]  # Busy Here at once, not left ringing


def test_stopping_the_sandbox_hangs_up_and_leaves_no_process(phone: Caller) -> None:
    stopping = start_sandbox()
    try:
        phone.dial(stopping.number(NUMBER))
        phone.wait(lambda: bool((_frame_levels(phone.samples()) > 300).any()), 20, "the company to speak")
        os.killpg(stopping.process.pid, signal.SIGTERM)
        phone.wait(lambda: phone.disconnected, 20, "the company to hang up as it stops")
        code = stopping.process.wait(20)
        assert stopping.process.stderr is not None
        assert code == 0, stopping.process.stderr.read()[-3000:]
    finally:
        stop_sandbox(stopping.process)
    phone.hang_up()
    with pytest.raises(ProcessLookupError):  # nothing of its session is left running
        os.killpg(stopping.process.pid, 0)
