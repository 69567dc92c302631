"""Business-level tasks a customer performs; steps call these, one line each.

A task picks the channel's driver, opens a contact, and keeps what it learnt
(an order number, what the company claimed) as facts of the journey.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from journeys.channels.chat import ChatWidget
from journeys.channels.conversational import ConversationEnd, ConversationPage, converse
from journeys.channels.social import SocialInbox
from journeys.channels.voice.phone import PhoneCall, phone_call
from journeys.channels.written.desk import DeskTicket
from journeys.channels.written.email import EmailConversation, mail_server, paragraphs
from journeys.channels.written.letters import MailThread
from journeys.channels.written.mailbox import Mailbox
from journeys.company.customers import find_purchase, missing_purchase
from journeys.company.profile import FOLLOW_UP_PATTERN, ConversationSpec, unmeasured_metrics
from journeys.domain.goals import Intent, letter
from journeys.domain.promises import came_by, promised_day, run_pace_deadline
from journeys.domain.timeline import Channel, Contact, Event, EventKind, Recording
from journeys.errors import ConfigError, JourneyBroken, PendingStep
from journeys.journey.actor import Journey

WHAT: dict[Intent, str] = {
    "order": "a new order",
    "cancel": "a cancellation",
    "return": "a return",
    "repair": "a repair",
    "warranty": "a warranty claim",
    "enquiry": "an order's status",
}
SUBJECTS: dict[Intent, str] = {
    "order": "A new order",
    "cancel": "Please cancel my order",
    "return": "Returning an item",
    "repair": "A repair",
    "warranty": "A warranty claim",
    "enquiry": "Where is my order?",
}


def social_handle(email: str) -> str:
    """The persona's handle on a social network, derived from its (unique) e-mail."""
    local = email.split("@", 1)[0]
    return "@" + "".join(character for character in local if character.isalnum() or character in "._")


WRITTEN_FLOOR_SECONDS = 10.0
"""The least a customer waits for a written answer, however fast the company is run."""
LOOK_FLOOR_SECONDS = 0.2
"""The least time between two looks at a ticket page, however fast the company is run."""
WAV_HEADER_BYTES = 44
"""A recording no longer than its header holds no audio: the call never connected."""


def at_run_pace(journey: Journey, seconds: float, floor: float) -> float:
    """A wait of the company's real pace, at the pace of this run (the demo runs faster)."""
    scale = journey.identity.time_scale
    return seconds if scale == 1 else max(floor, seconds * scale)


def settled(journey: Journey, spec: ConversationSpec, page: ConversationPage) -> ConversationSpec:
    """``spec`` with the customer's wait for more after an answer at the run's pace, never below
    what the page the conversation runs on needs (``ConversationPage.settle_floor``)."""
    return dataclasses.replace(
        spec, settle_seconds=at_run_pace(journey, spec.settle_seconds, page.settle_floor)
    )


def talk(journey: Journey, contact: Contact, *, intent: Intent) -> ConversationEnd:
    """Reach the company on a conversational channel and carry on toward the goal.

    A company run faster than real time (the demo's ``--time-scale``) sends its survey
    and goodbye sooner after the answer, so the customer's wait for them is scaled
    alike; the floor leaves room for a browser's own latency.
    """
    company, shopper = journey.company, journey.shopper
    spec = company.conversation_on(contact.channel)
    if spec is None:
        raise ConfigError(f"{company.path}: no [conversation] table to read the company's words with")
    contact.unmeasured = unmeasured_metrics(spec.patterns)
    if contact.channel == "email":
        end = write(journey, contact, spec, intent=intent)
    elif contact.channel == "desk":
        end = use_desk(journey, contact, spec, intent=intent)
    else:
        page = open_conversation(journey, contact)
        try:
            end = converse(
                page,
                contact,
                settled(journey, spec, page),
                intent=intent,
                shopper=shopper,
                facts=journey.facts,
                clock=journey.clock,
            )
        finally:
            if isinstance(page, PhoneCall):
                contact.recording = _recording(journey, page)
    contact.ending = end.words()
    return end


def _recording(journey: Journey, call: PhoneCall) -> Recording | None:
    """The call's recording, if one was made and holds audio, with where its time starts."""
    path, origin = call.record_to, call.heard_from
    if path is None or origin is None or not path.is_file() or path.stat().st_size <= WAV_HEADER_BYTES:
        return None
    return Recording(path.relative_to(journey.run_dir.path).as_posix(), origin)


