"""The harness's SIP user agent: real calls over SIP and RTP with PJSIP's binding, ``pjsua2``.

PJSIP allows one ``Endpoint`` per process, and is safest when every call into it comes from
the thread that created it. So :class:`UserAgent` owns one thread that creates the endpoint
(``threadCnt = 0``, ``mainThreadOnly``: no PJSIP worker threads, every SIP callback is run from
``libHandleEvents`` on that thread) and then loops: handle events for 10 ms, run the commands
other threads queued. Callers never touch ``pjsua2`` objects; they hold a :class:`Call` whose
state the callbacks update under a condition variable they can wait on.

The one exception is audio: the conference bridge's clock thread (a PJSIP thread, already
registered with pjlib) calls each call's :class:`_MediaPort` every 20 ms. Those callbacks only
copy bytes into and out of the thread-safe buffers of :mod:`.audio` and never call PJSIP.

The bridge runs at 16 kHz with the null sound device, so G.711 (8 kHz) is upsampled by PJSIP
before the harness hears it, as the recogniser's model needs. A media port rather than a WAV
recorder read as it grows: the port hands over each 20 ms frame the moment the bridge has it,
which is what gives the frames their clock-exact timestamps, with no file to poll or parse.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pjsua2 as pj

from journeys.channels.voice.audio import FRAME_SAMPLES, SAMPLE_RATE
from journeys.channels.voice.call import LOGIN_REFUSED, Call, CallEnd, PhoneAccount, ReceivedRtp
from journeys.channels.voice.sip_log import RedactingLog
from journeys.errors import PhoneLoginRefused, PhoneUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

CODECS = {"G722/16000/1": 255, "PCMU/8000/1": 254, "PCMA/8000/1": 253}
"""Wideband G.722 where the company's line offers it (the recogniser hears 7 kHz of speech
rather than the telephone's 3.4 kHz), else G.711 as every line has; nothing else."""
ACCOUNTS_KEPT = 6
"""Accounts kept after their calls end; PJSIP's wheel allows 8 in all, and a 9th aborts the
process, so idle ones are shut down before another is made."""


@dataclass(frozen=True)
class UserAgentSettings:
    """Where the user agent listens (loopback by default; ``0.0.0.0`` for any interface)."""

    bind_host: str = "127.0.0.1"
    log_level: int = 2
    """PJSIP's log level (0-6) into Python logging; SIP messages themselves are never logged."""
    name: str = "mystery-shopper"
    max_calls: int = 32
    """Calls at once asked of PJSIP (its default is 4). Measured: the pjsua2-python 2.15.1 wheel
    still refuses a fifth call (PJ_ETOOMANY) whatever is asked, so 4 is the real ceiling there."""


_SILENCE = bytes(FRAME_SAMPLES * 2)


class _MediaPort(pj.AudioMediaPort):  # type: ignore[misc]
    """The bridge's 20 ms frames in and out of the call it serves; runs on the bridge's clock thread.

    A port is never freed while the endpoint lives. The wheel's PJSIP (2.15.1) removes a port
    from its bridge later, on the clock thread, but frees the port's memory at once when its
    Python object goes (pjproject #4200, fixed after 2.15.1). The clock thread then wrote into
    freed memory: seen as an xdist worker dying in whatever it did next, and reproduced by
    freeing ports in a loop (3 runs of 3 crashed, within 1,600 frees). So :class:`_Ports`
    hands an idle port to the next call, and lets go of them only after ``libDestroy``.
    Between calls a port serves none: it sends silence and drops what it gets.
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.call: Call | None = None
        audio_format = pj.MediaFormatAudio()
        audio_format.init(pj.PJMEDIA_FORMAT_PCM, SAMPLE_RATE, 1, 20_000, 16)
        self.createPort(name, audio_format)

    def onFrameReceived(self, frame: Any) -> None:  # pjsua2 names its callbacks
        call = self.call
        if call is None:
            return
        pcm = bytes(frame.buf) if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO else b""
        call.received.append(pcm if len(pcm) == len(_SILENCE) else _SILENCE)

    def onFrameRequested(self, frame: Any) -> None:  # pjsua2 names its callbacks
        call = self.call
        frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        frame.buf = pj.ByteVector(_SILENCE if call is None else call.outgoing.next_frame())
        frame.size = len(_SILENCE)


class _Ports:
    """The endpoint's media ports: one per call at once, each used again by later calls."""

    def __init__(self) -> None:
        self._every: list[_MediaPort] = []
        self._idle: list[_MediaPort] = []

    def take(self, call: Call) -> _MediaPort:
        port = self._idle.pop() if self._idle else self._make()
        port.call = call
        return port

    def give_back(self, port: _MediaPort) -> None:
        port.call = None
        self._idle.append(port)

    def after_destroy(self) -> None:
        """Once the endpoint (and its bridge) is destroyed: drop the ports without freeing them,
        since their destructor would ask the destroyed bridge to remove them (PJSIP asserts)."""
        for port in self._every:
            port.call = None
            port.thisown = False
        self._every.clear()
        self._idle.clear()

    def __len__(self) -> int:
        return len(self._every)

    def _make(self) -> _MediaPort:
        port = _MediaPort(f"call-port-{len(self._every)}")
        self._every.append(port)
        return port


