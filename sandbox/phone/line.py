"""The demo company's SIP line: a PJSIP endpoint of its own, on a thread of its own.

:meth:`PhoneLine.start` binds SIP over UDP and TCP on one free loopback port (the contract
line names it, ``sip:HOST:PORT``) before the web app serves; :meth:`PhoneLine.serve` hands it
the contact centre and the app's event loop once they run. Every call to any user part of the
line opens a phone conversation in the hub, as the softphone page does, for the caller's
number (the From URI's user part). Calls that arrive before :meth:`serve` ring until then.

PJSIP allows one endpoint per process; its objects are created, used and destroyed on the
line's thread only, which polls PJSIP's events and ticks every call (:mod:`.call`). Audio
runs on a null sound device at 16 kHz (the bridge resamples PCMU/PCMA's 8 kHz). Stopping
hangs every call up, leaves their conversations, and destroys the endpoint; nothing outlives
the server.
"""

from __future__ import annotations

import asyncio
import gc
import os
import queue
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pjsua2 as pj

from sandbox.contact.hub import LiveConversation
from sandbox.contact.service import ContactCentreService
from sandbox.errors import PhoneLineError
from sandbox.phone.call import CallDesk, CallState, Ears, LineCall, caller_number
from sandbox.phone.listening import Recogniser
from sandbox.phone.speech import DEFAULT_VOICE, SAMPLE_RATE, Voice, write_hold_music

POLL_MILLISECONDS = 5
"""How long the line's thread waits for PJSIP's events before ticking the calls."""
IDLE_POLL_MILLISECONDS = 200
"""The same wait while no call is up: a call's INVITE wakes the wait at once, and nothing else
is due. Ticking every 5 ms with no call cost an idle line 2.6 % of a core, and the test suite
keeps demo companies idle for the whole run (the accuracy tests: one per service
profile and time scale, per worker)."""
CAPACITY = 4
"""Calls the line holds at once; the next caller hears 486 Busy Here. PJSIP's own default is
4, and the pjsua2-python 2.15.1 wheel is built with ``PJSUA_MAX_CALLS`` 4 as well: it clamps
any larger ``maxCalls`` to 4 without a word (measured: 32 and 64 asked, a fifth call refused
with PJ_ETOOMANY). More calls at once need a PJSIP built with a larger ``PJSUA_MAX_CALLS``, or
more than one demo company (one endpoint per process), as ``bench/phone_concurrency.py`` does."""
_PORT_ATTEMPTS = 20
_CODECS = {"G722/16000/1": 255, "PCMU/8000/1": 254, "PCMA/8000/1": 253}
"""Wideband G.722 first, as contact centres on SIP offer it (HD voice), then G.711 for any caller."""


class _StderrLog(pj.LogWriter):  # type: ignore[misc]
    """PJSIP's log on stderr: stdout carries only the contract line."""

    def write(self, entry: pj.LogEntry) -> None:
        sys.stderr.write(f"sandbox phone: {entry.msg.rstrip()}\n")


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send what PJSIP prints while it starts (its banner) to stderr, not the contract's stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class _Account(pj.Account):  # type: ignore[misc]
    """The line's one account: it takes every incoming call."""

    def __init__(self, line: PhoneLine) -> None:
        super().__init__()
        self._line = line

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        self._line._incoming(self, prm.callId)


