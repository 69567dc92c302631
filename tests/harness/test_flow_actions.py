"""Every kind of flow step, played in a real headless Chromium, and the rule that keeps
"the company does not offer it" (a finding) apart from "the harness could not go on" (broken).

The pages are served to the browser by Playwright's own routing from the strings below:
small, but shaped like real shops (a drop-down, a combobox, buttons inside cards, an
iframe, a result that appears late, a signed link).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Route

from journeys.channels.web import WebShop
from journeys.company.profile import CompanyProfile, load_company_file
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind
from journeys.errors import ConfigError, JourneyBroken

SITE = "https://shop.example.test"

CHECKOUT = """<!doctype html><title>Checkout</title><main>
<h1>Checkout</h1>
<label>Country <select id="country"><option>Canada</option><option>United States</option></select></label>
<label><input type="checkbox" id="agree"> I agree to the terms</label>
<label><input type="radio" name="pay" id="cod"> Pay on delivery</label>
<label for="state">State</label>
<input id="state" role="combobox" aria-controls="states" aria-expanded="false" autocomplete="off">
<ul id="states" role="listbox" hidden></ul>
<span id="slot-label">Delivery slot</span>
<button id="slot" role="combobox" aria-labelledby="slot-label" aria-expanded="false">Pick one</button>
<ul id="slots" role="listbox" hidden></ul>
<article><h2>Standard</h2><button onclick="ship='Standard'">Select option</button></article>
<article><h2>Express</h2><button onclick="ship='Express'">Select option</button></article>
<iframe srcdoc="<button onclick='parent.chatted=true'>Chat with us</button>"></iframe>
<button id="place">Place order</button>
<p id="done" hidden></p>
<script>
let ship = "none";
const states = ["Ohio", "Oklahoma", "Oregon"];
const box = document.getElementById("state"), list = document.getElementById("states");
box.addEventListener("input", () => {
  list.innerHTML = "";
  for (const name of states.filter(s => s.startsWith(box.value))) {
    const item = document.createElement("li");
    item.setAttribute("role", "option"); item.textContent = name;
    item.onclick = () => { box.value = name; list.hidden = true; };
    list.appendChild(item);
  }
  list.hidden = false;
});
const slot = document.getElementById("slot"), slots = document.getElementById("slots");
slot.onclick = () => setTimeout(() => {  // the list arrives a moment later, as from a server
  slots.innerHTML = "";
  for (const name of ["Morning", "Evening"]) {
    const item = document.createElement("li");
    item.setAttribute("role", "option"); item.textContent = name;
    item.onclick = () => { slot.textContent = name; slots.hidden = true; };
    slots.appendChild(item);
  }
  slots.hidden = false;
}, 100);
document.getElementById("place").onclick = () => setTimeout(() => {
  const done = document.getElementById("done");
  const chosen = [document.getElementById("country").value, document.getElementById("agree").checked,
                  document.getElementById("cod").checked, box.value, ship, !!window.chatted,
                  slot.textContent];
  done.innerHTML = "Your order number is AC-1234 (" + chosen.join("/") + ")"
    + ' <a href="/account/orders/AC-1234/s1gn3d">View your order</a>';
  done.hidden = false;
}, 300);
</script></main>"""

ORDER = """<!doctype html><title>Order</title><main><h1>Order AC-1234</h1>
<dl><dt>Status</dt><dd class="status">Processing</dd></dl>
<ul><li class="ref">Return RMA-00001</li><li class="ref">Claim WC-00002</li></ul>
<button onclick="document.getElementById('said').hidden = false">Start return</button>
<div id="said" role="alert" hidden>Returns are closed for this order.</div>
</main>"""

PAGES = {
    "/": '<!doctype html><title>Acme</title><main><a href="/checkout">Checkout</a></main>',
    "/checkout": CHECKOUT,
    "/account/orders/AC-1234/s1gn3d": ORDER,
    "/track": "<!doctype html><title>Track</title><main><h1>Track an order</h1></main>",
    "/repairs/RP-00001": "<!doctype html><title>Repair</title><main><h1>Repair RP-00001</h1></main>",
}

PROFILE = """
name = "Acme"
base_url = "https://shop.example.test"
allowed_hosts = ["shop.example.test"]

[web]
timeout = 10

[web.patterns]
order_number = 'AC-\\d{4}'
cancel_confirmed = 'cancelled'

