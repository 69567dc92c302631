"""What a customer expects, checked from their side; unmet ones become findings.

Outcomes are verified through an independent channel (the order page), never
taken from the company's word alone.
"""

from __future__ import annotations

import datetime as dt

from journeys.company.profile import DECLINED_PATTERN, FOLLOW_UP_PATTERN
from journeys.domain.metrics import at_real_pace, measure_contact
from journeys.domain.promises import NAMED_DAY
from journeys.domain.timeline import Contact, EventKind
from journeys.errors import ConfigError, StepUsageError
from journeys.journey import tasks
from journeys.journey.actor import Journey


def order_number_given(journey: Journey) -> None:
    """The company handed over an order number."""
    journey.expect(
        "order_number" in journey.facts,
        expectation="I am given an order number",
        observed=journey.facts.get("order_number_missing_because", "no order number was shown"),
    )


def order_has_shipping(journey: Journey, shipping_method: str) -> None:
    """The order exists, and its page shows the shipping method chosen.

    An order asked for in a conversation that gave no number and never said the order was
    placed is no order, from the customer's side (purgatory's Orders desk asks a new customer
    for an order number, and the customer has none to give): a finding. Where the company did
    say it placed one, a number the customer did not make out (a call's recogniser may have
    missed it) leaves nothing to check, and the journey breaks rather than blame the company.
    """
    if "order_number" not in journey.facts and journey.facts.get("order_claimed") == "no":
        why = journey.facts.get("order_number_missing_because", "")
        journey.expect(
            False,
            expectation=f"my order exists with {shipping_method} shipping",
            observed=f"no order was placed: the company gave no order number and never said it"
            f" placed one ({why})",
        )
        return
    order_number = journey.fact("order_number", needed_for="check the order", channel="web")
    page = journey.web.open_order(order_number)
    shown = page.shipping_method or "no shipping method"
    passed = shown.casefold() == shipping_method.casefold()
    heard_on = journey.facts.get("order_number_heard_on")
    if page.found or heard_on is None:
        journey.verify(
            f"order {order_number} ships {shipping_method}",
            expected=shipping_method,
            observed=shown,
            passed=passed,
            channel="web",
        )
    # else no check of the company's word: a number heard on a call that finds no order may
    # be a digit the recogniser got wrong, which would make an honest "order placed" a lie
    observed = f"the order page of {order_number} shows {shown!r}" if page.found else page.status
    if not page.found and heard_on is not None:
        observed += f" (the number as heard on the {heard_on}: the company's claim is not checked)"
    journey.expect(passed, expectation=f"my order exists with {shipping_method} shipping", observed=observed)


def order_cancelled(journey: Journey) -> None:
    """The order page shows the order as cancelled, whatever the company claimed."""
    order_number = journey.fact("order_number", needed_for="check the cancellation", channel="web")
    page = journey.web.open_order(order_number)
    assert journey.company.web is not None  # open_order needs it
    cancelled = journey.company.web.patterns.get("cancelled_status")
    if cancelled is None:
        raise ConfigError(
            f"{journey.company.place('web.patterns')}: web.patterns: no 'cancelled_status' pattern"
            " to tell a cancelled order's status by"
        )
    passed = bool(page.found and cancelled.search(page.status))
    said = journey.facts.get("cancellation_claimed")
    answer = journey.facts.get("cancellation_answer")
    journey.verify(
        f"order {order_number} cancelled",
        expected="cancelled",
        observed=page.status,
        passed=passed,
        channel="web",
        claimed=None if said is None else said == "yes",
        claim=answer or "",
    )
    if not passed and said == "no" and _declined(journey, answer or ""):
        journey.verify(
            f"order {order_number} could not be cancelled, as the company said",
            expected="not cancelled",
            observed=f"the order page of {order_number} shows {page.status!r}",
            passed=page.found,
            channel="web",
            kind="refusal",
        )
    journey.expect(
        passed,
        expectation="my order is cancelled",
        observed=(
            f"the order could not be cancelled: its page shows {page.status!r}"
            + (f"; the company said: {answer}" if answer else "")
        ),
    )


