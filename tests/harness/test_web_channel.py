"""The web channel, in a real headless Chromium, against the demo company.

The sandbox's test-only endpoint (/__sandbox__/) is read here to prove what the
channel observed; journeys themselves never read it.
"""

from __future__ import annotations

import dataclasses
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator

from journeys.channels.web import WebShop
from journeys.company.profile import CompanyProfile, LocatorSpec
from journeys.domain.secrets import Secrets
from journeys.domain.shopper import Shopper
from journeys.domain.timeline import Contact, EventKind
from journeys.errors import JourneyBroken


@pytest.fixture
def fresh_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    yield context
    context.close()


def order(
    shop: WebShop, shipping: str, key: str, product: str = "Blender 3000"
) -> tuple[Contact, str | None, str]:
    contact = Contact(channel="web", purpose="order")
    result = shop.place_order(
        contact, product=product, shipping_method=shipping, shopper=Shopper.for_journey(0, key)
    )
    return contact, result.order_number, result.message


def truth(company: CompanyProfile, order_number: str) -> dict[str, object]:
    response = httpx.get(f"{company.base_url}/__sandbox__/orders/{order_number}", timeout=5)
    response.raise_for_status()
    data: dict[str, object] = response.json()
    return data


@pytest.mark.parametrize("shipping", ["Standard", "Express", "Next-day", "Store pickup"])
def test_an_order_with_each_shipping_method(
    sandbox_for: Callable[[str], CompanyProfile], fresh_context: BrowserContext, shipping: str
) -> None:
    company = sandbox_for("typical")
    shop = WebShop(company, fresh_context)
    contact, order_number, _ = order(shop, shipping, f"ship-{shipping}")

    assert order_number is not None and re.fullmatch(r"BL-\d{6}", order_number)
    references = contact.timeline.of_kind(EventKind.REFERENCE_GIVEN)
    assert [event.reference for event in references] == [order_number]
    assert contact.timeline.of_kind(EventKind.OUTCOME)[-1].resolved is True

    page = shop.open_order(order_number)
    assert page.shipping_method == shipping
    assert page.status == "Placed"
    stored = truth(company, order_number)["shipping_method"]
    assert isinstance(stored, dict) and stored["name"] == shipping


def test_cancelling_inside_the_window_really_cancels(
    sandbox_for: Callable[[str], CompanyProfile], fresh_context: BrowserContext
) -> None:
    company = sandbox_for("typical")
    shop = WebShop(company, fresh_context)
    _, order_number, _ = order(shop, "Standard", "cancel-typical")
    assert order_number is not None
    contact = Contact(channel="web", purpose="cancel")

    result = shop.cancel_order(contact, order_number)

    assert result.cancelled, result.message
    assert contact.timeline.of_kind(EventKind.OUTCOME)[-1].resolved is True
    assert shop.open_order(order_number).status == "Cancelled"
    assert truth(company, order_number)["status"] == "cancelled"


def test_under_purgatory_cancelling_right_after_submit_is_refused(
    sandbox_for: Callable[[str], CompanyProfile], fresh_context: BrowserContext
) -> None:
    company = sandbox_for("purgatory")
    shop = WebShop(company, fresh_context)
    _, order_number, _ = order(shop, "Standard", "cancel-purgatory")
    assert order_number is not None
    contact = Contact(channel="web", purpose="cancel")

    result = shop.cancel_order(contact, order_number)

    assert not result.cancelled
    assert "can no longer be cancelled" in result.message
    assert contact.timeline.of_kind(EventKind.OUTCOME)[-1].resolved is False
    assert shop.open_order(order_number).status == "Processing"
    assert truth(company, order_number)["status"] != "cancelled"


def test_a_declined_card_is_an_outcome_not_a_crash(
    sandbox_for: Callable[[str], CompanyProfile], fresh_context: BrowserContext
) -> None:
    company = sandbox_for("typical")
    assert company.web is not None
    declining = dataclasses.replace(
        company, web=dataclasses.replace(company.web, test_card="4000 0000 0000 0002")
    )
    contact, order_number, message = order(WebShop(declining, fresh_context), "Express", "declined")
    assert order_number is None
    assert "declined" in message
    assert contact.timeline.of_kind(EventKind.OUTCOME)[-1].resolved is False


