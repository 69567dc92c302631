"""Seeded variety: each contact meets a company drawn from its profile's ranges and chances.

The draw is keyed by the sandbox's seed, the channel, the customer and the intent, so the
same customer meets the same company whatever order contacts arrive in; over many customers
every count takes a range of values, and the truth counts what the drawn company really did.
"""

from __future__ import annotations

import random
from collections import defaultdict
from statistics import mean

import pytest
from contact_centre_driver import (
    PROFILE_NAMES,
    SCALE,
    Contact,
    ScriptedCustomer,
    observed,
    standard_profile,
    varied_profile,
)

from sandbox.contact_centre.model import Channel, Intent
from sandbox.contact_centre.variety import Variety, company_met, draw, variant_generator

CUSTOMERS = [f"customer-{n}@example.com" for n in range(24)]
SPREAD_CHANNELS: tuple[Channel, ...] = ("chat", "phone")
SPREAD_INTENTS: tuple[Intent, ...] = ("cancel", "return")
COUNTS = ("transfer_count", "escalation_count", "recaptures", "conference_count", "policy_recitals")


def run(
    profile_name: str, channel: Channel, intent: Intent, customer: str, *, seed: int = 0, phrasing: int = 7
) -> Contact:
    """One scripted contact under a shipped profile as the sandbox runs it (drawing its company)."""
    return ScriptedCustomer(intent).run(
        varied_profile(profile_name), channel, seed=phrasing, customer=customer, sandbox_seed=seed
    )


def test_the_same_seed_and_customer_meet_the_same_company_whatever_the_phrasing() -> None:
    """The contact's own generator (arrival order, phrasing) does not move the draw."""
    for profile in PROFILE_NAMES:
        for customer in CUSTOMERS[:6]:
            first = run(profile, "chat", "return", customer, phrasing=1).truth.to_dict()
            again = run(profile, "chat", "return", customer, phrasing=99).truth.to_dict()
            assert [first[count] for count in COUNTS] == [again[count] for count in COUNTS]
            assert first["hold_time"] == pytest.approx(again["hold_time"])


def test_another_seed_draws_other_companies() -> None:
    profile = varied_profile("purgatory")
    drawn = {
        seed: [company_met(profile, "chat", customer, "return", seed).route for customer in CUSTOMERS]
        for seed in (0, 1)
    }
    assert drawn[0] != drawn[1]
    assert drawn[0] == [company_met(profile, "chat", c, "return", 0).route for c in CUSTOMERS]


def test_a_generator_draws_the_same_company_twice() -> None:
    profile = varied_profile("typical")
    assert profile.variety is not None
    route = profile.route("email", "cancel")
    one = draw(profile.variety, route, profile.agents, variant_generator(3, "email", "ann", "cancel"))
    two = draw(profile.variety, route, profile.agents, variant_generator(3, "email", "ann", "cancel"))
    assert one == two


def test_without_a_variety_table_every_contact_meets_the_route_as_written() -> None:
    profile = standard_profile("purgatory")
    assert profile.variety is None
    for customer in CUSTOMERS[:4]:
        assert company_met(profile, "chat", customer, "cancel", 5).route == profile.route("chat", "cancel")
    nothing = Variety()  # an empty table draws nothing either, beyond a rounded queue
    route = profile.route("social", "return")
    assert draw(nothing, route, profile.agents, random.Random(1)).route == route


def test_the_truth_counts_what_the_drawn_company_did_and_a_harness_reads_the_same() -> None:
    """Counts in the truth equal the drawn route's; the recognisers see as many as the truth."""
    for profile in PROFILE_NAMES:
        for channel in ("chat", "social", "email"):
            for customer in CUSTOMERS[:4]:
                contact = run(profile, channel, "return", customer)
                legs = company_met(varied_profile(profile), channel, customer, "return", 0).route.legs
                truth = contact.truth.to_dict()
                assert truth["transfer_count"] == sum(leg.ends == "transfer" for leg in legs)
                assert truth["escalation_count"] == sum(leg.ends == "escalate" for leg in legs)
                assert truth["conference_count"] == sum(len(leg.conferences) for leg in legs)
                assert truth["policy_recitals"] == sum(leg.policy_recitals for leg in legs)
                seen = observed(contact.outputs)
                assert len(seen.get("transferred", [])) == truth["transfer_count"]
                assert len(seen.get("escalated", [])) == truth["escalation_count"]
                assert len(seen.get("conferenced", [])) == truth["conference_count"]
                assert len(seen.get("policy_recited", [])) == truth["policy_recitals"]


def spread() -> dict[str, dict[str, set[float]]]:
    """Distinct true values per profile and metric, over customers, two channels, two intents."""
    seen: dict[str, dict[str, set[float]]] = defaultdict(lambda: defaultdict(set))
    for profile in PROFILE_NAMES:
        for channel in SPREAD_CHANNELS:
            for intent in SPREAD_INTENTS:
                for customer in CUSTOMERS:
                    truth = run(profile, channel, intent, customer).truth.to_dict()
                    for count in (*COUNTS, "ivr_depth"):
                        seen[profile][count].add(truth[count])
                    seen[profile]["hold_time"].add(round(truth["hold_time"] / SCALE / 30) * 30)
                    seen[profile]["false_claims"].add(
                        truth["claimed_resolved"] and not truth["action_performed"]
                    )
    return seen


def test_over_many_customers_every_metric_takes_at_least_four_values() -> None:
    """Across the profiles (each keeping its character), transfers, escalations, recaptures,
    conferences, recitals, menu depth and hold time (30 s buckets) each take four values or more."""
    seen = spread()
    everywhere: dict[str, set[float]] = defaultdict(set)
    for metrics in seen.values():
        for metric, values in metrics.items():
            everywhere[metric] |= values
    for metric in (*COUNTS, "ivr_depth", "hold_time"):
        assert len(everywhere[metric]) >= 4, (metric, sorted(everywhere[metric]))
    for profile in ("typical", "purgatory"):  # each spans values, not one company
        assert len(seen[profile]["transfer_count"]) >= 2
        assert len(seen[profile]["ivr_depth"]) >= 2
    assert seen["advocate"]["policy_recitals"] == {0} and seen["advocate"]["false_claims"] == {False}


def test_advocate_stays_the_best_and_purgatory_the_worst() -> None:
    def average(profile: str, metric: str) -> float:
        values = [
            run(profile, "chat", intent, customer).truth.to_dict()[metric]
            for intent in SPREAD_INTENTS
            for customer in CUSTOMERS
        ]
        return mean(values)

    for metric in ("transfer_count", "escalation_count", "recaptures", "hold_time"):
        advocate, typical, purgatory = (average(profile, metric) for profile in PROFILE_NAMES)
        assert advocate <= typical <= purgatory, metric
        assert advocate < purgatory, metric


def test_a_drawn_menu_offers_the_choice_again_and_counts_every_press() -> None:
    profile = varied_profile("typical")
    depths = set()
    for customer in CUSTOMERS:
        contact = run("typical", "phone", "cancel", customer)
        menus = company_met(profile, "phone", customer, "cancel", 0).menus
        written = profile.ivr.depth_of("cancel") if profile.ivr else 0
        assert contact.truth.ivr_depth == written + menus
        depths.add(contact.truth.ivr_depth)
    assert len(depths) >= 2