def return_registered(journey: Journey) -> None:
    """The return number the company gave is listed on the order's own page."""
    given = journey.facts.get("return_reference")
    if given is None:
        journey.expect(False, expectation="my return is registered", observed="no return number was given")
        return
    listed = _listed_on_order(journey, given, what="return")
    journey.expect(
        given in listed,
        expectation="my return is registered",
        observed=f"the company gave {given}, but the company's pages list "
        + (", ".join(listed) if listed else "no returns"),
    )


def warranty_claim_registered(journey: Journey) -> None:
    """The warranty case number the company gave is listed on the order's own page."""
    given = journey.facts.get("warranty_reference")
    expectation = "my warranty claim is registered"
    if given is None:
        answer = journey.facts.get("warranty_answer")
        observed = "no case number was given" + (f"; the company said: {answer}" if answer else "")
        _check_without_case(journey, answer or "", due="a case")
        journey.expect(False, expectation=expectation, observed=observed)
        return
    listed = _listed_on_order(journey, given, what="warranty case")
    journey.expect(
        given in listed,
        expectation=expectation,
        observed=f"the company gave {given}, but the company's pages list "
        + (", ".join(listed) or "no claims"),
    )


def told_out_of_warranty(journey: Journey) -> None:
    """An honest no: the company says the warranty is over and opens no case it would not honour.

    A case number given anyway is looked up on the order page: a real case is the
    company being generous (the expectation is still unmet, its policy was not told);
    a number that exists nowhere is a false resolution, which is what this catches.
    """
    given = journey.facts.get("warranty_reference")
    expectation = "I am told honestly that it is out of warranty"
    if given is not None:
        listed = _listed_on_order(journey, given, what="warranty case")
        observed = (
            f"the company opened warranty case {given} instead"
            if given in listed
            else f"the company said it opened warranty case {given}, which its pages do not list"
        )
        journey.expect(False, expectation=expectation, observed=observed)
        return
    answer = journey.facts.get("warranty_answer", "")
    claimed = _claimed(journey)
    _check_without_case(journey, answer, due="a no")
    journey.expect(
        claimed is False,
        expectation=expectation,
        observed="the company said the claim was handled, with no case number"
        if claimed
        else f"no clear answer came; the last words were: {answer or 'none'}",
    )


def _check_without_case(journey: Journey, answer: str, *, due: str) -> None:
    """Check a warranty answer that came without a case number against what the journey knows.

    The journey says what the customer is due: the purchase was chosen inside its warranty
    (``due="a case"``) or past it (``due="a no"``). A definitive no is then true or false;
    "done" with no case number is false either way. A put-off or silence checks nothing.
    """
    claimed = _claimed(journey)
    if claimed:
        journey.verify(
            "warranty case opened",
            expected="a case number",
            observed="no case number was given",
            passed=False,
            channel="web",
        )
    elif claimed is False and _declined(journey, answer):
        true = due == "a no"
        journey.verify(
            "a warranty claim declined, no case opened",
            expected=due,
            observed="the purchase is past its warranty and no case was opened"
            if true
            else "the purchase is inside its warranty: the journey expects the claim registered",
            passed=true,
            channel="web",
            kind="refusal",
        )


def _declined(journey: Journey, answer: str) -> bool:
    """Whether the company's words are a definitive no with its reason, not a put-off.

    Read with the profile's ``outcome_declined`` patterns and the web shop's
    ``cancel_refused``; a profile that writes neither has every no count as definitive.
    """
    conversation = journey.company.conversation
    written = list(conversation.patterns.get(DECLINED_PATTERN, ())) if conversation else []
    web = journey.company.web
    if web is not None and "cancel_refused" in web.patterns:
        written.append(web.patterns["cancel_refused"])
    return not written or any(pattern.search(answer) for pattern in written)


