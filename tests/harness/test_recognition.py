"""The demo company's profile patterns read every sentence the sandbox can say.

The sandbox's phrasing table is the company's whole vocabulary; this test holds
companies/sandbox.toml to it, so a new variant cannot slip past the harness.
(The harness itself never imports the sandbox; its tests may.)
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from journeys.channels.recognition import HoldState, Recogniser
from journeys.company.profile import load_company
from journeys.domain.goals import MenuOption, choose_option
from journeys.domain.timeline import EventKind
from sandbox.contact_centre.phrasing import EVENT_OF_KIND, FIELD_WORDS, PHRASES, ivr_prompt

ROOT = Path(__file__).resolve().parents[2]
VALUES = {
    "agent": "Dana",
    "department": "Returns",
    "field": "order number",
    "reference": "RMA-48213",
    "duration": "5 business days",
    "date": "Thursday 26 November",
    "status": "processing",
    "position": "3",
    "phone": "0800 555 0199",
    "key": "2",
    "label": "returns",
    "who": "Dana",
}
EVENT_KINDS = {
    "hold_started": EventKind.HOLD_STARTED,
    "hold_ended": EventKind.HOLD_ENDED,
    "agent_joined": EventKind.AGENT_JOINED,
    "transferred": EventKind.TRANSFERRED,
    "escalated": EventKind.ESCALATED,
    "info_requested": EventKind.INFO_REQUESTED,
    "reference_given": EventKind.REFERENCE_GIVEN,
    "promise_made": EventKind.PROMISE_MADE,
    "outcome_resolved": EventKind.OUTCOME,
    "outcome_not_resolved": EventKind.OUTCOME,
    "satisfaction_check": EventKind.SATISFACTION_CHECK,
    "channel_switch_offered": EventKind.CHANNEL_SWITCH_OFFERED,
    "menu_prompt": EventKind.MENU_PROMPT,
}
# Counted metrics: a sentence must never signal one of these unless it means it.
COUNTED = {
    EventKind.TRANSFERRED,
    EventKind.ESCALATED,
    EventKind.INFO_REQUESTED,
    EventKind.HOLD_STARTED,
    EventKind.HOLD_ENDED,
    EventKind.AGENT_JOINED,
}


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    company = load_company("sandbox", ROOT)
    assert company.conversation is not None
    return Recogniser(company.conversation)


SENTENCES = [(kind, variant.format(**VALUES)) for kind, variants in PHRASES.items() for variant in variants]


@pytest.mark.parametrize(("kind", "sentence"), SENTENCES, ids=[s for _, s in SENTENCES])
def test_every_sentence_signals_its_own_event_and_no_other_counted_one(
    recogniser: Recogniser, kind: object, sentence: str
) -> None:
    expected = EVENT_OF_KIND[kind]  # type: ignore[index]
    heard = {event.kind for event in recogniser.events_in(sentence)}
    if expected is not None:
        assert EVENT_KINDS[expected] in heard
    wanted = {EVENT_KINDS[expected]} if expected else set()
    assert not (heard & COUNTED) - wanted


def test_details_are_read_from_the_words(recogniser: Recogniser) -> None:
    [joined] = recogniser.events_in("You are now chatting with Dana (Returns).")
    assert (joined.agent, joined.department) == ("Dana", "Returns")
    [asked] = recogniser.events_in("Sorry, what was your order number again?")
    assert asked.field_name == "order_number"
    for field_name, words in FIELD_WORDS.items():
        [event] = recogniser.events_in(f"Can I have your {words}, please?")
        assert event.field_name == field_name
    references = [e for e in recogniser.events_in("Your RMA number is RMA-12345.") if e.reference]
    assert references[0].reference == "RMA-12345"
    [refused] = [
        e
        for e in recogniser.events_in(
            "Unfortunately it's too late: your order has already gone to our warehouse."
        )
        if e.kind is EventKind.OUTCOME
    ]
    assert refused.resolved is False


@pytest.mark.parametrize("seed", range(6))
def test_spoken_menus_are_read_in_every_style(recogniser: Recogniser, seed: int) -> None:
    options = [
        ("1", "buying, tracking or cancelling an order"),
        ("2", "returns, repairs and warranty claims"),
    ]
    prompt = ivr_prompt(random.Random(seed), first=True, options=options, repeat_key="9")
    read = recogniser.menu_options(prompt)
    assert [(o.key, o.label) for o in read][:2] == options
    assert choose_option(read, "cancel") == MenuOption("1", options[0][1])
    assert choose_option(read, "warranty") == MenuOption("2", options[1][1])


def test_the_goal_picks_the_deepest_fitting_option() -> None:
    today = MenuOption("1", "cancelling an order placed today")
    older = MenuOption("2", "cancelling an older order")
    back = MenuOption("0", "the main menu")
    assert choose_option([today, older, back], "cancel") == today
    assert choose_option([back], "cancel") is None


def test_a_hold_starts_once_and_ends_once() -> None:
    holds = HoldState()
    assert holds.accept(EventKind.HOLD_STARTED)
    assert not holds.accept(EventKind.HOLD_STARTED)  # "You are on hold" after "Please hold"
    assert holds.accept(EventKind.HOLD_ENDED)
    assert not holds.accept(EventKind.HOLD_ENDED)  # "Thank you for holding" after the status line
