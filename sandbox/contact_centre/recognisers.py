"""Regular expressions that turn the company's sentences back into events.

These are what ``companies/sandbox.toml`` should hold for the harness: the engine
never uses them, but the tests prove that every variant in :mod:`.phrasing` matches
the patterns of its own event and no other, so a harness using them measures the
sandbox exactly. Compile them case-sensitively (agent names start with a capital).

Named groups: ``agent``, ``department``, ``field`` (the stable words of
``FIELD_WORDS``), ``reference``, ``duration``, ``date``, ``status``, ``position``,
``phone``, ``key`` and ``label`` (menu options).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from sandbox.contact_centre.phrasing import DEPARTMENT_NAMES, FIELD_WORDS

_AGENT = r"(?P<agent>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
_DEPARTMENT = "(?P<department>" + "|".join(DEPARTMENT_NAMES.values()) + ")"
_FIELD = "(?P<field>" + "|".join(sorted(FIELD_WORDS.values(), key=len, reverse=True)) + ")"
_WEEKDAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_KEY = "(?P<key>[0-9*#])"

RECOGNISERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "agent_joined": (
            rf"You are now chatting with {_AGENT} \({_DEPARTMENT}\)",
            rf"{_AGENT} \({_DEPARTMENT}\) has joined the chat",
            rf"this is {_AGENT} from {_DEPARTMENT}\b",
            rf"my name is {_AGENT} and I work in {_DEPARTMENT}\b",
            rf"{_AGENT} from {_DEPARTMENT} here\b",
        ),
        "hold_started": (
            r"You are number (?P<position>\d+) in (?:the queue|line)\b",
            r"^You are on hold\.$",
            r"^You have been placed on hold\.$",
            r"\bPlease hold while\b",
            r"\bputting you on hold\b",
            r"\bhold for a moment\b",
        ),
        "hold_ended": (
            r"^You are no longer on hold\.$",
            r"^Your hold has ended\.$",
            r"\bThank you for holding\b",
            r"\bThanks for waiting, I'm back\b",
            r"\bSorry to keep you waiting\b",
        ),
        "transferred": (
            rf"\b(?:transferring you to|transfer you to|send you over to) {_DEPARTMENT}\b",
            rf"\b(?:putting you through to|connect you with|hand you over to) {_DEPARTMENT}\b",
        ),
        "conferenced": (
            rf"\bbring {_DEPARTMENT} into this conversation\b",
            rf"\ba colleague from {_DEPARTMENT} to join us\b",
            rf"\bbring in someone from {_DEPARTMENT}\b",
        ),
        "escalated": (r"\b(?:my|a) (?:supervisor|manager)\b",),
        "info_requested": (
            rf"^(?:Can I have|Could you tell me|What is) your {_FIELD}, please\?$",
            rf"^(?:Could you give me|Sorry, what was) your {_FIELD} again\?$",
            rf"^Can you confirm your {_FIELD} once more\?$",
        ),
        "reference_given": (r"\b(?P<reference>BL-\d{6}|RMA-\d{5}|WC-\d{5}|RP-\d{5})\b",),
        "promise_made": (
            r"\bwithin (?P<duration>\d+ business days?)\b",
            rf"\b(?:on|by) (?P<date>{_WEEKDAY} \d{{1,2}} {_MONTH})\b",
        ),
        "outcome_resolved": (
            r"^Your (?:order|return|repair|warranty claim) has been"
            r" (?:placed|cancelled|booked|opened)\.$",
            r"^I've (?:placed that order|cancelled your order|set up your return"
            r"|booked an engineer|opened a warranty case)\b",
            r"^All done: your (?:order|return|repair|warranty claim) is"
            r" (?:placed|cancelled|arranged|registered)\.$",
            r"\bstatus (?:of your order )?is:? (?P<status>[a-z ]+)\.$",
        ),
        "outcome_not_resolved": (
            r"\bno longer be (?:cancelled|returned)\b",
            r"\btoo late\b",
            r"\bcan't find an order\b",
            r"\bnothing on our system matches\b",
            r"\bno longer under warranty\b",
            r"\bwarranty on this item has expired\b",
            r"\breturn period for this item has ended\b",
            r"\bcan't (?:take that order|offer that product)\b",
            r"\bisn't something we can do\b",
            r"\bpolicy doesn't allow\b",
            r"\b(?:Please call back|contact us again later|Please try calling back)\b",
        ),
        "policy_recited": (
            r"\b[Oo]ur policy is that\b",
            r"\b[Aa]s per company policy\b",
        ),
        "followed_up": (r"\b[Ff]ollowing up\b",),
        "satisfaction_check": (r"\bsatisf(?:ied|action)\b",),
        "channel_switch_offered": (r"\b[Cc]all us on (?P<phone>\d[\d ]*\d)\b",),
        "menu_prompt": (rf"\b[Pp]ress {_KEY}\b",),
    }
)

# How one option of a spoken menu reads, to find the key for a label.
MENU_OPTION_PATTERNS: tuple[str, ...] = (
    rf"(?:^|(?<=\. ))For (?P<label>[^.]+?), press {_KEY}\.",
    rf"\bPress {_KEY} for (?P<label>[^.]+)\.",
    rf"\bIf you are calling about (?P<label>[^.]+?), press {_KEY}\.",
)


def events_in(text: str) -> dict[str, re.Match[str]]:
    """The events a line of the company's signals, with the first match of each."""
    found: dict[str, re.Match[str]] = {}
    for event, patterns in RECOGNISERS.items():
        for pattern in patterns:
            match = re.search(pattern, text)
            if match is not None:
                found[event] = match
                break
    return found


def menu_options(prompt: str) -> list[tuple[str, str]]:
    """The (key, label) pairs of a spoken menu, in the order they were spoken."""
    options: list[tuple[int, str, str]] = []
    for pattern in MENU_OPTION_PATTERNS:
        for match in re.finditer(pattern, prompt):
            options.append((match.start("key"), match.group("key"), match.group("label")))
    return [(key, label) for _, key, label in sorted(options)]
