"""The support desk: the ticket form, the ticket page and its replies, as a customer uses them.

The form and the pages are read as the harness's locators read them (labels, headings, the
words of each entry's header, the ``title`` of its ``<time>``); the company's answers are waited
for by polling the page against a deadline, at a small time scale, never by a fixed sleep.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

import httpx
import pytest
from contact_client import (
    ANSWERS,
    EMAIL,
    TICKET_PATH,
    LiveSandbox,
    MakeLiveSandbox,
    ScriptedCustomer,
    ticket_form,
)
from playwright.sync_api import Browser, expect
from sandbox_client import MakeShop, Page, Shop

TIME_TITLE = "%Y-%m-%dT%H:%M:%S.%f%z"
"""The format the harness reads an entry's ``<time title>`` with."""
AGENT_AUTHOR = re.compile(r"^by (?P<agent>[A-Z][a-z]+) \((?P<department>[A-Z][\w ]+)\)$")
TICKET_HEADING = re.compile(r"^Ticket T-\d{6}$")
WAIT_SECONDS = 20.0


@dataclass
class Entry:
    """One entry of a ticket's thread, as read from the page."""

    author: str = ""
    time_title: str = ""
    time_text: str = ""
    paragraphs: list[str] = field(default_factory=list)

    @property
    def at(self) -> datetime:
        return datetime.strptime(self.time_title, TIME_TITLE)


class Thread(HTMLParser):
    """The ``<article>``\\ s of a ticket page: the header's words, the time's title, the ``<p>``\\ s."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[Entry] = []
        self._in: list[str] = []
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.entries.append(Entry())
        elif self.entries and "article" in self._in:
            if tag == "time":
                self.entries[-1].time_title = dict(attrs).get("title") or ""
            if tag in ("span", "time", "p"):
                self._text = []
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if "article" in self._in and self.entries:
            words = " ".join("".join(self._text).split())
            entry = self.entries[-1]
            if tag == "span" and "header" in self._in:
                entry.author = words
            elif tag == "time":
                entry.time_text = words
            elif tag == "p":
                entry.paragraphs.append(words)
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def open_ticket(client: httpx.Client, form: dict[str, str]) -> str:
    """Send the form; the ticket page's path it redirects to."""
    sent = client.post("/contact", data=form, follow_redirects=False)
    assert sent.status_code == 303, sent.text[:500]
    location = sent.headers["location"]
    assert TICKET_PATH.match(location), location
    return location


