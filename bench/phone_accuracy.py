"""Real calls measured against the demo company's truth, over every service profile.

For each service profile (advocate, typical, purgatory), each seed and each intent, the
harness places an order on the demo shop in a browser, then calls the demo company's SIP
line: it hears the menu through the recogniser, presses its key as DTMF, holds (heard as
music), answers the agents in flite's voice, and ends the call. What it measured from the
audio is set beside the sandbox's ground truth for that contact: IVR depth, transfers,
escalations, the questions asked and asked again (recaptures), the outcome claimed, the
policies recited, the colleagues brought in (conferences), and the hold time. A line is
printed per call and a summary at the end; ``--out`` writes them as JSON. Nothing is
asserted: the figures go into docs/benchmarks.md by hand.

Calls take real time (speech is spoken at its own pace whatever the time scale), so the
whole grid of 3 profiles x 3 seeds x 2 intents takes about half an hour here. One call at a
time: this measures what the harness hears, not how many calls it can hold.

Run: ``.venv/bin/python bench/phone_accuracy.py [--profiles advocate,typical,purgatory]
[--seeds 0,1,2] [--intents cancel,return] [--time-scale 0.3] [--variety] [--out FILE]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from journeys.channels.voice.sip import shut_down_user_agent  # noqa: E402
from journeys.company.profile import CompanyProfile, load_company  # noqa: E402
from journeys.domain.metrics import measure_contact  # noqa: E402
from journeys.domain.results import RunDirectory  # noqa: E402
from journeys.domain.shopper import Shopper  # noqa: E402
from journeys.domain.timeline import Contact, EventKind  # noqa: E402
from journeys.journey import tasks  # noqa: E402
from journeys.journey.actor import Journey, JourneyIdentity  # noqa: E402
from journeys.runner.browser import find_chromium  # noqa: E402
from journeys.runner.server import server_command, start_server, stop_process  # noqa: E402

HOLD_TOLERANCE = 0.5
"""Seconds a heard hold may differ from the truth's and still count as right."""


@dataclass
class CallResult:
    """One call: what the harness measured and what the company really did."""

    profile: str
    seed: int
    intent: str
    seconds: float
    measured: dict[str, object]
    truth: dict[str, object]
    wrong: list[str]
    broken: str | None = None
    heard: list[str] = field(default_factory=list)
    """The call's timeline as the harness heard it, kept when a measure was wrong: seconds
    from the call's first event, what, and the words."""
    truth_holds: list[list[float | None]] = field(default_factory=list)
    """The truth's holds on the same clock ([start, end] seconds), kept with ``heard``."""


def compare(measured: dict[str, object], truth: dict[str, object]) -> list[str]:
    """The measures that differ from the truth (the hold within HOLD_TOLERANCE)."""
    wrong = [name for name in measured if name != "hold_time" and measured[name] != truth[name]]
    held, true_hold = measured["hold_time"], truth["hold_time"]
    assert isinstance(held, float) and isinstance(true_hold, float)
    if abs(held - true_hold) > HOLD_TOLERANCE:
        wrong.append("hold_time")
    return wrong


def reached(contact: Contact, intent: str) -> str | None:
    """Where the harness heard its keys take the call: the intent once the menu gave way to a
    hold or a person after its last choice, None when the call ended in the menu.

    The company's truth names the department its menu put the call through to, and names
    none when the call never left the menu (a caller sent round the menu until it was cut
    off). Taking the intent the customer meant for the one reached would count such a call
    right.
    """
    events = list(contact.timeline)
    choices = [index for index, event in enumerate(events) if event.kind is EventKind.MENU_CHOICE]
    after_menu = events[choices[-1] + 1 :] if choices else events
    left = any(event.kind in (EventKind.HOLD_STARTED, EventKind.AGENT_JOINED) for event in after_menu)
    return intent if left else None


def against_truth(
    company: CompanyProfile, contact: Contact, intent: str
) -> tuple[dict[str, object], dict[str, object], list[dict[str, Any]]]:
    """What the harness measured of a call, what the company's truth says of it, and the
    truth's holds."""
    found = measure_contact(contact)
    response = httpx.get(
        f"{company.base_url}/__sandbox__/truth/contacts", params={"customer": contact.identity}, timeout=5
    )
    response.raise_for_status()
    record = response.json()[-1]
    measured: dict[str, object] = {
        "intent": reached(contact, intent),  # where the harness heard the menu take them
        "ivr_depth": found.ivr_depth,
        "transfers": found.transfers,
        "escalations": found.escalations,
        "recaptures": found.recaptures,
        "fields_asked": dict(sorted(found.fields_requested.items())),
        "claimed_resolved": found.claimed_resolved,
        "policy_recitals": found.policy_recitals,
        "conferences": found.conferences,
        "hold_time": round(found.hold_time, 2),
    }
    truth: dict[str, object] = {
        "intent": record["intent"],  # where the keys pressed took them
        "ivr_depth": record["ivr_depth"],
        "transfers": record["transfer_count"],
        "escalations": record["escalation_count"],
        "recaptures": record["recaptures"],
        "fields_asked": dict(sorted(record["fields_asked"].items())),
        "claimed_resolved": record["claimed_resolved"],
        "policy_recitals": record["policy_recitals"],
        "conferences": record["conference_count"],
        "hold_time": round(float(record["hold_time"]), 2),
    }
    return measured, truth, list(record.get("holds", []))


