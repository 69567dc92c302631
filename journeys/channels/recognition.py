"""Turning what the company says into timeline events, one line at a time.

The patterns come from the company profile (``[conversation.patterns]``), so
the same code reads any company. Nothing here touches a page: drivers hand in
lines of text with the moment the page showed them.
"""

from __future__ import annotations

import difflib
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
    ("conferenced", EventKind.CONFERENCED),
    ("escalated", EventKind.ESCALATED),
    ("info_requested", EventKind.INFO_REQUESTED),
    ("reference_given", EventKind.REFERENCE_GIVEN),
    ("promise_made", EventKind.PROMISE_MADE),
    ("policy_recited", EventKind.POLICY_RECITED),
    ("outcome_resolved", EventKind.OUTCOME),
    ("outcome_not_resolved", EventKind.OUTCOME),
    ("satisfaction_check", EventKind.SATISFACTION_CHECK),
    ("channel_switch_offered", EventKind.CHANNEL_SWITCH_OFFERED),
    ("menu_prompt", EventKind.MENU_PROMPT),
    ("hold_started", EventKind.HOLD_STARTED),
)


NEAR_KNOWN = 0.9
"""How alike (``difflib``'s ratio, on the heard form) a line must be to a known line to be
read as it. Measured on calls to the demo's line: "you are order has been cancelled" is 0.95
of "your order has been cancelled" and 0.83 of "your order has been placed"."""
_MUST_BE_HEARD = frozenset({EventKind.REFERENCE_GIVEN, EventKind.MENU_PROMPT})
"""Never taken from a known line: a reference is its digits, a menu its keys."""


@dataclass(frozen=True)
class Heard:
    """One event recognised in one line of what the company said."""

    kind: EventKind
    agent: str | None = None
    department: str | None = None
    field_name: str | None = None
    reference: str | None = None
    resolved: bool | None = None


_SEPARATOR = r"[\s,.;:!?]+"


def heard_form(line: str) -> str:
    """A written line as a recogniser hears it: lower case, no punctuation ("Press 3 for X.")."""
    return " ".join(re.sub(r"[^\w'\- ]+", " ", line.casefold()).split())


@dataclass(frozen=True)
class _KnownOption:
    """A menu option as the company's own lines say it, to be found again in what is heard:
    its words in order, any one word where its key is (a misheard key is still this option)."""

    option: MenuOption
    words: re.Pattern[str]


