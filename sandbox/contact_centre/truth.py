"""Ground truth: what the contact centre really did in each contact.

The harness measures from the customer's side; this records the same things from
the company's side so the project's tests can prove the measurements. Everything
is recorded at the moment the output that showed it was delivered to the customer
(a hold starts when the ``hold_started`` line went out, a transfer happens when its
sentence did): first at the output's due time, then retimed by
:meth:`ContactRecord.delivered` when a busy server delivers it later. Nothing that
was scheduled but never shown is recorded. Definitions match the
harness's (``journeys/domain/metrics.py``):

- IVR depth: key presses in the phone menu before an agent joined, every press
  counted (a repeat or an invalid key is a press the customer had to make);
- recaptures: per field, requests beyond the first, summed; a request repeated
  because the answer had the wrong shape counts, as does a cold transfer's re-ask;
- recaptures across contacts: the fields a contact asked for that an earlier contact
  of the same customer (:mod:`.customers`) had asked for already, each counted once
  per contact. They are kept apart from ``recaptures``, which stays within one contact,
  so a journey's recaptures (the harness's, over all its contacts) are the sum of both;
- hold time: the sum of hold intervals, a hold still open at the end counting up
  to the end;
- identified before heard: an identifying field (name, e-mail, phone, order number) was
  asked for before the customer said why they came, in a message or by the phone menu's
  choice;
- policy recitals: the lines in which an agent recited the company's policy instead of
  solving the problem, each counted;
- conferences: a colleague brought into the contact while its agent stayed, counted apart
  from transfers (the customer was not handed on), stamped when the agent said so.

A :class:`TruthLog` keeps every contact, is safe to read from another thread
while conversations run, and returns JSON-ready dicts.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox.contact_centre.model import (
    Channel,
    ClaimedOutcome,
    Department,
    FieldName,
    Handover,
    HoldKind,
    Intent,
)

IvrResult = Literal["menu", "route", "repeat", "invalid"]
EndedBy = Literal["company", "customer"]


@dataclass(frozen=True)
class IvrChoice:
    """A key the caller pressed in the phone menu, and what it did."""

    at: float
    menu: str
    key: str
    result: IvrResult
    label: str | None = None


@dataclass(frozen=True)
class HoldInterval:
    """A time the customer waited for a person; ``ended_at`` is None while it lasts."""

    kind: HoldKind
    started_at: float
    ended_at: float | None = None

    def seconds(self, until: float | None) -> float:
        """The hold's length, an open hold counting up to ``until``."""
        end = self.ended_at if self.ended_at is not None else until
        return 0.0 if end is None else end - self.started_at


@dataclass(frozen=True)
class AgentJoined:
    """A person took the contact."""

    at: float
    agent: str
    department: Department


@dataclass(frozen=True)
class Handoff:
    """The contact moved to another agent: a transfer, or an escalation to supervisors."""

    at: float
    handover: Handover
    from_department: Department
    to_department: Department


@dataclass(frozen=True)
class ReferenceGiven:
    """A number handed to the customer; ``real`` is False when nothing stands behind it."""

    at: float
    reference: str
    real: bool


@dataclass(frozen=True)
class PromiseMade:
    """A commitment with a date or a duration; ``backed`` is False for a false resolution."""

    at: float
    text: str
    backed: bool


@dataclass(frozen=True)
class Conference:
    """An agent brought a colleague from another department into the contact and stayed."""

    at: float
    from_department: Department
    to_department: Department
    colleague: str


@dataclass(frozen=True)
class PolicyRecited:
    """An agent recited the company's policy ("Our policy is that ...") instead of solving."""

    at: float
    text: str


@dataclass(frozen=True)
class FollowUp:
    """The company wrote again on its own, after the contact, about what it had promised.

    ``promised_day`` is the day the promise fell due (ISO); ``by_promise`` says whether the
    follow-up came by it, at the company's real pace (its delay before the time scale).
    """

    at: float
    text: str
    promised_day: str
    by_promise: bool


