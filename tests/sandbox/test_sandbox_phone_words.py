"""The phone line's words and pacing, without a call: what the company says, what it writes
down from what it heard, and how a paced conversation stamps the truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from random import Random

import pytest

from sandbox.contact_centre import Conversation, load_contact_centre_profile_file
from sandbox.contact_centre.in_memory import InMemoryServiceActions
from sandbox.contact_centre.understanding import field_value
from sandbox.phone.speech import speakable
from sandbox.phone.spoken import written

PROFILE = Path(__file__).parent / "profiles" / "phone_line.toml"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Your order BL-123456 is on its way.", "Your order B L dash 1 2 3 4 5 6 is on its way."),
        ("Call 0800 555 0199.", "Call 0 8 0 0, 5 5 5, 0 1 9 9."),
        ("Your return is RMA-2025-0042.", "Your return is R M A dash 2 0 2 5 dash 0 0 4 2."),
        ("We wrote to dana.smith@example.com.", "We wrote to dana dot smith at example dot com."),
        (
            "You are number 3 in the queue; 5 business days.",
            "You are number 3 in the queue; 5 business days.",
        ),
    ],
)
def test_the_company_reads_references_numbers_and_addresses_out(text: str, said: str) -> None:
    assert speakable(text) == said


@pytest.mark.parametrize(
    ("about", "heard", "value"),
    [
        ("order_number", "b l dash one two three four five six", "BL-123456"),
        ("order_number", "p l dash oh one two three four five", "BL-012345"),
        ("email", "dana dot smith at example dot com", "dana.smith@example.com"),
        ("email", "delta alpha dot x-ray dash one plus nine at gmail dot com", "da.x-1+9@gmail.com"),
        ("postcode", "s w one a one a a", "SW1A 1AA"),
        ("postcode", "six two seven oh four", "62704"),
        ("postcode", "six two seven oh four dash one two three four", "62704-1234"),
    ],
)
def test_what_is_heard_is_written_as_a_customer_types_it(about: str, heard: str, value: str) -> None:
    assert field_value(about, written(about, heard)) == value  # type: ignore[arg-type]


def test_a_paced_call_stamps_lines_when_taken_and_a_hold_lasts_from_its_music() -> None:
    profile = load_contact_centre_profile_file(PROFILE)
    conversation = Conversation(
        profile,
        "phone",
        "07700900123",
        Random(1),
        1000.0,
        InMemoryServiceActions(today=date(2025, 11, 20)),
        paced=True,
    )
    assert conversation.due_outputs(1000.0) == []  # paced: only take_next hands outputs out
    menu = conversation.take_next(1000.0)
    assert menu is not None and "press 1" in menu.text.lower()
    assert conversation.press("1", 1008.0)
    taken = []
    now = 1008.0
    while (upcoming := conversation.upcoming()) is not None and upcoming.kind != "hold_ended":
        now += 4.0  # every line takes 4 s to say, far longer than the profile's gaps
        output = conversation.take_next(now)
        assert output is not None
        taken.append((output.kind, now))
    hold_start = taken[-1][1]
    assert taken[-1][0] == "hold_started"
    assert conversation.take_next(hold_start + 2.9) is None  # the queue is 3 s from the music
    assert conversation.take_next(hold_start + 3.0) is not None
    truth = conversation.truth
    assert [(hold.started_at, hold.ended_at) for hold in truth.holds] == [(hold_start, hold_start + 3.0)]
