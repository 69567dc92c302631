"""Harness overhead: the web order journey through the harness against a plain Playwright script
doing the same clicks on the same demo company, side by side in one run.

The journey is ``features/ordering/web.feature``'s Standard-shipping scenario: order "Blender
3000" (the profile's ``place_order`` flow: product page, quantity, basket, checkout form,
shipping, card, place order, read the order number) and find the order again (``open_order``:
the order page, its status and shipping method). The plain script does those clicks with the
same locators, written out by hand, in a new browser context per journey, in the same Chromium
build with the same flags, against a demo company started the same way.

Per round (``--rounds``, alternating so that a busy machine weighs on both alike): the harness
runs the scenario ``--journeys`` times one after another (``--repeat``, no xdist), then the
script does the same number. Measured:

- **per journey**: the harness's journey duration from its record (first action to last
  observation) against the script's time from a new context to its last read; the ratio of the
  medians is the overhead (goal: at most 1.05);
- **time to the first click**: from the command to the first journey's first action, and from
  the script's start to its first ``goto``.

Nothing is asserted; the table goes into docs/benchmarks.md by hand.

Run: ``.venv/bin/python bench/overhead.py [--rounds 3] [--journeys 5] [--out FILE]``
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from journeys.runner.browser import find_chromium  # noqa: E402

SCENARIO = "Standard"
PRODUCT = "Blender 3000"
SERVER = [
    sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", "0", "--profile", "typical",
    "--seed", "0", "--time-scale", "1.0", "--mail", "--phone",
]  # fmt: skip
READY = re.compile(r"listening on (http://\S+)")


def through_the_harness(journeys: int, folder: Path) -> tuple[list[float], float]:
    """The scenario ``journeys`` times through ``mystery-shopper run``; durations, first click."""
    command = [
        sys.executable, "-m", "journeys.runner.cli", "run", "features/ordering/web.feature",
        "-k", SCENARIO, "--repeat", str(journeys), "--profile", "typical",
        "--results-dir", str(folder), "--run-name", "overhead", "--history", str(folder / "h.sqlite3"),
        "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
    ]  # fmt: skip
    began = time.time()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    records = [json.loads(path.read_text()) for path in (folder / "overhead" / "journeys").glob("*.json")]
    if len(records) != journeys or any(record["status"] != "passed" for record in records):
        raise SystemExit(f"the harness's journeys did not all pass:\n{done.stdout[-3000:]}")
    first = min(contact["started_at"] for record in records for contact in record["contacts"])
    return [record["duration"] for record in records], first - began


def order_and_find_it(page: Page, base_url: str, number: int) -> str:
    """The clicks of the profile's place_order and open_order flows, written out by hand."""
    email = f"plain.script.{number}.{time.time_ns()}@example.com"
    page.goto(base_url + "/")
    page.get_by_role("link", name=PRODUCT, exact=True).click()
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(base_url + "/cart")
    page.get_by_role("link", name="Checkout").click()
    for label, value in (
        ("Full name", "Plain Script"),
        ("Email", email),
        ("Phone", "+1 555 0100"),
        ("Street address", "1 Main Street"),
        ("City", "Springfield"),
        ("Postcode", "12345"),
        ("Country", "United States"),
    ):
        page.get_by_label(label).fill(value)
    page.get_by_role("radio", name=re.compile(r"^Standard\b")).check()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Place order").click()
    page.get_by_role("heading", name="Thank you for your order").wait_for()
    found = re.search(r"BL-\d{6}", page.inner_text("body"))
    if found is None:
        raise SystemExit("the plain script's order has no number")
    page.goto(f"{base_url}/orders/{found.group(0)}")
    status = page.locator("[data-field=status]")
    status.wait_for()
    status.inner_text()
    if not re.search(r"(?m)^Shipping:\s*Standard", page.inner_text("body")):
        raise SystemExit("the plain script's order page shows no Standard shipping")
    return found.group(0)


def through_a_plain_script(journeys: int) -> tuple[list[float], float]:
    """The same clicks ``journeys`` times in a plain Playwright script; durations, first click."""
    began = time.time()
    server = subprocess.Popen(SERVER, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    try:
        base_url = ""
        for line in server.stdout:
            ready = READY.search(line)
            if ready:
                base_url = ready.group(1).rstrip("/")
                break
        durations: list[float] = []
        first_click = 0.0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**find_chromium().launch_args())  # type: ignore[arg-type]
            for number in range(journeys):
                started = time.time()
                first_click = first_click or started - began
                context = browser.new_context()
                order_and_find_it(context.new_page(), base_url, number)
                durations.append(time.time() - started)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return durations, first_click


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--journeys", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    arguments = parser.parse_args()
    harness: list[float] = []
    plain: list[float] = []
    firsts: dict[str, list[float]] = {"harness": [], "plain": []}
    for _round in range(arguments.rounds):
        with tempfile.TemporaryDirectory(prefix="bench-overhead-") as folder:
            durations, first = through_the_harness(arguments.journeys, Path(folder))
        harness += durations
        firsts["harness"].append(first)
        durations, first = through_a_plain_script(arguments.journeys)
        plain += durations
        firsts["plain"].append(first)
    result: dict[str, Any] = {
        "journeys_each": len(harness),
        "harness_median_s": round(statistics.median(harness), 3),
        "plain_median_s": round(statistics.median(plain), 3),
        "overhead_ratio": round(statistics.median(harness) / statistics.median(plain), 3),
        "harness_mean_s": round(statistics.mean(harness), 3),
        "plain_mean_s": round(statistics.mean(plain), 3),
        "first_click_harness_s": [round(value, 1) for value in firsts["harness"]],
        "first_click_plain_s": [round(value, 1) for value in firsts["plain"]],
        "harness_s": [round(value, 3) for value in harness],  # each journey, in the order run
        "plain_s": [round(value, 3) for value in plain],
    }
    print(json.dumps(result, indent=1))
    if arguments.out:
        arguments.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
