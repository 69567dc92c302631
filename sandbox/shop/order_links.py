"""Signed order links: the only way to an order page in the ``steps`` storefront.

A link is ``/account/orders/{number}/{token}/`` where the token is an HMAC of the order
number. The key is derived from the sandbox's seed, so a seed reproduces a run (and a link
printed on a confirmation page keeps working when a ``--db`` file is served again), while
knowing an order number alone never opens its page.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

_TOKEN_LENGTH = 32  # hex digits: 128 bits of the HMAC


@dataclass(frozen=True)
class OrderLinks:
    """Makes and checks the tokens of order links.

    Attributes:
        key: The HMAC key; see :meth:`for_seed`.
    """

    key: bytes

    @classmethod
    def for_seed(cls, seed: int) -> OrderLinks:
        """The links of a sandbox started with this seed."""
        return cls(hashlib.sha256(f"brightline order links {seed}".encode()).digest())

    def token(self, order_number: str) -> str:
        """The token that opens one order's page."""
        digest = hmac.new(self.key, order_number.encode(), hashlib.sha256).hexdigest()
        return digest[:_TOKEN_LENGTH]

    def is_valid(self, order_number: str, token: str) -> bool:
        """Whether a token is this order's, compared in constant time."""
        return hmac.compare_digest(self.token(order_number), token)

    def order_url(self, order_number: str) -> str:
        """The order page's path, as the confirmation page and the lookup give it."""
        return f"/account/orders/{order_number}/{self.token(order_number)}/"
