"""The words feature files use for channels and tags, and their checks.

Step definitions convert their parameters with these functions, so a misspelt
channel fails with a message that lists the words that work.
"""

from __future__ import annotations

import difflib

from journeys.domain.timeline import Channel
from journeys.errors import StepUsageError

CHANNEL_WORDS: dict[str, Channel] = {
    "the web": "web",
    "web": "web",
    "the web shop": "web",
    "chat": "chat",
    "the chat": "chat",
    "social": "social",
    "a social DM": "social",
    "social DM": "social",
    "the phone": "phone",
    "phone": "phone",
    "email": "email",
    "e-mail": "email",
    "the support desk": "desk",
    "the help desk": "desk",
    "the support form": "desk",
}

KNOWN_TAGS: tuple[str, ...] = (
    "ordering",
    "cancellation",
    "returns",
    "warranty",
    "repair",
    "cross_channel",
    "enquiry",
    "web",
    "chat",
    "social",
    "phone",
    "email",
    "desk",
    "smoke",
    "nightly",
)
"""The tags a feature file may use (without ``@``); the plugin registers each as a marker."""


def channel_named(words: str) -> Channel:
    """The channel a feature file names ("the web", "chat", "the phone" ...)."""
    channel = CHANNEL_WORDS.get(words.strip())
    if channel is not None:
        return channel
    close = difflib.get_close_matches(words.strip(), CHANNEL_WORDS, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise StepUsageError(
        f"unknown channel {words!r}: {hint}say one of: " + ", ".join(repr(word) for word in CHANNEL_WORDS)
    )
