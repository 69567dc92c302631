"""How often the line understands each kind of answer at the first try: ``python -m sandbox.phone.measure``.

Each answer is said as the company's own convention says it (:func:`.speech.speakable`), by
flite's ``slt`` voice, carried two ways: as a wideband call carries it (16 kHz, what G.722
keeps, the codec's own loss not modelled; the line prefers G.722) and squeezed through a
narrowband telephone (8 kHz G.711 µ-law and back, with sox). It is cut by the segmenter and
recognised for what the company awaits; it is understood when
:mod:`sandbox.contact_centre.understanding` reads the written form as the value said (free
text: the same words). Prints one line per kind and way, with the real-time factor of its
decoding (seconds decoding over seconds of speech; one core); nothing is kept.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sandbox.contact_centre.understanding import field_value, recognise_intent
from sandbox.phone.listening import FRAME_BYTES, Recogniser, Segmenter
from sandbox.phone.speech import SAMPLE_RATE, speakable
from sandbox.phone.spoken import PHONETIC, SYMBOL_WORDS

_NAMES = ("dana", "morgan", "priya", "tomasz", "ada", "ben", "sofia", "marcus", "helen", "owen")
_SURNAMES = ("smith", "hale", "jones", "brown", "taylor", "wilson", "evans", "king", "wright", "green")


def samples(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """Per kind of answer, (what is said, what should be understood)."""
    orders = [f"BL-{rng.randrange(100000, 999999)}" for _ in range(10)]
    emails = [  # with digits, as addresses often have (and as the harness's personas' do)
        f"{first}.{last}.{17 + 9 * index}@example.com"
        for index, (first, last) in enumerate(zip(_NAMES, _SURNAMES, strict=True))
    ]
    zips = [f"{rng.randrange(10000, 99999)}" for _ in range(10)]
    problems = [
        ("I want to cancel my order", "cancel"),
        ("I would like to return an item", "return"),
        ("My kettle is broken", "repair"),
        ("I have a warranty claim", "warranty"),
        ("Where is my order", "enquiry"),
    ]
    return {
        "order_number": [(number, number) for number in orders],
        "email": [(phonetically(address), address) for address in emails],
        "postcode": [(code, code) for code in zips],
        "survey": [(said, said) for said in ("yes", "no", "1", "3", "5")],
        "problem": problems,
        "name": [
            (f"{first.title()} {last.title()}", f"{first} {last}")
            for first, last in zip(_NAMES, _SURNAMES, strict=True)
        ],
    }


def phonetically(address: str) -> str:
    """An address as the line asks callers to spell it: the phonetic alphabet up to "at"."""
    letters = {letter: word for word, letter in PHONETIC.items()}
    symbols = {symbol: word for word, symbol in SYMBOL_WORDS.items() if word != "hyphen"}
    local, _, domain = address.partition("@")
    spelt = " ".join(letters.get(char) or symbols.get(char) or char for char in local)
    return f"{spelt} at {domain.replace('.', ' dot ')}"


def understood(about: str, written: str, expected: str) -> bool:
    if about == "problem":
        return recognise_intent(written) == expected
    if about == "survey":
        return written.strip() == expected
    if about == "name":
        return written.lower() == expected
    value = field_value(about, written)  # type: ignore[arg-type]
    return value is not None and value.lower() == expected.lower()


def telephone_audio(text: str, folder: Path, *, narrowband: bool = True) -> bytes:
    """``text`` by flite slt as 16 kHz 16-bit raw audio, through 8 kHz µ-law and back if ``narrowband``."""
    voice, phone = folder / "voice.wav", folder / "phone.wav"
    subprocess.run(["flite", "-voice", "slt", "-t", speakable(text), "-o", str(voice)], check=True)
    if narrowband:
        subprocess.run(["sox", "-D", str(voice), "-r", "8000", "-e", "u-law", str(phone)], check=True)
    else:
        phone = voice
    raw = subprocess.run(
        ["sox", "-D", str(phone), "-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", "-"],
        check=True,
        capture_output=True,
    ).stdout
    silence = bytes(FRAME_BYTES * 50)
    return silence + raw + silence


def main() -> int:
    recogniser = Recogniser()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for about, cases in samples(random.Random(12)).items():
                for narrowband in (False, True):
                    right, misses, decoding, speech = 0, [], 0.0, 0.0
                    for said, expected in cases:
                        audio = telephone_audio(said, Path(scratch), narrowband=narrowband)
                        segmenter, utterance = Segmenter(), b""
                        for at in range(0, len(audio), FRAME_BYTES):
                            utterance = segmenter.feed(audio[at : at + FRAME_BYTES]) or utterance
                        started = time.perf_counter()
                        heard = recogniser.words(utterance, about)
                        decoding += time.perf_counter() - started
                        speech += len(utterance) / 2 / SAMPLE_RATE
                        if understood(about, heard.text, expected):
                            right += 1
                        else:
                            misses.append(f"{said!r} -> {heard.text!r}")
                    way = "G.711 µ-law" if narrowband else "wideband"
                    missed = "; ".join(misses) or "none"
                    print(
                        f"{about}, {way}: {right}/{len(cases)} at the first try, real-time factor"
                        f" {decoding / speech:.2f}; missed: {missed}"
                    )
    finally:
        recogniser.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
