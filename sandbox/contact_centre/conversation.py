"""One contact between a customer and the company, driven by the web layer's clock.

The web layer creates a :class:`Conversation` when the customer opens a channel,
passes in what the customer does with a timestamp, and pushes outputs to the page
when they are due::

    conversation = Conversation(profile, "chat", "shopper-42", Random(seed), time.time(), shop)
    conversation.customer_says("I want to cancel my order", time.time())
    while not conversation.finished:
        due = conversation.next_due()          # None: waiting for the customer
        ...sleep until `due`, or until the customer types...
        for output in conversation.due_outputs(time.time()):
            push(output)                       # exactly when due, never early

Nothing happens between calls: time advances only through the timestamps passed
in, so tests drive a whole contact in microseconds and the same seed always gives
the same contact. Customer input that arrives while the company is not waiting for
it (typing during the queue, keys after the menu) is ignored and counted in the
truth's ``ignored_inputs``. Methods are safe to call from several threads.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from random import Random

from sandbox.contact_centre.actions import ServiceActions
from sandbox.contact_centre.customers import CustomerRecords
from sandbox.contact_centre.errors import ConversationError
from sandbox.contact_centre.model import CHANNELS, Channel, Output
from sandbox.contact_centre.profile import ContactCentreProfile
from sandbox.contact_centre.script import CompanyScript
from sandbox.contact_centre.stage import (
    CustomerText,
    InputKind,
    Instruction,
    KeyPress,
    Reply,
    Show,
    Step,
    TimedOut,
    WaitForCustomer,
)
from sandbox.contact_centre.truth import ContactRecord, ContactTruth, TruthLog

_contact_numbers = itertools.count(1)


def _hears_nothing() -> bool:
    return False


class Conversation:
    """A customer's contact on one channel, from opening to the end."""

    def __init__(
        self,
        profile: ContactCentreProfile,
        channel: Channel,
        customer: str,
        rng: Random,
        started_at: float,
        actions: ServiceActions,
        *,
        contact_id: str | None = None,
        truth_log: TruthLog | None = None,
        customers: CustomerRecords | None = None,
        paced: bool = False,
        seed: int | str = 0,
    ) -> None:
        """Open the contact; outputs due at ``started_at`` (a welcome, a menu) are ready.

        Args:
            profile: how the company serves.
            channel: where the customer came in.
            customer: who they are, as the web layer knows them (the truth is
                filterable by it).
            rng: seeded; picks phrasing variants and made-up references only.
            started_at: absolute seconds, on the same clock as every later call.
            actions: the real effects (the shop's database).
            contact_id: an id to use; by default ``<profile>-<channel>-<n>``.
            truth_log: where to keep the ground truth, if anywhere.
            customers: the company's memory across contacts and channels, if it has one:
                this contact writes what it asks and is told there, and its agents look
                there as often as the profile's ``remembers_across_channels`` says.
            paced: outputs are handed out one at a time by :meth:`take_next` only.
            seed: the sandbox's seed; with the channel, the customer and the intent it draws
                the company this contact meets from the profile's variety (the same for the
                same customer, whatever order contacts arrive in; see :mod:`.variety`).
        """
        if channel not in CHANNELS:
            raise ConversationError(f"unknown channel {channel!r} (known: {', '.join(CHANNELS)})")
        self.channel = channel
        self.customer = customer
        self.contact_id = contact_id or f"{profile.name}-{channel}-{next(_contact_numbers):06d}"
        self._lock = threading.RLock()
        self.paced = paced
        self.hearing: Callable[[], bool] = _hears_nothing
        """Whether the customer is being heard right now (a call's line sets it: words under
        way, or being recognised): a deadline on their words waits while it is True, as a
        person does not ask "are you still there?" of somebody speaking."""
        self._record = ContactRecord(
            ContactTruth(
                contact_id=self.contact_id,
                profile=profile.name,
                channel=channel,
                customer=customer,
                started_at=started_at,
            )
        )
        if truth_log is not None:
            truth_log.add(self._record)
        if customers is not None:
            customers.opened(self.contact_id, channel, customer)
        script = CompanyScript(
            profile=profile,
            channel=channel,
            customer=customer,
            rng=rng,
            started_at=started_at,
            actions=actions,
            record=self._record,
            customers=customers,
            seed=seed,
        )
        self._steps: Step[None] | None = script.run()
        self._instruction: Instruction | None = None
        self._slide = 0.0  # paced: how late the output that scheduled the instruction was taken
        self._outbox: list[Output] = []
        self._resume(None)
        self._advance(started_at)

    # -- what the customer does -------------------------------------------------------

    def customer_says(self, text: str, at: float) -> bool:
        """The customer typed (chat, social, email) or said (phone) something.

        Returns:
            True if the company took it in; False if it was ignored because the
            company was not waiting for the customer at that moment.
        """
        return self._give(CustomerText(text, at), "text")

    def press(self, key: str, at: float) -> bool:
        """The caller pressed a key on the phone's keypad (phone only)."""
        if self.channel != "phone":
            raise ConversationError(f"press() is for the phone channel, not {self.channel}")
        return self._give(KeyPress(key, at), "key")

    def leave(self, at: float) -> None:
        """The customer closed the chat, the DM or the mailbox: nothing more is said."""
        with self._lock:
            self._advance(at)
            if self._steps is not None:
                self._steps.close()
                self._steps = None
                self._instruction = None
            self._record.ended(at, "customer")

    def hang_up(self, at: float) -> None:
        """The caller hung up (the phone's name for :meth:`leave`)."""
        self.leave(at)

    # -- what the company shows -------------------------------------------------------

    def due_outputs(self, now: float) -> list[Output]:
        """Every output due at or before ``now`` not handed out yet, in order.

        Handing an output out is delivering it: the caller shows it at ``now``, which is later
        than its due time when the server is busy. The truth is retimed to ``now``, because
        that is when the customer really got the line (and really waited until).
        """
        with self._lock:
            self._advance(now)
            ready, self._outbox = self._outbox, []
        for due in sorted({output.due for output in ready}):
            self._record.delivered(due, now)
        return ready

    def take_next(self, now: float) -> Output | None:
        """Hand out the next output if it is due by ``now`` (paced conversations).

        Whatever the script records as it moves past that output (a hold starting, an agent
        joining, the claim) is stamped ``now``, even when another output fell due at the
        same moment and was taken earlier: each output's stamps are its own delivery's.
        """
        with self._lock:
            self._advance(now)
            instruction = self._instruction
            if not isinstance(instruction, Show) or instruction.output.due + self._slide > now:
                return None
            output = instruction.output
            self._record.delivered(output.due, now)  # what the script stamps next moves too
            self._resume(None)
            self._record.delivered(output.due, now)  # what it wrote as plain values
            self._slide = max(0.0, now - output.due)  # what it scheduled next comes as late
            self._advance(now)
            return output

    def upcoming(self) -> Output | None:
        """The output a paced conversation will hand out next, due or not (to prepare it)."""
        with self._lock:
            instruction = self._instruction
            return instruction.output if isinstance(instruction, Show) else None

    def awaited(self) -> str | None:
        """What the company waits for an answer about (a field, ``problem``, ``survey``)."""
        with self._lock:
            if isinstance(self._instruction, WaitForCustomer):
                return self._instruction.about
            return None

    def next_due(self) -> float | None:
        """When the next output is due (perhaps already); None while waiting for the customer."""
        with self._lock:
            if self._outbox:
                return self._outbox[0].due
            instruction = self._instruction
            if isinstance(instruction, Show):
                return instruction.output.due + self._slide
            if isinstance(instruction, WaitForCustomer) and instruction.deadline is not None:
                return instruction.deadline + self._slide
            return None

    def accepting(self) -> frozenset[InputKind]:
        """What the company is waiting for right now: ``text``, ``key``, both or nothing."""
        with self._lock:
            if isinstance(self._instruction, WaitForCustomer):
                return self._instruction.accepts
            return frozenset()

    @property
    def finished(self) -> bool:
        """True once the company ended the contact or the customer left."""
        with self._lock:
            return self._steps is None

    @property
    def ended(self) -> bool:
        """True once the company closed the contact or the customer left: it takes nothing more
        from the customer, though on email the company may still write on its own (a follow-up,
        after which it is :attr:`finished`)."""
        with self._lock:
            return self._steps is None or self._record.snapshot().ended_at is not None

    @property
    def truth(self) -> ContactTruth:
        """What really happened so far."""
        return self._record.snapshot()

    # -- driving the script -----------------------------------------------------------

    def _give(self, reply: CustomerText | KeyPress, kind: InputKind) -> bool:
        with self._lock:
            self._advance(reply.at)
            instruction = self._instruction
            if isinstance(instruction, WaitForCustomer) and kind in instruction.accepts:
                self._slide = 0.0  # what answers the customer is timed from their real input
                self._resume(reply)
                self._advance(reply.at)
                return True
            ignored = self._record.snapshot().ignored_inputs + 1
            self._record.update(ignored_inputs=ignored)
            return False

    def _advance(self, now: float) -> None:
        """Show every output due by ``now`` and fire any deadline that has passed."""
        while self._instruction is not None:
            instruction = self._instruction
            if isinstance(instruction, Show):
                if self.paced or instruction.output.due > now:
                    return
                self._outbox.append(instruction.output)
                self._resume(None)
            elif (
                instruction.deadline is not None
                and instruction.deadline + self._slide <= now
                and not ("text" in instruction.accepts and self.hearing())
            ):
                self._resume(TimedOut(instruction.deadline))
            else:
                return

    def _resume(self, reply: Reply | None) -> None:
        if self._steps is None:
            self._instruction = None
            return
        try:
            self._instruction = self._steps.send(reply)
        except StopIteration:
            self._steps = None
            self._instruction = None
