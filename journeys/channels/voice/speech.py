"""The customer's mouth and ears on the phone: a synthetic voice and an offline recogniser.

Both work on int16 samples at 16 kHz, the rate of the bundled recognition model (the call
itself carries 8 kHz G.711: PJSIP's conference bridge, clocked at 16 kHz, resamples).

Speaking: :class:`Voice` runs Debian's ``flite`` (voices ``slt``, ``awb``, ``rms``: the
recogniser reads these nearly word for word) and caches each text's samples.

Hearing: anything with ``transcribe(samples) -> str`` is a :class:`Recogniser`.
:func:`load_recogniser` picks one from the profile's setting:

- nothing: :class:`PocketsphinxRecogniser` with the US English model inside the
  ``pocketsphinx`` wheel (nothing is downloaded, ever);
- a directory: a larger PocketSphinx model of your own, laid out as the bundled one is:
  the acoustic model (a folder with ``mdef``, ``means``, ...), one ``*.dict``
  pronunciation dictionary and one language model (``*.lm.bin``, ``*.lm`` or ``*.arpa``);
- ``package.module:ClassName``: your own recogniser (Vosk, Whisper, a cloud service
  behind your own proxy); it is called with ``vocabulary=`` (a tuple of phrases) and
  must have ``transcribe``.

The company's words (departments, agents, menu words) are added to the dictionary with
flite's pronunciation when missing, and to the language model. That alone buys little on
a telephone line (the band stops at 4 kHz; the bundled model was trained on 16 kHz
speech): what wins is the company's lines (``sentences=``, e.g. from one recorded call),
which replace the general language model with one of those lines, plus every digit pair
and letter so that any reference can be spelled. ``bench/speech_wer.py`` measures each
option; the figures are in ``docs/benchmarks.md``. Where a reference starts in what it heard,
it hears the utterance again with a grammar of the reference's shape (``references=``, the
profile's ``reference_given`` patterns: :mod:`~journeys.channels.voice.references`).
"""

from __future__ import annotations

import importlib
import itertools
import math
import re
import shutil
import subprocess
import tempfile
import threading
import wave
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from journeys.channels.voice.references import second_hearing, spoken_pattern
from journeys.errors import ConfigError, SetupError

Samples = npt.NDArray[np.int16]
"""Mono int16 audio."""

RECOGNITION_RATE = 16000
"""The sample rate the recogniser hears at (the bundled model is a 16 kHz model)."""

DEFAULT_VOICE = "slt"


class SpeechSetupError(SetupError):
    """A program speech needs (flite, sox) is missing or failed."""


def _run(command: Sequence[str], *, stdin: bytes | None = None) -> bytes:
    program = command[0]
    if shutil.which(program) is None:
        raise SpeechSetupError(f"{program} is not installed; install Debian's {program} package")
    completed = subprocess.run(list(command), input=stdin, capture_output=True, check=False)
    if completed.returncode != 0:
        reason = completed.stderr.decode(errors="replace").strip()
        raise SpeechSetupError(f"{' '.join(command[:3])} ... failed: {reason}")
    return completed.stdout


def read_wav(path: Path) -> tuple[Samples, int]:
    """A 16-bit mono WAV file's samples and rate."""
    with wave.open(str(path), "rb") as reader:
        if reader.getsampwidth() != 2 or reader.getnchannels() != 1:
            raise SpeechSetupError(f"{path} is not 16-bit mono audio")
        frames = reader.readframes(reader.getnframes())
        return np.frombuffer(frames, dtype="<i2").astype(np.int16), reader.getframerate()


def resample(samples: Samples, rate: int, to_rate: int) -> Samples:
    """Samples at another rate, through sox (which filters properly; numpy alone would alias)."""
    if rate == to_rate:
        return samples
    raw = ["-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1"]
    output = _run(
        ["sox", "-D", *raw, "-r", str(rate), "-", *raw, "-r", str(to_rate), "-"],
        stdin=samples.astype("<i2").tobytes(),
    )
    return np.frombuffer(output, dtype="<i2").astype(np.int16)


