"""The line's decoder in a process of its own, so that hearing one caller never silences the others.

PocketSphinx holds Python's interpreter lock while it decodes: 2.9 s for 8 s of audio here.
Decoding on a thread of the line's process froze every other thread for that long, PJSIP's
media callbacks among them, so every call's audio stopped: a caller heard "Please note your
order number: B L dash", then 2.5 s of digital silence, and hung up. The harness's side
learnt this first (``journeys.channels.voice.hearing``); this is the demo company's own.

The worker is a fresh interpreter running :func:`main`. Each message either way is a 4-byte
length and its bytes. The owner sends a JSON object of searches to add (``{"name":
"JSGF"}``; the worker answers ``ready``, or ``!`` and why), or a search's name, a newline and
an utterance's audio (16 kHz 16-bit); the worker answers with the words heard. The worker
ends when its standard input closes.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping
from typing import IO

from sandbox.errors import PhoneLineError

_LENGTH = struct.Struct("<I")
SEARCH_SETTINGS = {"fwdflat": False, "bestpath": False, "maxhmmpf": 10000}
"""PocketSphinx's search cut to what a line of many callers can afford: no second flat pass
and no lattice search after the first, and at most 10000 HMMs a frame. The ear is one decoder
for every call on the line, and in the demos at 70f35de it fell behind: a caller's answer
waited up to 110 s in its queue (2 s of a name took 8.5 s to decode on the loaded machine),
and two calls ended in silence. Measured with nothing beside it on the answers of
``python -m sandbox.phone.measure`` and five serial numbers, wideband: real-time factor
0.59 -> 0.04 for serial numbers (the open grammar of letters and digits), 0.10 -> 0.03 for
spelt e-mail addresses, 0.28 -> 0.22 for free speech; understood at the first try: order
numbers 10/10 both ways, postcodes 8 -> 10 of 10, e-mail addresses 9 -> 8 of 10, problems 5/5
both ways. 3000 HMMs a frame halved free speech again, but lost words of a long menu heard
through G.711 ("returning" as "a turning")."""
CAREFUL_SEARCHES = frozenset({"email"})
"""Searches decoded with PocketSphinx's whole search all the same, by a decoder of their own:
a spelt e-mail address is long, and without the lattice search the line heard "oh" between
two letters ("november echo oh lima": ne0lson). Measured alone on 30 of the harness's
personas' addresses (letters, dots, a hexadecimal tail) spelt with the phonetic alphabet:
21 of 30 right with the whole search, 10 with the cut one. In the demo at 5b58b2b three of
the four addresses its lines heard had an "oh" in them, and the five phone orders placed
under them could not be found on the web (their numbers were heard right)."""


def _send(stream: IO[bytes], payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _receive(stream: IO[bytes]) -> bytes | None:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    return stream.read(length)


class DecoderProcess:
    """One PocketSphinx decoder in a worker process; threads take turns."""

    def __init__(self, sample_rate: int, searches: Mapping[str, str]) -> None:
        self._worker = subprocess.Popen(
            [sys.executable, "-c", "from sandbox.phone.hearing import main; main()", str(sample_rate)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._worker.stdin is not None and self._worker.stdout is not None
        self._to, self._from = self._worker.stdin, self._worker.stdout
        self._lock = threading.Lock()
        try:
            self.add(searches)
        except PhoneLineError:
            self.close()
            raise

    def add(self, searches: Mapping[str, str]) -> None:
        """Add JSGF searches by name.

        Raises:
            PhoneLineError: the worker could not (a word the model cannot say), or has ended.
        """
        answer = self._ask(json.dumps(dict(searches)).encode())
        if answer != "ready":
            raise PhoneLineError(f"the SIP line's recogniser (pocketsphinx) cannot listen so: {answer[1:]}")

    def decode(self, search: str, audio: bytes) -> str:
        """The words ``search`` hears in ``audio`` (pocketsphinx's, fillers included)."""
        return self._ask(search.encode() + b"\n" + audio)

    def _ask(self, payload: bytes) -> str:
        with self._lock:
            try:
                _send(self._to, payload)
                answer = _receive(self._from)
            except OSError:
                answer = None
        if answer is None:
            raise PhoneLineError(f"the SIP line's recogniser has ended (exit code {self._worker.poll()})")
        return answer.decode("utf-8")

    def close(self) -> None:
        """End the worker; nothing is left running."""
        if self._worker.poll() is None:
            try:
                self._to.close()
                self._worker.wait(timeout=5.0)
            except (OSError, subprocess.TimeoutExpired):
                self._worker.kill()
                self._worker.wait()
        self._from.close()


def serve(sample_rate: int, inbound: IO[bytes], outbound: IO[bytes]) -> None:
    """The worker: add searches and decode utterances until the owner closes its input."""
    from pocketsphinx import Decoder

    decoders: dict[bool, Decoder] = {}

    def decoder_for(search: str) -> Decoder:
        careful = search in CAREFUL_SEARCHES
        if careful not in decoders:  # the careful one needs no language model, only its grammars
            settings = {"lm": None} if careful else SEARCH_SETTINGS
            decoders[careful] = Decoder(samprate=sample_rate, loglevel="FATAL", **settings)
        return decoders[careful]

    while (message := _receive(inbound)) is not None:
        if message.startswith(b"{"):
            try:
                decoder_for("")  # the general language model's, whatever is added
                for name, grammar in json.loads(message).items():
                    decoder_for(name).add_jsgf_string(name, grammar)
            except (RuntimeError, ValueError) as error:
                _send(outbound, f"!{error}".encode())
                continue
            _send(outbound, b"ready")
            continue
        assert decoders, "searches come first"
        search, _, audio = message.partition(b"\n")
        decoder = decoder_for(search.decode())
        decoder.activate_search(search.decode())
        decoder.start_utt()
        decoder.process_raw(audio, full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        _send(outbound, (hypothesis.hypstr if hypothesis is not None else "").encode())


def main() -> None:
    """The worker's entry (``python -c``: run as ``-m``, the package would import this module
    twice)."""
    serve(int(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)
