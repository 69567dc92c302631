"""Fake customers: reproducible for a run, never shared between two journeys."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import asdict, dataclass

from faker import Faker

COUNTRY_LOCALES: dict[str, str] = {
    "United States": "en_US",
    "United Kingdom": "en_GB",
    "Canada": "en_CA",
    "Ireland": "en_IE",
    "Australia": "en_AU",
    "New Zealand": "en_NZ",
    "Germany": "de_DE",
    "Austria": "de_AT",
    "France": "fr_FR",
    "Netherlands": "nl_NL",
    "Spain": "es_ES",
    "Italy": "it_IT",
}
"""The countries a persona can live in, with the Faker locale that makes its address fit
(a UK postcode for the United Kingdom, a ZIP code for the United States)."""


@dataclass(frozen=True)
class Shopper:
    """A persona made with Faker; never a real person (the e-mail domain is reserved).

    ``first_name`` and ``last_name`` are split from ``name`` when not given, so a form
    that asks for them separately can be filled for any persona.
    """

    name: str
    email: str
    phone: str
    street: str
    city: str
    postcode: str
    country: str
    first_name: str = ""
    last_name: str = ""
    state: str = ""
    company: str = ""

    def __post_init__(self) -> None:
        first, _, last = self.name.strip().partition(" ")
        if not self.first_name:
            object.__setattr__(self, "first_name", first)
        if not self.last_name:
            object.__setattr__(self, "last_name", last.strip())

    @classmethod
    def for_journey(
        cls, seed: int, journey_key: str, countries: tuple[str, ...] = ("United States",)
    ) -> Shopper:
        """The persona of one journey in one run.

        The same seed and journey give the same person (a run can be reproduced);
        the e-mail carries a token derived from the journey, so two journeys of a
        run never share an identity even when Faker repeats a name. The persona lives
        in one of ``countries`` (picked by the same digest), with an address that fits it.
        """
        digest = hashlib.sha256(f"{seed}:{journey_key}".encode()).hexdigest()
        country = countries[int(digest[16:24], 16) % len(countries)] if countries else "United States"
        fake = Faker(COUNTRY_LOCALES.get(country, "en_US"))
        fake.seed_instance(int(digest[:16], 16))
        first, last = fake.first_name(), fake.last_name()
        local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        local = "".join(character for character in local if character.isascii()) or "customer"
        return cls(
            name=f"{first} {last}",
            email=f"{local}.{digest[:8]}@example.com",
            phone=fake.numerify("555-01##-####"),
            street=fake.street_address().replace("\n", ", "),
            city=fake.city(),
            postcode=fake.postcode(),
            country=country,
            first_name=first,
            last_name=last,
            state=_region(fake),
            company=fake.company(),
        )

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


SHOPPER_FIELDS: tuple[str, ...] = tuple(item.name for item in dataclasses.fields(Shopper))
"""What a form may ask of a persona: ``{customer.first_name}`` in a flow, and so on."""


def _region(fake: Faker) -> str:
    """The persona's state, province or county, as its country's forms name it."""
    for provider in ("state", "province", "county", "region"):
        make = getattr(fake, provider, None)
        if callable(make):
            value = make()
            if isinstance(value, str):
                return value
    return ""
