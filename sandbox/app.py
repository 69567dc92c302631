"""Building the sandbox's ASGI app from route groups.

The app is a plain Starlette app made of :class:`RouteGroup`\\ s: the shop, the contact centre's
channels (help hub, chat, phone, social, support desk, email) and the test-only JSON endpoints.
A new channel adds its group to :func:`default_route_groups`; it gets the shared state
(:func:`sandbox.web.state_of`), the layout of the storefront in use (its templates
``{% extends layout %}``) and the stylesheet. The shop's own group depends on
:attr:`SandboxConfig.storefront` (:mod:`sandbox.shop.storefronts`).

The contact centre's conversations run as asyncio tasks and stream to pages; the app's
shutdown stops them, and :func:`stop_streams` lets a stopping server end the streams first
so that it need not wait for them.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from sandbox import internal
from sandbox.contact import api as contact_api
from sandbox.contact import desk, social, webmail
from sandbox.contact import pages as contact_pages
from sandbox.contact.hub import ABANDON_AFTER_SECONDS
from sandbox.contact.mail_desk import MailDesk
from sandbox.contact.service import build_contact_centre
from sandbox.db import Database
from sandbox.phone import PhoneLine
from sandbox.profiles import ServiceProfile
from sandbox.shop.catalogue import list_products, list_shipping_methods, seed_catalogue
from sandbox.shop.order_links import OrderLinks
from sandbox.shop.returning_customers import seed_returning_customers
from sandbox.shop.storefronts import Storefront
from sandbox.web import Clock, SandboxState, build_templates, render

PACKAGE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class RouteGroup:
    """A set of pages the sandbox serves, with the folder of their templates.

    Attributes:
        name: What the group is, for people reading the app's assembly.
        routes: Its Starlette routes and mounts.
        template_dir: Its templates, searched after the shop's; None if it has none.
    """

    name: str
    routes: Sequence[BaseRoute]
    template_dir: Path | None = None


@dataclass(frozen=True)
class SandboxConfig:
    """How to build one sandbox app.

    Attributes:
        profile: The service profile as loaded (unscaled).
        db_path: The SQLite file; created and seeded if new.
        seed: Seeds the random generator, so runs are reproducible.
        time_scale: Multiplies the contact centre's waits (queues, holds, e-mail replies), so
            tests and demos take seconds; the shop's windows stay as the profile says.
        clock: The time source; tests pass a fake one to move time without sleeping. The
            contact centre's conversations sleep in real time until their outputs are due,
            so they progress only on a real clock.
        abandon_after_seconds: Real seconds a chat, DM or call may go unwatched (no event
            stream open) before the customer is taken to have left.
        returning_customers: Record the staff's returning customers and their past orders
            (:mod:`sandbox.shop.returning_customers`) in a new database.
        storefront: The web shop's style (:mod:`sandbox.shop.storefronts`); the contact
            channels, the database and its business rules are the same in every style.
        mail_desk: Answer e-mail by real mail (``--mail``): the desk reads the support
            mailbox and mails every email contact's answers (:mod:`sandbox.contact.mail_desk`).
        phone_line: Answer real phone calls (``--phone``): a started SIP line, which the app
            hands its contact centre and event loop once it serves, and stops when it stops.
        variety: Each contact meets a company drawn from the profile's
            ``[contact_centre.variety]`` (``--variety``); off, every contact meets the routes as
            written (:mod:`sandbox.contact_centre.variety`).
    """

    profile: ServiceProfile
    db_path: Path
    seed: int = 0
    time_scale: float = 1.0
    clock: Clock = field(default=time.time)
    abandon_after_seconds: float = ABANDON_AFTER_SECONDS
    returning_customers: bool = True
    storefront: Storefront = Storefront.CLASSIC
    mail_desk: MailDesk | None = None
    phone_line: PhoneLine | None = None
    variety: bool = False


def default_route_groups(storefront: Storefront = Storefront.CLASSIC) -> list[RouteGroup]:
    """Every channel the demo company offers, with the shop in the given style."""
    return [
        RouteGroup("shop", storefront.routes(), PACKAGE_DIR / "templates"),
        RouteGroup(
            "contact centre",
            [
                *contact_pages.routes(),
                *contact_api.routes(),
                *social.routes(),
                *desk.routes(),
                *webmail.routes(),
            ],
            PACKAGE_DIR / "templates",
        ),
        RouteGroup("test-only JSON", internal.routes()),
    ]


def create_app(config: SandboxConfig, route_groups: Sequence[RouteGroup] | None = None) -> Starlette:
    """Open (and seed) the database and assemble the app from its route groups.

    Raises:
        ProfileError: the profile's ``[contact_centre]`` tables are malformed.
    """
    groups = default_route_groups(config.storefront) if route_groups is None else list(route_groups)
    # The time scale shortens the contact centre's waits (queues, holds, e-mail replies),
    # never the shop's business rules: "cancellable for 10 s" stays 10 s, so a journey
    # at a short scale still tests the real window.
    profile = config.profile
    rng = random.Random(config.seed)
    database = Database(config.db_path)
    try:
        contact_centre = build_contact_centre(
            profile,
            time_scale=config.time_scale,
            db=database,
            clock=config.clock,
            rng=rng,
            seed=config.seed,
            abandon_after=config.abandon_after_seconds,
            variety=config.variety,
        )
    except BaseException:
        database.close()
        raise
    with database.transaction() as connection:
        seed_catalogue(connection)
        if config.returning_customers:
            seed_returning_customers(connection, now=config.clock())
    template_dirs = [PACKAGE_DIR / "templates"] + [
        group.template_dir
        for group in groups
        if group.template_dir is not None and group.template_dir != PACKAGE_DIR / "templates"
    ]
    state = SandboxState(
        profile=profile,
        time_scale=config.time_scale,
        db=database,
        clock=config.clock,
        rng=rng,
        templates=build_templates(template_dirs, layout=config.storefront.layout),
        order_links=OrderLinks.for_seed(config.seed),
        contact_centre=contact_centre,
    )

    mail_desk, phone_line = config.mail_desk, config.phone_line
    if mail_desk is not None and contact_centre is not None:
        mail_desk.serve(contact_centre)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if mail_desk is not None:
            mail_desk.start()
        if phone_line is not None and contact_centre is not None:
            with database.transaction() as connection:  # what a caller may ask for by name
                names = {
                    "product": [product.name for product in list_products(connection)],
                    "shipping_method": [method.name for method in list_shipping_methods(connection)],
                }
            phone_line.serve(contact_centre, asyncio.get_running_loop(), names)
        try:
            yield
        finally:
            if phone_line is not None:  # its calls leave their conversations on this loop
                await asyncio.to_thread(phone_line.stop)
            if mail_desk is not None:
                await mail_desk.close()
            if contact_centre is not None:
                await contact_centre.hub.close()
            database.close()

    routes: list[BaseRoute] = [
        Route("/healthz", _healthz, methods=["GET"]),
        Mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static"),
    ]
    for group in groups:
        routes.extend(group.routes)
    app = Starlette(
        routes=routes,
        exception_handlers={404: _not_found},
        lifespan=lifespan,
    )
    app.state.sandbox = state
    return app


def stop_streams(app: Starlette) -> None:
    """End every open event stream now (a server about to stop calls this on its loop)."""
    state: SandboxState = app.state.sandbox
    if state.contact_centre is not None:
        state.contact_centre.hub.end_streams()


async def _healthz(request: Request) -> Response:
    """Liveness for whoever started the sandbox."""
    return PlainTextResponse("ok")


async def _not_found(request: Request, exc: Exception) -> Response:
    """A page a customer can find their way back from."""
    if isinstance(exc, HTTPException) and request.url.path.startswith("/__sandbox__/"):
        return PlainTextResponse(exc.detail, status_code=404)
    return render(request, "not_found.html", status_code=404)
