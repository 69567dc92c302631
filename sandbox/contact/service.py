"""The demo company's contact centre, as the web layer holds it for the app's lifetime.

One :class:`ContactCentreService` per app: the ``[contact_centre]`` tables of the service
profile (scaled by the sandbox's ``--time-scale``), the ground truth of every contact, the
database-backed actions, the hub of live conversations, and the support desk's tickets (every
email contact gets one as it opens). Each conversation gets its own
generator seeded from the sandbox's seed and the conversation's number (its phrasing), and
meets a company drawn from the profile's variety by the sandbox's seed, the channel, the
customer and the intent, so the same seed and the same customer meet the same company
whatever order contacts arrive in.
"""

from __future__ import annotations

import dataclasses
import itertools
import random

from sandbox.contact.actions import ShopServiceActions
from sandbox.contact.hub import ABANDON_AFTER_SECONDS, Clock, ConversationHub, LiveConversation
from sandbox.contact.tickets import TicketBook
from sandbox.contact_centre import (
    ContactCentreProfile,
    ContactCentreProfileError,
    Conversation,
    ServiceActions,
    TruthLog,
    load_contact_centre_profile,
)
from sandbox.contact_centre.customers import CustomerRecords, OrderIdentities, OrdersOf
from sandbox.contact_centre.model import Channel
from sandbox.db import Database
from sandbox.errors import ProfileError
from sandbox.profiles import ServiceProfile

SUPPORT_EMAIL = "support@brightline.example"
"""The address the company writes from and customers write to."""


class ContactCentreService:
    """The contact centre of one running sandbox.

    Args:
        profile: How the company serves, durations already scaled.
        actions: What agents really do (the shop's database).
        seed: The sandbox's seed; each conversation's generator derives from it.
        clock: The sandbox's clock. Conversations sleep in real time until outputs are
            due, so it must be a real clock (``time.time``) for them to progress.
        abandon_after: Real seconds without an event stream after which a conversation
            is left.
        order_identities: Who an order is for (its e-mail, its phone), so that the
            company's memory of customers joins the channels of one customer; see
            :mod:`sandbox.contact_centre.customers`.
        orders_of: How many orders the shop holds for an e-mail address (an order number is
            remembered only for a customer with one).
    """

    def __init__(
        self,
        profile: ContactCentreProfile,
        actions: ServiceActions,
        *,
        seed: int,
        clock: Clock,
        abandon_after: float = ABANDON_AFTER_SECONDS,
        order_identities: OrderIdentities | None = None,
        orders_of: OrdersOf | None = None,
    ) -> None:
        self.profile = profile
        self.actions = actions
        self.seed = seed
        self.clock = clock
        self.truth_log = TruthLog()
        self.customers = CustomerRecords(order_identities, orders_of)
        self.hub = ConversationHub(clock, abandon_after=abandon_after)
        self.tickets = TicketBook(seed)
        # First watcher: the ticket exists before anyone else (the mail desk) sees the contact.
        self.hub.watch_openings(self.tickets.open_for)
        self._numbers = itertools.count(1)

    @property
    def phone_number(self) -> str:
        """The number the company gives out (the help page, the switch offer)."""
        return self.profile.phone_number

    def open(
        self, channel: Channel, customer: str, *, subject: str = "", paced: bool = False
    ) -> LiveConversation:
        """Open a contact for ``customer`` (their email, handle or number) and start it.

        ``paced``: a channel that delivers one output at a time (the SIP line), see
        :meth:`~sandbox.contact_centre.Conversation.take_next`.
        """
        number = next(self._numbers)
        conversation = Conversation(
            self.profile,
            channel,
            customer,
            random.Random(f"contact-centre:{self.seed}:{number}"),
            self.clock(),
            self.actions,
            contact_id=f"{self.profile.name}-{channel}-{number:06d}",
            truth_log=self.truth_log,
            customers=self.customers,
            paced=paced,
            seed=self.seed,
        )
        return self.hub.open(conversation, subject=subject)


def build_contact_centre(
    profile: ServiceProfile,
    *,
    time_scale: float,
    db: Database,
    clock: Clock,
    rng: random.Random,
    seed: int,
    abandon_after: float = ABANDON_AFTER_SECONDS,
    variety: bool = False,
) -> ContactCentreService | None:
    """The contact centre a service profile describes, or None if it has no ``[contact_centre]``.

    Args:
        profile: The service profile with its shop durations already scaled.
        time_scale: The sandbox's ``--time-scale``, applied on top of the table's own.
        variety: Draw each contact's company from the profile's variety (``--variety``); off,
            the routes as written, which is what the demo's features expect of a profile.

    Raises:
        ProfileError: the ``[contact_centre]`` tables are malformed (one line naming the
            file, the table and the key).
    """
    if "contact_centre" not in profile.other_tables:
        return None
    try:
        loaded = load_contact_centre_profile(profile.other_tables, profile.source)
    except ContactCentreProfileError as error:
        raise ProfileError(str(error)) from error
    if not variety:
        loaded = dataclasses.replace(loaded, variety=None)
    actions = ShopServiceActions(db=db, shop=profile.shop, clock=clock, rng=rng)
    return ContactCentreService(
        loaded.scaled(time_scale),
        actions,
        seed=seed,
        clock=clock,
        abandon_after=abandon_after,
        order_identities=actions.order_identities,
        orders_of=actions.orders_of,
    )