[web.flows]
place_order = [
  { go = "/" },
  { click = { role = "link", name = "Checkout" } },
  { choose = { label = "Country" }, option = "{customer.country}" },
  { check = { label = "I agree to the terms" }, when = { "customer.country" = "United States" } },
  { click = { role = "button", name = "Add VAT number" }, when = { "customer.country" = "Canada" } },
  { choose = { role = "radio", name = "Pay on delivery" } },
  { choose = { role = "combobox", name = "State" }, option = "{customer.state}" },
  { choose = { role = "combobox", name = "Delivery slot" }, option = "Evening" },
  { capture = "page", into = "checkout_page" },
  { click = { role = "button", within = { role = "article", has_text = "{shipping_method}" } } },
  { click = { role = "button", name = "Subscribe" }, when_visible = true },
  { fill = { label = "Serial" }, with = "{serial_number}", if_known = "serial_number" },
  { click = { role = "button", name = "Chat with us", frame = "iframe" } },
  { click = { role = "button", name = "Place order" } },
  { wait_for = [{ css = "#done" }, { role = "alert" }] },
  { read = { role = "alert" }, into = "refusal", when_visible = true },
  { read = "page", match = "order_number", into = "order_number" },
  { read = { css = "#done" }, match = '\\((?P<chosen>[^)]*)\\)', into = "chosen" },
  { capture = { role = "link", name = "View your order" }, into = "order_link" },
]
open_order = [
  { go = "{order_link}", if_known = "order_link" },
  { go = "/track", unless_known = "order_link" },
  { read = { css = "dd.status" }, into = "status", missing = "the shop shows no order {order_number}" },
]
list_aftercare = [
  { run = "open_order" },
  { read_all = { css = "li.ref" }, match = '[A-Z]{2,3}-\\d{5}', into = "references" },
]
cancel_order = [
  { run = "open_order" },
  { click = { role = "button", name = "Cancel order" }, missing = "the order page offers no way to cancel" },
]
request_return = [
  { run = "open_order" },
  { click = { role = "button", name = "Start return" } },
  { read = { role = "alert" }, into = "refusal" },
]
track_repair = [
  { go = "/repairs/{reference}" },
  { read = { css = "[data-field=visit]" }, into = "visit" },
]
"""


def serve(route: Route) -> None:
    path = "/" + route.request.url.removeprefix(SITE).lstrip("/")
    if path in PAGES:
        route.fulfill(status=200, content_type="text/html", body=PAGES[path])
    else:
        route.fulfill(status=404, content_type="text/html", body="<main><h1>Not found</h1></main>")


@pytest.fixture
def company(tmp_path: Path) -> CompanyProfile:
    path = tmp_path / "acme.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return load_company_file(path)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.route(f"{SITE}/**", serve)
    yield context
    context.close()


def shopper() -> Shopper:
    return dataclasses.replace(Shopper.for_journey(0, "flows"), country="United States", state="Ohio")


def test_every_kind_of_step_does_what_a_customer_would(
    company: CompanyProfile, context: BrowserContext
) -> None:
    shop = WebShop(company, context)
    contact = Contact(channel="web", purpose="order")
    result = shop.place_order(contact, product="Kettle", shipping_method="Express", shopper=shopper())

    assert result.order_number == "AC-1234"
    # What the page itself recorded: the drop-down, the checkbox, the radio, the combobox's
    # option, the button inside the Express card, and the button inside the iframe.
    assert shop.remembered["chosen"] == "United States/true/true/Ohio/Express/true/Evening"
    assert shop.remembered["checkout_page"] == f"{SITE}/checkout"  # capture = "page": its address
    assert shop.remembered["order_link"] == f"{SITE}/account/orders/AC-1234/s1gn3d"  # made absolute
    assert [event.kind for event in contact.timeline.events][-2:] == [
        EventKind.REFERENCE_GIVEN,
        EventKind.OUTCOME,
    ]

    # A later flow goes to the link the confirmation gave (if_known), not to the lookup page.
    page = shop.open_order("AC-1234")
    assert page.found and page.status == "Processing"
    assert shop.page.url.endswith("/s1gn3d")
    # run + read_all with a pattern: every reference the order lists.
    assert shop.aftercare_references({"order_number": "AC-1234"}) == ["RMA-00001", "WC-00002"]


def test_a_fact_no_step_found_takes_the_other_branch(
    company: CompanyProfile, context: BrowserContext
) -> None:
    shop = WebShop(company, context)
    shop.shopper = shopper()
    page = shop.open_order("AC-9999")  # no link known: the flow goes to /track, which lists no order
    assert not page.found
    assert page.status == "the shop shows no order AC-9999"


def ordered(company: CompanyProfile, context: BrowserContext) -> WebShop:
    """A tab in which the customer has just placed order AC-1234 (its signed link remembered)."""
    shop = WebShop(company, context)
    shop.place_order(
        Contact(channel="web", purpose="order"), product="K", shipping_method="Standard", shopper=shopper()
    )
    return shop


def test_what_the_customer_looked_for_and_did_not_find_is_a_finding(
    company: CompanyProfile, context: BrowserContext
) -> None:
    shop = ordered(company, context)
    contact = Contact(channel="web", purpose="cancel")
    result = shop.cancel_order(contact, "AC-1234")
    assert not result.cancelled
    assert result.message == "the order page offers no way to cancel"
    outcome = contact.timeline.of_kind(EventKind.OUTCOME)[-1]
    assert outcome.resolved is False and outcome.text == result.message


def test_a_refusal_ends_the_flow_with_what_the_company_said(
    company: CompanyProfile, context: BrowserContext
) -> None:
    shop = ordered(company, context)
    contact = Contact(channel="web", purpose="return")
    result = shop.request_return(contact, "AC-1234", "Faulty")
    assert result.reference is None and result.message == "Returns are closed for this order."
    assert contact.timeline.of_kind(EventKind.MESSAGE_RECEIVED)[-1].text == result.message


def test_a_step_that_does_not_answer_breaks_the_journey_naming_its_line_and_page(
    company: CompanyProfile, context: BrowserContext
) -> None:
    assert company.web is not None
    impatient = dataclasses.replace(company, web=dataclasses.replace(company.web, timeout=1.0))
    shop = WebShop(impatient, context)
    with pytest.raises(JourneyBroken) as caught:
        shop.repair_booking("RP-00001")
    message = str(caught.value)
    line = next(n for n, text in enumerate(PROFILE.splitlines(), 1) if "[data-field=visit]" in text)
    assert re.match(
        rf"web: track_repair step 2 \(web\.flows\.track_repair\.1, \S*acme\.toml:{line}\): could not read"
        rf" css='\[data-field=visit\]' on {re.escape(SITE)}/repairs/RP-00001: nothing answered within 1 s",
        message,
    ), message
    assert caught.value.channel == "web"


def test_a_task_the_profile_does_not_write_is_named(company: CompanyProfile, context: BrowserContext) -> None:
    assert company.web is not None
    flows = {task: flow for task, flow in company.web.flows.by_task.items() if task != "track_repair"}
    without = dataclasses.replace(
        company,
        web=dataclasses.replace(company.web, flows=dataclasses.replace(company.web.flows, by_task=flows)),
    )
    with pytest.raises(
        ConfigError, match=r"web\.flows: no 'track_repair' flow, so a customer cannot do that"
    ):
        WebShop(without, context).repair_booking("RP-00001")


PAGE_OBJECTS = '''
"""Acme's page objects: what its flows cannot say."""
from journeys.channels.flows import Missing


