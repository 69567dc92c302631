"""Fake customers: reproducible for a run, never shared between two journeys."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from faker import Faker


@dataclass(frozen=True)
class Shopper:
    """A persona made with Faker; never a real person (the e-mail domain is reserved)."""

    name: str
    email: str
    phone: str
    street: str
    city: str
    postcode: str
    country: str

    @classmethod
    def for_journey(cls, seed: int, journey_key: str) -> Shopper:
        """The persona of one journey in one run.

        The same seed and journey give the same person (a run can be reproduced);
        the e-mail carries a token derived from the journey, so two journeys of a
        run never share an identity even when Faker repeats a name.
        """
        digest = hashlib.sha256(f"{seed}:{journey_key}".encode()).hexdigest()
        fake = Faker("en_US")
        fake.seed_instance(int(digest[:16], 16))
        first, last = fake.first_name(), fake.last_name()
        local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        return cls(
            name=f"{first} {last}",
            email=f"{local}.{digest[:8]}@example.com",
            phone=fake.numerify("555-01##-####"),
            street=fake.street_address(),
            city=fake.city(),
            postcode=fake.postcode(),
            country="United States",
        )

    def as_dict(self) -> dict[str, str]:
        return asdict(self)