def repair_booked(journey: Journey) -> None:
    """The repair reference exists on the company's tracking page, on the day promised."""
    given = journey.facts.get("repair_reference")
    expectation = "my repair is booked"
    if given is None:
        answer = journey.facts.get("repair_answer")
        observed = "no repair reference was given" + (f"; the company said: {answer}" if answer else "")
        journey.expect(False, expectation=expectation, observed=observed)
        return
    page = journey.web.repair_booking(given)
    journey.verify(
        f"repair {given} booked",
        expected=given,
        observed=f"visit {page.visit}" if page.found else "no such repair",
        passed=page.found,
        channel="web",
    )
    if not page.found:
        journey.expect(False, expectation=expectation, observed=f"the tracking page knows no repair {given}")
        return
    promised = _promised_day(journey)
    kept = promised is None or page.visit is None or _same_day(promised, page.visit)
    journey.expect(
        kept,
        expectation=expectation,
        observed=f"the engineer was promised for {promised}, but the booking says {page.visit}",
    )


def _listed_on_order(journey: Journey, reference: str, *, what: str) -> list[str]:
    """The returns and claims the company lists, with a verification of ``reference`` among them.

    The profile's ``list_aftercare`` flow says where to look: the order's page, or, for a
    company the customer reaches only by its desk or by mail, the case's own page (the
    facts ``ticket`` and ``mail_link``), where a desk links the cases it really opened.
    """
    known = {name: journey.facts[name] for name in CASE_PAGES if name in journey.facts}
    if "order_number" not in known and not known.keys() & {"ticket", "mail_link"}:
        journey.fact("order_number", needed_for=f"check the {what}", channel="web")
    listed = journey.web.aftercare_references(known)
    journey.verify(
        f"{what} {reference} listed by the company",
        expected=reference,
        observed=", ".join(listed) or f"no {what}s listed",
        passed=reference in listed,
        channel="web",
    )
    return listed


CASE_PAGES = ("order_number", "ticket", "mail_link")
"""What ``list_aftercare`` may look a case up by: the order, the desk's ticket page, a mail's link."""


def _promised_day(journey: Journey) -> str | None:
    """The day the last problem contact promised ("Monday 7 December"), if it named one."""
    contacts = _problem_contacts(journey)
    if not contacts:
        return None
    for event in reversed(contacts[-1].timeline.of_kind(EventKind.PROMISE_MADE)):
        found = NAMED_DAY.search(event.text)
        if found:
            return found.group(0)
    return None


def _same_day(spoken: str, iso_day: str) -> bool:
    """Whether "Monday 7 December" names the ISO day ``2026-12-07`` (the year is not said)."""
    found = NAMED_DAY.search(spoken)
    try:
        day = dt.date.fromisoformat(iso_day.strip())
    except ValueError:
        return spoken.strip() in iso_day  # a page that shows the day in words
    return (
        found is not None
        and int(found.group(1)) == day.day
        and found.group(2).casefold() == f"{day:%B}".casefold()
    )


def _problem_contacts(journey: Journey) -> list[Contact]:
    return [contact for contact in journey.contacts if not contact.setup]


def _claimed(journey: Journey) -> bool | None:
    """What the company said of the outcome in the last contact about the problem, if anything."""
    problem = _problem_contacts(journey)
    return measure_contact(problem[-1]).claimed_resolved if problem else None


def reference_given(journey: Journey) -> None:
    """A reference was handed over about the problem (not the order placed to set it up)."""
    references = [
        reference
        for contact in _problem_contacts(journey)
        for reference in measure_contact(contact).references
    ]
    journey.expect(
        bool(references),
        expectation="I am given a reference number",
        observed="no reference number was given",
    )


def answered(journey: Journey) -> None:
    """The last contact ended with the company answering (by its own claim)."""
    claimed = _claimed(journey)
    journey.expect(
        claimed is True,
        expectation="my question is answered",
        observed="the company did not answer" if claimed is None else "the company said it could not help",
    )


# --- Expectations over the timeline's metrics -------------------------------------------
# Times are judged at the company's real pace: a demo company run faster (time_scale < 1)
# has its measured waits divided by the scale, as the scoring does.

COUNT_WORDS = {"never": 0, "once": 1, "twice": 2}


def count_of(words: str) -> int:
    """ "once", "twice", "3 times", "never" -> a number."""
    words = words.strip()
    if words in COUNT_WORDS:
        return COUNT_WORDS[words]
    number = words.split(" ", 1)[0]
    if number.isdigit():
        return int(number)
    raise StepUsageError(f"not a number of times: {words!r}; say once, twice, or '3 times'")


