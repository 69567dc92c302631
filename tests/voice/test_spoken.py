"""The written and spoken forms: what the customer says, and what the recogniser's words become."""

from __future__ import annotations

import pytest

from journeys.channels.voice.spoken import spoken_form, spoken_words, written_form

NAMES = ("Brightline Appliances", "Returns", "Dana")


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        ("your order number is b l dash one two three four five six", "Your order number is BL-123456"),
        ("your r m a number is r m a dash one two three four five", "Your r m a number is RMA-12345"),
        ("please quote case w c dash five oh five oh one", "Please quote case WC-50501"),
        ("press two for returns", "Press 2 for Returns"),
        ("you are number three in the queue", "You are number 3 in the queue"),
        ("within twenty five business days", "Within 25 business days"),
        ("on thursday twenty six november", "On Thursday 26 November"),
        ("call us on oh eight hundred five five five oh one nine nine", "Call us on 0800 5550199"),
        ("on a scale of one to five", "On a scale of 1 to 5"),
        ("hello this is dana from returns", "Hello this is Dana from Returns"),
        ("thank you for calling brightline appliances", "Thank you for calling Brightline Appliances"),
        ("my email is morgan dot hale at example dot test", "My email is morgan.hale@example.test"),
    ],
)
def test_written_form_gives_the_patterns_their_text(heard: str, written: str) -> None:
    assert written_form(heard, NAMES) == written


@pytest.mark.parametrize(
    "heard",
    [
        "one moment please",
        "no one is available",
        "you are next in line",
        "we are open at nine",
        "why are you calling",
    ],
)
def test_written_form_leaves_ordinary_words_alone(heard: str) -> None:
    """A pronoun "one", letter-like words without digits, and "at" without an address stay words."""
    written = written_form(heard)
    assert written.casefold().replace("9", "nine") == heard


@pytest.mark.parametrize(
    ("field_name", "value", "said"),
    [
        ("order_number", "BL-123456", "B L dash 1 2 3 4 5 6"),
        ("reference", "RMA-12345", "R M A dash 1 2 3 4 5"),
        ("email", "morgan.hale@example.test", "morgan dot hale at example dot test"),
        ("email", "tomasz.whitfield@example.test", "tomasz dot W H I T F I E L D at example dot test"),
        ("postcode", "SW1A 1AA", "S W 1 A, 1 A A"),
        ("postcode", "62704", "6 2 7 0 4"),
        ("serial_number", "SN-88A1", "S N dash 8 8 A 1"),
        ("phone", "555-0190-0101", "5 5 5 0 1 9 0 0 1 0 1"),
        ("purchase_date", "5 March 2024", "March fifth, twenty twenty four"),
        ("purchase_date", "21 July 2009", "July twenty first, two thousand nine"),
        ("name", "Ada Okonkwo", "Ada Okonkwo"),
        ("product", "Dishwasher", "Dishwasher"),
    ],
)
def test_spoken_form_reads_values_as_a_careful_caller_would(field_name: str, value: str, said: str) -> None:
    assert spoken_form(field_name, value) == said


def test_spoken_form_spells_address_parts_the_listener_may_not_know() -> None:
    said = spoken_form("email", "ada.okonkwo@example.test", is_word=lambda part: part != "okonkwo")
    assert said == "ada dot O K O N K W O at example dot test"


def test_an_address_spelt_phonetically_spells_everything_before_the_at() -> None:
    said = spoken_form("email", "zoe.x-li+9@example.com", phonetic_email=True)
    assert said == "zulu oscar echo dot x-ray dash lima india plus 9 at example dot com"
    assert spoken_form("order_number", "BL-123456", phonetic_email=True) == "B L dash 1 2 3 4 5 6"


def test_a_spelled_answer_written_back_is_the_value() -> None:
    """What the customer says, heard word for word, is what the company's patterns read."""
    for value in ("BL-123456", "RMA-40404", "RP-10293"):
        assert written_form(" ".join(spoken_words(spoken_form("order_number", value)))) == value


def test_spoken_words_are_a_recognisers_words() -> None:
    assert spoken_words("Press 2 for Returns, number 26; call 0800.") == (
        ["press", "two", "for", "returns", "number", "twenty", "six", "call", "zero", "eight", "zero", "zero"]
    )


def test_a_caller_says_each_value_in_an_answer_as_its_kind_is_said() -> None:
    """The call does not know which field an answer is for: it tells by the value's look."""
    from journeys.channels.voice.phone import speakable

    assert speakable("555-0194-8294") == "5 5 5 0 1 9 4 8 2 9 4"
    assert speakable("It is BL-985440.") == "It is B L dash 9 8 5 4 4 0."
    assert speakable("ann.lee@example.com") == "ann dot lee at example dot com"
    assert speakable("I bought it in 2024, on the 3rd") == "I bought it in 2024, on the 3rd"


def test_an_answer_to_a_question_is_said_as_that_field_is_said() -> None:
    from journeys.channels.voice.phone import said_for

    assert said_for("66526", "postcode") == "6 6 5 2 6"
    assert said_for("66526", None) == "66526"  # free text: a number, as it looks
    assert said_for("SW1A 1AA", "postcode") == "S W 1 A, 1 A A"
    assert said_for("07700 900123", "phone") == "0 7 7 0 0 9 0 0 1 2 3"
    assert said_for("ann.lee@example.com", "email", phonetic_email=True).startswith("alpha november")
    assert said_for("48606 Fowler Drive", "address") == "48606 Fowler Drive"


def test_a_code_in_a_known_line_is_spelt_as_a_company_reads_it_out() -> None:
    # the language model is built from these words: from "bl one two ..." the demo line's
    # "B L dash 9 8 5 4 4 0" was heard "bl catch 985440", and no order number was read
    assert spoken_words("Please note your order number: BL-985440.")[-9:] == (
        ["b", "l", "dash", "nine", "eight", "five", "four", "four", "zero"]
    )
    heard = " ".join(spoken_words("Your return is RMA-40521."))
    assert written_form(heard) == "Your return is RMA-40521"