class Recogniser:
    """Reads lines with a company's patterns (and its known lines, where it has some)."""

    def __init__(self, spec: ConversationSpec) -> None:
        self.spec = spec
        self._known = self._known_options(spec.known_lines)
        self._known_heard = tuple(sorted({heard_form(line) for line in spec.known_lines}))

    def _known_options(self, lines: tuple[str, ...]) -> tuple[_KnownOption, ...]:
        known: list[_KnownOption] = []
        for line in lines:
            heard = heard_form(line)
            for pattern in self.spec.patterns.get("menu_option", ()):
                for match in pattern.finditer(heard):
                    before = heard[match.start() : match.start("key")].split()
                    after = heard[match.end("key") : match.end()].split()
                    words = (
                        r"(?<![\w'])"
                        + "".join(re.escape(word) + _SEPARATOR for word in before)
                        + r"(?P<key>[\w']+)"
                        + "".join(_SEPARATOR + re.escape(word) for word in after)
                        + r"(?![\w'])"
                    )
                    option = MenuOption(match.group("key"), match.group("label").strip())
                    known.append(_KnownOption(option, re.compile(words, re.IGNORECASE)))
        return tuple(known)

    def _first(self, name: str, text: str) -> re.Match[str] | None:
        for pattern in self.spec.patterns.get(name, ()):
            match = pattern.search(text)
            if match is not None:
                return match
        return None

    def events_in(self, text: str) -> list[Heard]:
        """Every event one line signals, in a stable order (ends of holds first).

        A line in which the patterns find nothing, but which is all but one of the company's
        known lines, signals what that line does: a recogniser's "you are order has been
        cancelled" is "your order has been cancelled". Only when every known line that close
        (``NEAR_KNOWN``) signals the same events; never a reference, which must be heard.
        """
        heard = self._events_read(text)
        if heard or not self._known_heard:
            return heard
        return self._events_of_near_known(text)

    def _events_of_near_known(self, text: str) -> list[Heard]:
        said = heard_form(text)
        match = difflib.SequenceMatcher(None, autojunk=False)
        match.set_seq2(said)  # what the matcher indexes: once for every known line
        near: list[list[Heard]] = []
        for line in self._known_heard:
            if 2 * min(len(line), len(said)) < NEAR_KNOWN * (len(line) + len(said)):
                continue  # the lengths alone keep it below NEAR_KNOWN
            match.set_seq1(line)
            if match.quick_ratio() >= NEAR_KNOWN and match.ratio() >= NEAR_KNOWN:
                near.append([event for event in self._events_read(line) if event.kind not in _MUST_BE_HEARD])
        if not near or any(events != near[0] for events in near[1:]):
            return []
        return near[0]

    def _events_read(self, text: str) -> list[Heard]:
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
        """The options of a spoken menu in the order they were spoken.

        A line heard without punctuation can be read two ways ("... an order press 3 for
        returning an item press 4 ..."): "for X, press 3" or "press 3 for X". Where the
        company's own lines are known, an option heard as one of them is read as that line
        says it, with that line's key even when the key itself was misheard ("press five"
        for a known "press 4"), unless another known line offers the same words with the key
        that was heard. Where known lines offer the words with several keys and the key was
        misheard, the options beside it choose among them: keys are said in order, so
        "returning an item press line | booking a repair press 2" is 1 when 1 is one of its
        keys. The patterns read the rest; where two of them read the same words, the one the
        profile lists first is believed.
        """
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, MenuOption]] = []
        keys_of: dict[int, frozenset[str]] = {}  # an option heard without a key it can have

        def free(start: int, end: int) -> bool:
            return all(end <= other_start or start >= other_end for other_start, other_end in taken)

        for start, end, option, keys in self._heard_known_options(text):
            if free(start, end):
                taken.append((start, end))
                found.append((start, option))
                if len(keys) > 1:
                    keys_of[start] = keys
        for pattern in self.spec.patterns.get("menu_option", ()):
            read = [match for match in pattern.finditer(text) if free(match.start(), match.end())]
            for match in read:
                found.append((match.start(), MenuOption(match.group("key"), match.group("label"))))
            taken += [(match.start(), match.end()) for match in read]
        ordered = sorted(found, key=lambda item: item[0])
        options = [option for _, option in ordered]
        for index, (start, option) in enumerate(ordered):
            if start in keys_of:
                key = _key_between(options[index - 1] if index else None, options[index + 1 : index + 2])
                options[index] = MenuOption(key if key in keys_of[start] else "", option.label)
        return [option for option in options if option.key]

    def _heard_known_options(self, text: str) -> list[tuple[int, int, MenuOption, frozenset[str]]]:
        """Known options found in ``text``: first those heard with their own key, then the
        ones whose key was misheard, longest first within each, each with the keys its
        words have in the known lines. A misheard key that known lines with those words
        disagree on is left out of the option (its key ""): the heard key is none of theirs,
        and only its neighbours can tell which was meant."""
        exact: list[tuple[int, int, MenuOption, frozenset[str]]] = []
        keys_of: dict[tuple[int, int], set[str]] = {}
        labels: dict[tuple[int, int], MenuOption] = {}
        heard_keys: dict[tuple[int, int], str] = {}
        for known in self._known:
            for match in known.words.finditer(text):
                span = (match.start(), match.end())
                heard_key = match.group("key").casefold()
                if heard_key == known.option.key.casefold():
                    exact.append((*span, known.option, frozenset({known.option.key})))
                keys_of.setdefault(span, set()).add(known.option.key)
                labels[span] = known.option
                heard_keys[span] = heard_key
        misheard: list[tuple[int, int, MenuOption, frozenset[str]]] = [
            (*span, MenuOption(_only(keys), labels[span].label), frozenset(keys))
            for span, keys in keys_of.items()
            if heard_keys[span] not in {key.casefold() for key in keys}
        ]

        def longest_first(
            found: list[tuple[int, int, MenuOption, frozenset[str]]],
        ) -> list[tuple[int, int, MenuOption, frozenset[str]]]:
            return sorted(found, key=lambda item: (item[0] - item[1], item[0]))

        return longest_first(exact) + longest_first(misheard)

    def ended(self, text: str) -> bool:
        """Whether the company closed the contact with this line."""
        return self._first("ended", text) is not None


def _only(keys: set[str]) -> str:
    """The one key of a set, or "" (unknown) when there are several."""
    return next(iter(keys)) if len(keys) == 1 else ""


def _key_between(before: MenuOption | None, after: list[MenuOption]) -> str:
    """The key said between two options' keys, by their order ("" when they do not tell)."""
    guesses = set()
    if before is not None and before.key.isdigit():
        guesses.add(str(int(before.key) + 1))
    if after and after[0].key.isdigit():
        guesses.add(str(int(after[0].key) - 1))
    return guesses.pop() if len(guesses) == 1 else ""


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
