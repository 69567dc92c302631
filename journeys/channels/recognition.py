"""Turning what the company says into timeline events, one line at a time.

The patterns come from the company profile (``[conversation.patterns]``), so
the same code reads any company. Nothing here touches a page: drivers hand in
lines of text with the moment the page showed them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from journeys.company.profile import ConversationSpec
from journeys.domain.goals import MenuOption
from journeys.domain.timeline import EventKind

# The order events are reported in when one line signals several.
_ORDER: tuple[tuple[str, EventKind], ...] = (
    ("hold_ended", EventKind.HOLD_ENDED),
    ("agent_joined", EventKind.AGENT_JOINED),
    ("transferred", EventKind.TRANSFERRED),
    ("escalated", EventKind.ESCALATED),
    ("info_requested", EventKind.INFO_REQUESTED),
    ("reference_given", EventKind.REFERENCE_GIVEN),
    ("promise_made", EventKind.PROMISE_MADE),
    ("outcome_resolved", EventKind.OUTCOME),
    ("outcome_not_resolved", EventKind.OUTCOME),
    ("satisfaction_check", EventKind.SATISFACTION_CHECK),
    ("channel_switch_offered", EventKind.CHANNEL_SWITCH_OFFERED),
    ("menu_prompt", EventKind.MENU_PROMPT),
    ("hold_started", EventKind.HOLD_STARTED),
)


@dataclass(frozen=True)
class Heard:
    """One event recognised in one line of what the company said."""

    kind: EventKind
    agent: str | None = None
    department: str | None = None
    field_name: str | None = None
    reference: str | None = None
    resolved: bool | None = None


class Recogniser:
    """Reads lines with a company's patterns."""

    def __init__(self, spec: ConversationSpec) -> None:
        self.spec = spec

    def _first(self, name: str, text: str) -> re.Match[str] | None:
        for pattern in self.spec.patterns.get(name, ()):
            match = pattern.search(text)
            if match is not None:
                return match
        return None

    def events_in(self, text: str) -> list[Heard]:
        """Every event one line signals, in a stable order (ends of holds first)."""
        heard: list[Heard] = []
        for name, kind in _ORDER:
            match = self._first(name, text)
            if match is None:
                continue
            groups = match.groupdict()
            if kind is EventKind.OUTCOME:
                if any(event.kind is EventKind.OUTCOME for event in heard):
                    continue
                heard.append(Heard(kind, resolved=name == "outcome_resolved"))
            elif kind is EventKind.INFO_REQUESTED:
                words = (groups.get("field") or "").casefold().strip()
                heard.append(Heard(kind, field_name=self.spec.fields.get(words, words or None)))
            else:
                heard.append(
                    Heard(
                        kind,
                        agent=groups.get("agent"),
                        department=groups.get("department"),
                        reference=groups.get("reference"),
                    )
                )
        return heard

    def menu_options(self, text: str) -> list[MenuOption]:
        """The options of a spoken menu in the order they were spoken."""
        found: list[tuple[int, MenuOption]] = []
        for pattern in self.spec.patterns.get("menu_option", ()):
            for match in pattern.finditer(text):
                found.append((match.start(), MenuOption(match.group("key"), match.group("label"))))
        return [option for _, option in sorted(found, key=lambda item: item[0])]

    def ended(self, text: str) -> bool:
        """Whether the company closed the contact with this line."""
        return self._first("ended", text) is not None


class HoldState:
    """Whether the customer is on hold, so each hold starts and ends once.

    A company often says so twice ("Please hold", then a status line "You are on
    hold"); the first signal starts the hold, the first end signal ends it.
    """

    def __init__(self) -> None:
        self.on_hold = False

    def accept(self, kind: EventKind) -> bool:
        """Whether a hold event changes the state (and so belongs on the timeline)."""
        if kind is EventKind.HOLD_STARTED:
            if self.on_hold:
                return False
            self.on_hold = True
        elif kind is EventKind.HOLD_ENDED:
            if not self.on_hold:
                return False
            self.on_hold = False
        return True