def through_telephone(samples: Samples, rate: int = RECOGNITION_RATE) -> Samples:
    """The samples as they come out of a G.711 μ-law call: 8 kHz, 8-bit, then back to ``rate``.

    What a real call does to audio, for benchmarks and tests that want the telephone's
    loss without placing a call.
    """
    raw = ["-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1"]
    law = ["-t", "raw", "-e", "mu-law", "-b", "8", "-c", "1", "-r", "8000"]
    # without dither (-D), as a codec encodes: the same audio is the same line every time
    linear = samples.astype("<i2").tobytes()
    encoded = _run(["sox", "-D", *raw, "-r", str(rate), "-", *law, "-"], stdin=linear)
    decoded = _run(["sox", "-D", *law, "-", *raw, "-r", str(rate), "-"], stdin=encoded)
    return np.frombuffer(decoded, dtype="<i2").astype(np.int16)


class Voice:
    """A synthetic customer voice: flite, one voice, one sample rate, a cache per text.

    Args:
        name: a flite voice (``flite -lv``): ``slt`` (default), ``awb``, ``rms``, ``kal``.
        sample_rate: 16000 for the recogniser and a 16 kHz bridge, 8000 for a raw G.711 line.
    """

    def __init__(self, name: str = DEFAULT_VOICE, sample_rate: int = RECOGNITION_RATE) -> None:
        self.name = name
        self.sample_rate = sample_rate
        self._cache: dict[str, Samples] = {}
        self._lock = threading.Lock()

    def say(self, text: str) -> Samples:
        """The samples of ``text`` spoken; the same text is synthesised once."""
        with self._lock:
            cached = self._cache.get(text)
        if cached is not None:
            return cached
        with tempfile.TemporaryDirectory(prefix="voice-") as folder:
            path = Path(folder) / "said.wav"
            _run(["flite", "-voice", self.name, "-t", text, "-o", str(path)])
            samples, rate = read_wav(path)
        samples = resample(samples, rate, self.sample_rate)
        samples.setflags(write=False)
        with self._lock:
            self._cache[text] = samples
        return samples

    def seconds(self, samples: Samples) -> float:
        """How long some of this voice's samples last."""
        return len(samples) / self.sample_rate


@dataclass(frozen=True)
class Transcription:
    """What a recogniser heard in one utterance, and how sure it is (0..1; None: no idea)."""

    text: str
    confidence: float | None = None


@runtime_checkable
class Recogniser(Protocol):
    """Anything that turns an utterance (int16 at 16 kHz) into lower-case words."""

    def transcribe(self, samples: Samples) -> str:
        """The words heard, lower case, no punctuation; "" for nothing."""
        ...


@runtime_checkable
class ScoringRecogniser(Recogniser, Protocol):
    """A recogniser that can also say how sure it is."""

    def transcription(self, samples: Samples) -> Transcription:
        """The words heard with a confidence."""
        ...


def transcription_of(recogniser: Recogniser, samples: Samples) -> Transcription:
    """What ``recogniser`` heard, with a confidence when it can give one."""
    if isinstance(recogniser, ScoringRecogniser):
        return recogniser.transcription(samples)
    return Transcription(recogniser.transcribe(samples))


def vocabulary_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """The distinct lower-case words of some phrases ("Brightline Appliances" -> two words)."""
    words: dict[str, None] = {}
    for phrase in phrases:
        for word in re.findall(r"[a-z][a-z']*", phrase.casefold()):
            words[word] = None
    return tuple(words)


# flite's US English phones, as the CMU dictionary writes them.
_FLITE_TO_CMU: dict[str, str] = {"ax": "AH", "axr": "ER", "pau": ""}


def flite_pronunciation(word: str) -> str:
    """A word's phones in the CMU dictionary's alphabet, guessed by flite's letter-to-sound.

    PocketSphinx cannot guess a pronunciation itself; flite can (its lexicon, then its
    letter-to-sound rules), and its phone set is the dictionary's.
    """
    output = _run(["flite", "-voice", "slt", "-ps", "-t", word, "-o", "none"]).decode()
    phones = [_FLITE_TO_CMU.get(phone, phone.upper()) for phone in output.split()]
    return " ".join(phone.rstrip("012") for phone in phones if phone)


