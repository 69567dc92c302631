"""The live channels in a real headless browser: what a person (and the harness) sees.

Smoke tests only: each opens a channel with the contract's accessible names and sees the
company answer, pushed into the page by the server when due.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from contact_client import MakeLiveSandbox
from playwright.sync_api import Browser, expect

from journeys.company.profile import load_company

TIMEOUT = 10_000  # ms
NAME = re.compile(r"^[A-Z][a-z]+$")  # an agent's first name


def test_a_call_shows_captions_and_the_call_status(live_sandbox: MakeLiveSandbox, browser: Browser) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    page = browser.new_page()
    try:
        page.goto(f"{sandbox.url}/phone")
        status = page.get_by_role("status", name="Call status")
        expect(status).to_have_text("Ready")
        page.get_by_label("Your number").fill("07700 900123")
        page.get_by_role("button", name="Call", exact=True).click()
        captions = page.get_by_role("log", name="Captions")
        expect(captions.locator("li").first).to_contain_text("press 1", timeout=TIMEOUT)
        expect(captions.locator("li").first).to_have_attribute("data-speaker", "system")
        expect(status).to_have_text("Connected")

        keypad = page.get_by_role("group", name="Keypad")
        keypad.get_by_role("button", name="2", exact=True).click()
        expect(captions.locator('li[data-speaker="customer"]')).to_have_text("Pressed 2")
        keypad.get_by_role("button", name="1", exact=True).click()
        expect(status).to_have_text("On hold", timeout=TIMEOUT)  # the queue
        expect(captions.locator('li[data-speaker="agent"] .who').first).to_have_text(NAME, timeout=TIMEOUT)
        expect(status).to_have_text("Connected")
        page.get_by_role("button", name="Hang up").click()
        expect(status).to_have_text("Call ended")
    finally:
        page.close()
    (truth,) = sandbox.truth("07700 900123")
    assert truth["ivr_depth"] == 2 and truth["ended_by"] == "customer"


def test_the_chat_widget_on_a_shop_page(live_sandbox: MakeLiveSandbox, browser: Browser) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    page = browser.new_page()
    try:
        page.goto(f"{sandbox.url}/")
        expect(page.get_by_role("status")).to_have_count(0)  # the shop's notice stays unique
        page.get_by_role("button", name="Chat with us").click()
        chat = page.get_by_role("dialog", name="Chat")
        chat.get_by_label("Your name").fill("Ann Lee")
        chat.get_by_label("Your email").fill("ann@example.com")
        hidden_log = chat.get_by_role("log", name="Chat transcript", include_hidden=True)
        expect(hidden_log).to_be_attached()  # watchable before the chat starts
        expect(chat.get_by_label("Message")).to_have_count(0)  # but no clashing fields yet
        chat.get_by_role("button", name="Start chat").click()
        expect(chat.get_by_label("Your name")).to_have_count(0)
        transcript = chat.get_by_role("log", name="Chat transcript")
        expect(transcript.locator("li").first).to_contain_text("Welcome", timeout=TIMEOUT)

        chat.get_by_label("Message").fill("I need to cancel my order")
        chat.get_by_role("button", name="Send", exact=True).click()
        expect(transcript.locator('li[data-speaker="customer"] .says')).to_have_text(
            "I need to cancel my order"
        )
        agent = transcript.locator('li[data-speaker="agent"]').first
        expect(agent.locator("b.who")).to_have_text(NAME, timeout=TIMEOUT)
        # Each line says when the company wrote it, as the profile reads it: a wait is then the
        # company's own, however late a busy browser showed the line.
        written = transcript.locator("li").evaluate_all("lines => lines.map(line => line.dataset.time)")
        reading = load_company("sandbox", Path(__file__).resolve().parents[2]).conversation
        assert reading is not None and reading.time_format is not None
        stamps = [dt.datetime.strptime(stamp, reading.time_format).timestamp() for stamp in written]
        assert stamps == sorted(stamps) and stamps[-1] <= page.evaluate("Date.now() / 1000"), written

        page.goto(f"{sandbox.url}/contact")  # the chat follows the customer around the shop
        expect(page.get_by_role("dialog", name="Chat")).to_have_count(0)  # until reopened
        page.get_by_label("Your email").fill("ann@example.com")  # so the contact form's names stay unique
        page.get_by_role("button", name="Chat with us").click()
        chat = page.get_by_role("dialog", name="Chat")
        expect(chat.get_by_role("log", name="Chat transcript").locator("li").first).to_contain_text(
            "Welcome", timeout=TIMEOUT
        )
        chat.get_by_role("button", name="End chat").click()
        expect(chat.get_by_label("Message")).to_be_disabled()
        expect(chat.get_by_role("button", name="New chat")).to_be_visible()
    finally:
        page.close()
    (truth,) = sandbox.truth("ann@example.com")
    assert truth["intent"] == "cancel" and truth["ended_by"] == "customer"


def test_a_direct_message_on_chirp(live_sandbox: MakeLiveSandbox, browser: Browser) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    page = browser.new_page()
    try:
        page.goto(f"{sandbox.url}/help")
        page.get_by_role("link", name="Message us on Chirp").click()
        expect(page.get_by_role("heading", name="Brightline Appliances")).to_be_visible()
        page.get_by_role("link", name="Message").click()
        page.get_by_label("Your handle").fill("@jane.doe")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Write a message").fill("Where is my order?")
        page.get_by_role("button", name="Send").click()
        messages = page.get_by_role("log", name="Messages")
        expect(messages.locator('li[data-speaker="customer"]')).to_have_text("Where is my order?")
        expect(messages.locator('li[data-speaker="agent"] b.who').first).to_have_text(NAME, timeout=TIMEOUT)
    finally:
        page.close()
    (truth,) = sandbox.truth("@jane.doe")
    assert truth["channel"] == "social" and truth["intent"] == "enquiry"
