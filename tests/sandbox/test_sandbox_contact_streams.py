"""The conversations' event streams: on time, in order, replayed, and never outliving the server.

Every test runs a real server on port 0 (see ``contact_client``) with the profile's durations
scaled down, so a whole contact takes a second or two.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from contact_client import (
    OPENERS,
    LiveSandbox,
    MakeLiveSandbox,
    Received,
    Transcript,
    eventually,
    observed_holds,
    ticket_form,
)

from sandbox.contact.hub import TranscriptEntry
from sandbox.contact_centre.recognisers import events_in

REPO_ROOT = Path(__file__).resolve().parents[2]
SILENT_PROFILE = "tests/sandbox/profiles/silent.toml"
ON_TIME = 0.25  # seconds after its due time a line may arrive (a busy 2-core machine: 0.11 s seen)
HOLD_TOLERANCE = 0.25  # seconds a customer's measured hold time may differ from the truth


def start_chat(sandbox: LiveSandbox, email: str = "ann@example.com") -> dict[str, str]:
    response = sandbox.client.post("/chat/conversations", json={"name": "Ann", "email": email})
    assert response.status_code == 201, response.text
    urls: dict[str, str] = response.json()
    return urls


def refused(text: str) -> bool:
    return "outcome_not_resolved" in events_in(text)


def test_lines_arrive_in_order_and_when_they_are_due(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    urls = start_chat(sandbox)
    transcript = Transcript(sandbox.url, urls["events"])
    transcript.wait_until(lambda lines: len(lines) >= 1)
    sandbox.client.post(urls["messages"], json={"text": OPENERS["return"]})
    transcript.wait_until(lambda lines: any("order number" in line.text for line in lines))

    ids = [line.event_id for line in transcript.lines]
    assert ids == list(range(1, len(ids) + 1))
    ats = [line.entry["at"] for line in transcript.lines]
    assert ats == sorted(ats)
    live = [line for line in transcript.company_lines() if line.entry["at"] > transcript.opened_at]
    assert len(live) >= 6  # typing, queue, hold, next, hold ended, agent joined, greeting, ask
    for line in live:
        assert -0.005 <= line.late <= ON_TIME, (line.text, line.late)


def test_the_customer_is_echoed_and_typing_is_transient(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    urls = start_chat(sandbox)
    transcript = Transcript(sandbox.url, urls["events"])
    sandbox.client.post(urls["messages"], json={"text": OPENERS["cancel"]})
    transcript.wait_until(lambda lines: any(line.entry["who"] for line in lines))

    entries = [line.entry for line in transcript.lines]
    assert entries[1]["speaker"] == "customer" and entries[1]["text"] == OPENERS["cancel"]
    typing = [entry for entry in entries if entry["transient"]]
    assert typing and all(entry["text"].endswith("...") for entry in typing)
    agent = next(entry for entry in entries if entry["who"])
    assert agent["speaker"] == "agent" and agent["department"] == "Orders"
    # The page learns how to show a line, never which event it is.
    assert set(entries[0]) == {field for field in TranscriptEntry.__dataclass_fields__}
    assert "kind" not in entries[0] and "phrase" not in entries[0]


def test_a_reconnecting_stream_replays_only_what_it_missed(
    live_sandbox: MakeLiveSandbox,
) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    urls = start_chat(sandbox)
    first = Transcript(sandbox.url, urls["events"])
    sandbox.client.post(urls["messages"], json={"text": OPENERS["enquiry"]})
    first.wait_until(lambda lines: any("order number" in line.text for line in lines))
    seen = len(first.lines)

    again = Transcript(sandbox.url, urls["events"])
    again.wait_until(lambda lines: len(lines) >= seen)
    assert again.texts()[:seen] == first.texts()

    resumed = Transcript(sandbox.url, urls["events"], last_event_id=seen - 2)
    sandbox.client.post(urls["messages"], json={"text": "BL-123456"})
    resumed.wait_until(lambda lines: len(lines) >= 3)
    assert [line.event_id for line in resumed.lines][:3] == [seen - 1, seen, seen + 1]
    assert resumed.lines[2].text == "BL-123456"


def test_holds_seen_by_the_customer_match_the_truth(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    urls = start_chat(sandbox, "holds@example.com")
    transcript = Transcript(sandbox.url, urls["events"])
    sandbox.client.post(urls["messages"], json={"text": OPENERS["enquiry"]})
    transcript.wait_until(lambda lines: any("order number" in line.text for line in lines))
    sandbox.client.post(urls["messages"], json={"text": "BL-123456"})
    transcript.wait_until(lambda lines: any("email address" in line.text for line in lines))
    sandbox.client.post(urls["messages"], json={"text": "holds@example.com"})
    transcript.wait_until(lambda lines: any(refused(line.text) for line in lines))

    (truth,) = sandbox.truth("holds@example.com")
    assert [hold["kind"] for hold in truth["holds"]] == ["queue", "mid_conversation"]
    assert observed_holds(transcript.lines) == pytest.approx(truth["hold_time"], abs=HOLD_TOLERANCE)


def test_an_unwatched_chat_is_left_but_an_email_is_not(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02, abandon_after_seconds=0.3)
    sandbox.client.post(  # first: were e-mail abandoned too, it would go before the others
        "/contact",
        data=ticket_form("slow@example.com", "Return", "I want to return a toaster", topic="returns"),
    )
    urls = start_chat(sandbox, "gone@example.com")
    with httpx.stream("GET", sandbox.url + urls["events"], timeout=5) as response:
        next(response.iter_lines())  # the stream is open, then the customer closes the tab
    call = sandbox.client.post("/phone/calls", json={"number": "07700 900555"}).json()

    def left(customer: str) -> bool:
        return any(contact["ended_by"] == "customer" for contact in sandbox.truth(customer))

    eventually(lambda: left("gone@example.com") and left("07700 900555"), "the unwatched chat and call end")
    (email,) = sandbox.truth("slow@example.com")
    assert email["ended_at"] is None
    assert sandbox.client.post(call["messages"], json={"text": "hello?"}).status_code == 409


def test_stopping_the_server_ends_streams_and_tasks(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=1.0)
    urls = start_chat(sandbox)
    transcript = Transcript(sandbox.url, urls["events"])
    transcript.wait_until(lambda lines: len(lines) >= 1)
    assert sandbox.service.hub.running_tasks() == 1

    assert sandbox.stop() < 15  # it does not wait for a conversation at real pace to end
    assert not sandbox.thread.is_alive()
    assert transcript.ended.wait(2)
    assert sandbox.service.hub.running_tasks() == 0


def test_the_silent_profile_stops_answering(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox(SILENT_PROFILE, time_scale=0.02)
    urls = start_chat(sandbox, "silence@example.com")
    transcript = Transcript(sandbox.url, urls["events"])
    sandbox.client.post(urls["messages"], json={"text": OPENERS["cancel"]})
    transcript.wait_until(lambda lines: any("order number" in line.text for line in lines))
    sandbox.client.post(urls["messages"], json={"text": "BL-123456"})
    eventually(lambda: sandbox.truth("silence@example.com")[0]["claimed_outcome"] == "silent", "silence")
    (live,) = sandbox.service.hub.find("chat", "silence@example.com")
    assert live.conversation.next_due() is None and not live.conversation.accepting()  # nothing will come
    assert live.history[-1].text == "BL-123456"  # and nothing came after the customer's last words
    transcript.wait_until(lambda lines: any(line.text == "BL-123456" for line in lines))

    last: Received = transcript.lines[-1]
    assert last.entry["speaker"] == "customer" and last.text == "BL-123456"
    (truth,) = sandbox.truth("silence@example.com")
    assert truth["claimed_outcome"] == "silent" and truth["ended_at"] is None


def test_the_silent_profile_loads_from_the_command_line(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--profile", SILENT_PROFILE],
        cwd=REPO_ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on http://" in line, process.stderr.read() if process.stderr else ""
        url = line.split("listening on ")[1].strip()
        assert httpx.get(f"{url}/__sandbox__/profile", timeout=5).json()["name"] == "silent"
    finally:
        process.terminate()
        process.wait(10)
