"""Measured against the truth: what the harness sees from the customer's side
equals what the demo company really did.

Every conversational channel under every service profile, for two intents: the
harness drives the conversation in a real browser, reading only the page, or by mail
through the demo company's real SMTP and IMAP servers, or through its support desk's form
and ticket page, or by a real call to its SIP line (a smaller set: calls take real time);
the sandbox's test-only truth endpoint says what really happened. Transfers, escalations,
IVR depth, recaptures, whether the customer was asked who they are before they could
say why they came, the policies recited instead of a solution and the colleagues brought in
(conferences, never counted as transfers) must be equal; on e-mail, whether the company
followed up on its own after its promise, and whether by the promised day; hold time
within 0.25 s (see ``CALLS`` for what a call is held to today); written (e-mail, desk),
references exact and each timed within a second of when the company sent it.
"""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from accuracy_coverage import PROPERTY, record
from playwright.sync_api import Browser, BrowserContext

from journeys.channels.voice.sip import shut_down_user_agent
from journeys.company.profile import CompanyProfile
from journeys.domain.goals import Intent
from journeys.domain.metrics import measure_contact
from journeys.domain.results import RunDirectory
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Channel, Contact, EventKind
from journeys.journey import tasks
from journeys.journey.actor import Journey, JourneyIdentity

# Live channels: purgatory's four-minute queue takes seven seconds on chat and social; a
# call's holds are heard as music, which must last a second to be told from a beep, so the
# advocate's ten-second phone queue takes three. E-mail: purgatory answers after an hour,
# which takes under two seconds here.
TIME_SCALES: dict[str, float] = {"chat": 0.03, "social": 0.03, "phone": 0.3, "email": 0.0005, "desk": 0.0005}
TRUTH_CHANNEL = {"desk": "email"}
"""The demo company's desk is its e-mail contact, opened by the form instead of a mail."""
PROFILES = ("advocate", "typical", "purgatory")
CHANNELS: tuple[Channel, ...] = ("chat", "social", "email", "desk")
CALLS: tuple[tuple[str, Intent], ...] = (("advocate", "cancel"),)
"""Real calls over SIP (the phone), heard through the recogniser: speech takes its real time,
so a call lasts a minute or two whatever the time scale, and only these run in the suite.
A call is held to the menu (the key pressed took the call where the customer wanted, at the
truth's depth), transfers, escalations, the questions asked and asked again, the outcome,
and the hold heard as music within half a second of the truth. The same over every service
profile, two intents and three seeds: ``bench/phone_accuracy.py``."""
INTENTS: tuple[Intent, ...] = ("cancel", "return")
FOLLOW_UP_LOOK_SECONDS = 10.0
"""How long an e-mail journey looks for a follow-up after its contact: the demo's latest comes
four hours after its promise (typical, a return), 7.2 s at the e-mail time scale. A company
that never follows up is looked for this long, not until its promise's day (minutes here)."""


@pytest.fixture(scope="module", autouse=True)
def no_phone_left() -> Iterator[None]:
    """The calls' SIP endpoint ends with the module: PJSIP allows one per process, and another
    module of the same test worker may need its own."""
    yield
    shut_down_user_agent()


@pytest.fixture
def fresh_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    yield context
    context.close()


def a_journey(
    company: CompanyProfile, context: BrowserContext, key: str, tmp_path: Path, time_scale: float
) -> Journey:
    identity = JourneyIdentity(key, key, "accuracy", 0, (), "sandbox", None, 0, time_scale)
    return Journey(
        identity,
        company=company,
        shopper=Shopper.for_journey(0, key),
        browser_context=lambda: context,
        run_dir=RunDirectory(tmp_path / "run"),
    )


def truth_of(company: CompanyProfile, identity: str) -> dict[str, object]:
    response = httpx.get(
        f"{company.base_url}/__sandbox__/truth/contacts", params={"customer": identity}, timeout=5
    )
    response.raise_for_status()
    contacts = response.json()
    assert contacts, f"the sandbox recorded no contact for {identity!r}"
    last: dict[str, object] = contacts[-1]
    return last


