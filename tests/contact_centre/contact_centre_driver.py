"""A scripted customer for the contact centre's tests: no sleeping, time is passed in.

It behaves as the harness will: it reads what the company shows through the
patterns of :mod:`sandbox.contact_centre.recognisers` (never through ``phrase``),
answers field requests from a dict, presses the menu key whose label matches its
goal, and answers the survey.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from sandbox.contact_centre import (
    ContactCentreProfile,
    ContactTruth,
    Conversation,
    Output,
    OutputKind,
    TruthLog,
    load_contact_centre_profile_file,
)
from sandbox.contact_centre.customers import CustomerRecords
from sandbox.contact_centre.in_memory import InMemoryServiceActions
from sandbox.contact_centre.model import Channel, Intent
from sandbox.contact_centre.recognisers import events_in, menu_options

PROFILES_DIR = Path(__file__).resolve().parents[2] / "sandbox" / "profiles"
PROFILE_NAMES = ("advocate", "typical", "purgatory")
SCALE = 0.02
START = 1_763_600_000.0  # Thursday 20 November 2025, 00:53 UTC
THINK = 0.1  # seconds the customer takes to answer

ORDER_NUMBER = "BL-123456"
EMAIL = "ann.lee@example.com"
PHONE = "07700 900123"

ANSWERS: Mapping[str, str] = {
    "order number": ORDER_NUMBER,
    "email address": EMAIL,
    "full name": "Ann Lee",
    "phone number": PHONE,
    "postcode": "SW1A 1AA",
    "serial number": "SN-778812",
    "purchase date": "2 March 2025",
    "product": "Kettle",
    "shipping method": "Express",
    "delivery address": "1 High Street, London",
}

OPENERS: Mapping[Intent, str] = {
    "order": "Hi, I'd like to buy a kettle please",
    "cancel": "I need to cancel my order",
    "return": "I want to return a toaster",
    "repair": "My dishwasher stopped working",
    "warranty": "I'd like to make a warranty claim",
    "enquiry": "Where is my order?",
}

# The words a customer listens for in a spoken menu, per goal.
MENU_WORDS: Mapping[Intent, str] = {
    "order": r"\b(?:buy|new order|placing)",
    "cancel": r"\bcancel",
    "return": r"\breturn",
    "repair": r"\brepair",
    "warranty": r"\bwarranty",
    "enquiry": r"\b(?:status|track)",
}


@cache
def standard_profile(name: str) -> ContactCentreProfile:
    """A shipped profile's routes as written, sped up for tests: without its variety, so
    every contact meets the company the routes describe (what the draws add is tested on
    :func:`varied_profile`)."""
    return dataclasses.replace(varied_profile(name), variety=None)


@cache
def varied_profile(name: str) -> ContactCentreProfile:
    """A shipped profile as the sandbox runs it, each contact drawing its company, sped up."""
    return load_contact_centre_profile_file(PROFILES_DIR / f"{name}.toml").with_time_scale(SCALE)


def shop() -> InMemoryServiceActions:
    """A shop where the customer's order can still be cancelled, returned and claimed."""
    actions = InMemoryServiceActions(today=date(2025, 11, 20))
    actions.add_order(ORDER_NUMBER, EMAIL, delivery_date=date(2025, 11, 25), phone=PHONE)
    return actions


@dataclass
class Contact:
    """A finished (or abandoned) scripted contact."""

    conversation: Conversation
    outputs: list[Output] = field(default_factory=list)
    sent: list[tuple[float, str]] = field(default_factory=list)

    @property
    def truth(self) -> ContactTruth:
        return self.conversation.truth

    def texts(self) -> list[str]:
        return [output.text for output in self.outputs]


@dataclass
class ScriptedCustomer:
    """Drives one conversation to its end by answering what the company asks."""

    intent: Intent
    answers: Mapping[str, str] = field(default_factory=lambda: dict(ANSWERS))
    survey_answer: str | None = "Yes, thank you"
    wrong_answers: dict[str, list[str]] = field(default_factory=dict)
    max_outputs: int = 400
    opener_due: str | None = None

    def run(
        self,
        profile: ContactCentreProfile,
        channel: Channel,
        *,
        seed: int = 7,
        actions: InMemoryServiceActions | None = None,
        truth_log: TruthLog | None = None,
        customers: CustomerRecords | None = None,
        customer: str = "ann",
        opener: str | None = None,
        until: float | None = None,
        sandbox_seed: int = 0,
    ) -> Contact:
        conversation = Conversation(
            profile,
            channel,
            customer,
            random.Random(seed),
            START,
            actions if actions is not None else shop(),
            truth_log=truth_log,
            customers=customers,
            seed=sandbox_seed,
        )
        contact = Contact(conversation)
        now = START
        self.opener_due = None
        if channel == "chat" and profile.identifies_first:  # says why once asked, after its questions
            self.opener_due = opener or OPENERS[self.intent]
        elif channel != "phone":
            self._say(contact, opener or OPENERS[self.intent], now + THINK)
        while len(contact.outputs) < self.max_outputs:
            due = conversation.next_due()
            if due is None or (until is not None and due > until):
                break
            now = max(now, due)
            for output in conversation.due_outputs(now):
                contact.outputs.append(output)
                self._react(contact, output, now + THINK)
        return contact

    def _react(self, contact: Contact, output: Output, at: float) -> None:
        if output.kind == OutputKind.IVR_PROMPT:
            contact.conversation.press(self.menu_key(output.text), at)
            contact.sent.append((at, "key"))
            return
        events = events_in(output.text)
        if "info_requested" in events:
            words = events["info_requested"].group("field")
            wrong = self.wrong_answers.get(words)
            self._say(contact, wrong.pop(0) if wrong else self.answers[words], at)
        elif self.opener_due is not None and output.kind == OutputKind.SYSTEM and not events:
            self._say(contact, self.opener_due, at)
            self.opener_due = None
        elif (
            "satisfaction_check" in events
            and self.survey_answer is not None
            and "text" in contact.conversation.accepting()  # by email the survey ends the email
        ):
            self._say(contact, self.survey_answer, at)

    def menu_key(self, prompt: str) -> str:
        """The key of the first option whose label mentions the goal."""
        for key, label in menu_options(prompt):
            if re.search(MENU_WORDS[self.intent], label):
                return key
        raise AssertionError(f"no option for {self.intent} in: {prompt}")

    @staticmethod
    def _say(contact: Contact, text: str, at: float) -> None:
        contact.conversation.customer_says(text, at)
        contact.sent.append((at, text))


def run_contact(
    profile_name: str,
    channel: Channel,
    intent: Intent,
    *,
    seed: int = 7,
    actions: InMemoryServiceActions | None = None,
) -> Contact:
    """One scripted contact against a shipped profile."""
    customer = ScriptedCustomer(intent)
    return customer.run(standard_profile(profile_name), channel, seed=seed, actions=actions)


def observed(outputs: list[Output]) -> dict[str, list[re.Match[str]]]:
    """What a regex-driven harness would see: each event's matches, in order."""
    seen: dict[str, list[re.Match[str]]] = {}
    for output in outputs:
        for event, match in events_in(output.text).items():
            seen.setdefault(event, []).append(match)
    return seen
