"""Where the company speaks: the script's clock, its outputs, and its waiting for the customer.

A script is a generator. It yields :class:`Show` for each output and is resumed only
when that output is due, so whatever follows the ``yield`` happens at that moment
(this is how the ground truth is written exactly when the customer is shown
something). It yields :class:`WaitForCustomer` when it needs the customer and is
resumed with their input, or with :class:`TimedOut`. There is no real clock: time
is the script's ``clock``, moved on by pauses from the profile and by the
timestamps of the customer's input.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from random import Random
from typing import Literal, TypeVar

from sandbox.contact_centre.model import Channel, Department, Output, OutputKind
from sandbox.contact_centre.phrasing import COMPANY, PhraseKind, say
from sandbox.contact_centre.profile import ContactCentreProfile
from sandbox.contact_centre.truth import ContactRecord

InputKind = Literal["text", "key"]
TEXT: frozenset[InputKind] = frozenset({"text"})
KEY: frozenset[InputKind] = frozenset({"key"})
NOTHING: frozenset[InputKind] = frozenset()
_Result = TypeVar("_Result")


@dataclass(frozen=True)
class Show:
    """Show this output when it is due, then carry on."""

    output: Output


@dataclass(frozen=True)
class WaitForCustomer:
    """Wait for input of these kinds, or until ``deadline`` (None: for ever).

    ``about`` says what the answer is for (a field's name, ``problem`` or ``survey``), so a
    phone line can listen for the words that answer can have.
    """

    accepts: frozenset[InputKind]
    deadline: float | None = None
    about: str | None = None


@dataclass(frozen=True)
class CustomerText:
    """The customer typed (or said) something."""

    text: str
    at: float


@dataclass(frozen=True)
class KeyPress:
    """The caller pressed a key on the phone's keypad."""

    key: str
    at: float


@dataclass(frozen=True)
class TimedOut:
    """Nobody answered before the deadline."""

    at: float


Instruction = Show | WaitForCustomer
Reply = CustomerText | KeyPress | TimedOut
Step = Generator[Instruction, Reply | None, _Result]


class Stage:
    """The clock and the voice of one contact; the script builds its behaviour on it.

    Pacing: the first line answering the customer comes ``reply_delay_seconds``
    after their input (with a "typing" indicator at once on chat and social);
    each further line ``line_gap_seconds`` after the previous one; holds and
    queues last exactly their profile seconds. All scaled by ``time_scale``.
    """

    def __init__(
        self,
        *,
        profile: ContactCentreProfile,
        channel: Channel,
        rng: Random,
        started_at: float,
        record: ContactRecord,
    ) -> None:
        self.profile = profile
        self.channel = channel
        self.rng = rng
        self.record = record
        self.settings = profile.channels[channel]
        self.clock = started_at
        self.sequence = 0
        self.answering = False  # the next line answers the customer: reply delay, not line gap
        self.agent: str | None = None
        self.department: Department | None = None
        self.exchanges = 0

    # -- waiting for the customer -----------------------------------------------------

    def wait_for_text(self, about: str | None = None) -> Step[CustomerText]:
        """The customer's next message (``about``: what it answers, for a phone line's ear)."""
        reply = yield from self.text_by(None, about)
        assert reply is not None  # with no deadline only the customer's words resume it
        return reply

    def text_by(self, deadline: float | None, about: str | None = None) -> Step[CustomerText | None]:
        """The customer's next message; None when none came by ``deadline`` (None: for ever)."""
        while True:
            reply = yield WaitForCustomer(TEXT, deadline=deadline, about=about)
            if isinstance(reply, TimedOut):
                self.clock = max(self.clock, reply.at)
                return None
            if isinstance(reply, CustomerText):
                break
        self.heard(reply.at, typed=True)
        return reply

    def wait_for_key(self, deadline: float | None = None) -> Step[KeyPress | None]:
        """The caller's next key press; None when none came by ``deadline``."""
        while True:
            reply = yield WaitForCustomer(KEY, deadline=deadline)
            if isinstance(reply, TimedOut):
                self.clock = max(self.clock, reply.at)
                return None
            if isinstance(reply, KeyPress):
                break
        self.heard(reply.at, typed=False)
        return reply

    def heard(self, at: float, *, typed: bool) -> None:
        """The company has the customer's input: its answer is timed from now."""
        self.clock = max(self.clock, at)
        self.answering = True
        if typed:
            self.exchanges += 1
            self.record.update(exchanges=self.exchanges)

    # -- showing ----------------------------------------------------------------------

    def show(
        self,
        kind: OutputKind,
        text: str,
        phrase: str | None,
        *,
        at: float | None = None,
        speaker: bool = False,
    ) -> Step[Output]:
        """Schedule one output (at ``at``, or after the usual pause); resume when it is due."""
        if at is None:
            pause = self.settings.reply_delay_seconds if self.answering else self.settings.line_gap_seconds
            at = self.clock + self.profile.seconds(pause)
            if self.answering and self.channel in ("chat", "social"):
                yield self._output(OutputKind.TYPING, self._typing_text(), "typing", self.clock)
        self.answering = False
        self.clock = max(self.clock, at)
        scheduled = self._output(kind, text, phrase, at, speaker=speaker)
        yield scheduled
        return scheduled.output

    def agent_says(self, phrase: PhraseKind, *, at: float | None = None, **values: str) -> Step[Output]:
        """The current agent says one sentence."""
        text = say(phrase, self.rng, **values)
        return (yield from self.show(OutputKind.AGENT, text, phrase, at=at, speaker=True))

    def system_says(self, phrase: PhraseKind, *, at: float | None = None, **values: str) -> Step[Output]:
        """The company's automated voice (or chat bot) says one sentence."""
        text = say(phrase, self.rng, **values)
        return (yield from self.show(OutputKind.SYSTEM, text, phrase, at=at))

    def status(self, kind: OutputKind, *, at: float | None = None) -> Step[Output]:
        """A hold starts or ends."""
        phrase = PhraseKind.ON_HOLD if kind == OutputKind.HOLD_STARTED else PhraseKind.OFF_HOLD
        return (yield from self.show(kind, say(phrase, self.rng), phrase, at=at))

    def end(self) -> Step[None]:
        """The company closes the contact."""
        ended = yield from self.show(OutputKind.ENDED, say(PhraseKind.ENDED, self.rng), PhraseKind.ENDED)
        self.record.ended(ended.due, "company")

    def _typing_text(self) -> str:
        return say(PhraseKind.TYPING, self.rng, who=self.agent or COMPANY)

    def _output(
        self, kind: OutputKind, text: str, phrase: str | None, due: float, *, speaker: bool = True
    ) -> Show:
        self.sequence += 1
        return Show(
            Output(
                due=due,
                kind=kind,
                text=text,
                agent=self.agent if speaker else None,
                department=self.department if speaker else None,
                phrase=phrase,
                sequence=self.sequence,
            )
        )