class _PjCall(pj.Call):  # type: ignore[misc]
    """PJSIP's side of a :class:`Call`; lives and is called on the user agent's thread only."""

    def __init__(self, account: pj.Account, call: Call, record_to: Path | None, ports: _Ports) -> None:
        super().__init__(account)
        self.call = call
        self.record_to = record_to
        self.ports = ports
        self.port: _MediaPort | None = None
        self.recorder: Any = None

    def onCallState(self, prm: Any) -> None:  # pjsua2 names its callbacks
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_EARLY:
            self.call._set_state("ringing")
        elif info.state == pj.PJSIP_INV_STATE_CONFIRMED:
            self.call._set_state("answered")
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            answered = self.call.answered_at is not None
            end = CallEnd(info.lastStatusCode, info.lastReason, answered, time.time())
            self.count_received_rtp()
            self.disconnect_media()
            self.call._set_state("ended", end=end)

    def onCallMediaState(self, prm: Any) -> None:  # pjsua2 names its callbacks
        info = self.getInfo()
        for index, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.connect_media(self.getAudioMedia(index))

    def connect_media(self, remote: Any) -> None:
        if self.port is None:
            self.port = self.ports.take(self.call)
            if self.record_to is not None:
                self.recorder = pj.AudioMediaRecorder()
                self.recorder.createRecorder(str(self.record_to))
            self.call.received.start(time.time())
        remote.startTransmit(self.port)
        self.port.startTransmit(remote)
        if self.recorder is not None:
            remote.startTransmit(self.recorder)
            self.port.startTransmit(self.recorder)

    def count_received_rtp(self) -> None:
        """Keep the audio stream's receive counts on the call, while PJSIP still has them."""
        if self.port is None or self.call.received_rtp is not None:
            return
        try:
            stat = self.getStreamStat(0)
        except pj.Error:  # the stream is gone already
            return
        received, buffer = stat.rtcp.rxStat, stat.jbuf
        self.call.received_rtp = ReceivedRtp(
            packets=int(received.pkt),
            lost=int(received.loss),
            discarded=int(buffer.discard),
            underflows=int(buffer.empty),
            jitter_ms=received.jitterUsec.mean / 1000,
            jitter_max_ms=received.jitterUsec.max / 1000,
        )

    def disconnect_media(self) -> None:
        """Stop the recorder (so its WAV is complete) and free the port for the next call."""
        self.recorder = None
        if self.port is not None:
            self.ports.give_back(self.port)
            self.port = None

    def send_telephone_event(self, key: str) -> bool:
        """An RFC 4733 event; False when the remote did not offer telephone-event."""
        try:
            self.dialDtmf(key)
        except pj.Error as error:
            log.debug("no RFC 4733 to %s (%s); pressing %s in band", self.call.uri, error.info(), key)
            return False
        return True

    def end(self) -> bool:
        parameters = pj.CallOpParam()
        parameters.statusCode = 603 if self.call.state != "answered" else 200
        self.count_received_rtp()
        try:
            self.hangup(parameters)
        except pj.Error as error:
            log.debug("hang-up of %s: %s", self.call.uri, error.info())
        return True


class _PjAccount(pj.Account):  # type: ignore[misc]
    """An account and its registration state, updated on the user agent's thread."""

    def __init__(self) -> None:
        super().__init__()
        self.registration: Future[tuple[int, str]] = Future()

    def onRegState(self, prm: Any) -> None:  # pjsua2 names its callbacks
        if prm.code and not self.registration.done():
            self.registration.set_result((int(prm.code), str(prm.reason)))


