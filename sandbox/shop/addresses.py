"""Countries the shop delivers to, US states, and postcodes checked by country.

The ``steps`` storefront's delivery address page asks for a country from a drop-down and
checks the postcode against that country's pattern, as real shops do. Postcodes are stored in
their usual written form (``SW1A 1AA``, ``K1A 0B6``); :func:`same_postcode` compares what a
customer types later (to track an order) with what was stored, ignoring case and spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """A country the shop delivers to.

    Attributes:
        code: ISO 3166 code, the drop-down option's value.
        name: The option's text, and what an order stores as its country.
        postcode_pattern: A whole postcode, in upper case, spaces optional where usual.
        invalid_postcode_message: The alert for a postcode that does not match.
        has_states: Whether the address needs a state from :data:`US_STATES`.
    """

    code: str
    name: str
    postcode_pattern: re.Pattern[str]
    invalid_postcode_message: str
    has_states: bool = False

    def written_postcode(self, text: str) -> str | None:
        """The postcode in its usual form, or None if it is not one of this country's."""
        compact = re.sub(r"\s+", "", text).upper()
        if not self.postcode_pattern.fullmatch(compact):
            return None
        if self.code in ("GB", "CA"):
            return f"{compact[:-3]} {compact[-3:]}"
        return compact


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        "United States",
        re.compile(r"\d{5}"),
        "Enter a 5-digit ZIP code, like 12345",
        has_states=True,
    ),
    Country(
        "GB",
        "United Kingdom",
        re.compile(
            r"GIR0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d[\dABEHMNPRV-Y]?|\d[A-HJKPSTUW])\d[ABD-HJLNP-UW-Z]{2}"
        ),
        "Enter a real UK postcode, like SW1A 1AA",
    ),
    Country(
        "CA",
        "Canada",
        re.compile(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d"),
        "Enter a real Canadian postal code, like K1A 0B6",
    ),
)

US_STATES: tuple[tuple[str, str], ...] = (
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
)
"""Code and name of every state (and DC), in the drop-down's order."""


def country_by_code(code: str) -> Country | None:
    """The country of a drop-down value, or None for an unknown one."""
    return next((country for country in COUNTRIES if country.code == code), None)


def state_name(code: str) -> str | None:
    """The name of a US state's code, or None for an unknown one."""
    return dict(US_STATES).get(code)


def same_postcode(typed: str, stored: str) -> bool:
    """Whether two postcodes are the same, however they are spaced or cased."""
    compact = re.compile(r"\s+")
    typed_compact = compact.sub("", typed).upper()
    return bool(typed_compact) and typed_compact == compact.sub("", stored).upper()
