"""The web shop's storefront styles: two shops on one database.

``classic`` is a one-page checkout with a card form and order pages behind a cookie
(:mod:`sandbox.shop.pages`, :mod:`sandbox.shop.order_pages`). ``steps`` breaks every
assumption a harness could make from it: a basket instead of a cart, a checkout over six
pages (guest e-mail, delivery address with country drop-down, shipping by buttons, pay on
delivery or by invoice, a preview), order pages only by a signed link, and no cancel button
(:mod:`sandbox.shop.steps_pages`, :mod:`sandbox.shop.steps_checkout_pages`,
:mod:`sandbox.shop.steps_order_pages`).

Both sell the same catalogue from the same stock, and place orders the contact centre's
agents find, cancel and return, so chat, phone and e-mail journeys work with either.
"""

from __future__ import annotations

from enum import StrEnum

from starlette.routing import BaseRoute

from sandbox.shop import pages as classic_pages
from sandbox.shop import steps_checkout_pages, steps_order_pages, steps_pages


class Storefront(StrEnum):
    """A storefront style; the value is the ``--storefront`` option's."""

    CLASSIC = "classic"
    STEPS = "steps"

    @property
    def layout(self) -> str:
        """The template every page of this style extends (the contact pages' too)."""
        return "base.html" if self is Storefront.CLASSIC else "steps/base.html"

    def routes(self) -> list[BaseRoute]:
        """The shop's routes in this style, for :func:`sandbox.app.create_app`."""
        if self is Storefront.CLASSIC:
            return classic_pages.routes()
        return [
            *steps_pages.routes(),
            *steps_checkout_pages.routes(),
            *steps_order_pages.routes(),
        ]
