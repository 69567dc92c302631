"""The report in a real browser: it renders from disk, has no console errors, and
never runs what a company (or anyone) typed into a transcript."""

from __future__ import annotations

import json
import re
import wave
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Browser, expect

from journeys.company.profile import load_company
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import EventKind, Recording
from journeys.journey.actor import Journey, JourneyIdentity
from journeys.scoring.rubric import load_rubric
from journeys.scoring.scorecard import aggregate, score_journey
from reports.html import render_run_report

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<script>window.__injected = true</script><img src=x onerror="window.__injected = true">'


def run_with_hostile_transcript(tmp_path: Path) -> Path:
    company = load_company("sandbox", ROOT)
    identity = JourneyIdentity(
        "hostile-1",
        "A chat with <b>markup</b>",
        "returns/chat.feature",
        6,
        ("chat",),
        "sandbox",
        "typical",
        0,
    )
    run = RunDirectory(tmp_path / "run")
    journey = Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(0, "hostile"),
        browser_context=lambda: None,
        run_dir=run,
    )  # type: ignore[arg-type, return-value]
    with journey.contact("chat", "return an item") as contact:
        contact.note(EventKind.MESSAGE_RECEIVED, text=HOSTILE)
        contact.note(EventKind.AGENT_JOINED, text=HOSTILE, agent="<i>Dana</i>")
        contact.note(EventKind.OUTCOME, text="All done", resolved=True)
    journey.completed = True
    run.write(journey.result())
    records = list(run.records())
    rubric = load_rubric("default", ROOT)
    cards = [score_journey(record, rubric) for record in records]
    return render_run_report(run.path, records, cards, aggregate(zip(cards, records, strict=True)))


def test_the_report_renders_without_errors_and_shows_markup_as_text(browser: Browser, tmp_path: Path) -> None:
    report = run_with_hostile_transcript(tmp_path)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    page.locator("details").first.evaluate("element => element.open = true")

    assert page.get_by_role("heading", level=1).inner_text().startswith("Mystery-shopper run")
    assert page.evaluate("window.__injected") is None
    assert page.get_by_text("<script>window.__injected = true</script>", exact=False).first.is_visible()
    assert page.get_by_text("A chat with <b>markup</b>").is_visible()
    assert errors == []
    assert [url for url in requests if not url.startswith("file:")] == [], "the report must need no network"
    page.close()


def test_the_journey_page_renders_without_errors_and_shows_markup_as_text(
    browser: Browser, tmp_path: Path
) -> None:
    report = run_with_hostile_transcript(tmp_path)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    page.get_by_role("link", name="A chat with <b>markup</b>").click()
    page.wait_for_load_state()

    assert page.url.endswith("/journeys/hostile-1.html")
    assert page.get_by_role("heading", level=1).inner_text() == "A chat with <b>markup</b>"
    assert page.evaluate("window.__injected") is None
    assert page.get_by_text("<script>window.__injected = true</script>", exact=False).first.is_visible()
    assert page.locator("svg.timeline-picture").is_visible()
    assert page.locator("svg.timeline-picture .lane").count() == 1
    assert page.locator("table.scorecard").get_by_text("The problem was solved").is_visible()
    assert page.get_by_role("link", name=f"← run {report.parent.name}").is_visible()
    assert errors == []
    assert [url for url in requests if not url.startswith("file:")] == [], "pages must need no network"
    page.close()


def test_the_record_keeps_the_words_as_they_were(tmp_path: Path) -> None:
    run_with_hostile_transcript(tmp_path)
    [path] = (tmp_path / "run" / "journeys").glob("*.json")
    texts = [event.get("text") for event in json.loads(path.read_text())["contacts"][0]["events"]]
    assert HOSTILE in texts


