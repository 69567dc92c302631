"""A small SIP caller for the phone line's tests: PJSIP over UDP, PCMU, RFC 4733 DTMF.

It hears the call through a bridge port of its own, keeping every 20 ms frame with the time
it was heard (counted from the first frame at the bridge's steady clock), so a test can find
speech and music in what it heard and line them up with the sandbox's ground truth; it can
write what it heard to a WAV. It speaks by playing a WAV into the call. The endpoint lives on
the test's thread: waiting pumps PJSIP's events until a condition holds (never a fixed sleep).
"""

from __future__ import annotations

import threading
import time
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pjsua2 as pj

RATE = 16000
FRAME = 320  # samples in 20 ms


class _Ear(pj.AudioMediaPort):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[bytes] = []
        self.first_at: float | None = None
        self._lock = threading.Lock()
        audio_format = pj.MediaFormatAudio()
        audio_format.type = pj.PJMEDIA_TYPE_AUDIO
        audio_format.clockRate = RATE
        audio_format.channelCount = 1
        audio_format.bitsPerSample = 16
        audio_format.frameTimeUsec = 20000
        self.createPort("caller ear", audio_format)

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        audio = (
            bytes(frame.buf) if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO and frame.size else bytes(FRAME * 2)
        )
        with self._lock:
            if self.first_at is None:
                self.first_at = time.time()
            self.frames.append(audio[: FRAME * 2].ljust(FRAME * 2, b"\0"))

    def samples(self) -> np.ndarray:
        with self._lock:
            return np.frombuffer(b"".join(self.frames), dtype="<i2").astype(np.float64)


class _Call(pj.Call):  # type: ignore[misc]
    def __init__(self, account: pj.Account) -> None:
        super().__init__(account)
        self.state = pj.PJSIP_INV_STATE_NULL
        self.audio: pj.AudioMedia | None = None

    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        self.state = self.getInfo().state

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        info = self.getInfo()  # kept: its media vector dies with it
        for index, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.audio = self.getAudioMedia(index)


class Caller:
    """One PJSIP endpoint in the test process, placing one call at a time."""

    def __init__(self, number: str) -> None:
        self.number = number
        self.endpoint = pj.Endpoint()
        self.endpoint.libCreate()
        config = pj.EpConfig()
        config.uaConfig.threadCnt = 0
        config.uaConfig.mainThreadOnly = False
        config.logConfig.level = 1
        config.logConfig.consoleLevel = 1
        config.medConfig.clockRate = RATE
        config.medConfig.sndClockRate = RATE
        config.medConfig.noVad = True
        self.endpoint.libInit(config)
        self.endpoint.audDevManager().setNullDev()
        transport = pj.TransportConfig()
        transport.boundAddress = "127.0.0.1"
        transport.port = 0
        self.endpoint.transportCreate(pj.PJSIP_TRANSPORT_UDP, transport)
        for codec in self.endpoint.codecEnum2():
            self.endpoint.codecSetPriority(codec.codecId, 255 if codec.codecId.startswith("PCMU/") else 0)
        self.endpoint.libStart()
        account_config = pj.AccountConfig()
        account_config.idUri = f"sip:{number}@127.0.0.1"
        account_config.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
        self.account = pj.Account()
        self.account.create(account_config)
        self.call: _Call | None = None
        self.ear: _Ear | None = None
        self._players: list[pj.AudioMediaPlayer] = []

    def wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Pump PJSIP's events until ``condition()`` holds; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:.0f} s for {what}")
            self.endpoint.libHandleEvents(10)

    def dial(self, uri: str, timeout: float = 20) -> None:
        """Call ``uri`` and wait until it is answered with audio flowing into the ear."""
        self.hang_up()  # the previous call, if any
        self.call = _Call(self.account)
        self.call.makeCall(uri, pj.CallOpParam(True))
        call = self.call
        self.wait(lambda: call.audio is not None, timeout, f"{uri} to answer")
        self.ear = _Ear()
        assert call.audio is not None
        call.audio.startTransmit(self.ear)

    @property
    def connected(self) -> bool:
        return self.call is not None and self.call.state == pj.PJSIP_INV_STATE_CONFIRMED

    @property
    def disconnected(self) -> bool:
        return self.call is not None and self.call.state == pj.PJSIP_INV_STATE_DISCONNECTED

    def press(self, keys: str) -> None:
        """Send keys as RFC 4733 telephone events."""
        assert self.call is not None
        self.call.dialDtmf(keys)

    def play(self, wav: Path) -> float:
        """Play a WAV into the call; how long it lasts (wait for it with :meth:`heard_until`)."""
        assert self.call is not None and self.call.audio is not None
        player = pj.AudioMediaPlayer()
        player.createPlayer(str(wav), pj.PJMEDIA_FILE_NO_LOOP)
        player.startTransmit(self.call.audio)
        self._players.append(player)
        with wave.open(str(wav), "rb") as audio:
            return audio.getnframes() / audio.getframerate()

    def heard_seconds(self) -> float:
        return 0.0 if self.ear is None else len(self.ear.frames) * FRAME / RATE

    def heard_until(self, seconds: float, timeout: float = 60) -> None:
        """Wait until the ear has heard ``seconds`` of the call."""
        self.wait(lambda: self.heard_seconds() >= seconds, timeout, f"{seconds:.1f} s of the call")

    def samples(self) -> np.ndarray:
        assert self.ear is not None
        return self.ear.samples()

    def first_frame_at(self) -> float:
        assert self.ear is not None and self.ear.first_at is not None
        return self.ear.first_at - FRAME / RATE  # the first frame's start

    def save(self, path: Path) -> None:
        """What was heard, as a 16 kHz WAV."""
        with wave.open(str(path), "wb") as audio:
            audio.setnchannels(1)
            audio.setsampwidth(2)
            audio.setframerate(RATE)
            audio.writeframes(self.samples().astype("<i2").tobytes())

    def hang_up(self) -> None:
        if self.call is not None and not self.disconnected:
            self.call.hangup(pj.CallOpParam(True))
            self.wait(lambda: self.disconnected, 10, "the hang-up")
        self._release()

    def _release(self) -> None:
        for player in self._players:
            del player
        self._players.clear()
        self.call = None

    def close(self) -> None:
        self.hang_up()
        self.account.shutdown()
        self.endpoint.libDestroy()
        # PJSIP 2.15.1 removes a port from its bridge after freeing it (pjproject #4200): the
        # ear is kept until the bridge is gone, and then not freed (its destructor would call it).
        if self.ear is not None:
            self.ear.thisown = False
            self.ear = None


@contextmanager
def caller(number: str) -> Iterator[Caller]:
    """A caller from ``number`` (its From URI's user part), destroyed afterwards even on failure."""
    made = Caller(number)
    try:
        yield made
    finally:
        made.close()
