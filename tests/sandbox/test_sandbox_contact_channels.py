"""Each channel end to end: a scripted customer, the truth endpoint, and the shop's real state.

The customer reads only the words (the engine's recognisers), exactly as the harness will;
the test then checks what the sandbox says really happened (``/__sandbox__/truth``) and what
the database holds (an RMA, a warranty case, a repair visit, a cancelled order or not).
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime

import httpx
from contact_client import (
    ANSWERS,
    EMAIL,
    OPENERS,
    TICKET_PATH,
    LiveSandbox,
    MakeLiveSandbox,
    ScriptedCustomer,
    Transcript,
    ticket_form,
)

from sandbox.contact.actions import REPAIR_LEAD_BUSINESS_DAYS
from sandbox.contact_centre.outcomes import business_day_after

PHONE = "07700 900123"
HANDLE = "@ann.lee"


def chat(sandbox: LiveSandbox, intent: str, order_number: str) -> Transcript:
    """A whole chat about ``intent``, answered with this order's number."""
    urls = sandbox.client.post("/chat/conversations", json={"name": "Ann Lee", "email": EMAIL}).json()
    transcript = Transcript(sandbox.url, urls["events"])
    sandbox.client.post(urls["messages"], json={"text": OPENERS[intent]})
    customer = ScriptedCustomer(intent, answers={**ANSWERS, "order number": order_number})
    customer.converse(sandbox, urls, transcript, "chat")
    return transcript


def call(sandbox: LiveSandbox, intent: str, order_number: str = "BL-000000") -> Transcript:
    """A whole call about ``intent``: menu keys, then answers said aloud."""
    urls = sandbox.client.post("/phone/calls", json={"number": PHONE}).json()
    transcript = Transcript(sandbox.url, urls["events"])
    customer = ScriptedCustomer(intent, answers={**ANSWERS, "order number": order_number})
    customer.converse(sandbox, urls, transcript, "phone")
    return transcript