def open_conversation(journey: Journey, contact: Contact) -> ConversationPage:
    """Open the chat, the social inbox or the phone, as the customer would, and say who they are."""
    shopper, company, channel = journey.shopper, journey.company, contact.channel
    page: ConversationPage
    if channel == "chat":
        chat = ChatWidget(company, journey.browser())
        journey.using(chat)
        chat.start(shopper.name, shopper.email)
        contact.identity, page = shopper.email, chat
    elif channel == "social":
        social = SocialInbox(company, journey.browser())
        journey.using(social)
        contact.identity = social_handle(shopper.email)
        social.start(contact.identity)
        page = social
    elif channel == "phone":
        phone = call_the_company(journey)
        journey.using(phone)
        phone.start(shopper.phone)
        contact.identity, page = phone.caller, phone
    else:
        raise PendingStep(f"talking to the company through {channel} is not written yet")
    return page


def call_the_company(journey: Journey) -> PhoneCall:
    """The customer's phone, ready to dial the company: within the run's budget of live calls."""
    spec = journey.company.phone
    if spec is None:
        raise ConfigError(
            f"{journey.company.path}: no [phone] table: give the company's number and how it is"
            ' dialled over SIP (dial = "sip:{number}@..."; see docs/describe-your-company.md)'
        )
    placed = journey.run_dir.take_live_call(spec.call_budget)
    if placed is None:
        raise JourneyBroken(
            f"phone: this run has placed its {spec.call_budget} live calls ([phone] call_budget)",
            channel="phone",
            action="call the company",
        )
    record_to = None
    if spec.record:  # the profile says the company consented to recorded test calls
        record_to = journey.run_dir.artifact_path(journey.identity.journey_id, f"call-{placed}.wav")
    return phone_call(spec, journey.company.conversation, record_to=record_to)


def write(journey: Journey, contact: Contact, spec: ConversationSpec, *, intent: Intent) -> ConversationEnd:
    """Write to the company from the test mailbox, and carry on by mail until it has answered.

    The journey writes from an address of its own in the mailbox (a plus-address) where the
    mailbox has them, and each contact keeps a thread of its own, so parallel journeys
    sharing one mailbox read only their own mail.
    """
    mail = journey.company.mail
    if mail is None:
        raise ConfigError(
            f"{journey.company.path}: no [mail] table: say which test mailbox the customer writes from"
            " and the company's address (see docs/describe-your-company.md)"
        )
    tag = hashlib.sha256(journey.identity.journey_id.encode()).hexdigest()[:10]
    address = mail.journey_address(f"ms{tag}")
    thread = MailThread.writing_from(address, own_address=mail.plus_addressing)
    mail = dataclasses.replace(
        mail, answer_timeout=at_run_pace(journey, mail.answer_timeout, WRITTEN_FLOOR_SECONDS)
    )
    with EmailConversation(mail, thread) as conversation:
        message = letter(intent, journey.facts, journey.shopper)
        conversation.start(SUBJECTS[intent], message)
        contact.note(EventKind.MESSAGE_SENT, text=f"{SUBJECTS[intent]}: {message}", opening=True)
        contact.identity = thread.address
        end = converse(
            conversation,
            contact,
            settled(journey, spec, conversation),
            intent=intent,
            shopper=journey.shopper,
            facts=journey.facts,
            clock=journey.clock,
        )
    if conversation.links:
        journey.facts["mail_link"] = conversation.links[-1]
    journey.mail_threads.append((contact, thread, conversation.mailbox.next_uid))
    return end


def await_follow_up(journey: Journey, *, within: float | None = None) -> Event | None:
    """Look in the customer's mailbox for the company writing again on its own, after the last
    e-mail contact that made a promise: the closed loop, by the profile's ``followed_up`` words.

    The look starts where the contact's reading stopped (mail that came meanwhile counts) and
    lasts until the promise's day ends at the run's pace, or ``within`` seconds if sooner; a
    promise naming no day is waited for as long as an answer (``[mail] answer_timeout``).
    Nothing is looked for (and the follow-up is not measured) without a promise by mail or
    without the pattern.

    Returns:
        The ``followed_up`` event, or None when no follow-up came while the journey looked.
    """
    spec, mail = journey.company.conversation, journey.company.mail
    patterns = spec.patterns.get(FOLLOW_UP_PATTERN, ()) if spec is not None else ()
    promised = [
        (contact, thread, next_uid)
        for contact, thread, next_uid in journey.mail_threads
        if contact.timeline.of_kind(EventKind.PROMISE_MADE)
    ]
    if not patterns or not promised or mail is None:
        return None
    contact, thread, next_uid = promised[-1]
    promise = contact.timeline.of_kind(EventKind.PROMISE_MADE)[-1]
    day, scale = promised_day(promise.text, promise.at), journey.identity.time_scale
    if day is not None:
        deadline = run_pace_deadline(day, promise.at, scale)
    else:
        deadline = journey.clock() + at_run_pace(journey, mail.answer_timeout, WRITTEN_FLOOR_SECONDS)
    if within is not None:
        deadline = min(deadline, journey.clock() + within)
    contact.follow_up_awaited = True
    with Mailbox(mail_server(mail, "imap"), mail.login, poll_seconds=mail.poll_seconds) as mailbox:
        mailbox.next_uid = next_uid
        while (remaining := deadline - journey.clock()) > 0:
            for found in mailbox.wait_for(thread, timeout=remaining):
                if found.sender == thread.address:
                    continue  # a copy of the customer's own mail
                for words in paragraphs(found.text):
                    if any(pattern.search(words) for pattern in patterns):
                        at = found.arrived_at
                        by_promise = None if day is None else came_by(day, promise.at, at, scale)
                        return contact.note(EventKind.FOLLOWED_UP, at=at, text=words, by_promise=by_promise)
    return None


