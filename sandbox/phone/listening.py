"""The company's ear: the caller's speech cut into utterances, and recognised.

A :class:`Segmenter` takes the call's audio frame by frame (16 kHz, 16-bit, 20 ms) and uses
webrtcvad to find utterances: speech starts after a few voiced frames (with a little audio
from before, so the first consonant is kept) and ends after ~0.6 s of silence. A
:class:`Recogniser` decodes each utterance with pocketsphinx in a worker process (:mod:`.hearing`), in the
search that fits what the company is waiting for at that moment (:mod:`.spoken`), and hands
the written answer back. One recogniser serves every call: it loads the model once.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import webrtcvad

from sandbox.errors import PhoneLineError
from sandbox.phone.hearing import DecoderProcess
from sandbox.phone.speech import SAMPLE_RATE
from sandbox.phone.spoken import GRAMMARS, Listening, catalogue_grammar, listening_for, written

FRAME_SECONDS = 0.02
FRAME_BYTES = int(SAMPLE_RATE * FRAME_SECONDS) * 2
SILENCE_TO_END_SECONDS = 0.6
"""An utterance ends after this much silence."""

_START_VOICED = 3  # voiced frames among the last few that start an utterance
_PRE_ROLL_FRAMES = 10
_END_FRAMES = int(SILENCE_TO_END_SECONDS / FRAME_SECONDS)
_MIN_SPEECH_FRAMES = 8
_MAX_FRAMES = int(20 / FRAME_SECONDS)


class Segmenter:
    """Cuts a stream of 20 ms frames into utterances (not thread-safe: one feeder)."""

    def __init__(self, aggressiveness: int = 2) -> None:
        self._vad = webrtcvad.Vad(aggressiveness)
        self._recent: deque[tuple[bytes, bool]] = deque(maxlen=_PRE_ROLL_FRAMES)
        self._utterance: list[bytes] = []
        self._voiced = 0
        self._silent_run = 0

    @property
    def speaking(self) -> bool:
        """Whether an utterance is under way (read from any thread)."""
        return bool(self._utterance)

    def feed(self, frame: bytes) -> bytes | None:
        """One frame; the whole utterance when this frame ended one."""
        if len(frame) != FRAME_BYTES:
            frame = frame[:FRAME_BYTES].ljust(FRAME_BYTES, b"\0")
        speech = self._vad.is_speech(frame, SAMPLE_RATE)
        if not self._utterance:
            self._recent.append((frame, speech))
            if sum(voiced for _, voiced in list(self._recent)[-5:]) >= _START_VOICED:
                self._utterance = [audio for audio, _ in self._recent]
                self._voiced = _START_VOICED
                self._silent_run = 0
                self._recent.clear()
            return None
        self._utterance.append(frame)
        self._voiced += speech
        self._silent_run = 0 if speech else self._silent_run + 1
        if self._silent_run < _END_FRAMES and len(self._utterance) < _MAX_FRAMES:
            return None
        utterance, self._utterance = self._utterance, []
        return b"".join(utterance) if self._voiced >= _MIN_SPEECH_FRAMES else None


@dataclass(frozen=True)
class Heard:
    """What one utterance was recognised as, for what, and as written."""

    about: str | None
    words: str
    text: str


_Work = tuple[bytes, Callable[[], str | None], Callable[[Heard | None], None], str, float]
"""An utterance, what is awaited when it is decoded, who is told what it said, which call it
came from, and when it was handed over (``time.monotonic``)."""

log = logging.getLogger("sandbox.phone")
"""What the line heard and said, call by call: in the demo company's server log."""


class Recogniser:
    """pocketsphinx in a worker process (:mod:`.hearing`), fed from a thread of its own, one
    utterance at a time."""

    def __init__(self) -> None:
        searches = {listening.search: listening.grammar for listening in GRAMMARS.values()}
        try:
            self._decoder = DecoderProcess(SAMPLE_RATE, {k: v for k, v in searches.items() if v})
        except (OSError, PhoneLineError) as error:
            raise PhoneLineError(f"the SIP line's recogniser (pocketsphinx) cannot start: {error}") from error
        self._catalogue: dict[str, Listening] = {}
        self._work: queue.Queue[_Work | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="phone recogniser", daemon=True)
        self._thread.start()

    def recognise(
        self,
        audio: bytes,
        about: Callable[[], str | None],
        then: Callable[[Heard | None], None],
        *,
        call: str = "",
    ) -> None:
        """Recognise ``audio`` for what ``about()`` says is awaited then; call ``then`` with it,
        or with None when it is no answer at all (no words, where any words would do). ``call``
        names the call in the log."""
        self._work.put((audio, about, then, call, time.monotonic()))

    def know(self, names: Mapping[str, Sequence[str]]) -> None:
        """Listen for these names (the catalogue's products, its shipping methods) when a field
        in ``names`` is awaited.

        Raises:
            PhoneLineError: a name has a word the model cannot say.
        """
        for about, choices in names.items():
            if not choices:
                continue
            listening = catalogue_grammar(about, choices)
            assert listening.grammar is not None
            try:
                self._decoder.add({listening.search: listening.grammar})
            except PhoneLineError as error:
                raise PhoneLineError(
                    f"the SIP line cannot listen for {about} {list(choices)}: {error}"
                ) from error
            self._catalogue[about] = listening

    def words(self, audio: bytes, about: str | None) -> Heard:
        """Recognise ``audio`` now, on the calling thread (for tests and measurements)."""
        listening = listening_for(about, self._catalogue)
        words = " ".join(
            word for word in self._decoder.decode(listening.search, audio).split() if word[0] not in "<["
        )
        return Heard(about, words, written(about, words))

    def _run(self) -> None:
        while (item := self._work.get()) is not None:
            audio, about, then, call, handed_at = item
            awaited = about()
            started = time.monotonic()
            try:
                heard = self.words(audio, awaited)
            except PhoneLineError as error:
                # the decoder has ended: nothing is heard from now on, and the line is told so
                # (as a dead ear, not a thread gone, which left every call on the line waiting)
                log.warning("%s: the ear is gone (%s): %.1f s not heard", call, error, _seconds(audio))
                then(None)
                continue
            log.info(
                "%s: heard %.1f s of speech as %s, after %.1f s in the queue (%d behind it) and %.1f s"
                " decoding: %r, written %r",
                call,
                _seconds(audio),
                awaited or "anything",
                started - handed_at,
                self._work.qsize(),
                time.monotonic() - started,
                heard.words,
                heard.text,
            )
            # an answer awaited in a grammar that fits none of it is an answer not understood
            # (the agent says so and asks again); dropped, the call waited on it for ever.
            # No words where any would do is nothing said: told too, so the line stops waiting on it
            understood = heard.words or listening_for(awaited, self._catalogue).grammar is not None
            then(heard if understood else None)

    def stop(self) -> None:
        """Finish the utterance in hand and end the thread."""
        self._work.put(None)
        self._thread.join(timeout=30)
        self._decoder.close()


def _seconds(audio: bytes) -> float:
    return len(audio) / 2 / SAMPLE_RATE