def test_a_return_by_chat_creates_a_real_rma(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    number = sandbox.place_web_order()
    transcript = chat(sandbox, "return", number)

    (truth,) = sandbox.truth(EMAIL)
    assert truth["channel"] == "chat" and truth["intent"] == "return"
    assert truth["transfer_count"] == 1 and truth["recaptures"] == 1  # a cold transfer
    assert truth["action_performed"] and truth["ended_by"] == "company"
    (reference,) = [given["reference"] for given in truth["references"]]
    rows = sandbox.query("SELECT r.reference, o.number FROM returns r JOIN orders o ON o.id = r.order_id")
    assert [tuple(row) for row in rows] == [(reference, number)]
    assert any(reference in text for text in transcript.texts())
    assert transcript.lines[-1].entry["ended"]


def test_an_order_status_by_social_dm(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    number = sandbox.place_web_order()
    with httpx.Client(base_url=sandbox.url, timeout=10) as browser:
        assert browser.post("/social/sign-in", data={"handle": HANDLE}).status_code == 303

        def send(text: str) -> dict[str, str]:
            response = browser.post("/social/messages/BrightlineHelp", json={"text": text})
            assert response.status_code == 202, response.text
            sent: dict[str, str] = response.json()
            return sent

        urls = send(OPENERS["enquiry"])
        page = browser.get("/social/messages/BrightlineHelp").text
        assert f'data-events="{urls["events"]}"' in page  # the open contact is replayed
        transcript = Transcript(sandbox.url, urls["events"])
        customer = ScriptedCustomer("enquiry", answers={**ANSWERS, "order number": number})
        customer.converse(sandbox, urls, transcript, "social", say=lambda text: send(text))

        assert 'data-events=""' in browser.get("/social/messages/BrightlineHelp").text
    (truth,) = sandbox.truth(HANDLE)
    assert truth["channel"] == "social" and truth["intent"] == "enquiry"
    # The time scale leaves the shop's 10 s window alone: the order is still placed.
    assert truth["action_performed"] and truth["action_result"] == "placed"
    assert truth["channel_switch_offered_after"] == 3  # the rule of three
    assert any("status" in text and "placed" in text for text in transcript.texts())
    agents_lines = [line for line in transcript.company_lines() if line.entry["speaker"] == "agent"]
    assert all(line.entry["who"] for line in agents_lines if not line.entry["transient"])


def test_a_repair_by_phone_books_a_real_visit(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("typical", time_scale=0.02)
    transcript = call(sandbox, "repair")

    (truth,) = sandbox.truth(PHONE)
    assert truth["channel"] == "phone" and truth["intent"] == "repair"
    assert truth["ivr_depth"] == 2
    assert [text for text in transcript.texts() if text.startswith("Pressed")] == [
        "Pressed 2",
        "Pressed 2",
    ]
    (reference,) = [given["reference"] for given in truth["references"]]
    (row,) = sandbox.query("SELECT reference, serial_number, postcode, visit_date FROM repairs")
    visit = business_day_after(datetime.now(UTC).date(), REPAIR_LEAD_BUSINESS_DAYS)
    assert tuple(row) == (reference, "SN-778812", "SW1A 1AA", visit.isoformat())
    assert truth["claimed_outcome"] == "resolved" and truth["promises"][0]["backed"]


def test_a_warranty_claim_by_email_arrives_in_the_webmail_when_due(
    live_sandbox: MakeLiveSandbox,
) -> None:
    sandbox = live_sandbox("typical", time_scale=0.0005)  # a reply takes 0.45 s
    number = sandbox.place_web_order(slug="blender-3000")
    customer = ScriptedCustomer("warranty", answers={**ANSWERS, "order number": number})
    with httpx.Client(base_url=sandbox.url, timeout=10, follow_redirects=True) as browser:
        form = ticket_form(EMAIL, "Warranty claim", "I'd like to make a warranty claim for my blender.")
        sent = browser.post("/contact", data={**form, "topic": "repairs"})
        assert TICKET_PATH.match(sent.url.path) and "<h1>Ticket T-" in sent.text
        browser.post("/mail", data={"address": EMAIL})
        # nothing shows before it is due (0.45 s, which a busy machine may have spent already)
        assert all(time.time() >= due.timestamp() for _, due in _new_emails(browser, set()))

        read: set[str] = set()
        deadline = time.monotonic() + 20
        while not any("WC-" in text for text in _bodies(browser, read)):
            assert time.monotonic() < deadline, "no warranty case by email"
            new = _new_emails(browser, read)
            for email_id, due in new:
                assert time.time() >= due.timestamp()  # never shown before it is due
                read.add(email_id)
                page = browser.get(f"/mail/messages/{email_id}").text
                assert "From: " in page and "&lt;support@brightline.example&gt;" in page
                for paragraph in _paragraphs(page):
                    action = customer.reply_to(paragraph, "email")
                    if action is not None:
                        reply = browser.post(f"/mail/messages/{email_id}/reply", data={"reply": action[1]})
                        assert "Your reply has been sent." in reply.text
            time.sleep(0.02)

        (truth,) = sandbox.truth(EMAIL)
        assert truth["channel"] == "email" and truth["intent"] == "warranty"
        assert truth["escalation_count"] == 1 and truth["action_performed"]
        (reference,) = [given["reference"] for given in truth["references"]]
        (row,) = sandbox.query("SELECT reference, serial_number, purchase_date FROM warranty_cases")
        assert tuple(row) == (reference, "SN-778812", "2 March 2025")

        # The company closed that contact: a reply opens a new one on the same subject.
        last = max(read, key=lambda email_id: int(email_id.rpartition("-")[2]))
        browser.post(f"/mail/messages/{last}/reply", data={"reply": "Thanks! Is it cancelled?"})
        first, second = sandbox.truth(EMAIL)
        assert first["contact_id"] == truth["contact_id"] and second["intent"] == "cancel"


def test_a_cancel_by_chat_under_advocate_really_cancels(live_sandbox: MakeLiveSandbox) -> None:
    sandbox = live_sandbox("advocate", time_scale=0.02)
    number = sandbox.place_web_order()
    chat(sandbox, "cancel", number)

    (truth,) = sandbox.truth(EMAIL)
    assert truth["action_result"] == "cancelled" and truth["references"][0]["real"]
    assert sandbox.client.get(f"/__sandbox__/orders/{number}").json()["status"] == "cancelled"


def test_a_cancel_by_phone_under_purgatory_is_claimed_but_not_done(
    live_sandbox: MakeLiveSandbox,
) -> None:
    sandbox = live_sandbox("purgatory", time_scale=0.002)
    number = sandbox.place_web_order()
    transcript = call(sandbox, "cancel", number)

    (truth,) = sandbox.truth(PHONE)
    assert truth["ivr_depth"] == 4
    assert truth["transfer_count"] == 1 and truth["escalation_count"] == 1
    assert truth["claimed_outcome"] == "resolved" and not truth["action_performed"]
    assert truth["references"] == [{"at": truth["references"][0]["at"], "reference": number, "real": False}]
    assert any("cancelled" in text for text in transcript.texts())
    assert sandbox.client.get(f"/__sandbox__/orders/{number}").json()["status"] != "cancelled"


def _new_emails(browser: httpx.Client, read: set[str]) -> list[tuple[str, datetime]]:
    """Emails in the inbox not read yet, oldest first, with their arrival times."""
    page = browser.get("/mail").text
    rows = re.findall(r'href="/mail/messages/([^"]+)".*?datetime="([^"]+)"', page, re.S)
    found = [(email_id, datetime.fromisoformat(at)) for email_id, at in rows]
    return sorted((row for row in found if row[0] not in read), key=lambda row: row[1])


def _bodies(browser: httpx.Client, read: set[str]) -> list[str]:
    return [" ".join(_paragraphs(browser.get(f"/mail/messages/{i}").text)) for i in read]


def _paragraphs(page: str) -> list[str]:
    body = page.split('<div class="mail-body">', 1)[1].split("</div>", 1)[0]
    paragraphs = re.findall(r"<p>(.*?)</p>", body, re.S)
    return [html.unescape(re.sub(r"\s+", " ", text)).strip() for text in paragraphs]


def test_the_same_seed_gives_the_same_contact(live_sandbox: MakeLiveSandbox) -> None:
    runs = [live_sandbox("typical", time_scale=0.02, seed=11) for _ in range(2)]
    texts = [call(sandbox, "repair").texts() for sandbox in runs]
    truths = [sandbox.truth(PHONE)[0] for sandbox in runs]

    assert texts[0] == texts[1]
    assert _without_times(truths[0]) == _without_times(truths[1])


def _without_times(truth: dict[str, object]) -> tuple[object, ...]:
    agents = truth["agents"]
    references = truth["references"]
    assert isinstance(agents, list) and isinstance(references, list)
    return (
        truth["contact_id"],
        [agent["agent"] for agent in agents],
        [given["reference"] for given in references],
        truth["fields_asked"],
        truth["ivr_depth"],
    )
