"""What the customer hears, classified: speech, hold music or silence, with the audio's own times.

Every 20 ms frame is judged on three measures: is it loud enough to be anything (RMS), does
webrtcvad hear a voice in it, and is it *steady*: is its spectrum the same as 40 ms before, as
held notes and chords are (a tune changes note a few times a second) and a voice, which moves
from sound to sound and glides in pitch, hardly ever is for long. Hold music is sound that
stays steady: it starts once most frames of the last half second were steady, and ends when
few were. Speech is voiced, non-musical sound; an :class:`Utterance` ends after 0.6 s without
a voice, at a sentence's pause once it is long, or where music starts, and carries its
samples so that a recogniser can transcribe it. A steady stretch shorter than
``SHORTEST_MUSIC`` is no music and cuts nothing: flite holds the vowels of "placing a new
order" steady for over half a second, and cutting there lost the words. A steady stretch
that a voice runs straight into must last ``SHORTEST_MUSIC_IN_SPEECH``: flite's "me your
phone number" is steady for 1.28 s.

:class:`Listener` works on a stream, one frame at a time, and hands back each segment once it
is over; :func:`segments` runs it over a whole recording. Times come from the frames (the
audio clock), never from when Python looked.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import webrtcvad

from journeys.channels.voice.audio import FRAME_SAMPLES, SAMPLE_RATE, AudioFrame, Samples

FRAME_SECONDS = FRAME_SAMPLES / SAMPLE_RATE
SILENCE_RMS = 120.0
"""Below this (about -49 dBFS) a frame is silence, whatever the VAD says."""
STEADY_LIKENESS = 0.97
"""A frame is steady when its magnitude spectrum and the one 40 ms before are this alike
(cosine). Held notes and chords measure 0.96 to 1.00 (plucked chords too); flite's voices
0.8 to 0.9 in the middle of their speech, and above 0.97 in 5% (awb, rms) to 19% (slt) of
their frames: never most of half a second."""
MUSIC_WINDOW = 25
"""Frames (0.5 s) over which the share of steady frames decides music."""
MUSIC_STARTS, MUSIC_ENDS = 0.7, 0.3
"""Steady share of the window at which music starts, and below which it ends."""
UTTERANCE_GAP = 0.6
"""Seconds without a voice that end an utterance."""
SENTENCE_GAP, LONG_UTTERANCE = 0.2, 2.5
"""Once an utterance has gone on this long, a pause this short (between two sentences) ends
it: a spoken menu is heard option by option, so a caller can press as soon as theirs comes."""
PRE_ROLL_FRAMES = 15
"""Audio kept from before an utterance's first voiced frame (0.3 s), handed to the recogniser
with it: a word's quiet onset ("could", "your") is below the VAD's threshold, and without
it the recogniser hears "are number" for "your order number". Times are not moved by it."""
SHORTEST_UTTERANCE = 0.15
"""Voiced sound shorter than this (a click, a breath) is no utterance."""
SHORTEST_MUSIC = 1.0
"""Seconds a steady stretch must last to be music."""
SHORTEST_MUSIC_IN_SPEECH = 2.0
"""...when sound had gone on without a pause for ``RAN_INTO`` before it began: a voice that
runs straight into it. Hold music follows a pause (the prompt's last word fades, the music
starts); a voice's held vowels sit inside its speech. Of the demo company's 1236 lines in
flite's slt voice, 43 have a stretch steady enough to begin music, all inside the speech,
the longest 1.28 s ("could you tell me your phone number"): on a real call it was taken for
a hold, and the question was lost."""
RAN_INTO = 0.3
"""Seconds of sound without a pause before a steady stretch that make it part of that sound."""
BREATH = 0.25
"""A quiet this short is no pause: the comma in "Bear with me, I'm putting you on hold" is
40 ms in flite's voice, and the "on hold" after it was heard as the start of the hold (2.1 to
2.5 s too early, in every typical call with a "please hold"). The demo's line starts its
music 0.4 s after the prompt's clip, which ends in quiet of its own."""


@dataclass(frozen=True, eq=False)
class Utterance:
    """Something the company said: from its first voiced frame to its last, with the audio."""

    start: float
    end: float
    samples: Samples

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class MusicStarted:
    """Hold music began at ``start``: told once it has lasted long enough to be music, so a
    customer on hold knows it at once rather than when the hold is over."""

    start: float


