"""The support desk on the web: the ticket form, the ticket pages, and the sign-in that refuses.

Real help desks (osTicket, Zammad, FreeScout) take a case through a form with a queue and the
identifiers they need, then show it on a ticket page where the customer follows and answers
it. This module is that desk for the demo company, over the same email contacts the webmail and
the mail desk serve:

- ``/contact``: the form (email, topic, optional order and serial numbers, subject, message).
  Sending opens an email contact whose first message is the subject, the message and the
  filled identifiers as lines ("Order number: BL-123456"), so the contact centre understands it
  as any other mail; then a 303 to the ticket page.
- ``/tickets/{key}``: the ticket's reference, status and thread (what is due, brought up to date
  first), and a reply form. A reply continues the contact while it is open.
- A closed ticket takes no more replies without signing in, as real desks do: the reply is
  refused with a 303 to ``/login?next=/tickets/{key}``, a sign-in page that never signs anyone
  in. A client tells a refused reply from a sent one by where it is sent back to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.contact.api import UNAVAILABLE_MESSAGE, contact_centre_of, read_fields
from sandbox.contact.hub import LiveConversation
from sandbox.contact.service import SUPPORT_EMAIL, ContactCentreService
from sandbox.contact.tickets import Ticket, TicketDetails, thread_of
from sandbox.contact.webmail import EMAIL_ADDRESS, REPLY_SENT_MESSAGE
from sandbox.web import redirect_with_notice, render, render_with_notice

SIGN_IN_UNAVAILABLE_MESSAGE = "Sign-in is not available in this demo."

FieldKind = Literal["email", "select", "text", "textarea"]

TOPICS: tuple[tuple[str, str], ...] = (
    ("orders", "Orders"),
    ("returns", "Returns"),
    ("repairs", "Repairs and warranty"),
    ("other", "Something else"),
)
"""The desk's queues: the form's value and what the customer reads."""


@dataclass(frozen=True)
class FormField:
    """One field of the ticket form.

    Attributes:
        name: The form's field name (and the element's id, after ``contact-``).
        label: Its ``<label>``, the name a browser (and the harness) finds it by.
        kind: The control: an email input, a select of :data:`TOPICS`, a text input, a textarea.
        missing: What the alert says when it is left empty; None if it is optional.
        line: For an optional identifier, how it is told to the contact centre ("Order number").
        autocomplete: The browser's hint.
    """

    name: str
    label: str
    kind: FieldKind
    missing: str | None = None
    line: str | None = None
    autocomplete: str = "off"


CONTACT_FIELDS: tuple[FormField, ...] = (
    FormField("email", "Your email", "email", "Please enter your email.", autocomplete="email"),
    FormField("topic", "Topic", "select", "Please choose a topic."),
    FormField("order_number", "Order number", "text", line="Order number"),
    FormField("serial_number", "Serial number", "text", line="Serial number"),
    FormField("subject", "Subject", "text", "Please enter a subject."),
    FormField("message", "Message", "textarea", "Please write your message."),
)


def routes() -> list[BaseRoute]:
    """The ticket form, the ticket pages and the sign-in page, for :func:`sandbox.app.create_app`."""
    return [
        Route("/contact", contact_page, methods=["GET"]),
        Route("/contact", submit_contact, methods=["POST"]),
        Route("/tickets/{key}", ticket_page, methods=["GET"]),
        Route("/tickets/{key}/reply", submit_reply, methods=["POST"]),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", submit_login, methods=["POST"]),
    ]


def first_message(values: dict[str, str]) -> str:
    """What the contact centre hears: the subject, the message, then each identifier given."""
    lines = [values["subject"], values["message"]]
    lines += [
        f"{field.line}: {values[field.name]}"
        for field in CONTACT_FIELDS
        if field.line and values.get(field.name)
    ]
    return "\n".join(lines)


# -- the form -----------------------------------------------------------------------------


async def contact_page(request: Request) -> Response:
    """The empty ticket form."""
    return _render_contact(request, {}, None, set())


async def submit_contact(request: Request) -> Response:
    """Open an email contact and its ticket, then show the ticket (303, post-redirect-get)."""
    values = await read_fields(request)
    topics = dict(TOPICS)
    if values.get("topic") not in topics:
        values["topic"] = ""
    missing = [
        (field.name, field.missing)
        for field in CONTACT_FIELDS
        if field.missing and not values.get(field.name)
    ]
    if not missing and not EMAIL_ADDRESS.match(values["email"]):
        missing = [("email", "Please enter a valid email address.")]
    if missing:
        return _render_contact(request, values, missing[0][1], {name for name, _ in missing})
    service = contact_centre_of(request)
    if service is None:
        return _render_contact(request, values, UNAVAILABLE_MESSAGE, set())
    live = service.open("email", values["email"], subject=values["subject"])
    ticket = _ticket(service, live)
    service.tickets.note_details(
        live.key,
        TicketDetails(
            topic=topics[values["topic"]],
            order_number=values.get("order_number", ""),
            serial_number=values.get("serial_number", ""),
        ),
    )
    live.say(first_message(values))
    return RedirectResponse(ticket.path, status_code=303)


def _render_contact(
    request: Request, values: dict[str, str], alert: str | None, invalid: set[str]
) -> Response:
    context = {
        "values": values,
        "fields": CONTACT_FIELDS,
        "topics": TOPICS,
        "invalid": invalid,
        "alert": alert,
        "support_email": SUPPORT_EMAIL,
    }
    return render(request, "contact.html", context, status_code=422 if alert else 200)


# -- the ticket page ----------------------------------------------------------------------


async def ticket_page(request: Request) -> Response:
    """The ticket: reference, status, the thread so far, and the reply form."""
    service, live, ticket = _ticket_or_404(request)
    return render_with_notice(request, "ticket.html", _ticket_context(service, live, ticket, alert=None))


async def submit_reply(request: Request) -> Response:
    """Continue the contact (then back to the ticket), or refuse once it is closed."""
    service, live, ticket = _ticket_or_404(request)
    if live.finished:
        return RedirectResponse(f"/login?next={quote(ticket.path, safe='/')}", status_code=303)
    reply = (await read_fields(request)).get("reply", "")
    if not reply:
        context = _ticket_context(service, live, ticket, alert="Please write your reply.")
        return render(request, "ticket.html", context, status_code=422)
    live.say(reply)
    return redirect_with_notice(ticket.path, REPLY_SENT_MESSAGE)


def _ticket_context(
    service: ContactCentreService, live: LiveConversation, ticket: Ticket, *, alert: str | None
) -> dict[str, object]:
    return {
        "ticket": ticket,
        "details": service.tickets.details(ticket.key),
        "status": "Closed" if live.finished else "Open",
        "thread": thread_of(live),
        "cases": linked_cases(live),
        "alert": alert,
        "notice": None,
    }


CASE_INTENTS = ("return", "repair", "warranty")


def linked_cases(live: LiveConversation) -> list[str]:
    """The cases this ticket really opened (a return, a warranty case, a repair), as a desk links
    the records it creates to the ticket; a number an agent made up is not among them."""
    truth = live.conversation.truth
    if truth.intent not in CASE_INTENTS:
        return []  # an order or its cancellation is not a case
    return [given.reference for given in truth.references if given.real]


def _ticket_or_404(request: Request) -> tuple[ContactCentreService, LiveConversation, Ticket]:
    """The ticket of the URL with its conversation, brought up to date (what is due is there)."""
    key = request.path_params["key"]
    service = contact_centre_of(request)
    live = None if service is None else service.hub.get(key)
    ticket = None if service is None else service.tickets.get(key)
    if service is None or live is None or ticket is None:
        raise HTTPException(status_code=404, detail="no such ticket")
    live.deliver_due()
    return service, live, ticket


def _ticket(service: ContactCentreService, live: LiveConversation) -> Ticket:
    """The ticket the desk gave a contact as it opened."""
    ticket = service.tickets.get(live.key)
    assert ticket is not None, "every email contact gets a ticket as it opens"
    return ticket


# -- the sign-in page that never signs in -------------------------------------------------


async def login_page(request: Request) -> Response:
    """Where a refused reply lands: a sign-in form, as a real desk asks for a closed ticket."""
    return _render_login(request, alert=None, email="")


async def submit_login(request: Request) -> Response:
    """Never signs anyone in: the demo has no accounts."""
    email = (await read_fields(request)).get("email", "")
    return _render_login(request, alert=SIGN_IN_UNAVAILABLE_MESSAGE, email=email, status_code=403)


def _render_login(request: Request, *, alert: str | None, email: str, status_code: int = 200) -> Response:
    back = request.query_params.get("next", "")
    context = {
        "alert": alert,
        "email": email,
        "next": back if back.startswith("/tickets/") else "",
    }
    return render(request, "login.html", context, status_code=status_code)
