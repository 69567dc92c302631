"""``mystery-shopper try``: a profile's flows played step by step against the demo company."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MYSTERY_SHOPPER = Path(sys.executable).with_name("mystery-shopper")


def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "companies", tmp_path / "companies")
    return tmp_path


def run(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MYSTERY_SHOPPER), "try", *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_each_step_is_shown_with_its_line_and_facts_carry_to_the_next_task(tmp_path: Path) -> None:
    said = run(
        project(tmp_path),
        "place_order",
        "open_order",
        "--with",
        "product=Kettle Pro",
        "--with",
        "shipping_method=Next-day",
    )
    assert said.returncode == 0, said.stdout + said.stderr
    lines = said.stdout.splitlines()
    assert lines[0] == "place_order: buy a product with a shipping method"
    assert any(
        line.startswith(
            r"  place_order 14. choose web.locators.shipping_method (role='radio' name='^Next\\-day\\b')"
        )
        and line.endswith(f" [companies/sandbox.toml:{line_of(CHOOSE_SHIPPING)}]")
        for line in lines
    ), lines
    order = next(line for line in lines if line.startswith("  found order_number = "))
    number = order.split("'")[1]
    assert "  open_order 1. go to http://127.0.0.1:" in said.stdout and f"/orders/{number}  [" in said.stdout
    assert "  found shipping_method = 'Next-day'" in lines


CHOOSE_SHIPPING = '{ choose = "shipping_method"'
CLICK_PLACE_ORDER = '{ click = "place_order" }'


def line_of(text: str) -> int:
    """The line of the demo company's profile a flow step is written on."""
    lines = (ROOT / "companies" / "sandbox.toml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip().startswith(text))


def test_a_step_that_breaks_is_one_line_naming_it_with_a_screenshot(tmp_path: Path) -> None:
    folder = project(tmp_path)
    profile = folder / "companies" / "sandbox.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace('name = "Place order" }', 'name = "Pay now" }', 1), encoding="utf-8")
    said = run(folder, "place_order", "--with", "product=Kettle Pro", "--with", "shipping_method=Express")
    assert said.returncode == 1
    errors = said.stderr.splitlines()
    assert errors[0].startswith(
        f"broken: web: place_order step 18 (web.flows.place_order.17, companies/sandbox.toml:"
        f"{line_of(CLICK_PLACE_ORDER)}):"
        " could not click web.locators.place_order (role='button' name='Pay now') on http://127.0.0.1:"
    ), errors
    assert errors[1] == "screenshot: results/try.png" and (folder / "results" / "try.png").is_file()


def test_a_task_missing_what_the_customer_knows_is_one_line(tmp_path: Path) -> None:
    said = run(project(tmp_path), "cancel_order")
    assert said.returncode == 2
    assert (
        said.stderr
        == "mystery-shopper: try cancel_order: say what the customer knows: --with order_number=...\n"
    )
