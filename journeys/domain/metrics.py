"""Every metric, computed from timelines in exactly this one place.

Definitions follow DESIGN.md: transfers and escalations are counted apart; hold
time sums hold intervals (a hold still open when the contact ended counts up to
that end); IVR depth counts menu choices before reaching a person; recaptures
count, per field, the requests beyond the first, over the whole journey; of those, the
recaptures across contacts are the ones a new contact cost: a field asked for in a
contact that an earlier contact of the journey had asked for already, once per contact.
A contact identified the customer before hearing them when the company asked who they are
(an identifying field) before the customer had said why they came.
Policy recitals count the lines in which the company recited a policy of its own ("Our policy
is that ...") to a customer who came to have a problem solved.
Conferences count the colleagues an agent brought into the contact while staying with the
customer; they are not transfers. A journey was kept, not passed on, when it needed another
department and got it only by conferences: no transfer and no escalation.
A contact was followed up when, after it had closed, the company wrote again on its own about
what it had promised; it is measured only where the journey looked for that (a follow-up that
never came is then a no), and by the promise when it came by the day the promise named.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from journeys.domain.timeline import Contact, Event, EventKind, Timeline

Outcome = Literal["resolved", "answered_honestly", "misinformed", "unresolved"]
"""What the customer ended up with, told apart by what the harness checked:

- ``resolved``: done, verified where the journey checked it (else as the company said);
- ``answered_honestly``: a definitive no with its reason, which a check showed true
  (out of warranty and no case opened; too late to cancel and the order indeed not cancelled);
- ``misinformed``: told something a check showed false ("cancelled" when it was not, a case
  number listed nowhere, "expired" for a purchase the journey knows is inside its warranty);