class PhoneLine:
    """The company's phone number as a SIP endpoint on loopback."""

    def __init__(self, host: str = "127.0.0.1", *, voice: str = DEFAULT_VOICE) -> None:
        self.host = host
        self.port = 0
        self._scratch = tempfile.TemporaryDirectory(prefix="sandbox-phone-")
        folder = Path(self._scratch.name)
        self._voice = Voice(folder, voice)
        self._music = write_hold_music(folder / "hold-music.wav")
        self._recogniser: Recogniser | None = None
        self._commands: queue.Queue[Callable[[], None]] = queue.Queue()
        self._started = threading.Event()
        self._stopping = threading.Event()
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._service: ContactCentreService | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._desks: list[CallDesk] = []
        self._ears = Ears()

    @property
    def uri(self) -> str:
        """Where customers call: ``sip:HOST:PORT`` (any user part reaches the line)."""
        return f"sip:{self.host}:{self.port}"

    def start(self) -> str:
        """Start the endpoint and bind the port; the line's URI.

        Raises:
            PhoneLineError: PJSIP, flite or the recogniser cannot start, or no port was free.
        """
        self._recogniser = Recogniser()
        self._thread = threading.Thread(target=self._run, name="phone line", daemon=True)
        self._thread.start()
        self._started.wait()
        if self._failure is not None:
            self._thread.join()
            self._recogniser.stop()
            self._scratch.cleanup()
            raise PhoneLineError(
                f"the SIP line cannot start on {self.host}: {self._failure}"
            ) from self._failure
        return self.uri

    def serve(
        self,
        service: ContactCentreService,
        loop: asyncio.AbstractEventLoop,
        names: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Answer calls into ``service``'s hub, on ``loop`` (the web app's); ``names``: what a
        caller may name for a field (the catalogue's products and shipping methods), listened
        for with a grammar of them."""
        if names and self._recogniser is not None:
            self._recogniser.know(names)
        self._commands.put(lambda: self._attach(service, loop))

    def stop(self) -> None:
        """Hang every call up, destroy the endpoint and end the thread (call off the loop)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self._recogniser is not None:
            self._recogniser.stop()
        self._scratch.cleanup()

    # -- the line's thread ------------------------------------------------------------

    def _run(self) -> None:
        endpoint = pj.Endpoint()
        log = _StderrLog()
        try:
            with _stdout_to_stderr():
                endpoint.libCreate()
                endpoint.libInit(self._endpoint_config(log))
            endpoint.audDevManager().setNullDev()
            self.port = self._bind(endpoint)
            for codec in endpoint.codecEnum2():
                endpoint.codecSetPriority(codec.codecId, _CODECS.get(codec.codecId, 0))
            endpoint.libStart()
            account = _Account(self)
            account.create(self._account_config())
        except pj.Error as error:
            self._failure = RuntimeError(error.info())
            self._started.set()
            endpoint.libDestroy()
            return
        self._started.set()
        try:
            while not self._stopping.is_set():
                endpoint.libHandleEvents(POLL_MILLISECONDS if self._desks else IDLE_POLL_MILLISECONDS)
                self._run_commands()
                self._tick()
        finally:
            self._shut_down(endpoint)
            account.shutdown()
            del account
            endpoint.libDestroy()
            self._ears.after_destroy()

    def _endpoint_config(self, log: pj.LogWriter) -> pj.EpConfig:
        config = pj.EpConfig()
        config.logConfig.writer = log
        config.uaConfig.threadCnt = 0  # callbacks come on this thread, from libHandleEvents
        config.uaConfig.mainThreadOnly = False
        config.uaConfig.userAgent = "Brightline Appliances phone line"
        config.uaConfig.maxCalls = CAPACITY
        config.logConfig.level = int(os.environ.get("SANDBOX_PHONE_LOG", "1"))
        config.logConfig.consoleLevel = config.logConfig.level
        config.medConfig.clockRate = SAMPLE_RATE
        config.medConfig.sndClockRate = SAMPLE_RATE
        config.medConfig.noVad = True
        config.medConfig.ecTailLen = 0
        return config

    def _bind(self, endpoint: pj.Endpoint) -> int:
        """UDP on a free port, then TCP on the same one (another try if TCP's is taken)."""
        for _ in range(_PORT_ATTEMPTS):
            udp_config = pj.TransportConfig()
            udp_config.boundAddress = self.host
            udp_config.port = 0
            udp = endpoint.transportCreate(pj.PJSIP_TRANSPORT_UDP, udp_config)
            port = int(endpoint.transportGetInfo(udp).localName.rpartition(":")[2])
            tcp_config = pj.TransportConfig()
            tcp_config.boundAddress = self.host
            tcp_config.port = port
            try:
                endpoint.transportCreate(pj.PJSIP_TRANSPORT_TCP, tcp_config)
            except pj.Error:
                endpoint.transportClose(udp)
                continue
            return port
        raise PhoneLineError(f"no port on {self.host} was free for both UDP and TCP")

    def _account_config(self) -> pj.AccountConfig:
        config = pj.AccountConfig()
        config.idUri = f"sip:brightline@{self.host}:{self.port}"
        config.mediaConfig.transportConfig.boundAddress = self.host
        config.mediaConfig.transportConfig.port = 0
        return config

    def _run_commands(self) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            command()

    def _attach(self, service: ContactCentreService, loop: asyncio.AbstractEventLoop) -> None:
        self._service, self._loop = service, loop
        for desk in self._desks:  # calls that rang before the app served
            if desk.call is not None and desk.live is None:
                self._answer(desk, desk.call)

    def _incoming(self, account: pj.Account, call_id: int) -> None:
        assert self._recogniser is not None
        desk = CallDesk(voice=self._voice, music=self._music, recogniser=self._recogniser, ears=self._ears)
        call = LineCall(account, call_id, desk)
        desk.call = call
        self._desks.append(desk)
        ringing = pj.CallOpParam()
        ringing.statusCode = pj.PJSIP_SC_RINGING
        call.answer(ringing)
        if self._service is not None:
            self._answer(desk, call)

    def _answer(self, desk: CallDesk, call: LineCall) -> None:
        """Open the caller's conversation in the hub, then pick up."""
        service, loop = self._service, self._loop
        assert service is not None and loop is not None
        number = caller_number(call.getInfo().remoteUri)

        async def open_call() -> LiveConversation:
            return service.open("phone", number, paced=True)

        live = asyncio.run_coroutine_threadsafe(open_call(), loop).result(timeout=10)
        desk.attach(live, loop, service.clock)
        answer = pj.CallOpParam()
        answer.statusCode = pj.PJSIP_SC_OK
        call.answer(answer)

    def _tick(self) -> None:
        for desk in list(self._desks):
            desk.tick()
            if desk.state is CallState.OVER:
                desk.release()
                self._desks.remove(desk)
                desk.call = None

    def _shut_down(self, endpoint: pj.Endpoint) -> None:
        """Hang up every call and give PJSIP a moment to send the BYEs."""
        for desk in self._desks:
            desk.hang_up()
            desk.disconnected()  # the caller is taken to have left when the company closes
        endpoint.hangupAllCalls()
        for _ in range(50):
            endpoint.libHandleEvents(10)
        for desk in self._desks:
            desk.call = None  # PJSIP's call objects must go before the endpoint does
        self._desks.clear()
        gc.collect()
