"""The demo company's profile patterns read every sentence the sandbox can say.

The sandbox's phrasing table is the company's whole vocabulary; this test holds
companies/sandbox.toml to it, so a new variant cannot slip past the harness.
(The harness itself never imports the sandbox; its tests may.)
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from journeys.channels.recognition import HoldState, Recogniser, heard_form
from journeys.company.profile import load_company
from journeys.domain.goals import MenuOption, choose_option, clearly_fits
from journeys.domain.timeline import EventKind
from sandbox.contact_centre.phrasing import EVENT_OF_KIND, FIELD_WORDS, PHRASES, PhraseKind, ivr_prompt

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
    "topic": "refund",
}
EVENT_KINDS = {
    "hold_started": EventKind.HOLD_STARTED,
    "hold_ended": EventKind.HOLD_ENDED,
    "agent_joined": EventKind.AGENT_JOINED,
    "transferred": EventKind.TRANSFERRED,
    "conferenced": EventKind.CONFERENCED,
    "escalated": EventKind.ESCALATED,
    "info_requested": EventKind.INFO_REQUESTED,
    "reference_given": EventKind.REFERENCE_GIVEN,
    "promise_made": EventKind.PROMISE_MADE,
    "policy_recited": EventKind.POLICY_RECITED,
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
    EventKind.POLICY_RECITED,
    EventKind.CONFERENCED,
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
    if expected == "followed_up":  # read after the contact, in the mailbox, by its own pattern
        expected = None
    if expected is not None:
        assert EVENT_KINDS[expected] in heard
    wanted = {EVENT_KINDS[expected]} if expected else set()
    assert not (heard & COUNTED) - wanted


def test_a_conference_names_the_department_brought_in(recogniser: Recogniser) -> None:
    for variant in PHRASES[PhraseKind.CONFERENCE_INVITE]:
        [written] = recogniser.events_in(variant.format(department="Billing"))
        [heard] = phone_recogniser(known=True).events_in(heard_form(variant.format(department="Billing")))
        assert (written.kind, written.department) == (EventKind.CONFERENCED, "Billing")
        assert (heard.kind, heard.department) == (EventKind.CONFERENCED, "billing")


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


def phone_recogniser(*, known: bool) -> Recogniser:
    """The demo company's line as the harness reads it: its heard-form patterns, and its
    phrases file as the known lines (or none, as a profile without one)."""
    company = load_company("sandbox", ROOT)
    assert company.conversation is not None and company.phone is not None
    spec = dataclasses.replace(
        company.conversation,
        patterns={**company.conversation.patterns, **company.phone.patterns},
        known_lines=company.phone.lines() if known else (),
    )
    return Recogniser(spec)


@pytest.mark.parametrize(("kind", "sentence"), SENTENCES, ids=[s for _, s in SENTENCES])
def test_recitals_conferences_and_transfers_are_each_heard_as_themselves_on_a_call(
    kind: object, sentence: str
) -> None:
    """Heard without punctuation or capitals, a recital is still told from a refusal that names
    policy ("our policy doesn't allow that"), and a colleague brought in from a transfer."""
    heard = {event.kind for event in phone_recogniser(known=True).events_in(heard_form(sentence))}
    expected = EVENT_OF_KIND[kind]  # type: ignore[index]
    for name in ("policy_recited", "conferenced", "transferred"):
        assert (EVENT_KINDS[name] in heard) == (expected == name), name


FLAT_MENU = [
    ("1", "placing a new order"),
    ("2", "the status of an order"),
    ("3", "cancelling an order"),
    ("4", "returning an item"),
    ("5", "booking a repair"),
    ("6", "a warranty claim"),
]


@pytest.mark.parametrize("seed", range(12))
def test_heard_menus_are_read_in_every_style_from_the_known_lines(seed: int) -> None:
    """Heard without punctuation, "for X press 3 for Y press 4" reads two ways; the company's
    known lines say which ("Press 3 for Y." or "For X, press 3.")."""
    recogniser = phone_recogniser(known=True)
    for options in (
        FLAT_MENU,
        [("1", "buying, tracking or cancelling an order"), ("2", "returns, repairs and warranty claims")],
    ):
        prompt = heard_form(ivr_prompt(random.Random(seed), first=True, options=options, repeat_key="9"))
        read = recogniser.menu_options(prompt)
        assert [(o.key, o.label) for o in read][: len(options)] == [
            (k, heard_form(label)) for k, label in options
        ], prompt


def test_a_key_heard_wrong_is_read_from_the_known_line_when_the_lines_agree() -> None:
    recogniser = phone_recogniser(known=True)
    # "one" heard as "line", a menu that had just begun (the recogniser's own words)
    assert recogniser.menu_options("customer service press line for placing a new order") == [
        MenuOption("1", "placing a new order")
    ]
    # the known lines offer "returning an item" as 4 (the flat menu) and as 1 (returns' own):
    # a heard 1 is one of them; a heard 5 is neither, and which is meant cannot be told
    assert recogniser.menu_options("for returning an item press 1") == [MenuOption("1", "returning an item")]
    assert recogniser.menu_options("for returning an item press 5") == []


@pytest.mark.parametrize(
    "heard",
    [
        # heard on calls to the demo's line (bench/phone_accuracy.py, typical and purgatory
        # returns): "one" as "line" and as "9"; each call went round its menu three times
        # and hung up, no option fitting
        "please choose from the following options press line for returning an item press 2 for"
        " booking a repair press 3 for a warranty claim to repeat these options press 9",
        "please choose from the following options if you are calling about returning an item press 9 if"
        " you are calling about booking a repair press 2 if you are calling about a warranty claim press 3",
    ],
)
def test_a_key_heard_wrong_that_the_known_lines_disagree_on_is_read_from_its_neighbours(heard: str) -> None:
    # the known lines offer "returning an item" as 4 (the flat menu) and 1 (returns' own): the
    # option after it is 2, so it is 1
    read = phone_recogniser(known=True).menu_options(heard)
    assert read[:3] == [
        MenuOption("1", "returning an item"),
        MenuOption("2", "booking a repair"),
        MenuOption("3", "a warranty claim"),
    ]


def test_a_key_its_neighbours_say_is_none_of_its_known_keys_stays_unread() -> None:
    # after 2 comes 3, but the known lines offer "returning an item" as 1 or 4, never 3
    heard = "press 2 for booking a repair press line for returning an item"
    assert phone_recogniser(known=True).menu_options(heard) == [MenuOption("2", "booking a repair")]


def test_without_known_lines_the_first_pattern_is_believed() -> None:
    heard = "for cancelling an order press 3 for returning an item press 4"
    read = phone_recogniser(known=False).menu_options(heard)
    assert read == [MenuOption("3", "cancelling an order"), MenuOption("4", "returning an item")]


def test_the_goal_picks_the_deepest_fitting_option() -> None:
    today = MenuOption("1", "cancelling an order placed today")
    older = MenuOption("2", "cancelling an older order")
    back = MenuOption("0", "the main menu")
    assert choose_option([today, older, back], "cancel") == today
    assert choose_option([back], "cancel") is None


def test_a_goal_is_pressed_at_once_when_an_option_names_it_and_never_for_a_shared_word() -> None:
    assert clearly_fits(MenuOption("1", "placing a new order"), "order")  # as surely as "buying"
    assert not clearly_fits(MenuOption("3", "cancelling an order"), "order")  # "order" alone
    placed_today = MenuOption("1", "cancelling an order placed today")
    assert clearly_fits(placed_today, "cancel")
    assert not clearly_fits(placed_today, "order")  # placed: an order that exists already
    assert choose_option([placed_today, MenuOption("2", "to place an order")], "order").key == "2"


def test_a_hold_starts_once_and_ends_once() -> None:
    holds = HoldState()
    assert holds.accept(EventKind.HOLD_STARTED)
    assert not holds.accept(EventKind.HOLD_STARTED)  # "You are on hold" after "Please hold"
    assert holds.accept(EventKind.HOLD_ENDED)
    assert not holds.accept(EventKind.HOLD_ENDED)  # "Thank you for holding" after the status line


@pytest.mark.parametrize(("kind", "sentence"), SENTENCES, ids=[s for _, s in SENTENCES])
def test_only_a_follow_up_reads_as_one(recogniser: Recogniser, kind: object, sentence: str) -> None:
    """The mailbox is read for a follow-up after the contact, where the survey's and the goodbye's
    late mails arrive too: only the follow-up's words may match."""
    patterns = recogniser.spec.patterns["followed_up"]
    matched = any(pattern.search(sentence) for pattern in patterns)
    assert matched == (EVENT_OF_KIND[kind] == "followed_up")  # type: ignore[index]


def test_a_line_all_but_one_of_the_known_lines_signals_what_that_line_does() -> None:
    recogniser = phone_recogniser(known=True)
    # heard on a purgatory cancellation: the claim went unread, the outcome was "not claimed"
    assert [(e.kind, e.resolved) for e in recogniser.events_in("You are order has been cancelled")] == [
        (EventKind.OUTCOME, True)
    ]
    # far from every known line: nothing is made up
    assert recogniser.events_in("Let me send you go Returns Returns all our") == []
    # without known lines (a chat), only the patterns read
    assert phone_recogniser(known=False).events_in("You are order has been cancelled") == []