def heard_holds(contact: Contact, truth: dict[str, Any]) -> str:
    """What the contact saw or heard around its holds, for a failed hold: an intermittent 7.4 s
    against the truth's 3.0 s (advocate, cancel, a call) was seen twice in fresh clones, and 1.66 s
    against 1.95 s (typical, social, return) once on a busy machine, with nothing to read."""
    shown = {EventKind.HOLD_STARTED, EventKind.HOLD_ENDED, EventKind.MESSAGE_RECEIVED, EventKind.AGENT_JOINED}
    return "\n".join([f"the truth's holds: {truth.get('holds', truth['hold_time'])}", *noted(contact, shown)])


def noted(contact: Contact, kinds: set[EventKind] | None = None) -> list[str]:
    """The contact's events (of ``kinds``, else all) as the harness noted them, from its start:
    on a call, what it heard."""
    start = contact.started_at or 0.0
    return [
        f"{event.at - start:7.2f} {event.kind}: {event.text or ''}"
        for event in contact.timeline
        if kinds is None or event.kind in kinds
    ]


JOURNEYS: list[tuple[str, Channel, Intent]] = [
    *((profile, channel, intent) for profile in PROFILES for channel in CHANNELS for intent in INTENTS),
    *((profile, "phone", intent) for profile, intent in CALLS),
]
"""Each journey's customer meets a company drawn for them from the profile's variety (the
sandbox's seed, the channel, the customer, the intent): over the matrix every counted metric
takes at least four true values, printed at the end of the session (``accuracy_coverage``)."""


@pytest.mark.parametrize(
    ("profile", "channel", "intent"),
    [
        pytest.param(*each, marks=[pytest.mark.long, pytest.mark.calls] if each[1] == "phone" else [])
        for each in JOURNEYS
    ],
)
def test_measured_equals_the_truth(
    sandbox_for: Callable[..., CompanyProfile],
    fresh_context: BrowserContext,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
    profile: str,
    channel: Channel,
    intent: Intent,
) -> None:
    company = sandbox_for(profile, TIME_SCALES[channel], variety=True)
    key = f"accuracy-{profile}-{channel}-{intent}"
    journey = a_journey(company, fresh_context, key, tmp_path, TIME_SCALES[channel])
    tasks.place_order(journey, product="Kettle Pro", shipping_method="Standard", channel="web", setup=True)

    tasks.get_in_touch(journey, channel=channel, intent=intent)
    if channel == "email":
        tasks.await_follow_up(journey, within=FOLLOW_UP_LOOK_SECONDS)

    contact = journey.contacts[-1]
    measured = measure_contact(contact)
    truth = truth_of(company, contact.identity)
    assert truth["channel"] == TRUTH_CHANNEL.get(channel, channel) and truth["intent"] == intent
    record_property(PROPERTY, record(truth, TIME_SCALES[channel], len(JOURNEYS)))  # counted if it passes
    counts = {
        "transfers": (measured.transfers, truth["transfer_count"]),
        "escalations": (measured.escalations, truth["escalation_count"]),
        "ivr_depth": (measured.ivr_depth, truth["ivr_depth"]),
        "recaptures": (measured.recaptures, truth["recaptures"]),
        "fields_requested": (measured.fields_requested, truth["fields_asked"]),
        "claimed_resolved": (measured.claimed_resolved, truth["claimed_resolved"]),
        "identified_before_heard": (measured.identified_before_heard, truth["identified_before_heard"]),
        "policy_recitals": (measured.policy_recitals, truth["policy_recitals"]),
        "conferences": (measured.conferences, truth["conference_count"]),
    }
    wrong = {name: pair for name, pair in counts.items() if pair[0] != pair[1]}
    assert not wrong, "\n".join([f"(measured, true): {wrong}; what the contact noted:", *noted(contact)])
    if channel == "phone":  # heard as music, whose start must last a second to be told from a beep
        assert measured.hold_time == pytest.approx(truth["hold_time"], abs=0.5), heard_holds(contact, truth)
        assert_recorded_whole(journey, contact)
        return
    assert measured.hold_time == pytest.approx(truth["hold_time"], abs=0.25), heard_holds(contact, truth)
    if channel in ("email", "desk"):
        assert_mail_timed_as_sent(contact, truth)
    if channel == "email":
        assert_followed_up_as_written(contact, truth)


