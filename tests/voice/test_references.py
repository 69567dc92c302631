"""A reference read out on a call is heard again in the shape the profile gives it."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.channels.voice.references import second_hearing, spoken_pattern
from journeys.channels.voice.speech import PocketsphinxRecogniser, Voice
from journeys.channels.voice.spoken import written_form
from journeys.company.profile import load_company

ROOT = Path(__file__).resolve().parents[2]
DEMO = r"\b(?P<reference>BL-\d{6}|RMA-\d{5}|WC-\d{5}|RP-\d{5})\b"
SIX = "<digit> <digit> <digit> <digit> <digit> <digit>"
FIVE = "<digit> <digit> <digit> <digit> <digit>"


def words(text: str) -> list[str]:
    return text.split()


def test_a_reference_pattern_is_said_as_its_letters_a_dash_and_its_digits() -> None:
    spoken = spoken_pattern(DEMO)

    assert spoken is not None
    assert spoken.rule == (f"(b l dash {SIX}) | (r m a dash {FIVE}) | (w c dash {FIVE}) | (r p dash {FIVE})")
    assert spoken.openings == (
        ("b", "l", "dash"),
        ("r", "m", "a", "dash"),
        ("w", "c", "dash"),
        ("r", "p", "dash"),
    )


def test_optional_parts_ranges_and_classes_are_read() -> None:
    spoken = spoken_pattern(r"^(?:CS)-?[0-9]{3,4}[A-Z]$")

    assert spoken is not None
    assert spoken.rule == "(((c s)) [dash] <digit> <digit> <digit> [<digit>] <letter>)"
    assert spoken.openings == (("c", "s"),)


@pytest.mark.parametrize(
    "pattern",
    [
        r"T-\d+",  # no end to it
        r"\d{6}",  # nothing fixed tells when it is read out
        r"BL-.{6}",  # any character
        r"BL-\d{40}",  # no reference a voice reads
        r"(BL-\d{6}",  # not even a pattern
        r"(?i)bl-\d{6}",
    ],
)
def test_a_pattern_beyond_what_references_are_written_in_gets_no_second_hearing(pattern: str) -> None:
    assert spoken_pattern(pattern) is None


def test_the_second_hearing_keeps_the_words_heard_and_puts_a_reference_where_one_starts() -> None:
    spoken = spoken_pattern(DEMO)
    assert spoken is not None
    heard = words("your order number is b l dash eight nine four seven seven queue")
    heard += words("i'll repeat that b l dash eight")

    grammar = second_hearing(heard, [spoken])

    assert grammar is not None
    public = grammar.splitlines()[-1]
    assert public == "public <heard> = your order number is <reference> i'll repeat that <reference>;"
    assert f"<reference> = ((b l dash {SIX})" in grammar
    # a short word between digits is theirs; one before other words is not
    between = second_hearing(words("b l dash eight seven one for a four thank you"), [spoken])
    assert (between or "").splitlines()[-1] == "public <heard> = <reference> thank you;"
    assert second_hearing(words("thank you for calling"), [spoken]) is None
    assert second_hearing(heard, []) is None


@pytest.fixture(scope="module")
def demo_lines() -> tuple[tuple[str, ...], tuple[str, ...]]:
    company = load_company("sandbox", ROOT)
    assert company.phone is not None
    return company.phone.lines(), company.phone.words


@pytest.mark.parametrize(
    ("said", "written"),
    [
        # the first hearing alone, with the demo's lines as its language model, measured:
        # "BL-871 for a 4", "BL-4219 for a", "RP-4397 queue"
        ("Please note your order number: BL-871484.", "Please note your order number BL-871484"),
        ("Your cancellation reference is BL-421948.", "Your cancellation reference is BL-421948"),
        ("That's RP-43972.", "that's RP-43972"),
        ("Thank you for calling Brightline Appliances.", "Thank you for calling Brightline Appliances"),
    ],
)
def test_a_reference_the_language_model_misheard_is_heard_in_its_shape(
    demo_lines: tuple[tuple[str, ...], tuple[str, ...]], said: str, written: str
) -> None:
    lines, names = demo_lines
    from sandbox.phone.speech import speakable  # how the demo's line says a reference

    recogniser = PocketsphinxRecogniser(vocabulary=names, sentences=lines, references=[DEMO])
    samples = Voice("slt").say(speakable(said))

    assert written_form(recogniser.transcribe(samples), names) == written
