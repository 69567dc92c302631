"""Speaking with flite, a telephone line, and hearing with PocketSphinx: real audio end to end."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from journeys.channels.voice.speech import (
    RECOGNITION_RATE,
    ModelFiles,
    PocketsphinxRecogniser,
    Recogniser,
    Samples,
    Voice,
    flite_pronunciation,
    load_recogniser,
    through_telephone,
    transcription_of,
)
from journeys.channels.voice.spoken import spoken_form, written_form
from journeys.errors import ConfigError

# What a profile would list as the company's lines, with sample values other than the test's.
COMPANY_LINES = (
    "Thank you for calling Brightline Appliances.",
    "For placing a new order, press 1.",
    "For booking a repair, press 2.",
    "For a warranty claim, press 3.",
    "If you are calling about returning an item, press 5.",
    "Hello, this is Ben from Repairs.",
    "To hear these options again, press 9.",
    "Hello, this is Marcus from Orders.",
    "Hi, my name is Dana and I work in Sales.",
    "Your order number is B L dash 9 8 7 6 5 4.",
    "Your RMA number is R M A dash 5 5 1 2 0.",
    "You are number 4 in the queue.",
    "Please hold while I check that.",
)
VOCABULARY = ("Brightline Appliances", "Orders", "Returns", "Repairs", "Sales", "Aisha", "Marcus", "Dana")
NAMES = ("Brightline Appliances", "Orders", "Returns", "Repairs", "Sales", "Aisha", "Marcus", "Dana")


@pytest.fixture(scope="module")
def voice() -> Voice:
    return Voice("slt")


@pytest.fixture(scope="module")
def company_ear() -> PocketsphinxRecogniser:
    return PocketsphinxRecogniser(vocabulary=VOCABULARY, sentences=COMPANY_LINES)


def heard(recogniser: Recogniser, voice: Voice, text: str) -> str:
    return written_form(recogniser.transcribe(through_telephone(voice.say(text))), NAMES)


def test_voice_speaks_at_the_rate_asked_and_says_each_text_once(voice: Voice) -> None:
    wide = voice.say("Press one.")
    narrow = Voice("slt", sample_rate=8000).say("Press one.")
    assert wide.dtype == np.int16 and 0.5 < voice.seconds(wide) < 3
    assert abs(len(wide) - 2 * len(narrow)) < 200
    assert voice.say("Press one.") is wide
    assert np.abs(wide).max() > 3000  # speech, not silence


def test_the_telephone_keeps_length_and_loses_the_high_band(voice: Voice) -> None:
    said = voice.say("Thank you for holding.")
    line = through_telephone(said)
    assert abs(len(line) - len(said)) < 100

    def high_band_share(samples: Samples) -> float:
        spectrum = np.abs(np.fft.rfft(samples.astype(np.float64))) ** 2
        frequencies = np.fft.rfftfreq(len(samples), 1 / RECOGNITION_RATE)
        return float(spectrum[frequencies > 4200].sum() / spectrum.sum())

    assert high_band_share(line) < high_band_share(said) / 10


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("For returning an item, press 1.", "returning an item, press 1"),
        ("Hello, this is Aisha from Returns.", "from Returns"),
        ("You are number 3 in the queue.", "number 3 in the queue"),
    ],
)
def test_the_words_that_matter_come_through_a_telephone_line(
    voice: Voice, company_ear: PocketsphinxRecogniser, said: str, expected: str
) -> None:
    assert expected.replace(",", "") in heard(company_ear, voice, said)


def test_a_spelled_reference_comes_through_as_a_reference(
    voice: Voice, company_ear: PocketsphinxRecogniser
) -> None:
    """Its shape always; most of its digits (a 4 kHz line blurs "four" and "five": the
    benchmark counts how often a reference is exact)."""
    text = heard(company_ear, voice, f"Your order number is {spoken_form('order_number', 'BL-407291')}.")
    found = re.search(r"BL-(\d{6})\b", text)
    assert found is not None, text
    assert sum(a == b for a, b in zip(found.group(1), "407291", strict=True)) >= 4, text


def test_the_bundled_model_alone_hears_clear_speech(voice: Voice) -> None:
    recogniser = load_recogniser(None)
    result = transcription_of(recogniser, voice.say("Thank you for calling. Please hold."))
    assert "thank you for calling" in result.text
    assert result.confidence is not None


def test_words_the_dictionary_lacks_are_added_with_flites_pronunciation() -> None:
    assert flite_pronunciation("brightline") == "B R AY T L AY N"
    recogniser = PocketsphinxRecogniser(vocabulary=["Brightline Appliances", "Priya"])
    assert recogniser.added_words == ("brightline", "priya")


def test_a_custom_model_directory_that_does_not_exist_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"does not exist: name a directory holding an acoustic model"):
        load_recogniser(str(tmp_path / "no-such-model"))


def test_a_model_directory_says_what_it_lacks(tmp_path: Path) -> None:
    (tmp_path / "words.dict").write_text("hello HH AH L OW\n")
    with pytest.raises(ConfigError, match=r"has no acoustic model, language model"):
        load_recogniser(str(tmp_path))


def test_a_model_directory_laid_out_as_the_bundled_one_is_found() -> None:
    bundled = ModelFiles.bundled()
    assert ModelFiles.in_directory(bundled.dictionary.parent) == bundled


def test_a_recogniser_of_your_own_is_named_module_colon_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_ears.py").write_text(
        "class Parrot:\n"
        "    def __init__(self, vocabulary):\n"
        "        self.vocabulary = vocabulary\n"
        "    def transcribe(self, samples):\n"
        "        return ' '.join(self.vocabulary)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    recogniser = load_recogniser("my_ears:Parrot", ["press one"])
    assert recogniser.transcribe(np.zeros(160, dtype=np.int16)) == "press one"
    with pytest.raises(ConfigError, match="cannot be imported"):
        load_recogniser("my_ears:Missing")