def test_a_missing_product_breaks_the_journey_with_a_clear_message(
    sandbox_for: Callable[[str], CompanyProfile], fresh_context: BrowserContext
) -> None:
    company = sandbox_for("typical")
    assert company.web is not None
    impatient = dataclasses.replace(company, web=dataclasses.replace(company.web, timeout=1.0))
    with pytest.raises(JourneyBroken) as caught:
        order(WebShop(impatient, fresh_context), "Express", "missing", product="Flux Capacitor")
    message = str(caught.value)
    # The step, where the profile writes it, what it looked for, on which page.
    assert message.startswith("web: place_order step 2 (web.flows.place_order.1, companies/sandbox.toml:")
    assert "could not click web.locators.product_link (role='link' name='Flux Capacitor')" in message
    assert f"on {company.base_url}/: nothing answered within 1 s" in message
    assert caught.value.channel == "web"


def test_a_shop_that_is_down_breaks_the_journey(
    sandbox_for: Callable[[str], CompanyProfile], fresh_context: BrowserContext
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    company = sandbox_for("typical")
    down = dataclasses.replace(company, base_url=f"http://127.0.0.1:{closed_port}")
    with pytest.raises(
        JourneyBroken,
        match=r"^web: place_order step 1 .*: could not go to http://127\.0\.0\.1:\d+/ .*CONNECTION_REFUSED",
    ):
        order(WebShop(down, fresh_context), "Express", "down")


MASK_COLOUR = (255, 0, 255)
"""What Playwright paints over a masked element (its default, ``#FF00FF``)."""

COLOURS_IN_BOX = """
async ([image, box]) => {
  const picture = new Image();
  picture.src = image;
  await picture.decode();
  const canvas = document.createElement("canvas");
  canvas.width = picture.width;
  canvas.height = picture.height;
  const drawing = canvas.getContext("2d");
  drawing.drawImage(picture, 0, 0);
  const pixels = drawing.getImageData(box[0], box[1], box[2], box[3]).data;
  const colours = new Set();
  for (let i = 0; i < pixels.length; i += 4) colours.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
  return [...colours];
}
"""
BOX_ON_THE_PAGE = """
(field) => {
  const box = field.getBoundingClientRect();  // inside the edges, where nothing is blended
  return [box.x + scrollX + 2, box.y + scrollY + 2, box.width - 4, box.height - 4].map(Math.round);
}
"""


def test_a_screenshot_masks_the_fields_typed_from_a_secret(
    sandbox_for: Callable[[str], CompanyProfile], fresh_context: BrowserContext, tmp_path: Path
) -> None:
    """A journey breaks on the checkout form with the card typed from ${MS_TEST_CARD}: its screenshot
    covers the card's field, and only the fields typed from a secret."""
    import base64

    company = sandbox_for("typical")
    assert company.web is not None
    no_such_button = LocatorSpec("role", "button", name="Pay by carrier pigeon")
    stuck = dataclasses.replace(
        company,
        secrets=Secrets({"MS_TEST_CARD": company.web.test_card}),
        # The profile's own timeout for every step: a shorter one breaks a busy machine's journey
        # on its first click instead of at the missing button.
        web=dataclasses.replace(
            company.web, locators={**company.web.locators, "place_order": no_such_button}
        ),
    )
    shop = WebShop(stuck, fresh_context)
    with pytest.raises(
        JourneyBroken,
        match=r"could not click web\.locators\.place_order \(role='button' name='Pay by carrier pigeon'\)",
    ):
        order(shop, "Standard", "masked")
    card, name = shop.page.get_by_label("Card number"), shop.page.get_by_label("Full name")
    assert card.input_value() == company.web.test_card  # the card is on the page, typed

    screenshot = tmp_path / "broken.png"
    assert shop.screenshot(str(screenshot))

    image = "data:image/png;base64," + base64.b64encode(screenshot.read_bytes()).decode()
    reader = fresh_context.new_page()

    def colours(field: Locator) -> set[tuple[int, ...]]:
        found = reader.evaluate(COLOURS_IN_BOX, [image, field.evaluate(BOX_ON_THE_PAGE)])
        return {tuple(int(part) for part in colour.split(",")) for colour in found}

    assert colours(card) == {MASK_COLOUR}
    assert MASK_COLOUR not in colours(name)  # the customer's name was not typed from a secret