def duration_words(words: str) -> str:
    """A duration as the feature file writes it ("2 minutes"), once :func:`seconds_of` reads it.

    Steps convert their durations with it, so that ``check``, and ``run`` before its
    first journey, refuse "two minutes" at its line instead of the journey at its end.
    """
    seconds_of(words)
    return words


def seconds_of(words: str) -> float:
    """ "2 minutes", "30 seconds", "90 s", "1 hour" -> seconds."""
    number, _, unit = words.strip().partition(" ")
    units = {"s": 1, "second": 1, "seconds": 1, "minute": 60, "minutes": 60, "hour": 3600, "hours": 3600}
    try:
        return float(number) * units[unit.strip()]
    except (ValueError, KeyError):
        raise StepUsageError(
            f"not a duration: {words!r}; say for example '30 seconds', '2 minutes' or '1 hour'"
        ) from None


def _real(journey: Journey, seconds: float) -> float:
    return seconds / journey.identity.time_scale


def _times(count: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def resolved(journey: Journey) -> None:
    """The problem is resolved, over however many contacts: as verified where a check ran,
    else as the company claimed (so write it after the step that checks the outcome)."""
    metrics = journey.metrics()
    verified = metrics.verified_resolved
    journey.expect(
        bool(verified if verified is not None else metrics.claimed_resolved),
        expectation="my problem is resolved",
        observed="the company said it was resolved, but the check showed it was not"
        if verified is False and metrics.claimed_resolved
        else "it was not resolved",
    )


def resolved_in_one_contact(journey: Journey) -> None:
    """First-contact resolution: the first contact about the problem solved it, verified."""
    metrics = journey.metrics()
    problem = len(_problem_contacts(journey))
    journey.expect(
        metrics.first_contact_resolution,
        expectation="my problem is resolved in one contact",
        observed=(
            "it was not resolved"
            if not (metrics.verified_resolved or metrics.claimed_resolved)
            else f"it took {problem} contacts"
            if problem > 1
            else "the company said it was resolved, but that could not be verified"
        ),
    )


def transferred_at_most(journey: Journey, count: int) -> None:
    """No more transfers than the customer will accept (escalations are counted apart)."""
    transfers = journey.metrics().transfers
    journey.expect(
        transfers <= count,
        expectation=f"I am transferred at most {_times(count)}",
        observed=f"I was transferred {_times(transfers)}",
    )


def escalated_at_most(journey: Journey, count: int) -> None:
    """No more escalations to a supervisor or manager than the customer will accept."""
    escalations = journey.metrics().escalations
    journey.expect(
        escalations <= count,
        expectation=f"I am escalated at most {_times(count)}",
        observed=f"I was escalated {_times(escalations)}",
    )


def never_asked_twice(journey: Journey, field_words: str) -> None:
    """The company asked for a detail at most once over the whole journey."""
    spec = journey.company.conversation
    name = spec.fields.get(field_words.casefold(), field_words) if spec else field_words
    extra = journey.metrics().recaptures_by_field.get(name, 0)
    journey.expect(
        extra == 0,
        expectation=f"I am never asked for my {field_words} twice",
        observed=f"I was asked for my {field_words} {_times(extra + 1)}",
    )


def hold_less_than(journey: Journey, words: str) -> None:
    """The time on hold, over the whole journey, stays under a limit ("2 minutes")."""
    limit = seconds_of(words)
    held = _real(journey, journey.metrics().hold_time)
    journey.expect(
        held < limit,
        expectation=f"I hold for less than {words} in total",
        observed=f"I held for {held:.0f} s in total",
    )


def reach_a_person_within(journey: Journey, words: str) -> None:
    """A person answers within a limit, menus and queue included ("1 minute")."""
    limit = seconds_of(words)
    metrics = journey.metrics()
    waited = (
        None
        if metrics.time_to_agent is None
        else at_real_pace(metrics.time_to_agent, metrics.queue_time, journey.identity.time_scale)
    )
    journey.expect(
        waited is not None and waited <= limit,
        expectation=f"I reach a person within {words}",
        observed="I never reached a person"
        if waited is None
        else f"it took {waited:.0f} s to reach a person",
    )


def menu_choices_at_most(journey: Journey, count: int) -> None:
    """The phone menu gets the customer to a person within a few key presses."""
    depth = journey.metrics().ivr_depth
    journey.expect(
        depth <= count,
        expectation=f"I make at most {count} menu choices",
        observed=f"I made {depth} menu choices before reaching a person",
    )


def answered_within(journey: Journey, words: str) -> None:
    """The company answers what the customer wrote within a limit ("4 hours"), at its real pace."""
    limit = seconds_of(words)
    waited = journey.metrics().first_response
    real = None if waited is None else _real(journey, waited)
    journey.expect(
        real is not None and real <= limit,
        expectation=f"I am answered within {words}",
        observed="nobody answered" if real is None else f"the answer came after {_span(real)}",
    )


def answered_by_a_person(journey: Journey) -> None:
    """Somebody answers by name, not only an automatic acknowledgement."""
    problem = _problem_contacts(journey)
    people = [event for contact in problem for event in contact.timeline.of_kind(EventKind.AGENT_JOINED)]
    heard = any(contact.timeline.of_kind(EventKind.MESSAGE_RECEIVED) for contact in problem)
    journey.expect(
        bool(people),
        expectation="the answer is from a person",
        observed="nobody answered" if not heard else "no person answered: nobody gave their name",
    )


def loop_closed(journey: Journey) -> None:
    """After its answer, the company comes back: a follow-up or a survey."""
    problem = _problem_contacts(journey)
    closed = False
    for contact in problem:
        outcomes = contact.timeline.of_kind(EventKind.OUTCOME)
        later = [
            event
            for event in contact.timeline.of_kind(EventKind.MESSAGE_RECEIVED)
            if outcomes and event.at > outcomes[0].at
        ]
        closed = (
            closed
            or bool(later)
            or bool(contact.timeline.of_kind(EventKind.SATISFACTION_CHECK))
            or bool(contact.timeline.of_kind(EventKind.FOLLOWED_UP))
        )
    journey.expect(
        closed,
        expectation="the loop is closed",
        observed="nobody came back after the answer: no follow-up, no survey",
    )


def _span(seconds: float) -> str:
    """A wait as a person says it: 40 s, 12 min, 3.5 h."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def offered_the_phone(journey: Journey) -> None:
    """On social, the company offers to move to voice (the rule of three)."""
    journey.expect(
        journey.metrics().channel_switch_offered,
        expectation="I am offered to continue by phone",
        observed="nobody offered to move the conversation to the phone",
    )


def asked_whether_satisfied(journey: Journey) -> None:
    """Somebody closed the loop by asking whether the customer is satisfied."""
    journey.expect(
        journey.metrics().satisfaction_checked,
        expectation="I am asked whether I am satisfied",
        observed="nobody asked whether I was satisfied",
    )


def promise_made(journey: Journey) -> None:
    """The company committed to something with a date or duration."""
    journey.expect(
        journey.metrics().promise_made,
        expectation="I am told when it will happen",
        observed="no date or duration was promised",
    )


def followed_up_by_promise(journey: Journey) -> None:
    """After the e-mail that promised something, the company writes again on its own, by the
    promise's day: the journey looks in the customer's mailbox until then. Without a promise
    there is nothing to follow up, and nothing is found."""
    conversation = journey.company.conversation
    if conversation is None or FOLLOW_UP_PATTERN not in conversation.patterns:
        raise ConfigError(
            f"{journey.company.path}: the company follows up by its promise: write the words of a"
            f" follow-up in [conversation.patterns] {FOLLOW_UP_PATTERN} (see docs/describe-your-company.md)"
        )
    if not any(contact.channel == "email" for contact, _, _ in journey.mail_threads):
        raise StepUsageError(
            "the company follows up by its promise: a follow-up is looked for in the customer's"
            " mailbox, after an e-mail contact; this journey wrote none"
        )
    came = tasks.await_follow_up(journey)
    if journey.metrics().followed_up is None:
        return  # nothing was promised by mail: nothing to follow up
    if came is None:
        observed = "the company never wrote again after its promise"
    else:
        observed = f"the company followed up after the promised day: {came.text!r}"
    journey.expect(
        came is not None and came.by_promise is not False,
        expectation="the company follows up by its promise",
        observed=observed,
    )