def test_tiles_show_holds_at_the_company_s_real_pace() -> None:
    from reports.html import channel_tiles

    contact = {"channel": "phone", "setup": False, "metrics": {"hold_time": 1.2, "transfers": 2}}
    record = {
        "time_scale": 0.01,
        "contacts": [contact],
        "metrics": {"verified_resolved": False, "claimed_resolved": True},
    }
    [tile] = channel_tiles([record], None)
    assert tile["median_hold"] == 120.0  # 1.2 s measured on a company run 100 times faster
    assert tile["transfers_per_contact"] == 2 and tile["resolution_rate"] == 0


def test_a_run_faster_than_its_calls_says_which_holds_a_call_cannot_hear() -> None:
    # make demo's tile said "median hold 0.0 s" for the phone: at 500x a 30 s queue plays
    # 0.06 s of music, which no ear takes for a hold
    from reports.html import summarise

    def record(channel: str, time_scale: float) -> dict[str, object]:
        times = {"started_at": 0.0, "ended_at": 1.0}
        return {"status": "passed", "company": "sandbox", "profile": "typical", **times,
                "time_scale": time_scale, "contacts": [{"channel": channel}]}  # fmt: skip

    assert summarise([record("phone", 0.002), record("chat", 0.002)])["call_holds_heard_from"] == ["500"]
    assert summarise([record("chat", 0.002)])["call_holds_heard_from"] == []
    assert summarise([record("phone", 1.0)])["call_holds_heard_from"] == []


def a_recorded_call(tmp_path: Path) -> Path:
    """A run whose one journey is a call with its recording: 3 s of tone, lines at 0.5 s and 2 s."""
    company = load_company("sandbox", ROOT)
    identity = JourneyIdentity(
        "call-1", "A call", "returns/phone.feature", 6, ("phone",), "sandbox", "typical", 0
    )
    run = RunDirectory(tmp_path / "run")
    journey = Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(0, "caller"),
        browser_context=lambda: None,
        run_dir=run,
    )  # type: ignore[arg-type, return-value]
    recording = run.artifact_path("call-1", "call-1.wav")
    with wave.open(str(recording), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        tone = (np.sin(np.arange(3 * 16000) * 2 * np.pi * 440 / 16000) * 8000).astype("<i2")
        wav.writeframes(tone.tobytes())
    with journey.contact("phone", "return an item") as contact:
        heard_from = contact.started_at or 0.0
        contact.note(EventKind.MESSAGE_RECEIVED, at=heard_from + 0.5, text="Thank you for calling")
        contact.note(EventKind.MENU_PROMPT, at=heard_from + 2.0, text="Press 1 for returns")
        contact.recording = Recording("artifacts/call-1/call-1.wav", heard_from)
    journey.completed = True
    run.write(journey.result())
    records = list(run.records())
    rubric = load_rubric("default", ROOT)
    cards = [score_journey(record, rubric) for record in records]
    render_run_report(run.path, records, cards, aggregate(zip(cards, records, strict=True)))
    return run.path / "journeys" / "call-1.html"


def test_the_journey_page_plays_the_call_from_the_line_clicked(browser: Browser, tmp_path: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(a_recorded_call(tmp_path).as_uri())
    player = page.locator("figure.call audio")
    page.wait_for_function("document.querySelector('figure.call audio').readyState >= 1")
    assert player.evaluate("audio => audio.duration") == pytest.approx(3.0, abs=0.05)

    line = page.locator("tr", has_text="Press 1 for returns")
    seek = line.locator("a.seek")
    assert seek.get_attribute("href") == "../artifacts/call-1/call-1.wav#t=2.00"  # without scripts
    seek.click()
    page.wait_for_function("document.querySelector('figure.call audio').currentTime >= 2.0")
    expect(line).to_have_class(re.compile(r"\bplaying\b"))  # marked once the player says where it is
    expect(page.locator("tr", has_text="Thank you for calling")).not_to_have_class(re.compile("playing"))
    assert errors == []
    page.close()


def test_a_page_without_a_recording_has_no_player(tmp_path: Path) -> None:
    run_with_hostile_transcript(tmp_path)
    html = (tmp_path / "run" / "journeys" / "hostile-1.html").read_text()
    assert "<audio" not in html and 'class="seek"' not in html and "<script" not in html
