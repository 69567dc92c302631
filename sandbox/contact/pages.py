"""The help hub, the chat page and the softphone: the company's own contact pages.

The accessible names on these pages (and on the chat widget that ``static/chat.js`` adds to
every shop page) are a contract with the harness's locators; change one only together with
the other. Live parts are plain scripts fed by :mod:`sandbox.contact.api`; the social network
is in :mod:`sandbox.contact.social`, the support desk (the ticket form and pages) in
:mod:`sandbox.contact.desk`, the webmail in :mod:`sandbox.contact.webmail`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from sandbox.contact.api import KEYPAD_LAYOUT, contact_centre_of
from sandbox.contact.service import SUPPORT_EMAIL
from sandbox.contact_centre.profile import DEFAULT_PHONE_NUMBER
from sandbox.web import render


def routes() -> list[BaseRoute]:
    """The help hub, chat and phone pages, for :func:`sandbox.app.create_app`."""
    return [
        Route("/help", help_page, methods=["GET"]),
        Route("/chat", chat_page, methods=["GET"]),
        Route("/phone", phone_page, methods=["GET"]),
    ]


def phone_number(request: Request) -> str:
    """The company's number as the profile gives it."""
    service = contact_centre_of(request)
    return DEFAULT_PHONE_NUMBER if service is None else service.phone_number


async def help_page(request: Request) -> Response:
    """Every way to reach the company, from one page."""
    context = {
        "phone_number": phone_number(request),
        "support_email": SUPPORT_EMAIL,
        "available": contact_centre_of(request) is not None,
    }
    return render(request, "help.html", context)


async def chat_page(request: Request) -> Response:
    """The chat as a page of its own (the widget, open, without its toggle)."""
    return render(request, "chat.html", {"available": contact_centre_of(request) is not None})


async def phone_page(request: Request) -> Response:
    """The softphone: dial, listen to captions, press keys, speak, hang up."""
    context = {
        "phone_number": phone_number(request),
        "keypad": KEYPAD_LAYOUT,
        "available": contact_centre_of(request) is not None,
    }
    return render(request, "phone.html", context)
