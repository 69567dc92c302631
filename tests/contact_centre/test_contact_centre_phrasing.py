"""Every sentence is documented, varied, and recognisable as exactly one kind of event."""

from __future__ import annotations

import random
import re

import pytest

from sandbox.contact_centre import phrasing
from sandbox.contact_centre.model import FIELD_NAMES, FieldName
from sandbox.contact_centre.phrasing import (
    DEPARTMENT_NAMES,
    EVENT_OF_KIND,
    FIELD_WORDS,
    PHRASES,
    PhraseKind,
)
from sandbox.contact_centre.recognisers import RECOGNISERS, events_in, menu_options

SAMPLE_VALUES = {
    "agent": "Dana",
    "department": "Returns",
    "field": "order number",
    "position": "3",
    "reference": "RMA-48213",
    "duration": "5 business days",
    "date": "Thursday 26 November",
    "status": "processing",
    "phone": "0800 555 0199",
    "who": "Dana",
    "label": "returning an item",
    "key": "2",
    "topic": "refund",
}
VARIANTS = [(kind, variant) for kind, variants in PHRASES.items() for variant in variants]


def test_every_kind_has_two_or_three_variants() -> None:
    assert set(PHRASES) == set(PhraseKind)
    for kind, variants in PHRASES.items():
        assert 2 <= len(variants) <= 3, kind
        assert len(set(variants)) == len(variants), kind


def test_the_docstring_table_lists_exactly_the_phrases() -> None:
    doc = phrasing.__doc__ or ""
    collapsed = " ".join(doc.split())
    listed = re.findall(r"^    ([a-z_]+)(?:  -> ([a-z_]+))?$", doc, flags=re.MULTILINE)
    assert [kind for kind, _ in listed] == [kind.value for kind in PHRASES]
    assert {kind: event or None for kind, event in listed} == {
        kind.value: EVENT_OF_KIND[kind] for kind in PHRASES
    }
    for _, variant in VARIANTS:
        assert f"- {variant}" in collapsed, variant


@pytest.mark.parametrize(("kind", "variant"), VARIANTS, ids=[f"{k}-{v[:30]}" for k, v in VARIANTS])
def test_each_variant_signals_its_own_event_and_no_other(kind: PhraseKind, variant: str) -> None:
    text = variant.format(**SAMPLE_VALUES)
    found = set(events_in(text))
    expected = EVENT_OF_KIND[kind]
    assert found == ({expected} if expected else set()), text


@pytest.mark.parametrize("field", FIELD_NAMES)
@pytest.mark.parametrize("kind", [PhraseKind.ASK, PhraseKind.REASK])
def test_requests_name_the_field_in_stable_words(field: FieldName, kind: PhraseKind) -> None:
    for variant in PHRASES[kind]:
        text = variant.format(field=FIELD_WORDS[field])
        match = events_in(text)["info_requested"]
        assert match.group("field") == FIELD_WORDS[field]


@pytest.mark.parametrize("department", list(DEPARTMENT_NAMES.values()))
def test_agent_joined_and_transfers_name_the_department(department: str) -> None:
    for kind in (PhraseKind.AGENT_JOINED_CHAT, PhraseKind.AGENT_GREETING):
        for variant in PHRASES[kind]:
            match = events_in(variant.format(agent="Marcus", department=department))["agent_joined"]
            assert (match.group("agent"), match.group("department")) == ("Marcus", department)
    for kind in (PhraseKind.COLD_TRANSFER, PhraseKind.WARM_TRANSFER):
        for variant in PHRASES[kind]:
            match = events_in(variant.format(department=department))["transferred"]
            assert match.group("department") == department


@pytest.mark.parametrize("reference", ["BL-123456", "RMA-48213", "WC-00017", "RP-12345"])
def test_references_have_fixed_formats(reference: str) -> None:
    match = events_in(f"Your reference is {reference}.")["reference_given"]
    assert match.group("reference") == reference
    assert "reference_given" not in events_in("Your order BL-12345 is late.")


def test_every_menu_style_can_be_read_back_into_keys_and_labels() -> None:
    options = [("1", "buying, tracking or cancelling an order"), ("2", "returning an item")]
    for seed in range(20):
        prompt = phrasing.ivr_prompt(
            random.Random(seed), first=seed % 2 == 0, options=options, repeat_key="9"
        )
        assert menu_options(prompt) == options, prompt
        assert events_in(prompt).keys() == {"menu_prompt"}


def test_variants_are_picked_by_the_seeded_rng() -> None:
    first = [phrasing.say(PhraseKind.ASK, random.Random(3), field="postcode") for _ in range(5)]
    assert len(set(first)) == 1
    spread = {phrasing.say(PhraseKind.ASK, random.Random(seed), field="postcode") for seed in range(30)}
    assert len(spread) == len(PHRASES[PhraseKind.ASK])


def test_promises_speak_dates_and_durations() -> None:
    from datetime import date

    assert phrasing.spoken_date(date(2025, 11, 26)) == "Wednesday 26 November"
    assert phrasing.business_days(1) == "1 business day"
    assert phrasing.business_days(5) == "5 business days"
    assert set(RECOGNISERS) >= {event for event in EVENT_OF_KIND.values() if event}
