"""The company's voice on the SIP line: speakable text, flite clips, and the hold music.

Text is made speakable before synthesis, because a synthetic voice reads "BL-123456" as
"bee-ell one hundred and twenty-three thousand..." and no caller could write it down:

- a reference (a word with both letters and digits, or letters and digits joined by dashes,
  like ``BL-123456`` or ``RMA-2025-0042``) is read letter by letter and digit by digit,
  a dash as "dash": ``B L dash 1 2 3 4 5 6``;
- a run of digits that starts with 0 or has five or more (a phone number, a long number) is
  read digit by digit: ``0800 555 0199`` becomes ``0 8 0 0, 5 5 5, 0 1 9 9``;
- an e-mail address is read with "at" and "dot": ``dana.smith@example.com`` becomes
  ``dana dot smith at example dot com``.

Short numbers ("position 3", "5 business days") are left for the voice to read as numbers.
Clips are cached per voice and text in the line's scratch folder, so a prompt heard by every
caller is synthesised once. The hold music is generated at start (a looped melody of soft
tones); nothing is shipped or downloaded.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import threading
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sandbox.errors import PhoneLineError

SAMPLE_RATE = 16000
"""The line's audio rate: flite's voices and the recogniser's model are both 16 kHz."""

VOICES = ("slt", "awb", "rms", "kal", "kal16")
DEFAULT_VOICE = "slt"

_SPEAKABLE = re.compile(
    r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
    r"|(?<![\w-])(?P<reference>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+|[A-Za-z]+\d[A-Za-z0-9]*)(?![\w-])"
    r"|(?<![\w-])(?P<digits>\d+(?: \d+)*)(?![\w-])"
)


def speakable(text: str) -> str:
    """The text as the company's voice should say it (see the module's conventions)."""
    return _SPEAKABLE.sub(_speakable_match, text)


def _speakable_match(match: re.Match[str]) -> str:
    if match.group("email"):
        local, _, domain = match.group("email").partition("@")
        return f"{_dotted(local)} at {_dotted(domain)}"
    if match.group("reference"):
        return _spelt(match.group("reference"))
    groups = match.group("digits").split(" ")
    if groups[0].startswith("0") or sum(len(group) for group in groups) >= 5:
        return ", ".join(_spelt(group) for group in groups)
    return match.group(0)


def _spelt(token: str) -> str:
    return " ".join("dash" if char == "-" else char.upper() for char in token)


def _dotted(part: str) -> str:
    return " dot ".join(piece for piece in part.split(".") if piece)


@dataclass(frozen=True)
class Clip:
    """A WAV file ready to play into a call, and how long it lasts."""

    path: Path
    seconds: float


def wav_seconds(path: Path) -> float:
    """A WAV file's length."""
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


class Voice:
    """flite with one voice, caching a clip per text (thread-safe)."""

    def __init__(self, folder: Path, voice: str = DEFAULT_VOICE) -> None:
        program = shutil.which("flite")
        if program is None:
            raise PhoneLineError(
                "the SIP line speaks with flite, which is not installed (apt-get install flite)"
            )
        if voice not in VOICES:
            raise PhoneLineError(f"unknown flite voice {voice!r} (known: {', '.join(VOICES)})")
        self._program = program
        self._folder = folder
        self.voice = voice
        self._clips: dict[str, Clip] = {}
        self._preparing: set[str] = set()
        self._lock = threading.Lock()

    def ready(self, text: str) -> Clip | None:
        """The clip of ``text`` if it has been synthesised already."""
        with self._lock:
            return self._clips.get(speakable(text))

    def prepare(self, text: str) -> None:
        """Synthesise ``text`` on a thread of its own, unless it is ready or under way."""
        words = speakable(text)
        with self._lock:
            if words in self._clips or words in self._preparing:
                return
            self._preparing.add(words)
        threading.Thread(target=self._prepare, args=(text, words), name="flite", daemon=True).start()

    def _prepare(self, text: str, words: str) -> None:
        try:
            self.clip(text)
        finally:
            with self._lock:
                self._preparing.discard(words)

    def clip(self, text: str) -> Clip:
        """The clip of ``text``, made speakable; synthesised on first use."""
        words = speakable(text)
        with self._lock:
            known = self._clips.get(words)
        if known is not None:
            return known
        name = hashlib.sha256(f"{self.voice}\n{words}".encode()).hexdigest()[:20]
        path = self._folder / f"say-{name}.wav"
        if not path.exists():
            partial = path.with_suffix(".part.wav")
            subprocess.run(
                [self._program, "-voice", self.voice, "-t", words, "-o", str(partial)],
                check=True,
                capture_output=True,
                timeout=60,
            )
            partial.replace(path)
        made = Clip(path, wav_seconds(path))
        with self._lock:
            self._clips[words] = made
        return made


_MELODY = (523.25, 659.25, 783.99, 659.25, 587.33, 698.46, 880.0, 698.46)
"""C E G E D F A F: a short arpeggio, played as soft bell-like tones."""


def write_hold_music(path: Path, *, note_seconds: float = 0.3) -> Clip:
    """Generate the hold music (one loop of the melody, with a fifth under each note)."""
    samples_per_note = int(SAMPLE_RATE * note_seconds)
    time = np.arange(samples_per_note) / SAMPLE_RATE
    envelope = np.minimum(1.0, time / 0.02) * np.exp(-3.0 * time)
    notes = [
        envelope * (0.6 * np.sin(2 * np.pi * pitch * time) + 0.3 * np.sin(2 * np.pi * pitch * 1.5 * time))
        for pitch in _MELODY
    ]
    signal = np.concatenate(notes) * 0.45 * 32767
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(SAMPLE_RATE)
        audio.writeframes(signal.astype("<i2").tobytes())
    return Clip(path, wav_seconds(path))
