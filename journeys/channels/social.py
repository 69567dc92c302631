"""Direct messages to the company's account on a social network."""

from __future__ import annotations

from journeys.channels.chat import TranscriptPage
from journeys.channels.conversational import Opening


class SocialInbox(TranscriptPage):
    """Sign in to the network, open the company's DM thread, write first."""

    channel = "social"
    opening: Opening = "at_once"

    def start(self, handle: str) -> None:
        with self.action("sign in to the social network"):
            self.goto("start")
            self.fill("handle", handle)
            self.locator("sign_in").click()
        with self.action("open the company's messages"):
            self.goto("messages")
            self.watch_transcript()
