"""Where each key of a TOML file is written, so that errors can say file:line.

Python's tomllib parses values but forgets lines; company profiles and rubrics
both want their errors to point at the line to fix, so both use this index.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journeys.errors import ConfigError

KeyPath = tuple[str | int, ...]


class KeyLines:
    """Where each key of a TOML text is written, so that errors can name file:line.

    Best effort, for the shapes rubric and profile files use: table headers, dotted
    and quoted keys, one-line inline tables, and multi-line arrays with one item per
    line (indexed from 0). A key not written down is found by its parents.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        table: KeyPath = ()
        array: KeyPath | None = None
        depth = index = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line, brackets = _scan(raw)
            if array is not None:
                if line and not line.startswith("]"):  # one item per line
                    self._note((*array, index), number, _inline_keys(line) if line.startswith("{") else ())
                    index += 1
                depth += brackets
                array = array if depth > 0 else None
                continue
            header = re.match(r"^\[+([^\[\]]+)\]+$", line)
            if header:
                table = _key_parts(header.group(1))
                self._note(table, number)
                continue
            assignment = re.match(r"^((?:\"[^\"]*\"|'[^']*'|[\w\-+. ])+?)\s*=\s*(.*)$", line)
            if assignment:
                key, value = (*table, *_key_parts(assignment.group(1))), assignment.group(2)
                self._note(key, number, _inline_keys(value) if value.startswith("{") else ())
                depth = brackets if value.startswith("[") else 0
                array, index = (key if depth > 0 else None), 0

    def _note(self, key: KeyPath, number: int, inline: Sequence[str] = ()) -> None:
        for end in range(1, len(key) + 1):
            self._lines.setdefault(key[:end], number)
        for name in inline:
            self._lines.setdefault((*key, name), number)

    def line_of(self, key: KeyPath) -> int | None:
        """The line of the key, or of its nearest parent that is written down."""
        for end in range(len(key), 0, -1):
            if key[:end] in self._lines:
                return self._lines[key[:end]]
        return None


def _scan(line: str) -> tuple[str, int]:
    """The line without its comment, and its '[' minus its ']' outside quoted text."""
    quote, brackets = "", 0
    for position, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:position].strip(), brackets
        else:
            brackets += (char == "[") - (char == "]")
    return line.strip(), brackets


def _key_parts(dotted: str) -> KeyPath:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))


def _inline_keys(text: str) -> list[str]:
    return [name.strip("\"'") for name in re.findall(r"(\"[^\"]*\"|[\w\-+]+)\s*=", text)]


def shown_path(path: Path) -> Path:
    """The path as a person would type it: relative to here when it is below here."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def read_toml(path: Path, what: str, error: type[ConfigError]) -> tuple[str, dict[str, Any]]:
    """A TOML file's text and its values, or one line saying why not (file:line for bad TOML).

    Args:
        path: the file.
        what: what the file is, for the message ("company profile", "rubric").
        error: the error to raise, so each kind of file keeps its own.
    """
    shown = shown_path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as failure:
        raise error(f"{shown}: cannot read the {what} ({failure.strerror})") from failure
    except UnicodeDecodeError as failure:
        reason = f"{failure.reason} at byte {failure.start}"
        raise error(f"{shown}: the {what} is not UTF-8 text ({reason}); save it as UTF-8") from failure
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as failure:
        line = re.search(r"at line (\d+)", str(failure))
        raise error(f"{shown}:{line.group(1) if line else 1}: not valid TOML: {failure}") from failure