@dataclass(frozen=True)
class ContactTruth:
    """One contact as it really happened, up to the moment it was read."""

    contact_id: str
    profile: str
    channel: Channel
    customer: str
    started_at: float
    intent: Intent | None = None
    ended_at: float | None = None
    ended_by: EndedBy | None = None
    ivr_choices: tuple[IvrChoice, ...] = ()
    holds: tuple[HoldInterval, ...] = ()
    agents: tuple[AgentJoined, ...] = ()
    transfers: tuple[Handoff, ...] = ()
    escalations: tuple[Handoff, ...] = ()
    fields_asked: Mapping[FieldName, int] = field(default_factory=dict)
    references: tuple[ReferenceGiven, ...] = ()
    promises: tuple[PromiseMade, ...] = ()
    satisfaction_asked: bool = False
    satisfaction_answer: str | None = None
    exchanges: int = 0
    channel_switch_offered_at: float | None = None
    claimed_at: float | None = None
    """When the company's claim of the outcome reached the customer (resolved or not)."""
    channel_switch_offered_after: int | None = None
    claimed_outcome: ClaimedOutcome | None = None
    action: str | None = None
    action_performed: bool = False
    action_result: str | None = None
    ignored_inputs: int = 0
    recaptured_across_contacts: tuple[FieldName, ...] = ()
    """Fields asked here that an earlier contact of the same customer had asked for."""
    remembered: tuple[FieldName, ...] = ()
    """Fields not asked because the agent took them from an earlier contact."""
    identified_before_heard: bool = False
    """Who the customer is was asked before what they wanted was heard."""
    policies_recited: tuple[PolicyRecited, ...] = ()
    """Each line that recited a policy instead of solving the problem, when it was said."""
    conferences: tuple[Conference, ...] = ()
    """Colleagues brought into the contact while its agent stayed (not transfers)."""
    follow_ups: tuple[FollowUp, ...] = ()
    """Mails the company wrote on its own after the contact, about its promise."""

    @property
    def ivr_depth(self) -> int:
        """Menu key presses before a person joined."""
        joined = self.agents[0].at if self.agents else None
        return sum(1 for choice in self.ivr_choices if joined is None or choice.at <= joined)

    @property
    def hold_time(self) -> float:
        """Seconds on hold, queue and mid-conversation alike."""
        return sum(hold.seconds(self.ended_at) for hold in self.holds)

    def hold_time_of(self, kind: HoldKind) -> float:
        """Seconds on hold of one kind (``queue``, ``transfer``, ``mid_conversation``)."""
        return sum(hold.seconds(self.ended_at) for hold in self.holds if hold.kind == kind)

    @property
    def recaptures(self) -> int:
        """Requests for a field beyond the first, summed over fields."""
        return sum(max(count - 1, 0) for count in self.fields_asked.values())

    @property
    def claimed_resolved(self) -> bool | None:
        """What the company claimed: True resolved, False not, None nothing claimed."""
        if self.claimed_outcome is None or self.claimed_outcome == "silent":
            return None
        return self.claimed_outcome == "resolved"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, with the derived metrics alongside the raw record."""
        record: dict[str, Any] = _jsonable(dataclasses.asdict(self))
        record["fields_asked"] = dict(sorted(self.fields_asked.items()))
        record.update(
            ivr_depth=self.ivr_depth,
            hold_time=self.hold_time,
            queue_hold_time=self.hold_time_of("queue"),
            transfer_count=len(self.transfers),
            escalation_count=len(self.escalations),
            recaptures=self.recaptures,
            recaptures_across_contacts=len(self.recaptured_across_contacts),
            claimed_resolved=self.claimed_resolved,
            policy_recitals=len(self.policies_recited),
            conference_count=len(self.conferences),
            followed_up=bool(self.follow_ups),
        )
        return record


def _jsonable(value: Any) -> Any:
    """Tuples become lists, recursively, so the dict equals its JSON round trip."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


