"""The chat widget on the company's site, driven as a customer types into it."""

from __future__ import annotations

from contextlib import AbstractContextManager

from playwright.sync_api import BrowserContext, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from journeys.channels.base import Typing, customer_action, resolve
from journeys.channels.conversational import Line, Opening, await_lines, drain_lines, observe_transcript
from journeys.company.profile import ChannelSpec, CompanyProfile, ConversationSpec
from journeys.errors import ConfigError, JourneyBroken


def channel_spec(company: CompanyProfile, channel: str) -> tuple[ChannelSpec, ConversationSpec]:
    """The channel's section of the company profile, or a clear error if it has none."""
    spec, conversation = company.channels.get(channel), company.conversation
    if spec is None or conversation is None:
        raise ConfigError(
            f"{company.path}: no [{channel}] table: this company's {channel} channel is not described"
        )
    return spec, conversation


class TranscriptPage:
    """A page with a live transcript: shared by chat, social DM and the softphone."""

    channel = "chat"
    opening: Opening = "after_greeting"
    written = False
    hears_holds = False
    settle_floor = 1.0

    def __init__(self, company: CompanyProfile, context: BrowserContext) -> None:
        self.company = company
        self.spec, self.conversation = channel_spec(company, self.channel)
        self.answer_timeout = self.spec.answer_timeout
        self.page: Page = context.new_page()
        self.page.set_default_timeout(self.spec.timeout * 1000)
        self.typing = Typing(company.secrets)
        self._awaited: list[Line] | None = None

    def locator(self, name: str, **values: str) -> Locator:
        spec = self.spec.locators[name]
        return resolve(self.page, spec.filled(**values) if values else spec)

    def fill(self, name: str, value: str) -> None:
        """Type into the field the profile names (masked on screenshots if the value is secret)."""
        self.typing.fill(self.locator(name), value)

    def action(self, action: str) -> AbstractContextManager[None]:
        return customer_action(self.channel, action, self.spec.timeout)

    def goto(self, page_key: str) -> None:
        self.page.goto(self.company.base_url + self.spec.pages[page_key])

    def watch_transcript(self) -> None:
        transcript = self.locator("transcript")
        transcript.wait_for(state="attached")
        observe_transcript(transcript, self.conversation)

    def quiet_for(self) -> float | None:

        return None

    def new_lines(self) -> list[Line]:
        if self._awaited is not None:  # what the last pause brought: no second round trip
            lines, self._awaited = self._awaited, None
            return lines
        with self.action("read the conversation"):
            return drain_lines(self.locator("transcript"), self.conversation)

    def type_and_send(self, field: str, button: str, text: str) -> bool:
        """Type and send; False when the company had closed the conversation first.

        A company may close a conversation while the customer is still typing (it
        stopped waiting for a survey answer): that is an outcome, not a broken journey.
        """
        box, send = self.locator(field), self.locator(button)
        with self.action("send a message"):
            if not (box.is_enabled() and send.is_enabled()):
                return False
            try:  # the channel's own timeout: 2 s broke a journey of 32 at once on a busy machine
                self.typing.fill(box, text)
                send.click()
            except PlaywrightTimeout:
                if not (box.is_enabled() and send.is_enabled()):
                    return False  # closed between the check and the typing or the click
                raise
        return True

    def say(self, text: str, *, field: str | None = None) -> bool:
        return self.type_and_send("message", "send", text)

    def press(self, key: str) -> None:
        raise JourneyBroken(
            f"{self.channel}: the company asked for a key press, which this channel has no keypad for",
            channel=self.channel,
            action="press a key",
        )

    def leave(self) -> None:
        """Customers just close the tab when there is nothing to press."""

    def pause(self, seconds: float) -> None:
        """Wait in the page for the transcript's next line, at most ``seconds``; the lines it
        brings are the next :meth:`new_lines`."""
        with self.action("read the conversation"):
            awaited = await_lines(self.locator("transcript"), self.conversation, seconds)
        self._awaited = [*(self._awaited or []), *awaited]

    def screenshot(self, path: str) -> bool:
        if self.page.is_closed():
            return False
        self.typing.screenshot(self.page, path)
        return True


class ChatWidget(TranscriptPage):
    """The site's chat: open the widget, give name and e-mail, start chatting."""

    channel = "chat"
    opening: Opening = "after_greeting"

    def start(self, name: str, email: str) -> None:
        with self.action("open the chat"):
            self.goto("start")
            self.locator("open").click()
            self.fill("name", name)
            self.fill("email", email)
            self.watch_transcript()
            self.locator("start").click()

    def leave(self) -> None:
        end = self.locator("end")
        if end.count() and end.first.is_enabled():
            with self.action("end the chat"):
                end.first.click()
