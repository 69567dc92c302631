"""The steps storefront in a real headless browser, through the accessible names of its contract.

What the HTTP tests cannot see: names that come from ``aria-labelledby`` (a shipping method's
region), ``aria-label`` and visually hidden text, and a ``<select>`` chosen by its label. One
journey walks every page with the locators a company profile would use.
"""

from __future__ import annotations

import re

from contact_client import MakeLiveSandbox
from playwright.sync_api import Browser, expect

TIMEOUT = 10_000  # ms


def test_a_guest_buys_tracks_and_returns_with_the_contracts_names(
    live_sandbox: MakeLiveSandbox, browser: Browser
) -> None:
    sandbox = live_sandbox("typical", storefront="steps")
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        page.goto(f"{sandbox.url}/")
        page.get_by_role("link", name="Kettle Pro").click()
        page.get_by_role("button", name="Add to basket").click()
        expect(page.get_by_role("status")).to_have_text("Kettle Pro has been added to your basket.")
        page.get_by_role("navigation", name="Store").get_by_role("link", name="Basket").click()
        expect(page.get_by_role("button", name="Remove Kettle Pro")).to_be_visible()
        page.get_by_role("button", name="Proceed to checkout").click()

        expect(page).to_have_url(re.compile(r"/checkout/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("How would you like to check out?")
        guest = page.get_by_role("region", name="Check out as a guest")
        guest.get_by_label("Email address").fill("ada@example.com")
        page.get_by_role("button", name="Continue").click()

        expect(page).to_have_url(re.compile(r"/checkout/delivery-address/$"))
        for label, value in [
            ("First name", "Ada"),
            ("Last name", "Example"),
            ("Phone", "+44 20 7946 0000"),
            ("Address line 1", "1 Test Street"),
            ("Town/City", "London"),
            ("ZIP/Postcode", "12345"),
        ]:
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_label("Country").select_option(label="United Kingdom")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text("Enter a real UK postcode, like SW1A 1AA")
        page.get_by_label("ZIP/Postcode").fill("SW1A 1AA")
        page.get_by_role("button", name="Continue").click()

        expect(page).to_have_url(re.compile(r"/checkout/shipping-method/$"))
        express = page.get_by_role("region", name="Express ($12.99)")
        express.get_by_role("button", name="Select option").click()

        expect(page).to_have_url(re.compile(r"/checkout/payment-method/$"))
        page.get_by_label("Pay on delivery").check()
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Review your order")
        expect(page.get_by_role("link", name="Change delivery address")).to_be_visible()
        page.get_by_role("button", name="Place order").click()

        sentence = page.get_by_text(re.compile(r"^Your order number is BL-\d{6}\.$"))
        number = re.search(r"BL-\d{6}", sentence.inner_text())
        assert number is not None
        page.get_by_role("link", name="View your order").click()
        expect(page).to_have_url(re.compile(rf"/account/orders/{number.group(0)}/[0-9a-f]{{32}}/$"))
        expect(page.locator("dt:text-is('Status') + dd")).to_have_text("Placed")
        expect(page.locator("dt:text-is('Shipping method') + dd")).to_have_text("Express")

        return_form = page.get_by_role("region", name="Return an item")
        return_form.get_by_role("group", name="Why are you returning it?").get_by_label("Faulty").check()
        page.get_by_role("button", name="Start return").click()
        expect(page.get_by_role("status")).to_have_text(
            re.compile(r"^Your return has started\. Your return number is RMA-\d{5}\.$")
        )
        reference = re.search(r"RMA-\d{5}", page.get_by_role("status").inner_text())
        assert reference is not None
        aftercare = page.get_by_role("region", name="Returns, claims and repairs")
        expect(aftercare.get_by_role("rowheader", name=reference.group(0))).to_be_visible()

        page.context.clear_cookies()  # another browser
        page.get_by_role("link", name="Track an order").click()
        page.get_by_label("Order number").fill(number.group(0))
        page.get_by_label("ZIP/Postcode").fill("sw1a 1aa")
        page.get_by_role("button", name="Track order").click()
        expect(page.locator("dt:text-is('Status') + dd")).to_have_text("Placed")
    finally:
        page.close()
