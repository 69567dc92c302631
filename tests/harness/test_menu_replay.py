"""A caller whose option was garbled asks to hear the menu again, as a person would, instead of
giving up on a menu that does have what they want."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from scripted_page import ScriptedPage

from journeys.channels.conversational import MENU_REPLAYS, ConversationEnd, Line, Opening, converse
from journeys.company.profile import load_company
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind

ROOT = Path(__file__).resolve().parents[2]

GARBLED = [  # as a recogniser writes speech; "press 3" heard as "press line"
    "if you are calling about the status of your order press 1",
    "if you are calling about cancelling an order press line",
    "to hear these options again press 9",
]
CLEAR = [
    "if you are calling about the status of your order press 1",
    "if you are calling about cancelling an order press 3",
    "to hear these options again press 9",
]


class Menu(ScriptedPage):
    """A phone line that says its menu, garbled the first ``garbled`` times, and says it again
    when 9 is pressed; any other key puts the caller through to an agent."""

    channel = "phone"
    opening: Opening = "after_pause"
    hears_holds = True
    step = 0.5

    def __init__(self, garbled: int, *, status_option: bool = True) -> None:
        super().__init__([])
        self.garbled = garbled
        self.status_option = status_option
        self.pressed: list[str] = []
        self._say_menu()

    def _say_menu(self) -> None:
        menu = GARBLED if self.garbled > 0 else CLEAR
        menu = menu if self.status_option else menu[1:]
        self.garbled -= 1
        self.lines += [Line(self.now + 1 + index, "company", text) for index, text in enumerate(menu)]

    def press(self, key: str) -> None:
        self.pressed.append(key)
        self.lines = []  # a key stops the menu being said
        if key == "9":
            self._say_menu()
        else:
            self.lines += [
                Line(self.now + 1, "company", "hello this is dana from orders"),
                Line(self.now + 2, "company", "thank you for calling goodbye"),
            ]


def call(garbled: int, *, status_option: bool = True) -> tuple[Menu, Contact, ConversationEnd]:
    page = Menu(garbled, status_option=status_option)
    contact, end = cancel_on(page)
    return page, contact, end


def cancel_on(page: Menu) -> tuple[Contact, ConversationEnd]:
    """A caller who wants to cancel order BL-100001, on ``page``, read as a call reads."""
    company = load_company("sandbox", ROOT)
    assert company.conversation is not None and company.phone is not None
    spoken = {**company.conversation.patterns, **company.phone.patterns}  # how a call reads
    contact = Contact(channel="phone", purpose="cancel", clock=page.clock)
    end = converse(
        page,
        contact,
        dataclasses.replace(company.conversation, patterns=spoken, settle_seconds=5),
        intent="cancel",
        shopper=Shopper.for_journey(0, "menu"),
        facts={"order_number": "BL-100001"},
        clock=page.clock,
    )
    return contact, end


def test_a_garbled_menu_is_heard_again_and_the_option_then_pressed() -> None:
    page, contact, _ = call(garbled=1)
    assert page.pressed == ["9", "3"]
    assert [event.key for event in contact.timeline.of_kind(EventKind.MENU_CHOICE)] == ["9", "3"]
    assert contact.timeline.of_kind(EventKind.AGENT_JOINED)


def test_an_option_close_to_the_goal_is_taken_after_one_replay() -> None:
    """Still garbled the second time: "the status of your order" is the closest there is."""
    page, _, _ = call(garbled=10)
    assert page.pressed == ["9", "1"]


def test_a_menu_with_nothing_close_is_left_after_a_few_replays() -> None:
    page, _, end = call(garbled=10, status_option=False)
    assert page.pressed == ["9"] * MENU_REPLAYS
    assert end.ended_by == "customer: no menu option fits"


class MenuHeardAtOnce(Menu):
    """The menu's last lines reach the caller together, after the option they press (a
    recogniser hands over a backlog at once): the rest of that menu is no new menu. Then an
    agent says ``agent_says`` (seconds after the key, words)."""

    def __init__(self, agent_says: list[tuple[float, str]]) -> None:
        ScriptedPage.__init__(self, [])
        self.pressed = []
        self.agent_says = agent_says
        self.lines = [
            Line(self.now + 0.2, "company", "if you are calling about cancelling an order press 3"),
            Line(self.now + 0.3, "company", "press 4 for returning an I all our agents are busy"),
        ]

    def press(self, key: str) -> None:
        self.pressed.append(key)
        self.lines = [Line(self.now + after, "company", words) for after, words in self.agent_says]


AGENT = [
    (1, "hello this is dana from orders"),
    (2, "could you tell me your order number please"),
    (8, "thank you for calling goodbye"),
]
AGENT_GARBLED = [
    (1, "hello this is dana from orders"),
    (2, "sorry that has look like a valid press 2 current"),
    (3, "could you tell me your order number please"),
    (9, "thank you for calling goodbye"),
]


@pytest.mark.parametrize(
    "agent_says",
    [
        # the options said before the key was pressed were taken for a new menu with nothing
        # fitting, and the caller left an agent with "no menu option fits" after answering her
        # question
        AGENT,
        # make demo, typical: "sorry that has look like a valid press 2 current" from the agent
        # was read as a menu with nothing fitting, and the caller hung up on her after answering
        AGENT_GARBLED,
    ],
    ids=["rest-of-the-menu", "agent-garbled"],
)
def test_once_a_key_is_pressed_and_an_agent_answers_no_menu_is_heard(
    agent_says: list[tuple[float, str]],
) -> None:
    page = MenuHeardAtOnce(agent_says)
    _, end = cancel_on(page)
    assert page.pressed == ["3"]
    assert "BL-100001" in page.said
    assert end.ended_by == "company", end


class MenuCutByTheKey(Menu):
    """The main menu's last option, said before the key went, reaches the caller after it (the
    recogniser's backlog, in a later look): it is no option of the menu the key led to. The
    page knows when the key went, on the lines' clock."""

    def __init__(self) -> None:
        ScriptedPage.__init__(self, [])
        self.pressed = []
        self.lines = [Line(self.now + 1, "company", "for buying tracking or cancelling an order press 1")]

    def press(self, key: str) -> float:  # type: ignore[override]
        self.pressed.append(key)
        if key == "1":
            self.lines = [
                Line(self.now - 0.3, "company", "if you are calling about cancelling a repair press 2"),
                Line(self.now + 1, "company", "if you are calling about cancelling an order press 3"),
            ]
        else:
            self.lines = [
                Line(self.now + 1, "company", "hello this is dana from orders"),
                Line(self.now + 2, "company", "thank you for calling goodbye"),
            ]
        return self.now


def test_words_said_before_the_key_are_no_option_of_the_next_menu() -> None:
    page = MenuCutByTheKey()
    cancel_on(page)
    assert page.pressed == ["1", "3"]