def use_desk(
    journey: Journey, contact: Contact, spec: ConversationSpec, *, intent: Intent
) -> ConversationEnd:
    """Write through the support desk's form, then follow the ticket page until it is answered.

    The reference the confirmation shows is the desk's first answer; a form that stops
    (a field the customer looks for and does not find, a refusal) ends the contact there.
    """
    desk = journey.company.desk
    if desk is None:
        raise ConfigError(
            f"{journey.company.path}: no [desk] table: say how the support desk's ticket page reads"
            " (see docs/describe-your-company.md)"
        )
    web = journey.web
    desk = dataclasses.replace(
        desk,
        answer_timeout=at_run_pace(journey, desk.answer_timeout, WRITTEN_FLOOR_SECONDS),
        poll_seconds=at_run_pace(journey, desk.poll_seconds, LOOK_FLOOR_SECONDS),
    )
    ticket = DeskTicket(web, desk, spec, journey.browser())
    journey.using(ticket)
    subject, message = SUBJECTS[intent], letter(intent, journey.facts, journey.shopper)
    topic = desk.topics.get(intent) or next(iter(desk.topics.values()))
    contact.identity = journey.shopper.email
    try:
        result = ticket.start({**journey.facts, "subject": subject, "message": message, "topic": topic})
        if result.stopped:
            said = result.refusal or result.missing or ""
            contact.note(EventKind.MESSAGE_RECEIVED, text=said)
            contact.note(EventKind.OUTCOME, text=said, resolved=False)
            return ConversationEnd(False, "company: the form did not take the request", said, said)
        contact.note(EventKind.MESSAGE_SENT, at=ticket.sent_at, text=f"{subject}: {message}", opening=True)
        if ticket.reference:
            shown = f"Ticket {ticket.reference}"
            contact.note(EventKind.REFERENCE_GIVEN, at=ticket.sent_at, text=shown, reference=ticket.reference)
        end = converse(
            ticket,
            contact,
            settled(journey, ticket.reading, ticket),  # its customer is the ticket page's ("you")
            intent=intent,
            shopper=journey.shopper,
            facts=journey.facts,
            clock=journey.clock,
        )
        for refusal in ticket.refusals:  # what the desk showed instead of taking the answer
            contact.note(EventKind.MESSAGE_RECEIVED, text=refusal)
    finally:
        ticket.leave()
    if ticket.ticket:
        journey.facts["ticket"] = ticket.ticket
    if ticket.reference:
        journey.facts["ticket_reference"] = ticket.reference
    return end


def place_order(
    journey: Journey, *, product: str, shipping_method: str, channel: Channel, setup: bool = False
) -> None:
    """Order one product with a shipping method; remember the order number."""
    journey.facts["product"] = product
    journey.facts["shipping_method"] = shipping_method
    purpose = f"order {product} with {shipping_method} shipping"
    with journey.contact(channel, purpose, setup=setup) as contact:
        if channel == "web":
            result = journey.web.place_order(
                contact, product=product, shipping_method=shipping_method, shopper=journey.shopper
            )
            order_number, message = result.order_number, result.message
        else:
            end = talk(journey, contact, intent="order")
            journey.facts["order_claimed"] = "yes" if end.resolved else "no"
            references = contact.timeline.references()
            conversation = journey.company.conversation  # talk() needs it: there is one
            order_number = conversation.order_number_among(references) if conversation else None
            message = end.last_words
    if order_number:
        journey.facts["order_number"] = order_number
        if channel == "phone":  # through a recogniser: a digit may have been misheard
            journey.facts["order_number_heard_on"] = channel
    else:
        journey.facts["order_number_missing_because"] = f"the company said: {message}"


