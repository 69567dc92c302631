"""The demo company's real phone line: SIP calls answered by the contact centre.

:class:`PhoneLine` is the line (``python -m sandbox --phone``); :mod:`.call` plays and hears
one call; :mod:`.speech` is the company's voice and hold music; :mod:`.listening` and
:mod:`.spoken` are its ear (each module's docstring states its conventions: how references
are read out, which spoken forms are understood).
"""

from __future__ import annotations

from sandbox.phone.line import PhoneLine

__all__ = ["PhoneLine"]
