"""Hearing a reference again, in the shape the company's profile gives it.

A reference read out on a call is the one thing a caller must get exactly: one digit wrong and
the order cannot be found. A recogniser with a language model hears the digits among every
other word it knows, and "four" comes out "for", "two" "queue": "BL-52 for 60 for", "BL-89477
queue", phone orders lost in the demos at 1091539 and 70f35de. The profile already says what a
reference looks like (``reference_given``: ``BL-\\d{6}|RMA-\\d{5}``), so where the first hearing
has a reference's first words ("b l dash"), the utterance is heard once more with a grammar:
the words heard around it, as they were, and in its place exactly what the pattern allows
(``b l dash`` and six digits). :func:`spoken_pattern` turns a pattern into that grammar rule;
:func:`second_hearing` writes the grammar for one utterance.

Patterns are read for a small part of regular expressions, the part references are written in:
letters, digits and dashes, ``\\d``, ``[0-9]``, ``[A-Z]``, ``{n}``, ``{n,m}``, ``?``,
alternatives and groups (named or not), ``\\b``, ``^`` and ``$``. A pattern with anything else
(``+``, ``*``, ``.``) gets no second hearing, and the first stands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from journeys.channels.voice.spoken import DIGIT_WORDS

SOUNDS_LIKE_A_DIGIT = frozenset({"oh", "o", "for", "fore", "to", "too", "won", "ate", "queue", "set", "tree"})
"""Words a recogniser writes for a digit said on a line ("for", "queue"): taken to be part of the
reference they follow, and heard again as digits."""
BETWEEN_DIGITS = frozenset({"a", "the", "and", "in"})
"""Short words a recogniser puts between digits ("eight seven one for a four"): part of the
reference when a digit follows them."""
LONGEST_REPEAT = 16
"""A repeat longer than this (``\\d{40}``) is no reference a voice reads out: no second hearing."""

_Item = tuple["_Atom", int, int]


@dataclass(frozen=True)
class _Atom:
    """One thing a pattern says at a place: a word (a letter, a digit, "dash"), any digit, any
    letter, or a group of alternatives."""

    word: str | None = None
    kind: str | None = None  # "digit" | "letter"
    alternatives: tuple[tuple[_Item, ...], ...] = ()


class _Unreadable(Exception):
    """The pattern uses more than references are written in."""


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0

    def alternatives(self) -> tuple[tuple[_Item, ...], ...]:
        found = [self.sequence()]
        while self.at < len(self.text) and self.text[self.at] == "|":
            self.at += 1
            found.append(self.sequence())
        return tuple(found)

    def sequence(self) -> tuple[_Item, ...]:
        items: list[_Item] = []
        while self.at < len(self.text) and self.text[self.at] not in "|)":
            atom = self.atom()
            if atom is not None:
                least, most = self.repeat()
                items.append((atom, least, most))
        return tuple(items)

    def atom(self) -> _Atom | None:
        text, char = self.text, self.text[self.at]
        self.at += 1
        if char == "(":
            named = re.match(r"\?(?::|P<\w+>)", text[self.at :])
            if text.startswith("?", self.at) and named is None:
                raise _Unreadable(text)
            self.at += len(named.group(0)) if named else 0
            inner = self.alternatives()
            if not text.startswith(")", self.at):
                raise _Unreadable(text)
            self.at += 1
            return _Atom(alternatives=inner)
        if char == "\\":
            escaped = text[self.at : self.at + 1]
            self.at += 1
            if escaped == "d":
                return _Atom(kind="digit")
            if escaped == "b":
                return None
            if escaped == "-":
                return _Atom(word="dash")
            raise _Unreadable(text)
        if char == "[":
            end = text.find("]", self.at)
            if end < 0:
                raise _Unreadable(text)
            inside, self.at = text[self.at : end], end + 1
            if inside in ("0-9", "\\d"):
                return _Atom(kind="digit")
            if inside in ("A-Z", "a-z", "A-Za-z", "a-zA-Z"):
                return _Atom(kind="letter")
            raise _Unreadable(text)
        if char in "^$":
            return None
        if char == "-":
            return _Atom(word="dash")
        if char.isdigit():
            return _Atom(word=DIGIT_WORDS[int(char)])
        if char.isascii() and char.isalpha():
            return _Atom(word=char.lower())
        raise _Unreadable(text)

    def repeat(self) -> tuple[int, int]:
        text = self.text
        if text.startswith("?", self.at):
            self.at += 1
            return 0, 1
        counted = re.match(r"\{(\d+)(?:,(\d+))?\}", text[self.at :])
        if counted is None:
            if text[self.at : self.at + 1] in ("+", "*"):
                raise _Unreadable(text)
            return 1, 1
        self.at += len(counted.group(0))
        least = int(counted.group(1))
        most = int(counted.group(2)) if counted.group(2) else least
        if most > LONGEST_REPEAT or most < least:
            raise _Unreadable(text)
        return least, most


@dataclass(frozen=True)
class SpokenPattern:
    """A reference pattern as a voice says it.

    Attributes:
        rule: the JSGF rule body (``b l dash <digit> <digit> ...``), using ``<digit>`` and
            ``<letter>``.
        openings: the words each alternative starts with before anything varies
            (``("b", "l", "dash")``): where they are heard, a reference is being read.
    """

    rule: str
    openings: tuple[tuple[str, ...], ...]


def spoken_pattern(pattern: str) -> SpokenPattern | None:
    """The grammar rule for what ``pattern`` matches, said aloud; None for a pattern that uses
    more than references are written in, or that has an alternative starting with fewer than
    two fixed words (nothing would tell when it is read)."""
    reader = _Reader(pattern)
    try:
        alternatives = reader.alternatives()
    except (_Unreadable, IndexError):
        return None
    if reader.at != len(pattern):
        return None
    while len(alternatives) == 1 and len(alternatives[0]) == 1:  # \b(?P<reference>A|B)\b
        atom, least, most = alternatives[0][0]
        if not atom.alternatives or (least, most) != (1, 1):
            break
        alternatives = atom.alternatives
    openings = tuple(_opening(sequence) for sequence in alternatives)
    if any(len(opening) < 2 for opening in openings):
        return None
    return SpokenPattern(_rule(alternatives), openings)


def _opening(sequence: tuple[_Item, ...]) -> tuple[str, ...]:
    words: list[str] = []
    for atom, least, most in sequence:
        if least != most:
            break
        if atom.word is not None:
            words += [atom.word] * least
            continue
        if len(atom.alternatives) != 1:  # a group of one way to say it ("(?:CS)") opens too
            break
        inner = _opening(atom.alternatives[0])
        words += list(inner) * least
        if least != 1 or len(inner) != len(atom.alternatives[0]):
            break
    return tuple(words)


def _rule(alternatives: tuple[tuple[_Item, ...], ...]) -> str:
    return " | ".join(f"({_sequence(sequence)})" for sequence in alternatives)


def _sequence(sequence: tuple[_Item, ...]) -> str:
    parts: list[str] = []
    for atom, least, most in sequence:
        if atom.word is not None:
            said = atom.word
        elif atom.kind is not None:
            said = f"<{atom.kind}>"
        else:
            said = f"({_rule(atom.alternatives)})"
        parts += [said] * least + [f"[{said}]"] * (most - least)
    return " ".join(parts)


def second_hearing(words: Sequence[str], patterns: Sequence[SpokenPattern]) -> str | None:
    """A grammar to hear an utterance again: ``words`` (the first hearing) as they are, except
    where a reference's opening words start, which (with the digits, and the words that sound
    like digits, heard after them) become a reference of one of ``patterns``; None when no
    reference's opening was heard."""
    if not patterns:
        return None
    openings = sorted({o for pattern in patterns for o in pattern.openings}, key=len, reverse=True)
    parts: list[str] = []
    at, found = 0, False
    while at < len(words):
        opening = next((o for o in openings if tuple(words[at : at + len(o)]) == o), None)
        if opening is None:
            parts.append(words[at])
            at += 1
            continue
        found = True
        parts.append("<reference>")
        at += len(opening)
        while at < len(words) and (
            _digit_like(words[at]) or (words[at] in BETWEEN_DIGITS and _digit_like(_at(words, at + 1)))
        ):
            at += 1
    if not found:
        return None
    rule = " | ".join(f"({pattern.rule})" for pattern in patterns)
    return (
        "#JSGF V1.0;\ngrammar heard_again;\n"
        f"<digit> = {' | '.join(DIGIT_WORDS)};\n"
        f"<letter> = {' | '.join('abcdefghijklmnopqrstuvwxyz')};\n"
        f"<reference> = {rule};\n"
        f"public <heard> = {' '.join(parts)};\n"
    )


def _digit_like(word: str) -> bool:
    return word in DIGIT_WORDS or word in SOUNDS_LIKE_A_DIGIT


def _at(words: Sequence[str], index: int) -> str:
    return words[index] if index < len(words) else ""
