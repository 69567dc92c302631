"""Typed reading of one TOML table, with errors that name the file, the table and the key.

Kept apart from the loader so the schema code reads as the schema: every getter
either returns a value of the right type or raises a one-line
:class:`~.errors.ContactCentreProfileError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

from sandbox.contact_centre.errors import ContactCentreProfileError

Choice = TypeVar("Choice", bound=str)


def toml_type(value: object) -> str:
    """The TOML name of a parsed value's type, for messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "table"
    return type(value).__name__


class Table:
    """One TOML table (or one inline table inside an array, with a key ``prefix``)."""

    def __init__(self, source: str, name: str, data: Mapping[str, Any], prefix: str = "") -> None:
        self.source = source
        self.name = name
        self.data = data
        self.prefix = prefix

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def __iter__(self) -> Iterator[str]:
        """The keys present, in file order."""
        return iter(list(self.data))

    def error(self, key: str, problem: str) -> ContactCentreProfileError:
        """A one-line error about ``key`` in this table."""
        return ContactCentreProfileError(f"{self.source}: [{self.name}] {self.prefix}{key}: {problem}")

    def check_keys(self, allowed: Iterable[str], what: str = "key") -> None:
        """Reject keys the schema does not know, suggesting the closest known one."""
        known = list(allowed)
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
                raise self.error(key, f"unknown {what} '{key}' ({hint})")

    def table(self, key: str) -> Table | None:
        """A sub-table, or None when absent."""
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, Mapping):
            raise self.error(key, f"expected a table, got {toml_type(value)}")
        return Table(self.source, f"{self.name}.{key}", value)

    def required_table(self, key: str) -> Table:
        """A sub-table that must be there."""
        found = self.table(key)
        if found is None:
            raise self.error(key, "missing table")
        return found

    def table_list(self, key: str) -> list[Table]:
        """A non-empty array of tables, each reporting errors as ``key[i].<name>``."""
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            got = "nothing" if value is None else toml_type(value)
            raise self.error(key, f"expected a non-empty array of tables, got {got}")
        tables: list[Table] = []
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                raise self.error(f"{key}[{index}]", f"expected a table, got {toml_type(item)}")
            tables.append(Table(self.source, self.name, item, f"{self.prefix}{key}[{index}]."))
        return tables

    def number(self, key: str, *, default: float = 0.0, positive: bool = False) -> float:
        """A duration or factor: an integer or float, never negative (or zero if positive)."""
        if key not in self.data:
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"expected a number, got {toml_type(value)} {value!r}")
        if value < 0 or (positive and value == 0):
            raise self.error(key, f"must be {'positive' if positive else 'zero or more'}")
        return float(value)

    def integer(self, key: str, *, minimum: int) -> int | None:
        """A whole number of at least ``minimum``, or None when absent."""
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected an integer, got {toml_type(value)} {value!r}")
        if value < minimum:
            raise self.error(key, f"must be at least {minimum}, not {value}")
        return value

    def boolean(self, key: str, *, default: bool = False) -> bool:
        """true or false."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {toml_type(value)} {value!r}")
        return value

    def text(self, key: str) -> str | None:
        """A non-empty string, or None when absent."""
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"expected a non-empty string, got {toml_type(value)}")
        return value

    def texts(self, key: str) -> list[str]:
        """An array of non-empty strings (empty when absent)."""
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.error(key, f"expected an array of strings, got {toml_type(value)}")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.error(key, f"expected non-empty strings, got {toml_type(item)}")
        return list(value)

    def choice(
        self, key: str, allowed: tuple[Choice, ...], what: str, *, default: Choice | None = None
    ) -> Choice:
        """One of a fixed set of words; required when there is no default."""
        if key not in self.data:
            if default is None:
                raise self.error(key, f"missing (one of: {', '.join(sorted(allowed))})")
            return default
        value = self.data[key]
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {toml_type(value)} {value!r}")
        return self._pick(key, value, allowed, what)

    def choices(self, key: str, allowed: tuple[Choice, ...], what: str) -> list[Choice]:
        """An array of words from a fixed set (empty when absent)."""
        return [self._pick(key, value, allowed, what) for value in self.texts(key)]

    def key_choice(self, key: str, allowed: tuple[Choice, ...], what: str) -> Choice:
        """A key of this table that must itself be one of a fixed set (a department name)."""
        return self._pick(key, key, allowed, what)

    def _pick(self, key: str, value: str, allowed: tuple[Choice, ...], what: str) -> Choice:
        for candidate in allowed:
            if candidate == value:
                return candidate
        raise self.error(key, f"unknown {what} '{value}' (known: {', '.join(sorted(allowed))})")
