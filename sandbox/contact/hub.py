"""Live conversations: each one's clock-driven task, its transcript, and who is watching.

The engine's :class:`~sandbox.contact_centre.Conversation` does nothing between calls; this
module gives every open conversation one asyncio task that sleeps until ``next_due()`` (or
until the customer does something), takes what has come due, appends it to the transcript
and pushes it to every subscriber (the server-sent event streams of :mod:`sandbox.contact.api`)
at once. The ground truth is stamped when a line is handed out here (not when it was due),
so a busy server that delivers late still measures what the customer really waited.

A transcript entry says how to *show* an output (a line by an agent, the company or the
customer; a transient "typing" status; the call's status), never what kind of event it is:
the harness must recognise events from the words alone, as on a real company's site.

A paced conversation (a call on the SIP line, :mod:`sandbox.phone`) is not delivered by its
task: the line takes each output from the engine when its speaker is free and reports it
with :meth:`LiveConversation.shown`, so the truth says when the caller heard it; the task
only watches for the end and for abandonment, which on such a call counts from the caller's
last key or words.

Lifetimes: a task ends when its conversation finishes; a conversation nobody has watched for
``abandon_after`` seconds (no event stream open) is left on the customer's behalf, except on
email, where nobody watches and replies take their time. :meth:`ConversationHub.close`
cancels every task, so nothing outlives the server.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any, Literal

from sandbox.contact_centre import Conversation, Output, OutputKind
from sandbox.contact_centre.phrasing import department_name

Speaker = Literal["agent", "system", "customer"]
Clock = Callable[[], float]

ABANDON_AFTER_SECONDS = 300.0
"""Real seconds without an event stream after which a chat, DM or call is left."""

ON_HOLD = "On hold"
CONNECTED = "Connected"
CALL_ENDED = "Call ended"

_CALL_STATUS: dict[OutputKind, str] = {
    OutputKind.HOLD_STARTED: ON_HOLD,
    OutputKind.HOLD_ENDED: CONNECTED,
    OutputKind.ENDED: CALL_ENDED,
}


@dataclass(frozen=True)
class TranscriptEntry:
    """One line of a conversation as the page shows it.

    Attributes:
        id: Its position in the conversation, from 1 (the event stream's ``id``).
        speaker: Who says it: ``agent``, ``system`` (the company's automated voice, the
            queue, the menu) or ``customer`` (the customer's own words, echoed).
        text: The words shown.
        at: When it was due (epoch seconds); for the customer's lines, when they were sent.
        who: The agent's first name, on agents' lines only.
        department: The agent's department as customers read it ("Orders"), for emails.
        transient: A passing status (someone is typing), not a line of the log.
        call_status: What the softphone's status becomes, if this line changes it.
        ended: The company closed the conversation with this line.
    """

    id: int
    speaker: Speaker
    text: str
    at: float
    who: str | None = None
    department: str | None = None
    transient: bool = False
    call_status: str | None = None
    ended: bool = False

    def to_json(self) -> dict[str, Any]:
        """The entry as the page's script receives it."""
        return asdict(self)


def entry_for(output: Output, entry_id: int) -> TranscriptEntry:
    """How one of the engine's outputs is shown: the only place output kinds are read."""
    department = None if output.department is None else department_name(output.department)
    if output.kind is OutputKind.TYPING:
        speaker: Speaker = "agent" if output.agent else "system"
        return TranscriptEntry(entry_id, speaker, output.text, output.due, transient=True)
    if output.kind is OutputKind.AGENT:
        return TranscriptEntry(
            entry_id, "agent", output.text, output.due, who=output.agent, department=department
        )
    return TranscriptEntry(
        entry_id,
        "system",
        output.text,
        output.due,
        call_status=_CALL_STATUS.get(output.kind),
        ended=output.kind is OutputKind.ENDED,
    )


class StreamEnd(Enum):
    """What a subscriber's queue says instead of an entry when there will be no more."""

    CLOSED = "closed"  # the conversation is over: tell the page
    SHUTDOWN = "shutdown"  # the server is stopping: just hang up


Subscription = asyncio.Queue[TranscriptEntry | StreamEnd]


class LiveConversation:
    """One open conversation: the engine's state, its transcript and its subscribers.

    Every method runs on the event loop's thread (request handlers and the task alike), so
    the transcript and the subscribers need no lock.
    """

    def __init__(
        self,
        key: str,
        conversation: Conversation,
        clock: Clock,
        *,
        subject: str = "",
        abandon_after: float | None = ABANDON_AFTER_SECONDS,
    ) -> None:
        self.key = key
        self.conversation = conversation
        self.subject = subject
        self.history: list[TranscriptEntry] = []
        self._clock = clock
        self._abandon_after = None if conversation.channel == "email" else abandon_after
        self._subscribers: set[Subscription] = set()
        self._alone_since = clock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.closed = False

    @property
    def channel(self) -> str:
        return self.conversation.channel

    @property
    def customer(self) -> str:
        return self.conversation.customer

    @property
    def finished(self) -> bool:
        """The company ended it or the customer left (outputs may still be delivered, and on
        email a follow-up may still be written: the task runs until the engine has finished)."""
        return self.conversation.ended

    def start(self) -> None:
        """Start the conversation's task on the running loop."""
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name=f"conversation {self.conversation.contact_id}"
        )

    # -- what the customer does -------------------------------------------------------

    def say(self, text: str) -> bool:
        """The customer's message (typed, or said on the phone); True if the company took it."""
        return self._customer_input(text, lambda now: self.conversation.customer_says(text, now))

    def press(self, key: str) -> bool:
        """A key on the phone's keypad, echoed as ``Pressed 2``."""
        return self._customer_input(f"Pressed {key}", lambda now: self.conversation.press(key, now))

    def leave(self) -> None:
        """The customer ended the chat or hung up."""
        now = self._clock()
        self.deliver_due(now)
        self.conversation.leave(now)
        self._wake.set()

    def _customer_input(self, echo: str, give: Callable[[float], bool]) -> bool:
        now = self._clock()
        if self.conversation.paced:
            self._alone_since = now  # a caller who speaks is still there
        self.deliver_due(now)  # whatever was due before the customer spoke comes first
        self._append(TranscriptEntry(len(self.history) + 1, "customer", echo, now))
        accepted = give(now)
        self.deliver_due(now)
        self._wake.set()  # the next output may now be due sooner
        return accepted

    # -- what the company says --------------------------------------------------------

    def deliver_due(self, now: float | None = None) -> None:
        """Move every output due by ``now`` into the transcript and push it to subscribers.

        The task calls this when it wakes; a page that shows the transcript itself (the
        webmail) calls it first, so what is due is there even if the task is a moment late.
        """
        moment = self._clock() if now is None else now
        for output in self.conversation.due_outputs(moment):
            self._append(entry_for(output, len(self.history) + 1))

    def shown(self, output: Output) -> None:
        """An output of a paced conversation the line took (and is playing): transcript it."""
        self._append(entry_for(output, len(self.history) + 1))
        self._wake.set()  # the task notices the end at once

    def _append(self, entry: TranscriptEntry) -> None:
        self.history.append(entry)
        for subscription in self._subscribers:
            subscription.put_nowait(entry)

    # -- who is watching --------------------------------------------------------------

    def subscribe(self, after: int) -> tuple[list[TranscriptEntry], Subscription | None]:
        """The entries after id ``after``, and a queue of those to come (None once closed)."""
        replay = self.history[max(after, 0) :]
        if self.closed:
            return replay, None
        subscription: Subscription = asyncio.Queue()
        self._subscribers.add(subscription)
        return replay, subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """A stream closed; once none is left, the abandonment clock starts."""
        self._subscribers.discard(subscription)
        if not self._subscribers:
            self._alone_since = self._clock()
            self._wake.set()

    def end_streams(self, reason: StreamEnd) -> None:
        """Tell every open stream there is nothing more."""
        for subscription in self._subscribers:
            subscription.put_nowait(reason)

    # -- the task ---------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            while True:
                self.deliver_due()
                if self.conversation.finished:
                    return
                abandon_at = self._abandon_at()
                if abandon_at is not None and self._clock() >= abandon_at:
                    self.conversation.leave(self._clock())
                    continue
                due = None if self.conversation.paced else self.conversation.next_due()
                deadlines = [moment for moment in (due, abandon_at) if moment is not None]
                await self._sleep_until(min(deadlines) if deadlines else None)
        finally:
            self.closed = True
            self.end_streams(StreamEnd.CLOSED)

    def _abandon_at(self) -> float | None:
        if self._abandon_after is None or self._subscribers:
            return None
        return self._alone_since + self._abandon_after

    async def _sleep_until(self, deadline: float | None) -> None:
        """Sleep until ``deadline`` (None: indefinitely), or until woken by the customer."""
        delay = None if deadline is None else max(0.0, deadline - self._clock())
        try:
            async with asyncio.timeout(delay):
                await self._wake.wait()
        except TimeoutError:
            pass
        self._wake.clear()

    async def stop(self) -> None:
        """Cancel the task (server shutdown) and wait for it to end."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.closed = True


class ConversationHub:
    """Every conversation of the sandbox's lifetime, by an unguessable key.

    The key is what a page needs to follow or speak in a conversation, so it is random
    rather than the engine's sequential contact id.
    """

    def __init__(self, clock: Clock, *, abandon_after: float = ABANDON_AFTER_SECONDS) -> None:
        self._clock = clock
        self._abandon_after = abandon_after
        self._live: dict[str, LiveConversation] = {}
        self._watchers: list[Callable[[LiveConversation], None]] = []

    def watch_openings(self, watcher: Callable[[LiveConversation], None]) -> None:
        """Call ``watcher`` with every conversation opened from now on, before anything is said.

        The mail desk subscribes to each email contact this way, however it was opened (a mail,
        the contact form, the webmail), so it misses none of the company's outputs.
        """
        self._watchers.append(watcher)

    def open(self, conversation: Conversation, *, subject: str = "") -> LiveConversation:
        """Register a new conversation and start its task (call on the event loop)."""
        key = secrets.token_urlsafe(12)
        live = LiveConversation(
            key, conversation, self._clock, subject=subject, abandon_after=self._abandon_after
        )
        self._live[key] = live
        live.start()
        for watcher in self._watchers:
            watcher(live)
        return live

    def get(self, key: str) -> LiveConversation | None:
        return self._live.get(key)

    def find(self, channel: str, customer: str) -> list[LiveConversation]:
        """One customer's conversations on a channel, oldest first (email: any case)."""
        wanted = customer.casefold() if channel == "email" else customer
        found = []
        for live in self._live.values():
            who = live.customer.casefold() if channel == "email" else live.customer
            if live.channel == channel and who == wanted:
                found.append(live)
        return found

    def end_streams(self) -> None:
        """Close every event stream now, so a stopping server need not wait for them."""
        for live in self._live.values():
            live.end_streams(StreamEnd.SHUTDOWN)

    async def close(self) -> None:
        """Stop every task; called when the app shuts down."""
        self.end_streams()
        await asyncio.gather(*(live.stop() for live in self._live.values()))

    def running_tasks(self) -> int:
        """How many conversation tasks are still alive (tests check none leak)."""
        return sum(1 for live in self._live.values() if live._task is not None and not live._task.done())
