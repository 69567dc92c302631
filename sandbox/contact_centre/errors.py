"""Every error the contact centre raises on purpose, under one root.

::

    ContactCentreError               root: catch this to catch everything we raise
    ├── ContactCentreProfileError    a profile's [contact_centre] tables are malformed: the one-line
    │                                message names the file, the table and the key
    └── ConversationError            the web layer used a conversation wrongly (an unknown
                                     channel for the profile, a key press on a text channel)
"""

from __future__ import annotations


class ContactCentreError(Exception):
    """Root of every error the contact centre raises on purpose."""


class ContactCentreProfileError(ContactCentreError):
    """A profile's ``[contact_centre]`` tables are missing, malformed or inconsistent.

    The message is one line: ``<file>: [<table>] <key>: <what is wrong>``.
    """


class ConversationError(ContactCentreError):
    """The caller drove a conversation in a way the engine cannot honour (a programming error)."""
