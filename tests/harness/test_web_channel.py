"""The web channel, in a real headless Chromium, against the demo company.

The sandbox's test-only endpoint (/__sandbox__/) is read here to prove what the
channel observed; journeys themselves never read it.
"""

from __future__ import annotations

import dataclasses
import re
import socket
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext

from journeys.channels.web import WebShop
from journeys.company.profile import CompanyProfile
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
    assert str(caught.value).startswith(
        "web: could not find the product 'Flux Capacitor': nothing answered within 1 s"
    )
    assert caught.value.channel == "web"


def test_a_shop_that_is_down_breaks_the_journey(
    sandbox_for: Callable[[str], CompanyProfile], fresh_context: BrowserContext
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    company = sandbox_for("typical")
    down = dataclasses.replace(company, base_url=f"http://127.0.0.1:{closed_port}")
    with pytest.raises(JourneyBroken, match=r"^web: could not open the shop: .*ERR_CONNECTION_REFUSED"):
        order(WebShop(down, fresh_context), "Express", "down")