- ``unresolved``: anything else (a no without a checked reason, "call back later", silence).
"""
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

IDENTIFYING_FIELDS = frozenset({"name", "email", "phone", "order_number", "account_number"})
"""The fields that say who the customer is, not what their problem is."""


@dataclass(frozen=True)
class ContactMetrics:
    """What one contact cost the customer, and what they got from it."""

    transfers: int
    escalations: int
    hold_time: float
    time_to_agent: float | None
    queue_time: float
    ivr_depth: int
    fields_requested: dict[str, int]
    recaptures: int
    handle_time: float | None
    references: tuple[str, ...]
    promises: tuple[str, ...]
    satisfaction_checked: bool
    channel_switch_offered: bool
    claimed_resolved: bool | None
    first_response: float | None = None
    """Seconds from the customer's first message to the company's next words (an e-mail's
    answer); None when the customer wrote nothing or nobody answered."""
    identified_before_heard: bool = False
    """The company asked who the customer is before they could say why they came (in words,
    or by a phone menu's choice)."""
    policy_recitals: int | None = 0
    """Lines in which the company recited a policy instead of solving the problem; None when
    the company profile has no pattern to read them by (not measured)."""
    conferences: int | None = 0
    """Times an agent brought a colleague or another department in and stayed (not transfers);
    None when the company profile has no pattern to read them by (not measured)."""
    followed_up: bool | None = None
    """After the contact, the company wrote again on its own about its promise; False when the
    journey looked and none came; None when it did not look (nothing promised, or not asked)."""
    followed_up_by_promise: bool | None = None
    """The follow-up came by the day the promise named (False: late, or never while looked for);
    None when not looked for, or when the promise named no day the harness could read."""


@dataclass(frozen=True)
class JourneyMetrics:
    """The journey as a whole: sums over contacts, and resolution as verified."""

    contacts: int
    transfers: int
    escalations: int
    hold_time: float
    time_to_agent: float | None
    queue_time: float
    ivr_depth: int
    recaptures: int
    recaptures_by_field: dict[str, int]
    handle_time: float
    time_to_resolution: float | None
    first_contact_resolution: bool
    claimed_resolved: bool | None
    verified_resolved: bool | None
    reference_given: bool
    promise_made: bool
    satisfaction_checked: bool
    channel_switch_offered: bool
    first_response: float | None = None
    """The first problem contact's: how long the customer waited for an answer to what they wrote."""
    recaptures_across_contacts: int = 0
    """Of ``recaptures``, the fields a contact asked for that an earlier contact had asked for:
    what the customer repeated because the company forgot them between contacts (channels)."""
    outcome: Outcome = "unresolved"
    outcome_reason: str = ""
    """The outcome in a leader's words: the company's reason for an honest no, what was false."""
    first_contact_answer: bool = False
    """The first problem contact settled it: resolved there, or answered there with an honest no."""
    identified_before_heard: bool = False
    """In some contact, the company asked who the customer is before hearing why they came."""
    policy_recitals: int | None = 0
    """Lines in which the company recited a policy instead of solving the problem, over the
    journey; None when some contact could not measure them (the profile has no pattern)."""
    conferences: int | None = 0
    """Times an agent brought a colleague or another department in and stayed, over the journey;
    None when some contact could not measure them (the profile has no pattern)."""
    kept_not_passed_on: bool | None = None
    """Where another department was needed: True when it was only brought in (conferences, no
    transfer or escalation), False when the customer was handed on; None when no other
    department was needed."""
    followed_up: bool | None = None
    """Every contact the journey watched for a follow-up got one; None when it watched none."""
    followed_up_by_promise: bool | None = None
    """Every follow-up watched for came by its promise's day; None when none could be judged."""


@dataclass(frozen=True)
class RefusalCheck:
    """An independent check of a no: whether what the company refused for was true.

    Attributes:
        true: the check bore the no out (no case opened for a purchase out of warranty).
        observed: what the check saw, in words, for the outcome's reason.
    """

    true: bool
    observed: str


def journey_outcome(
    claimed: bool | None,
    claim_words: str,
    *,
    verified_resolved: bool | None,
    verified_words: str = "",
    refusal: RefusalCheck | None = None,
) -> tuple[Outcome, str]:
    """The journey's outcome and its reason, from the last claim and the checks after it.

    A check of the no (``refusal``) decides first: the journey ran it after the company said
    no. Then the check of the fix; with no check, the company's word stands for a fix and a
    no stays unresolved (nothing showed it was a true, final answer).
    """
    said = f"the company said {claim_words!r}" if claim_words else "the company said so"
    if refusal is not None:
        if refusal.true:
            return "answered_honestly", claim_words or refusal.observed
        return "misinformed", f"{said}, but {refusal.observed}"
    if verified_resolved:
        return "resolved", "checked"
    if verified_resolved is False and claimed:
        return "misinformed", f"{said}, but the check showed {verified_words or 'otherwise'}"
    if verified_resolved is None and claimed:
        return "resolved", "as the company said; not checked"
    if claimed is False:
        return "unresolved", claim_words or "the company said no"
    return "unresolved", "no outcome was stated"


def first_response(timeline: Timeline) -> float | None:
    """Seconds from the customer's first message to the first thing the company said after it."""
    sent = timeline.of_kind(EventKind.MESSAGE_SENT)
    if not sent:
        return None
    answers = [event.at for event in timeline.of_kind(EventKind.MESSAGE_RECEIVED) if event.at >= sent[0].at]
    return min(answers) - sent[0].at if answers else None


def asked_who_before_why(events: Iterable[Event]) -> Event | None:
    """The first request for an identifying field made before the customer said why they came:
    in their opening message, or by choosing from a phone menu ("for cancelling an order, press
    3" tells the company why; what is asked after it is asked of a customer it has heard).
    Answers to questions say nothing of why the customer came.
    """
    for event in events:
        if (event.kind is EventKind.MESSAGE_SENT and event.opening) or event.kind is EventKind.MENU_CHOICE:
            return None
        if event.kind is EventKind.INFO_REQUESTED and event.field_name in IDENTIFYING_FIELDS:
            return event
    return None


def kept_not_passed_on(per_contact: Sequence[ContactMetrics]) -> bool | None:
    """Whether the customer was kept when another department was needed: brought in by
    conferences only (True), or handed on by a transfer or an escalation (False); None when
    nobody else was needed."""
    if any(m.conferences is None for m in per_contact):
        return None  # a conference could not be seen: only a hand-off could, never the better way
    handed_on = sum(m.transfers + m.escalations for m in per_contact)
    if handed_on:
        return False
    return True if any(m.conferences for m in per_contact) else None


def hold_time(timeline: Timeline) -> float:
    """Seconds spent holding, pairing each start with the next end."""
    total = 0.0
    hold_start: float | None = None
    last_seen: float | None = None
    for event in timeline:
        last_seen = event.at
        if event.kind is EventKind.HOLD_STARTED and hold_start is None:
            hold_start = event.at
        elif event.kind is EventKind.HOLD_ENDED and hold_start is not None:
            total += event.at - hold_start
            hold_start = None
    if hold_start is not None and last_seen is not None:
        total += last_seen - hold_start
    return total


def queue_time(timeline: Timeline) -> float:
    """Seconds on hold before the first person joined (all of it if nobody did)."""
    before = Timeline()
    for event in timeline:
        if event.kind is EventKind.AGENT_JOINED:
            before.record(event)  # closes a hold still open when the person joined
            break
        before.record(event)
    return hold_time(before)


def at_real_pace(elapsed: float, waited: float, time_scale: float) -> float:
    """A span measured on a company run faster than real time, at its real pace.

    Only the company's waits (queues, holds, reply delays) were shortened; the
    customer's own actions took as long as they take. So the waits inside the span
    are scaled back, and the rest is kept.
    """
    return elapsed - waited + waited / time_scale


def ivr_depth(timeline: Timeline) -> int:
    """Menu choices made before a person (or the end of the contact) was reached."""
    depth = 0
    for event in timeline:
        if event.kind is EventKind.AGENT_JOINED:
            break
        if event.kind is EventKind.MENU_CHOICE:
            depth += 1
    return depth


def fields_requested(timelines: Sequence[Timeline]) -> Counter[str]:
    """How many times each field was asked for, over the given timelines."""
    return Counter(
        event.field_name
        for timeline in timelines
        for event in timeline.of_kind(EventKind.INFO_REQUESTED)
        if event.field_name
    )


def recaptures_by_field(requests: Counter[str]) -> dict[str, int]:
    """Requests beyond the first, per field; fields asked once are left out."""
    return {name: count - 1 for name, count in sorted(requests.items()) if count > 1}


def recaptures_across_contacts(timelines: Sequence[Timeline]) -> int:
    """Fields asked for in a contact that an earlier one had asked for, each once per contact.

    Asking again within a contact (a cold transfer, a bad answer) is not counted here: it is
    the rest of the journey's recaptures.
    """
    contacts_asking = Counter(field for timeline in timelines for field in fields_requested([timeline]))
    return sum(count - 1 for count in contacts_asking.values())


def measure_contact(contact: Contact) -> ContactMetrics:
    """The metrics of one contact."""
    timeline = contact.timeline
    agents = timeline.of_kind(EventKind.AGENT_JOINED)
    started, ended = contact.started_at, contact.ended_at
    outcomes = timeline.of_kind(EventKind.OUTCOME)
    requests = fields_requested([timeline])
    return ContactMetrics(
        transfers=len(timeline.of_kind(EventKind.TRANSFERRED)),
        escalations=len(timeline.of_kind(EventKind.ESCALATED)),
        hold_time=hold_time(timeline),
        time_to_agent=(agents[0].at - started) if agents and started is not None else None,
        queue_time=queue_time(timeline),
        ivr_depth=ivr_depth(timeline),
        fields_requested=dict(sorted(requests.items())),
        recaptures=sum(recaptures_by_field(requests).values()),
        handle_time=(ended - started) if started is not None and ended is not None else None,
        references=tuple(dict.fromkeys(timeline.references())),  # read out twice: one reference
        promises=tuple(event.text for event in timeline.of_kind(EventKind.PROMISE_MADE)),
        satisfaction_checked=bool(timeline.of_kind(EventKind.SATISFACTION_CHECK)),
        channel_switch_offered=bool(timeline.of_kind(EventKind.CHANNEL_SWITCH_OFFERED)),
        claimed_resolved=outcomes[-1].resolved if outcomes else None,
        first_response=first_response(timeline),
        identified_before_heard=asked_who_before_why(timeline) is not None,
        policy_recitals=_unless_unmeasured(contact, "policy_recitals", EventKind.POLICY_RECITED),
        conferences=_unless_unmeasured(contact, "conferences", EventKind.CONFERENCED),
        **follow_up(contact),
    )


def _unless_unmeasured(contact: Contact, metric: str, kind: EventKind) -> int | None:
    """How many events of ``kind`` the contact saw, or None where it could not see them."""
    return None if metric in contact.unmeasured else len(contact.timeline.of_kind(kind))


def sum_measured(values: Iterable[int | None]) -> int | None:
    """The sum over contacts, or None when one of them did not measure it (a profile without the
    pattern cannot tell none from unseen)."""
    counted = list(values)
    return None if any(value is None for value in counted) else sum(value or 0 for value in counted)


def follow_up(contact: Contact) -> dict[str, bool | None]:
    """Whether the company followed the contact up, and by its promise: measured only where the
    journey looked for a follow-up after the contact (:attr:`Contact.follow_up_awaited`)."""
    if not contact.follow_up_awaited:
        return {"followed_up": None, "followed_up_by_promise": None}
    came = contact.timeline.of_kind(EventKind.FOLLOWED_UP)
    if not came:
        return {"followed_up": False, "followed_up_by_promise": False}
    return {"followed_up": True, "followed_up_by_promise": came[0].by_promise}


def all_of(values: Iterable[bool | None]) -> bool | None:
    """True when every known value is, False when one is not, None when none is known."""
    known = [value for value in values if value is not None]
    return all(known) if known else None


def measure_journey(
    contacts: Sequence[Contact],
    *,
    verified_resolved: bool | None,
    verified_at: float | None,
    verified_words: str = "",
    checked_claim: tuple[bool, str] | None = None,
    refusal: RefusalCheck | None = None,
) -> JourneyMetrics:
    """The metrics of a journey.

    Args:
        contacts: the journey's contacts in the order they happened. Resolution is
            timed from the first contact that is not setup, and first-contact
            resolution means that contact both claimed and achieved it.
        verified_resolved: what the harness saw through an independent channel, or
            None when the journey verified nothing.
        verified_at: when that verification was made.
        verified_words: what that verification saw, for a misinformed outcome's reason.
        checked_claim: whether the company said it did the very thing verified, and its
            words, when the journey knows it; else the last claim of the journey's problem
            contacts stands for it. An order's status given on social ("placed", true then)
            is no claim that a later call cancelled it.
        refusal: the check of a no the company gave, when the journey ran one.

    Claims are read from the problem contacts only: placing the order that a journey then
    cancels ("order placed") says nothing of the cancellation, and taking it for the
    company's word on it made a call that never reached an agent "misinformed".
    """
    per_contact = [measure_contact(contact) for contact in contacts]
    requests = fields_requested([contact.timeline for contact in contacts])
    by_field = recaptures_by_field(requests)
    problem = [(contact, m) for contact, m in zip(contacts, per_contact, strict=True) if not contact.setup]
    claiming = problem or list(zip(contacts, per_contact, strict=True))
    claimed = next(
        (m.claimed_resolved for _, m in reversed(claiming) if m.claimed_resolved is not None),
        None,
    )
    first_claim = next((index for index, (_, m) in enumerate(problem) if m.claimed_resolved), None)
    problem_started_at = problem[0][0].started_at if problem else None
    resolved = verified_resolved if verified_resolved is not None else claimed
    claims = [event for contact, _ in claiming for event in contact.timeline.of_kind(EventKind.OUTCOME)]
    outcome, reason = journey_outcome(
        *(checked_claim or (claimed, claims[-1].text if claims else "")),
        verified_resolved=verified_resolved,
        verified_words=verified_words,
        refusal=refusal,
    )
    first_contact_resolution = bool(resolved) and first_claim == 0
    return JourneyMetrics(
        contacts=len(contacts),
        transfers=sum(m.transfers for m in per_contact),
        escalations=sum(m.escalations for m in per_contact),
        hold_time=sum(m.hold_time for m in per_contact),
        time_to_agent=next((m.time_to_agent for _, m in problem if m.time_to_agent is not None), None),
        queue_time=next((m.queue_time for _, m in problem if m.time_to_agent is not None), 0.0),
        ivr_depth=sum(m.ivr_depth for m in per_contact),
        recaptures=sum(by_field.values()),
        recaptures_by_field=by_field,
        recaptures_across_contacts=recaptures_across_contacts([contact.timeline for contact in contacts]),
        handle_time=sum(m.handle_time or 0.0 for m in per_contact),
        time_to_resolution=(
            verified_at - problem_started_at
            if verified_resolved and verified_at is not None and problem_started_at is not None
            else None
        ),
        first_contact_resolution=first_contact_resolution,
        claimed_resolved=claimed,
        verified_resolved=verified_resolved,
        reference_given=any(m.references for m in per_contact),
        promise_made=any(m.promises for m in per_contact),
        satisfaction_checked=any(m.satisfaction_checked for m in per_contact),
        channel_switch_offered=any(m.channel_switch_offered for m in per_contact),
        first_response=problem[0][1].first_response if problem else None,
        outcome=outcome,
        outcome_reason=reason,
        first_contact_answer=first_contact_resolution
        or (outcome == "answered_honestly" and bool(problem) and problem[0][1].claimed_resolved is False),
        identified_before_heard=any(m.identified_before_heard for m in per_contact),
        policy_recitals=sum_measured(m.policy_recitals for m in per_contact),
        conferences=sum_measured(m.conferences for m in per_contact),
        kept_not_passed_on=kept_not_passed_on(per_contact),
        followed_up=all_of(m.followed_up for m in per_contact),
        followed_up_by_promise=all_of(m.followed_up_by_promise for m in per_contact),
    )
