"""The secrets of a run, and the one function that scrubs them out of what the harness writes.

A company profile takes values written ``${NAME}`` from the environment (a test card,
a password); :class:`Secrets` is the only place that knows those values, and
:meth:`Secrets.scrub` the only function that removes them. Everything the harness
writes passes through it: journey records (and with them the reports, the exports and
the history), error messages, the terminal and JUnit XML, logs, Playwright traces.

A value is replaced by its reference, ``${NAME}``, so a reader still sees *which*
secret was there. It is also looked for in the forms a browser or a file gives it:
URL-encoded in a form post (``4242+4242``), HTML-escaped in a page, JSON-escaped in a
trace. This module imports nothing of Playwright or pytest, so the domain can use it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus


def reference(name: str) -> str:
    """How a secret is written in a profile and shown in place of its value: ``${NAME}``."""
    return "${" + name + "}"


def _forms(value: str) -> set[str]:
    """The value as it may appear in a URL, a form post, a page or a JSON file."""
    return {
        value,
        quote(value, safe=""),
        quote_plus(value, safe=""),
        html.escape(value),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }


@dataclass(frozen=True)
class Secrets:
    """The run's secret values by name; its ``repr`` shows the names only.

    Attributes:
        values: ``NAME -> value`` for every ``${NAME}`` a profile used (empty values dropped).
    """

    values: Mapping[str, str] = field(default_factory=dict)
    _replacements: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pairs = {
            form: reference(name) for name, value in self.values.items() if value for form in _forms(value)
        }
        # Longest first, so that a secret containing another is replaced whole.
        ordered = sorted(pairs.items(), key=lambda pair: (-len(pair[0]), pair[0]))
        object.__setattr__(self, "_replacements", tuple(ordered))

    def __repr__(self) -> str:
        return f"Secrets({sorted(self.values)})"

    def __bool__(self) -> bool:
        return bool(self._replacements)

    def with_value(self, name: str, value: str) -> Secrets:
        """These secrets and one more."""
        return Secrets({**self.values, name: value})

    def scrub(self, text: str) -> str:
        """The text with every secret, in any of its forms, replaced by its ``${NAME}``."""
        for form, shown in self._replacements:
            if form in text:
                text = text.replace(form, shown)
        return text

    def scrub_bytes(self, data: bytes) -> bytes:
        """:meth:`scrub` for a file's bytes, whatever their encoding around the UTF-8 secret."""
        for form, shown in self._replacements:
            encoded = form.encode("utf-8")
            if encoded in data:
                data = data.replace(encoded, shown.encode("utf-8"))
        return data

    def within(self, text: str) -> bool:
        """Whether the text holds a secret (a field typed from it must be masked on screenshots)."""
        return any(form in text for form, _ in self._replacements)

    def scrub_data(self, value: Any) -> Any:
        """:meth:`scrub` of every string in JSON-like data (a record, a trace event); keys stay."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {key: self.scrub_data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub_data(item) for item in value]
        return value


NO_SECRETS = Secrets()
