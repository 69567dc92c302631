"""The company's memory of its customers across channels: one record per customer.

A contact knows its customer by what its channel knows: the e-mail address on chat and
e-mail, the handle on social, the caller's number on the phone. Those identities are
joined into one customer as the company learns that they belong together: a contact is
told an e-mail address or a phone number (that contact's identity and the one told are the
same customer), or an order number (the order's e-mail and phone, as the shop holds them,
are that customer's). A handle is therefore unknown until its DM has told the company one
of these; a caller is known at once when their number is the one on an order. A phone number
is a weak identity (a household shares one; the harness's personas can draw the same one):
it never joins two customers who each have an e-mail address, so one customer's memory is
never another's; the first customer to give a number keeps it.

Every contact writes here what it asked and what it was told, whatever the profile; the
profile decides only whether an agent *looks* (``remembers_across_channels``). So the truth
can count, under any profile, a field asked again that an earlier contact was told: the
recapture across contacts a customer feels when they repeat themselves on a new channel.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sandbox.contact_centre.model import Channel, FieldName

OrderIdentities = Callable[[str], Iterable[str]]
"""An order number -> the identities the shop holds for it (its e-mail, its phone)."""
OrdersOf = Callable[[str], int]
"""An e-mail address -> how many orders the shop holds for it."""


def identity(channel: Channel | str, customer: str) -> str:
    """The key of who a contact's customer is: its channel's identity, normalised."""
    if channel == "phone":
        return phone_identity(customer)
    if channel == "social":
        return f"handle:{customer.strip().casefold()}"
    return email_identity(customer)


def email_identity(address: str) -> str:
    return f"email:{address.strip().casefold()}"


def phone_identity(number: str) -> str:
    """A number as its digits: ``555-0112-3456`` and ``55501123456`` are one line."""
    return f"phone:{re.sub(r'[^0-9]', '', number)}"


@dataclass
class _Contact:
    key: str
    asked: set[FieldName] = field(default_factory=set)
    told: dict[FieldName, str] = field(default_factory=dict)


class CustomerRecords:
    """Every customer the company has met, and what each contact asked and was told.

    Thread-safe: the conversations of every channel share one.

    Args:
        order_identities: who an order is for, as the shop holds it; without it an order
            number joins only the contacts that were told the same number.
        orders_of: how many orders the shop holds for an e-mail address. An order number
            is remembered only for a customer with one order: a customer with several may
            call about another (the demo's returning customers are a few accounts that many
            journeys share, and an agent who took the last order told was wrong); without
            it, every order number told is remembered.
    """

    def __init__(
        self, order_identities: OrderIdentities | None = None, orders_of: OrdersOf | None = None
    ) -> None:
        self._order_identities = order_identities
        self._orders_of = orders_of
        self._parent: dict[str, str] = {}
        self._contacts: dict[str, _Contact] = {}
        self._lock = threading.Lock()

    def opened(self, contact_id: str, channel: Channel, customer: str) -> None:
        """A contact started; its customer is who its channel says."""
        with self._lock:
            self._contacts[contact_id] = _Contact(self._find(identity(channel, customer)))

    def asked(self, contact_id: str, name: FieldName) -> bool:
        """The contact asks for a field: True when it is the first time this contact asks
        and an earlier contact of the same customer had asked for it already."""
        with self._lock:
            contact = self._contacts[contact_id]
            if name in contact.asked:
                return False
            contact.asked.add(name)
            return any(name in other.asked for other in self._others(contact_id))

    def told(self, contact_id: str, name: FieldName, value: str) -> None:
        """The contact was told a field's value; what identifies the customer joins records."""
        joined = self._identities(name, value)  # the shop is asked outside the lock
        with self._lock:
            contact = self._contacts[contact_id]
            contact.told[name] = value
            for key in joined:
                if key.startswith("phone:") and self._two_addressed(contact.key, key):
                    continue
                self._union(contact.key, key)

    def remembered(self, contact_id: str, name: FieldName) -> str | None:
        """What another contact of the same customer was told of a field (the latest), if any;
        an order number only for a customer the shop holds one order for."""
        with self._lock:
            values = [other.told[name] for other in self._others(contact_id) if name in other.told]
            root = self._find(self._contacts[contact_id].key)
            addresses = [key[len("email:") :] for key in list(self._parent) if key.startswith("email:")]
            addresses = [address for address in addresses if self._find(f"email:{address}") == root]
        if not values:
            return None
        several = (  # the shop is asked outside the lock
            name == "order_number"
            and self._orders_of is not None
            and sum(self._orders_of(address) for address in addresses) > 1
        )
        return None if several else values[-1]  # with several orders, which one must be asked

    def _identities(self, name: FieldName, value: str) -> list[str]:
        if name == "email":
            return [email_identity(value)]
        if name == "phone":
            return [phone_identity(value)] if re.search(r"[0-9]", value) else []
        if name != "order_number":
            return []
        found = [f"order:{value.upper()}"]
        if self._order_identities is not None:
            for known in self._order_identities(value):
                if "@" in known:
                    found.append(email_identity(known))
                elif re.search(r"[0-9]", known):
                    found.append(phone_identity(known))
        return found

    def _others(self, contact_id: str) -> list[_Contact]:
        """The other contacts of this contact's customer, in the order they opened."""
        root = self._find(self._contacts[contact_id].key)
        return [
            contact
            for key, contact in self._contacts.items()
            if key != contact_id and self._find(contact.key) == root
        ]

    def _two_addressed(self, one: str, other: str) -> bool:
        """Whether two keys are two customers that each have an e-mail address."""
        first, second = self._find(one), self._find(other)
        if first == second:
            return False
        addressed = {self._find(key) for key in list(self._parent) if key.startswith("email:")}
        return first in addressed and second in addressed

    def _find(self, key: str) -> str:
        self._parent.setdefault(key, key)
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]  # halve the path as we go
            key = self._parent[key]
        return key

    def _union(self, one: str, other: str) -> None:
        first, second = self._find(one), self._find(other)
        if first != second:
            self._parent[second] = first
