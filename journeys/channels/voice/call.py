"""A phone call as the harness holds it: its state to wait on, its audio, its keys, its end.

Nothing here calls PJSIP: :class:`Call` asks its user agent (a :class:`Runner`) to run each
action on the SIP thread, and the SIP callbacks update its state under a condition variable
that other threads wait on. Its values (the account it calls as, how it ended) are plain data.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from journeys.channels.voice.audio import OutgoingAudio, Playback, ReceivedAudio, Samples, dtmf_tone
from journeys.errors import CallFailed, PhoneLoginRefused

T = TypeVar("T")
CallState = Literal["calling", "ringing", "answered", "ended"]
_ORDER: tuple[CallState, ...] = ("calling", "ringing", "answered", "ended")
DtmfMethod = Literal["rfc4733", "inband"]
LOGIN_REFUSED = (401, 403, 407)
"""Statuses that say the account's credentials were refused, not that the number failed."""


class Runner(Protocol):
    """Runs a command on the SIP thread and returns its result: the user agent."""

    def run(self, command: Callable[[], T], timeout: float = 10.0) -> T: ...


class CallControls(Protocol):
    """What a call asks of PJSIP's side of it, always on the SIP thread."""

    def send_telephone_event(self, key: str) -> bool: ...

    def end(self) -> bool: ...


@dataclass(frozen=True)
class PhoneAccount:
    """Who the harness calls as. No registrar: a direct call from this address, unauthenticated.

    With a registrar (``sip:host:port``) it is also the outbound proxy every call goes through,
    and the password (read by the caller from an environment variable) answers its digest
    challenges. It is never logged, printed or shown in ``repr``.
    """

    user: str = "customer"
    domain: str = "127.0.0.1"
    registrar: str | None = None
    password: str | None = field(default=None, repr=False)
    register: bool = False
    display_name: str = "Mystery Shopper"

    @property
    def uri(self) -> str:
        return f"sip:{self.user}@{self.domain}"


@dataclass(frozen=True)
class CallEnd:
    """How a call ended: the SIP status and reason, whether it was answered, and when."""

    status_code: int
    reason: str
    answered: bool
    at: float


@dataclass(frozen=True)
class ReceivedRtp:
    """What PJSIP counted of the company's RTP stream to the harness over the whole call.

    ``lost`` are packets the sequence numbers say never came; ``discarded`` are packets the
    jitter buffer threw away (too late, or the buffer full); ``underflows`` are the times the
    bridge asked for a frame and the buffer had none (the prefetch at the start counts too).
    On loopback nothing is lost on the wire: a starved CPU shows as late packets and jitter."""

    packets: int
    lost: int
    discarded: int
    underflows: int
    jitter_ms: float
    jitter_max_ms: float

    @property
    def loss(self) -> float:
        """Lost and discarded packets as a share of those expected."""
        expected = self.packets + self.lost
        return (self.lost + self.discarded) / expected if expected else 0.0


class Call:
    """One call the harness placed: wait on its state, listen, speak, press keys, hang up."""

    def __init__(self, agent: Runner, uri: str, account: PhoneAccount) -> None:
        self.uri = uri
        self.account = account
        self.received = ReceivedAudio()
        self.outgoing = OutgoingAudio()
        self.started_at = time.time()
        self.ringing_at: float | None = None
        self.answered_at: float | None = None
        self.ended: CallEnd | None = None
        self.received_rtp: ReceivedRtp | None = None
        """The company's RTP as received, counted when the call ended (None: no media)."""
        self.presses: list[tuple[str, DtmfMethod]] = []
        self._agent = agent
        self._state: CallState = "calling"
        self._changed = threading.Condition()
        self._pj: CallControls | None = None

    @property
    def state(self) -> CallState:
        return self._state

    def _set_state(self, state: CallState, *, end: CallEnd | None = None) -> None:
        with self._changed:
            if _ORDER.index(state) <= _ORDER.index(self._state):
                return
            now = time.time()
            if state == "ringing":
                self.ringing_at = now
            elif state == "answered":
                self.answered_at = now
            else:
                self.ended = end
            self._state = state
            self._changed.notify_all()
        if state == "ended":
            self.received.close()
            self.outgoing.cancel()

    def wait_for(self, state: CallState, timeout: float) -> bool:
        """True once the call reached ``state`` (or, for an earlier state, went past it)."""
        with self._changed:
            target = _ORDER.index(state)
            return self._changed.wait_for(lambda: _ORDER.index(self._state) >= target, timeout)

    def wait_answered(self, timeout: float) -> float:
        """``answered_at``, once answered; raises why not when it ended or ``timeout`` passed."""
        self.wait_for("answered", timeout)
        if self.answered_at is not None:
            return self.answered_at
        action = f"call {self.uri}"
        if self.ended is None:
            self.hang_up()
            raise CallFailed(
                f"nobody answered {self.uri} within {timeout:.0f} s",
                action=action,
                status_code=0,
                reason="no answer",
            )
        code, reason = self.ended.status_code, self.ended.reason
        if code in LOGIN_REFUSED and self.account.password is not None:
            raise PhoneLoginRefused(
                f"{self.account.registrar} refused the phone account {self.account.uri}: {code} {reason};"
                " check the user and password of the company profile's phone account",
                status_code=code,
                reason=reason,
            )
        raise CallFailed(
            f"{self.uri} was not answered: {code} {reason}", action=action, status_code=code, reason=reason
        )

    def wait_ended(self, timeout: float) -> CallEnd | None:
        self.wait_for("ended", timeout)
        return self.ended

    def play(self, samples: Samples) -> Playback:
        """Send 16 kHz audio into the call after what is already queued; wait on the result."""
        return self.outgoing.enqueue(samples)

    def press(self, key: str) -> DtmfMethod:
        """Press a key: an RFC 4733 telephone event, or in-band tones when the remote has none."""
        if self._agent.run(lambda: self._pj is not None and self._pj.send_telephone_event(key)):
            method: DtmfMethod = "rfc4733"
        else:
            self.play(dtmf_tone(key)).wait(2.0)
            method = "inband"
        self.presses.append((key, method))
        return method

    def hang_up(self) -> None:
        """End the call (cancel it while ringing); nothing happens once it has ended."""
        if self._state != "ended":
            self._agent.run(lambda: self._pj is not None and self._pj.end())
