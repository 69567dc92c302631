"""What every page of the sandbox shares: the app's state, templates and their filters.

Route groups (the shop, the contact centre) reach the profile, the database, the clock and
the seeded random generator through :func:`state_of`, and render pages with :func:`render`,
which gives every page the header and nav (with the cart count). A status message that
survives a redirect (post, redirect, get) goes through :func:`redirect_with_notice` and
:func:`render_with_notice`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jinja2
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from sandbox import COMPANY_NAME
from sandbox.contact.service import ContactCentreService
from sandbox.db import Database
from sandbox.profiles import ServiceProfile
from sandbox.shop.carts import CART_COOKIE, load_cart
from sandbox.shop.order_links import OrderLinks

Clock = Callable[[], float]
"""Seconds since the epoch; ``time.time`` in production, a fake one in tests."""


@dataclass(frozen=True)
class SandboxState:
    """Everything a request handler needs, held in ``app.state.sandbox``.

    Attributes:
        profile: The service profile, its durations already multiplied by ``time_scale``.
        time_scale: The factor applied to the profile's durations; owners of other profile
            tables apply it to theirs.
        db: The shared, lock-protected database.
        clock: The time source; tests move it instead of sleeping.
        rng: The seeded generator behind everything random (order numbers, ...), so a
            seed reproduces a run.
        templates: The Jinja templates of every route group.
        order_links: Signs and checks the links to order pages (the ``steps`` storefront's).
        contact_centre: The simulated contact centre behind chat, social, phone and email;
            None when the profile has no ``[contact_centre]`` tables.
    """

    profile: ServiceProfile
    time_scale: float
    db: Database
    clock: Clock
    rng: random.Random
    templates: Jinja2Templates
    order_links: OrderLinks
    contact_centre: ContactCentreService | None = None


def state_of(request: Request) -> SandboxState:
    """The sandbox's state for the app serving this request."""
    state: SandboxState = request.app.state.sandbox
    return state


def build_templates(template_dirs: Sequence[Path], layout: str = "base.html") -> Jinja2Templates:
    """Templates from every route group's folder, with the filters that format values.

    ``layout`` is the page every page shared by the storefronts (help, chat, phone, contact,
    not found) extends as ``{% extends layout %}``: the storefront's own header and nav.
    """
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["money"] = format_money
    environment.filters["warranty"] = format_warranty
    environment.filters["timestamp"] = format_timestamp
    environment.filters["iso_time"] = format_iso_time
    environment.filters["iso_time_ms"] = format_iso_time_ms
    environment.filters["iso_time_offset_ms"] = format_iso_time_offset_ms
    environment.filters["clock_time"] = format_clock_time
    environment.globals["company_name"] = COMPANY_NAME
    environment.globals["layout"] = layout
    return Jinja2Templates(env=environment, context_processors=[_nav_context])


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """Render a page of any route group with the shared layout."""
    return state_of(request).templates.TemplateResponse(
        request, template, dict(context or {}), status_code=status_code
    )


def set_session_cookie(response: Response, name: str, value: str) -> None:
    """Set a session cookie that scripts cannot read and other sites cannot send."""
    response.set_cookie(name, value, path="/", httponly=True, samesite="lax")


NOTICE_COOKIE = "notice"
"""A one-time status message carried across a redirect (post, redirect, get)."""


def redirect_with_notice(url: str, notice: str) -> Response:
    """Redirect (303) and have the next page show a status message once."""
    response = RedirectResponse(url, status_code=303)
    set_session_cookie(response, NOTICE_COOKIE, quote(notice))
    return response


def render_with_notice(request: Request, template: str, context: Mapping[str, Any]) -> Response:
    """Render a page with the pending notice, if any, and forget the notice."""
    pending = request.cookies.get(NOTICE_COOKIE)
    response = render(request, template, {**context, "notice": unquote(pending or "") or None})
    if pending is not None:
        response.delete_cookie(NOTICE_COOKIE, path="/")
    return response


def _nav_context(request: Request) -> dict[str, Any]:
    """The nav's ``Cart (N)`` count, for every page."""
    state = state_of(request)
    with state.db.transaction() as connection:
        cart = load_cart(connection, request.cookies.get(CART_COOKIE))
    return {"cart_count": cart.item_count}


def format_money(cents: int) -> str:
    """``7900`` -> ``$79.00``."""
    return f"${cents // 100:,}.{cents % 100:02d}"


def format_warranty(months: int) -> str:
    """``24`` -> ``2-year warranty``; ``6`` -> ``6-month warranty``."""
    if months and months % 12 == 0:
        return f"{months // 12}-year warranty"
    return f"{months}-month warranty"


def format_timestamp(seconds: float) -> str:
    """A moment as a customer reads it, e.g. ``23 Nov 2025, 15:51 UTC``."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def format_iso_time(seconds: float) -> str:
    """A moment for ``<time datetime>`` and JSON, e.g. ``2025-11-23T15:51:07Z``."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def format_iso_time_ms(seconds: float) -> str:
    """A moment to the millisecond, e.g. ``2025-11-23T15:51:07.250Z`` (emails' arrival)."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def format_iso_time_offset_ms(seconds: float) -> str:
    """A moment to the millisecond with its offset, e.g. ``2025-11-23T15:51:07.250+00:00``.

    The ticket page's ``<time title>``: a help desk's tooltip, in the form ``strptime``'s
    ``%Y-%m-%dT%H:%M:%S.%f%z`` and ``datetime.fromisoformat`` both read.
    """
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")


def format_clock_time(seconds: float) -> str:
    """The time of day a ticket's thread shows beside an entry, e.g. ``15:51`` (UTC)."""
    return f"{datetime.fromtimestamp(seconds, UTC):%H:%M}"
