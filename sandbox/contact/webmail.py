"""Email: a customer's webmail, where the company's replies arrive.

An email contact (opened by the support desk's form, :mod:`sandbox.contact.desk`, or by a
mail; the address is the customer's identity in the ground truth) is answered
after the profile's reply delay: each group of outputs sharing a due time is one email, and
an email is in the inbox only once it is due, never before, because the inbox is built from
the transcript the conversation's task fills at due times (and brings up to date before
showing it). A reply from the webmail continues the contact, or opens a new one on the same
subject once the company has closed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox import COMPANY_NAME
from sandbox.contact.api import contact_centre_of, read_fields
from sandbox.contact.hub import LiveConversation, TranscriptEntry
from sandbox.contact.service import SUPPORT_EMAIL, ContactCentreService
from sandbox.web import redirect_with_notice, render, render_with_notice, set_session_cookie

ADDRESS_COOKIE = "webmail_address"
REPLY_SENT_MESSAGE = "Your reply has been sent."
EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
"""What a customer's address must look like (the webmail's and the desk's forms)."""


@dataclass(frozen=True)
class Email:
    """One email from the company: outputs that share a due time.

    Attributes:
        id: ``<conversation key>-<first entry id>``, the message page's address.
        subject: ``Re:`` and the customer's subject.
        sender: ``Dana, Orders``, or the company when no agent wrote it.
        received_at: When it was due (epoch seconds).
        paragraphs: One per output, in order.
    """

    id: str
    subject: str
    sender: str
    received_at: float
    paragraphs: tuple[str, ...]

    @property
    def sender_name(self) -> str:
        """The From header's display name: ``Dana, Orders at Brightline Appliances``."""
        return COMPANY_NAME if self.sender == COMPANY_NAME else f"{self.sender} at {COMPANY_NAME}"


def routes() -> list[BaseRoute]:
    """The webmail, for :func:`sandbox.app.create_app`."""
    return [
        Route("/mail", mail_page, methods=["GET"]),
        Route("/mail", open_inbox, methods=["POST"]),
        Route("/mail/sign-out", sign_out, methods=["POST"]),
        Route("/mail/messages/{email_id}", message_page, methods=["GET"]),
        Route("/mail/messages/{email_id}/reply", submit_reply, methods=["POST"]),
    ]


def emails_in(live: LiveConversation) -> list[Email]:
    """The company's emails in one email contact, oldest first."""
    groups: dict[float, list[TranscriptEntry]] = {}
    for entry in company_lines(live.history):
        groups.setdefault(entry.at, []).append(entry)
    return [email_of(live, entries) for entries in groups.values()]


def company_lines(entries: list[TranscriptEntry]) -> list[TranscriptEntry]:
    """What the company wrote: not the customer's own words, not a passing status."""
    return [entry for entry in entries if entry.speaker != "customer" and not entry.transient]


def email_of(live: LiveConversation, entries: list[TranscriptEntry]) -> Email:
    """One email from the company's lines that share a due time (the first one's time)."""
    agent = next((entry for entry in entries if entry.who), None)
    return Email(
        id=f"{live.key}-{entries[0].id}",
        subject=f"Re: {live.subject}",
        sender=COMPANY_NAME if agent is None else f"{agent.who}, {agent.department}",
        received_at=entries[0].at,
        paragraphs=tuple(entry.text for entry in entries),
    )


# -- the webmail --------------------------------------------------------------------------


def webmail_address(request: Request) -> str | None:
    """The address whose inbox this browser opened."""
    value = request.cookies.get(ADDRESS_COOKIE)
    return unquote(value) if value else None


async def mail_page(request: Request) -> Response:
    """The inbox (emails that are due, newest first), or the form to open one."""
    address = webmail_address(request)
    service = contact_centre_of(request)
    emails: list[Email] = []
    if address is not None and service is not None:
        emails = sorted(
            (email for live in _mailbox(service, address) for email in emails_in(live)),
            key=lambda email: email.received_at,
            reverse=True,
        )
    return render_with_notice(request, "mail_inbox.html", {"address": address, "emails": emails})


async def open_inbox(request: Request) -> Response:
    """Remember the address; the webmail has no password, it is a demo."""
    address = (await read_fields(request)).get("address", "")
    if not EMAIL_ADDRESS.match(address):
        context: dict[str, object] = {
            "address": None,
            "emails": [],
            "alert": "Please enter an email address.",
        }
        return render(request, "mail_inbox.html", context, status_code=422)
    response = RedirectResponse("/mail", status_code=303)
    set_session_cookie(response, ADDRESS_COOKIE, quote(address, safe=""))
    return response


async def sign_out(request: Request) -> Response:
    """Forget the address."""
    response = RedirectResponse("/mail", status_code=303)
    response.delete_cookie(ADDRESS_COOKIE, path="/")
    return response


async def message_page(request: Request) -> Response:
    """One email: subject, sender, arrival time, body, and a reply form."""
    _, email = _email_or_404(request)
    context = {
        "email": email,
        "address": webmail_address(request),
        "support_email": SUPPORT_EMAIL,
        "alert": None,
    }
    return render(request, "mail_message.html", context)


async def submit_reply(request: Request) -> Response:
    """Reply to an email: the contact goes on, or a new one starts if it was closed."""
    live, email = _email_or_404(request)
    reply = (await read_fields(request)).get("reply", "")
    if not reply:
        context = {
            "email": email,
            "address": webmail_address(request),
            "support_email": SUPPORT_EMAIL,
            "alert": "Please write your reply.",
        }
        return render(request, "mail_message.html", context, status_code=422)
    if live.finished:
        service = contact_centre_of(request)
        assert service is not None  # the email was found through it
        live = service.open("email", live.customer, subject=live.subject)
        reply = f"{live.subject}\n{reply}"
    live.say(reply)
    return redirect_with_notice("/mail", REPLY_SENT_MESSAGE)


def _mailbox(service: ContactCentreService, address: str) -> list[LiveConversation]:
    """The address's email contacts, each brought up to date (what is due is delivered)."""
    mailbox = service.hub.find("email", address)
    for live in mailbox:
        live.deliver_due()
    return mailbox


def _email_or_404(request: Request) -> tuple[LiveConversation, Email]:
    """The email of the URL, if it is due and addressed to this browser's inbox."""
    email_id = request.path_params["email_id"]
    address = webmail_address(request)
    service = contact_centre_of(request)
    key = email_id.rpartition("-")[0]
    if address is not None and service is not None:
        for live in _mailbox(service, address):
            if live.key == key:
                for email in emails_in(live):
                    if email.id == email_id:
                        return live, email
    raise HTTPException(status_code=404, detail=f"no email {email_id}")
