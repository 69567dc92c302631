"""Personas: reproducible per seed and journey, never shared between journeys."""

from __future__ import annotations

from journeys.domain.shopper import Shopper


def test_the_same_seed_and_journey_give_the_same_person() -> None:
    assert Shopper.for_journey(7, "features/a.feature::test_x") == Shopper.for_journey(
        7, "features/a.feature::test_x"
    )


def test_two_journeys_of_a_run_never_share_an_identity() -> None:
    emails = {Shopper.for_journey(0, f"features/a.feature::test_{index}").email for index in range(500)}
    assert len(emails) == 500


def test_another_seed_gives_another_person() -> None:
    assert Shopper.for_journey(1, "j").email != Shopper.for_journey(2, "j").email


def test_personas_use_a_reserved_domain_never_a_real_mailbox() -> None:
    shopper = Shopper.for_journey(3, "j")
    assert shopper.email.endswith("@example.com")
    assert shopper.name and shopper.street and shopper.city and shopper.postcode and shopper.phone
