"""The audio of one call as the harness hears and speaks it: 16 kHz, 16-bit mono, 20 ms frames.

Received audio is a stream of :class:`AudioFrame`, each stamped by the audio clock: the moment
the call's media was connected plus the samples received before it, divided by the rate. The
stamps therefore say when the company said something, not when Python happened to look.

Nothing here touches PJSIP: the SIP user agent feeds :class:`ReceivedAudio` from its media
thread and drains :class:`OutgoingAudio` there; both are safe to share between threads.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000
"""The conference bridge's clock: the recogniser's model is 16 kHz, so G.711 is upsampled to it."""
FRAME_SAMPLES = SAMPLE_RATE // 50
"""20 ms, the frame PJSIP's bridge and webrtcvad both accept."""

Samples = npt.NDArray[np.int16]

DTMF_TONES: dict[str, tuple[int, int]] = {
    key: (low, high)
    for row, low in zip(("123A", "456B", "789C", "*0#D"), (697, 770, 852, 941), strict=True)
    for key, high in zip(row, (1209, 1336, 1477, 1633), strict=True)
}
"""ITU-T Q.23: each key is one low and one high tone, for in-band DTMF."""


@dataclass(frozen=True, eq=False)
class AudioFrame:
    """A piece of received audio and when its first sample was heard (epoch seconds)."""

    at: float
    samples: Samples

    @property
    def end(self) -> float:
        return self.at + len(self.samples) / SAMPLE_RATE


class ReceivedAudio:
    """What the company sends, as a stream one consumer reads while the call goes on.

    The media thread appends; the reader takes everything not yet read. ``origin`` is set when
    the call's media is connected, and each frame's time follows from the samples before it.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._pending: deque[AudioFrame] = deque()
        self._origin: float | None = None
        self._samples_received = 0
        self._closed = False

    @property
    def origin(self) -> float | None:
        """Epoch seconds of the first received sample; None before the media was connected."""
        return self._origin

    @property
    def position(self) -> float | None:
        """Epoch seconds, on the audio's clock, of the end of what has been received; None before
        the media was connected."""
        with self._condition:
            if self._origin is None:
                return None
            return self._origin + self._samples_received / SAMPLE_RATE

    def start(self, origin: float) -> None:
        """The media is connected: frames from now on are counted from ``origin``."""
        with self._condition:
            if self._origin is None:
                self._origin = origin

    def append(self, pcm: bytes) -> None:
        """One frame from the bridge (16-bit little-endian); dropped before the media started."""
        with self._condition:
            if self._origin is None or self._closed:
                return
            samples = np.frombuffer(pcm, dtype="<i2").astype(np.int16)
            at = self._origin + self._samples_received / SAMPLE_RATE
            self._samples_received += len(samples)
            self._pending.append(AudioFrame(at, samples))
            self._condition.notify_all()

    def close(self) -> None:
        """The call has ended: readers get what is left, then the stream ends."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def read(self, timeout: float) -> list[AudioFrame]:
        """The frames received since the last read, waiting up to ``timeout`` for at least one."""
        with self._condition:
            self._condition.wait_for(lambda: self._pending or self._closed, timeout)
            frames = list(self._pending)
            self._pending.clear()
            return frames

    @property
    def ended(self) -> bool:
        with self._condition:
            return self._closed and not self._pending

    def __iter__(self) -> Iterator[AudioFrame]:
        """Every frame, as it arrives, until the call has ended and all was read."""
        while not self.ended:
            yield from self.read(0.5)


@dataclass
class Playback:
    """Audio queued to be sent; ``done`` is set once its last sample went to the call."""

    samples: Samples
    position: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    finished_at: float | None = None

    def wait(self, timeout: float | None = None) -> bool:
        """True once played; False if ``timeout`` passed first."""
        return self.done.wait(timeout)


class OutgoingAudio:
    """What the customer says into the call: playbacks sent one after the other, then silence."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Playback] = deque()

    def enqueue(self, samples: Samples) -> Playback:
        playback = Playback(np.ascontiguousarray(samples, dtype=np.int16))
        with self._lock:
            self._queue.append(playback)
        if not len(samples):
            self._finish(playback)
        return playback

    def next_frame(self, size: int = FRAME_SAMPLES) -> bytes:
        """The next frame to send (silence when nothing is queued), called by the media thread."""
        out = np.zeros(size, dtype=np.int16)
        filled = 0
        with self._lock:
            while filled < size and self._queue:
                playback = self._queue[0]
                chunk = playback.samples[playback.position : playback.position + size - filled]
                out[filled : filled + len(chunk)] = chunk
                filled += len(chunk)
                playback.position += len(chunk)
                if playback.position >= len(playback.samples):
                    self._queue.popleft()
                    self._finish(playback)
        return out.astype("<i2").tobytes()

    def cancel(self) -> None:
        """The call ended: nothing more will be sent, so nobody waits for it."""
        with self._lock:
            pending, self._queue = list(self._queue), deque()
        for playback in pending:
            self._finish(playback)

    @staticmethod
    def _finish(playback: Playback) -> None:
        playback.finished_at = time.time()
        playback.done.set()


def dtmf_tone(key: str, *, tone_ms: int = 120, gap_ms: int = 80, level: float = 0.3) -> Samples:
    """An in-band DTMF key press (two sine tones, then a pause), for a remote without RFC 4733."""
    low, high = DTMF_TONES[key.upper()]
    t = np.arange(SAMPLE_RATE * tone_ms // 1000) / SAMPLE_RATE
    tone = (np.sin(2 * np.pi * low * t) + np.sin(2 * np.pi * high * t)) * (level / 2 * 32767)
    gap = np.zeros(SAMPLE_RATE * gap_ms // 1000)
    return np.concatenate([tone, gap]).astype(np.int16)
