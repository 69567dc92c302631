"""A phone call through the company's browser softphone: captions, keypad, typed speech."""

from __future__ import annotations

from journeys.channels.chat import TranscriptPage
from journeys.channels.conversational import Opening


class Softphone(TranscriptPage):
    """Dial from the softphone, listen to captions, press keys, speak (typed), hang up."""

    channel = "phone"
    opening: Opening = "after_greeting"

    def start(self, caller_number: str) -> None:
        with self.action("call the company"):
            self.goto("start")
            self.fill("number", caller_number)
            self.watch_transcript()
            self.locator("call").click()

    def say(self, text: str) -> bool:
        return self.type_and_send("say", "speak", text)

    def press(self, key: str) -> None:
        with self.action(f"press {key} on the keypad"):
            self.locator("key", key=key).click()

    def leave(self) -> None:
        hang_up = self.locator("hang_up")
        if hang_up.count() and hang_up.first.is_enabled():
            with self.action("hang up"):
                hang_up.first.click()