def assert_followed_up_as_written(contact: Contact, truth: Mapping[str, Any]) -> None:
    """The follow-up the company wrote after the contact is the one seen, as the company sent
    it, and judged by the promise as the truth judged it; none seen where none was written."""
    measured = measure_contact(contact)
    assert bool(measured.followed_up) == truth["followed_up"]
    came = contact.timeline.of_kind(EventKind.FOLLOWED_UP)
    written = truth["follow_ups"]
    assert [event.text for event in came] == [follow_up["text"] for follow_up in written]
    for seen, sent in zip(came, written, strict=True):
        assert seen.at == pytest.approx(sent["at"], abs=1.0)
        assert seen.by_promise == sent["by_promise"]
    if truth["promises"]:
        assert measured.followed_up is not None  # looked for: a promise was made by mail


def assert_recorded_whole(journey: Journey, contact: Contact) -> None:
    """The demo's profile allows recording: the call's WAV holds every line heard, at its time."""
    assert contact.recording is not None
    with wave.open(str(journey.run_dir.path / contact.recording.file)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    heard = [
        event.at - contact.recording.started_at
        for event in contact.timeline.of_kind(EventKind.MESSAGE_RECEIVED)
    ]
    assert heard and heard[0] >= 0 and heard[-1] < seconds


def assert_mail_timed_as_sent(contact: Contact, truth: Mapping[str, Any]) -> None:
    """References exact; the first person's answer, each reference and the outcome read within a
    second of when the company sent them (mail is timed by its arrival in the mailbox, not by a
    look); the waits for the answer and for the outcome within a second of the truth's."""
    references = truth["references"]
    assert isinstance(references, list)
    given_by_agents = [
        event
        for event in contact.timeline.of_kind(EventKind.REFERENCE_GIVEN)
        if not (contact.channel == "desk" and event.text.startswith("Ticket T-"))  # the form's own
    ]
    assert [event.reference for event in given_by_agents] == [given["reference"] for given in references]
    for seen, given in zip(given_by_agents, references, strict=True):
        assert seen.at == pytest.approx(given["at"], abs=1.0)
    agents = truth["agents"]
    assert isinstance(agents, list)
    joined = contact.timeline.of_kind(EventKind.AGENT_JOINED)
    assert bool(joined) == bool(agents)
    if agents:
        assert joined[0].at == pytest.approx(agents[0]["at"], abs=1.0)
        # the first person's answer, timed from the customer's mail (the automatic reply passed by)
        waited = measure_contact(contact).first_response
        assert waited == pytest.approx(agents[0]["at"] - truth["started_at"], abs=1.0)
    # the answer's outcome, and how long after the request it came, as the company sent it
    claimed_at = truth["claimed_at"]
    outcomes = contact.timeline.of_kind(EventKind.OUTCOME)
    assert bool(outcomes) == (claimed_at is not None)
    if outcomes:
        sent = contact.timeline.of_kind(EventKind.MESSAGE_SENT)[0].at
        assert outcomes[0].at == pytest.approx(claimed_at, abs=1.0)
        assert outcomes[0].at - sent == pytest.approx(claimed_at - truth["started_at"], abs=1.0)


def test_two_journeys_sharing_the_mailbox_each_read_only_their_own_mail(
    sandbox_for: Callable[..., CompanyProfile], fresh_context: BrowserContext, tmp_path: Path
) -> None:
    """Issue #13, item 11: two e-mail journeys at once, one test mailbox; each measures its own."""
    company = sandbox_for("typical", TIME_SCALES["email"], variety=True)
    journeys = [
        a_journey(company, fresh_context, f"shared-mailbox-{n}", tmp_path / str(n), TIME_SCALES["email"])
        for n in (1, 2)
    ]
    for journey in journeys:
        tasks.place_order(
            journey, product="Kettle Pro", shipping_method="Standard", channel="web", setup=True
        )

    with ThreadPoolExecutor(2) as both:
        asked = [
            both.submit(tasks.get_in_touch, journey, channel="email", intent="return") for journey in journeys
        ]
        for answer in asked:
            answer.result()

    contacts = [journey.contacts[-1] for journey in journeys]
    assert contacts[0].identity != contacts[1].identity
    for contact, other in zip(contacts, reversed(journeys), strict=True):
        truth = truth_of(company, contact.identity)
        measured = measure_contact(contact)
        assert measured.recaptures == truth["recaptures"]
        assert measured.transfers == truth["transfer_count"]
        assert_mail_timed_as_sent(contact, truth)
        words = " ".join(event.text for event in contact.timeline.of_kind(EventKind.MESSAGE_RECEIVED))
        assert other.facts["order_number"] not in words
