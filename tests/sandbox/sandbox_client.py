"""An in-process shop for the sandbox's tests: a customer's client, a page reader, a clock.

The shop is driven through Starlette's TestClient (no server, no browser). Pages are read with
a small HTML reader that exposes what the harness's locators rely on: labels, accessible names
of links and buttons, roles, headings, ``data-field`` values.
"""

from __future__ import annotations

import re
import sqlite3
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its TestClient; httpx still works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["VALID_CHECKOUT", "FakeClock", "MakeShop", "Page", "Shop", "TestClient"]

START_TIME = 1_750_000_000.0

VALID_CHECKOUT: dict[str, str] = {
    "full_name": "Ada Example",
    "email": "ada@example.com",
    "phone": "+1 555 0100",
    "street_address": "1 Test Street",
    "city": "Springfield",
    "postcode": "12345",
    "country": "United States",
    "shipping_method": "standard",
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/34",
    "card_cvc": "123",
}


class FakeClock:
    """A clock that only moves when a test says so."""

    def __init__(self, start: float = START_TIME) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _normalised(text: str) -> str:
    return " ".join(text.split())


@dataclass
class _Capture:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _normalised("".join(self.parts))


_CAPTURED = {
    "a",
    "button",
    "label",
    "h1",
    "h2",
    "title",
    "legend",
    "p",
    "strong",
    "li",
    "td",
    "option",
    "dt",
    "dd",
    "th",
}


class Page(HTMLParser):
    """What a page offers, as the harness's locators see it (names by exact text)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.elements: list[_Capture] = []
        self.inputs: list[dict[str, str]] = []
        self.selects: list[tuple[dict[str, str], list[_Capture]]] = []
        self._open: list[_Capture] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "input":
            self.inputs.append(attributes)
            return
        if tag == "select":
            self.selects.append((attributes, []))
        if tag in _CAPTURED or "role" in attributes or "data-field" in attributes:
            capture = _Capture(tag, attributes)
            self.elements.append(capture)
            self._open.append(capture)
            if tag == "option" and self.selects:
                self.selects[-1][1].append(capture)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index]
                break

    def handle_data(self, data: str) -> None:
        for capture in self._open:
            capture.parts.append(data)

    # What tests ask

    def texts(self, tag: str) -> list[str]:
        return [element.text for element in self.elements if element.tag == tag]

    @property
    def title(self) -> str:
        return self.texts("title")[0]

    def links(self) -> dict[str, str]:
        """Accessible name -> href (a name appearing twice fails the test: strict locators)."""
        found: dict[str, str] = {}
        for element in self.elements:
            if element.tag == "a":
                assert element.text not in found, f"two links named {element.text!r}"
                found[element.text] = element.attrs.get("href", "")
        return found

    def buttons(self) -> dict[str, bool]:
        """Button name -> whether it is enabled."""
        return {
            element.text: "disabled" not in element.attrs
            for element in self.elements
            if element.tag == "button"
        }

    def role(self, role: str) -> list[str]:
        return [element.text for element in self.elements if element.attrs.get("role") == role]

    def data_field(self, name: str) -> str:
        matches = [e.text for e in self.elements if e.attrs.get("data-field") == name]
        assert len(matches) == 1, f"data-field={name!r} found {len(matches)} times"
        return matches[0]

    def described(self, term: str) -> str:
        """The ``<dd>`` that follows the ``<dt>`` whose text is exactly ``term``."""
        for index, element in enumerate(self.elements):
            if element.tag == "dt" and element.text == term:
                following = self.elements[index + 1]
                assert following.tag == "dd", f"<dt>{term}</dt> is not followed by a <dd>"
                return following.text
        raise AssertionError(f"no <dt>{term}</dt>")

    def select_labelled(self, label: str) -> dict[str, str]:
        """A ``<select>`` by its label: option text -> value, ``selected`` under the key ''."""
        targets = [
            element.attrs.get("for")
            for element in self.elements
            if element.tag == "label" and element.text == label
        ]
        assert len(targets) == 1, f"{len(targets)} labels named {label!r}"
        matches = [options for attrs, options in self.selects if attrs.get("id") == targets[0]]
        assert len(matches) == 1, f"label {label!r} points at {len(matches)} selects"
        found = {option.text: option.attrs.get("value", option.text) for option in matches[0]}
        selected = [option.text for option in matches[0] if "selected" in option.attrs]
        return {**found, "": selected[0] if selected else ""}

    def input_labelled(self, label: str) -> dict[str, str]:
        """The input whose ``<label for>`` text is exactly ``label``."""
        targets = [
            element.attrs.get("for")
            for element in self.elements
            if element.tag == "label" and element.text == label
        ]
        assert len(targets) == 1, f"{len(targets)} labels named {label!r}"
        inputs = [attrs for attrs in self.inputs if attrs.get("id") == targets[0]]
        assert len(inputs) == 1, f"label {label!r} points at {len(inputs)} inputs"
        return inputs[0]


class Shop:
    """A customer's browser on an in-process sandbox, plus the database behind it."""

    def __init__(self, client: TestClient, db_path: Path, clock: FakeClock) -> None:
        self.client = client
        self.db_path = db_path
        self.clock = clock

    def page(self, url: str) -> Page:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return Page(response.text)

    def read(self, response: Any) -> Page:
        """The page a response shows (after any redirects were followed)."""
        return Page(response.text)

    def add_to_cart(self, slug: str = "blender-3000", quantity: int | str = 1) -> Any:
        return self.client.post("/cart/items", data={"product": slug, "quantity": str(quantity)})

    def checkout(self, **overrides: str) -> Any:
        return self.client.post("/checkout", data={**VALID_CHECKOUT, **overrides})

    def place_order(self, slug: str = "blender-3000", **overrides: str) -> str:
        """Add one product and check out; return the order number."""
        self.add_to_cart(slug)
        response = self.checkout(**overrides)
        match = re.search(r"/orders/(BL-\d{6})/confirmation$", str(response.url))
        assert match, (response.url, response.text[:2000])
        return match.group(1)

    def query(self, sql: str, *parameters: object) -> list[sqlite3.Row]:
        """Read the database as it really is (a separate connection)."""
        connection = sqlite3.connect(self.db_path)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(sql, parameters).fetchall()
        finally:
            connection.close()

    def order_row(self, number: str) -> sqlite3.Row:
        rows = self.query("SELECT * FROM orders WHERE number = ?", number)
        assert len(rows) == 1
        return rows[0]

    def stock(self, slug: str) -> int:
        return int(self.query("SELECT stock FROM products WHERE slug = ?", slug)[0]["stock"])


MakeShop = Callable[..., Shop]
"""The ``make_shop`` fixture: ``make_shop(profile="purgatory", name="other")``."""