def wait_for_entry(client: httpx.Client, path: str, wanted: re.Pattern[str], after: int = 0) -> list[Entry]:
    """Re-read the ticket page until an entry after the first ``after`` has an author ``wanted``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        entries = Thread(client.get(path).text).entries
        if any(wanted.match(entry.author) for entry in entries[after:]):
            return entries
        assert time.monotonic() < deadline, f"no entry by {wanted.pattern} in {WAIT_SECONDS:.0f} s: {entries}"
        time.sleep(0.05)


# -- the form -----------------------------------------------------------------------------


def test_the_form_asks_what_a_help_desk_asks(shop: Shop) -> None:
    page = shop.page("/contact")
    assert page.texts("h1") == ["Contact support"]
    assert page.input_labelled("Your email")["type"] == "email"
    topics = page.select_labelled("Topic")
    assert list(topics)[:5] == [
        "Choose a topic",
        "Orders",
        "Returns",
        "Repairs and warranty",
        "Something else",
    ]
    assert topics[""] == "" and topics["Choose a topic"] == ""
    for label in ("Order number", "Serial number", "Subject"):
        assert page.input_labelled(label)["type"] == "text"
    assert '<label for="contact-message">Message</label>' in page.html
    assert '<textarea id="contact-message" name="message"' in page.html
    assert "Your name" not in page.texts("label")
    assert page.buttons() == {"Send message": True}


@pytest.mark.parametrize(
    ("missing", "alert"),
    [
        ("email", "Please enter your email."),
        ("topic", "Please choose a topic."),
        ("subject", "Please enter a subject."),
        ("message", "Please write your message."),
    ],
)
def test_the_form_says_what_is_missing(shop: Shop, missing: str, alert: str) -> None:
    form = ticket_form(EMAIL, "Return", "I want to return my toaster", topic="returns")
    response = shop.client.post("/contact", data={**form, missing: ""})
    assert response.status_code == 422
    page = shop.read(response)
    assert page.role("alert") == [alert]
    invalid = re.findall(r'id="contact-(\w+)"[^>]*aria-invalid="true"', response.text.replace("\n", " "))
    assert invalid == [missing]
    assert shop.client.get("/__sandbox__/truth/contacts").json() == []


def test_the_form_refuses_a_bad_address_and_an_unknown_topic(shop: Shop) -> None:
    bad_address = shop.client.post("/contact", data=ticket_form("not-an-email", "x", "y"))
    assert shop.read(bad_address).role("alert") == ["Please enter a valid email address."]
    unknown = shop.client.post("/contact", data=ticket_form(EMAIL, "x", "y", topic="sales"))
    assert shop.read(unknown).role("alert") == ["Please choose a topic."]
    assert shop.client.get("/__sandbox__/truth/contacts").json() == []


# -- the ticket page ----------------------------------------------------------------------


def test_a_sent_form_opens_a_ticket_whose_first_entry_is_the_customers(shop: Shop) -> None:
    form = ticket_form(
        EMAIL,
        "Return",
        "I want to return my toaster",
        topic="returns",
        order_number="BL-123456",
        serial_number="",
    )
    path = open_ticket(shop.client, form)
    response = shop.client.get(path)
    page = Page(response.text)
    (heading,) = page.texts("h1")
    assert TICKET_HEADING.match(heading)
    assert (page.described("Status"), page.described("Topic"), page.described("Order number")) == (
        "Open",
        "Returns",
        "BL-123456",
    )
    first = Thread(response.text).entries[0]
    assert first.author == "by you"
    # what the contact centre heard: the subject, the message, then each identifier given
    assert first.paragraphs == ["Return", "I want to return my toaster", "Order number: BL-123456"]
    assert first.at.timestamp() == pytest.approx(shop.clock(), abs=0.001)
    assert first.time_text == first.at.strftime("%H:%M")
    assert "data-speaker" not in response.text
    assert '<label for="ticket-reply">Your reply</label>' in response.text
    assert f'action="{path}/reply"' in response.text and "Send reply" in page.buttons()
    (contact,) = shop.client.get("/__sandbox__/truth/contacts", params={"customer": EMAIL}).json()
    assert (contact["channel"], contact["intent"]) == ("email", "return")


def test_references_are_the_runs_own_and_reproducible(make_shop: MakeShop) -> None:
    def references(shop: Shop) -> list[str]:
        paths = [
            open_ticket(shop.client, ticket_form(EMAIL, f"Case {n}", "Where is my order?")) for n in (1, 2)
        ]
        return [Page(shop.client.get(path).text).texts("h1")[0] for path in paths]

    first, again = references(make_shop(name="a")), references(make_shop(name="b"))
    assert first == again and len(set(first)) == 2
    assert references(make_shop(name="c", seed=8)) != first


def test_an_unknown_ticket_is_not_found(shop: Shop) -> None:
    assert shop.client.get("/tickets/not-a-ticket").status_code == 404
    reply = shop.client.post("/tickets/not-a-ticket/reply", data={"reply": "hello?"}, follow_redirects=False)
    assert reply.status_code == 404


def test_an_empty_reply_is_one_alert(shop: Shop) -> None:
    path = open_ticket(shop.client, ticket_form(EMAIL, "Return", "I want to return my toaster"))
    response = shop.client.post(f"{path}/reply", data={"reply": " "})
    assert response.status_code == 422
    assert shop.read(response).role("alert") == ["Please write your reply."]
    assert 'id="ticket-reply" name="reply" rows="5" aria-invalid="true"' in response.text


# -- with the company answering -----------------------------------------------------------


def test_the_company_answers_on_the_ticket_and_a_reply_continues_the_contact(
    live_sandbox: MakeLiveSandbox,
) -> None:
    sandbox = live_sandbox("typical", time_scale=0.0005)  # an e-mail answer takes about half a second
    number = sandbox.place_web_order()
    customer = ScriptedCustomer("cancel", answers={**ANSWERS, "order number": number})
    with httpx.Client(base_url=sandbox.url, timeout=10) as client:
        form = ticket_form(EMAIL, "Cancel my order", "Please cancel my order.", topic="orders")
        path = open_ticket(client, form)
        entries = wait_for_entry(client, path, AGENT_AUTHOR)
        assert entries[0].author == "by you"
        answer = next(entry for entry in entries if AGENT_AUTHOR.match(entry.author))
        assert answer.at > entries[0].at and answer.paragraphs
        assert answer.time_text == answer.at.strftime("%H:%M")
        (contact,) = sandbox.truth(EMAIL)
        assert answer.at.timestamp() >= contact["started_at"]

        asked = [
            action
            for entry in entries
            if entry.author != "by you"
            for paragraph in entry.paragraphs
            if (action := customer.reply_to(paragraph, "email")) is not None
        ]
        words = asked[0][1] if asked else "Thank you."
        sent = client.post(f"{path}/reply", data={"reply": words}, follow_redirects=False)
        assert (sent.status_code, sent.headers["location"]) == (303, path)
        page = client.get(path)  # the notice rides on a cookie
        assert Page(page.text).role("status") == ["Your reply has been sent."]
        mine = [entry for entry in Thread(page.text).entries if entry.author == "by you"]
        assert mine[-1].paragraphs == [words]
        wait_for_entry(client, path, re.compile(r"^by (?!you$)"), after=len(entries) + 1)

    (contact,) = sandbox.truth(EMAIL)  # one contact: the reply went on with it
    assert contact["channel"] == "email" and contact["intent"] == "cancel"


def test_a_reply_to_a_closed_ticket_is_refused_with_a_sign_in(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=0.0005)
    with httpx.Client(base_url=sandbox.url, timeout=10) as client:
        path = open_ticket(client, ticket_form(EMAIL, "Return", "I want to return my toaster"))
        _finish(sandbox, path)
        assert Page(client.get(path).text).described("Status") == "Closed"
        before = Thread(client.get(path).text).entries

        refused = client.post(f"{path}/reply", data={"reply": "Are you there?"}, follow_redirects=False)
        assert (refused.status_code, refused.headers["location"]) == (303, f"/login?next={path}")
        login = Page(client.get(refused.headers["location"]).text)
        assert login.texts("h1") == ["Sign in to reply"]
        assert login.input_labelled("Email")["type"] == "email"
        assert login.input_labelled("Password")["type"] == "password"
        tried = client.post("/login", params={"next": path}, data={"email": EMAIL, "password": "x"})
        assert Page(tried.text).role("alert") == ["Sign-in is not available in this demo."]
        assert Thread(client.get(path).text).entries == before  # the refused words went nowhere
    assert len(sandbox.truth(EMAIL)) == 1


def _finish(sandbox: LiveSandbox, path: str) -> None:
    """End the contact as a customer who walks away does (the engine is thread-safe)."""
    live = sandbox.service.hub.get(path.rpartition("/")[2])
    live.conversation.leave(time.time())


def test_a_customer_fills_the_form_in_a_browser(live_sandbox: MakeLiveSandbox, browser: Browser) -> None:
    sandbox = live_sandbox("typical", time_scale=0.0005)
    page = browser.new_page()
    try:
        page.goto(f"{sandbox.url}/help")
        page.get_by_role("link", name="Email us").click()
        expect(page.get_by_role("heading", name="Contact support")).to_be_visible()
        page.get_by_label("Your email").fill(EMAIL)
        page.get_by_label("Topic").select_option(label="Repairs and warranty")
        page.get_by_label("Serial number").fill("SN-778812")
        page.get_by_label("Subject").fill("Broken dishwasher")
        page.get_by_label("Message", exact=True).fill("My dishwasher stopped working.")
        page.get_by_role("button", name="Send message").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(TICKET_HEADING)
        assert TICKET_PATH.match(page.url.removeprefix(sandbox.url))
        thread = page.locator("article")
        expect(thread.first.locator("header")).to_contain_text("by you")
        expect(thread.first.locator("p").last).to_have_text("Serial number: SN-778812")
        answer = thread.filter(has=page.locator("header", has_text=re.compile(r"by [A-Z][a-z]+ \(")))
        for _ in range(int(WAIT_SECONDS / 0.25)):  # the page is re-read as a customer reloads it
            if answer.count():
                break
            page.wait_for_timeout(250)
            page.reload()
        expect(answer.first).to_be_visible()
        title = answer.first.locator("time").get_attribute("title")
        assert title is not None and datetime.strptime(title, TIME_TITLE)
        expect(page.get_by_label("Your reply")).to_be_editable()
    finally:
        page.close()
    (truth,) = sandbox.truth(EMAIL)
    assert truth["intent"] == "repair"