def one_call(
    company: CompanyProfile, browser_context: object, profile: str, seed: int, intent: str, folder: Path
) -> CallResult:
    key = f"bench-{profile}-{seed}-{intent}"
    identity = JourneyIdentity(key, key, "phone accuracy", 0, (), "sandbox", None, seed, TIME_SCALE)
    journey = Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(seed, key),
        browser_context=lambda: browser_context,  # type: ignore[arg-type,return-value]
        run_dir=RunDirectory(folder / key),
    )
    started = time.monotonic()
    tasks.place_order(journey, product="Kettle Pro", shipping_method="Standard", channel="web", setup=True)
    try:
        tasks.get_in_touch(journey, channel="phone", intent=intent)  # type: ignore[arg-type]
    except Exception as error:  # a broken call is a result too
        return CallResult(profile, seed, intent, time.monotonic() - started, {}, {}, ["broken"], str(error))
    contact = journey.contacts[-1]
    measured, truth, holds = against_truth(company, contact, intent)
    seconds, wrong = time.monotonic() - started, compare(measured, truth)
    if not wrong:
        return CallResult(profile, seed, intent, seconds, measured, truth, wrong)
    events = contact.timeline.events
    began = events[0].at if events else 0.0
    heard = [f"{event.at - began:7.2f} {event.kind.value}: {event.text}" for event in events]
    truth_holds = [
        [
            round(hold["started_at"] - began, 2),
            None if hold.get("ended_at") is None else round(hold["ended_at"] - began, 2),
        ]
        for hold in holds
    ]
    return CallResult(
        profile, seed, intent, seconds, measured, truth, wrong, heard=heard, truth_holds=truth_holds
    )


TIME_SCALE = 0.3


def main() -> int:
    global TIME_SCALE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", default="advocate,typical,purgatory")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--intents", default="cancel,return")
    parser.add_argument("--time-scale", type=float, default=TIME_SCALE)
    parser.add_argument(
        "--variety",
        action="store_true",
        help="each call meets a company drawn from the profile's variety (the sandbox's --variety):"
        " the seed then changes the company too, not only the customer",
    )
    parser.add_argument("--out", type=Path)
    options = parser.parse_args()
    TIME_SCALE = options.time_scale
    demo = load_company("sandbox", ROOT)
    assert demo.server is not None
    results: list[CallResult] = []
    choice = find_chromium()
    with tempfile.TemporaryDirectory(prefix="phone-accuracy-") as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**choice.launch_args())  # type: ignore[arg-type]
        for profile in options.profiles.split(","):
            for seed in (int(seed) for seed in options.seeds.split(",")):
                command = server_command(
                    demo.server, profile=profile, seed=seed, time_scale=TIME_SCALE, parent_pid=os.getpid()
                ) + (["--variety"] if options.variety else [])
                log = Path(scratch) / f"server-{profile}-{seed}.log"
                running, _process = start_server(demo.server, command, ROOT, log)
                company = demo.with_base_url(running.url, running.said)
                try:
                    for intent in options.intents.split(","):
                        context = browser.new_context()
                        try:
                            result = one_call(company, context, profile, seed, intent, Path(scratch))
                        finally:
                            context.close()
                        results.append(result)
                        verdict = "right" if not result.wrong else f"WRONG {', '.join(result.wrong)}"
                        print(
                            f"{profile:9} seed {seed} {intent:7} {result.seconds:5.0f} s  {verdict}"
                            f"  measured {json.dumps(result.measured)}  truth {json.dumps(result.truth)}"
                            + (f"  broken: {result.broken}" if result.broken else ""),
                            flush=True,
                        )
                finally:
                    stop_process(running.pid)
        browser.close()
    shut_down_user_agent()
    summarise(results)
    if options.out:
        options.out.write_text(json.dumps([asdict(result) for result in results], indent=1))
    return 0


def summarise(results: list[CallResult]) -> None:
    calls = len(results)
    print(f"\n{calls} calls; all measures right in {sum(not result.wrong for result in results)}")
    for name in (
        "intent",
        "ivr_depth",
        "transfers",
        "escalations",
        "recaptures",
        "fields_asked",
        "claimed_resolved",
        "policy_recitals",
        "conferences",
    ):
        right = sum(1 for result in results if result.measured and name not in result.wrong)
        values = sorted({str(result.truth.get(name)) for result in results if result.truth})
        print(f"  {name:16} right in {right}/{calls}; true values seen: {', '.join(values)}")
    holds = [
        abs(float(result.measured["hold_time"]) - float(result.truth["hold_time"]))  # type: ignore[arg-type]
        for result in results
        if result.measured
    ]
    if holds:
        within = sum(difference <= HOLD_TOLERANCE for difference in holds)
        print(
            f"  hold_time        within {HOLD_TOLERANCE} s in {within}/{calls};"
            f" largest gap {max(holds):.2f} s"
        )
    print(f"  seconds per call: {sum(result.seconds for result in results) / max(calls, 1):.0f} on average")


if __name__ == "__main__":
    sys.exit(main())