class UserAgent:
    """PJSIP's endpoint on its own thread; one per process (see :func:`user_agent`)."""

    def __init__(self, settings: UserAgentSettings | None = None) -> None:
        self.settings = settings or UserAgentSettings()
        self.sip_addresses: dict[str, str] = {}
        """Where the harness listens, by transport: ``{"udp": "127.0.0.1:40123", "tcp": ...}``."""
        self._commands: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._accounts: dict[PhoneAccount, _PjAccount] = {}
        self._calls: list[_PjCall] = []
        self._ports = _Ports()
        self._stopping = False
        self._log_writer = RedactingLog(logging.getLogger("pjsua2"))
        ready: Future[None] = Future()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="sip-user-agent", daemon=True)
        self._thread.start()
        ready.result()

    def run(self, command: Callable[[], T], timeout: float = 10.0) -> T:
        """Run ``command`` on the user agent's thread (at once when already on it) and return its result."""
        if threading.current_thread() is self._thread:
            return command()
        if not self._thread.is_alive():
            raise PhoneUnavailable("the SIP user agent has shut down")
        done: Future[T] = Future()
        self._commands.put((command, done))
        return done.result(timeout)

    def place_call(
        self, uri: str, *, account: PhoneAccount | None = None, record_to: Path | None = None
    ) -> Call:
        """Dial ``uri`` (``sip:user@host:port``, ``;transport=tcp`` for TCP) and return at once.

        ``record_to``: a WAV of both directions, for where the profile says consent allows.
        """
        caller = account or PhoneAccount()
        call = Call(self, uri, caller)

        def dial() -> None:
            self._forget_ended_calls()
            pj_account = self._account(caller)
            pj_call = _PjCall(pj_account, call, record_to, self._ports)
            call._pj = pj_call
            self._calls.append(pj_call)
            parameters = pj.CallOpParam(True)
            try:
                pj_call.makeCall(uri, parameters)
            except pj.Error as error:
                call._set_state("ended", end=CallEnd(0, error.info(), False, time.time()))

        self.run(dial)
        return call

    @property
    def media_ports(self) -> int:
        """Bridge ports made so far: as many as calls were ever up at once, as each is used again."""
        return self.run(lambda: len(self._ports))

    def login(self, account: PhoneAccount, timeout: float = 10.0) -> None:
        """Register ``account`` with its registrar; raises :class:`PhoneLoginRefused` when refused."""
        registration = self.run(lambda: self._account(account)).registration
        code, reason = registration.result(timeout)
        if code in LOGIN_REFUSED:
            raise PhoneLoginRefused(
                f"{account.registrar} refused to register {account.uri}: {code} {reason}",
                status_code=code,
                reason=reason,
            )
        if code // 100 != 2:
            raise PhoneUnavailable(f"{account.registrar} did not register {account.uri}: {code} {reason}")

    def shutdown(self, timeout: float = 10.0) -> None:
        """Hang up every call, destroy the endpoint and end the thread."""
        if self._thread.is_alive():
            self.run(self._stop)
        self._thread.join(timeout)

    def _stop(self) -> None:
        self._stopping = True
        for pj_call in self._calls:
            pj_call.end()

    def _account(self, account: PhoneAccount) -> _PjAccount:
        if account in self._accounts:
            return self._accounts[account]
        if len(self._accounts) >= ACCOUNTS_KEPT:
            self._forget_idle_accounts()
        config = pj.AccountConfig()
        config.idUri = f'"{account.display_name}" <{account.uri}>'
        config.mediaConfig.transportConfig.boundAddress = self.settings.bind_host
        config.mediaConfig.transportConfig.port = 0
        if account.registrar is not None:
            config.sipConfig.proxies.append(f"{account.registrar};lr")
            if account.register:
                config.regConfig.registrarUri = account.registrar
        if account.password is not None:
            self._log_writer.secrets.add(account.password)
            config.sipConfig.authCreds.append(
                pj.AuthCredInfo("digest", "*", account.user, 0, account.password)
            )
        pj_account = _PjAccount()
        pj_account.create(config)
        if not account.register:
            pj_account.registration.set_result((200, "no registration"))
        self._accounts[account] = pj_account
        return pj_account

    def _serve(self, ready: Future[None]) -> None:
        try:
            endpoint = self._start_endpoint()
        except Exception as error:  # handed to the caller, whatever it was
            ready.set_exception(PhoneUnavailable(f"the SIP user agent could not start: {error}"))
            return
        ready.set_result(None)
        deadline: float | None = None
        while True:
            endpoint.libHandleEvents(10)
            self._run_commands()
            self._forget_ended_calls()
            if self._stopping:
                deadline = deadline or time.monotonic() + 3.0
                if not self._calls or time.monotonic() > deadline:
                    break
        # A call is "ended" once its BYE is sent; let the BYE's transaction finish (events stop
        # coming) so the company hears the hang-up before the endpoint goes.
        while time.monotonic() < (deadline or 0.0) and endpoint.libHandleEvents(50) > 0:
            pass
        self._forget_ended_calls(everything=True)
        for pj_account in self._accounts.values():
            pj_account.shutdown()
        self._accounts.clear()
        endpoint.libDestroy()
        self._ports.after_destroy()
        self._run_commands()

    def _forget_idle_accounts(self) -> None:
        """Shut down the accounts no call uses: PJSIP holds only a few (a direct call's account
        is the caller's own number, so a run of many customers would run out of them)."""
        busy = {pj_call.call.account for pj_call in self._calls}
        for account in [account for account in self._accounts if account not in busy]:
            self._accounts.pop(account).shutdown()

    def _forget_ended_calls(self, *, everything: bool = False) -> None:
        """Free PJSIP's call objects here, after their callbacks returned and before ``libDestroy``.

        Always before another call is dialled: a ``pjsua2.Call`` that is freed clears the user
        data of, and hangs up, whatever call holds its slot *now*, and PJSIP gives an ended
        call's slot to the next call at once. Freed after the next dial, an ended call took
        the new one down with it, and the new one's callbacks never came (seen as a call that
        never ended, 1 run in 3 of the many-callers test)."""
        for pj_call in [pj_call for pj_call in self._calls if everything or pj_call.call.state == "ended"]:
            pj_call.call._pj = None
            self._calls.remove(pj_call)

    def _run_commands(self) -> None:
        while True:
            try:
                command, done = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                done.set_result(command())
            except Exception as error:  # handed to the thread that asked
                done.set_exception(error)

    def _start_endpoint(self) -> Any:
        endpoint = pj.Endpoint()
        endpoint.libCreate()
        config = pj.EpConfig()
        config.uaConfig.threadCnt = 0
        config.uaConfig.mainThreadOnly = True
        config.uaConfig.userAgent = self.settings.name
        config.uaConfig.maxCalls = self.settings.max_calls
        config.logConfig.msgLogging = 0
        config.logConfig.level = self.settings.log_level
        config.logConfig.consoleLevel = self.settings.log_level
        config.logConfig.writer = self._log_writer
        config.medConfig.clockRate = SAMPLE_RATE
        config.medConfig.sndClockRate = SAMPLE_RATE
        config.medConfig.channelCount = 1
        config.medConfig.ecTailLen = 0
        config.medConfig.noVad = True
        endpoint.libInit(config)
        for name, kind in (("udp", pj.PJSIP_TRANSPORT_UDP), ("tcp", pj.PJSIP_TRANSPORT_TCP)):
            transport = pj.TransportConfig()
            transport.port = 0
            transport.boundAddress = self.settings.bind_host
            transport_id = endpoint.transportCreate(kind, transport)
            self.sip_addresses[name] = endpoint.transportGetInfo(transport_id).localName
        endpoint.libStart()
        endpoint.audDevManager().setNullDev()
        for codec in endpoint.codecEnum2():
            endpoint.codecSetPriority(codec.codecId, CODECS.get(codec.codecId, 0))
        return endpoint


_shared: UserAgent | None = None
_shared_lock = threading.Lock()


def user_agent(settings: UserAgentSettings | None = None) -> UserAgent:
    """The process's one user agent, started on first use (PJSIP allows one endpoint per process).

    It is shut down when the process exits, while Python still runs: calls still up are hung
    up (the company hears the BYE), and no PJSIP object is freed after its endpoint is gone."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared._thread.is_alive():
            _shared = UserAgent(settings)
        return _shared


def shut_down_user_agent() -> None:
    """Shut the process's user agent down, if one was started."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.shutdown()
            _shared = None


atexit.register(shut_down_user_agent)
