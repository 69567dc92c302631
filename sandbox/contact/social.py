"""Chirp, a small social network where the company answers direct messages.

A customer signs in with a handle (a cookie, no password: this is a demo network), visits
``@BrightlineHelp`` and messages it. The first message opens a contact (the handle is the
customer's identity in the ground truth); later messages go to the same contact until the
company ends it, after which a new message opens a new one. The page shows the contact
that is still open, replayed from its event stream.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.contact.api import (
    UNAVAILABLE_MESSAGE,
    contact_centre_of,
    conversation_urls,
    problem,
    read_fields,
)
from sandbox.contact.hub import LiveConversation
from sandbox.contact.service import ContactCentreService
from sandbox.web import render, set_session_cookie

COMPANY_HANDLE = "BrightlineHelp"
HANDLE_COOKIE = "chirp_handle"
PROFILE_URL = f"/social/{COMPANY_HANDLE}"
MESSAGES_URL = f"/social/messages/{COMPANY_HANDLE}"


def routes() -> list[BaseRoute]:
    """Chirp's pages, for :func:`sandbox.app.create_app`."""
    return [
        Route("/social", home_page, methods=["GET"]),
        Route("/social/sign-in", sign_in, methods=["POST"]),
        Route(PROFILE_URL, company_profile_page, methods=["GET"]),
        Route(MESSAGES_URL, messages_page, methods=["GET"]),
        Route(MESSAGES_URL, send_message, methods=["POST"]),
    ]


def signed_in_handle(request: Request) -> str | None:
    """The handle this browser signed in with, as typed."""
    value = request.cookies.get(HANDLE_COOKIE)
    return unquote(value) if value else None


async def home_page(request: Request) -> Response:
    """Sign in (or switch handle); the way back to where the customer was going."""
    context = {
        "handle": signed_in_handle(request),
        "next": _safe_next(request.query_params.get("next", "")),
        "alert": None,
    }
    return render(request, "social_home.html", context)


async def sign_in(request: Request) -> Response:
    """Remember the handle and go on to the page the customer wanted (or the company's)."""
    fields = await read_fields(request)
    handle = fields.get("handle", "")
    next_url = _safe_next(fields.get("next", ""))
    if not handle:
        context = {"handle": None, "next": next_url, "alert": "Please enter your handle."}
        return render(request, "social_home.html", context, status_code=422)
    response = RedirectResponse(next_url or PROFILE_URL, status_code=303)
    set_session_cookie(response, HANDLE_COOKIE, quote(handle, safe=""))
    return response


async def company_profile_page(request: Request) -> Response:
    """``@BrightlineHelp``: who they are, and the way to message them."""
    return render(request, "social_profile.html", {"handle": signed_in_handle(request)})


async def messages_page(request: Request) -> Response:
    """The direct messages with the company: the open contact, live."""
    handle = signed_in_handle(request)
    if handle is None:
        return RedirectResponse(f"/social?{urlencode({'next': MESSAGES_URL})}", status_code=303)
    service = contact_centre_of(request)
    live = None if service is None else open_contact(service, handle)
    context = {
        "handle": handle,
        "available": service is not None,
        "events_url": "" if live is None else conversation_urls(live)["events"],
    }
    return render(request, "social_messages.html", context)


async def send_message(request: Request) -> Response:
    """A direct message: to the open contact, or opening a new one."""
    handle = signed_in_handle(request)
    if handle is None:
        return problem("Please sign in to send messages.", 401)
    service = contact_centre_of(request)
    if service is None:
        return problem(UNAVAILABLE_MESSAGE, 503)
    text = (await read_fields(request)).get("text", "")
    if not text:
        return problem("Please write a message.", 422)
    live = open_contact(service, handle) or service.open("social", handle)
    accepted = live.say(text)
    if not request.headers.get("content-type", "").startswith("application/json"):
        return RedirectResponse(MESSAGES_URL, status_code=303)  # a form without the script
    return JSONResponse({**conversation_urls(live), "accepted": accepted}, status_code=202)


def open_contact(service: ContactCentreService, handle: str) -> LiveConversation | None:
    """The handle's DM contact that has not ended, if any."""
    contacts = [live for live in service.hub.find("social", handle) if not live.finished]
    return contacts[-1] if contacts else None


def _safe_next(url: str) -> str:
    """Only Chirp's own pages, so the sign-in cannot send anyone elsewhere."""
    return url if url.startswith("/social/") and "//" not in url else ""