class ContactRecord:
    """The live, thread-safe record one conversation writes its truth into."""

    def __init__(self, truth: ContactTruth) -> None:
        self._truth = truth
        self._lock = threading.Lock()
        self._delivered: dict[float, float] = {}

    def delivered(self, due: float, at: float) -> None:
        """The outputs due at ``due`` reached the customer at ``at``: retime what they stamped.

        The script stamps an event with its output's due time when it schedules it; a server
        that is busy delivers the output a little later, and the customer waits until then.
        Every company-side stamp equal to ``due`` moves to ``at``, and so does any made later.
        """
        if at == due:
            return
        with self._lock:
            self._delivered[due] = at
            self._truth = _retimed(self._truth, {due: at})

    def _when(self, at: float) -> float:
        return self._delivered.get(at, at)

    @property
    def contact_id(self) -> str:
        return self._truth.contact_id

    def snapshot(self) -> ContactTruth:
        """The contact as it stands now (an immutable copy)."""
        with self._lock:
            return self._truth

    def update(self, **changes: Any) -> None:
        """Replace some attributes of the truth."""
        with self._lock:
            self._truth = dataclasses.replace(self._truth, **changes)

    def append(self, attribute: str, item: object) -> None:
        """Add one item to a tuple attribute (``holds``, ``agents``, ``transfers`` ...)."""
        with self._lock:
            if attribute in _STAMPED:  # stamped after its output went out: at its delivery
                item = _moved(item, self._delivered)
            current: tuple[object, ...] = getattr(self._truth, attribute)
            changes: dict[str, Any] = {attribute: (*current, item)}
            self._truth = dataclasses.replace(self._truth, **changes)

    def field_asked(self, name: FieldName) -> None:
        """Count one more request for a field."""
        with self._lock:
            counts = dict(self._truth.fields_asked)
            counts[name] = counts.get(name, 0) + 1
            self._truth = dataclasses.replace(self._truth, fields_asked=counts)

    def hold_started(self, kind: HoldKind, at: float) -> None:
        self.append("holds", HoldInterval(kind, at))

    def hold_ended(self, at: float) -> None:
        """Close the open hold, if any."""
        with self._lock:
            at = self._when(at)
            holds = list(self._truth.holds)
            for index in range(len(holds) - 1, -1, -1):
                if holds[index].ended_at is None:
                    holds[index] = dataclasses.replace(holds[index], ended_at=at)
                    break
            self._truth = dataclasses.replace(self._truth, holds=tuple(holds))

    def ended(self, at: float, by: EndedBy) -> None:
        """The contact is over: close any open hold and stamp the end once."""
        if self.snapshot().ended_at is not None:
            return
        at = self._when(at)
        self.hold_ended(at)
        self.update(ended_at=at, ended_by=by)


_STAMPED: tuple[str, ...] = (
    "holds",
    "agents",
    "transfers",
    "escalations",
    "references",
    "promises",
    "policies_recited",
    "conferences",
    "follow_ups",
)
"""The tuples whose items carry the time of a company output (IVR choices are the caller's)."""


def _moved(item: Any, moves: Mapping[float, float]) -> Any:
    """One stamped item (a hold, an agent joining, a transfer ...) with its stamps moved."""
    if isinstance(item, HoldInterval):
        started_at = moves.get(item.started_at, item.started_at)
        ended_at = None if item.ended_at is None else moves.get(item.ended_at, item.ended_at)
        return dataclasses.replace(item, started_at=started_at, ended_at=ended_at)
    return dataclasses.replace(item, at=moves.get(item.at, item.at))


def _retimed(truth: ContactTruth, moves: Mapping[float, float]) -> ContactTruth:
    """The truth with every company-side stamp found in ``moves`` moved to its delivery."""

    def move(at: float | None) -> float | None:
        return None if at is None else moves.get(at, at)

    changes: dict[str, Any] = {
        name: tuple(_moved(item, moves) for item in getattr(truth, name)) for name in _STAMPED
    }
    return dataclasses.replace(
        truth,
        **changes,
        ended_at=truth.ended_at if truth.ended_by == "customer" else move(truth.ended_at),
        channel_switch_offered_at=move(truth.channel_switch_offered_at),
        claimed_at=move(truth.claimed_at),
    )


class TruthLog:
    """Every contact of the sandbox's lifetime, readable while conversations run."""

    def __init__(self) -> None:
        self._records: dict[str, ContactRecord] = {}
        self._lock = threading.Lock()

    def add(self, record: ContactRecord) -> None:
        """Keep a conversation's record (done by :class:`~.conversation.Conversation`)."""
        with self._lock:
            self._records[record.contact_id] = record

    def truths(self, customer: str | None = None) -> list[ContactTruth]:
        """Every contact, or one customer's, in the order they started."""
        with self._lock:
            records = list(self._records.values())
        snapshots = [record.snapshot() for record in records]
        return [
            truth
            for truth in sorted(snapshots, key=lambda truth: (truth.started_at, truth.contact_id))
            if customer is None or truth.customer == customer
        ]

    def contacts(self, customer: str | None = None) -> list[dict[str, Any]]:
        """The same as :meth:`truths`, as JSON-ready dicts (for the sandbox's truth endpoint)."""
        return [truth.to_dict() for truth in self.truths(customer)]

    def get(self, contact_id: str) -> ContactTruth | None:
        """One contact by id."""
        with self._lock:
            record = self._records.get(contact_id)
        return None if record is None else record.snapshot()

    def clear(self) -> None:
        """Forget every contact (between test runs)."""
        with self._lock:
            self._records.clear()
