"""E-mail: the company's contact form out, the customer's webmail inbox in.

Replies are read from the inbox as they arrive; each one's events are stamped
with the time the message says it was received, not the time the customer
happened to look.
"""

from __future__ import annotations

import datetime as dt
import time

from playwright.sync_api import BrowserContext

from journeys.channels.chat import TranscriptPage
from journeys.channels.conversational import Line, Opening
from journeys.company.profile import CompanyProfile


class Mailbox(TranscriptPage):
    """Write through the contact form; read and answer replies in the webmail."""

    channel = "email"
    opening: Opening = "never"
    written = True

    def __init__(self, company: CompanyProfile, context: BrowserContext) -> None:
        super().__init__(company, context)
        self.address = ""
        self.seen: set[str] = set()
        self.latest: str | None = None
        self.last_look = 0.0

    def start(self, name: str, email: str, subject: str, message: str) -> None:
        self.address = email
        with self.action("write to the company"):
            self.goto("contact")
            self.fill("name", name)
            self.fill("email", email)
            self.fill("subject", subject)
            self.fill("message", message)
            self.locator("send").click()
            self.page.get_by_role("status").first.wait_for()
        with self.action("open the inbox"):
            self.goto("inbox")
            self.fill("address", email)
            self.locator("open_inbox").click()

    def new_lines(self) -> list[Line]:
        if time.time() - self.last_look < self.spec.poll_seconds:
            return []
        self.last_look = time.time()
        lines: list[Line] = []
        with self.action("look for replies in the inbox"):
            self.goto("inbox")
            links = self.locator("inbox_message")
            hrefs = [links.nth(index).get_attribute("href") or "" for index in range(links.count())]
            for href in hrefs:
                if not href or href in self.seen:
                    continue
                self.seen.add(href)
                lines.extend(self._read(href))
        lines.sort(key=lambda line: line.at)
        return lines

    def _read(self, href: str) -> list[Line]:
        self.page.goto(self.company.base_url + href if href.startswith("/") else href)
        self.latest = self.page.url
        stamp = self.locator("received").first.get_attribute("datetime") or ""
        received = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
        paragraphs = self.locator("body")
        return [
            Line(received, "agent", paragraphs.nth(index).inner_text().strip())
            for index in range(paragraphs.count())
        ]

    def say(self, text: str) -> bool:
        with self.action("reply to the company's e-mail"):
            if self.latest is None:
                return False
            self.page.goto(self.latest)
            self.fill("reply", text)
            self.locator("send_reply").click()
        return True