@dataclass(frozen=True)
class ModelFiles:
    """A PocketSphinx model on disk: acoustic model, dictionary, language model."""

    acoustic: Path
    dictionary: Path
    language: Path

    @classmethod
    def bundled(cls) -> ModelFiles:
        """The US English model shipped inside the ``pocketsphinx`` wheel."""
        from pocketsphinx import get_model_path

        root = Path(get_model_path()) / "en-us"
        return cls(root / "en-us", root / "cmudict-en-us.dict", root / "en-us.lm.bin")

    @classmethod
    def in_directory(cls, directory: Path) -> ModelFiles:
        """The model in a directory laid out like the bundled one; ConfigError says what is missing."""
        fix = (
            "name a directory holding an acoustic model folder (with mdef), one *.dict and"
            " one *.lm.bin, *.lm or *.arpa language model"
        )
        if not directory.is_dir():
            raise ConfigError(f"speech model directory {directory} does not exist: {fix}")
        acoustic = [path.parent for path in sorted(directory.rglob("mdef"))]
        dictionaries = [p for p in sorted(directory.rglob("*.dict")) if "phone" not in p.name]
        languages = [
            path
            for pattern in ("*.lm.bin", "*.lm", "*.arpa")
            for path in sorted(directory.rglob(pattern))
            if "phone" not in path.name
        ]
        missing = [
            what
            for what, found in (
                ("acoustic model", acoustic),
                ("*.dict", dictionaries),
                ("language model", languages),
            )
            if not found
        ]
        if missing:
            raise ConfigError(f"speech model directory {directory} has no {', '.join(missing)}: {fix}")
        return cls(acoustic[0], dictionaries[0], languages[0])


class PocketsphinxRecogniser:
    """Offline recognition with PocketSphinx, biased toward the company's words.

    Args:
        model: the model files; the bundled US English model by default.
        vocabulary: phrases the company uses; their words are added to the dictionary if
            missing and raised in the language model.
        boost: the unigram weight of each vocabulary word the language model lacks, relative
            to a uniform unigram (words it has keep theirs).
        language_model: a language model to use instead of the model's own (ARPA or binary).
        sentences: what the company says, if known (a recorded call's lines, with sample
            values): replaces the general language model with one of these sentences
            (:func:`write_language_model`), far better on a narrow telephone line.
        references: the patterns the company's references are written in (``BL-\\d{6}``):
            an utterance in which one starts is heard again with a grammar of exactly that
            shape (:mod:`~journeys.channels.voice.references`).
    """

    def __init__(
        self,
        model: ModelFiles | None = None,
        vocabulary: Sequence[str] = (),
        *,
        boost: float = 1.0,
        language_model: Path | None = None,
        sentences: Sequence[str] = (),
        references: Sequence[str] = (),
    ) -> None:
        from pocketsphinx import Config, Decoder, NGramModel

        files = model or ModelFiles.bundled()
        config = Config(
            hmm=str(files.acoustic),
            dict=str(files.dictionary),
            lm=None,
            samprate=RECOGNITION_RATE,
            loglevel="FATAL",
        )
        self._decoder = Decoder(config)
        self._lock = threading.Lock()
        words = vocabulary_words([*vocabulary, *sentences])
        missing = [word for word in words if self._decoder.lookup_word(word) is None]
        for word in missing:
            self._decoder.add_word(word, flite_pronunciation(word), update=False)
        self.added_words: tuple[str, ...] = tuple(missing)
        # The language model is read here, not by the Config, so that the company's words
        # are in it before the search is built (replacing a live search's model crashes).
        with tempfile.TemporaryDirectory(prefix="company-lm-") as folder:
            if sentences:
                language_model = write_language_model(
                    [*sentences, *vocabulary], Path(folder) / "company.arpa"
                )
            language = NGramModel(
                self._decoder.config, self._decoder.logmath, str(language_model or files.language)
            )
        for word in [] if sentences else missing:  # adding a known word can crash PocketSphinx
            language.add_word(word, boost)
        self._language = language  # the search borrows it: keep it alive
        self._decoder.add_lm("company", language)
        self._decoder.activate_search("company")
        self._references = [found for found in map(spoken_pattern, references) if found is not None]

    def transcription(self, samples: Samples) -> Transcription:
        """The words heard in one whole utterance, with PocketSphinx's posterior; where a
        reference starts in them, the words of a second hearing that takes it in its shape."""
        audio = samples.astype("<i2").tobytes()
        with self._lock:
            hypothesis = self._decode(audio)
            if hypothesis is None:
                return Transcription("", None)
            words = _words_of(hypothesis.hypstr)
            grammar = second_hearing(words, self._references)
            if grammar is not None:
                try:
                    self._decoder.add_jsgf_string("heard_again", grammar)
                    self._decoder.activate_search("heard_again")
                    again = self._decode(audio)
                except RuntimeError:  # a grammar PocketSphinx would not take: the first hearing stands
                    again = None
                finally:
                    self._decoder.activate_search("company")
                if again is not None:
                    words = _words_of(again.hypstr)
        return Transcription(" ".join(words), hypothesis.prob)

    def _decode(self, audio: bytes) -> Any:
        self._decoder.start_utt()
        self._decoder.process_raw(audio, full_utt=True)
        self._decoder.end_utt()
        return self._decoder.hyp()

    def transcribe(self, samples: Samples) -> str:
        """The words heard, lower case."""
        return self.transcription(samples).text


