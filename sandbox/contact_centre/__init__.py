"""The simulated contact centre of the demo company: a pure engine, no web, no I/O.

Behind the sandbox's chat widget, social DMs, softphone and webmail, this package
plays the company's people: queues, phone menus, named agents in departments,
transfers, holds, questions (and questions asked again), resolutions that change
real state through :class:`ServiceActions`, references, promises and surveys. How
well the company serves comes from the ``[contact_centre]`` tables of a service
profile (``sandbox/profiles/*.toml``; schema in ``README.md`` next to this file),
and every contact's ground truth is kept in a :class:`TruthLog`.

Public API::

    load_contact_centre_profile(document, path)   validate parsed TOML -> ContactCentreProfile
    load_contact_centre_profile_file(path)        the same, reading the file
    Conversation(profile, channel, customer, rng, started_at, actions, truth_log=...)
        .customer_says(text, at) / .press(key, at) / .leave(at) / .hang_up(at)
        .due_outputs(now) -> list[Output]   .next_due() -> float | None   .truth
    Output, OutputKind                            what to show, and when
    ServiceActions (Protocol), CancelResult, OrderStatus, ActionResult, CustomerDetails
    TruthLog, ContactTruth                        what really happened
    ContactCentreError, ContactCentreProfileError, ConversationError

Modules: ``model`` (vocabulary), ``profile`` (validated values), ``loader``,
``ivr_loader`` and ``tables`` (validation), ``phrasing`` (every sentence),
``recognisers`` (the patterns a harness should use), ``understanding`` (intents
and field values), ``stage`` (the script's clock and outputs), ``script`` (the
company's behaviour), ``outcomes`` (actions and what is said about them),
``conversation`` (the clock-driven driver), ``customers`` (one record per
customer across channels), ``truth``, ``actions`` and
``in_memory`` (a test double of the shop, not for production).
"""

from __future__ import annotations

from sandbox.contact_centre.actions import (
    ActionResult,
    CancelResult,
    CustomerDetails,
    OrderStatus,
    ServiceActions,
)
from sandbox.contact_centre.conversation import Conversation
from sandbox.contact_centre.errors import (
    ContactCentreError,
    ContactCentreProfileError,
    ConversationError,
)
from sandbox.contact_centre.loader import (
    load_contact_centre_profile,
    load_contact_centre_profile_file,
)
from sandbox.contact_centre.model import Output, OutputKind, RefusalReason
from sandbox.contact_centre.profile import ContactCentreProfile
from sandbox.contact_centre.truth import ContactTruth, TruthLog

__all__ = [
    "ActionResult",
    "CancelResult",
    "ContactCentreError",
    "ContactCentreProfile",
    "ContactCentreProfileError",
    "ContactTruth",
    "Conversation",
    "ConversationError",
    "CustomerDetails",
    "OrderStatus",
    "Output",
    "OutputKind",
    "RefusalReason",
    "ServiceActions",
    "TruthLog",
    "load_contact_centre_profile",
    "load_contact_centre_profile_file",
]
