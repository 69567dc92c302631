"""The contact pages' contract with the harness: headings, labels, names and roles.

Read without a browser, as the locators read them (accessible names by exact text). The
chat widget is built by ``static/chat.js``, so its names are checked in the script; the
browser test (``test_sandbox_contact_browser``) sees them for real.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sandbox_client import FakeClock, Page, Shop, TestClient

from sandbox.app import SandboxConfig, create_app
from sandbox.errors import ProfileError
from sandbox.profiles import PROFILES_DIR, load_profile

STATIC = Path(__file__).resolve().parents[2] / "sandbox" / "static"
KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]


def roles(page: Page, role: str) -> dict[str, str]:
    """aria-label -> text of the elements with this role."""
    return {
        element.attrs.get("aria-label", ""): element.text
        for element in page.elements
        if element.attrs.get("role") == role
    }


def test_the_help_hub_offers_every_channel(shop: Shop) -> None:
    page = shop.page("/help")
    assert page.texts("h1") == ["Contact us"]
    links = page.links()
    assert {
        name: links[name]
        for name in ("Chat with us", "Message us on Chirp", "Call us", "Email us", "Open webmail")
    } == {
        "Chat with us": "/chat",
        "Message us on Chirp": "/social/BrightlineHelp",
        "Call us": "/phone",
        "Email us": "/contact",
        "Open webmail": "/mail",
    }
    assert "0800 555 0199" in page.data_field("phone-number")


@pytest.mark.parametrize("url", ["/", "/cart", "/orders/lookup", "/help", "/phone", "/contact"])
def test_every_shop_page_links_help_and_carries_the_chat_widget(shop: Shop, url: str) -> None:
    page = shop.page(url)
    assert page.links()["Help"] == "/help"
    assert '<script src="/static/chat.js" defer></script>' in page.html


def test_the_chat_widget_script_uses_the_contract_names() -> None:
    script = (STATIC / "chat.js").read_text()
    for name in (
        "Chat with us",
        '"aria-label": "Chat"',
        "Your name",
        "Your email",
        "Start chat",
        '"aria-label": "Chat transcript"',
        '"Message"',
        '"Send"',
        "End chat",
    ):
        assert name in script, name
    assert 'role: "dialog"' in script and 'role: "log"' in script and '"aria-live": "polite"' in script
    shared = (STATIC / "conversation.js").read_text()
    assert 'className = "who"' in shared and 'className = "says"' in shared
    assert "dataset.speaker" in shared


def test_the_chat_page_hosts_the_chat_open(shop: Shop) -> None:
    page = shop.page("/chat")
    assert page.texts("h1") == ["Chat with us"]
    assert "data-chat-inline" in page.html


def test_the_softphone(shop: Shop) -> None:
    page = shop.page("/phone")
    assert page.texts("h1") == ["Call Brightline Appliances"]
    assert page.input_labelled("Your number")["type"] == "tel"
    assert page.input_labelled("Say")["type"] == "text"
    assert roles(page, "status") == {"Call status": "Ready"}
    assert "Captions" in roles(page, "log")
    assert 'aria-live="polite"' in page.html
    assert "Keypad" in roles(page, "group")
    buttons = page.buttons()
    assert [name for name in buttons if name in KEYS] == KEYS
    assert buttons["Call"] and not buttons["Hang up"] and not buttons["Speak"]


def test_the_webmail_opens_an_inbox(shop: Shop) -> None:
    page = shop.page("/mail")
    assert page.texts("h1") == ["Webmail"]
    assert page.input_labelled("Email address")["type"] == "email"
    assert page.buttons() == {"Open inbox": True}
    inbox = shop.read(shop.client.post("/mail", data={"address": "ann@example.com"}))
    assert inbox.texts("h1") == ["Inbox"]
    assert '<table class="lines inbox" aria-label="Inbox">' in inbox.html
    assert re.findall(r'<th scope="col">(\w+)</th>', inbox.html) == ["From", "Subject", "Received"]
    assert shop.client.get("/mail/messages/nothing-1").status_code == 404


def test_chirp_sign_in_profile_and_messages(shop: Shop) -> None:
    client = shop.client
    assert (
        client.get("/social/messages/BrightlineHelp", follow_redirects=False).headers["location"]
        == "/social?next=%2Fsocial%2Fmessages%2FBrightlineHelp"
    )
    home = shop.page("/social")
    home.input_labelled("Your handle")
    assert home.buttons() == {"Sign in": True}

    signed_in = client.post("/social/sign-in", data={"handle": "@jane.doe"})
    profile = shop.read(signed_in)
    assert str(signed_in.url).endswith("/social/BrightlineHelp")
    assert profile.texts("h1") == ["Brightline Appliances"]
    assert "@BrightlineHelp" in profile.texts("p")
    assert profile.links()["Message"] == "/social/messages/BrightlineHelp"

    messages = shop.page("/social/messages/BrightlineHelp")
    assert "Messages" in roles(messages, "log")
    messages.input_labelled("Write a message")
    assert messages.buttons() == {"Send": True}
    assert "Signed in as @jane.doe" in messages.texts("p")

    away = client.post(
        "/social/sign-in",
        data={"handle": "@x", "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert away.headers["location"] == "/social/BrightlineHelp"


def test_conversations_refuse_what_they_cannot_do(shop: Shop) -> None:
    client = shop.client
    assert client.post("/chat/conversations", json={"name": "Ann"}).status_code == 422
    assert client.post("/phone/calls", json={"number": ""}).status_code == 422
    chat = client.post("/chat/conversations", data={"name": "Ann", "email": "ann@example.com"}).json()
    assert client.post(chat["keys"], json={"key": "1"}).status_code == 422
    assert client.post(chat["messages"], json={"text": ""}).status_code == 422
    missing = client.post("/conversations/nope/messages", json={"text": "hi"})
    assert missing.status_code == 404 and missing.json() == {"error": "No such conversation."}
    assert client.post(chat["end"]).json() == {"ended": True}
    assert client.post(chat["messages"], json={"text": "hello?"}).status_code == 409


def test_the_truth_endpoint_filters_by_customer(shop: Shop) -> None:
    client = shop.client
    client.post("/phone/calls", json={"number": "07700 900123"})
    shop.clock.advance(1)  # contacts come in the order they started
    client.post("/chat/conversations", json={"name": "Ann", "email": "ann@example.com"})
    everyone = client.get("/__sandbox__/truth/contacts").json()
    assert [contact["channel"] for contact in everyone] == ["phone", "chat"]
    (call,) = client.get("/__sandbox__/truth/contacts", params={"customer": "07700 900123"}).json()
    assert call["contact_id"] == "typical-phone-000001"
    for key in (
        "ivr_depth",
        "hold_time",
        "transfer_count",
        "escalation_count",
        "recaptures",
        "holds",
        "fields_asked",
        "references",
        "claimed_outcome",
    ):
        assert key in call
    assert client.get("/__sandbox__/truth/contacts", params={"customer": "x"}).json() == []


def test_a_profile_without_a_contact_centre_still_runs_the_shop(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "shop-only.toml"
    path.write_text(
        'description = "Only a shop."\n[shop]\ncancellation_window_seconds = 5\nprocessing_seconds = 10\n'
    )
    config = SandboxConfig(profile=load_profile(str(path)), db_path=tmp_path / "a.db", clock=clock)
    with TestClient(create_app(config)) as client:
        assert client.get("/").status_code == 200
        assert "not available" in client.get("/help").text
        assert client.post("/phone/calls", json={"number": "1"}).status_code == 503
        assert client.get("/__sandbox__/truth/contacts").json() == []


def test_a_malformed_contact_centre_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    text = (PROFILES_DIR / "typical.toml").read_text()
    path.write_text(text.replace('orders = ["Dana", "Marcus", "Sofia"]', "orders = []"))
    with pytest.raises(ProfileError, match=r"broken\.toml: \[contact_centre\.agents\] orders"):
        create_app(SandboxConfig(profile=load_profile(str(path)), db_path=tmp_path / "b.db"))


def test_the_readme_names_only_what_the_pages_show() -> None:
    sandbox = STATIC.parent
    readme = (sandbox / "README.md").read_text()
    table = [line for line in readme.splitlines() if line.startswith("| `/")]
    names = {
        name
        for row in table
        for name in re.findall(r"`([^`]+)`", row.split("|")[2])
        if not name.startswith(("/", "<", "[", "?")) and "…" not in name and ": " not in name
    }
    sources = "".join(
        path.read_text()
        for pattern in ("templates/**/*.html", "static/*.js", "**/*.py")
        for path in sandbox.glob(pattern)
    )
    assert len(names) > 30
    assert sorted(name for name in names if name not in sources) == []