@dataclass(frozen=True)
class Music:
    """Hold music (or any sustained steady sound) from ``start`` to ``end``."""

    start: float
    end: float


Segment = Utterance | MusicStarted | Music


@dataclass(frozen=True)
class FrameSound:
    """How one 20 ms frame sounds."""

    at: float
    loud: bool
    voiced: bool
    steady: bool


def spectrum(samples: Samples) -> np.ndarray:
    """The magnitude spectrum of ``samples`` (Hann window), scaled to unit length."""
    window = samples.astype(np.float64) * np.hanning(len(samples))
    magnitude = np.abs(np.fft.rfft(window, 1024))
    length = float(np.linalg.norm(magnitude))
    return magnitude / length if length > 0.0 else magnitude


class Listener:
    """Turns received frames into utterances and music as the call goes on.

    Args:
        vad_mode: webrtcvad's aggressiveness, 0 (hears a voice in anything) to 3 (strict).
    """

    def __init__(self, vad_mode: int = 2) -> None:
        self._vad = webrtcvad.Vad(vad_mode)
        self._carry = np.zeros(0, dtype=np.int16)
        self._carry_at = 0.0
        self._previous = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        self._recent: deque[FrameSound] = deque(maxlen=MUSIC_WINDOW)
        self._spectra: deque[np.ndarray] = deque(maxlen=3)
        self._music_start: float | None = None
        self._music_told = False
        self._music_shortest = SHORTEST_MUSIC
        self._last_steady_end = 0.0
        self._sound_since: float | None = None
        """When the sound going on now began (quiet shorter than ``BREATH`` does not end it)."""
        self._speech: list[tuple[float, Samples]] = []
        self._before: deque[Samples] = deque(maxlen=PRE_ROLL_FRAMES)
        self._pre_roll: list[Samples] = []
        self._last_voice_end: float | None = None
        self.last_sound_end: float | None = None
        """When the last loud frame ended (speech or music): how long the line has been quiet."""
        self._first_at: float | None = None
        self._cut_at: float | None = None

    def feed(self, frame: AudioFrame) -> list[Segment]:
        """Take one received frame (any length); return the segments it completed."""
        if self._first_at is None:
            self._first_at = frame.at
        if not len(self._carry):
            self._carry_at = frame.at
        self._carry = np.concatenate([self._carry, frame.samples])
        done: list[Segment] = []
        while len(self._carry) >= FRAME_SAMPLES:
            samples, self._carry = self._carry[:FRAME_SAMPLES], self._carry[FRAME_SAMPLES:]
            done += self._judge(self._carry_at, samples)
            self._carry_at += FRAME_SECONDS
        return done

    def finish(self) -> list[Segment]:
        """The call is over: close what is still open."""
        done: list[Segment] = []
        if self._music_start is not None:
            done += self._end_music(self._last_steady_end)
        done += self._end_utterance()
        return done

    def quiet_for(self) -> float:
        """Seconds of the audio judged so far since its last loud frame (since its start if none
        was loud), by the audio's own clock. A listener that is behind the call (it waited on the
        recogniser) measures the silence it has judged, not the wall clock's time since the last
        sound it judged: a call hung up mid-sentence so, its agent still reading out the order
        number the customer waited for."""
        if self._first_at is None:
            return 0.0
        return max(0.0, self._carry_at - (self.last_sound_end or self._first_at))

    def hears_music(self) -> bool:
        """Whether hold music is playing now (it is reported when it ends)."""
        return self._music_start is not None

    def _sound_of(self, at: float, samples: Samples) -> FrameSound:
        rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
        loud = rms >= SILENCE_RMS
        voiced = loud and self._vad.is_speech(samples.astype("<i2").tobytes(), SAMPLE_RATE)
        self._spectra.append(spectrum(np.concatenate([self._previous, samples])))
        earlier = self._spectra[0]  # the 40 ms window that ended where this one begins
        steady = loud and len(self._spectra) == 3 and float(earlier @ self._spectra[-1]) >= STEADY_LIKENESS
        self._previous = samples
        return FrameSound(at, loud, voiced, steady)

    def cut(self, at: float) -> None:
        """End the utterance going on at ``at`` (the audio's clock) there: the caller pressed a
        key, and a menu that stops at a key runs straight into what follows it. Called from
        any thread; takes effect when the frame at ``at`` is judged."""
        self._cut_at = at

    def _judge(self, at: float, samples: Samples) -> list[Segment]:
        done: list[Segment] = []
        if self._cut_at is not None and at >= self._cut_at:
            self._cut_at = None
            if self._speech and not self._music_told:
                done += self._end_utterance()
        sound = self._sound_of(at, samples)
        self._recent.append(sound)
        if sound.loud:
            if self.last_sound_end is None or at - self.last_sound_end >= BREATH:
                self._sound_since = at
            self.last_sound_end = at + FRAME_SECONDS
        if sound.steady:
            self._last_steady_end = at + FRAME_SECONDS
        share = sum(frame.steady for frame in self._recent) / MUSIC_WINDOW
        if self._music_start is None and share >= MUSIC_STARTS:
            self._music_start = next(frame.at for frame in self._recent if frame.steady)
            ran_into = self._sound_since is not None and self._music_start - self._sound_since >= RAN_INTO
            self._music_shortest = SHORTEST_MUSIC_IN_SPEECH if ran_into else SHORTEST_MUSIC
        elif self._music_start is not None and share < MUSIC_ENDS:
            done += self._end_music(self._last_steady_end)
        if not self._speech:
            self._before.append(samples)
        music_for_long = (
            self._music_start is not None and at + FRAME_SECONDS - self._music_start >= self._music_shortest
        )
        if music_for_long and not self._music_told:
            # music, not a held vowel: the utterance it interrupted ended where it began
            assert self._music_start is not None
            self._music_told = True
            done += self._end_utterance(before=self._music_start)
            done.append(MusicStarted(self._music_start))
        if self._music_told:
            return done
        if sound.voiced:
            if not self._speech:
                self._pre_roll = list(self._before)[:-1]  # this frame is the utterance's first
            self._speech.append((at, samples))
            self._last_voice_end = at + FRAME_SECONDS
        elif self._speech:
            assert self._last_voice_end is not None
            silent = at + FRAME_SECONDS - self._last_voice_end
            long = self._last_voice_end - self._speech[0][0] >= LONG_UTTERANCE
            if silent >= UTTERANCE_GAP or (long and silent >= SENTENCE_GAP):
                done += self._end_utterance()
            else:
                self._speech.append((at, samples))
        return done

    def _end_music(self, end: float) -> list[Segment]:
        start, self._music_start = self._music_start, None
        told, self._music_told = self._music_told, False
        assert start is not None
        if end - start < self._music_shortest:
            return []
        return [Music(start, end)] if told else [MusicStarted(start), Music(start, end)]

    def _end_utterance(self, before: float | None = None) -> list[Segment]:
        end = self._last_voice_end
        kept = [(at, samples) for at, samples in self._speech if before is None or at < before]
        self._speech, self._last_voice_end = [], None
        if end is None or not kept:
            return []
        end = min(end, before) if before is not None else end
        kept = [(at, samples) for at, samples in kept if at < end]
        start = kept[0][0]
        if end - start < SHORTEST_UTTERANCE:
            return []
        pre_roll, self._pre_roll = self._pre_roll, []
        self._before.clear()
        return [Utterance(start, end, np.concatenate([*pre_roll, *(samples for _, samples in kept)]))]


def segments(frames: Iterable[AudioFrame], listener: Listener | None = None) -> list[Segment]:
    """Every utterance and stretch of music in ``frames``, in order."""
    listener = listener or Listener()
    found: list[Segment] = []
    for frame in frames:
        found += listener.feed(frame)
    return found + listener.finish()


def frames_of(samples: Samples, start: float = 0.0) -> list[AudioFrame]:
    """A recording cut into 20 ms frames from ``start``, as a call would deliver it."""
    return [
        AudioFrame(start + index / SAMPLE_RATE, samples[index : index + FRAME_SAMPLES])
        for index in range(0, len(samples), FRAME_SAMPLES)
    ]
