"""Fixtures of the phone's tests: the process's SIP user agent, a recogniser, listening to a call."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from journeys.channels.voice.audio import Samples
from journeys.channels.voice.call import Call
from journeys.channels.voice.listening import Listener, Segment, Utterance
from journeys.channels.voice.sip import UserAgent, shut_down_user_agent, user_agent


@pytest.fixture(scope="module")
def agent() -> Iterator[UserAgent]:
    """The one user agent of the test process (PJSIP allows one endpoint per process), shut
    down with the module, so another module's endpoint (the demo line's test caller) can be."""
    yield user_agent()
    shut_down_user_agent()


class Transcriber:
    """pocketsphinx's default English model, straight from its wheel."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self.decoder = Decoder(loglevel="FATAL")

    def transcribe(self, samples: Samples) -> str:
        self.decoder.start_utt()
        self.decoder.process_raw(samples.astype("<i2").tobytes(), full_utt=True)
        self.decoder.end_utt()
        hypothesis = self.decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    return Transcriber()


def listen(call: Call, seconds: float) -> list[Segment]:
    """What the call said in its first ``seconds`` after the answer (by the audio's clock)."""
    assert call.answered_at is not None
    listener, found = Listener(), []
    for frame in call.received:
        found += listener.feed(frame)
        if frame.end - call.answered_at >= seconds:
            break
    return found + listener.finish()


def utterances(segments: list[Segment]) -> list[Utterance]:
    return [segment for segment in segments if isinstance(segment, Utterance)]


def all_speech(segments: list[Segment]) -> Samples:
    return np.concatenate([utterance.samples for utterance in utterances(segments)])