def _words_of(hypothesis: str) -> list[str]:
    """A hypothesis's words: no fillers (``<sil>``), no pronunciation numbers (``read(2)``)."""
    return [re.sub(r"\(\d+\)$", "", word) for word in hypothesis.split() if not word.startswith(("<", "["))]


def write_language_model(sentences: Iterable[str], path: Path, *, discount: float = 0.7) -> Path:
    """Write a bigram language model (ARPA) of the company's sentences to ``path``.

    Absolute discounting with backoff to unigrams, which keep a floor for every word seen,
    and for the digits and letters that spell any number or reference. Sentences are
    written as the voice says them (:func:`spoken_words`).
    """
    from journeys.channels.voice.spoken import DIGIT_WORDS, spoken_words

    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    every_digit_pair = " ".join(f"{first} {second}" for first in DIGIT_WORDS for second in DIGIT_WORDS)
    spelling = [every_digit_pair, "dash", *"abcdefghijklmnopqrstuvwxyz"]
    for sentence in [*sentences, *spelling]:
        words = ["<s>", *spoken_words(sentence), "</s>"]
        unigrams.update(words)
        bigrams.update(itertools.pairwise(words))
    total = sum(count for word, count in unigrams.items() if word != "<s>")
    vocabulary = sorted(unigrams)
    floor = 0.1
    unigram_p = {word: (1 - floor) * unigrams[word] / total + floor / len(vocabulary) for word in vocabulary}
    followers: dict[str, list[tuple[str, int]]] = {}
    for (first, second), count in bigrams.items():
        followers.setdefault(first, []).append((second, count))
    lines = ["\\data\\", f"ngram 1={len(vocabulary)}", f"ngram 2={len(bigrams)}", "", "\\1-grams:"]
    bigram_lines: list[str] = []
    for word in vocabulary:
        seen = followers.get(word, [])
        context = sum(count for _, count in seen)
        backoff = 0.0
        if seen:  # interpolated: each seen bigram keeps ``left`` of the unigram too
            left = discount * len(seen) / context
            backoff = math.log10(left)
            for second, count in seen:
                probability = (count - discount) / context + left * unigram_p[second]
                bigram_lines.append(f"{math.log10(probability):.4f} {word} {second}")
        probability_text = "-99" if word == "<s>" else f"{math.log10(unigram_p[word]):.4f}"
        lines.append(f"{probability_text} {word} {backoff:.4f}")
    lines += ["", "\\2-grams:", *bigram_lines, "", "\\end\\", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def load_recogniser(
    setting: str | None,
    vocabulary: Sequence[str] = (),
    sentences: Sequence[str] = (),
    references: Sequence[str] = (),
) -> Recogniser:
    """The recogniser a profile names: None (the bundled model), a model directory, or
    ``package.module:ClassName`` (called with ``vocabulary=`` and ``sentences=``); the company's
    ``sentences`` become its language model, and its ``references`` (patterns) are heard again
    in their shape. ConfigError says what to fix."""
    if not setting:
        return PocketsphinxRecogniser(vocabulary=vocabulary, sentences=sentences, references=references)
    if re.fullmatch(r"[\w.]+:\w+", setting):
        module_name, _, class_name = setting.partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as error:
            raise ConfigError(
                f"speech recogniser {setting!r} cannot be imported ({error}): name an importable"
                " package.module:ClassName, or a model directory"
            ) from error
        lines = {"sentences": tuple(sentences)} if sentences else {}  # only for those who take them
        recogniser = factory(vocabulary=tuple(vocabulary), **lines)
        if not isinstance(recogniser, Recogniser):
            raise ConfigError(f"speech recogniser {setting!r} has no transcribe(samples) method")
        return recogniser
    model = ModelFiles.in_directory(Path(setting).expanduser())
    return PocketsphinxRecogniser(model, vocabulary, sentences=sentences, references=references)
