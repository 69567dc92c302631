"""The recogniser in a process of its own, so that hearing never stalls the call's audio.

PJSIP's conference bridge calls the harness every 20 ms from its media clock thread, and that
callback needs Python's interpreter lock. PocketSphinx holds the lock while it decodes (a
second or more for a long menu), so decoding in the call's process starves the bridge: it
drops frames, the call's audio gets holes, and every time counted from the samples received
falls behind the truth (measured: a second early within half a minute of a call). Decoding
in a separate process leaves the call's process only light work, and uses the second core.

:class:`RecogniserProcess` is a :class:`~journeys.channels.voice.speech.Recogniser`: it starts
``python -m journeys.channels.voice.hearing`` (a fresh interpreter, with no PJSIP in it),
which loads the recogniser the profile names, and hands it each utterance over its standard
input; the words come back on its standard output. Each message is a 4-byte length and its
bytes; an answer starting with ``!`` is an error. Threads take turns; the worker ends with
its owner (``close``, the owner's exit, or its standard input closing).
"""

from __future__ import annotations

import atexit
import json
import os
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import numpy as np

from journeys.channels.voice.audio import SAMPLE_RATE, Samples
from journeys.errors import SetupError

_LENGTH = struct.Struct("<I")


def _send(stream: IO[bytes], payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _receive(stream: IO[bytes]) -> bytes | None:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    return stream.read(length)


class RecogniserProcess:
    """A recogniser (as ``load_recogniser`` makes it) running in a worker process.

    Args:
        setting, vocabulary, sentences, references: what
            :func:`~journeys.channels.voice.speech.load_recogniser` is given, in the worker.
    """

    def __init__(
        self,
        setting: str | None,
        vocabulary: Sequence[str],
        sentences: Sequence[str],
        references: Sequence[str] = (),
    ) -> None:
        self._worker = subprocess.Popen(
            [sys.executable, "-m", "journeys.channels.voice.hearing"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._worker.stdin is not None and self._worker.stdout is not None
        self._to, self._from = self._worker.stdin, self._worker.stdout
        self._lock = threading.Lock()
        self.heard_seconds = 0.0
        """Seconds of audio transcribed so far (what the real-time factor divides by)."""
        self.decoding_seconds = 0.0
        """Wall seconds from sending an utterance to its words, queueing behind others excluded."""
        atexit.register(self.close)
        settings = {
            "setting": setting,
            "vocabulary": list(vocabulary),
            "sentences": list(sentences),
            "references": list(references),
        }
        self._ask(json.dumps(settings).encode())  # the worker says "ready" once loaded

    def transcribe(self, samples: Samples) -> str:
        """The words heard in one utterance, lower case ("" for nothing)."""
        audio = np.ascontiguousarray(samples, dtype="<i2").tobytes()
        return self._ask(audio, seconds=len(audio) / 2 / SAMPLE_RATE)

    def cpu_seconds(self) -> float | None:
        """CPU seconds the worker has used (user and system), from Linux's /proc; None elsewhere
        or once it has ended."""
        try:
            fields = (Path("/proc") / str(self._worker.pid) / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _ask(self, payload: bytes, *, seconds: float = 0.0) -> str:
        with self._lock:
            started = time.perf_counter()
            try:
                _send(self._to, payload)
                answer = _receive(self._from)
            except OSError:
                answer = None
            if seconds:
                self.heard_seconds += seconds
                self.decoding_seconds += time.perf_counter() - started
        if answer is None:
            raise SetupError(f"the speech recogniser's process ended (exit code {self._worker.poll()})")
        text = answer.decode("utf-8")
        if text.startswith("!"):
            raise SetupError(f"the speech recogniser failed: {text[1:]}")
        return text

    def close(self) -> None:
        """Stop the worker; nothing is left running."""
        if self._worker.poll() is None:
            try:
                self._to.close()  # the worker's signal to end
                self._worker.wait(timeout=5.0)
            except (OSError, subprocess.TimeoutExpired):
                self._worker.kill()
                self._worker.wait()
        self._from.close()


def serve(inbound: IO[bytes], outbound: IO[bytes]) -> None:
    """The worker: load the recogniser from the first message, then transcribe each utterance."""
    from journeys.channels.voice.speech import load_recogniser

    first = _receive(inbound)
    if first is None:
        return
    settings = json.loads(first)
    try:
        recogniser = load_recogniser(
            settings["setting"], settings["vocabulary"], settings["sentences"], settings["references"]
        )
    except Exception as error:  # the owner raises it
        _send(outbound, f"!{error}".encode())
        return
    _send(outbound, b"ready")
    while (raw := _receive(inbound)) is not None:
        try:
            words = recogniser.transcribe(np.frombuffer(raw, dtype="<i2").astype(np.int16))
        except Exception as error:
            words = f"!{error}"
        _send(outbound, words.encode())


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