def track_repair(page, facts):
    page.goto("https://shop.example.test/repairs/" + facts["reference"])
    heading = page.get_by_role("heading").first.inner_text()
    return {"found": heading} if facts["reference"] in heading else {}


def list_aftercare(page, facts):
    page.goto(facts["order_link"])
    return {"references": [item.split()[-1] for item in page.locator("li.ref").all_inner_texts()]}


def request_return(page, facts):
    raise Missing("returns are only taken by phone")
'''


def test_a_page_object_module_does_the_tasks_a_flow_cannot(tmp_path: Path, context: BrowserContext) -> None:
    """The escape hatch: a module beside the profile, named by [web] page_objects, codes some tasks."""
    (tmp_path / "acme_pages.py").write_text(PAGE_OBJECTS, encoding="utf-8")
    profile = tmp_path / "acme.toml"
    text = PROFILE.replace("[web]\ntimeout = 10", '[web]\ntimeout = 10\npage_objects = "acme_pages.py"')
    for task in ("list_aftercare", "request_return", "track_repair"):  # coded now, not flows
        start = text.index(f"{task} = [")
        text = text[:start] + text[text.index("]\n", text.index("\n]", start)) + 2 :]
    profile.write_text(text, encoding="utf-8")
    company = load_company_file(profile)
    assert company.web is not None and set(company.web.flows.coded) == {
        "list_aftercare",
        "request_return",
        "track_repair",
    }

    shop = WebShop(company, context)
    assert shop.repair_booking("RP-00001").found
    assert not shop.repair_booking("RP-00002").found
    shop.place_order(
        Contact(channel="web", purpose="order"), product="K", shipping_method="Express", shopper=shopper()
    )
    assert shop.aftercare_references({"order_number": "AC-1234"}) == ["RMA-00001", "WC-00002"]
    contact = Contact(channel="web", purpose="return")
    assert shop.request_return(contact, "AC-1234", "Faulty").message == "returns are only taken by phone"
    assert contact.timeline.of_kind(EventKind.OUTCOME)[-1].resolved is False
