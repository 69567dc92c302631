"""What a customer comes to do, in their own words: what they say first, which menu
option they pick, and what they answer when asked for a detail."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from journeys.domain.shopper import Shopper


@dataclass(frozen=True)
class MenuOption:
    """One option of a spoken menu."""

    key: str
    label: str


Intent = Literal["order", "cancel", "return", "repair", "warranty", "enquiry"]
INTENTS: tuple[Intent, ...] = ("order", "cancel", "return", "repair", "warranty", "enquiry")


@dataclass(frozen=True)
class Goal:
    """A customer's reason to get in touch.

    Attributes:
        intent: what they want.
        opening: the first thing they write or say, with ``{placeholders}`` from facts.
        stems: word beginnings that mark a menu option as the right one, with weights (a
            regular expression matched at a word's start: ``plac(?:e|ing)$`` is "place" or
            "placing", never "placed", which is an order that exists already).
    """

    intent: Intent
    opening: str
    stems: Mapping[str, int]


GOALS: Mapping[Intent, Goal] = {
    "order": Goal(
        "order",
        "Hello, I would like to buy a {product}.",
        {"buy": 3, "plac(?:e|ing)$": 2, "new": 2, "order": 1},
    ),
    "cancel": Goal(
        "cancel",
        "Hi, I need to cancel my order {order_number}; I placed it a moment ago.",
        {"cancel": 4, "today": 1, "whole": 1, "order": 1},
    ),
    "return": Goal(
        "return",
        "Hello, I want to return an item from my order {order_number}.",
        {"return": 4, "faulty": 1, "collect": 1, "item": 1},
    ),
    "repair": Goal(
        "repair",
        "Hi, my {product} is broken and needs a repair: {problem}.",
        {"repair": 4, "book": 1, "visit": 1, "engineer": 1},
    ),
    "warranty": Goal(
        "warranty",
        "Hello, I want to make a warranty claim for my {product}: {problem}.",
        {"warrant": 4, "claim": 2},
    ),
    "enquiry": Goal(
        "enquiry",
        "Hi, where is my order {order_number}? What is its status?",
        {"status": 4, "track": 3, "order": 1},
    ),
}


_SHARED_STEMS: Mapping[Intent, frozenset[str]] = {
    intent: frozenset(stem for goal in GOALS.values() if goal.intent != intent for stem in goal.stems)
    for intent in GOALS
}
"""Per goal, the stems other goals have too ("order"): an option matched by those alone does
not name the goal."""


def opening_line(intent: Intent, facts: Mapping[str, str]) -> str:
    """What the customer says first; unknown placeholders read as "it"."""
    text = GOALS[intent].opening
    return re.sub(r"\{(\w+)\}", lambda match: facts.get(match.group(1), "it"), text)


LETTER_FACTS: tuple[tuple[str, str], ...] = (
    ("order_number", "Order number"),
    ("product", "Product"),
    ("serial_number", "Serial number"),
    ("purchase_date", "Bought on"),
)
"""What a written request states below its first line, when the customer knows it."""


def letter(intent: Intent, facts: Mapping[str, str], shopper: Shopper) -> str:
    """A written request (an e-mail, a form's message): the opening line, then every fact the
    request needs that the customer knows, one per line, then their name.

    Nobody answering a letter can ask a question before reading it, so a good letter
    says it all at once; a company that still asks for them again is asking twice.
    """
    known = [f"{label}: {facts[name]}" for name, label in LETTER_FACTS if facts.get(name)]
    parts = [opening_line(intent, facts), "\n".join(known), f"Kind regards,\n{shopper.name}"]
    return "\n\n".join(part for part in parts if part)


def choose_option(options: Sequence[MenuOption], intent: Intent) -> MenuOption | None:
    """The menu option a customer with this goal presses: the best match of its words.

    Ties go to the option spoken first; None when nothing matches at all.
    """
    best: tuple[int, MenuOption] | None = None
    for option in options:
        score, _ = _fit(option, intent)
        if score > 0 and (best is None or score > best[0]):
            best = (score, option)
    return best[1] if best else None


def _fit(option: MenuOption, intent: Intent) -> tuple[int, bool]:
    """How well an option's words fit the goal, and whether a word of this goal alone is among them."""
    words = re.findall(r"[a-z]+", option.label.casefold())
    matched = [stem for stem in GOALS[intent].stems if any(re.match(stem, word) for word in words)]
    shared = _SHARED_STEMS[intent]
    return sum(GOALS[intent].stems[stem] for stem in matched), any(stem not in shared for stem in matched)


def repeat_option(options: Sequence[MenuOption]) -> MenuOption | None:
    """The option that plays the menu again ("to hear these options again, press 9"), if heard."""
    return next((option for option in options if re.search(r"\b(?:again|repeat)", option.label, re.I)), None)


def clearly_fits(option: MenuOption, intent: Intent) -> bool:
    """Whether an option names the goal itself, so a caller presses it at once rather than
    hearing the rest of the menu first: its words weigh as much as the goal's strongest word
    ("cancelling an order" for a cancellation; "placing a new order" for a purchase, as
    surely as "buying")."""
    score, distinctive = _fit(option, intent)
    return distinctive and score >= max(GOALS[intent].stems.values())


def answer_for(field_name: str | None, shopper: Shopper, facts: Mapping[str, str]) -> str | None:
    """What the customer answers when asked for a field; None when they cannot."""
    persona = {
        "name": shopper.name,
        "email": shopper.email,
        "phone": shopper.phone,
        "postcode": shopper.postcode,
        "address": f"{shopper.street}, {shopper.city} {shopper.postcode}",
    }
    if field_name is None:
        return None
    return facts.get(field_name) or persona.get(field_name)
