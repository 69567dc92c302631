"""A chat widget as vendors ship it: inside an iframe, with its speaker in a class and its
time in a ``<time datetime>``; read with only the company profile saying so.

The widget is served to a real Chromium by Playwright's routing from the strings below; it
answers on its own, as a vendor's widget does, so the test reads what a page showed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Route

from journeys.channels.chat import ChatWidget
from journeys.channels.conversational import Line
from journeys.company.profile import CompanyProfile, load_company_file

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://help.example.test"

HELP = '<!doctype html><title>Help</title><main><iframe id="vendor-chat" src="/widget"></iframe></main>'
WIDGET = """<!doctype html><title>Chat</title>
<button id="open">Chat with us</button>
<label>Your name <input id="name"></label><label>Your email <input id="email"></label>
<button id="start">Start chat</button>
<ol id="log" role="log" aria-label="Conversation"></ol>
<label>Message <input id="message"></label><button id="send">Send</button><button>End chat</button>
<script>
const log = document.getElementById("log");
const add = (who, words, stamp) => {
  const item = document.createElement("li");
  item.className = "bubble bubble--" + who;
  item.innerHTML = '<time datetime="' + stamp + '">now</time><p class="words"></p>';
  item.querySelector(".words").textContent = words;
  log.appendChild(item);
};
document.getElementById("start").onclick = () => {
  setTimeout(() => add("agent", "Hi, this is Sam from Orders", "2026-11-30T10:00:05+0000"), 50);
};
document.getElementById("send").onclick = () => {
  const box = document.getElementById("message");
  add("visitor", box.value, "2026-11-30T10:00:09+0000");
  const ask = "Could you tell me your order number, please?";
  setTimeout(() => add("agent", ask, "2026-11-30T10:00:12+0000"), 50);
};
</script>"""


def serve(route: Route) -> None:
    path = route.request.url.removeprefix(SITE)
    body = {"/help": HELP, "/widget": WIDGET}.get(path)
    route.fulfill(status=200 if body else 404, content_type="text/html", body=body or "not found")


def header(text: str, table: str) -> int:
    """Where a table's header line starts (not a comment that names it)."""
    found = re.search(rf"(?m)^\[{re.escape(table)}\]$", text)
    assert found is not None, table
    return found.start()


def vendor_profile(tmp_path: Path) -> CompanyProfile:
    """The demo company's profile, with the vendor's widget and transcript described instead."""
    text = (ROOT / "companies" / "sandbox.toml").read_text(encoding="utf-8")
    start, end = header(text, "conversation.transcript"), header(text, "conversation.fields")
    text = (
        text[:start]
        + """[conversation.transcript]
entry = "li"
text = ".words"
speaker_class = 'bubble--(?P<speaker>\\w+)'
customer = "visitor"
time = "time"
time_attribute = "datetime"
time_format = "%Y-%m-%dT%H:%M:%S%z"

"""
        + text[end:]
    )
    start, end = header(text, "chat"), header(text, "social")
    frame = 'frame = "#vendor-chat"'
    text = (
        text[:start]
        + f"""[chat]
timeout = 10
[chat.pages]
start = "/help"
[chat.locators]
open = {{ role = "button", name = "Chat with us", {frame} }}
name = {{ label = "Your name", {frame} }}
email = {{ label = "Your email", {frame} }}
start = {{ role = "button", name = "Start chat", {frame} }}
transcript = {{ role = "log", name = "Conversation", {frame} }}
message = {{ label = "Message", exact = true, {frame} }}
send = {{ role = "button", name = "Send", exact = true, {frame} }}
end = {{ role = "button", name = "End chat", {frame} }}

"""
        + text[end:]
    )
    text = re.sub(r"(?m)^base_url = .*$", f'base_url = "{SITE}"', text)
    text = re.sub(r"(?m)^allowed_hosts = .*$", 'allowed_hosts = ["help.example.test"]', text)
    text = text[: header(text, "server")] + text[header(text, "web") :]
    text = text[: header(text, "phone")]  # its line and mailbox, whose servers its [server] starts
    path = tmp_path / "vendor.toml"
    path.write_text(text, encoding="utf-8")
    return load_company_file(path)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.route(f"{SITE}/**", serve)
    yield context
    context.close()


def read_until(widget: ChatWidget, seen: list[Line], total: int) -> list[Line]:
    """Wait until the widget shows ``total`` lines (the page's own event), then read the new ones."""
    widget.locator("transcript").locator("li").nth(total - 1).wait_for(state="attached")
    seen += widget.new_lines()
    assert len(seen) == total, seen
    return seen


def test_a_widget_in_an_iframe_is_read_with_its_speakers_and_times(
    tmp_path: Path, context: BrowserContext
) -> None:
    widget = ChatWidget(vendor_profile(tmp_path), context)
    widget.start("Ann Example", "ann@example.com")
    seen: list[Line] = []
    [greeting] = read_until(widget, seen, 1)
    assert widget.say("Where is my order?")
    customer, question = read_until(widget, seen, 3)[1:]

    assert (greeting.speaker, greeting.text) == ("agent", "Hi, this is Sam from Orders")
    assert (customer.speaker, customer.text) == ("visitor", "Where is my order?")
    assert question.text == "Could you tell me your order number, please?"
    # The times are the page's own, not when the harness saw the lines.
    stamps = [dt.datetime.fromtimestamp(line.at, dt.UTC) for line in (greeting, customer, question)]
    assert [f"{stamp:%H:%M:%S}" for stamp in stamps] == ["10:00:05", "10:00:09", "10:00:12"]


def test_a_speaker_written_in_the_text_is_taken_off_the_words() -> None:
    from journeys.channels.conversational import read_line
    from journeys.company.profile import load_company

    spec = load_company("sandbox", ROOT).conversation
    assert spec is not None
    import dataclasses

    by_text = dataclasses.replace(
        spec, speaker_attribute=None, speaker_pattern=re.compile(r"^(?P<speaker>[^:]+):\s*")
    )
    line = read_line({"at": 5.0, "speaker": "", "text": "Sam: Hello there", "written": ""}, by_text)
    assert (line.speaker, line.text, line.at) == ("Sam", "Hello there", 5.0)