def cancel_order(journey: Journey, *, channel: Channel) -> None:
    """Ask the company to cancel the journey's order; remember what it claimed."""
    order_number = journey.fact("order_number", needed_for="cancel the order", channel=channel)
    with journey.contact(channel, f"cancel order {order_number}") as contact:
        if channel == "web":
            result = journey.web.cancel_order(contact, order_number)
            claimed, answer = result.cancelled, result.message
        else:
            end = talk(journey, contact, intent="cancel")
            claimed, answer = bool(end.resolved), end.claim or end.last_words
    journey.facts["cancellation_claimed"] = "yes" if claimed else "no"
    journey.facts["cancellation_answer"] = answer


def request_return(journey: Journey, *, channel: Channel, reason: str = "Faulty") -> None:
    """Ask to return the journey's order; remember the return number the company gave."""
    order_number = journey.fact("order_number", needed_for="return the order", channel=channel)
    with journey.contact(channel, f"return order {order_number}") as contact:
        if channel == "web":
            journey.web.request_return(contact, order_number, reason)
        else:
            talk(journey, contact, intent="return")
    returns = [reference for reference in contact.timeline.references() if reference.startswith("RMA-")]
    if returns:
        journey.facts["return_reference"] = returns[-1]


def get_in_touch(journey: Journey, *, channel: Channel, intent: Intent) -> ConversationEnd:
    """Contact the company about something (a return, a repair, where an order is)."""
    if channel == "web" and intent == "enquiry":
        return look_up_order(journey)
    if channel == "web":
        raise PendingStep(
            f"getting in touch about {WHAT[intent]} through the web is not written yet:"
            " use chat, social, phone or email"
        )
    with journey.contact(channel, f"{intent} ({channel})") as contact:
        return talk(journey, contact, intent=intent)


def look_up_order(journey: Journey) -> ConversationEnd:
    """Ask "where is my order?" the web's way: open the order's page and read its status."""
    order_number = journey.fact("order_number", needed_for="look the order up", channel="web")
    with journey.contact("web", f"look up order {order_number}") as contact:
        page = journey.web.open_order(order_number)
        said = f"Status: {page.status}" if page.found else page.status
        contact.note(EventKind.MESSAGE_RECEIVED, text=said)
        contact.note(EventKind.OUTCOME, text=said, resolved=page.found)
    return ConversationEnd(resolved=page.found, ended_by="customer", last_words=said, claim=said)


def become_returning_customer(journey: Journey, *, product: str, days_ago: int, tolerance: int = 0) -> None:
    """Take on the test account that bought the product that long ago, and find the order.

    The company profile lists such accounts (``[returning_customers]``); the customer
    then knows what anyone who bought it would: the order number, the serial number on
    the label, the day they bought it. Where the company's web shop can open an order,
    opening it first (a setup contact) proves the account is real before anyone is blamed
    for not finding it.
    """
    company = journey.company
    today = dt.datetime.now(dt.UTC).date()
    found = find_purchase(company.returning_customers, product, days_ago, today, tolerance)
    if found is None:
        raise ConfigError(
            f"{company.path}: "
            + missing_purchase(company.returning_customers, product, days_ago, today, tolerance)
        )
    customer, purchase = found
    journey.shopper = customer.shopper
    journey.facts.update(
        product=purchase.product,
        order_number=purchase.order_number,
        serial_number=purchase.serial_number,
        purchase_date=f"{purchase.purchase_date(today):%d %B %Y}".lstrip("0"),
    )
    if company.web is None or "open_order" not in company.web.flows:
        return  # a company reached only by mail or phone: the account is taken on the profile's word
    with journey.contact("web", f"look up order {purchase.order_number} of {days_ago} days ago", setup=True):
        journey.web.open_order(purchase.order_number)


def report_fault(journey: Journey, *, channel: Channel, intent: Intent, fault: str) -> None:
    """Tell the company the product is broken and ask for a warranty case or a repair.

    The reference the company gives (``WC-``, ``RP-`` or whatever its patterns catch) is
    kept for the checks that follow, with what it said last.
    """
    journey.fact("product", needed_for=f"ask for {WHAT[intent]}", channel=channel)
    journey.facts["problem"] = fault
    end = get_in_touch(journey, channel=channel, intent=intent)
    contact = journey.contacts[-1]
    order_number = journey.facts.get("order_number")
    # the order number read back is not a case, nor is the desk's ticket for the request
    known = (order_number, journey.facts.get("ticket_reference"))
    references = [reference for reference in contact.timeline.references() if reference not in known]
    if references:
        journey.facts[f"{intent}_reference"] = references[-1]
    journey.facts[f"{intent}_answer"] = end.claim or end.last_words
